/*
 * llm_provider.c - what the wire formats share: requests, the reply sink,
 * error bodies, retry timing and the messages a learner reads.
 *
 * Everything here is pure (no network), so it is unit tested directly.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/provider.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#define OLLAMA_PORT "11434"

const struct llm_provider *
llm_provider_get(enum llm_provider_id id)
{
	switch (id) {
	case LLM_OPENAI:
		return &llm_openai;
	case LLM_ANTHROPIC:
		return &llm_anthropic;
	case LLM_OLLAMA:
		return &llm_ollama;
	}
	return NULL;
}

/* --- requests ------------------------------------------------------------ */

void
llm_http_free(struct llm_http *h)
{
	size_t i;

	for (i = 0; i < h->nheaders; i++) {
		/* A header may hold the key: leave no copy in freed memory. */
		explicit_bzero(h->headers[i], strlen(h->headers[i]));
		free(h->headers[i]);
	}
	free(h->headers);
	free(h->url);
	free(h->body);
	memset(h, 0, sizeof *h);
}

void
llm_http_header(struct llm_http *h, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, 0);
	va_start(ap, fmt);
	if (buf_vprintf(&b, fmt, ap) != 0)
		fatal("header too long");
	va_end(ap);
	h->headers = xreallocarray(h->headers, h->nheaders + 1,
	    sizeof *h->headers);
	h->headers[h->nheaders++] = buf_steal(&b);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
llm_key_header(struct llm_http *h, const char *prefix, const char *key,
    const struct llm_provider *pv, char *err, size_t errlen)
{
	const char *start, *end, *s;

	if (key == NULL)
		return RN_OK;
	start = key;
	while (is_blank(*start))
		start++;
	end = start + strlen(start);
	while (end > start && is_blank(end[-1]))
		end--;
	if (end == start)
		return RN_OK;
	for (s = start; s < end; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return rn_fail(err, errlen, RN_EUSAGE,
			    "%s: the API key holds a control character "
			    "(a pasted line break?); check RUSTNOTE_API_KEY "
			    "or %s", pv->name, pv->key_env);
	}
	llm_http_header(h, "%s%.*s", prefix, (int)(end - start), start);
	return RN_OK;
}

static bool
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

char *
llm_url_join(const char *base, const char *path)
{
	size_t len = strlen(base);

	while (len > 0 && base[len - 1] == '/')
		len--;
	if (ends_with(base, len, path))
		return xstrndup(base, len);
	return xasprintf("%.*s%s", (int)len, base, path);
}

const char *
llm_base_url(const struct llm_params *p, enum llm_provider_id id)
{
	if (p->base_url != NULL && *p->base_url != '\0')
		return p->base_url;
	return llm_default_base_url(id);
}

/* Split "host:port", "[v6]:port", "host" or a bare IPv6 address. */
static void
split_host_port(const char *hp, size_t len, char **host, char **port)
{
	const char *colon, *close;

	*port = NULL;
	if (len > 0 && hp[0] == '[' &&
	    (close = memchr(hp, ']', len)) != NULL) {
		*host = xstrndup(hp + 1, (size_t)(close - hp - 1));
		if (close + 1 < hp + len && close[1] == ':')
			*port = xstrndup(close + 2,
			    (size_t)(hp + len - close - 2));
		return;
	}
	colon = memchr(hp, ':', len);
	if (colon != NULL && memchr(colon + 1, ':',
	    (size_t)(hp + len - colon - 1)) == NULL) {
		*host = xstrndup(hp, (size_t)(colon - hp));
		*port = xstrndup(colon + 1, (size_t)(hp + len - colon - 1));
		return;
	}
	*host = xstrndup(hp, len);
}

/* A wildcard listen address names no host to connect to. */
static const char *
connectable_host(const char *host)
{
	if (*host == '\0' || strcmp(host, "0.0.0.0") == 0)
		return "127.0.0.1";
	if (strcmp(host, "::") == 0)
		return "::1";
	return host;
}

