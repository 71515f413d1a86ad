/*
 * cancel.h - asking long work to stop.
 *
 * Ctrl-C and SIGTERM set one process-wide flag (cancel_request() is safe
 * in a signal handler); a review also stops when its caller says so (the
 * TUI cancelling a job), through a hook set per thread.  Every loop that
 * can run long on a large input (note and overview parsing, the offline
 * checks, batch work) asks cancel_requested() now and then and unwinds
 * with RN_ECANCEL.
 */
#ifndef RUSTNOTE_CANCEL_H
#define RUSTNOTE_CANCEL_H

#include <stdbool.h>

/* Ask for a stop.  Async-signal-safe, callable from any thread. */
void cancel_request(void);
/* Forget an earlier request (a new batch item, a new review). */
void cancel_clear(void);
/* Has a stop been asked for, by a signal or by this thread's hook? */
bool cancel_requested(void);
/* While fn is set, cancel_requested() in this thread also asks fn(ud). */
void cancel_set_hook(bool (*fn)(void *ud), void *ud);
/* Route SIGINT and SIGTERM to cancel_request().  Returns 0 or -1. */
int cancel_catch_signals(void);

#endif
