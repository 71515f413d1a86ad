/*
 * cmd_history.c - "rustnote history [--json] [--forget] NOTE.md": the
 * note's stored reviews, oldest first, or (--forget) delete them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/history.h"
#include "rustnote/sanitize.h"

#include "cli.h"

static const char *const count_keys[FK_COUNT] = {
	"gap", "incorrect", "assumption", "scope"
};

/* Stored text passes the sanitiser again: the file may have been edited. */
static void
add_text(cJSON *o, const char *key, const char *s)
{
	char *t = san_str(s, SAN_NEWLINE | SAN_TAB, 0);

	cJSON_AddStringToObject(o, key, t);
	free(t);
}

static void
add_text_or_null(cJSON *o, const char *key, const char *s)
{
	if (s != NULL)
		add_text(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *
counts_json(const int counts[FK_COUNT])
{
	cJSON *o = cJSON_CreateObject();
	int k;

	for (k = 0; k < FK_COUNT; k++)
		cJSON_AddNumberToObject(o, count_keys[k], counts[k]);
	return o;
}

/* What a review resolved: enough to recognise each finding. */
static cJSON *
resolved_json(struct hist *h, long long id)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	struct finding_list l;
	size_t i;

	flist_init(&l);
	hist_review_findings(h, id, FST_RESOLVED, &l, NULL, 0);
	for (i = 0; i < l.n; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "kind",
		    finding_kind_name(l.v[i].kind));
		cJSON_AddNumberToObject(o, "line", l.v[i].line);
		add_text(o, "quote", l.v[i].quote);
		add_text(o, "message", l.v[i].message);
		cJSON_AddItemToArray(arr, o);
	}
	flist_free(&l);
	return arr;
}

static cJSON *
review_json(struct hist *h, const struct hist_review *r)
{
	cJSON *o = cJSON_CreateObject();
	char at[32];

	hist_iso8601(r->at, at, sizeof(at));
	cJSON_AddStringToObject(o, "at", at);
	cJSON_AddStringToObject(o, "source", r->llm ? "llm" : "offline");
	add_text(o, "provider", r->provider);
	add_text_or_null(o, "model", r->model);
	add_text_or_null(o, "section", r->section);
	cJSON_AddItemToObject(o, "counts", counts_json(r->counts));
	cJSON_AddNumberToObject(o, "new", r->nnew);
	cJSON_AddNumberToObject(o, "persisting", r->npersist);
	cJSON_AddNumberToObject(o, "resolved", r->nresolved);
	cJSON_AddItemToObject(o, "resolved_findings", resolved_json(h, r->id));
	return o;
}

/* {"at", "line", "finding": {"kind", "quote", "message"} | null,
 *  "question", "answer", "provider", "model"} */
static cJSON *
question_json(const struct hist_question *q)
{
	cJSON *o = cJSON_CreateObject(), *f;
	char at[32];

	hist_iso8601(q->at, at, sizeof(at));
	add_text(o, "at", at);
	cJSON_AddNumberToObject(o, "line", q->line);
	if (q->kind != NULL) {
		f = cJSON_AddObjectToObject(o, "finding");
		add_text(f, "kind", q->kind);
		add_text_or_null(f, "quote", q->quote);
		add_text_or_null(f, "message", q->message);
	} else
		cJSON_AddNullToObject(o, "finding");
	add_text(o, "question", q->question);
	add_text(o, "answer", q->answer);
	add_text(o, "provider", q->provider);
	add_text_or_null(o, "model", q->model);
	return o;
}

struct questions {
	struct hist_question *v;
	size_t n;
};

static void
print_json(struct hist *h, const char *note, const struct hist_review *v,
    size_t n, const struct questions *qs)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	char *s;
	size_t i;

	add_text(o, "note", note);
	arr = cJSON_AddArrayToObject(o, "reviews");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, review_json(h, &v[i]));
	arr = cJSON_AddArrayToObject(o, "questions");
	for (i = 0; i < qs->n; i++)
		cJSON_AddItemToArray(arr, question_json(&qs->v[i]));
	s = cJSON_Print(o);
	if (s != NULL)
		printf("%s\n", s);
	free(s);
	cJSON_Delete(o);
}

