/*
 * actions.c - what each key does.  Keys arrive here from the loop; the mode
 * (normal, search prompt, help, quit question) decides who reads them.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "tui_int.h"

int
tui_page(int rows)
{
	return rows > 2 ? rows - 1 : 1;
}

long
tui_step(enum tui_action a, int rows, long all)
{
	switch (a) {
	case ACT_UP:
		return -1;
	case ACT_DOWN:
		return 1;
	case ACT_HALF_UP:
		return -(rows / 2 > 0 ? rows / 2 : 1);
	case ACT_HALF_DOWN:
		return rows / 2 > 0 ? rows / 2 : 1;
	case ACT_PAGE_UP:
		return -tui_page(rows);
	case ACT_PAGE_DOWN:
		return tui_page(rows);
	case ACT_HOME:
		return -all;
	default:
		return all;
	}
}

bool
tui_is_move(enum tui_action a)
{
	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_HALF_UP:
	case ACT_HALF_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_HOME:
	case ACT_END:
		return true;
	default:
		return false;
	}
}

const struct tui_pane_ops *
tui_focused(const struct tui *t)
{
	return t->focus == FOCUS_NOTE ? &np_ops : &fp_ops;
}

/* Left and right the focused pane did not take move the focus. */
static void
side(struct tui *t, enum tui_action a)
{
	t->focus = a == ACT_LEFT || a == ACT_PANE_LEFT ? FOCUS_NOTE :
	    FOCUS_FINDINGS;
}

static void
toggle_wrap(struct tui *t)
{
	const struct finding *f = model_selected(t);

	t->nowrap = !t->nowrap;
	t->hscroll = 0;
	t->nsub = 0;
	if (f != NULL && f->line > 0)
		np_show_finding(t, f);
	tui_message(t, false, t->nowrap ? "long lines cut; \xE2\x86\x90/"
	    "\xE2\x86\x92 scroll the note sideways, w wraps again" :
	    "long lines wrapped");
}

static void
toggle_show_dismissed(struct tui *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->all.n; i++)
		n += t->all.v[i].dismissed;
	t->show_dismissed = !t->show_dismissed;
	model_rebuild_view(t);
	if (t->show_dismissed)
		tui_message(t, false, "showing %zu dismissed finding%s (x); "
		    "D hides them", n, n == 1 ? "" : "s");
	else
		tui_message(t, false, "dismissed findings hidden; D shows "
		    "them");
}

/* The line the editor opens at: the finding's, else what the note shows. */
static int
edit_line(const struct tui *t)
{
	const struct finding *f = model_selected(t);

	if (t->focus == FOCUS_FINDINGS && f != NULL)
		return model_line(f) > 0 ? model_line(f) : 1;
	if (t->match >= t->ntop && t->match < t->ntop + np_rows(t))
		return t->match;
	return t->ntop;
}

static void
cycle_filter(struct tui *t)
{
	t->filter = t->filter + 1 >= FK_COUNT ? -1 : t->filter + 1;
	model_rebuild_view(t);
	tui_message(t, false, "showing %s", t->filter < 0 ? "all findings" :
	    finding_kind_name((enum finding_kind)t->filter));
}

static void
toggle_dismissed(struct tui *t)
{
	struct finding *f = model_selected(t);
	char err[RN_ERRLEN];
	bool on;

	if (f == NULL)
		return;
	on = !f->dismissed;
	if (dis_set(t->dismissed, t->dismiss_path, f, on, err,
	    sizeof(err)) != RN_OK)
		tui_message(t, true, "%s", err);
	dis_mark(t->dismissed, &t->all);
	model_rebuild_view(t);
	if (on && !t->show_dismissed)
		tui_message(t, false, "dismissed for this note and hidden; D "
		    "shows the dismissed");
	else if (on)
		tui_message(t, false, "dismissed for this note; d restores it");
	else
		tui_message(t, false, "restored");
}

