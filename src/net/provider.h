/*
 * provider.h - what differs between LLM providers, as data and pure
 * functions.
 *
 * llm.c owns the transport: libcurl, timeouts, retries and cancellation.
 * For each attempt it asks a struct llm_provider to build the HTTP request,
 * then hands it what comes back: every stream event (an SSE event or an
 * NDJSON line) or the whole body of a reply that was not streamed.  The
 * provider turns those into text deltas, a finish reason and token counts,
 * written into a struct llm_sink.  There is one wire format per file
 * (llm_openai.c, llm_anthropic.c, llm_ollama.c); the pieces they share
 * are requests (llm_provider.c), the sink and whole bodies (llm_sink.c), and error bodies, retry rules, Retry-After,
 * backoff and messages (llm_errors.c).  Nothing here touches the network, so
 * all of it is unit tested on plain bytes.
 */
#ifndef RUSTNOTE_PROVIDER_H
#define RUSTNOTE_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/sse.h"

struct cJSON;

/* Memory caps: a server that sends more gets a clean error. */
#define LLM_MAX_EVENT ((size_t)1 << 20)		/* one SSE event / line */
#define LLM_MAX_BODY ((size_t)16 << 20)		/* a non-streamed body */
#define LLM_MAX_ERROR_BODY ((size_t)64 << 10)	/* an error body (kept) */
#define LLM_MAX_MESSAGE 200	/* bytes of a provider message shown */

/* Retry timing, as the official SDKs do it. */
#define LLM_BACKOFF_BASE_MS 500L
#define LLM_BACKOFF_CAP_MS 8000L
#define LLM_RETRY_AFTER_CAP_MS 60000L
#define LLM_DEFAULT_ATTEMPTS 4

/* One HTTP request: POST body to url (GET when body is NULL). */
struct llm_http {
	char *url;
	char **headers;		/* "Name: value"; may hold the key */
	size_t nheaders;
	char *body;		/* JSON, or NULL */
};

/* build() flags */
#define LLM_BUILD_NO_SCHEMA 0x1u	/* the server refused the schema */
#define LLM_BUILD_MAX_COMPLETION LLM_QUIRK_MAX_COMPLETION_TOKENS
#define LLM_BUILD_NO_TEMPERATURE LLM_QUIRK_NO_TEMPERATURE

/* Reasoning text at the start of a reply: <think>...</think>. */
enum llm_think { THINK_START, THINK_IN, THINK_OUT };

/* What an error body or an error event said; every field cleaned. */
struct llm_error_info {
	char *message;		/* the provider's words, or NULL */
	char *type;		/* "invalid_request_error", ... or NULL */
	char *code;		/* "insufficient_quota", "model_not_found" ... */
	char *param;		/* "response_format", ... or NULL */
	bool json;		/* the body was JSON */
	bool html;		/* the body was an HTML page */
};

/* Where a provider writes what it read from a reply. */
struct llm_sink {
	struct llm_reply *reply;
	void (*on_text)(void *ud, const char *delta, size_t len);
	void *ud;
	const char *secret;	/* the API key: redacted from messages */
	size_t delivered;	/* text bytes passed to on_text */
	size_t chars;		/* text characters (code points) */
	bool finished;		/* a finish reason was seen */
	bool done;		/* the end-of-reply marker was seen */
	struct llm_error_info error;	/* an error inside a 2xx reply */
	/* Reasoning is skipped, never taken for the answer. */
	enum llm_think think;	/* where the text is, as to a think block */
	const char *think_close;	/* "</think>" while inside one */
	struct buf held;	/* text not yet known to be answer or reasoning */
	bool thinking;		/* reasoning arrived (a block or a field) */
	/* A refusal instead of an answer. */
	struct buf refusal;	/* its text (OpenAI's "refusal" member) */
	bool refused;		/* the finish reason says so (Anthropic) */
};

/*
 * Results of on_event() / on_body(); non-zero values stop the SSE parser,
 * so they are positive.
 */
enum llm_ev {
	LLM_EV_MORE = 0,	/* go on reading */
	LLM_EV_DONE,		/* the reply is complete */
	LLM_EV_ERROR,		/* the provider reported an error (sink->error) */
	LLM_EV_BAD,		/* the reply could not be read (sink->error) */
	LLM_EV_TOOBIG		/* the text went past LLM_MAX_REPLY */
};

struct llm_provider {
	enum llm_provider_id id;
	const char *name;		/* "openai" */
	const char *key_env;		/* variable named when a key fails */
	enum sse_mode stream_mode;	/* framing of a streamed reply */
	/*
	 * The request for one attempt: RN_OK, or RN_EUSAGE for a key that
	 * cannot be sent.  out is filled either way; free it with
	 * llm_http_free().
	 */
	enum rn_status (*build)(const struct llm_params *p,
	    const struct llm_request *req, unsigned flags,
	    struct llm_http *out, char *err, size_t errlen);
	/* One SSE event (event is its name) or NDJSON line (event NULL). */
	int (*on_event)(struct llm_sink *s, const char *event,
	    const char *data, size_t len);
	/* The whole body of a 2xx reply that was not streamed. */
	int (*on_body)(struct llm_sink *s, const char *body, size_t len);
	/* A 400 that refuses the structured-output request. */
	bool (*schema_rejected)(long status, const struct llm_error_info *e);
	/*
	 * A 400 that refuses one parameter of this model: the LLM_BUILD_*
	 * flag that leaves it out or renames it, or 0.  NULL: never.
	 */
	unsigned (*param_fix)(const struct llm_error_info *e);
	/* GET request listing the models, and reading its reply. */
	enum rn_status (*models_request)(const struct llm_params *p,
	    struct llm_http *out,
	    char *err, size_t errlen);
	int (*models_read)(const struct cJSON *root, char ***names, size_t *n);
};

