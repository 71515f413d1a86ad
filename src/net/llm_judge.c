/*
 * llm_judge.c - what an attempt's end means: success, a failure with the
 * one-line message a learner understands (bad key, unknown model, rate
 * limit, stall, DNS, TLS, ...), or a reason to try again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/sse.h"
#include "rustnote/util.h"

#include "llm_int.h"
#include "provider.h"

enum outcome
llm_fail(struct llm_call *c, int rc)
{
	c->rc = rc;
	return OUT_FAIL;
}

/* A retryable failure; err already holds the message for the last try. */
static enum outcome
retry(struct llm_call *c, char *reason, long wait_ms)
{
	free(c->reason);
	c->reason = reason;
	c->wait_ms = wait_ms;
	c->rc = RN_ENET;
	return OUT_RETRY;
}

static const char *
after_attempts(const struct llm_call *c, char *tmp, size_t len)
{
	if (c->attempt <= 1) {
		tmp[0] = '\0';
		return tmp;
	}
	rn_fail(tmp, len, 0, " after %d attempts", c->attempt);
	return tmp;
}

/* "http://127.0.0.1:9" for the messages: where we tried to go. */
static char *
url_origin(const char *url, bool host_only)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *out;

	if (u == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		out = xstrdup(url);
	else if (host_only)
		out = xstrdup(host);
	else
		out = xasprintf("%s://%s:%s", scheme, host, port);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return out;
}

static const char *
errno_words(long e)
{
	switch (e) {
	case ECONNREFUSED:
		return "connection refused";
	case ETIMEDOUT:
		return "timed out";
	case ENETUNREACH:
		return "network unreachable";
	case EHOSTUNREACH:
		return "host unreachable";
	case EADDRNOTAVAIL:
		return "address not available";
	}
	return NULL;
}

/* curl's own words for a failure, cleaned. */
static char *
curl_words(const struct attempt *at, CURLcode cc)
{
	const char *s = at->errbuf[0] != '\0' ? at->errbuf :
	    curl_easy_strerror(cc);

	return llm_clean_message(s, strlen(s), NULL);
}

static enum outcome
judge_connect(struct attempt *at, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	char *origin = url_origin(at->url, false), *words = NULL;
	const char *why;
	long os_errno = 0;

	curl_easy_getinfo(at->easy, CURLINFO_OS_ERRNO, &os_errno);
	if ((why = errno_words(os_errno)) == NULL)
		why = words = curl_words(at, CURLE_COULDNT_CONNECT);
	rn_fail(err, errlen, RN_ENET, "%s: could not connect to %s (%s)%s",
	    c->pv->name, origin, why, c->pv->id == LLM_OLLAMA ?
	    "; is Ollama running? (ollama serve)" : "");
	free(origin);
	free(words);
	return llm_fail(c, RN_ENET);
}

static enum outcome
judge_timeout(struct attempt *at, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	curl_off_t connected = 0;
	char *origin;

	curl_easy_getinfo(at->easy, CURLINFO_CONNECT_TIME_T, &connected);
	if (connected == 0) {
		origin = url_origin(at->url, false);
		rn_fail(err, errlen, RN_ENET,
		    "%s: could not connect to %s within %ld s", c->pv->name,
		    origin, c->connect_timeout);
		free(origin);
	} else
		rn_fail(err, errlen, RN_ENET,
		    "%s: no complete reply within %ld s (the limit for one "
		    "attempt)", c->pv->name, c->total_timeout);
	return llm_fail(c, RN_ENET);
}

/* The connection broke: worth another try while nothing was shown. */
static enum outcome
judge_broken(struct attempt *at, CURLcode cc, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	char *words = curl_words(at, cc), tmp[48];

	if (at->sink.delivered > 0) {
		rn_fail(err, errlen, RN_ENET, "%s: the connection broke "
		    "mid-reply after %zu characters (%s)", c->pv->name,
		    at->sink.chars, words);
		free(words);
		return llm_fail(c, RN_ENET);
	}
	rn_fail(err, errlen, RN_ENET, "%s: the connection was reset%s (%s)",
	    c->pv->name, after_attempts(c, tmp, sizeof tmp), words);
	free(words);
	return retry(c, xstrdup("the connection was reset"), -1);
}

