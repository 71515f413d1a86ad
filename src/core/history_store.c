/*
 * history_store.c - recording reviews, reading them back, forgetting a
 * note, and the dismissed findings.
 *
 * A review row carries its counts (by kind, and new / persisting /
 * resolved), so listings never have to read the findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/history.h"
#include "rustnote/note.h"
#include "rustnote/review.h"
#include "rustnote/util.h"
#include "history_int.h"

static const char *const state_names[] = {
	[FST_NONE] = "new", [FST_NEW] = "new", [FST_PERSIST] = "persisting",
	[FST_RESOLVED] = "resolved", [FST_FIXED] = "resolved",
};

#define REVIEW_COLUMNS							\
	"r.id, r.at, r.section, r.provider, r.model, r.llm, r.n_gap,"	\
	" r.n_incorrect, r.n_assumption, r.n_scope, r.n_new,"		\
	" r.n_persisting, r.n_resolved, r.content_hash"

char *
hist_column_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

void
hist_bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

static void
review_from_row(sqlite3_stmt *st, struct hist_review *r)
{
	const char *hash;
	int k;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->at = (time_t)sqlite3_column_int64(st, 1);
	r->section = hist_column_text(st, 2);
	r->provider = hist_column_text(st, 3);
	r->model = hist_column_text(st, 4);
	r->llm = sqlite3_column_int(st, 5) != 0;
	for (k = 0; k < FK_COUNT; k++)
		r->counts[k] = sqlite3_column_int(st, 6 + k);
	r->nnew = sqlite3_column_int(st, 10);
	r->npersist = sqlite3_column_int(st, 11);
	r->nresolved = sqlite3_column_int(st, 12);
	hash = (const char *)sqlite3_column_text(st, 13);
	r->content_hash = hash != NULL ? strtoull(hash, NULL, 16) : 0;
}

void
hist_review_free(struct hist_review *r)
{
	if (r == NULL)
		return;
	free(r->section);
	free(r->provider);
	free(r->model);
	memset(r, 0, sizeof(*r));
}

void
hist_reviews_free(struct hist_review *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		hist_review_free(&v[i]);
	free(v);
}

/* The id of the note's row, made when create and missing; 0 when none. */
enum rn_status
hist_note_id(struct hist *h, const char *key, bool create, long long *id,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, s;

	*id = 0;
	if (create) {
		rc = hist_prepare(h, "INSERT OR IGNORE INTO notes(path) "
		    "VALUES (?)", &st, err, errlen);
		if (rc != RN_OK)
			return rc;
		hist_bind_text(st, 1, key);
		s = sqlite3_step(st);
		sqlite3_finalize(st);
		if (s != SQLITE_DONE)
			return hist_fail(h, err, errlen);
	}
	rc = hist_prepare(h, "SELECT id FROM notes WHERE path = ?", &st, err,
	    errlen);
	if (rc != RN_OK)
		return rc;
	hist_bind_text(st, 1, key);
	s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return s == SQLITE_ROW || s == SQLITE_DONE ? RN_OK :
	    hist_fail(h, err, errlen);
}

static void
finding_from_row(sqlite3_stmt *st, struct finding *f)
{
	const char *s;

	memset(f, 0, sizeof(*f));
	s = (const char *)sqlite3_column_text(st, 0);
	f->kind = (enum finding_kind)finding_kind_parse(s != NULL ? s : "");
	if ((int)f->kind < 0)
		f->kind = FK_GAP;
	s = (const char *)sqlite3_column_text(st, 1);
	f->severity = (enum finding_severity)finding_severity_parse(
	    s != NULL ? s : "");
	if ((int)f->severity < 0)
		f->severity = FS_MEDIUM;
	s = (const char *)sqlite3_column_text(st, 2);
	f->source = s != NULL && strcmp(s, "offline") == 0 ? FSRC_OFFLINE :
	    FSRC_LLM;
	f->line = sqlite3_column_int(st, 3);
	f->end_line = sqlite3_column_int(st, 4);
	f->quote = hist_column_text(st, 5);
	f->topic = hist_column_text(st, 6);
	f->message = hist_column_text(st, 7);
	f->suggestion = hist_column_text(st, 8);
	f->rule_id = hist_column_text(st, 9);
	/* Stored texts were cleaned; cleaning again keeps a damaged or
	 * hand-edited file from reaching the terminal raw. */
	finding_clean(f);
}

