/*
 * llm.c - the transport behind llm_complete().
 *
 * Each attempt is one libcurl easy handle driven through a multi handle,
 * so the loop wakes at least every LLM_TICK_MS: it polls cb->cancelled,
 * notices a stream that stopped sending (our own last-byte clock, which
 * also names the cause in the message) and reports progress.  Bytes go to
 * the provider's parser as they arrive; a failed attempt is retried with
 * backoff when another try can help and no text reached the caller yet
 * (a retry would show it twice).
 *
 * Environment:
 *   RUSTNOTE_RETRY_MAX_DELAY_MS  caps every wait between attempts, in
 *                                milliseconds (tests keep runs short)
 *   CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR
 *                                custom certificate authorities
 *   HTTPS_PROXY, ALL_PROXY, NO_PROXY ...  read by libcurl itself
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "rustnote/buf.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/sse.h"
#include "rustnote/util.h"

#include "llm_int.h"
#include "provider.h"

#ifndef RN_VERSION
#define RN_VERSION "dev"
#endif

#define LLM_TICK_MS 50		/* longest sleep between checks */
#define LLM_PROGRESS_EVERY 0.1	/* seconds between progress reports */
#define LLM_CONNECT_TIMEOUT 10	/* defaults, in seconds */
#define LLM_FIRST_BYTE_TIMEOUT 300
#define LLM_STALL_TIMEOUT 60
#define LLM_TOTAL_TIMEOUT 600
#define LLM_MAX_HEADER_VALUE 64
#define LLM_LARGEST_CONTEXT 131072L	/* tokens most local models hold */
#define LLM_RECV_BUFFER (256L << 10)	/* curl's receive buffer, bytes */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* xorshift64*: only jitter, so any seed will do. */
static double
rand01(struct llm_call *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 2685821657736338717ULL) >> 11) /
	    (double)(1ULL << 53);
}

/* --- the public odds and ends ------------------------------------------- */

int
llm_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? RN_OK :
	    RN_EFAIL;
}

void
llm_global_cleanup(void)
{
	curl_global_cleanup();
}

/* --- progress ------------------------------------------------------------ */

/* At most every LLM_PROGRESS_EVERY, unless there is a notice to give. */
void
llm_report(struct llm_call *c, const struct attempt *at, double retry_in,
    const char *notice)
{
	struct llm_progress pr;
	double t = now_s();

	if (c->cb == NULL || c->cb->on_progress == NULL)
		return;
	if (notice == NULL && t - c->last_report < LLM_PROGRESS_EVERY)
		return;
	c->last_report = t;
	memset(&pr, 0, sizeof pr);
	pr.bytes = at != NULL ? at->bytes : 0;
	pr.chars = at != NULL ? at->sink.chars : 0;
	if (at != NULL && at->bytes == 0 && retry_in <= 0)
		pr.waiting = t - at->started;
	pr.thinking = at != NULL && at->sink.thinking &&
	    at->sink.delivered == 0;
	pr.elapsed = t - c->start;
	pr.attempt = c->attempt;
	pr.retry_in = retry_in;
	pr.notice = notice;
	c->cb->on_progress(c->cb->ud, &pr);
}

static bool
cancelled(const struct llm_call *c)
{
	return c->cb != NULL && c->cb->cancelled != NULL &&
	    c->cb->cancelled(c->cb->ud);
}

/* --- receiving ----------------------------------------------------------- */

static int
on_event(void *ud, const char *event, const char *data, size_t len)
{
	struct attempt *at = ud;

	return at->call->pv->on_event(&at->sink, event, data, len);
}

static bool
is_plain_json(const char *ct)
{
	return ct != NULL && strncasecmp(ct, "application/json", 16) == 0;
}

