/*
 * Unit tests: the history store - migrations (empty file, previous schema,
 * newer schema), comparison with the last review, concurrent writers, a
 * corrupt file, a read-only folder, dismissals and forgetting.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/history.h"
#include "rustnote/util.h"
#include "testutil.h"

/* The schema as version 1 of rustnote wrote it: a fixture, frozen. */
static const char schema_v1[] =
	"CREATE TABLE notes (id INTEGER PRIMARY KEY, path TEXT NOT NULL"
	"  UNIQUE);"
	"CREATE TABLE reviews (id INTEGER PRIMARY KEY,"
	"  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL, content_hash TEXT NOT NULL,"
	"  provider TEXT NOT NULL, model TEXT, llm INTEGER NOT NULL,"
	"  n_gap INTEGER NOT NULL, n_incorrect INTEGER NOT NULL,"
	"  n_assumption INTEGER NOT NULL, n_scope INTEGER NOT NULL,"
	"  n_new INTEGER NOT NULL, n_persisting INTEGER NOT NULL,"
	"  n_resolved INTEGER NOT NULL);"
	"CREATE INDEX reviews_by_note ON reviews(note_id, id);"
	"CREATE TABLE findings (review_id INTEGER NOT NULL REFERENCES"
	"  reviews(id) ON DELETE CASCADE, state TEXT NOT NULL,"
	"  kind TEXT NOT NULL, severity TEXT NOT NULL, source TEXT NOT NULL,"
	"  line INTEGER NOT NULL, end_line INTEGER NOT NULL,"
	"  quote TEXT NOT NULL, topic TEXT, message TEXT NOT NULL,"
	"  suggestion TEXT, rule_id TEXT);"
	"CREATE INDEX findings_by_review ON findings(review_id);"
	"INSERT INTO notes VALUES (1, '/notes/old.md');"
	"INSERT INTO reviews VALUES (1, 1, 1700000000, '00000000000000ab',"
	"  'offline', NULL, 0, 1, 0, 0, 0, 1, 0, 0);"
	"INSERT INTO findings VALUES (1, 'new', 'gap', 'medium', 'offline',"
	"  3, 3, 'the stack', NULL, 'Say what a frame is.', NULL, 'r1');"
	"PRAGMA user_version = 1;";

static char *
db_path(void **state)
{
	return xasprintf("%s/data/history.db", ((struct tmp *)*state)->dir);
}

static int
setup(void **state)
{
	return tmp_create(state, "rn-history");
}

static void
add(struct finding_list *l, enum finding_kind kind, int line,
    const char *quote, const char *message)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.severity = FS_MEDIUM;
	f.source = FSRC_OFFLINE;
	f.line = f.end_line = line;
	f.quote = xstrdup(quote);
	f.message = xstrdup(message);
	f.rule_id = xstrdup("rule");
	flist_push(l, &f);
}

static struct hist *
open_ok(const char *path)
{
	char err[RN_ERRLEN];
	struct hist *h = NULL;

	if (hist_open(path, &h, err, sizeof(err)) != RN_OK)
		fail_msg("hist_open: %s", err);
	return h;
}

static void
record(struct hist *h, const char *key, const struct finding_list *l,
    struct hist_review *out)
{
	struct hist_record_in in = { key, 42, "2", "offline", NULL, false, 0 };
	char err[RN_ERRLEN];

	if (hist_record(h, &in, l, out, err, sizeof(err)) != RN_OK)
		fail_msg("hist_record: %s", err);
}

static void
test_new_file_and_empty_file_migrate(void **state)
{
	char *path = db_path(state), err[RN_ERRLEN];
	struct hist *h = open_ok(path);	/* folder and file created */
	struct stat sb;
	FILE *fp;

	assert_int_equal(hist_schema_version(h), HIST_SCHEMA_VERSION);
	hist_close(h);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* An empty file (a crash before the first write) is a new database. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(hist_open(path, &h, err, sizeof(err)), RN_OK);
	assert_int_equal(hist_schema_version(h), HIST_SCHEMA_VERSION);
	hist_close(h);
	/* Opening again migrates nothing and keeps the version. */
	h = open_ok(path);
	assert_int_equal(hist_schema_version(h), HIST_SCHEMA_VERSION);
	hist_close(h);
	free(path);
}

