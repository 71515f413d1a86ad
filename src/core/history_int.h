/*
 * history_int.h - what the files of the history store share: the open
 * database and small statement helpers.  history.c opens and migrates,
 * history_store.c records and reads reviews and dismissals,
 * history_questions.c the questions asked to the tutor.
 */
#ifndef RUSTNOTE_HISTORY_INT_H
#define RUSTNOTE_HISTORY_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"
#include "rustnote/history.h"

struct hist {
	sqlite3 *db;
	char *path;
	int version;
};

/* Prepare sql; RN_OK or RN_EFAIL with "PATH: cause" in err. */
enum rn_status hist_prepare(struct hist *h, const char *sql, sqlite3_stmt **st,
    char *err, size_t errlen);
/* Run statements that return no rows. */
enum rn_status hist_exec(struct hist *h, const char *sql, char *err,
    size_t errlen);
/* The failure of the last call on h as "PATH: cause" (RN_EFAIL). */
enum rn_status hist_fail(struct hist *h, char *err, size_t errlen);
/* Start a write transaction (waits for the lock up to the timeout). */
enum rn_status hist_begin(struct hist *h, char *err, size_t errlen);
enum rn_status hist_commit(struct hist *h, char *err, size_t errlen);
void hist_rollback(struct hist *h);
/* A text column as a new string (NULL for NULL); text bound as is, NULL
 * as NULL (the text must outlive the statement's step). */
char *hist_column_text(sqlite3_stmt *st, int col);
void hist_bind_text(sqlite3_stmt *st, int col, const char *s);
/* The id of the note's row, made when create and missing; 0 when none. */
enum rn_status hist_note_id(struct hist *h, const char *key, bool create,
    long long *id, char *err, size_t errlen);

#endif