/* Decide how to read the body once its status and type are known. */
static enum body_mode
choose_mode(struct attempt *at)
{
	const char *ct = NULL;
	long status = 0;

	curl_easy_getinfo(at->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(at->easy, CURLINFO_CONTENT_TYPE, &ct);
	if (ct != NULL)
		at->content_type = xstrndup(ct,
		    strnlen(ct, LLM_MAX_HEADER_VALUE));
	if (status < 200 || status >= 300)
		return BODY_ERROR;
	/* A login or proxy page where a reply should be. */
	if (ct != NULL && strcasestr(ct, "html") != NULL)
		return BODY_ERROR;
	/* A server may ignore "stream": true and answer in one piece. */
	if (!at->call->p->stream || is_plain_json(ct))
		return BODY_WHOLE;
	return BODY_STREAM;
}

static size_t
on_write(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct attempt *at = ud;
	size_t n = size * nmemb, room;
	int rc;

	at->bytes += n;
	at->last_byte = now_s();
	if (at->mode == BODY_NONE)
		at->mode = choose_mode(at);
	switch (at->mode) {
	case BODY_ERROR:
		/* The start of an error page says all there is to say. */
		room = LLM_MAX_ERROR_BODY - at->body.len;
		buf_add(&at->body, ptr, n < room ? n : room);
		return n;
	case BODY_WHOLE:
		if (buf_add(&at->body, ptr, n) == 0)
			return n;
		at->stop = STOP_TOOBIG;
		return 0;
	default:
		if ((rc = sse_feed(&at->parser, ptr, n)) == 0)
			return n;
		at->ev = rc == SSE_ETOOBIG ? LLM_EV_TOOBIG : rc;
		return 0;	/* done or failed: stop reading */
	}
}

/* Keep the value of header name (e.g. "retry-after") in *out. */
static void
header_value(const char *p, size_t n, const char *name, char **out)
{
	size_t nl = strlen(name);
	const char *v;
	size_t len;

	if (n <= nl || p[nl] != ':' || strncasecmp(p, name, nl) != 0)
		return;
	v = p + nl + 1;
	len = n - nl - 1;
	while (len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
	    v[len - 1] == ' '))
		len--;
	free(*out);
	*out = xstrndup(v, len < LLM_MAX_HEADER_VALUE ? len :
	    LLM_MAX_HEADER_VALUE);
}

static size_t
on_header(char *p, size_t size, size_t nitems, void *ud)
{
	struct attempt *at = ud;
	size_t n = size * nitems;

	at->last_byte = now_s();
	if (n >= 5 && strncasecmp(p, "HTTP/", 5) == 0) {
		/* A new response (after a 1xx): forget the last one's. */
		free(at->retry_after);
		free(at->retry_after_ms);
		free(at->should_retry);
		at->retry_after = at->retry_after_ms = at->should_retry = NULL;
		return n;
	}
	header_value(p, n, "retry-after", &at->retry_after);
	header_value(p, n, "retry-after-ms", &at->retry_after_ms);
	header_value(p, n, "x-should-retry", &at->should_retry);
	return n;
}

/* --- one attempt --------------------------------------------------------- */

static struct curl_slist *
make_headers(const struct llm_http *h)
{
	struct curl_slist *list = NULL, *next;
	size_t i;

	for (i = 0; i <= h->nheaders; i++) {
		/* "Expect:" turns off 100-continue for large notes. */
		next = curl_slist_append(list, i < h->nheaders ?
		    h->headers[i] : "Expect:");
		if (next == NULL)
			fatal("out of memory");
		list = next;
	}
	return list;
}

