/*
 * history.c - opening the history database: WAL, busy timeout, the
 * versioned schema and its migrations, and the messages for a file that
 * cannot be used.
 *
 * Each migration takes the schema from version i to i + 1 and runs in the
 * same IMMEDIATE transaction as the check of user_version, so two
 * processes opening an old file at once migrate it once.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/history.h"
#include "rustnote/util.h"
#include "history_int.h"

/* migrations[i] takes the schema from version i to i + 1. */
static const char *const migrations[HIST_SCHEMA_VERSION] = {
	/* 1: notes, their reviews and the findings of each review */
	"CREATE TABLE notes ("
	"  id INTEGER PRIMARY KEY,"
	"  path TEXT NOT NULL UNIQUE);"
	"CREATE TABLE reviews ("
	"  id INTEGER PRIMARY KEY,"
	"  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  content_hash TEXT NOT NULL,"
	"  provider TEXT NOT NULL,"
	"  model TEXT,"
	"  llm INTEGER NOT NULL,"
	"  n_gap INTEGER NOT NULL, n_incorrect INTEGER NOT NULL,"
	"  n_assumption INTEGER NOT NULL, n_scope INTEGER NOT NULL,"
	"  n_new INTEGER NOT NULL, n_persisting INTEGER NOT NULL,"
	"  n_resolved INTEGER NOT NULL);"
	"CREATE INDEX reviews_by_note ON reviews(note_id, id);"
	"CREATE TABLE findings ("
	"  review_id INTEGER NOT NULL REFERENCES reviews(id)"
	"    ON DELETE CASCADE,"
	"  state TEXT NOT NULL,"
	"  kind TEXT NOT NULL, severity TEXT NOT NULL, source TEXT NOT NULL,"
	"  line INTEGER NOT NULL, end_line INTEGER NOT NULL,"
	"  quote TEXT NOT NULL, topic TEXT, message TEXT NOT NULL,"
	"  suggestion TEXT, rule_id TEXT);"
	"CREATE INDEX findings_by_review ON findings(review_id);",
	/* 2: the learning-path section of a review; dismissed findings */
	"ALTER TABLE reviews ADD COLUMN section TEXT;"
	"CREATE TABLE dismissals ("
	"  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (note_id, kind, hash)) WITHOUT ROWID;",
	/* 3: questions to the tutor and their answers */
	"CREATE TABLE questions ("
	"  id INTEGER PRIMARY KEY,"
	"  note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  line INTEGER NOT NULL,"
	"  kind TEXT, quote TEXT, message TEXT,"
	"  question TEXT NOT NULL, answer TEXT NOT NULL,"
	"  provider TEXT NOT NULL, model TEXT);"
	"CREATE INDEX questions_by_note ON questions(note_id, id);",
};

char *
hist_default_path(void)
{
	char *dir = util_data_dir(), *path;

	path = xasprintf("%s/history.db", dir);
	free(dir);
	return path;
}

char *
hist_note_key(const char *note_path)
{
	char *abs = realpath(note_path, NULL), cwd[PATH_MAX];

	if (abs != NULL)
		return abs;
	/* A note that is gone (history --forget) keeps its absolute name. */
	if (note_path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return xstrdup(note_path);
	return util_path_join(cwd, note_path);
}

/* SQLite's words for the common failures, said for a learner. */
static const char *
cause_of(sqlite3 *db)
{
	switch (sqlite3_errcode(db)) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return "the file is damaged or not a rustnote history";
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return "locked by another program for too long";
	case SQLITE_READONLY:
		return "the file or its folder is read-only";
	case SQLITE_CANTOPEN:
		return "cannot be opened or created (is the folder writable?)";
	case SQLITE_FULL:
		return "the disk is full";
	default:
		return sqlite3_errmsg(db);
	}
}

enum rn_status
hist_fail(struct hist *h, char *err, size_t errlen)
{
	return rn_fail(err, errlen, RN_EFAIL, "%s: %s", h->path,
	    cause_of(h->db));
}

