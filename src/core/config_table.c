/*
 * config_table.c - every setting declared once, in the manner of tmux's
 * options-table.c, and the one parser of setting values that flags,
 * environment and the config file all use.  Also what each LLM provider
 * defaults to.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/util.h"

#include "config_int.h"

#define OFF(field) offsetof(struct config, field)

static enum rn_status check_provider(const char *v, char *err, size_t errlen);
static enum rn_status check_header(const char *v, char *err, size_t errlen);
static enum rn_status check_editor_line(const char *v, char *err,
    size_t errlen);

const struct config_option config_options[] = {
	{ .name = "provider", .type = CFG_STRING, .env = "RUSTNOTE_PROVIDER",
	  .flag = "provider", .short_flag = 'p', .arg = "NAME",
	  .help = "openai, anthropic, ollama or offline",
	  .offset = OFF(provider_name), .check = check_provider },
	{ .name = "model", .type = CFG_STRING, .env = "RUSTNOTE_MODEL",
	  .flag = "model", .short_flag = 'm', .arg = "NAME",
	  .help = "model name (default: the provider's)",
	  .offset = OFF(model) },
	{ .name = "base_url", .type = CFG_STRING, .env = "RUSTNOTE_BASE_URL",
	  .flag = "base-url", .short_flag = 'u', .arg = "URL",
	  .help = "API base URL (OpenAI-compatible servers, proxies)",
	  .offset = OFF(base_url) },
	{ .name = "api_key", .type = CFG_SECRET, .env = "RUSTNOTE_API_KEY",
	  .help = "API key (else OPENAI_API_KEY, ANTHROPIC_API_KEY or "
	  "OLLAMA_API_KEY)",
	  .offset = OFF(api_key) },
	{ .name = "stream", .type = CFG_BOOL, .dflt = "true",
	  .env = "RUSTNOTE_STREAM", .flag = "no-stream",
	  .flag_value = "false", .help = "wait for the whole reply",
	  .offset = OFF(stream) },
	{ .name = "cache", .type = CFG_BOOL, .dflt = "true",
	  .env = "RUSTNOTE_CACHE", .flag = "no-cache", .flag_value = "false",
	  .help = "ask again even if the note is unchanged",
	  .offset = OFF(use_cache) },
	{ .name = "offline_checks", .type = CFG_BOOL, .dflt = "true",
	  .env = "RUSTNOTE_OFFLINE_CHECKS", .flag = "no-offline",
	  .flag_value = "false", .help = "LLM findings only",
	  .offset = OFF(with_offline) },
	{ .name = "first_byte_timeout", .type = CFG_LONG, .min = 1,
	  .max = 86400, .dflt = "300", .env = "RUSTNOTE_FIRST_BYTE_TIMEOUT",
	  .flag = "first-byte-timeout", .arg = "SEC",
	  .help = "wait SEC seconds for a model to load or think",
	  .offset = OFF(first_byte_timeout) },
	{ .name = "stall_timeout", .type = CFG_LONG, .min = 1, .max = 3600,
	  .dflt = "60", .env = "RUSTNOTE_STALL_TIMEOUT",
	  .flag = "stall-timeout", .arg = "SEC",
	  .help = "give up when a started reply is silent for SEC seconds",
	  .offset = OFF(stall_timeout) },
	{ .name = "connect_timeout", .type = CFG_LONG, .min = 1, .max = 600,
	  .dflt = "10", .env = "RUSTNOTE_CONNECT_TIMEOUT",
	  .flag = "connect-timeout", .arg = "SEC",
	  .help = "give up connecting after SEC seconds",
	  .offset = OFF(connect_timeout) },
	{ .name = "timeout", .type = CFG_LONG, .min = 1, .max = 86400,
	  .dflt = "600", .env = "RUSTNOTE_TIMEOUT", .flag = "timeout",
	  .arg = "SEC", .help = "give up on one attempt after SEC seconds",
	  .offset = OFF(total_timeout) },
	{ .name = "max_attempts", .type = CFG_INT, .min = 1, .max = 10,
	  .dflt = "4", .env = "RUSTNOTE_MAX_ATTEMPTS", .flag = "max-attempts",
	  .arg = "N", .help = "tries of a request that fails for a while",
	  .offset = OFF(max_attempts) },
	{ .name = "max_tokens", .type = CFG_INT, .min = 1, .max = 1000000,
	  .env = "RUSTNOTE_MAX_TOKENS", .flag = "max-tokens", .arg = "N",
	  .help = "longest reply, in tokens (default: from the note's size)",
	  .offset = OFF(max_tokens) },
	{ .name = "temperature", .type = CFG_REAL, .min = 0, .max = 2,
	  .env = "RUSTNOTE_TEMPERATURE", .flag = "temperature", .arg = "T",
	  .help = "sampling temperature, 0 to 2 (default: the server's)",
	  .offset = OFF(temperature) },
	{ .name = "compile", .type = CFG_BOOL, .dflt = "true",
	  .env = "RUSTNOTE_COMPILE", .flag = "no-compile",
	  .flag_value = "false",
	  .help = "do not check the code blocks with rustc",
	  .offset = OFF(compile) },
	{ .name = "rustc", .type = CFG_STRING, .env = "RUSTNOTE_RUSTC",
	  .flag = "rustc", .arg = "PATH",
	  .help = "the rustc that checks code blocks (default: rustc in PATH)",
	  .offset = OFF(rustc) },
	{ .name = "compile_timeout", .type = CFG_LONG, .min = 1, .max = 600,
	  .dflt = "10", .env = "RUSTNOTE_COMPILE_TIMEOUT",
	  .flag = "compile-timeout", .arg = "SEC",
	  .help = "give up on one code block after SEC seconds",
	  .offset = OFF(compile_timeout) },
	{ .name = "num_ctx", .type = CFG_LONG, .min = 256, .max = 4194304,
	  .env = "RUSTNOTE_NUM_CTX", .flag = "num-ctx", .arg = "N",
	  .help = "Ollama's context window, in tokens (default: the note's)",
	  .offset = OFF(num_ctx) },
	{ .name = "auth_header", .type = CFG_STRING,
	  .env = "RUSTNOTE_AUTH_HEADER", .arg = "NAME",
	  .help = "header for the key: api-key (Azure; default for "
	  "*.openai.azure.com) or authorization",
	  .offset = OFF(auth_header), .check = check_header },
	{ .name = "editor_line", .type = CFG_STRING,
	  .env = "RUSTNOTE_EDITOR_LINE",
	  .help = "how to open the editor at a line, e.g. "
	  "{editor} --goto {file}:{line} (default: +N FILE)",
	  .offset = OFF(editor_line), .check = check_editor_line },
	{ .name = NULL }
};

static const struct config_provider providers[] = {
	[LLM_OPENAI] = { "openai", "gpt-4.1-mini",
	    "https://api.openai.com/v1", "OPENAI_API_KEY", NULL },
	[LLM_ANTHROPIC] = { "anthropic", "claude-sonnet-4-5",
	    "https://api.anthropic.com", "ANTHROPIC_API_KEY", NULL },
	[LLM_OLLAMA] = { "ollama", "llama3.1", "http://127.0.0.1:11434",
	    "OLLAMA_API_KEY", "OLLAMA_HOST" },
};

#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

size_t
config_noptions(void)
{
	size_t n = 0;

	while (config_options[n].name != NULL)
		n++;
	return n;
}

int
config_option_index(const char *name)
{
	size_t i;

	for (i = 0; config_options[i].name != NULL; i++)
		if (strcmp(config_options[i].name, name) == 0)
			return (int)i;
	return -1;
}

int
config_provider_parse(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NPROVIDERS; i++)
		if (strcasecmp(name, providers[i].name) == 0)
			return (int)i;
	return -1;
}

const struct config_provider *
config_provider(int id)
{
	return id >= 0 && (size_t)id < NPROVIDERS ? &providers[id] : NULL;
}

const char *
config_default_url(int id)
{
	const struct config_provider *pv = config_provider(id);
	const char *v;

	if (pv == NULL)
		return "";
	v = pv->url_env != NULL ? getenv(pv->url_env) : NULL;
	return v != NULL && *v != '\0' ? v : pv->default_url;
}

static enum rn_status
check_provider(const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "offline") == 0 || config_provider_parse(v) >= 0)
		return RN_OK;
	return rn_fail(err, errlen, RN_EUSAGE, "unknown provider '%s' "
	    "(expected openai, anthropic, ollama or offline)", v);
}

/* A header name: letters, digits, '-' and '_' (nothing to inject). */
static enum rn_status
check_header(const char *v, char *err, size_t errlen)
{
	const char *s;

	for (s = v; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			break;
	}
	if (*v != '\0' && *s == '\0')
		return RN_OK;
	return rn_fail(err, errlen, RN_EUSAGE, "'%s' is not a header name "
	    "(api-key, authorization, ...)", v);
}

