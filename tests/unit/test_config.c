/* Unit tests: configuration precedence, key choice and the config file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/util.h"

static char tmpdir[] = "/tmp/rn-config-XXXXXX";

static const char *const vars[] = {
	"RUSTNOTE_PROVIDER", "RUSTNOTE_MODEL", "RUSTNOTE_BASE_URL",
	"RUSTNOTE_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
	"RUSTNOTE_STALL_TIMEOUT", "RUSTNOTE_TEMPERATURE", "RUSTNOTE_STREAM",
	"RUSTNOTE_MAX_TOKENS", "OLLAMA_HOST",
};

static int
clean_env(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	return 0;
}

static void
write_config(const char *text, int mode)
{
	char *dir = xasprintf("%s/rustnote", tmpdir);
	char *path = xasprintf("%s/config", dir);
	FILE *fp;

	assert_int_equal(util_mkdirs(dir, 0700), 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(path, (mode_t)mode);
	free(path);
	free(dir);
}

static void
remove_config(void)
{
	char *path = xasprintf("%s/rustnote/config", tmpdir);

	remove(path);
	free(path);
}

static int
resolve(const struct config_flags *fl, struct config *c, char *warn)
{
	char err[RN_ERRLEN];
	int rc = config_resolve(fl, c, warn, RN_ERRLEN, err, sizeof(err));

	if (rc != RN_OK)
		print_message("config: %s\n", err);
	return rc;
}

static void
set_flag(struct config_flags *fl, const char *name, const char *value)
{
	char err[RN_ERRLEN];

	if (config_flag(fl, name, value, err, sizeof(err)) != RN_OK)
		fail_msg("flag %s=%s: %s", name, value, err);
}

static void
test_nothing_configured_is_offline(void **state)
{
	struct config_flags fl = { .offline = false };
	char warn[RN_ERRLEN];
	struct config c;

	(void)state;
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_int_equal(c.backend, CFG_OFFLINE);
	assert_true(c.auto_offline);
	assert_string_equal(warn, "");
	config_free(&c);
}

static void
test_key_variables_pick_provider(void **state)
{
	struct config_flags fl = { .offline = false };
	char warn[RN_ERRLEN];
	struct config c;

	(void)state;
	setenv("ANTHROPIC_API_KEY", "sk-ant-test", 1);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_int_equal(c.backend, CFG_LLM);
	assert_int_equal(c.provider, LLM_ANTHROPIC);
	assert_string_equal(c.api_key, "sk-ant-test");
	assert_string_equal(c.key_source, "ANTHROPIC_API_KEY");
	config_free(&c);

	setenv("OPENAI_API_KEY", "sk-openai", 1);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_int_equal(c.provider, LLM_OPENAI);
	assert_string_equal(c.api_key, "sk-openai");
	config_free(&c);

	/* RUSTNOTE_API_KEY wins over the provider's own variable. */
	setenv("RUSTNOTE_API_KEY", "sk-rustnote", 1);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_string_equal(c.api_key, "sk-rustnote");
	assert_string_equal(c.key_source, "RUSTNOTE_API_KEY");
	config_free(&c);
}

static void
test_flag_beats_env_beats_file(void **state)
{
	struct config_flags fl = { .offline = false };
	char warn[RN_ERRLEN];
	struct config c;

	(void)state;
	write_config("# comment\nprovider = ollama\nmodel = \"qwen2.5\"\n"
	    "stall_timeout = 7\n", 0600);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_int_equal(c.provider, LLM_OLLAMA);
	assert_string_equal(c.model, "qwen2.5");
	assert_int_equal(c.stall_timeout, 7);
	assert_null(c.api_key);
	config_free(&c);

	setenv("RUSTNOTE_MODEL", "llama3.2", 1);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_string_equal(c.model, "llama3.2");
	config_free(&c);

	set_flag(&fl, "model", "phi4");
	set_flag(&fl, "stall_timeout", "3");
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_string_equal(c.model, "phi4");
	assert_int_equal(c.stall_timeout, 3);
	config_free(&c);

	fl.offline = true;
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_int_equal(c.backend, CFG_OFFLINE);
	assert_false(c.auto_offline);
	config_free(&c);
	remove_config();
}

