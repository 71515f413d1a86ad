/*
 * llm_errors.c - what a failed reply means: error bodies in the shapes
 * servers use, untrusted text made fit for a message, which failures are
 * worth another attempt, Retry-After and backoff, and the one-line
 * messages a learner reads.  Pure (no network), unit tested directly.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#include "provider.h"

void
llm_error_info_free(struct llm_error_info *e)
{
	free(e->message);
	free(e->type);
	free(e->code);
	free(e->param);
	memset(e, 0, sizeof *e);
}

bool
llm_error_is(const struct llm_error_info *e, const char *what)
{
	return (e->type != NULL && strcmp(e->type, what) == 0) ||
	    (e->code != NULL && strcmp(e->code, what) == 0);
}

/* Replace every copy of secret in the C string s by "***". */
static char *
mask_secret(char *s, const char *secret)
{
	size_t slen = secret != NULL ? strlen(secret) : 0;
	const char *p = s, *hit;
	struct buf b;

	if (slen < 4 || strstr(s, secret) == NULL)
		return s;
	buf_init(&b, 0);
	while ((hit = strstr(p, secret)) != NULL) {
		buf_add(&b, p, (size_t)(hit - p));
		buf_adds(&b, "***");
		p = hit + slen;
	}
	buf_adds(&b, p);
	free(s);
	return buf_steal(&b);
}

char *
llm_clean_message(const char *s, size_t len, const char *secret)
{
	char *t, *out;

	/* Mask after cleaning, so a key split by removed bytes is caught,
	 * and before cutting, so no part of it is left at the cut. */
	t = san_text(s, len, SAN_SQUEEZE, 4 * LLM_MAX_MESSAGE);
	t = mask_secret(t, secret);
	out = san_str(t, SAN_SQUEEZE, LLM_MAX_MESSAGE);
	free(t);
	return out;
}

char *
llm_clean_or_null(const char *s, const char *secret)
{
	return s != NULL ? llm_clean_message(s, strlen(s), secret) : NULL;
}

static bool
looks_like_html(const char *body, size_t len, const char *content_type)
{
	size_t i = 0;

	if (content_type != NULL && strcasestr(content_type, "html") != NULL)
		return true;
	while (i < len && isspace((unsigned char)body[i]))
		i++;
	return i < len && body[i] == '<';
}

static void
error_from_object(const cJSON *root, const char *secret,
    struct llm_error_info *e)
{
	const cJSON *inner = cJSON_GetObjectItemCaseSensitive(root, "error");
	const char *msg;

	if (cJSON_IsObject(inner)) {
		e->message = llm_clean_or_null(llm_json_str(inner, "message"),
		    secret);
		e->type = llm_clean_or_null(llm_json_str(inner, "type"), secret);
		e->code = llm_clean_or_null(llm_json_str(inner, "code"), secret);
		e->param = llm_clean_or_null(llm_json_str(inner, "param"), secret);
		return;
	}
	if (cJSON_IsString(inner))
		msg = inner->valuestring;
	else if ((msg = llm_json_str(root, "message")) == NULL)
		msg = llm_json_str(root, "detail");
	e->message = llm_clean_or_null(msg, secret);
	if (!cJSON_IsString(inner))
		e->type = llm_clean_or_null(llm_json_str(root, "type"), secret);
}

void
llm_error_parse(const char *body, size_t len, const char *content_type,
    const char *secret, struct llm_error_info *e)
{
	cJSON *root;

	memset(e, 0, sizeof *e);
	if (body == NULL || len == 0)
		return;
	root = cJSON_ParseWithLength(body, len);
	if (cJSON_IsObject(root)) {
		e->json = true;
		error_from_object(root, secret, e);
	} else if (looks_like_html(body, len, content_type)) {
		e->html = true;
	} else if (root == NULL) {
		/* Plain text, as some proxies send: show its start. */
		e->message = llm_clean_message(body, len, secret);
		if (*e->message == '\0') {
			free(e->message);
			e->message = NULL;
		}
	}
	cJSON_Delete(root);
}

/* --- retries ------------------------------------------------------------- */

bool
llm_status_retryable(long status, const struct llm_error_info *e,
    const char *should_retry)
{
	/* Out of quota: waiting will not help, whatever a header says. */
	if (e != NULL && llm_error_is(e, "insufficient_quota"))
		return false;
	if (should_retry != NULL && strcasecmp(should_retry, "true") == 0)
		return true;
	if (should_retry != NULL && strcasecmp(should_retry, "false") == 0)
		return false;
	return status == 408 || status == 409 || status == 429 ||
	    (status >= 500 && status <= 599);
}

bool
llm_stream_error_retryable(const struct llm_error_info *e)
{
	static const char *const transient[] = {
		"overloaded_error", "api_error", "rate_limit_error",
		"server_error"
	};
	size_t i;

	for (i = 0; i < sizeof transient / sizeof transient[0]; i++) {
		if (llm_error_is(e, transient[i]))
			return true;
	}
	return false;
}

/* A non-negative decimal number filling all of s but white space. */
static bool
parse_number(const char *s, double *out)
{
	char *end;
	double v;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < 0)
		return false;
	*out = v;
	return true;
}

static long
cap_wait(double ms)
{
	if (ms > (double)LLM_RETRY_AFTER_CAP_MS)
		return LLM_RETRY_AFTER_CAP_MS;
	return (long)ceil(ms);
}