char *
llm_ollama_base(const char *value)
{
	const char *s, *rest, *sep, *slash, *path, *h;
	const char *defport = OLLAMA_PORT, *port;
	char *scheme, *host, *portbuf, *out;
	size_t len, pathlen;

	s = value != NULL ? value : "";
	while (is_blank(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if ((sep = strstr(s, "://")) != NULL && sep < s + len) {
		scheme = xstrndup(s, (size_t)(sep - s));
		rest = sep + 3;
		/* As Ollama does: an explicit scheme brings its own port. */
		if (strcasecmp(scheme, "https") == 0)
			defport = "443";
		else if (strcasecmp(scheme, "http") == 0)
			defport = "80";
	} else {
		scheme = xstrdup("http");
		rest = s;
	}
	len -= (size_t)(rest - s);
	slash = memchr(rest, '/', len);
	path = slash != NULL ? slash : rest + len;
	pathlen = (size_t)(rest + len - path);
	while (pathlen > 0 && path[pathlen - 1] == '/')
		pathlen--;
	split_host_port(rest, (size_t)(path - rest), &host, &portbuf);
	port = portbuf != NULL && *portbuf != '\0' ? portbuf : defport;
	h = connectable_host(host);
	out = xasprintf(strchr(h, ':') != NULL ? "%s://[%s]:%s%.*s" :
	    "%s://%s:%s%.*s", scheme, h, port, (int)pathlen, path);
	free(scheme);
	free(host);
	free(portbuf);
	return out;
}

/* --- JSON ---------------------------------------------------------------- */

const char *
llm_json_str(const struct cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

long
llm_json_long(const struct cJSON *obj, const char *key, long dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
	    v->valuedouble < 0 || v->valuedouble > 1e15)
		return dflt;
	return (long)v->valuedouble;
}

static cJSON *
json_message(const char *role, const char *content)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "role", role);
	cJSON_AddStringToObject(m, "content", content != NULL ? content : "");
	return m;
}

struct cJSON *
llm_json_messages(const struct llm_request *req, bool with_system)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL)
		fatal("out of memory");
	if (with_system && req->system != NULL && *req->system != '\0')
		cJSON_AddItemToArray(a, json_message("system", req->system));
	cJSON_AddItemToArray(a, json_message("user", req->user));
	return a;
}

char *
llm_json_finish(struct cJSON *root)
{
	char *s, *out;

	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (s == NULL)
		fatal("out of memory");
	out = xstrdup(s);
	cJSON_free(s);
	return out;
}

/* --- the sink ------------------------------------------------------------ */

void
llm_sink_init(struct llm_sink *s, struct llm_reply *r,
    const struct llm_callbacks *cb, const char *secret)
{
	memset(s, 0, sizeof *s);
	s->reply = r;
	if (cb != NULL) {
		s->on_text = cb->on_text;
		s->ud = cb->ud;
	}
	s->secret = secret;
}

void
llm_sink_free(struct llm_sink *s)
{
	llm_error_info_free(&s->error);
	llm_chunk_tpl_free(&s->tpl);
}

static size_t
count_chars(const char *p, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			c++;
	}
	return c;
}

int
llm_sink_text(struct llm_sink *s, const char *p, size_t n)
{
	if (n == 0)
		return LLM_EV_MORE;
	if (buf_add(&s->reply->text, p, n) != 0)
		return LLM_EV_TOOBIG;
	s->delivered += n;
	s->chars += count_chars(p, n);
	if (s->on_text != NULL)
		s->on_text(s->ud, p, n);
	return LLM_EV_MORE;
}

void
llm_sink_model(struct llm_sink *s, const char *model)
{
	if (model == NULL || *model == '\0' || s->reply->model != NULL)
		return;
	s->reply->model = llm_clean_message(model, strlen(model), NULL);
}

void
llm_sink_finish(struct llm_sink *s, enum llm_finish f)
{
	s->reply->finish = f;
	s->finished = true;
}

static char *
clean_or_null(const char *s, const char *secret)
{
	return s != NULL ? llm_clean_message(s, strlen(s), secret) : NULL;
}

int
llm_sink_error(struct llm_sink *s, int result, const char *message,
    const char *type, const char *code)
{
	llm_error_info_free(&s->error);
	s->error.message = clean_or_null(message, s->secret);
	s->error.type = clean_or_null(type, s->secret);
	s->error.code = clean_or_null(code, s->secret);
	s->error.json = true;
	return result;
}