enum rn_status
hist_review_findings(struct hist *h, long long review_id,
    enum finding_state state, struct finding_list *out, char *err,
    size_t errlen)
{
	struct finding f;
	sqlite3_stmt *st;
	int rc, s;

	rc = hist_prepare(h, "SELECT kind, severity, source, line, end_line,"
	    " quote, topic, message, suggestion, rule_id FROM findings"
	    " WHERE review_id = ? AND state = ? ORDER BY rowid", &st, err,
	    errlen);
	if (rc != RN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, review_id);
	hist_bind_text(st, 2, state_names[state]);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		finding_from_row(st, &f);
		f.state = state == FST_RESOLVED ? FST_RESOLVED : FST_NONE;
		flist_push(out, &f);
	}
	sqlite3_finalize(st);
	return s == SQLITE_DONE ? RN_OK : hist_fail(h, err, errlen);
}

/* The last review of note id into *r; *found false when there is none. */
static enum rn_status
last_review(struct hist *h, long long id, bool *found, struct hist_review *r,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc, s;

	*found = false;
	rc = hist_prepare(h, "SELECT " REVIEW_COLUMNS " FROM reviews r"
	    " WHERE r.note_id = ? ORDER BY r.id DESC LIMIT 1", &st, err,
	    errlen);
	if (rc != RN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		review_from_row(st, r);
		*found = true;
	}
	sqlite3_finalize(st);
	return s == SQLITE_ROW || s == SQLITE_DONE ? RN_OK :
	    hist_fail(h, err, errlen);
}

/* The base of a comparison: the review's findings that still stood. */
static enum rn_status
standing_findings(struct hist *h, long long review_id,
    struct finding_list *out, char *err, size_t errlen)
{
	int rc;

	rc = hist_review_findings(h, review_id, FST_NEW, out, err, errlen);
	if (rc == RN_OK)
		rc = hist_review_findings(h, review_id, FST_PERSIST, out, err,
		    errlen);
	return rc;
}

enum rn_status
hist_last(struct hist *h, const char *note_key, bool *found,
    struct hist_review *out, struct finding_list *findings, char *err,
    size_t errlen)
{
	struct hist_review r;
	long long id;
	int rc;

	*found = false;
	rc = hist_note_id(h, note_key, false, &id, err, errlen);
	if (rc != RN_OK || id == 0)
		return rc;
	rc = last_review(h, id, found, &r, err, errlen);
	if (rc != RN_OK || !*found)
		return rc;
	if (findings != NULL)
		rc = standing_findings(h, r.id, findings, err, errlen);
	if (out != NULL && rc == RN_OK)
		*out = r;
	else
		hist_review_free(&r);
	return rc;
}

static int
insert_finding(sqlite3_stmt *st, long long review_id,
    const struct finding *f)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, review_id);
	hist_bind_text(st, 2, state_names[f->state]);
	hist_bind_text(st, 3, finding_kind_name(f->kind));
	hist_bind_text(st, 4, finding_severity_name(f->severity));
	hist_bind_text(st, 5, finding_source_name(f->source));
	sqlite3_bind_int(st, 6, f->line);
	sqlite3_bind_int(st, 7, f->end_line);
	hist_bind_text(st, 8, f->quote != NULL ? f->quote : "");
	hist_bind_text(st, 9, f->topic);
	hist_bind_text(st, 10, f->message != NULL ? f->message : "");
	hist_bind_text(st, 11, f->suggestion);
	hist_bind_text(st, 12, f->rule_id);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

static enum rn_status
insert_findings(struct hist *h, long long review_id,
    const struct finding_list *l, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	rc = hist_prepare(h, "INSERT INTO findings(review_id, state, kind,"
	    " severity, source, line, end_line, quote, topic, message,"
	    " suggestion, rule_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", &st,
	    err, errlen);
	for (i = 0; rc == RN_OK && i < l->n; i++) {
		if (insert_finding(st, review_id, &l->v[i]) != 0)
			rc = hist_fail(h, err, errlen);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Count what the compared list holds into the summary. */
static void
tally(const struct finding_list *l, struct hist_review *r)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];

		if (f->state == FST_RESOLVED) {
			r->nresolved++;
			continue;
		}
		r->counts[f->kind]++;
		if (f->state == FST_PERSIST)
			r->npersist++;
		else
			r->nnew++;	/* on a first review, everything is */
	}
}

