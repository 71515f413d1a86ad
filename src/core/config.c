/*
 * config.c - resolve which reviewer runs and how.
 *
 * Every setting is a row of config_options[] (config_table.c); this file
 * applies the layers to them in order of precedence, lowest first:
 * defaults, the config file, environment variables, command-line flags.
 * Then what no row can say alone: the provider picked by which key is
 * set, the provider's own key variable, its default model.  The API key
 * never leaves this struct except in the provider's request header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/util.h"

#include "config_int.h"

#define CONFIG_MAX ((size_t)64 << 10)

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
	config_table_defaults(c);
}

static int
row(const char *name)
{
	int i = config_option_index(name);

	if (i < 0)
		fatal("config: no setting '%s'", name);
	return i;
}

static void
mark(struct config *c, int i, enum config_origin from, const char *name)
{
	c->origin[i] = from;
	c->origin_name[i] = name;
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

/* One "key = value" line of the file. */
static enum rn_status
parse_line(char *line, const char *name, int lineno, struct config *out,
    char *err, size_t errlen)
{
	char why[RN_ERRLEN], *eq, *key, *val;
	int i;

	eq = strchr(line, '=');
	if (eq == NULL)
		return rn_fail(err, errlen, RN_EUSAGE,
		    "%s:%d: expected 'key = value'", name, lineno);
	*eq = '\0';
	key = str_trim(line);
	val = unquote(str_trim(eq + 1));
	if ((i = config_option_index(key)) < 0)
		return rn_fail(err, errlen, RN_EUSAGE,
		    "%s:%d: unknown key '%s'", name, lineno, key);
	if (config_set(out, (size_t)i, val, why, sizeof(why)) != RN_OK)
		return rn_fail(err, errlen, RN_EUSAGE, "%s:%d: %s: %s", name,
		    lineno, key, why);
	mark(out, i, CFG_FROM_FILE, NULL);
	out->origin_line[i] = lineno;
	return RN_OK;
}

enum rn_status
config_parse(const char *text, const char *name, struct config *out,
    char *err, size_t errlen)
{
	char *copy = xstrdup(text), *line, *next;
	int lineno = 0, rc = RN_OK;

	for (line = copy; line != NULL && rc == RN_OK; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		str_trim(line);
		if (line[0] != '\0' && line[0] != '#')
			rc = parse_line(line, name, lineno, out, err, errlen);
	}
	free(copy);
	return rc;
}

static void
warn_if_readable(const struct config *c, const char *path, char *warn,
    size_t warnlen)
{
	struct stat st;

	if (c->origin[row("api_key")] == CFG_FROM_FILE &&
	    stat(path, &st) == 0 && (st.st_mode & 077) != 0)
		snprintf(warn, warnlen, "warning: %s holds an API key and is "
		    "readable by others; run: chmod 600 '%s'", path, path);
}

/* Read the config file, if any, into c. */
static enum rn_status
config_read_file(const struct config_flags *fl, struct config *c,
    char *warn, size_t warnlen, char *err, size_t errlen)
{
	char *dir = NULL, *path, *text = NULL;
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
	set_str(&c->file, path);
	rc = config_parse(text, path, c, err, errlen);
	if (rc == RN_OK)
		warn_if_readable(c, path, warn, warnlen);
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

static enum rn_status
apply_env(struct config *c, char *err, size_t errlen)
{
	const struct config_option *o;
	char why[RN_ERRLEN];
	const char *v;
	size_t i;

	for (i = 0; (o = &config_options[i])->name != NULL; i++) {
		if (o->env == NULL || (v = env(o->env)) == NULL)
			continue;
		if (config_set(c, i, v, why, sizeof(why)) != RN_OK)
			return rn_fail(err, errlen, RN_EUSAGE, "%s: %s", o->env,
			    why);
		mark(c, (int)i, CFG_FROM_ENV, o->env);
	}
	return RN_OK;
}

static enum rn_status
apply_flags(const struct config_flags *fl, struct config *c, char *err,
    size_t errlen)
{
	const struct config_option *o;
	char why[RN_ERRLEN];
	size_t i;

	for (i = 0; (o = &config_options[i])->name != NULL; i++) {
		if (fl->value[i] == NULL)
			continue;
		if (config_set(c, i, fl->value[i], why, sizeof(why)) != RN_OK)
			return rn_fail(err, errlen, RN_EUSAGE, "--%s: %s",
			    o->flag != NULL ? o->flag : o->name, why);
		mark(c, (int)i, CFG_FROM_FLAG, o->flag);
	}
	if (fl->offline) {
		set_str(&c->provider_name, "offline");
		mark(c, row("provider"), CFG_FROM_FLAG, "offline");
	}
	return RN_OK;
}

/* No provider named anywhere: whichever key is set, else offline. */
static void
choose_provider(struct config *c)
{
	static const char *const keys[][2] = {
		{ "RUSTNOTE_API_KEY", "openai" },
		{ "OPENAI_API_KEY", "openai" },
		{ "ANTHROPIC_API_KEY", "anthropic" },
	};
	size_t i;

	if (c->provider_name != NULL)
		return;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (env(keys[i][0]) != NULL) {
			set_str(&c->provider_name, keys[i][1]);
			mark(c, row("provider"), CFG_FROM_ENV, keys[i][0]);
			return;
		}
	}
	set_str(&c->provider_name, "offline");
	c->auto_offline = true;
}

