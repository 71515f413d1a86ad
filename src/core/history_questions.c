/*
 * history_questions.c - the questions asked to the tutor about a note, and
 * their answers, kept in the history database (history.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/history.h"
#include "rustnote/util.h"
#include "history_int.h"

static void
bind_question(sqlite3_stmt *st, long long note,
    const struct hist_question_in *in)
{
	const struct finding *f = in->finding;

	sqlite3_bind_int64(st, 1, note);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)(in->at != 0 ? in->at :
	    time(NULL)));
	sqlite3_bind_int(st, 3, in->line);
	hist_bind_text(st, 4, f != NULL ? finding_kind_name(f->kind) : NULL);
	hist_bind_text(st, 5, f != NULL ? f->quote : NULL);
	hist_bind_text(st, 6, f != NULL ? f->message : NULL);
	hist_bind_text(st, 7, in->question);
	hist_bind_text(st, 8, in->answer);
	hist_bind_text(st, 9, in->provider);
	hist_bind_text(st, 10, in->model);
}

enum rn_status
hist_add_question(struct hist *h, const struct hist_question_in *in,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	long long note;
	enum rn_status rc;

	rc = hist_begin(h, err, errlen);
	if (rc == RN_OK)
		rc = hist_note_id(h, in->note_key, true, &note, err, errlen);
	if (rc == RN_OK)
		rc = hist_prepare(h, "INSERT INTO questions(note_id, at, line,"
		    " kind, quote, message, question, answer, provider, model)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, err, errlen);
	if (rc == RN_OK) {
		bind_question(st, note, in);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = hist_fail(h, err, errlen);
		sqlite3_finalize(st);
	}
	if (rc == RN_OK)
		rc = hist_commit(h, err, errlen);
	else
		hist_rollback(h);
	return rc;
}

static void
question_from_row(sqlite3_stmt *st, struct hist_question *q)
{
	q->at = (time_t)sqlite3_column_int64(st, 0);
	q->line = sqlite3_column_int(st, 1);
	q->kind = hist_column_text(st, 2);
	q->quote = hist_column_text(st, 3);
	q->message = hist_column_text(st, 4);
	q->question = hist_column_text(st, 5);
	q->answer = hist_column_text(st, 6);
	q->provider = hist_column_text(st, 7);
	q->model = hist_column_text(st, 8);
}

enum rn_status
hist_questions(struct hist *h, const char *note_key, struct hist_question **v,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	enum rn_status rc;
	int s;

	*v = NULL;
	*n = 0;
	rc = hist_prepare(h, "SELECT q.at, q.line, q.kind, q.quote, q.message,"
	    " q.question, q.answer, q.provider, q.model FROM questions q"
	    " JOIN notes n ON n.id = q.note_id WHERE n.path = ?"
	    " ORDER BY q.id", &st, err, errlen);
	if (rc != RN_OK)
		return rc;
	hist_bind_text(st, 1, note_key);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		question_from_row(st, &(*v)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (s != SQLITE_DONE) {
		hist_questions_free(*v, *n);
		*v = NULL;
		*n = 0;
		return hist_fail(h, err, errlen);
	}
	return RN_OK;
}

void
hist_questions_free(struct hist_question *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].kind);
		free(v[i].quote);
		free(v[i].message);
		free(v[i].question);
		free(v[i].answer);
		free(v[i].provider);
		free(v[i].model);
	}
	free(v);
}