static bool
parse_http_date(const char *s, time_t *out)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof tm);
	while (isspace((unsigned char)*s))
		s++;
	end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL)
		return false;
	*out = timegm(&tm);
	return *out != (time_t)-1;
}

long
llm_parse_retry_after(const char *retry_after, const char *retry_after_ms,
    time_t now)
{
	double v;
	time_t when;

	if (retry_after_ms != NULL && parse_number(retry_after_ms, &v))
		return cap_wait(v);
	if (retry_after == NULL)
		return -1;
	if (parse_number(retry_after, &v))
		return cap_wait(v * 1000.0);
	if (parse_http_date(retry_after, &when))
		return when <= now ? 0 : cap_wait(difftime(when, now) * 1000.0);
	return -1;
}

long
llm_backoff_ms(int next, long retry_after_ms, double jitter,
    long max_delay_ms)
{
	long step = LLM_BACKOFF_BASE_MS, d;
	int i;

	if (retry_after_ms >= 0) {
		d = retry_after_ms < LLM_RETRY_AFTER_CAP_MS ? retry_after_ms :
		    LLM_RETRY_AFTER_CAP_MS;
	} else {
		for (i = 2; i < next && step < LLM_BACKOFF_CAP_MS; i++)
			step *= 2;
		if (step > LLM_BACKOFF_CAP_MS)
			step = LLM_BACKOFF_CAP_MS;
		if (jitter < 0 || jitter >= 1)
			jitter = 0.5;
		d = (long)(jitter * (double)step);
	}
	if (max_delay_ms >= 0 && d > max_delay_ms)
		d = max_delay_ms;
	return d;
}

/* --- messages ------------------------------------------------------------ */

/* ": <provider message>", ": the server returned an HTML error page", "".
 * The message's own closing stop goes: ours follows ("...provided; check"). */
static char *
detail(const struct llm_error_info *e)
{
	size_t n;

	if (e->message != NULL && *e->message != '\0') {
		n = strlen(e->message);
		while (n > 0 && strchr(".;:,! \t", e->message[n - 1]) != NULL)
			n--;
		if (n > 0)
			return xasprintf(": %.*s", (int)n, e->message);
	}
	if (e->html)
		return xstrdup(": the server returned an HTML error page");
	return xstrdup("");
}

static bool
mentions_model(const struct llm_error_info *e)
{
	return llm_error_is(e, "model_not_found") ||
	    (e->message != NULL && strcasestr(e->message, "model") != NULL);
}

static enum rn_status
key_message(const struct llm_provider *pv, const struct llm_params *p,
    long status, const char *det, char *err, size_t errlen)
{
	const char *env = pv->key_env != NULL ? pv->key_env : "";
	const char *or = *env != '\0' ? " or " : "";

	if (p->api_key == NULL || *p->api_key == '\0')
		return rn_fail(err, errlen, RN_ENET,
		    "%s: the server wants an API key (%ld)%s; set "
		    "RUSTNOTE_API_KEY%s%s", pv->name, status, det, or, env);
	return rn_fail(err, errlen, RN_ENET,
	    "%s: the API key was rejected (%ld)%s; check RUSTNOTE_API_KEY%s%s",
	    pv->name, status, det, or, env);
}

static const char *
status_words(long status)
{
	switch (status) {
	case 408:
		return "the server timed out";
	case 409:
		return "conflict";
	case 429:
		return "rate limited";
	case 529:
		return "the server is overloaded";
	}
	return status >= 500 ? "server error" : "HTTP error";
}

enum rn_status
llm_status_message(const struct llm_provider *pv,
    const struct llm_params *p, long status, const struct llm_error_info *e,
    int attempts, char *err, size_t errlen)
{
	char *det = detail(e), *after = NULL;
	const char *n = pv->name, *base = llm_base_url(p, p->provider);
	int rc = RN_ENET;

	if (attempts > 1)
		after = xasprintf(" after %d attempts", attempts);
	if (status == 401 || status == 403)
		rc = key_message(pv, p, status, det, err, errlen);
	else if (status == 404 && mentions_model(e))
		rn_fail(err, errlen, rc, "%s: unknown model '%s' (404)%s", n,
		    p->model != NULL ? p->model : "", det);
	else if (status == 404)
		rn_fail(err, errlen, rc, "%s: nothing found at %s (404)%s; "
		    "check the base URL", n, base, det);
	else if (status == 400)
		rn_fail(err, errlen, rc, "%s: bad request (400)%s", n, det);
	else if (status == 413)
		rn_fail(err, errlen, rc, "%s: the request is too large (413)%s",
		    n, det);
	else if (status == 429 && llm_error_is(e, "insufficient_quota"))
		rn_fail(err, errlen, rc, "%s: quota exhausted (429)%s; check "
		    "the account's plan and billing", n, det);
	else if (status >= 300 && status < 400)
		rn_fail(err, errlen, rc, "%s: the server redirected (%ld); "
		    "check the base URL (%s)", n, status, base);
	else
		rn_fail(err, errlen, rc, "%s: %s (%ld)%s%s", n,
		    status_words(status), status, after != NULL ? after : "",
		    det);
	free(after);
	free(det);
	return rc;
}