static void
free_headers(struct curl_slist *list)
{
	struct curl_slist *l;

	for (l = list; l != NULL; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(list);
}

static void
set_ca_paths(CURL *easy)
{
	const char *file = getenv("CURL_CA_BUNDLE"), *dir;

	if (file == NULL || *file == '\0')
		file = getenv("SSL_CERT_FILE");
	if (file != NULL && *file != '\0')
		curl_easy_setopt(easy, CURLOPT_CAINFO, file);
	if ((dir = getenv("SSL_CERT_DIR")) != NULL && *dir != '\0')
		curl_easy_setopt(easy, CURLOPT_CAPATH, dir);
}

static void
setup_easy(struct attempt *at, const struct llm_http *h,
    struct curl_slist *headers)
{
	struct llm_call *c = at->call;
	CURL *e = at->easy;

	curl_easy_setopt(e, CURLOPT_URL, h->url);
	if (h->body != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, h->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)strlen(h->body));
	} else
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "rustnote/" RN_VERSION);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	/* Fewer, larger reads: a stream is many small events. */
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, LLM_RECV_BUFFER);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, c->connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, c->total_timeout);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, at->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, at);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, at);
	/* Redirects are not followed: the key must not go to another host. */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	set_ca_paths(e);
}

/*
 * Two clocks: until the body's first byte the model may be loading or
 * thinking (first_byte_timeout, from the request); after it, silence
 * means a stalled server (stall_timeout, from the last byte).
 */
static enum stop_cause
timed_out(const struct attempt *at, double t)
{
	const struct llm_call *c = at->call;

	if (at->bytes == 0)
		return t - at->started >= (double)c->first_byte_timeout ?
		    STOP_FIRST_BYTE : STOP_NONE;
	return t - at->last_byte >= (double)c->stall_timeout ? STOP_STALL :
	    STOP_NONE;
}

static bool
should_stop(struct attempt *at)
{
	if (cancelled(at->call))
		at->stop = STOP_CANCEL;
	else
		at->stop = timed_out(at, now_s());
	return at->stop != STOP_NONE;
}

static CURLcode
drive(struct attempt *at)
{
	CURLcode cc = CURLE_ABORTED_BY_CALLBACK;
	CURLM *m;
	CURLMsg *msg;
	int running = 1, left;

	if ((m = curl_multi_init()) == NULL)
		fatal("out of memory");
	curl_multi_add_handle(m, at->easy);
	while (running) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		if (!running || should_stop(at))
			break;
		llm_report(at->call, at, 0, NULL);
		if (curl_multi_poll(m, NULL, 0, LLM_TICK_MS, NULL) != CURLM_OK)
			break;
	}
	while ((msg = curl_multi_info_read(m, &left)) != NULL) {
		if (msg->msg == CURLMSG_DONE)
			cc = msg->data.result;
	}
	curl_multi_remove_handle(m, at->easy);
	curl_multi_cleanup(m);
	return cc;
}

static void
attempt_init(struct attempt *at, struct llm_call *c)
{
	memset(at, 0, sizeof *at);
	at->call = c;
	llm_sink_init(&at->sink, c->reply, c->cb, c->p->api_key);
	sse_init(&at->parser, c->pv->stream_mode, LLM_MAX_EVENT, on_event, at);
	buf_init(&at->body, LLM_MAX_BODY);
	at->started = at->last_byte = now_s();
	if ((at->easy = curl_easy_init()) == NULL)
		fatal("out of memory");
}

static void
attempt_free(struct attempt *at)
{
	curl_easy_cleanup(at->easy);
	llm_sink_free(&at->sink);
	sse_free(&at->parser);
	buf_free(&at->body);
	free(at->url);
	free(at->content_type);
	free(at->retry_after);
	free(at->retry_after_ms);
	free(at->should_retry);
}

/* Forget what a failed attempt left; only done when nothing was shown. */
static void
reply_reset(struct llm_reply *r)
{
	buf_reset(&r->text);
	r->text.cap = LLM_MAX_REPLY;
	r->finish = LLM_FINISH_STOP;
	r->input_tokens = r->output_tokens = -1;
	free(r->model);
	r->model = NULL;
}