/* "2026-12-02 15:20  offline  gap 1 inc 3 asm 2 scp 2  8 new, ..." */
static void
print_plain(const char *note, const struct hist_review *v, size_t n)
{
	char at[32], who[96];
	struct tm tm;
	size_t i;

	san_fputs(note, 0, stdout);
	printf(": %zu review%s\n", n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		if (gmtime_r(&v[i].at, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		strftime(at, sizeof(at), "%Y-%m-%d %H:%M UTC", &tm);
		snprintf(who, sizeof(who), "%s%s%s", v[i].provider,
		    v[i].model != NULL ? "/" : "",
		    v[i].model != NULL ? v[i].model : "");
		printf("%s  ", at);
		san_fputs(who, 0, stdout);
		printf("%*s  gap %d inc %d asm %d scp %d  %d new, %d persisting, "
		    "%d resolved\n", (int)(strlen(who) < 24 ? 24 - strlen(who) :
		    0), "", v[i].counts[FK_GAP], v[i].counts[FK_INCORRECT],
		    v[i].counts[FK_ASSUMPTION], v[i].counts[FK_SCOPE],
		    v[i].nnew, v[i].npersist, v[i].nresolved);
	}
}

/* "2026-12-02 15:40 UTC  line 48  Why is this wrong?" and the answer,
 * indented. */
static void
print_questions(const struct questions *qs)
{
	char at[32];
	struct tm tm;
	size_t i;

	if (qs->n > 0)
		printf("\n%zu question%s to the tutor\n", qs->n,
		    qs->n == 1 ? "" : "s");
	for (i = 0; i < qs->n; i++) {
		if (gmtime_r(&qs->v[i].at, &tm) == NULL)
			memset(&tm, 0, sizeof(tm));
		strftime(at, sizeof(at), "%Y-%m-%d %H:%M UTC", &tm);
		printf("%s  line %d  ", at, qs->v[i].line);
		san_fputs(qs->v[i].question, 0, stdout);
		fputs("\n  ", stdout);
		san_fputs(qs->v[i].answer, 0, stdout);
		fputc('\n', stdout);
	}
}

static int
forget(struct hist *h, const char *note, const char *key)
{
	char err[RN_ERRLEN];
	int removed;

	if (hist_forget(h, key, &removed, err, sizeof(err)) != RN_OK) {
		cli_error(err);
		return RN_EFAIL;
	}
	san_fputs(note, 0, stdout);
	printf(": history deleted (%d review%s)\n", removed,
	    removed == 1 ? "" : "s");
	return RN_OK;
}

static int
history_run(struct cli *c)
{
	char err[RN_ERRLEN], *key = NULL;
	struct hist_review *v = NULL;
	struct questions qs = { NULL, 0 };
	struct hist *h;
	size_t n = 0;
	int rc = RN_EFAIL;

	if (c->mode == CLI_OUT_JSONL)
		return cli_usage_error("%s", "history: --jsonl is not an "
		    "output of this command (use --json)");
	h = cli_history_open(false);
	if (h == NULL)
		return RN_EFAIL;
	key = hist_note_key(c->note);
	if (c->forget)
		rc = forget(h, c->note, key);
	else if (hist_reviews(h, key, &v, &n, err, sizeof(err)) != RN_OK ||
	    hist_questions(h, key, &qs.v, &qs.n, err, sizeof(err)) != RN_OK)
		cli_error(err);
	else {
		if (c->mode == CLI_OUT_JSON)
			print_json(h, c->note, v, n, &qs);
		else {
			print_plain(c->note, v, n);
			print_questions(&qs);
		}
		rc = RN_OK;
	}
	hist_questions_free(qs.v, qs.n);
	hist_reviews_free(v, n);
	free(key);
	hist_close(h);
	return rc;
}

const struct cli_command cli_history = {
	.name = "history",
	.operands = "NOTE.md",
	.help = "the note's past reviews and questions (--json; --forget)",
	.min_args = 1,
	.max_args = 1,
	.run = history_run,
};
