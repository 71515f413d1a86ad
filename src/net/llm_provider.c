/*
 * llm_provider.c - what the wire formats share when they build a request:
 * the provider table, headers (the key among them), URLs, the Ollama host
 * and JSON helpers.  The reply sink is in llm_sink.c; error bodies, retry
 * rules and messages in llm_errors.c.
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
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/util.h"

#include "provider.h"

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

enum rn_status
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
	const char *query = strchr(base, '?');
	size_t len = query != NULL ? (size_t)(query - base) : strlen(base);

	if (query == NULL)
		query = "";
	while (len > 0 && base[len - 1] == '/')
		len--;
	if (ends_with(base, len, path))
		return xasprintf("%.*s%s", (int)len, base, query);
	return xasprintf("%.*s%s%s", (int)len, base, path, query);
}

const char *
llm_base_url(const struct llm_params *p, enum llm_provider_id id)
{
	if (p->base_url != NULL && *p->base_url != '\0')
		return p->base_url;
	return config_default_url(id);
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
	/* Ollama's own reading of the bare name of its cloud. */
	if (len == 10 && strncmp(s, "ollama.com", 10) == 0)
		return xstrdup("https://ollama.com:443");
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