extern const struct llm_provider llm_openai;
extern const struct llm_provider llm_anthropic;
extern const struct llm_provider llm_ollama;

const struct llm_provider *llm_provider_get(enum llm_provider_id id);

/* Requests. */
void llm_http_free(struct llm_http *h);	/* wipes the header lines */
void llm_http_header(struct llm_http *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Add the header prefix + key ("x-api-key: "), white space around the key
 * trimmed; nothing when key is NULL or blank.  A key holding a control
 * character (a pasted line break) is refused with RN_EUSAGE and a message
 * naming pv->key_env, never the key.
 */
enum rn_status llm_key_header(struct llm_http *h, const char *prefix,
    const char *key, const struct llm_provider *pv, char *err, size_t errlen);
/*
 * The key header for an OpenAI-style server: "Authorization: Bearer KEY",
 * or "api-key: KEY" for Azure hosts (*.openai.azure.com) and whenever
 * p->auth_header names another header.
 */
enum rn_status llm_auth_header(struct llm_http *h, const struct llm_params *p,
    const char *url, const struct llm_provider *pv, char *err,
    size_t errlen);
/* Is url's host an Azure OpenAI resource (*.openai.azure.com)? */
bool llm_is_azure(const char *url);
/* Is url the official OpenAI API (api.openai.com)? */
bool llm_is_openai_com(const char *url);
/* Estimated tokens of a request: about 3.5 bytes of text per token. */
long llm_prompt_tokens(const struct llm_request *req);
/* Reply budget for a prompt of that many tokens: 4096 to 16384. */
long llm_reply_budget(long prompt_tokens);
/* p->max_tokens, or the budget for req when it is 0. */
long llm_max_tokens(const struct llm_params *p,
    const struct llm_request *req);

/* Ollama's options.num_ctx: p->num_ctx, or room for prompt and reply. */
long llm_ollama_num_ctx(const struct llm_params *p,
    const struct llm_request *req);
/*
 * The string member key of each object in array, cleaned, as a
 * NULL-terminated array; RN_OK, or RN_EREPLY when array is none.
 */
int llm_models_collect(const struct cJSON *array, const char *key,
    char ***names, size_t *n);

/* A model list reply body read by pv->models_read: RN_OK or RN_EREPLY. */
int llm_models_parse(const struct llm_provider *pv, const char *body,
    size_t len, char ***names, size_t *n);

/* p->base_url, or the default of provider id when it is unset or empty. */
const char *llm_base_url(const struct llm_params *p, enum llm_provider_id id);
/*
 * base + path, with trailing slashes of base dropped; a base that already
 * ends with path is kept as it is (a pasted endpoint).  A query in base
 * ("...?api-version=2024-10-21") stays at the end, after the path.
 */
char *llm_url_join(const char *base, const char *path);
/*
 * An Ollama host as OLLAMA_HOST allows it ("0.0.0.0:11434", "localhost",
 * "https://h/") made into a base URL: scheme added, a missing port made
 * 11434 and a wildcard address (0.0.0.0, ::) made loopback; "ollama.com"
 * means https://ollama.com:443, as Ollama reads it.
 */
char *llm_ollama_base(const char *host);

/* JSON helpers for the wire formats. */
const char *llm_json_str(const struct cJSON *obj, const char *key);
long llm_json_long(const struct cJSON *obj, const char *key, long dflt);
/* [{"role":"system",...},{"role":"user",...}]; system left out when empty */
struct cJSON *llm_json_messages(const struct llm_request *req,
    bool with_system);
/* Print and free root; the result is the caller's. */
char *llm_json_finish(struct cJSON *root);

/* The sink. */
void llm_sink_init(struct llm_sink *s, struct llm_reply *r,
    const struct llm_callbacks *cb, const char *secret);
void llm_sink_free(struct llm_sink *s);
/*
 * A text delta of the reply's content: a think block at its start
 * (<think>, <thinking>) is skipped, the rest appended and passed on.
 * Returns LLM_EV_MORE or LLM_EV_TOOBIG.
 */
int llm_sink_text(struct llm_sink *s, const char *p, size_t n);
/* Append answer text and pass it on, as it is. */
int llm_sink_answer(struct llm_sink *s, const char *p, size_t n);
void llm_sink_model(struct llm_sink *s, const char *model);
void llm_sink_finish(struct llm_sink *s, enum llm_finish f);
/* Reasoning arrived in a field of its own: progress says "thinking". */
void llm_sink_thinking(struct llm_sink *s);
/* Refusal text (OpenAI's delta.refusal / message.refusal). */
void llm_sink_refusal(struct llm_sink *s, const char *p, size_t n);
/*
 * The reply is complete: text held back while it might have opened a
 * think block is passed on.  Returns LLM_EV_MORE or LLM_EV_TOOBIG.
 */
int llm_sink_end(struct llm_sink *s);
/* Record an error; returns result (LLM_EV_ERROR or LLM_EV_BAD). */
int llm_sink_error(struct llm_sink *s, int result, const char *message,
    const char *type, const char *code);
/*
 * Record the error that data[0..len) (a reply body or a stream event)
 * carries, read by llm_error_parse(); "(no message)" when it names none.
 * Returns LLM_EV_ERROR.
 */
int llm_sink_error_reply(struct llm_sink *s, const char *data, size_t len);
/* Token counts from obj's members in_key and out_key, when obj is one. */
void llm_sink_usage(struct llm_sink *s, const struct cJSON *obj,
    const char *in_key, const char *out_key);
/* The wire format's finish reason as an enum llm_finish. */
typedef enum llm_finish (*llm_finish_fn)(const char *reason);
/* The finish reason obj names under key, when it names one. */
void llm_sink_reason(struct llm_sink *s, const struct cJSON *obj,
    const char *key, llm_finish_fn map);

/* Reading a reply. */
/* Is a reply object an error report, as the wire format shapes one? */
typedef bool (*llm_is_error_fn)(const struct cJSON *root);
/* Reads a reply object that reports no error. */
typedef int (*llm_read_fn)(struct llm_sink *s, const struct cJSON *root);
/*
 * {"error": ...} with something in it: how OpenAI and Ollama report one.
 * "error": null, false, "" or {} (some proxies add it to every chunk) is
 * no error, as openai-python reads it.
 */
bool llm_has_error(const struct cJSON *root);
/*
 * The whole body of a 2xx reply that was not streamed: LLM_EV_BAD when it
 * is not a JSON object, the error it carries when is_error() says it
 * carries one, else what reader() makes of it.
 */
int llm_read_body(struct llm_sink *s, const char *body, size_t len,
    llm_is_error_fn is_error, llm_read_fn reader);

/* Errors. */
/*
 * Read an error body in any of the shapes servers use:
 * {"error":{"message","type","code","param"}} (OpenAI, Anthropic),
 * {"error":"..."} (Ollama), {"message":...}, {"detail":...}; else note
 * whether it was an HTML page.  content_type may be NULL.
 */
void llm_error_parse(const char *body, size_t len, const char *content_type,
    const char *secret, struct llm_error_info *e);
void llm_error_info_free(struct llm_error_info *e);
/*
 * Untrusted text made fit for a one-line message: cleaned by san_text()
 * (line ends become spaces, runs of blanks collapse), the secret (when
 * given) becomes "***", and the result is cut at LLM_MAX_MESSAGE bytes on
 * a character boundary (ending in an ellipsis).
 */
char *llm_clean_message(const char *s, size_t len, const char *secret);
/* The same for a NUL-ended s; NULL stays NULL. */
char *llm_clean_or_null(const char *s, const char *secret);
/* Does e's type or code say so? */
bool llm_error_is(const struct llm_error_info *e, const char *what);

/*
 * HTTP statuses worth another attempt, as openai-python decides: never
 * when out of quota (insufficient_quota), else as x-should-retry says
 * ("true" / "false"; may be NULL), else 408, 409, 429 and every 5xx.
 */
bool llm_status_retryable(long status, const struct llm_error_info *e,
    const char *should_retry);
/* Error events inside a stream worth another attempt (overloaded, ...). */
bool llm_stream_error_retryable(const struct llm_error_info *e);

/*
 * The wait asked for by "retry-after-ms" (milliseconds) or "Retry-After"
 * (seconds, or an HTTP date compared with now); either may be NULL.
 * Returns milliseconds capped at LLM_RETRY_AFTER_CAP_MS, or -1 when
 * neither says anything usable.
 */
long llm_parse_retry_after(const char *retry_after, const char *retry_after_ms,
    time_t now);
/*
 * The wait before attempt number next (2, 3, ...): the server's
 * retry_after_ms when >= 0, else full jitter over an exponential step
 * (LLM_BACKOFF_BASE_MS doubling up to LLM_BACKOFF_CAP_MS) with jitter in
 * [0, 1).  max_delay_ms >= 0 caps the result.
 */
long llm_backoff_ms(int next, long retry_after_ms, double jitter,
    long max_delay_ms);

/*
 * The one-line message for a failed HTTP status, e.g. "openai: the API
 * key was rejected (401): ...; check RUSTNOTE_API_KEY or OPENAI_API_KEY".
 * attempts > 1 adds "after N attempts".  Returns RN_ENET.
 */
enum rn_status llm_status_message(const struct llm_provider *pv,
    const struct llm_params *p, long status, const struct llm_error_info *e,
    int attempts, char *err, size_t errlen);

#endif
