/* Unit tests: prompt assembly and template overrides. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"

struct fixture {
	struct note *note;
	struct overview *ovw;
	char *tmp;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	char err[RN_ERRLEN], tmpl[] = "/tmp/rn-prompt-XXXXXX";

	assert_int_equal(note_load("notes/02-memory-model.md", &fx->note, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(ovw_load("notes/memory-model.overview.md", &fx->ovw,
	    err, sizeof(err)), RN_OK);
	assert_non_null(mkdtemp(tmpl));
	fx->tmp = xstrdup(tmpl);
	/* Run from the source tree: the templates of prompts/ are used. */
	setenv("RUSTNOTE_DATADIR", ".", 1);
	setenv("XDG_CONFIG_HOME", fx->tmp, 1);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char *cmd = xasprintf("rm -rf '%s'", fx->tmp);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(fx->tmp);
	note_free(fx->note);
	ovw_free(fx->ovw);
	free(fx);
	return 0;
}

static void
test_role_goal_overview_and_numbered_note(void **state)
{
	struct fixture *fx = *state;
	char err[RN_ERRLEN];
	struct prompt p;

	assert_int_equal(prompt_build(fx->note, fx->ovw, &p, err, sizeof(err)),
	    RN_OK);
	/* Role and goal from the seed request. */
	assert_non_null(strstr(p.system, "experienced Rust developer"));
	assert_non_null(strstr(p.system, "teaching skills"));
	assert_non_null(strstr(p.system, "implicit assumptions"));
	assert_non_null(strstr(p.system, "\"findings\""));
	/* The overview, verbatim. */
	assert_non_null(strstr(p.user, "Do **not** mention borrow checker"));
	assert_non_null(strstr(p.user, "Rust\xe2\x80\x99s Memory Model"));
	/* The note with line numbers (the file has under 100 lines). */
	assert_non_null(strstr(p.user, " 1 | ## Rust's memory model\n"));
	assert_non_null(strstr(p.user, " 2 | ### Stack vs heap\n"));
	assert_non_null(strstr(p.user, "02-memory-model.md"));
	assert_non_null(p.schema);
	assert_non_null(strstr(p.schema, "\"assumption\""));
	assert_int_not_equal(p.template_hash, 0);
	prompt_free(&p);
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_user_template_override(void **state)
{
	struct fixture *fx = *state;
	char *dir = xasprintf("%s/rustnote/prompts", fx->tmp);
	char *path = xasprintf("%s/system.md", dir);
	char err[RN_ERRLEN];
	struct prompt base, over;

	assert_int_equal(prompt_build(fx->note, fx->ovw, &base, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(util_mkdirs(dir, 0700), 0);
	write_file(path, "You are a strict reviewer of {{title}}.\n");
	assert_int_equal(prompt_build(fx->note, fx->ovw, &over, err,
	    sizeof(err)), RN_OK);
	assert_string_equal(over.system, "You are a strict reviewer of "
	    "2. Rust's Memory Model (No Ownership Yet).\n");
	/* The user template was not overridden. */
	assert_string_equal(over.user, base.user);
	/* A changed template changes the cache key material. */
	assert_true(over.template_hash != base.template_hash);
	unlink(path);
	prompt_free(&base);
	prompt_free(&over);
	free(path);
	free(dir);
}

static void
test_expand_placeholders(void **state)
{
	static const char *const names[] = { "a", "bb" };
	static const char *const values[] = { "1", "two" };
	char *s;

	(void)state;
	s = prompt_expand("x{{a}}y{{bb}}z{{unknown}}{{a", names, values, 2);
	assert_string_equal(s, "x1ytwoz{{unknown}}{{a");
	free(s);
	s = prompt_expand("", names, values, 2);
	assert_string_equal(s, "");
	free(s);
}

static void
test_number_lines_skips_front_matter(void **state)
{
	const char text[] = "---\noverview: o.md\n---\n# Title\n\nBody\n";
	char err[RN_ERRLEN], *s;
	struct note *n;

	(void)state;
	assert_int_equal(note_parse("fm.md", text, sizeof(text) - 1, &n, err,
	    sizeof(err)), RN_OK);
	s = prompt_number_lines(n);
	assert_string_equal(s, "4 | # Title\n5 | \n6 | Body\n");
	free(s);
	note_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_goal_overview_and_numbered_note),
		cmocka_unit_test(test_user_template_override),
		cmocka_unit_test(test_expand_placeholders),
		cmocka_unit_test(test_number_lines_skips_front_matter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
