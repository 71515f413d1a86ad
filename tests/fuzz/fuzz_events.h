/*
 * fuzz_events.h - a streamed reply through the framing parser (sse.c)
 * and a provider's event reader into a sink, split at random points:
 * the body of fuzz_sse.c and fuzz_ndjson.c.
 */
#ifndef RUSTNOTE_FUZZ_EVENTS_H
#define RUSTNOTE_FUZZ_EVENTS_H

#include "rustnote/llm.h"
#include "rustnote/sse.h"
#include "../../src/net/provider.h"

#include "fuzz.h"

static void
ev_on_text(void *ud, const char *delta, size_t len)
{
	(void)ud;
	(void)delta;
	(void)len;
}

struct ev_reader {
	struct llm_sink sink;
	const struct llm_provider *p;
};

static int
ev_on_event(void *ud, const char *event, const char *data, size_t len)
{
	struct ev_reader *r = ud;

	return r->p->on_event(&r->sink, event, data, len);
}

static int
fuzz_events(const struct llm_provider *p, struct fuzz_in *in)
{
	struct llm_callbacks cb = { ev_on_text, NULL, NULL, NULL };
	struct fuzz_chunks ch = { 0 };
	struct sse_parser sp;
	struct llm_reply reply;
	struct ev_reader r;
	size_t n;
	int i;

	for (i = 0; i < 4; i++)
		ch.state = ch.state << 8 | fuzz_take_byte(in);
	llm_reply_init(&reply);
	llm_sink_init(&r.sink, &reply, &cb, "sk-fuzz-secret-key");
	r.p = p;
	sse_init(&sp, p->stream_mode, (size_t)1 << 20, ev_on_event, &r);
	while (in->n > 0) {
		n = fuzz_next_chunk(&ch, in->n);
		if (sse_feed(&sp, (const char *)in->p, n) != 0)
			break;
		in->p += n;
		in->n -= n;
	}
	sse_finish(&sp);
	sse_free(&sp);
	llm_sink_free(&r.sink);
	llm_reply_free(&reply);
	return 0;
}

#endif