static enum outcome
judge_tls(struct attempt *at, CURLcode cc, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	char *host = url_origin(at->url, true), *words = curl_words(at, cc);

	if (cc == CURLE_SSL_CACERT_BADFILE)
		rn_fail(err, errlen, RN_ENET, "%s: could not read the CA "
		    "bundle (CURL_CA_BUNDLE / SSL_CERT_FILE): %s",
		    c->pv->name, words);
	else if (cc == CURLE_PEER_FAILED_VERIFICATION)
		rn_fail(err, errlen, RN_ENET, "%s: TLS certificate problem "
		    "with %s: %s; behind a proxy with its own CA, set "
		    "CURL_CA_BUNDLE or SSL_CERT_FILE", c->pv->name, host,
		    words);
	else
		rn_fail(err, errlen, RN_ENET, "%s: the TLS handshake with %s "
		    "failed: %s", c->pv->name, host, words);
	free(host);
	free(words);
	return llm_fail(c, RN_ENET);
}

static enum outcome
judge_transport(struct attempt *at, CURLcode cc, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	const char *n = c->pv->name;
	char *s;

	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		return judge_timeout(at, err, errlen);
	case CURLE_COULDNT_CONNECT:
		return judge_connect(at, err, errlen);
	case CURLE_COULDNT_RESOLVE_HOST:
		s = url_origin(at->url, true);
		rn_fail(err, errlen, RN_ENET, "%s: could not resolve host "
		    "'%s'; check the base URL and the network", n, s);
		free(s);
		return llm_fail(c, RN_ENET);
	case CURLE_COULDNT_RESOLVE_PROXY:
		rn_fail(err, errlen, RN_ENET, "%s: could not resolve the proxy "
		    "host; check HTTPS_PROXY / ALL_PROXY", n);
		return llm_fail(c, RN_ENET);
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		rn_fail(err, errlen, RN_ENET, "%s: '%s' is not an http:// or "
		    "https:// URL; check the base URL", n, at->url);
		return llm_fail(c, RN_ENET);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return judge_tls(at, cc, err, errlen);
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return judge_broken(at, cc, err, errlen);
	default:
		s = curl_words(at, cc);
		rn_fail(err, errlen, RN_ENET, "%s: network error: %s", n, s);
		free(s);
		return llm_fail(c, RN_ENET);
	}
}

static char *
retry_reason(long status)
{
	switch (status) {
	case 429:
		return xstrdup("rate limited (429)");
	case 529:
		return xstrdup("the server is overloaded (529)");
	case 408:
		return xstrdup("the server timed out (408)");
	}
	return xasprintf("server error (%ld)", status);
}

/*
 * A refusal the request can do without: the schema, or a parameter this
 * model does not take.  Sets the flag for the next send; each only once.
 */
/*
 * Anthropic's words when max_tokens is above the model's output limit:
 * "max_tokens: 16384 > 8192, which is the maximum allowed number of
 * output tokens for claude-...".  The limit, or 0.
 */
static long
output_limit(const struct llm_call *c, long status,
    const struct llm_error_info *e)
{
	long asked, limit;

	if (c->pv->id != LLM_ANTHROPIC || status != 400 || e->message == NULL ||
	    c->p->max_tokens > 0 || c->max_tokens_cap > 0 ||
	    strstr(e->message, "maximum allowed number of output tokens") ==
	    NULL || sscanf(e->message, "max_tokens: %ld > %ld", &asked,
	    &limit) != 2)
		return 0;
	/* Only a limit below what this request asked for is about it. */
	if (asked != llm_max_tokens(c->p, c->req) || limit <= 0 ||
	    limit >= asked)
		return 0;
	return limit;
}

static bool
fixable(struct llm_call *c, long status, const struct llm_error_info *e)
{
	long limit;
	unsigned fix;
	const char *notice = NULL;

	if (c->listing)
		return false;
	if (c->p->json_schema != NULL && !(c->flags & LLM_BUILD_NO_SCHEMA) &&
	    c->pv->schema_rejected(status, e)) {
		c->flags |= LLM_BUILD_NO_SCHEMA;
		notice = "the server refused the JSON schema; asking again "
		    "without it";
	} else if ((limit = output_limit(c, status, e)) > 0) {
		/* The note's budget is more than this model may write. */
		c->max_tokens_cap = limit;
		notice = "the model writes fewer tokens than the note's budget; "
		    "asking again with its limit";
	} else if (status == 400 && c->pv->param_fix != NULL &&
	    (fix = c->pv->param_fix(e)) != 0 && !(c->flags & fix)) {
		c->flags |= fix;
		notice = fix == LLM_BUILD_MAX_COMPLETION ? "the model wants "
		    "max_completion_tokens instead of max_tokens; asking again" :
		    "the model takes no temperature; asking again without it";
	}
	if (notice != NULL)
		llm_report(c, NULL, 0, notice);
	return notice != NULL;
}

