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
#include "rustnote/err.h"

enum llm_provider_id { LLM_OPENAI, LLM_ANTHROPIC, LLM_OLLAMA };

/*
 * What a model refused once and must not be sent again (kept per model in
 * the cache folder, see quirks.h): max_completion_tokens instead of
 * max_tokens, and no temperature at all (gpt-5, o-series).
 */
#define LLM_QUIRK_MAX_COMPLETION_TOKENS 0x2u
#define LLM_QUIRK_NO_TEMPERATURE 0x4u
#define LLM_QUIRKS (LLM_QUIRK_MAX_COMPLETION_TOKENS | LLM_QUIRK_NO_TEMPERATURE)

struct llm_params {
	enum llm_provider_id provider;
	const char *base_url;	/* NULL: the provider's default */
	const char *model;	/* required */
	const char *api_key;	/* NULL for ollama / keyless local servers */
	bool stream;
	int max_tokens;		/* 0: chosen from the prompt's size */
	double temperature;	/* < 0: leave unset */
	const char *json_schema;	/* findings schema (JSON text) or NULL */
	long connect_timeout;	/* seconds */
	long first_byte_timeout;	/* seconds until the reply's first byte */
	long stall_timeout;	/* seconds without a byte after that */
	long total_timeout;	/* seconds for one attempt */
	int max_attempts;	/* total tries, >= 1 */
	long num_ctx;		/* ollama context window; 0: from the prompt */
	const char *auth_header;	/* "api-key" (Azure), ...; NULL: Bearer */
	unsigned quirks;	/* LLM_QUIRK_* known for this model */
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
	double waiting;		/* > 0: seconds waited for the first byte */
	bool thinking;		/* the model is reasoning; no answer yet */
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
	unsigned quirks;		/* LLM_QUIRK_* that this call learned */
};

/* Reply text cap: a server that sends more gets a clean error. */
#define LLM_MAX_REPLY ((size_t)8 << 20)

/* The reply holders (src/core/llm_reply.c, so the core needs no client). */
void llm_reply_init(struct llm_reply *r);
void llm_reply_free(struct llm_reply *r);

/* Names, default models and URLs of the providers: config.h. */

/*
 * A completion as the review pipeline sees it: the core calls complete()
 * and knows nothing of how the reply is fetched.  The command line passes
 * llm_curl (the libcurl client below); the unit tests pass a fake.
 * complete() behaves as llm_complete() does.
 */
struct llm_client {
	enum rn_status (*complete)(void *ud, const struct llm_params *p,
	    const struct llm_request *req, const struct llm_callbacks *cb,
	    struct llm_reply *reply, char *err, size_t errlen);
	void *ud;
};

/* The rest is the libcurl client, in src/net. */
extern const struct llm_client llm_curl;

/*
 * Run one completion.  Returns RN_OK, RN_ENET (with a one-line message a
 * learner understands: bad key, unknown model, rate limit, timeout, DNS,
 * TLS, ...), RN_EREPLY ("the model refused: ..."), or RN_ECANCEL.  on_text may be called even when the call
 * later fails (a stream cut mid-way); reply->text then holds what came.
 */
enum rn_status llm_complete(const struct llm_params *p,
    const struct llm_request *req,
    const struct llm_callbacks *cb, struct llm_reply *reply,
    char *err, size_t errlen);

/*
 * The models the server offers (GET /v1/models, Ollama's /api/tags), as
 * a NULL-terminated array of cleaned names the caller frees with
 * llm_models_free().  Returns RN_OK or RN_ENET with a one-line message.
 */
enum rn_status llm_list_models(const struct llm_params *p, char ***models,
    size_t *n, char *err, size_t errlen);
void llm_models_free(char **models, size_t n);

/*
 * A one-line status for progress p ("waiting for the model (12 s)",
 * "thinking…"), or NULL when there is none to show.
 */
const char *llm_progress_status(const struct llm_progress *p, char *buf,
    size_t len);

/* curl_global_init / cleanup; call once from main. */
int llm_global_init(void);
void llm_global_cleanup(void);

#endif