static void
make_db(const char *path, const char *sql)
{
	char *dir = util_dirname(path);
	sqlite3 *db;

	assert_int_equal(util_mkdirs(dir, 0700), 0);
	free(dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_migrates_previous_version_keeping_data(void **state)
{
	char *path = db_path(state), err[RN_ERRLEN];
	struct finding_list l, resolved;
	struct hist_review *v, r;
	struct hist *h;
	size_t n;

	make_db(path, schema_v1);
	h = open_ok(path);
	assert_int_equal(hist_schema_version(h), HIST_SCHEMA_VERSION);
	assert_int_equal(hist_reviews(h, "/notes/old.md", &v, &n, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].at, 1700000000);
	assert_null(v[0].section);
	assert_int_equal(v[0].counts[FK_GAP], 1);
	assert_int_equal(v[0].content_hash, 0xab);
	hist_reviews_free(v, n);
	/* The old review is the base of the next comparison. */
	flist_init(&l);
	add(&l, FK_SCOPE, 9, "borrow checker", "Out of scope here.");
	record(h, "/notes/old.md", &l, &r);
	assert_int_equal(r.nnew, 1);
	assert_int_equal(r.nresolved, 1);
	assert_string_equal(r.section, "2");
	flist_init(&resolved);
	assert_int_equal(hist_review_findings(h, r.id, FST_RESOLVED,
	    &resolved, err, sizeof(err)), RN_OK);
	assert_int_equal(resolved.n, 1);
	assert_string_equal(resolved.v[0].quote, "the stack");
	/* Version 2 added dismissals. */
	assert_int_equal(hist_dismiss(h, "/notes/old.md", FK_GAP, 7, true,
	    err, sizeof(err)), RN_OK);
	hist_review_free(&r);
	flist_free(&resolved);
	flist_free(&l);
	hist_close(h);
	free(path);
}

static void
test_newer_version_is_refused(void **state)
{
	char *path = db_path(state), err[RN_ERRLEN];
	struct hist *h = (struct hist *)1;

	make_db(path, "CREATE TABLE future (x); PRAGMA user_version = 99;");
	assert_int_equal(hist_open(path, &h, err, sizeof(err)), RN_EFAIL);
	assert_null(h);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "newer rustnote"));
	assert_null(strchr(err, '\n'));
	free(path);
}