static enum outcome
run_attempt(struct llm_call *c, char *err, size_t errlen)
{
	struct llm_params p;
	struct llm_http h;
	struct attempt at;
	struct curl_slist *headers = NULL;
	enum outcome out;
	CURLcode cc;
	int rc;

	reply_reset(c->reply);
	attempt_init(&at, c);
	memset(&h, 0, sizeof h);
	p = *c->p;
	if (c->max_tokens_cap > 0)
		p.max_tokens = (int)c->max_tokens_cap;
	rc = c->listing ? c->pv->models_request(&p, &h, err, errlen) :
	    c->pv->build(&p, c->req, c->flags, &h, err, errlen);
	if (rc != RN_OK) {
		out = llm_fail(c, rc);
		goto out;
	}
	at.url = xstrdup(h.url);
	headers = make_headers(&h);
	setup_easy(&at, &h, headers);
	llm_report(c, &at, 0, NULL);
	cc = drive(&at);
	out = llm_judge(&at, cc, err, errlen);
out:
	free_headers(headers);
	llm_http_free(&h);
	attempt_free(&at);
	return out;
}

/* --- retries ------------------------------------------------------------- */

static long
env_max_delay(void)
{
	const char *s = getenv("RUSTNOTE_RETRY_MAX_DELAY_MS");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return -1;
	return v;
}

/* Sleep before attempt c->attempt, polling for cancellation. */
static enum rn_status
wait_retry(struct llm_call *c, char *err, size_t errlen)
{
	long ms = llm_backoff_ms(c->attempt, c->wait_ms, rand01(c),
	    c->max_delay_ms);
	double deadline = now_s() + (double)ms / 1000.0, left;
	char *notice;

	/* under a second, in ms: "retrying in 0.0 s" says nothing */
	if (ms < 1000)
		notice = xasprintf("%s, retrying in %ld ms (attempt %d of %d)",
		    c->reason, ms, c->attempt, c->max_attempts);
	else
		notice = xasprintf("%s, retrying in %.1f s (attempt %d of %d)",
		    c->reason, (double)ms / 1000.0, c->attempt,
		    c->max_attempts);
	llm_report(c, NULL, (double)ms / 1000.0, notice);
	free(notice);
	while ((left = deadline - now_s()) > 0) {
		if (cancelled(c))
			return rn_fail(err, errlen, RN_ECANCEL, "cancelled");
		sleep_ms(left * 1000.0 < LLM_TICK_MS ?
		    (long)(left * 1000.0) + 1 : LLM_TICK_MS);
		llm_report(c, NULL, left, NULL);
	}
	return RN_OK;
}

static long
or_default(long v, long dflt)
{
	return v > 0 ? v : dflt;
}

static void
call_init(struct llm_call *c, const struct llm_params *p,
    const struct llm_request *req, const struct llm_callbacks *cb,
    struct llm_reply *reply)
{
	memset(c, 0, sizeof *c);
	c->pv = llm_provider_get(p->provider);
	c->p = p;
	c->req = req;
	c->cb = cb;
	c->reply = reply;
	c->connect_timeout = or_default(p->connect_timeout,
	    LLM_CONNECT_TIMEOUT);
	c->first_byte_timeout = or_default(p->first_byte_timeout,
	    LLM_FIRST_BYTE_TIMEOUT);
	c->stall_timeout = or_default(p->stall_timeout, LLM_STALL_TIMEOUT);
	c->total_timeout = or_default(p->total_timeout, LLM_TOTAL_TIMEOUT);
	/* The attempt's limit must leave room for the first byte's. */
	if (c->total_timeout <= c->first_byte_timeout)
		c->total_timeout = c->first_byte_timeout + c->stall_timeout;
	c->flags = p->quirks & LLM_QUIRKS;
	c->max_attempts = p->max_attempts > 0 ? p->max_attempts :
	    LLM_DEFAULT_ATTEMPTS;
	c->max_delay_ms = env_max_delay();
	c->attempt = 1;
	c->start = c->last_report = now_s();
	c->rng = (uint64_t)time(NULL) ^ ((uint64_t)(uintptr_t)c << 16) ^
	    (uint64_t)(c->start * 1e9);
	if (c->rng == 0)
		c->rng = 0x9e3779b97f4a7c15ULL;
}