static enum outcome
judge_status(struct attempt *at, long status, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	struct llm_error_info e;
	enum outcome out;
	bool again;
	char *base;

	llm_error_parse(at->body.data, at->body.len, at->content_type,
	    c->p->api_key, &e);
	if (status >= 200 && status < 300) {
		rn_fail(err, errlen, RN_ENET, "%s: the server returned an HTML "
		    "page instead of a reply (%ld); check the base URL",
		    c->pv->name, status);
		out = llm_fail(c, RN_ENET);
	} else if (fixable(c, status, &e)) {
		out = OUT_RESEND;
	} else if (c->listing && status == 404) {
		base = url_origin(at->url, false);
		rn_fail(err, errlen, RN_ENET, "%s: the server at %s lists no "
		    "models (404); set the model with RUSTNOTE_MODEL or --model",
		    c->pv->name, base);
		free(base);
		out = llm_fail(c, RN_ENET);
	} else {
		again = llm_status_retryable(status, &e, at->should_retry);
		llm_status_message(c->pv, c->p, status, &e,
		    again ? c->attempt : 1, err, errlen);
		out = again ? retry(c, retry_reason(status),
		    llm_parse_retry_after(at->retry_after, at->retry_after_ms,
		    time(NULL))) : llm_fail(c, RN_ENET);
	}
	llm_error_info_free(&e);
	return out;
}

/* The provider reported an error inside a 2xx reply. */
static enum outcome
judge_reply_error(struct attempt *at, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	const struct llm_error_info *e = &at->sink.error;
	const char *what = e->type != NULL ? e->type :
	    e->code != NULL ? e->code : "an error";
	const char *msg = e->message != NULL ? e->message : "(no message)";
	char tmp[48];

	if (at->sink.delivered > 0) {
		rn_fail(err, errlen, RN_ENET, "%s: the reply broke off after "
		    "%zu characters with %s: %s", c->pv->name, at->sink.chars,
		    what, msg);
		return llm_fail(c, RN_ENET);
	}
	rn_fail(err, errlen, RN_ENET, "%s: the server reported %s%s: %s",
	    c->pv->name, what, after_attempts(c, tmp, sizeof tmp), msg);
	if (!llm_stream_error_retryable(e))
		return llm_fail(c, RN_ENET);
	return retry(c, xasprintf("the server reported %s", what), -1);
}

static enum outcome
judge_event(struct attempt *at, int ev, char *err, size_t errlen)
{
	struct llm_call *c = at->call;
	char tmp[48];

	switch (ev) {
	case LLM_EV_DONE:
		return OUT_OK;
	case LLM_EV_TOOBIG:
		rn_fail(err, errlen, RN_ENET, "%s: the reply is larger than "
		    "%zu MiB; stopped reading", c->pv->name,
		    LLM_MAX_REPLY >> 20);
		return llm_fail(c, RN_ENET);
	case LLM_EV_BAD:
		rn_fail(err, errlen, RN_ENET, "%s: could not read the reply: %s",
		    c->pv->name, at->sink.error.message != NULL ?
		    at->sink.error.message : "unknown format");
		return llm_fail(c, RN_ENET);
	case LLM_EV_ERROR:
		return judge_reply_error(at, err, errlen);
	}
	/* The stream ended without its end marker. */
	if (at->sink.finished)
		return OUT_OK;	/* servers that skip [DONE] */
	if (at->sink.delivered > 0) {
		rn_fail(err, errlen, RN_ENET, "%s: the connection closed "
		    "mid-reply after %zu characters", c->pv->name,
		    at->sink.chars);
		return llm_fail(c, RN_ENET);
	}
	rn_fail(err, errlen, RN_ENET, "%s: the server closed the connection "
	    "without a reply%s", c->pv->name,
	    after_attempts(c, tmp, sizeof tmp));
	return retry(c, xstrdup("the server sent no reply"), -1);
}