static void
test_key_in_readable_file_warns(void **state)
{
	struct config_flags fl = { .offline = false };
	char warn[RN_ERRLEN];
	struct config c;

	(void)state;
	write_config("provider = openai\napi_key = sk-from-file\n", 0644);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_string_equal(c.api_key, "sk-from-file");
	assert_string_equal(c.key_source, "config file");
	assert_non_null(strstr(warn, "readable by others"));
	assert_null(strstr(warn, "sk-from-file"));
	config_free(&c);

	write_config("provider = openai\napi_key = sk-from-file\n", 0600);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_string_equal(warn, "");
	config_free(&c);
	remove_config();
}

static void
test_bad_config_lines(void **state)
{
	struct config c;
	char err[RN_ERRLEN];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(config_parse("provider openai\n", "cfg", &c, err,
	    sizeof(err)), RN_EUSAGE);
	assert_string_equal(err, "cfg:1: expected 'key = value'");
	assert_int_equal(config_parse("\ncolour = red\n", "cfg", &c, err,
	    sizeof(err)), RN_EUSAGE);
	assert_string_equal(err, "cfg:2: unknown key 'colour'");
	assert_int_equal(config_parse("stall_timeout = soon\n", "cfg", &c,
	    err, sizeof(err)), RN_EUSAGE);
	assert_string_equal(err, "cfg:1: stall_timeout: 'soon' is not a whole "
	    "number");
	assert_int_equal(config_parse("# x\n\nstream = maybe\n", "cfg", &c,
	    err, sizeof(err)), RN_EUSAGE);
	assert_string_equal(err, "cfg:3: stream: 'maybe' is not true or false");
	config_free(&c);
}

static void
test_unknown_provider(void **state)
{
	struct config_flags fl = { .offline = false };
	char warn[RN_ERRLEN], err[RN_ERRLEN];
	struct config c;

	(void)state;
	assert_int_equal(config_flag(&fl, "provider", "gemini", err,
	    sizeof(err)), RN_EUSAGE);
	assert_non_null(strstr(err, "unknown provider 'gemini'"));
	assert_null(fl.value[config_option_index("provider")]);
	setenv("RUSTNOTE_PROVIDER", "gemini", 1);
	assert_int_equal(config_resolve(&fl, &c, warn, sizeof(warn), err,
	    sizeof(err)), RN_EUSAGE);
	assert_string_equal(err, "RUSTNOTE_PROVIDER: unknown provider "
	    "'gemini' (expected openai, anthropic, ollama or offline)");
	config_free(&c);
}

/*
 * Flags, environment and the file go through one table: each refuses the
 * same values with the same reason, overflow included.
 */
