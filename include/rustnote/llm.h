/*
 * llm.h - one small interface to every LLM provider.
 *
 * llm_complete() sends a system + user message to the configured provider
 * over libcurl and returns the reply text.  While a streamed reply arrives
 * the text deltas are passed to on_text, so findings can be shown as soon as
 * they are complete.  Retries (429, 5xx, 529, resets; Retry-After honoured),
 * timeouts and cancellation are handled here; the provider wire formats
 * live one per file in src/net/ behind struct llm_provider (provider.h).
 *
 * The API key travels only in a request header; it never appears in
 * messages, URLs or logs.
 */
#ifndef RUSTNOTE_LLM_H
#define RUSTNOTE_LLM_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/buf.h"

enum llm_provider_id { LLM_OPENAI, LLM_ANTHROPIC, LLM_OLLAMA };

struct llm_params {
	enum llm_provider_id provider;
	const char *base_url;	/* NULL: the provider's default */
	const char *model;	/* required */
	const char *api_key;	/* NULL for ollama / keyless local servers */
	bool stream;
	int max_tokens;		/* 0: provider default (anthropic: 4096) */
	double temperature;	/* < 0: leave unset */
	const char *json_schema;	/* findings schema (JSON text) or NULL */
	long connect_timeout;	/* seconds */
	long stall_timeout;	/* seconds without a byte */
	long total_timeout;	/* seconds for one attempt */
	int max_attempts;	/* total tries, >= 1 */
};

struct llm_request {
	const char *system;
	const char *user;
};

enum llm_finish {
	LLM_FINISH_STOP,	/* complete */
	LLM_FINISH_LENGTH,	/* cut by the token limit */
	LLM_FINISH_FILTER,	/* content filter / refusal */
	LLM_FINISH_OTHER
};

struct llm_progress {
	size_t bytes;		/* reply bytes received so far (this attempt) */
	size_t chars;		/* reply text characters so far */
	double elapsed;		/* seconds since llm_complete() started */
	int attempt;		/* 1-based */
	double retry_in;	/* > 0 while waiting to retry */
	const char *notice;	/* one line, e.g. "rate limited (429), retrying
				   in 2.0 s (attempt 2 of 4)", or NULL */
};

struct llm_callbacks {
	void (*on_text)(void *ud, const char *delta, size_t len);
	void (*on_progress)(void *ud, const struct llm_progress *p);
	bool (*cancelled)(void *ud);	/* polled often; true aborts */
	void *ud;
};

struct llm_reply {
	struct buf text;		/* whole reply text */
	enum llm_finish finish;
	long input_tokens, output_tokens;	/* -1 when unknown */
	char *model;			/* as reported by the server, or NULL */
};

void llm_reply_init(struct llm_reply *r);
void llm_reply_free(struct llm_reply *r);

/* Names, default models and URLs of the providers: config.h. */

/*
 * Run one completion.  Returns RN_OK, RN_ENET (with a one-line message a
 * learner understands: bad key, unknown model, rate limit, timeout, DNS,
 * TLS, ...), or RN_ECANCEL.  on_text may be called even when the call
 * later fails (a stream cut mid-way); reply->text then holds what came.
 */
int llm_complete(const struct llm_params *p, const struct llm_request *req,
    const struct llm_callbacks *cb, struct llm_reply *reply,
    char *err, size_t errlen);

/* curl_global_init / cleanup; call once from main. */
int llm_global_init(void);
void llm_global_cleanup(void);

#endif
