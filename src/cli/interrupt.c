/*
 * interrupt.c - Ctrl-C and SIGTERM for the commands that print to stdout:
 * the handler only sets a flag, which long work polls, so a command ends
 * cleanly (exit 130) with nothing half-written.
 */
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void
cli_catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool
cli_interrupted(void)
{
	return interrupted != 0;
}
