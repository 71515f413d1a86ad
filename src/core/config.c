/*
 * config.c - resolve which reviewer runs and how.
 *
 * Precedence, highest first: command-line flags, environment variables,
 * the config file, built-in defaults.  The API key never leaves this struct
 * except in the provider's request header.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/util.h"

#define CONFIG_MAX ((size_t)64 << 10)

static const char *const default_models[] = {
	[LLM_OPENAI] = "gpt-4.1-mini",
	[LLM_ANTHROPIC] = "claude-sonnet-4-5",
	[LLM_OLLAMA] = "llama3.1",
};

static void
set_str(char **dst, const char *value)
{
	free(*dst);
	*dst = value != NULL ? xstrdup(value) : NULL;
}

static void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->backend = CFG_OFFLINE;
	c->provider = -1;
	c->stream = true;
	c->use_cache = true;
	c->with_offline = true;
	c->temperature = -1;
	c->connect_timeout = 10;
	c->stall_timeout = 60;
	c->total_timeout = 600;
	c->max_attempts = 4;
}

static int
parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int
parse_bool(const char *v, bool *out)
{
	if (str_iequal(v, "true") || str_iequal(v, "yes") ||
	    str_iequal(v, "on") || strcmp(v, "1") == 0)
		*out = true;
	else if (str_iequal(v, "false") || str_iequal(v, "no") ||
	    str_iequal(v, "off") || strcmp(v, "0") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

/* Apply one "key = value" pair; -1 for a bad value, -2 for an unknown key. */
static int
config_set(struct config *c, const char *key, const char *v)
{
	long n = 0;
	char *end;

	if (strcmp(key, "provider") == 0)
		set_str(&c->provider_name, v);
	else if (strcmp(key, "model") == 0)
		set_str(&c->model, v);
	else if (strcmp(key, "base_url") == 0)
		set_str(&c->base_url, v);
	else if (strcmp(key, "api_key") == 0)
		set_str(&c->api_key, v);
	else if (strcmp(key, "stream") == 0)
		return parse_bool(v, &c->stream);
	else if (strcmp(key, "cache") == 0)
		return parse_bool(v, &c->use_cache);
	else if (strcmp(key, "offline_checks") == 0)
		return parse_bool(v, &c->with_offline);
	else if (strcmp(key, "stall_timeout") == 0)
		return parse_long(v, 1, 3600, &c->stall_timeout);
	else if (strcmp(key, "connect_timeout") == 0)
		return parse_long(v, 1, 600, &c->connect_timeout);
	else if (strcmp(key, "timeout") == 0)
		return parse_long(v, 1, 86400, &c->total_timeout);
	else if (strcmp(key, "max_attempts") == 0) {
		if (parse_long(v, 1, 10, &n) != 0)
			return -1;
		c->max_attempts = (int)n;
	} else if (strcmp(key, "max_tokens") == 0) {
		if (parse_long(v, 1, 1000000, &n) != 0)
			return -1;
		c->max_tokens = (int)n;
	} else if (strcmp(key, "temperature") == 0) {
		c->temperature = strtod(v, &end);
		if (end == v || *end != '\0' || c->temperature < 0 ||
		    c->temperature > 2)
			return -1;
	} else
		return -2;
	return 0;
}

/* Strip matching quotes around a value. */
static char *
unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

int
config_parse(const char *text, const char *name, struct config *out,
    char *err, size_t errlen)
{
	char *copy = xstrdup(text), *line, *next, *eq, *key, *val;
	int lineno = 0, rc = RN_OK, r;

	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		str_trim(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (eq == NULL) {
			rc = rn_fail(err, errlen, RN_EUSAGE,
			    "%s:%d: expected 'key = value'", name, lineno);
			goto out;
		}
		*eq = '\0';
		key = str_trim(line);
		val = unquote(str_trim(eq + 1));
		r = config_set(out, key, val);
		if (r == -2) {
			rc = rn_fail(err, errlen, RN_EUSAGE,
			    "%s:%d: unknown key '%s'", name, lineno, key);
			goto out;
		}
		if (r != 0) {
			rc = rn_fail(err, errlen, RN_EUSAGE,
			    "%s:%d: bad value for '%s'", name, lineno, key);
			goto out;
		}
	}
out:
	free(copy);
	return rc;
}

