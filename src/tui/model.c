/*
 * model.c - the findings as the view sees them: sorted, filtered by kind,
 * with one selected, and compared with the previous review.
 *
 * The list is re-sorted whenever findings arrive or move.  Until the
 * learner picks a finding the first row is selected; after, the selection
 * follows the finding itself (kind and message), not its row, so a finding
 * streaming in above the one being read does not move the reader.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/note.h"
#include "rustnote/util.h"
#include "tui_int.h"

/* What identifies the selected finding across a re-sort or a reload. */
struct sel_key {
	bool valid;
	enum finding_kind kind;
	int line;
	char *message;
};

bool
model_is_faded(const struct finding *f)
{
	return f->dismissed || f->state == FST_RESOLVED ||
	    f->state == FST_FIXED;
}

int
model_line(const struct finding *f)
{
	return f->line > 0 ? f->line : f->was_line;
}

struct finding *
model_selected(const struct tui *t)
{
	if (t->sel >= t->nview)
		return NULL;
	return &t->all.v[t->view[t->sel]];
}

static void
sel_save(const struct tui *t, struct sel_key *k)
{
	const struct finding *f = model_selected(t);

	memset(k, 0, sizeof(*k));
	if (f == NULL)
		return;
	k->valid = true;
	k->kind = f->kind;
	k->line = f->line;
	k->message = xstrdup(f->message != NULL ? f->message : "");
}

