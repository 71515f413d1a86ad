/*
 * Unit tests: questions to the tutor kept in the history store - stored
 * and read back in order, with and without a finding, removed with the
 * note's history, and kept across an upgrade from schema version 2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/history.h"
#include "rustnote/util.h"
#include "testutil.h"

static int
setup(void **state)
{
	return tmp_create(state, "rn-hist-questions");
}

static struct hist *
open_db(void **state)
{
	char *path = xasprintf("%s/history.db", ((struct tmp *)*state)->dir);
	char err[RN_ERRLEN];
	struct hist *h = NULL;

	assert_int_equal(hist_open(path, &h, err, sizeof(err)), RN_OK);
	free(path);
	return h;
}

static void
ask(struct hist *h, const char *key, int line, const struct finding *f,
    const char *q, const char *a, time_t at)
{
	struct hist_question_in in = { key, line, f, q, a, "openai",
	    "gpt-4o-mini", at };
	char err[RN_ERRLEN];

	assert_int_equal(hist_add_question(h, &in, err, sizeof(err)), RN_OK);
}

static void
test_questions_come_back_in_order(void **state)
{
	struct hist *h = open_db(state);
	struct hist_question *v;
	struct finding f;
	char err[RN_ERRLEN];
	size_t n;

	memset(&f, 0, sizeof(f));
	f.kind = FK_INCORRECT;
	f.quote = (char *)"Every block gets a frame.";
	f.message = (char *)"A frame belongs to a call.";
	ask(h, "/n/a.md", 12, &f, "Why?", "Because calls own frames.", 1000);
	ask(h, "/n/a.md", 0, NULL, "And the heap?", "Later.", 2000);
	ask(h, "/n/b.md", 3, NULL, "Other note", "Other answer", 3000);
	assert_int_equal(hist_questions(h, "/n/a.md", &v, &n, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].line, 12);
	assert_int_equal(v[0].at, 1000);
	assert_string_equal(v[0].kind, "incorrect");
	assert_string_equal(v[0].message, "A frame belongs to a call.");
	assert_string_equal(v[0].question, "Why?");
	assert_string_equal(v[0].answer, "Because calls own frames.");
	assert_string_equal(v[0].model, "gpt-4o-mini");
	assert_null(v[1].kind);
	assert_string_equal(v[1].question, "And the heap?");
	hist_questions_free(v, n);
	hist_close(h);
}

static void
test_forget_takes_the_questions(void **state)
{
	struct hist *h = open_db(state);
	struct hist_question *v;
	char err[RN_ERRLEN];
	int removed;
	size_t n;

	ask(h, "/n/a.md", 1, NULL, "Why?", "So.", 0);
	assert_int_equal(hist_forget(h, "/n/a.md", &removed, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(hist_questions(h, "/n/a.md", &v, &n, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(n, 0);
	hist_questions_free(v, n);
	hist_close(h);
}

/* A file of schema version 2 (no questions table) is upgraded in place. */
static void
test_upgrade_from_version_2(void **state)
{
	char *path = xasprintf("%s/history.db", ((struct tmp *)*state)->dir);
	struct hist_question *v;
	struct hist *h = NULL;
	char err[RN_ERRLEN];
	sqlite3 *db;
	size_t n;

	assert_int_equal(hist_open(path, &h, err, sizeof(err)), RN_OK);
	hist_close(h);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE questions;"
	    "PRAGMA user_version = 2;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	h = NULL;
	assert_int_equal(hist_open(path, &h, err, sizeof(err)), RN_OK);
	assert_int_equal(hist_schema_version(h), HIST_SCHEMA_VERSION);
	ask(h, "/n/a.md", 2, NULL, "Why?", "So.", 0);
	assert_int_equal(hist_questions(h, "/n/a.md", &v, &n, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(n, 1);
	hist_questions_free(v, n);
	hist_close(h);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_questions_come_back_in_order, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_forget_takes_the_questions, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_from_version_2,
		    setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
