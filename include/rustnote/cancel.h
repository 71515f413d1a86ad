/*
 * cancel.h - asking long work to stop.
 *
 * Ctrl-C and SIGTERM set one process-wide flag (cancel_request() is safe
 * in a signal handler, and the TUI's quit signals set it too).  Every loop
 * that can run long on a large input (note and overview parsing, the
 * offline checks, batch work) asks cancel_requested() now and then and
 * unwinds with RN_ECANCEL.  A caller's own "stop" for one review (the TUI
 * cancelling a job) is the review's cancelled() event, asked by the LLM
 * request; the offline checks before it are linear and quick.
 */
#ifndef RUSTNOTE_CANCEL_H
#define RUSTNOTE_CANCEL_H

#include <stdbool.h>

/* Ask for a stop.  Async-signal-safe, callable from any thread. */
void cancel_request(void);
/* Forget an earlier request (a new batch item, a new review). */
void cancel_clear(void);
/* Has a stop been asked for? */
bool cancel_requested(void);
/* Route SIGINT and SIGTERM to cancel_request().  Returns 0 or -1. */
int cancel_catch_signals(void);

#endif
