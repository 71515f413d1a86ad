/*
 * sse.h - incremental parser for streamed LLM replies.
 *
 * Two framings are understood: Server-Sent Events (OpenAI, Anthropic) and
 * newline-delimited JSON (Ollama).  Bytes are fed as they come off the
 * socket, split at any point, even inside a CRLF pair or a UTF-8 sequence.
 *
 * SSE follows the HTML living standard: lines end in CRLF, LF or CR; a line
 * starting with ':' is a comment (keep-alive); "field: value" loses one
 * space after the colon; "data" lines are joined with '\n'; "event" names
 * the event; a blank line dispatches it (nothing is dispatched when no data
 * came).  Events without a name are reported as "message".  "id" and
 * "retry" are ignored: a reply is never resumed.
 *
 * NDJSON reports every non-blank line, without its line end, with the event
 * name NULL.
 *
 * Memory is bounded: a line or an event larger than max_event stops the
 * parser with SSE_ETOOBIG instead of growing.
 */
#ifndef RUSTNOTE_SSE_H
#define RUSTNOTE_SSE_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/buf.h"

enum sse_mode { SSE_EVENTS, SSE_NDJSON };

#define SSE_ETOOBIG (-1)	/* a line or event went past max_event */

/*
 * Called for each complete event.  data is NUL-terminated (len excludes
 * the NUL) and only lent.  Return 0 to go on; any positive value stops
 * the parser and is handed back by sse_feed().
 */
typedef int (*sse_event_cb)(void *ud, const char *event, const char *data,
    size_t len);

struct sse_parser {
	enum sse_mode mode;
	size_t max_event;
	sse_event_cb cb;
	void *ud;
	struct buf line;	/* the line being read */
	struct buf data;	/* data lines of the event being read */
	struct buf event;	/* its "event" field */
	bool has_data;		/* a data line came (it may be empty) */
	bool skip_lf;		/* last line ended in CR: an LF may follow */
	bool started;		/* past a leading byte order mark */
	int stopped;		/* sticky result once the parser stopped */
	size_t nevents;		/* events reported so far */
};

void sse_init(struct sse_parser *p, enum sse_mode mode, size_t max_event,
    sse_event_cb cb, void *ud);
void sse_free(struct sse_parser *p);
/* Forget any partial line or event (a new reply on the same parser). */
void sse_reset(struct sse_parser *p);

/*
 * Feed n bytes.  Returns 0, SSE_ETOOBIG, or the callback's non-zero
 * value; once stopped, every later call returns the same value.
 */
int sse_feed(struct sse_parser *p, const char *bytes, size_t n);

/*
 * The stream ended.  A last line without a line end is still taken, and
 * an SSE event not closed by a blank line is dispatched: servers often
 * close the connection right after the last "data:" line.
 */
int sse_finish(struct sse_parser *p);

#endif