/* Read the config file, if any, into c; key_in_file says it held a key. */
static int
config_read_file(const struct config_flags *fl, struct config *c,
    bool *key_in_file, char *warn, size_t warnlen, char *err, size_t errlen)
{
	char *dir = NULL, *path, *text = NULL;
	struct stat st;
	int rc = RN_OK;

	if (fl->config_file != NULL)
		path = xstrdup(fl->config_file);
	else {
		dir = util_config_dir();
		path = util_path_join(dir, "config");
		if (!util_file_exists(path))
			goto out;
	}
	rc = util_read_file(path, CONFIG_MAX, &text, NULL, err, errlen);
	if (rc != RN_OK) {
		rc = RN_EUSAGE;
		goto out;
	}
	rc = config_parse(text, path, c, err, errlen);
	if (rc != RN_OK)
		goto out;
	set_str(&c->file, path);
	*key_in_file = c->api_key != NULL;
	if (*key_in_file && stat(path, &st) == 0 && (st.st_mode & 077) != 0)
		snprintf(warn, warnlen, "warning: %s holds an API key and is "
		    "readable by others; run: chmod 600 '%s'", path, path);
out:
	free(text);
	free(path);
	free(dir);
	return rc;
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Pick the provider name: flag, env, file, then whichever key is set. */
static void
choose_provider(const struct config_flags *fl, struct config *c)
{
	if (fl->offline)
		set_str(&c->provider_name, "offline");
	else if (fl->provider != NULL)
		set_str(&c->provider_name, fl->provider);
	else if (env("RUSTNOTE_PROVIDER") != NULL)
		set_str(&c->provider_name, env("RUSTNOTE_PROVIDER"));
	if (c->provider_name != NULL)
		return;
	if (env("RUSTNOTE_API_KEY") != NULL || env("OPENAI_API_KEY") != NULL)
		set_str(&c->provider_name, "openai");
	else if (env("ANTHROPIC_API_KEY") != NULL)
		set_str(&c->provider_name, "anthropic");
	else {
		set_str(&c->provider_name, "offline");
		c->auto_offline = true;
	}
}

/* The key: RUSTNOTE_API_KEY, the provider's own variable, the file. */
static void
choose_key(struct config *c, bool key_in_file)
{
	const char *own = c->provider == LLM_OPENAI ? "OPENAI_API_KEY" :
	    c->provider == LLM_ANTHROPIC ? "ANTHROPIC_API_KEY" : NULL;

	if (env("RUSTNOTE_API_KEY") != NULL) {
		set_str(&c->api_key, env("RUSTNOTE_API_KEY"));
		set_str(&c->key_source, "RUSTNOTE_API_KEY");
	} else if (own != NULL && env(own) != NULL) {
		set_str(&c->api_key, env(own));
		set_str(&c->key_source, own);
	} else if (key_in_file)
		set_str(&c->key_source, "config file");
}

int
config_resolve(const struct config_flags *fl, struct config *out,
    char *warn, size_t warnlen, char *err, size_t errlen)
{
	bool key_in_file = false;
	int rc, id;

	config_defaults(out);
	if (warnlen > 0)
		warn[0] = '\0';
	rc = config_read_file(fl, out, &key_in_file, warn, warnlen, err,
	    errlen);
	if (rc != RN_OK)
		return rc;
	choose_provider(fl, out);
	if (strcmp(out->provider_name, "offline") == 0) {
		out->backend = CFG_OFFLINE;
		out->with_offline = true;
		return RN_OK;
	}
	id = llm_provider_parse(out->provider_name);
	if (id < 0)
		return rn_fail(err, errlen, RN_EUSAGE, "unknown provider '%s' "
		    "(expected openai, anthropic, ollama or offline)",
		    out->provider_name);
	out->backend = CFG_LLM;
	out->provider = id;
	if (fl->model != NULL)
		set_str(&out->model, fl->model);
	else if (env("RUSTNOTE_MODEL") != NULL)
		set_str(&out->model, env("RUSTNOTE_MODEL"));
	if (out->model == NULL)
		set_str(&out->model, default_models[id]);
	if (fl->base_url != NULL)
		set_str(&out->base_url, fl->base_url);
	else if (env("RUSTNOTE_BASE_URL") != NULL)
		set_str(&out->base_url, env("RUSTNOTE_BASE_URL"));
	choose_key(out, key_in_file);
	if (fl->no_stream)
		out->stream = false;
	if (fl->no_cache)
		out->use_cache = false;
	if (fl->no_offline)
		out->with_offline = false;
	if (fl->stall_timeout > 0)
		out->stall_timeout = fl->stall_timeout;
	if (out->api_key == NULL && out->provider == LLM_ANTHROPIC)
		return rn_fail(err, errlen, RN_ENET, "anthropic: no API key; "
		    "set ANTHROPIC_API_KEY or RUSTNOTE_API_KEY");
	if (out->api_key == NULL && out->provider == LLM_OPENAI &&
	    out->base_url == NULL)
		return rn_fail(err, errlen, RN_ENET, "openai: no API key; "
		    "set OPENAI_API_KEY or RUSTNOTE_API_KEY (a local "
		    "OpenAI-compatible server needs --base-url)");
	return RN_OK;
}

void
config_free(struct config *c)
{
	free(c->provider_name);
	free(c->model);
	free(c->base_url);
	free(c->api_key);
	free(c->key_source);
	free(c->file);
	memset(c, 0, sizeof(*c));
}