static enum outcome
judge_stop(struct attempt *at, char *err, size_t errlen)
{
	struct llm_call *c = at->call;

	if (at->stop == STOP_CANCEL) {
		rn_fail(err, errlen, RN_ECANCEL, "cancelled");
		return llm_fail(c, RN_ECANCEL);
	}
	if (at->stop == STOP_FIRST_BYTE)
		rn_fail(err, errlen, RN_ENET, "%s: no reply within %ld s of "
		    "asking; the model may still be loading or thinking "
		    "(raise first_byte_timeout)", c->pv->name,
		    c->first_byte_timeout);
	else if (at->stop == STOP_STALL)
		rn_fail(err, errlen, RN_ENET, "%s: no data for %ld s; the "
		    "server stalled%s (stall_timeout)", c->pv->name,
		    c->stall_timeout, at->sink.delivered > 0 ? " mid-reply" :
		    "");
	else
		rn_fail(err, errlen, RN_ENET, "%s: the reply is larger than "
		    "%zu MiB; stopped reading", c->pv->name,
		    LLM_MAX_BODY >> 20);
	return llm_fail(c, RN_ENET);
}

/* The model said no instead of answering: a reply, but no review. */
static enum outcome
judge_refusal(struct attempt *at, char *err, size_t errlen)
{
	struct llm_sink *s = &at->sink;
	struct buf *why = s->refusal.len > 0 ? &s->refusal : &s->reply->text;
	char *text = llm_clean_message(why->data != NULL ? why->data : "",
	    why->len, s->secret);

	rn_fail(err, errlen, RN_EREPLY, "%s: the model refused: %s",
	    at->call->pv->name, *text != '\0' ? text : "(no reason given)");
	free(text);
	return llm_fail(at->call, RN_EREPLY);
}

/* A complete reply: pass on what was held back, then look at it. */
static enum outcome
judge_done(struct attempt *at, enum outcome out, char *err, size_t errlen)
{
	if (out != OUT_OK)
		return out;
	if (llm_sink_end(&at->sink) != LLM_EV_MORE)
		return judge_event(at, LLM_EV_TOOBIG, err, errlen);
	if (at->sink.refused || at->sink.refusal.len > 0)
		return judge_refusal(at, err, errlen);
	return OUT_OK;
}

/* The model list of a 2xx reply. */
static enum outcome
judge_models(struct attempt *at, char *err, size_t errlen)
{
	struct llm_call *c = at->call;

	if (llm_models_parse(c->pv, at->body.data, at->body.len, c->models,
	    c->nmodels) == RN_OK)
		return OUT_OK;
	rn_fail(err, errlen, RN_ENET, "%s: could not read the model list "
	    "from %s", c->pv->name, at->url);
	return llm_fail(c, RN_ENET);
}

enum outcome
llm_judge(struct attempt *at, CURLcode cc, char *err, size_t errlen)
{
	long status = 0;
	int ev;

	if (at->stop != STOP_NONE)
		return judge_stop(at, err, errlen);
	if (at->ev != LLM_EV_MORE)
		return judge_done(at, judge_event(at, at->ev, err, errlen), err,
		    errlen);
	if (cc != CURLE_OK)
		return judge_transport(at, cc, err, errlen);
	curl_easy_getinfo(at->easy, CURLINFO_RESPONSE_CODE, &status);
	if (at->mode == BODY_ERROR || status < 200 || status >= 300)
		return judge_status(at, status, err, errlen);
	if (at->call->listing)
		return judge_models(at, err, errlen);
	switch (at->mode) {
	case BODY_WHOLE:
		ev = at->call->pv->on_body(&at->sink, buf_str(&at->body),
		    at->body.len);
		break;
	case BODY_STREAM:
		ev = sse_finish(&at->parser);
		if (ev == SSE_ETOOBIG)
			ev = LLM_EV_TOOBIG;
		break;
	default:		/* a 2xx with an empty body */
		ev = LLM_EV_MORE;
		break;
	}
	return judge_done(at, judge_event(at, ev, err, errlen), err, errlen);
}