static enum rn_status
insert_review(struct hist *h, long long note, const struct hist_record_in *in,
    struct hist_review *r, char *err, size_t errlen)
{
	char hash[17];
	sqlite3_stmt *st;
	int rc, k;

	snprintf(hash, sizeof(hash), "%016llx", in->content_hash);
	rc = hist_prepare(h, "INSERT INTO reviews(note_id, at, content_hash,"
	    " section, provider, model, llm, n_gap, n_incorrect, n_assumption,"
	    " n_scope, n_new, n_persisting, n_resolved) VALUES"
	    " (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", &st, err, errlen);
	if (rc != RN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, note);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)r->at);
	hist_bind_text(st, 3, hash);
	hist_bind_text(st, 4, in->section);
	hist_bind_text(st, 5, in->provider != NULL ? in->provider : "offline");
	hist_bind_text(st, 6, in->model);
	sqlite3_bind_int(st, 7, in->llm);
	for (k = 0; k < FK_COUNT; k++)
		sqlite3_bind_int(st, 8 + k, r->counts[k]);
	sqlite3_bind_int(st, 12, r->nnew);
	sqlite3_bind_int(st, 13, r->npersist);
	sqlite3_bind_int(st, 14, r->nresolved);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = hist_fail(h, err, errlen);
	else
		r->id = sqlite3_last_insert_rowid(h->db);
	sqlite3_finalize(st);
	return rc;
}

/* The current findings marked against the stored ones, resolved added. */
static enum rn_status
compare_with_last(struct hist *h, long long note,
    const struct finding_list *findings, struct finding_list *cmp,
    bool *had_prev, char *err, size_t errlen)
{
	struct finding_list prev;
	struct hist_review last;
	struct finding copy;
	size_t i;
	int rc;

	flist_init(&prev);
	for (i = 0; i < findings->n; i++) {
		if (findings->v[i].state == FST_RESOLVED)
			continue;	/* the caller's own comparison */
		finding_copy(&copy, &findings->v[i]);
		copy.state = FST_NONE;
		flist_push(cmp, &copy);
	}
	rc = last_review(h, note, had_prev, &last, err, errlen);
	if (rc == RN_OK && *had_prev) {
		rc = standing_findings(h, last.id, &prev, err, errlen);
		hist_review_free(&last);
	}
	if (rc == RN_OK && *had_prev)
		flist_diff(cmp, &prev);
	flist_free(&prev);
	return rc;
}

enum rn_status
hist_record(struct hist *h, const struct hist_record_in *in,
    const struct finding_list *findings, struct hist_review *out,
    char *err, size_t errlen)
{
	struct hist_review r;
	struct finding_list cmp;
	bool had_prev = false;
	long long note;
	int rc;

	memset(&r, 0, sizeof(r));
	flist_init(&cmp);
	r.at = in->at != 0 ? in->at : time(NULL);
	rc = hist_begin(h, err, errlen);
	if (rc == RN_OK)
		rc = hist_note_id(h, in->note_key, true, &note, err, errlen);
	if (rc == RN_OK)
		rc = compare_with_last(h, note, findings, &cmp, &had_prev, err,
		    errlen);
	if (rc == RN_OK) {
		tally(&cmp, &r);
		rc = insert_review(h, note, in, &r, err, errlen);
	}
	if (rc == RN_OK)
		rc = insert_findings(h, r.id, &cmp, err, errlen);
	if (rc == RN_OK)
		rc = hist_commit(h, err, errlen);
	else
		hist_rollback(h);
	flist_free(&cmp);
	if (rc == RN_OK && out != NULL) {
		r.section = in->section != NULL ? xstrdup(in->section) : NULL;
		r.provider = xstrdup(in->provider != NULL ? in->provider :
		    "offline");
		r.model = in->model != NULL ? xstrdup(in->model) : NULL;
		r.llm = in->llm;
		r.content_hash = in->content_hash;
		*out = r;
	}
	return rc;
}

