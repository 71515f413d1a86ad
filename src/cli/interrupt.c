/*
 * interrupt.c - Ctrl-C and SIGTERM for the commands that print to stdout:
 * the core's stop flag (cancel.h), which every long loop polls, so a
 * command ends cleanly (exit 130) with nothing half-written.
 */
#include <stdbool.h>

#include "rustnote/cancel.h"

#include "cli.h"

void
cli_catch_interrupts(void)
{
	cancel_catch_signals();
}

bool
cli_interrupted(void)
{
	return cancel_requested();
}