/* The view row of the saved finding, or the row nearest its line. */
static size_t
sel_find(const struct tui *t, const struct sel_key *k)
{
	size_t i, best = 0;
	int d, bestd = -1;
	const struct finding *f;

	for (i = 0; i < t->nview; i++) {
		f = &t->all.v[t->view[i]];
		if (f->kind == k->kind && f->message != NULL &&
		    strcmp(f->message, k->message) == 0)
			return i;
		d = abs(f->line - k->line);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

static bool
passes_filter(const struct tui *t, const struct finding *f)
{
	if (f->dismissed && !t->show_dismissed)
		return false;
	return t->filter < 0 || (int)f->kind == t->filter;
}

static bool
is_key(const struct tui *t, const struct sel_key *k)
{
	const struct finding *f = model_selected(t);

	return f != NULL && k->valid && f->kind == k->kind &&
	    f->message != NULL && strcmp(f->message, k->message) == 0;
}

/*
 * Rebuild the filtered rows.  Until the learner picks a finding, the first
 * row is selected (findings stream in sorted, so it may change); after,
 * the picked finding stays selected while it is shown.
 */
static void
rebuild(struct tui *t, const struct sel_key *k)
{
	size_t i;

	fp_free_rows(t);
	t->view = xreallocarray(t->view, t->all.n + 1, sizeof(*t->view));
	t->nview = 0;
	for (i = 0; i < t->all.n; i++) {
		if (passes_filter(t, &t->all.v[i]))
			t->view[t->nview++] = i;
	}
	fp_label_rows(t);
	t->sel = k->valid && t->sel_chosen ? sel_find(t, k) : 0;
	if (t->nview > 0 && !is_key(t, k))
		model_select(t, t->sel);
}

void
model_rebuild_view(struct tui *t)
{
	struct sel_key k;

	sel_save(t, &k);
	rebuild(t, &k);
	free(k.message);
	model_mark_lines(t);
}

/* Mark a finding against the previous review while it streams in. */
static void
mark_against_prev(const struct tui *t, struct finding *f)
{
	size_t i;

	if (!t->have_prev)
		return;
	f->state = FST_NEW;
	for (i = 0; i < t->prev.n; i++) {
		if (finding_same(&t->prev.v[i], f)) {
			f->state = FST_PERSIST;
			return;
		}
	}
}

/* Takes f's fields; model_rebuild_view() then shows it. */
void
model_add(struct tui *t, struct finding *f)
{
	f->dismissed = dis_has(t->dismissed, f);
	mark_against_prev(t, f);
	flist_push(&t->all, f);
}

/* Sort and show the list after findings were added or moved. */
void
model_commit(struct tui *t)
{
	struct sel_key k;

	sel_save(t, &k);
	flist_sort(&t->all);
	rebuild(t, &k);
	free(k.message);
	model_mark_lines(t);
}

/* Take the final list of a review in place of the streamed one. */
void
model_replace(struct tui *t, struct finding_list *l)
{
	struct finding_list old = t->all;
	struct sel_key k;

	sel_save(t, &k);
	t->all = *l;
	flist_init(l);
	dis_mark(t->dismissed, &t->all);
	flist_free(&old);
	flist_sort(&t->all);
	t->nview = 0;
	rebuild(t, &k);
	free(k.message);
	model_mark_lines(t);
}

/*
 * The review is over: its final list (merged and sorted) replaces the one
 * that streamed in.  A complete review is compared with the previous one,
 * which adds the resolved findings, marked.  An incomplete one cannot tell
 * what was resolved, so the previous findings it did not repeat stay.
 */
void
model_finish(struct tui *t, struct finding_list *l, bool complete)
{
	size_t i;

	if (t->have_prev && complete)
		flist_diff(l, &t->prev);
	else if (t->have_prev) {
		for (i = 0; i < l->n; i++)
			mark_against_prev(t, &l->v[i]);
		flist_merge(l, &t->prev);
	}
	model_replace(t, l);
}

void
model_select(struct tui *t, size_t idx)
{
	const struct finding *f;

	if (t->nview == 0)
		return;
	if (idx >= t->nview)
		idx = t->nview - 1;
	t->sel = idx;
	t->dtop = 0;
	f = model_selected(t);
	if (f != NULL && f->line > 0)
		np_show_finding(t, f);
	else if (f != NULL && f->was_line > 0)
		np_show_line(t, f->was_line, f->was_line);
	else if (f != NULL)
		np_show_line(t, 1, 1);	/* about the whole note: its top */
}

/* A quote that is gone keeps the line it was on, for the row and Enter. */
static void
remember_line(struct finding *f, int old_line)
{
	if (f->line != 0)
		f->was_line = 0;
	else if (old_line != 0 && f->quote != NULL && f->quote[0] != '\0')
		f->was_line = old_line;
}

/*
 * After an edit: find every finding's quote in the new text.  One whose
 * quote was on screen before and is gone now was probably fixed; it stays
 * listed, marked, until the next review says whether it is resolved.
 */
void
model_reanchor(struct tui *t)
{
	struct finding *f;
	int old_line;
	size_t i;

	for (i = 0; i < t->all.n; i++) {
		f = &t->all.v[i];
		old_line = f->line;
		finding_anchor(f, t->note);
		remember_line(f, old_line);
		if (f->state == FST_RESOLVED)
			continue;
		if (old_line != 0 && f->line == 0 && f->quote != NULL &&
		    f->quote[0] != '\0')
			f->state = FST_FIXED;
		else if (f->state == FST_FIXED && f->line != 0)
			f->state = t->have_prev ? FST_PERSIST : FST_NONE;
	}
	model_commit(t);
}

void
model_count(const struct tui *t, int counts[FK_COUNT], int *faded)
{
	size_t i;

	memset(counts, 0, sizeof(int) * FK_COUNT);
	*faded = 0;
	for (i = 0; i < t->all.n; i++) {
		if (model_is_faded(&t->all.v[i]))
			(*faded)++;
		else if ((int)t->all.v[i].kind < FK_COUNT)
			counts[t->all.v[i].kind]++;
	}
}

/* Which note lines carry a live finding: the gutter shows a mark there. */
void
model_mark_lines(struct tui *t)
{
	const struct finding *f;
	int n = t->note->nlines, l, end;
	size_t i;

	t->line_kind = xrealloc(t->line_kind, (size_t)n + 2);
	memset(t->line_kind, -1, (size_t)n + 2);
	for (i = 0; i < t->all.n; i++) {
		f = &t->all.v[i];
		if (model_is_faded(f) || f->line <= 0)
			continue;
		end = f->end_line > f->line ? f->end_line : f->line;
		for (l = f->line; l <= end && l <= n; l++) {
			if (t->line_kind[l] < 0)
				t->line_kind[l] = (signed char)f->kind;
		}
	}
}