/* The template must say where the file goes; the rest is free. */
static enum rn_status
check_editor_line(const char *v, char *err, size_t errlen)
{
	if (strstr(v, "{file}") != NULL)
		return RN_OK;
	return rn_fail(err, errlen, RN_EUSAGE, "'%s' has no {file} (e.g. "
	    "{editor} --goto {file}:{line})", v);
}

/* --- values -------------------------------------------------------------- */

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

/* A number in [o->min, o->max]: integers for CFG_INT and CFG_LONG. */
static enum rn_status
parse_number(const struct config_option *o, const char *v, double *out,
    char *err, size_t errlen)
{
	char *end;
	double d;
	long long n;

	errno = 0;
	if (o->type == CFG_REAL) {
		d = strtod(v, &end);
		if (end != v && !isfinite(d))
			errno = ERANGE;
	} else {
		n = strtoll(v, &end, 10);
		d = (double)n;
	}
	/* strtod and strtoll skip leading space and take "+"; we do not. */
	if (end == v || *end != '\0' || !(v[0] == '-' || v[0] == '.' ||
	    (v[0] >= '0' && v[0] <= '9')))
		return rn_fail(err, errlen, RN_EUSAGE, "'%s' is not %s", v,
		    o->type == CFG_REAL ? "a number" : "a whole number");
	if (errno == ERANGE || d < o->min || d > o->max)
		return rn_fail(err, errlen, RN_EUSAGE, "'%s' is out of range "
		    "(%g to %g)", v, o->min, o->max);
	*out = d;
	return RN_OK;
}