static void
test_layers_agree_on_values(void **state)
{
	static const char *const bad[][2] = {
		{ "100000", "'100000' is out of range (1 to 3600)" },
		{ "0", "'0' is out of range (1 to 3600)" },
		{ "99999999999999999999", "'99999999999999999999' is out of "
		    "range (1 to 3600)" },
		{ "-99999999999999999999", "'-99999999999999999999' is out "
		    "of range (1 to 3600)" },
		{ "12abc", "'12abc' is not a whole number" },
		{ " 5", "' 5' is not a whole number" },
		{ "", "'' is not a whole number" },
	};
	char err[RN_ERRLEN], warn[RN_ERRLEN], want[RN_ERRLEN], *text;
	struct config_flags fl;
	struct config c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&fl, 0, sizeof(fl));
		assert_int_equal(config_flag(&fl, "stall_timeout", bad[i][0],
		    err, sizeof(err)), RN_EUSAGE);
		assert_string_equal(err, bad[i][1]);

		if (bad[i][0][0] != '\0' && bad[i][0][0] != ' ') {
			setenv("RUSTNOTE_STALL_TIMEOUT", bad[i][0], 1);
			assert_int_equal(config_resolve(&fl, &c, warn,
			    sizeof(warn), err, sizeof(err)), RN_EUSAGE);
			snprintf(want, sizeof(want), "RUSTNOTE_STALL_TIMEOUT: "
			    "%s", bad[i][1]);
			assert_string_equal(err, want);
			config_free(&c);
			unsetenv("RUSTNOTE_STALL_TIMEOUT");
		}

		/* The file trims blanks around a value. */
		if (bad[i][0][0] == ' ')
			continue;
		memset(&c, 0, sizeof(c));
		text = xasprintf("stall_timeout = %s\n", bad[i][0]);
		assert_int_equal(config_parse(text, "f", &c, err, sizeof(err)),
		    RN_EUSAGE);
		snprintf(want, sizeof(want), "f:1: stall_timeout: %s",
		    bad[i][1]);
		assert_string_equal(err, want);
		free(text);
		config_free(&c);
	}
	/* The bounds themselves are accepted everywhere. */
	memset(&fl, 0, sizeof(fl));
	set_flag(&fl, "stall_timeout", "3600");
	setenv("RUSTNOTE_TEMPERATURE", "0.5", 1);
	write_config("max_tokens = 1000000\n", 0600);
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	assert_int_equal(c.stall_timeout, 3600);
	assert_true(c.temperature > 0.49 && c.temperature < 0.51);
	assert_int_equal(c.max_tokens, 1000000);
	config_free(&c);
	setenv("RUSTNOTE_TEMPERATURE", "1e999", 1);
	assert_int_equal(config_resolve(&fl, &c, warn, sizeof(warn), err,
	    sizeof(err)), RN_EUSAGE);
	assert_string_equal(err, "RUSTNOTE_TEMPERATURE: '1e999' is out of "
	    "range (0 to 2)");
	config_free(&c);
	remove_config();
}

static void
origin(const struct config *c, const char *name, char *buf, size_t len)
{
	int i = config_option_index(name);

	assert_true(i >= 0);
	config_origin_text(c, (size_t)i, buf, len);
}

static void
value(const struct config *c, const char *name, char *buf, size_t len)
{
	int i = config_option_index(name);

	assert_true(i >= 0);
	config_value_text(c, (size_t)i, buf, len);
}

/* Each setting knows where it came from; the key is never shown. */
static void
test_origins_and_masking(void **state)
{
	struct config_flags fl = { .offline = false };
	char warn[RN_ERRLEN], buf[RN_ERRLEN], *want;
	struct config c;

	(void)state;
	write_config("provider = ollama\n\nstall_timeout = 9\n"
	    "api_key = sk-file-secret\n", 0600);
	setenv("RUSTNOTE_MODEL", "qwen2.5", 1);
	set_flag(&fl, "stream", "false");
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	want = xasprintf("file %s/rustnote/config:1", tmpdir);
	origin(&c, "provider", buf, sizeof(buf));
	assert_string_equal(buf, want);
	free(want);
	want = xasprintf("file %s/rustnote/config:3", tmpdir);
	origin(&c, "stall_timeout", buf, sizeof(buf));
	assert_string_equal(buf, want);
	free(want);
	origin(&c, "model", buf, sizeof(buf));
	assert_string_equal(buf, "environment RUSTNOTE_MODEL");
	origin(&c, "stream", buf, sizeof(buf));
	assert_string_equal(buf, "flag --no-stream");
	origin(&c, "timeout", buf, sizeof(buf));
	assert_string_equal(buf, "default");
	value(&c, "timeout", buf, sizeof(buf));
	assert_string_equal(buf, "600");
	value(&c, "api_key", buf, sizeof(buf));
	assert_string_equal(buf, "********");
	value(&c, "max_tokens", buf, sizeof(buf));
	assert_string_equal(buf, "");
	value(&c, "temperature", buf, sizeof(buf));
	assert_string_equal(buf, "");
	config_free(&c);

	/* A provider picked by the key that is set says so. */
	remove_config();
	setenv("ANTHROPIC_API_KEY", "sk-ant-secret", 1);
	memset(&fl, 0, sizeof(fl));
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	origin(&c, "provider", buf, sizeof(buf));
	assert_string_equal(buf, "environment ANTHROPIC_API_KEY");
	origin(&c, "api_key", buf, sizeof(buf));
	assert_string_equal(buf, "environment ANTHROPIC_API_KEY");
	config_free(&c);

	fl.offline = true;
	assert_int_equal(resolve(&fl, &c, warn), RN_OK);
	origin(&c, "provider", buf, sizeof(buf));
	assert_string_equal(buf, "flag --offline");
	config_free(&c);
}

