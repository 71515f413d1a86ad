/*
 * since.c - the review screen's memory across sessions (history.h).
 *
 * On opening, the note's last stored review becomes the base of the
 * comparison, so the first review of the session marks its findings new
 * or persisting and shows the ones that went away as resolved, as a
 * second review in one session does.  Each complete review is recorded,
 * and the line under the status bar says what changed: "since the last
 * review (2 days ago): 3 fixed, 1 new".  A database that cannot be used
 * is said once; the screen works on without history.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rustnote/err.h"
#include "rustnote/history.h"
#include "rustnote/note.h"
#include "rustnote/pathstatus.h"
#include "rustnote/review.h"
#include "rustnote/util.h"
#include "tui_int.h"

void
since_open(struct tui *t)
{
	char err[RN_ERRLEN], *path = hist_default_path();
	struct hist_review last;
	bool found = false;

	t->hist_key = hist_note_key(t->opts->note_path);
	if (hist_open(path, &t->hist, err, sizeof(err)) != RN_OK) {
		tui_message(t, true, "history is off: %s", err);
		free(path);
		return;
	}
	free(path);
	if (hist_last(t->hist, t->hist_key, &found, &last, &t->prev, err,
	    sizeof(err)) != RN_OK) {
		tui_message(t, true, "history is off: %s", err);
		hist_close(t->hist);
		t->hist = NULL;
		flist_clear(&t->prev);
		return;
	}
	if (found) {
		t->have_prev = true;
		t->last_at = last.at;
		hist_review_free(&last);
	}
}

/*
 * Record a finished review of note n (its findings are now t->all; the
 * resolved ones there are left out) and say what changed since the last
 * stored one, before the review's own message.
 */
void
since_record(struct tui *t, const struct note *n, int rc,
    const struct review *r)
{
	struct hist_record_in in;
	struct hist_review rec;
	char err[RN_ERRLEN], *ago, *section;

	if (t->hist == NULL || rc != RN_OK)
		return;
	section = ps_section_of(n);
	hist_record_in_of(&in, t->hist_key, n, section, r);
	rc = hist_record(t->hist, &in, &t->all, &rec, err, sizeof(err));
	free(section);
	if (rc != RN_OK) {
		tui_message(t, true, "history is off: %s", err);
		hist_close(t->hist);
		t->hist = NULL;
		return;
	}
	if (t->last_at != 0) {
		ago = hist_ago(t->last_at, rec.at);
		tui_message(t, false, "since the last review (%s): %d fixed, "
		    "%d new%s%s", ago, rec.nresolved, rec.nnew,
		    t->msg != NULL ? " - " : "", t->msg != NULL ? t->msg : "");
		free(ago);
	}
	t->last_at = rec.at;
	hist_review_free(&rec);
}

void
since_close(struct tui *t)
{
	hist_close(t->hist);
	t->hist = NULL;
	free(t->hist_key);
	t->hist_key = NULL;
}