static void
test_corrupt_file_is_refused(void **state)
{
	char *path = db_path(state), err[RN_ERRLEN];
	static const char junk[] = "this is no database, just a text file "
	    "a learner saved by mistake under the wrong name.............\n";
	struct hist *h = NULL;
	char *dir = util_dirname(path);
	FILE *fp;
	int i;

	assert_int_equal(util_mkdirs(dir, 0700), 0);
	free(dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (i = 0; i < 100; i++)
		fputs(junk, fp);
	fclose(fp);
	assert_int_equal(hist_open(path, &h, err, sizeof(err)), RN_EFAIL);
	assert_null(h);
	assert_non_null(strstr(err, "damaged"));
	/* The file is left as it was: nothing is "repaired" away. */
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_int_equal(fgetc(fp), 't');
	fclose(fp);
	free(path);
}

/*
 * Open path in a child that sees dir with the given mode: 0 when refused
 * with a message naming the file, 1 when it opened.
 */
static int
open_as_other_user(const char *dir, int mode, const char *path)
{
	char err[RN_ERRLEN];
	struct hist *h = NULL;
	pid_t pid;
	int status, rc;

	assert_int_equal(chmod(dir, (mode_t)mode), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* root writes anywhere: become nobody to feel the mode */
		if (geteuid() == 0 && (setgid(65534) != 0 ||
		    setuid(65534) != 0))
			_exit(3);
		rc = hist_open(path, &h, err, sizeof(err));
		hist_close(h);
		_exit(rc == RN_EFAIL && strstr(err, path) != NULL ? 0 :
		    rc == RN_OK ? 1 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void
test_read_only_folder_is_refused(void **state)
{
	char *path = db_path(state), *dir = util_dirname(path), *other;
	struct hist *h;

	assert_int_equal(chmod(((struct tmp *)*state)->dir, 0755), 0);
	assert_int_equal(util_mkdirs(dir, 0700), 0);
	/* The control: the same child opens a file in a writable folder. */
	other = xasprintf("%s/control.db", dir);
	assert_int_equal(open_as_other_user(dir, 0777, other), 1);
	/* No database yet, and none can be made. */
	assert_int_equal(open_as_other_user(dir, 0555, path), 0);
	/* A database that exists, but its folder (for -wal, -shm) and the
	 * file are read-only. */
	h = open_ok(path);
	hist_close(h);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(open_as_other_user(dir, 0555, path), 0);
	free(other);
	free(dir);
	free(path);
}

static void
test_compares_with_last_review(void **state)
{
	char *path = db_path(state), err[RN_ERRLEN];
	struct finding_list a, b, base;
	struct hist_review r1, r2, last;
	struct hist *h = open_ok(path);
	bool found;

	flist_init(&a);
	flist_init(&b);
	flist_init(&base);
	assert_int_equal(hist_last(h, "/n.md", &found, &last, &base, err,
	    sizeof(err)), RN_OK);
	assert_false(found);
	add(&a, FK_GAP, 2, "the heap", "Explain allocation.");
	add(&a, FK_INCORRECT, 5, "stack is slow", "The stack is fast.");
	record(h, "/n.md", &a, &r1);
	assert_int_equal(r1.nnew, 2);
	assert_int_equal(r1.npersist + r1.nresolved, 0);
	add(&b, FK_INCORRECT, 5, "stack is slow", "The stack is fast.");
	add(&b, FK_SCOPE, 8, "lifetimes", "Not in this section.");
	record(h, "/n.md", &b, &r2);
	assert_int_equal(r2.nnew, 1);
	assert_int_equal(r2.npersist, 1);
	assert_int_equal(r2.nresolved, 1);
	assert_int_equal(r2.counts[FK_GAP], 0);
	assert_int_equal(r2.counts[FK_INCORRECT], 1);
	assert_int_equal(r2.counts[FK_SCOPE], 1);
	/* The last review holds what stood, not what was resolved. */
	assert_int_equal(hist_last(h, "/n.md", &found, &last, &base, err,
	    sizeof(err)), RN_OK);
	assert_true(found);
	assert_int_equal(last.id, r2.id);
	assert_int_equal(base.n, 2);
	assert_int_equal(hist_last(h, "/other.md", &found, NULL, NULL, err,
	    sizeof(err)), RN_OK);
	assert_false(found);
	hist_review_free(&r1);
	hist_review_free(&r2);
	hist_review_free(&last);
	flist_free(&a);
	flist_free(&b);
	flist_free(&base);
	hist_close(h);
	free(path);
}

#define WRITERS 3
#define WRITES 20

/* Several processes record at once; none loses a review or fails. */
static void
test_concurrent_writers(void **state)
{
	char *path = db_path(state), err[RN_ERRLEN], key[32];
	struct hist_review *v;
	struct hist *h = open_ok(path);
	pid_t pids[WRITERS];
	int i, j, status;
	size_t n;

	hist_close(h);
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] != 0)
			continue;
		struct finding_list l;
		struct hist_record_in in = { "/shared.md", (unsigned)i, NULL,
		    "offline", NULL, false, 0 };
		int bad = 0;

		if (hist_open(path, &h, err, sizeof(err)) != RN_OK)
			_exit(2);
		flist_init(&l);
		add(&l, FK_GAP, i + 1, "quote", "message");
		for (j = 0; j < WRITES; j++) {
			bad |= hist_record(h, &in, &l, NULL, err,
			    sizeof(err)) != RN_OK;
			snprintf(key, sizeof(key), "/own-%d.md", i);
			bad |= hist_dismiss(h, key, FK_GAP, (unsigned)j, true,
			    err, sizeof(err)) != RN_OK;
		}
		flist_free(&l);
		hist_close(h);
		_exit(bad);
	}
	for (i = 0; i < WRITERS; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	h = open_ok(path);
	assert_int_equal(hist_reviews(h, "/shared.md", &v, &n, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(n, WRITERS * WRITES);
	hist_reviews_free(v, n);
	hist_close(h);
	free(path);
}

static void
count_pair(void *ud, int kind, unsigned long long hash)
{
	int *n = ud;

	assert_int_equal(kind, FK_SCOPE);
	assert_true(hash == 0xfeedULL || hash == 0xbeefULL);
	(*n)++;
}

static void
test_dismissals_and_forget(void **state)
{
	char *path = db_path(state), err[RN_ERRLEN];
	struct hist *h = open_ok(path);
	struct finding_list l;
	struct hist_review *v;
	int n = 0, removed;
	size_t nv;

	assert_int_equal(hist_dismiss(h, "/d.md", FK_SCOPE, 0xfeed, true, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(hist_dismiss(h, "/d.md", FK_SCOPE, 0xbeef, true, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(hist_dismiss(h, "/d.md", FK_SCOPE, 0xbeef, true, err,
	    sizeof(err)), RN_OK);	/* twice is once */
	assert_int_equal(hist_dismissed(h, "/d.md", count_pair, &n, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(hist_dismiss(h, "/d.md", FK_SCOPE, 0xbeef, false, err,
	    sizeof(err)), RN_OK);
	n = 0;
	hist_dismissed(h, "/d.md", count_pair, &n, err, sizeof(err));
	assert_int_equal(n, 1);
	flist_init(&l);
	add(&l, FK_GAP, 1, "q", "m");
	record(h, "/d.md", &l, NULL);
	record(h, "/d.md", &l, NULL);
	record(h, "/keep.md", &l, NULL);
	assert_int_equal(hist_forget(h, "/d.md", &removed, err, sizeof(err)),
	    RN_OK);
	assert_int_equal(removed, 2);
	n = 0;
	hist_dismissed(h, "/d.md", count_pair, &n, err, sizeof(err));
	assert_int_equal(n, 0);
	hist_reviews(h, "/d.md", &v, &nv, err, sizeof(err));
	assert_int_equal(nv, 0);
	hist_reviews(h, "/keep.md", &v, &nv, err, sizeof(err));
	assert_int_equal(nv, 1);
	hist_reviews_free(v, nv);
	flist_free(&l);
	hist_close(h);
	free(path);
}

static void
test_note_key_and_times(void **state)
{
	char *key, *s, iso[32];

	(void)state;
	key = hist_note_key("no/such/note.md");
	assert_int_equal(key[0], '/');
	assert_non_null(strstr(key, "/no/such/note.md"));
	free(key);
	s = hist_ago(1000, 1030);
	assert_string_equal(s, "just now");
	free(s);
	s = hist_ago(0, 2 * 86400 + 5);
	assert_string_equal(s, "2 days ago");
	free(s);
	s = hist_ago(0, 3600);
	assert_string_equal(s, "1 hour ago");
	free(s);
	hist_iso8601(1700000000, iso, sizeof(iso));
	assert_string_equal(iso, "2023-11-14T22:13:20Z");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_new_file_and_empty_file_migrate, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_migrates_previous_version_keeping_data, setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_newer_version_is_refused,
		    setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_file_is_refused,
		    setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    test_read_only_folder_is_refused, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_compares_with_last_review,
		    setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_writers, setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_dismissals_and_forget,
		    setup, tmp_teardown),
		cmocka_unit_test(test_note_key_and_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