/* What the providers default to lives in the core's table. */
static void
test_provider_table(void **state)
{
	(void)state;
	assert_int_equal(config_provider_parse("OpenAI"), LLM_OPENAI);
	assert_int_equal(config_provider_parse("anthropic"), LLM_ANTHROPIC);
	assert_int_equal(config_provider_parse("ollama"), LLM_OLLAMA);
	assert_int_equal(config_provider_parse("gemini"), -1);
	assert_int_equal(config_provider_parse(NULL), -1);
	assert_null(config_provider(-1));
	assert_string_equal(config_provider(LLM_ANTHROPIC)->key_env,
	    "ANTHROPIC_API_KEY");
	assert_string_equal(config_default_url(LLM_OPENAI),
	    "https://api.openai.com/v1");
	assert_string_equal(config_default_url(LLM_OLLAMA),
	    "http://127.0.0.1:11434");
	setenv("OLLAMA_HOST", "http://127.0.0.1:9999", 1);
	assert_string_equal(config_default_url(LLM_OLLAMA),
	    "http://127.0.0.1:9999");
}

/* Every row is well formed: one name each, sane bounds and defaults. */
static void
test_table_rows(void **state)
{
	const struct config_option *o;
	char err[RN_ERRLEN];
	struct config c;
	size_t i, j, n = config_noptions();

	(void)state;
	assert_true(n > 10 && n <= CONFIG_MAX_OPTIONS);
	for (i = 0; i < n; i++) {
		o = &config_options[i];
		assert_non_null(o->help);
		assert_true(o->min <= o->max);
		for (j = 0; j < i; j++) {
			assert_string_not_equal(o->name,
			    config_options[j].name);
			if (o->flag != NULL && config_options[j].flag != NULL)
				assert_string_not_equal(o->flag,
				    config_options[j].flag);
		}
		/* No key on the command line: argv is visible to all. */
		if (o->type == CFG_SECRET)
			assert_null(o->flag);
		memset(&c, 0, sizeof(c));
		if (o->dflt != NULL)
			assert_int_equal(config_set(&c, i, o->dflt, err,
			    sizeof(err)), RN_OK);
		config_free(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_nothing_configured_is_offline,
		    clean_env),
		cmocka_unit_test_setup(test_key_variables_pick_provider,
		    clean_env),
		cmocka_unit_test_setup(test_flag_beats_env_beats_file,
		    clean_env),
		cmocka_unit_test_setup(test_key_in_readable_file_warns,
		    clean_env),
		cmocka_unit_test_setup(test_bad_config_lines, clean_env),
		cmocka_unit_test_setup(test_unknown_provider, clean_env),
		cmocka_unit_test_setup(test_layers_agree_on_values, clean_env),
		cmocka_unit_test_setup(test_origins_and_masking, clean_env),
		cmocka_unit_test_setup(test_provider_table, clean_env),
		cmocka_unit_test_setup(test_table_rows, clean_env),
	};
	int rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_config();
	return rc;
}