int
llm_sink_error_reply(struct llm_sink *s, const char *data, size_t len)
{
	llm_error_info_free(&s->error);
	llm_error_parse(data, len, NULL, s->secret, &s->error);
	/* A reply that is an error must still say something. */
	if (s->error.message == NULL)
		s->error.message = xstrdup("(no message)");
	return LLM_EV_ERROR;
}

void
llm_sink_usage(struct llm_sink *s, const cJSON *obj, const char *in_key,
    const char *out_key)
{
	if (!cJSON_IsObject(obj))
		return;
	/* A count the reply leaves out keeps what an earlier part said. */
	s->reply->input_tokens = llm_json_long(obj, in_key,
	    s->reply->input_tokens);
	s->reply->output_tokens = llm_json_long(obj, out_key,
	    s->reply->output_tokens);
}

void
llm_sink_reason(struct llm_sink *s, const cJSON *obj, const char *key,
    llm_finish_fn map)
{
	const char *reason = llm_json_str(obj, key);

	if (reason != NULL)
		llm_sink_finish(s, map(reason));
}

/* --- reading a reply ----------------------------------------------------- */

bool
llm_has_error(const cJSON *root)
{
	return cJSON_GetObjectItemCaseSensitive(root, "error") != NULL;
}

int
llm_read_body(struct llm_sink *s, const char *body, size_t len,
    llm_is_error_fn is_error, llm_read_fn reader)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	int rc;

	if (!cJSON_IsObject(root))
		rc = llm_sink_error(s, LLM_EV_BAD, "the reply is not JSON",
		    NULL, NULL);
	else if (is_error(root))
		rc = llm_sink_error_reply(s, body, len);
	else
		rc = reader(s, root);
	cJSON_Delete(root);
	return rc;
}

/* --- chunk templates ----------------------------------------------------- */

/*
 * Chunks offered while the template had matched nothing: after that many
 * the chunks all differ (a random "obfuscation" field, a clock), and
 * offering more only costs a second parse each.
 */
#define TPL_MAX_WASTED 4

void
llm_chunk_tpl_free(struct llm_chunk_tpl *t)
{
	int wasted = t->wasted;

	free(t->event);
	free(t->head);
	free(t->tail);
	cJSON_Delete(t->decoded);
	memset(t, 0, sizeof *t);
	t->wasted = wasted;
}

/*
 * Length of the JSON string token at s[0..n) ('"' to its closing '"'), or
 * 0 when s does not start with a complete one.  *escaped tells whether it
 * holds a backslash.
 */
static size_t
string_token(const char *s, size_t n, bool *escaped)
{
	size_t i;

	*escaped = false;
	if (n == 0 || s[0] != '"')
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] == '\\') {
			*escaped = true;
			i++;
		} else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