enum rn_status
hist_prepare(struct hist *h, const char *sql, sqlite3_stmt **st, char *err,
    size_t errlen)
{
	if (sqlite3_prepare_v2(h->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return hist_fail(h, err, errlen);
	}
	return RN_OK;
}

enum rn_status
hist_exec(struct hist *h, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return hist_fail(h, err, errlen);
	return RN_OK;
}

enum rn_status
hist_begin(struct hist *h, char *err, size_t errlen)
{
	return hist_exec(h, "BEGIN IMMEDIATE", err, errlen);
}

enum rn_status
hist_commit(struct hist *h, char *err, size_t errlen)
{
	int rc = hist_exec(h, "COMMIT", err, errlen);

	if (rc != RN_OK)
		hist_rollback(h);
	return rc;
}

void
hist_rollback(struct hist *h)
{
	if (!sqlite3_get_autocommit(h->db))
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
}

static enum rn_status
read_version(struct hist *h, int *version, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	rc = hist_prepare(h, "PRAGMA user_version", &st, err, errlen);
	if (rc != RN_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		rc = RN_OK;
	} else
		rc = hist_fail(h, err, errlen);
	sqlite3_finalize(st);
	return rc;
}

/* Bring the schema to HIST_SCHEMA_VERSION inside one write transaction. */
static enum rn_status
migrate(struct hist *h, char *err, size_t errlen)
{
	char sql[64];
	int rc, v;

	rc = read_version(h, &v, err, errlen);
	if (rc == RN_OK && v == HIST_SCHEMA_VERSION) {
		h->version = v;
		return RN_OK;	/* the common case takes no write lock */
	}
	rc = hist_begin(h, err, errlen);
	if (rc == RN_OK)
		rc = read_version(h, &v, err, errlen);	/* may have moved on */
	if (rc == RN_OK && v > HIST_SCHEMA_VERSION)
		rc = rn_fail(err, errlen, RN_EFAIL, "%s: written by a newer "
		    "rustnote (schema %d; this one knows up to %d)", h->path,
		    v, HIST_SCHEMA_VERSION);
	for (; rc == RN_OK && v < HIST_SCHEMA_VERSION; v++)
		rc = hist_exec(h, migrations[v], err, errlen);
	if (rc == RN_OK) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
		rc = hist_exec(h, sql, err, errlen);
	}
	if (rc == RN_OK)
		rc = hist_commit(h, err, errlen);
	else
		hist_rollback(h);
	if (rc == RN_OK)
		h->version = v;
	return rc;
}

/* The learner's data is private: create the file 0600 before SQLite does
 * (its -wal and -shm files take the same mode). */
static enum rn_status
create_private(const char *path, char *err, size_t errlen)
{
	char *dir = util_dirname(path);
	int fd, rc = RN_OK;

	if (util_mkdirs(dir, 0700) != 0)
		rc = rn_fail(err, errlen, RN_EFAIL, "%s: cannot create the "
		    "folder: %s", dir, strerror(errno));
	free(dir);
	if (rc != RN_OK)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return rn_fail(err, errlen, RN_EFAIL, "%s: %s", path,
		    strerror(errno));
	close(fd);
	return RN_OK;
}

static enum rn_status
configure(struct hist *h, char *err, size_t errlen)
{
	int rc;

	sqlite3_busy_timeout(h->db, HIST_BUSY_TIMEOUT_MS);
	/* journal_mode answers with a row; exec ignores it. */
	rc = hist_exec(h, "PRAGMA journal_mode = WAL", err, errlen);
	if (rc == RN_OK)
		rc = hist_exec(h, "PRAGMA foreign_keys = ON;"
		    "PRAGMA synchronous = NORMAL", err, errlen);
	return rc;
}

enum rn_status
hist_open(const char *path, struct hist **out, char *err, size_t errlen)
{
	struct hist *h = xcalloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	h->path = xstrdup(path);
	rc = create_private(path, err, errlen);
	if (rc != RN_OK)
		goto out;
	if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = h->db != NULL ? hist_fail(h, err, errlen) :
		    rn_fail(err, errlen, RN_EFAIL, "%s: out of memory", path);
		goto out;
	}
	sqlite3_extended_result_codes(h->db, 0);
	rc = configure(h, err, errlen);
	if (rc == RN_OK)
		rc = migrate(h, err, errlen);
out:
	if (rc != RN_OK) {
		hist_close(h);
		return rc;
	}
	*out = h;
	return RN_OK;
}

void
hist_close(struct hist *h)
{
	if (h == NULL)
		return;
	sqlite3_close(h->db);	/* NULL is a no-op */
	free(h->path);
	free(h);
}

int
hist_schema_version(struct hist *h)
{
	return h->version;
}

char *
hist_ago(time_t at, time_t now)
{
	static const struct { long secs; const char *unit; } units[] = {
		{ 86400L * 365, "year" }, { 86400L * 30, "month" },
		{ 86400L * 7, "week" }, { 86400L, "day" }, { 3600L, "hour" },
		{ 60L, "minute" },
	};
	long d = (long)(now - at);
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (d >= units[i].secs) {
			long k = d / units[i].secs;

			return xasprintf("%ld %s%s ago", k, units[i].unit,
			    k == 1 ? "" : "s");
		}
	}
	return xstrdup("just now");
}

void
hist_iso8601(time_t at, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&at, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%s", "1970-01-01T00:00:00Z");
}
