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
test_nothing_configured_is_offline(void **state)
{
	struct config_flags fl = { .stall_timeout = -1 };
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
	struct config_flags fl = { .stall_timeout = -1 };
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
	struct config_flags fl = { .stall_timeout = -1 };
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

	fl.model = "phi4";
	fl.stall_timeout = 3;
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
	struct config_flags fl = { .stall_timeout = -1 };
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
	assert_string_equal(err, "cfg:1: bad value for 'stall_timeout'");
	config_free(&c);
}

static void
test_unknown_provider(void **state)
{
	struct config_flags fl = { .provider = "gemini", .stall_timeout = -1 };
	char warn[RN_ERRLEN], err[RN_ERRLEN];
	struct config c;

	(void)state;
	assert_int_equal(config_resolve(&fl, &c, warn, sizeof(warn), err,
	    sizeof(err)), RN_EUSAGE);
	assert_non_null(strstr(err, "unknown provider 'gemini'"));
	config_free(&c);
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
	};
	int rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_config();
	return rc;
}