static size_t
skip_json_space(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/*
 * Is data[at..at+n) the text string of the chunk?  The chunk is parsed
 * again with "#" (or "##") there: its text must then be that and all
 * else equal to root.  A "key": "value" lookalike inside some other
 * string fails this, so no guess about the bytes is ever trusted.
 */
static bool
tpl_check(const char *data, size_t len, size_t at, size_t n,
    const cJSON *root, const cJSON *text, llm_text_item_fn text_item)
{
	const char *mark = strcmp(text->valuestring, "#") == 0 ? "##" : "#";
	struct buf b;
	cJSON *probe, *item;
	bool ok;

	buf_init(&b, 0);
	buf_add(&b, data, at);
	buf_printf(&b, "\"%s\"", mark);
	buf_add(&b, data + at + n, len - at - n);
	probe = cJSON_ParseWithLength(b.data, b.len);
	buf_free(&b);
	item = probe != NULL ? text_item(probe) : NULL;
	ok = cJSON_IsString(item) && strcmp(item->valuestring, mark) == 0 &&
	    cJSON_SetValuestring(item, text->valuestring) != NULL &&
	    cJSON_Compare(probe, root, true);
	cJSON_Delete(probe);
	return ok;
}

/* Where the text string lies in data: the value of some "key". */
static bool
tpl_find(const char *data, size_t len, const char *key, const cJSON *root,
    const cJSON *text, llm_text_item_fn text_item, size_t *at, size_t *n)
{
	size_t klen = strlen(key), i, off = 0;
	const char *p;
	bool escaped;

	while ((p = memmem(data + off, len - off, key, klen)) != NULL) {
		off = (size_t)(p - data) + 1;
		if (p == data || p[-1] != '"' || (size_t)(p - data) + klen >=
		    len || p[klen] != '"')
			continue;
		i = skip_json_space(data, (size_t)(p - data) + klen + 1, len);
		if (i >= len || data[i] != ':')
			continue;
		i = skip_json_space(data, i + 1, len);
		*at = i;
		*n = string_token(data + i, len - i, &escaped);
		if (*n > 0 && tpl_check(data, len, *at, *n, root, text,
		    text_item))
			return true;
	}
	return false;
}

static char *
copy_bytes(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

void
llm_chunk_tpl_offer(struct llm_chunk_tpl *t, const char *event,
    const char *data, size_t len, cJSON *root, const char *key,
    llm_text_item_fn text_item)
{
	cJSON *text = text_item(root);
	size_t at, n;

	if (!cJSON_IsString(text) || t->wasted >= TPL_MAX_WASTED)
		return;
	if (t->set && t->hits == 0)
		t->wasted++;
	if (t->wasted >= TPL_MAX_WASTED ||
	    !tpl_find(data, len, key, root, text, text_item, &at, &n))
		return;
	llm_chunk_tpl_free(t);
	t->event = event != NULL ? xstrdup(event) : NULL;
	t->headlen = at;
	t->head = copy_bytes(data, at);
	t->taillen = len - at - n;
	t->tail = copy_bytes(data + at + n, t->taillen);
	t->set = true;
}

static bool
same_event(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The value of the string token s[0..n), as a parse of the chunk gives it:
 * cJSON copies the bytes of a string without a backslash as they are (the
 * C string ends at a NUL, if any), so only one with escapes is parsed.
 */
static bool
tpl_text(struct llm_chunk_tpl *t, const char *s, size_t n, bool escaped,
    const char **text, size_t *len)
{
	if (!escaped) {
		*text = s + 1;
		*len = strnlen(s + 1, n - 2);
		return true;
	}
	cJSON_Delete(t->decoded);
	t->decoded = cJSON_ParseWithLength(s, n);
	if (!cJSON_IsString(t->decoded))
		return false;
	*text = t->decoded->valuestring;
	*len = strlen(*text);
	return true;
}

bool
llm_chunk_tpl_match(struct llm_chunk_tpl *t, const char *event,
    const char *data, size_t len, const char **text, size_t *n)
{
	const char *s;
	size_t slen;
	bool escaped;

	if (!t->set || len < t->headlen + t->taillen ||
	    memcmp(data, t->head, t->headlen) != 0 ||
	    memcmp(data + len - t->taillen, t->tail, t->taillen) != 0 ||
	    !same_event(event, t->event))
		return false;
	s = data + t->headlen;
	slen = len - t->headlen - t->taillen;
	if (string_token(s, slen, &escaped) != slen ||
	    !tpl_text(t, s, slen, escaped, text, n))
		return false;
	t->hits++;
	return true;
}

/* --- errors -------------------------------------------------------------- */

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
		e->message = clean_or_null(llm_json_str(inner, "message"),
		    secret);
		e->type = clean_or_null(llm_json_str(inner, "type"), secret);
		e->code = clean_or_null(llm_json_str(inner, "code"), secret);
		e->param = clean_or_null(llm_json_str(inner, "param"), secret);
		return;
	}
	if (cJSON_IsString(inner))
		msg = inner->valuestring;
	else if ((msg = llm_json_str(root, "message")) == NULL)
		msg = llm_json_str(root, "detail");
	e->message = clean_or_null(msg, secret);
	if (!cJSON_IsString(inner))
		e->type = clean_or_null(llm_json_str(root, "type"), secret);
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
llm_status_retryable(long status, const struct llm_error_info *e)
{
	switch (status) {
	case 429:
		/* Out of quota: waiting will not help. */
		return e == NULL || !llm_error_is(e, "insufficient_quota");
	case 408: case 409: case 500: case 502: case 503: case 504: case 529:
		return true;
	}
	return false;
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

/* ": <provider message>", ": the server returned an HTML error page", "" */
static char *
detail(const struct llm_error_info *e)
{
	if (e->message != NULL && *e->message != '\0')
		return xasprintf(": %s", e->message);
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

static int
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

int
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
