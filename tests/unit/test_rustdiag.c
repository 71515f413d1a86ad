/*
 * test_rustdiag.c - rustc's JSON diagnostics (fixtures recorded from
 * Debian's rustc 1.63 in tests/rustc/) to verdicts, and verdicts to and
 * from the cache's JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/rustdiag.h"
#include "rustnote/util.h"

static void
parse_fixture(const char *name, int exit_code, struct rdiag_verdict *v)
{
	char *path = xasprintf("tests/rustc/%s.jsonl", name), *text = NULL;
	char *file = xasprintf("%s.rs", name);
	size_t len = 0;

	assert_int_equal(util_read_file(path, 1 << 20, &text, &len, NULL, 0),
	    RN_OK);
	rdiag_parse(text, len, file, exit_code, v);
	free(text);
	free(file);
	free(path);
}

static void
test_type_error(void **state)
{
	struct rdiag_verdict v;

	(void)state;
	parse_fixture("block1", 1, &v);
	assert_int_equal(v.status, RD_FAILS);
	assert_int_equal(v.nerrors, 1);	/* "aborting due to" is dropped */
	assert_string_equal(v.errors[0].code, "E0308");
	assert_string_equal(v.errors[0].message, "mismatched types");
	assert_string_equal(v.errors[0].label, "expected `i32`, found `&str`");
	assert_int_equal(v.errors[0].line, 6);
	assert_string_equal(v.errors[0].help, "");
	rdiag_free(&v);
}

static void
test_help_and_warning(void **state)
{
	struct rdiag_verdict v;

	(void)state;
	parse_fixture("block2", 1, &v);
	assert_int_equal(v.nerrors, 1);	/* the warning is not an error */
	assert_string_equal(v.errors[0].code, "E0596");
	assert_int_equal(v.errors[0].line, 3);
	assert_string_equal(v.errors[0].help,
	    "consider changing this to be mutable: `mut x`");
	rdiag_free(&v);
}

static void
test_primary_span_in_macro(void **state)
{
	struct rdiag_verdict v;

	(void)state;
	parse_fixture("block3", 1, &v);
	assert_int_equal(v.nerrors, 1);
	assert_string_equal(v.errors[0].code, "E0382");
	assert_string_equal(v.errors[0].label,
	    "value borrowed here after move");
	assert_int_equal(v.errors[0].line, 5);
	rdiag_free(&v);
}

static void
test_other_file_and_noise(void **state)
{
	/* A primary span only in another file: followed out of the macro;
	 * output that is not JSON is ignored. */
	static const char out[] =
	    "not json at all\n"
	    "{\"message\":\"boom\",\"code\":null,\"level\":\"error\",\"spans\":"
	    "[{\"file_name\":\"/usr/src/std/macros.rs\",\"line_start\":99,"
	    "\"is_primary\":true,\"label\":\"here\",\"expansion\":{\"span\":"
	    "{\"file_name\":\"b.rs\",\"line_start\":4,\"is_primary\":false}}}],"
	    "\"children\":[]}\n"
	    "{\"message\":\"x\",\"level\":\"error\",\"spans\":[]}\n";
	struct rdiag_verdict v;

	(void)state;
	rdiag_parse(out, strlen(out), "b.rs", 1, &v);
	assert_int_equal(v.status, RD_FAILS);
	assert_int_equal(v.nerrors, 2);
	assert_int_equal(v.errors[0].line, 4);
	assert_string_equal(v.errors[0].code, "");
	assert_int_equal(v.errors[1].line, 0);
	rdiag_free(&v);
}

static void
test_exit_codes(void **state)
{
	struct rdiag_verdict v;

	(void)state;
	rdiag_parse("", 0, "b.rs", 0, &v);
	assert_int_equal(v.status, RD_COMPILES);
	rdiag_free(&v);
	rdiag_parse("garbage", 7, "b.rs", 101, &v);
	assert_int_equal(v.status, RD_UNKNOWN);
	rdiag_free(&v);
	rdiag_parse("{\"message\":\"internal compiler error: x\",\"level\":"
	    "\"error: internal compiler error\",\"spans\":[]}", 78, "b.rs",
	    101, &v);
	assert_int_equal(v.status, RD_UNKNOWN);
	rdiag_free(&v);
}

static void
test_hostile_text_cleaned(void **state)
{
	static const char out[] = "{\"message\":\"bad \\u001b[31mred\","
	    "\"level\":\"error\",\"spans\":[]}\n";
	struct rdiag_verdict v;

	(void)state;
	rdiag_parse(out, strlen(out), "b.rs", 1, &v);
	assert_int_equal(v.nerrors, 1);
	assert_null(strchr(v.errors[0].message, '\x1b'));
	rdiag_free(&v);
}

static void
test_cache_round_trip(void **state)
{
	struct rdiag_verdict v, back;
	char *json;

	(void)state;
	parse_fixture("block2", 1, &v);
	json = rdiag_to_json(&v);
	assert_true(rdiag_from_json(json, &back));
	assert_int_equal(back.status, RD_FAILS);
	assert_int_equal(back.nerrors, 1);
	assert_string_equal(back.errors[0].code, "E0596");
	assert_string_equal(back.errors[0].help, v.errors[0].help);
	assert_int_equal(back.errors[0].line, 3);
	rdiag_free(&back);
	free(json);
	rdiag_free(&v);
	assert_false(rdiag_from_json("{\"format\":99}", &back));
	assert_false(rdiag_from_json("{\"format\":1,\"status\":\"fails\","
	    "\"errors\":[]}", &back));
	assert_false(rdiag_from_json("nonsense", &back));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_error),
		cmocka_unit_test(test_help_and_warning),
		cmocka_unit_test(test_primary_span_in_macro),
		cmocka_unit_test(test_other_file_and_noise),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_hostile_text_cleaned),
		cmocka_unit_test(test_cache_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