void
hist_record_in_of(struct hist_record_in *in, const char *note_key,
    const struct note *n, const char *section, const struct review *r)
{
	memset(in, 0, sizeof(*in));
	in->note_key = note_key;
	in->content_hash = fnv64(FNV64_INIT, n->src, n->src_len);
	in->section = section;
	in->provider = r->provider != NULL ? r->provider : "offline";
	in->model = r->model;
	in->llm = strcmp(in->provider, "offline") != 0;
}

enum rn_status
hist_reviews(struct hist *h, const char *note_key, struct hist_review **v,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, s;

	*v = NULL;
	*n = 0;
	rc = hist_prepare(h, "SELECT " REVIEW_COLUMNS " FROM reviews r"
	    " JOIN notes n ON n.id = r.note_id WHERE n.path = ?"
	    " ORDER BY r.id", &st, err, errlen);
	if (rc != RN_OK)
		return rc;
	hist_bind_text(st, 1, note_key);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap != 0 ? cap * 2 : 8;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		review_from_row(st, &(*v)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (s == SQLITE_DONE)
		return RN_OK;
	hist_reviews_free(*v, *n);
	*v = NULL;
	*n = 0;
	return hist_fail(h, err, errlen);
}

enum rn_status
hist_forget(struct hist *h, const char *note_key, int *removed, char *err,
    size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc, count = 0;

	rc = hist_begin(h, err, errlen);
	if (rc == RN_OK)
		rc = hist_prepare(h, "SELECT count(*) FROM reviews r JOIN notes"
		    " n ON n.id = r.note_id WHERE n.path = ?", &st, err,
		    errlen);
	if (rc == RN_OK) {
		hist_bind_text(st, 1, note_key);
		if (sqlite3_step(st) == SQLITE_ROW)
			count = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		/* ON DELETE CASCADE takes the reviews, findings and
		 * dismissals with the note. */
		rc = hist_prepare(h, "DELETE FROM notes WHERE path = ?", &st,
		    err, errlen);
	}
	if (rc == RN_OK) {
		hist_bind_text(st, 1, note_key);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = hist_fail(h, err, errlen);
		sqlite3_finalize(st);
	}
	if (rc == RN_OK)
		rc = hist_commit(h, err, errlen);
	else
		hist_rollback(h);
	if (removed != NULL)
		*removed = rc == RN_OK ? count : 0;
	return rc;
}

enum rn_status
hist_dismissed(struct hist *h, const char *note_key,
    void (*cb)(void *ud, int kind, unsigned long long hash), void *ud,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	const char *k, *hash;
	int rc, s, kind;

	rc = hist_prepare(h, "SELECT d.kind, d.hash FROM dismissals d JOIN"
	    " notes n ON n.id = d.note_id WHERE n.path = ?", &st, err,
	    errlen);
	if (rc != RN_OK)
		return rc;
	hist_bind_text(st, 1, note_key);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		k = (const char *)sqlite3_column_text(st, 0);
		hash = (const char *)sqlite3_column_text(st, 1);
		kind = finding_kind_parse(k != NULL ? k : "");
		if (kind >= 0 && hash != NULL)
			cb(ud, kind, strtoull(hash, NULL, 16));
	}
	sqlite3_finalize(st);
	return s == SQLITE_DONE ? RN_OK : hist_fail(h, err, errlen);
}

enum rn_status
hist_dismiss(struct hist *h, const char *note_key, int kind,
    unsigned long long hash, bool on, char *err, size_t errlen)
{
	char hex[17];
	sqlite3_stmt *st = NULL;
	long long note;
	int rc;

	snprintf(hex, sizeof(hex), "%016llx", hash);
	rc = hist_begin(h, err, errlen);
	if (rc == RN_OK)
		rc = hist_note_id(h, note_key, true, &note, err, errlen);
	if (rc == RN_OK)
		rc = hist_prepare(h, on ? "INSERT OR IGNORE INTO dismissals"
		    "(note_id, kind, hash, at) VALUES (?, ?, ?, ?)" :
		    "DELETE FROM dismissals WHERE note_id = ? AND kind = ?"
		    " AND hash = ?", &st, err, errlen);
	if (rc == RN_OK) {
		sqlite3_bind_int64(st, 1, note);
		hist_bind_text(st, 2, finding_kind_name((enum finding_kind)kind));
		hist_bind_text(st, 3, hex);
		if (on)
			sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
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