/* Check text for row o and store it at field; nothing stored on error. */
static enum rn_status
store(const struct config_option *o, void *field, const char *v, char *err,
    size_t errlen)
{
	double d = 0;
	bool b;
	int rc;

	switch (o->type) {
	case CFG_STRING:
	case CFG_SECRET:
		if (o->check != NULL && (rc = o->check(v, err, errlen)) != RN_OK)
			return rc;
		if (field != NULL) {
			free(*(char **)field);
			*(char **)field = xstrdup(v);
		}
		return RN_OK;
	case CFG_BOOL:
		if (parse_bool(v, &b) != 0)
			return rn_fail(err, errlen, RN_EUSAGE, "'%s' is not "
			    "true or false", v);
		if (field != NULL)
			*(bool *)field = b;
		return RN_OK;
	default:
		if ((rc = parse_number(o, v, &d, err, errlen)) != RN_OK)
			return rc;
		if (field == NULL)
			return RN_OK;
		if (o->type == CFG_INT)
			*(int *)field = (int)d;
		else if (o->type == CFG_LONG)
			*(long *)field = (long)d;
		else
			*(double *)field = d;
		return RN_OK;
	}
}

enum rn_status
config_set(struct config *c, size_t i, const char *text, char *err,
    size_t errlen)
{
	const struct config_option *o = &config_options[i];

	return store(o, (char *)c + o->offset, text, err, errlen);
}

enum rn_status
config_flag(struct config_flags *fl, const char *name, const char *value,
    char *err, size_t errlen)
{
	int i = config_option_index(name);
	int rc;

	if (i < 0)
		return rn_fail(err, errlen, RN_EUSAGE, "unknown setting '%s'",
		    name);
	if ((rc = store(&config_options[i], NULL, value, err, errlen)) != RN_OK)
		return rc;
	fl->value[i] = value;
	return RN_OK;
}

void
config_table_defaults(struct config *c)
{
	const struct config_option *o;
	char err[RN_ERRLEN];
	size_t i;

	for (i = 0; (o = &config_options[i])->name != NULL; i++) {
		c->origin[i] = CFG_FROM_DEFAULT;
		if (o->type == CFG_REAL)
			*(double *)((char *)c + o->offset) = -1;
		if (o->dflt != NULL && config_set(c, i, o->dflt, err,
		    sizeof(err)) != RN_OK)
			fatal("config: bad default for %s: %s", o->name, err);
	}
}

void
config_value_text(const struct config *c, size_t i, char *buf, size_t len)
{
	const struct config_option *o = &config_options[i];
	const void *field = (const char *)c + o->offset;
	const char *s;
	double d;

	switch (o->type) {
	case CFG_STRING:
	case CFG_SECRET:
		s = *(char *const *)field;
		snprintf(buf, len, "%s", s == NULL ? "" :
		    o->type == CFG_SECRET ? "********" : s);
		return;
	case CFG_BOOL:
		snprintf(buf, len, "%s", *(const bool *)field ? "true" :
		    "false");
		return;
	case CFG_INT:
		d = *(const int *)field;
		break;
	case CFG_LONG:
		d = (double)*(const long *)field;
		break;
	default:
		d = *(const double *)field;
		break;
	}
	/* Below the range is how a number says "not set" (0, -1). */
	if (d < o->min)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%.15g", d);
}

void
config_origin_text(const struct config *c, size_t i, char *buf, size_t len)
{
	switch (c->origin[i]) {
	case CFG_FROM_FLAG:
		snprintf(buf, len, "flag --%s", c->origin_name[i]);
		break;
	case CFG_FROM_ENV:
		snprintf(buf, len, "environment %s", c->origin_name[i]);
		break;
	case CFG_FROM_FILE:
		snprintf(buf, len, "file %s:%d", c->file != NULL ? c->file :
		    "?", c->origin_line[i]);
		break;
	default:
		snprintf(buf, len, "%s", "default");
		break;
	}
}