/* Esc: the answer on its way, or the open answer, then the review. */
static void
cancel(struct tui *t)
{
	if (conv_escape(t) || t->job == NULL)
		return;
	job_cancel(t->job);
	tui_message(t, false, "cancelling the review...");
}

static void
quit(struct tui *t)
{
	if (t->job != NULL)
		t->mode = MODE_ASK_QUIT;
	else
		t->quit = true;
}

/* The actions that concern no pane. */
static void
act_run_more(struct tui *t, enum tui_action a)
{
	switch (a) {
	case ACT_CANCEL:
		cancel(t);
		break;
	case ACT_REDRAW:
		tui_redraw_all(t);
		break;
	case ACT_HELP:
		t->mode = MODE_HELP;
		t->help_top = 0;
		break;
	case ACT_QUIT:
		quit(t);
		break;
	default:
		break;
	}
}

/* The focused pane first, then the detail pane, then the shared keys. */
void
act_run(struct tui *t, enum tui_action a)
{
	if (tui_focused(t)->request(t, a) || dp_ops.request(t, a))
		return;
	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT:
	case ACT_PANE_LEFT:
	case ACT_PANE_RIGHT:
		side(t, a);
		break;
	case ACT_FOCUS:
		t->focus = t->focus == FOCUS_NOTE ? FOCUS_FINDINGS : FOCUS_NOTE;
		break;
	case ACT_EDIT:
		launch_editor(t, edit_line(t));
		break;
	case ACT_REVIEW:
		tui_review_again(t);
		break;
	case ACT_FILTER:
		cycle_filter(t);
		break;
	case ACT_SEARCH:
		search_begin(t);
		break;
	case ACT_SEARCH_NEXT:
		search_next(t, 1);
		break;
	case ACT_SEARCH_PREV:
		search_next(t, -1);
		break;
	case ACT_WRAP:
		toggle_wrap(t);
		break;
	case ACT_ASK:
		conv_begin(t);
		break;
	case ACT_DISMISS:
		toggle_dismissed(t);
		break;
	case ACT_SHOW_DISMISSED:
		toggle_show_dismissed(t);
		break;
	default:
		act_run_more(t, a);
		break;
	}
}

static void
help_key(struct tui *t, int code, bool fn)
{
	int page = t->lay.rows > 6 ? t->lay.rows - 6 : 1;

	if ((fn && code == KEY_UP) || (!fn && code == 'k'))
		t->help_top--;
	else if ((fn && code == KEY_DOWN) || (!fn && code == 'j'))
		t->help_top++;
	else if ((fn && code == KEY_NPAGE) || (!fn && code == ' '))
		t->help_top += page;
	else if ((fn && code == KEY_PPAGE) || (!fn && code == 'b'))
		t->help_top -= page;
	else
		t->mode = MODE_NORMAL;
}

static void
ask_quit_key(struct tui *t, int code, bool fn)
{
	t->mode = MODE_NORMAL;
	if (!fn && (code == 'y' || code == 'Y')) {
		if (t->job != NULL)
			job_cancel(t->job);
		t->quit = true;
	}
}

void
act_key(struct tui *t, int code, bool fn)
{
	enum tui_action a;

	switch (t->mode) {
	case MODE_SEARCH:
		search_key(t, code, fn);
		return;
	case MODE_ASK:
		conv_key(t, code, fn);
		return;
	case MODE_HELP:
		help_key(t, code, fn);
		return;
	case MODE_ASK_QUIT:
		ask_quit_key(t, code, fn);
		return;
	default:
		break;
	}
	free(t->msg);
	t->msg = NULL;
	a = km_lookup(code, fn);
	if (a != ACT_NONE)
		act_run(t, a);
	else if (!fn && code > ' ' && code < 0x7f)
		tui_message(t, false, "'%c' is not a key here; ? lists "
		    "the keys", code);
}
