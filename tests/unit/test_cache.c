/* Unit tests: cache keys, round trip, corrupt entries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/cache.h"
#include "rustnote/err.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"

static char tmpdir[] = "/tmp/rn-cache-XXXXXX";

static struct prompt
make_prompt(const char *user)
{
	struct prompt p = { (char *)"system", (char *)user, (char *)"{}", 42 };

	return p;
}

static void
test_key_depends_on_every_input(void **state)
{
	struct prompt p = make_prompt("note A"), q = make_prompt("note B");
	char k1[CACHE_KEY_LEN], k2[CACHE_KEY_LEN];

	(void)state;
	cache_key("openai", "http://x/v1", "m", &p, k1);
	cache_key("openai", "http://x/v1", "m", &p, k2);
	assert_string_equal(k1, k2);
	assert_int_equal(strlen(k1), 32);
	cache_key("openai", "http://x/v1", "m", &q, k2);
	assert_string_not_equal(k1, k2);
	cache_key("anthropic", "http://x/v1", "m", &p, k2);
	assert_string_not_equal(k1, k2);
	cache_key("openai", "http://y/v1", "m", &p, k2);
	assert_string_not_equal(k1, k2);
	cache_key("openai", "http://x/v1", "m2", &p, k2);
	assert_string_not_equal(k1, k2);
	p.template_hash = 43;
	cache_key("openai", "http://x/v1", "m", &p, k2);
	assert_string_not_equal(k1, k2);
}

static void
test_round_trip_and_miss(void **state)
{
	struct cache_entry in = { (char *)"{\"findings\": []}\n\x01", true,
	    120, 34 }, out;
	char err[RN_ERRLEN];

	(void)state;
	assert_false(cache_get("00000000000000000000000000000000", &out));
	assert_int_equal(cache_put("0123456789abcdef0123456789abcdef", &in,
	    err, sizeof(err)), RN_OK);
	assert_true(cache_get("0123456789abcdef0123456789abcdef", &out));
	assert_string_equal(out.reply, in.reply);
	assert_true(out.truncated);
	assert_int_equal(out.input_tokens, 120);
	assert_int_equal(out.output_tokens, 34);
	cache_entry_free(&out);
}

static void
test_corrupt_entry_is_a_miss(void **state)
{
	const char *bad[] = { "", "{", "{\"format\": 1}", "\x00\xff garbage",
	    "{\"format\": 99, \"reply\": \"x\"}" };
	char *path = xasprintf("%s/rustnote/reviews/"
	    "ffffffffffffffffffffffffffffffff.json", tmpdir);
	struct cache_entry out;
	char *dir;
	size_t i;
	FILE *fp;

	(void)state;
	dir = util_dirname(path);
	assert_int_equal(util_mkdirs(dir, 0700), 0);
	free(dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(bad[i], fp);
		fclose(fp);
		assert_false(cache_get("ffffffffffffffffffffffffffffffff",
		    &out));
	}
	free(path);
}

/* Token counts absent, not numbers, absurd or not finite load as
 * "unknown" (-1), with no double-to-long cast of them (UBSan would stop). */
static void
test_bad_token_counts_are_unknown(void **state)
{
	static const struct {
		const char *tokens;
		long in, out;
	} rows[] = {
		{ "", -1, -1 },
		{ ", \"input_tokens\": 1e300, \"output_tokens\": -1e300", -1, -1 },
		{ ", \"input_tokens\": -5, \"output_tokens\": 7", -1, 7 },
		{ ", \"input_tokens\": \"12\", \"output_tokens\": null", -1, -1 },
		{ ", \"input_tokens\": 9.3e18, \"output_tokens\": 1e12", -1,
		  1000000000000L },
		{ ", \"input_tokens\": 1e999, \"output_tokens\": -1e999", -1, -1 },
		{ ", \"input_tokens\": 12.7, \"output_tokens\": 0", 12, 0 },
	};
	char *path = xasprintf("%s/rustnote/reviews/"
	    "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.json", tmpdir);
	struct cache_entry out;
	char *dir;
	size_t i;
	FILE *fp;

	(void)state;
	dir = util_dirname(path);
	assert_int_equal(util_mkdirs(dir, 0700), 0);
	free(dir);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		fprintf(fp, "{\"format\": 1, \"reply\": \"{}\"%s}",
		    rows[i].tokens);
		fclose(fp);
		assert_true(cache_get("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", &out));
		assert_int_equal(out.input_tokens, rows[i].in);
		assert_int_equal(out.output_tokens, rows[i].out);
		cache_entry_free(&out);
	}
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_depends_on_every_input),
		cmocka_unit_test(test_round_trip_and_miss),
		cmocka_unit_test(test_corrupt_entry_is_a_miss),
		cmocka_unit_test(test_bad_token_counts_are_unknown),
	};
	char *cmd;
	int rc;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	setenv("XDG_CACHE_HOME", tmpdir, 1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = 1;
	free(cmd);
	return rc;
}