/* The key: RUSTNOTE_API_KEY, the provider's own variable, the file. */
static void
choose_key(struct config *c)
{
	const char *own = config_provider(c->provider)->key_env;
	int k = row("api_key");

	if (c->origin[k] != CFG_FROM_ENV && own != NULL && env(own) != NULL) {
		set_str(&c->api_key, env(own));
		mark(c, k, CFG_FROM_ENV, own);
	}
	if (c->origin[k] == CFG_FROM_ENV)
		set_str(&c->key_source, c->origin_name[k]);
	else if (c->origin[k] == CFG_FROM_FILE)
		set_str(&c->key_source, "config file");
}

enum rn_status
config_load(const struct config_flags *fl, struct config *out,
    char *warn, size_t warnlen, char *err, size_t errlen)
{
	int rc;

	config_defaults(out);
	if (warnlen > 0)
		warn[0] = '\0';
	if ((rc = config_read_file(fl, out, warn, warnlen, err, errlen)) !=
	    RN_OK || (rc = apply_env(out, err, errlen)) != RN_OK ||
	    (rc = apply_flags(fl, out, err, errlen)) != RN_OK)
		return rc;
	choose_provider(out);
	if (strcmp(out->provider_name, "offline") == 0) {
		/* with_offline stays as asked: review refuses "no LLM and no
		 * offline checks" rather than run the checks anyway */
		out->backend = CFG_OFFLINE;
		return RN_OK;
	}
	/* The table's check let only known names through. */
	out->backend = CFG_LLM;
	out->provider = config_provider_parse(out->provider_name);
	if (out->model == NULL) {
		set_str(&out->model, config_provider(out->provider)->
		    default_model);
		out->model_default = true;
	}
	choose_key(out);
	return RN_OK;
}

enum rn_status
config_usable(const struct config *c, char *err, size_t errlen)
{
	/* The Messages API takes 0 to 1; a larger value is a 400 later. */
	if (c->backend == CFG_LLM && c->provider == LLM_ANTHROPIC &&
	    c->temperature > 1)
		return rn_fail(err, errlen, RN_EUSAGE, "temperature %g is out "
		    "of range for anthropic (0 to 1)", c->temperature);
	if (c->backend != CFG_LLM || c->api_key != NULL)
		return RN_OK;
	if (c->provider == LLM_ANTHROPIC)
		return rn_fail(err, errlen, RN_ENET, "anthropic: no API key; "
		    "set ANTHROPIC_API_KEY or RUSTNOTE_API_KEY");
	if (c->provider == LLM_OPENAI && c->base_url == NULL)
		return rn_fail(err, errlen, RN_ENET, "openai: no API key; "
		    "set OPENAI_API_KEY or RUSTNOTE_API_KEY (a local "
		    "OpenAI-compatible server needs --base-url)");
	return RN_OK;
}

enum rn_status
config_resolve(const struct config_flags *fl, struct config *out,
    char *warn, size_t warnlen, char *err, size_t errlen)
{
	enum rn_status rc = config_load(fl, out, warn, warnlen, err, errlen);

	return rc != RN_OK ? rc : config_usable(out, err, errlen);
}

void
config_free(struct config *c)
{
	free(c->provider_name);
	free(c->model);
	free(c->base_url);
	free(c->api_key);
	free(c->key_source);
	free(c->auth_header);
	free(c->editor_line);
	free(c->file);
	free(c->rustc);
	memset(c, 0, sizeof(*c));
}