/* Attempts until one succeeds, fails for good or the tries run out. */
static enum rn_status
run_call(struct llm_call *c, char *err, size_t errlen)
{
	enum outcome out;
	int rc;

	for (;;) {
		out = run_attempt(c, err, errlen);
		if (out == OUT_OK) {
			rc = RN_OK;
			break;
		}
		if (out == OUT_RESEND)
			continue;	/* c->flags changed; not a new try */
		rc = c->rc;
		if (out == OUT_FAIL || c->attempt >= c->max_attempts)
			break;
		c->attempt++;
		if ((rc = wait_retry(c, err, errlen)) != RN_OK)
			break;
	}
	/* A failed attempt may have left its message behind. */
	if (rc == RN_OK && err != NULL && errlen > 0)
		err[0] = '\0';
	free(c->reason);
	c->reason = NULL;
	return rc;
}

/* Ollama cuts a prompt longer than num_ctx without a word: say so. */
static void
warn_context(struct llm_call *c)
{
	long need, have;
	char *notice;

	if (c->pv->id != LLM_OLLAMA)
		return;
	need = llm_prompt_tokens(c->req) + llm_max_tokens(c->p, c->req);
	have = c->p->num_ctx > 0 ? c->p->num_ctx : LLM_LARGEST_CONTEXT;
	if (need <= have)
		return;
	notice = c->p->num_ctx > 0 ? xasprintf("warning: the note needs "
	    "about %ld tokens of context but num_ctx is %ld; Ollama will cut "
	    "the prompt (raise num_ctx or leave it unset)", need, have) :
	    xasprintf("warning: the note needs about %ld tokens of context, "
	    "more than most models hold (%ld); Ollama may cut the prompt",
	    need, have);
	llm_report(c, NULL, 0, notice);
	free(notice);
}

enum rn_status
llm_complete(const struct llm_params *p, const struct llm_request *req,
    const struct llm_callbacks *cb, struct llm_reply *reply,
    char *err, size_t errlen)
{
	struct llm_call c;
	int rc;

	if (llm_provider_get(p->provider) == NULL)
		return rn_fail(err, errlen, RN_EUSAGE, "unknown provider");
	if (p->model == NULL || *p->model == '\0')
		return rn_fail(err, errlen, RN_EUSAGE, "%s: no model given; "
		    "set RUSTNOTE_MODEL or --model", config_provider(
		    p->provider)->name);
	call_init(&c, p, req, cb, reply);
	warn_context(&c);
	rc = run_call(&c, err, errlen);
	reply->quirks = c.flags & LLM_QUIRKS;
	return rc;
}

enum rn_status
llm_list_models(const struct llm_params *p, char ***models, size_t *n,
    char *err, size_t errlen)
{
	static const struct llm_request none = { "", "" };
	struct llm_reply reply;
	struct llm_call c;
	int rc;

	*models = NULL;
	*n = 0;
	if (llm_provider_get(p->provider) == NULL)
		return rn_fail(err, errlen, RN_EUSAGE, "unknown provider");
	llm_reply_init(&reply);
	call_init(&c, p, &none, NULL, &reply);
	c.listing = true;
	c.models = models;
	c.nmodels = n;
	rc = run_call(&c, err, errlen);
	llm_reply_free(&reply);
	return rc;
}

static enum rn_status
curl_complete(void *ud, const struct llm_params *p,
    const struct llm_request *req, const struct llm_callbacks *cb,
    struct llm_reply *reply, char *err, size_t errlen)
{
	(void)ud;
	return llm_complete(p, req, cb, reply, err, errlen);
}

const struct llm_client llm_curl = { curl_complete, NULL };
