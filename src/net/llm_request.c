/*
 * llm_request.c - request details that depend on the server or the
 * prompt: which header carries the key, and how many tokens to ask for.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "provider.h"
#include "rustnote/util.h"

/* Bytes of prompt text per token: a little under English's 4, for code. */
#define BYTES_PER_TOKEN 3.5
#define REPLY_BUDGET_MIN 4096L
#define REPLY_BUDGET_MAX 16384L

/* The host of url, lower case; NULL when it has none. */
static char *
url_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *out = NULL, *p;

	if (u == NULL)
		fatal("out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
	    CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		out = xstrdup(host);
		for (p = out; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	curl_free(host);
	curl_url_cleanup(u);
	return out;
}

static bool
host_ends_with(const char *url, const char *suffix)
{
	char *host = url_host(url);
	size_t n = host != NULL ? strlen(host) : 0, m = strlen(suffix);
	bool yes = n > m && strcmp(host + n - m, suffix) == 0;

	free(host);
	return yes;
}

bool
llm_is_azure(const char *url)
{
	return host_ends_with(url, ".openai.azure.com");
}

bool
llm_is_openai_com(const char *url)
{
	char *host = url_host(url);
	bool yes = host != NULL && strcmp(host, "api.openai.com") == 0;

	free(host);
	return yes;
}

/* A header name: letters, digits and '-' only (no way to inject one). */
static bool
valid_header_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	}
	return true;
}

enum rn_status
llm_auth_header(struct llm_http *h, const struct llm_params *p,
    const char *url, const struct llm_provider *pv, char *err,
    size_t errlen)
{
	const char *name = p->auth_header;
	char *prefix;
	int rc;

	if (name == NULL || *name == '\0')
		name = llm_is_azure(url) ? "api-key" : "authorization";
	if (strcasecmp(name, "authorization") == 0 ||
	    strcasecmp(name, "bearer") == 0)
		return llm_key_header(h, "Authorization: Bearer ", p->api_key,
		    pv, err, errlen);
	if (!valid_header_name(name))
		return rn_fail(err, errlen, RN_EUSAGE, "%s: auth_header '%s' "
		    "is not a header name", pv->name, name);
	prefix = xasprintf("%s: ", name);
	rc = llm_key_header(h, prefix, p->api_key, pv, err, errlen);
	free(prefix);
	return rc;
}

long
llm_prompt_tokens(const struct llm_request *req)
{
	size_t n = (req->system != NULL ? strlen(req->system) : 0) +
	    (req->user != NULL ? strlen(req->user) : 0);

	return (long)((double)n / BYTES_PER_TOKEN) + 1;
}

long
llm_reply_budget(long prompt_tokens)
{
	/* Findings grow with the note: a long note needs room to answer. */
	long b = REPLY_BUDGET_MIN + prompt_tokens / 2;

	return b < REPLY_BUDGET_MAX ? b : REPLY_BUDGET_MAX;
}

long
llm_max_tokens(const struct llm_params *p, const struct llm_request *req)
{
	if (p->max_tokens > 0)
		return p->max_tokens;
	return llm_reply_budget(llm_prompt_tokens(req));
}
