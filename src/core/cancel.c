/*
 * cancel.c - the stop flag (see cancel.h).  A lock-free atomic, so that a
 * signal handler may set it and any thread read it.
 */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "rustnote/cancel.h"

static atomic_int requested;

void
cancel_request(void)
{
	atomic_store_explicit(&requested, 1, memory_order_relaxed);
}

void
cancel_clear(void)
{
	atomic_store_explicit(&requested, 0, memory_order_relaxed);
}

bool
cancel_requested(void)
{
	return atomic_load_explicit(&requested, memory_order_relaxed) != 0;
}

static void
on_signal(int sig)
{
	(void)sig;
	cancel_request();
}

int
cancel_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0)
		return -1;
	return 0;
}
