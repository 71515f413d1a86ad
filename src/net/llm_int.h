/*
 * llm_int.h - what llm.c (the transport) and llm_judge.c (what an
 * attempt's end means) share: one llm_complete() call and one HTTP
 * exchange of it.
 */
#ifndef RUSTNOTE_LLM_INT_H
#define RUSTNOTE_LLM_INT_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "rustnote/buf.h"
#include "rustnote/llm.h"
#include "rustnote/sse.h"

#include "provider.h"

/* One llm_complete() call. */
struct llm_call {
	const struct llm_provider *pv;
	const struct llm_params *p;
	const struct llm_request *req;
	const struct llm_callbacks *cb;
	struct llm_reply *reply;
	long connect_timeout, first_byte_timeout, stall_timeout, total_timeout;
	long max_delay_ms;	/* -1: no cap */
	int attempt, max_attempts;
	unsigned flags;		/* LLM_BUILD_* */
	long max_tokens_cap;	/* > 0: the model's own output limit */
	bool listing;		/* GET the model list instead */
	char ***models;		/* where the list goes */
	size_t *nmodels;
	double start, last_report;
	uint64_t rng;
	/* Set by a failed attempt. */
	int rc;			/* status when giving up */
	long wait_ms;		/* the server's Retry-After, or -1 */
	char *reason;		/* "rate limited (429)", for the notice */
};

enum body_mode { BODY_NONE, BODY_STREAM, BODY_WHOLE, BODY_ERROR };
enum stop_cause {
	STOP_NONE, STOP_CANCEL, STOP_FIRST_BYTE, STOP_STALL, STOP_TOOBIG
};
/* OUT_RESEND: send again at once with c->flags changed; not a new try. */
enum outcome { OUT_OK, OUT_FAIL, OUT_RETRY, OUT_RESEND };

/* One HTTP exchange. */
struct attempt {
	struct llm_call *call;
	CURL *easy;
	char *url;
	struct llm_sink sink;
	struct sse_parser parser;
	enum body_mode mode;
	struct buf body;	/* a whole reply, or the start of an error */
	char *content_type;
	char *retry_after, *retry_after_ms, *should_retry;
	size_t bytes;		/* body bytes so far */
	double started, last_byte;
	int ev;			/* the provider result that ended a stream */
	enum stop_cause stop;
	char errbuf[CURL_ERROR_SIZE];
};

/* Give up on the call with status rc. */
enum outcome llm_fail(struct llm_call *c, int rc);
/* Progress for the caller; a notice is always passed on. */
void llm_report(struct llm_call *c, const struct attempt *at,
    double retry_in, const char *notice);
/*
 * How the attempt at ended (cc: what curl_multi said): OUT_OK, OUT_RETRY
 * (the call's reason and wait set), OUT_RESEND (c->flags changed: the
 * schema or a parameter this model refuses left out), or OUT_FAIL with
 * the message in err.
 */
enum outcome llm_judge(struct attempt *at, CURLcode cc, char *err,
    size_t errlen);

#endif
