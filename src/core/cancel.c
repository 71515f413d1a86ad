/*
 * cancel.c - the stop flag (see cancel.h).  A lock-free atomic, so that a
 * signal handler may set it and a worker thread read it.
 */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "rustnote/cancel.h"

static atomic_int requested;

static _Thread_local bool (*hook)(void *);
static _Thread_local void *hook_ud;
static _Thread_local bool in_hook;	/* a hook that asks again */

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
	bool stop;

	if (atomic_load_explicit(&requested, memory_order_relaxed) != 0)
		return true;
	if (hook == NULL || in_hook)
		return false;
	in_hook = true;
	stop = hook(hook_ud);
	in_hook = false;
	return stop;
}

void
cancel_set_hook(bool (*fn)(void *ud), void *ud)
{
	hook = fn;
	hook_ud = ud;
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
