/*
 * pathview.c - the learning-path view: one row per section of the path
 * (per note, when a section has several), then the notes that belong to
 * no section.  Each row shows the section, the note's file or "not
 * written yet", the counts of its last review, when that was, and a
 * progress mark.
 *
 * It is a view with its own ops (draw, key), run by a small loop over the
 * same terminal code as the review screen (term.c, draw.c).  Enter opens
 * the review screen for the row's note on the same terminal (nested, see
 * tui_opts.nested_signal); when it quits, the row is read again from the
 * history.  r reviews the note offline in place; / searches the rows.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "rustnote/buf.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/history.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/pathstatus.h"
#include "rustnote/review.h"
#include "rustnote/util.h"
#include "tui_int.h"

/* A row: a section without a note, or a note (in its section or none). */
struct pv_row {
	int section;		/* index into ps.sections, or -1 */
	ssize_t note;		/* index into ps.notes, or -1 */
};

enum pv_action { PV_UP, PV_DOWN, PV_PAGE_UP, PV_PAGE_DOWN, PV_HOME, PV_END,
	PV_OPEN, PV_REVIEW, PV_SEARCH, PV_NEXT, PV_REDRAW, PV_QUIT,
	PV_NONE = -1 };

struct pathview {
	const struct tui_path_opts *opts;
	struct tui shell;	/* the terminal's state: layout, colours */
	struct hist *hist;
	struct ps_status ps;
	struct pv_row *rows;
	size_t nrows, sel, top;
	bool searching;
	struct buf input;
	char *query;
	char *msg;
	bool msg_error;
	bool dirty, quit;
	int quit_signal;
};

/* The view's ops, as a pane of the review screen has. */
struct pv_ops {
	void (*draw)(struct pathview *v);
	void (*key)(struct pathview *v, int code, bool fn);
};

/* Keys are data: code, function key?, action. */
static const struct { int code; bool fn; enum pv_action act; } pv_keys[] = {
	{ KEY_UP, true, PV_UP }, { 'k', false, PV_UP },
	{ KEY_DOWN, true, PV_DOWN }, { 'j', false, PV_DOWN },
	{ KEY_PPAGE, true, PV_PAGE_UP }, { KEY_NPAGE, true, PV_PAGE_DOWN },
	{ ' ', false, PV_PAGE_DOWN },
	{ KEY_HOME, true, PV_HOME }, { 'g', false, PV_HOME },
	{ KEY_END, true, PV_END }, { 'G', false, PV_END },
	{ '\r', false, PV_OPEN }, { '\n', false, PV_OPEN },
	{ KEY_ENTER, true, PV_OPEN }, { 'e', false, PV_OPEN },
	{ 'r', false, PV_REVIEW }, { '/', false, PV_SEARCH },
	{ 'n', false, PV_NEXT }, { 12, false, PV_REDRAW },
	{ 'q', false, PV_QUIT },
};

static const char *const pv_hints[][2] = {
	{ "Enter", "open" }, { "r", "review offline" }, { "/", "search" },
	{ "n", "next match" }, { "q", "quit" },
};

static void
pv_message(struct pathview *v, bool error, const char *s)
{
	free(v->msg);
	v->msg = layout_printable(s, strlen(s), false);
	v->msg_error = error;
	v->dirty = true;
}

static void
add_row(struct pathview *v, int section, ssize_t note)
{
	v->rows = xreallocarray(v->rows, v->nrows + 1, sizeof(*v->rows));
	v->rows[v->nrows].section = section;
	v->rows[v->nrows].note = note;
	v->nrows++;
}

/* Curriculum order: each section with its notes, then the others. */
static void
build_rows(struct pathview *v)
{
	const struct ps_status *s = &v->ps;
	size_t i;
	int k;

	for (k = 0; k < s->nsections; k++) {
		if (s->sections[k].nnotes == 0)
			add_row(v, k, -1);
		for (i = 0; i < s->sections[k].nnotes; i++)
			add_row(v, k, (ssize_t)s->sections[k].notes[i]);
	}
	for (i = 0; i < s->nnotes; i++) {
		if (s->notes[i].section < 0)
			add_row(v, -1, (ssize_t)i);
	}
}

static const struct ps_note *
row_note(const struct pathview *v, size_t r)
{
	return v->rows[r].note >= 0 ? &v->ps.notes[v->rows[r].note] : NULL;
}

static int
list_rows(void)
{
	return LINES - 3 > 0 ? LINES - 3 : 0;	/* title, header, keys */
}

static void
keep_in_view(struct pathview *v)
{
	int h = list_rows();

	if (h <= 0)
		return;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + (size_t)h)
		v->top = v->sel - (size_t)h + 1;
}

/* "·" not written, "○" not reviewed, "◐" findings left, "●" clean. */
static const char *
progress_mark(const struct ps_note *pn, enum tui_role *role)
{
	int k, left = 0;

	*role = R_FADED;
	if (pn == NULL)
		return "\xC2\xB7";
	if (!pn->reviewed)
		return "\xE2\x97\x8B";
	for (k = 0; k < FK_COUNT; k++)
		left += pn->last.counts[k];
	*role = left == 0 ? R_GAP : R_INCORRECT;
	return left == 0 ? "\xE2\x97\x8F" : "\xE2\x97\x90";
}

/* Column widths for the terminal's width. */
struct pv_cols { int num, title, file, counts, when; };

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* Column widths for the terminal's width: the file names as wide as the
 * longest (up to half the room), the titles get the rest. */
static struct pv_cols
columns(const struct pathview *v)
{
	struct pv_cols c = { 3, 0, 15, 15, 12 };
	int rest = COLS - (c.num + 3 + c.counts + c.when + 6), w;
	size_t i;

	for (i = 0; i < v->ps.nnotes; i++) {
		w = layout_width(base_name(v->ps.notes[i].path),
		    strlen(base_name(v->ps.notes[i].path)));
		if (w > c.file)
			c.file = w;
	}
	if (c.file > rest / 2)
		c.file = rest / 2 > 4 ? rest / 2 : 4;
	c.title = rest - c.file;
	if (c.title < 4)
		c.title = 4;
	return c;
}

static void
draw_row(struct pathview *v, size_t r, int y, const struct pv_cols *c,
    time_t now)
{
	const struct pv_row *row = &v->rows[r];
	const struct ps_note *pn = row_note(v, r);
	bool sel = r == v->sel;
	enum tui_role base = sel ? R_SELECTED : R_NORMAL, mrole;
	const char *mark = progress_mark(pn, &mrole), *title, *file;
	char buf[64], *ago;
	int x = 0;

	if (sel)
		draw_fill(y, 0, COLS, R_SELECTED);
	if (row->section >= 0)
		snprintf(buf, sizeof(buf), "%*d", c->num,
		    v->ps.sections[row->section].number);
	else
		snprintf(buf, sizeof(buf), "%*s", c->num, "-");
	x += draw_text(y, x, buf, strlen(buf), c->num, base) + 1;
	x += draw_text(y, x, mark, strlen(mark), 1, sel ? base : mrole) + 1;
	title = row->section >= 0 ? v->ps.sections[row->section].title :
	    pn->title;
	if (row->section >= 0 && layout_width(title, strlen(title)) > c->title)
		title = v->ps.sections[row->section].short_title;
	draw_text(y, x, title, strlen(title), c->title, base);
	x += c->title + 2;
	file = pn != NULL ? base_name(pn->path) : "not written yet";
	draw_text(y, x, file, strlen(file), c->file, pn != NULL ? base :
	    (sel ? base : R_FADED));
	x += c->file + 2;
	if (pn == NULL || !pn->reviewed) {
		if (pn != NULL)
			draw_text(y, x + c->counts + 2, pn->error != NULL ?
			    "unreadable" : "not reviewed", pn->error != NULL ?
			    10 : 12, c->when, sel ? base : R_FADED);
		return;
	}
	snprintf(buf, sizeof(buf), "%3d %3d %3d %3d", pn->last.counts[0],
	    pn->last.counts[1], pn->last.counts[2], pn->last.counts[3]);
	draw_text(y, x, buf, strlen(buf), c->counts, base);
	ago = hist_ago(pn->last.at, now);
	draw_text(y, x + c->counts + 2, ago, strlen(ago), c->when, base);
	free(ago);
}

static void
draw_header(const struct pathview *v, const struct pv_cols *c)
{
	struct buf b;
	size_t i, written = 0, reviewed = 0;

	int k;

	for (k = 0; k < v->ps.nsections; k++)
		written += v->ps.sections[k].nnotes > 0;
	for (i = 0; i < v->ps.nnotes; i++)
		reviewed += v->ps.notes[i].reviewed;
	buf_init(&b, 0);
	if (v->ps.overview != NULL)
		buf_printf(&b, " %s: %d sections, %zu with a note, %zu of %zu "
		    "notes reviewed", base_name(v->ps.overview),
		    v->ps.nsections, written, reviewed, v->ps.nnotes);
	else
		buf_printf(&b, " %s: no learning path (overview.md or "
		    "curriculum.md); %zu notes", v->opts->dir, v->ps.nnotes);
	draw_fill(0, 0, COLS, R_STATUS);
	draw_text(0, 0, buf_str(&b), b.len, COLS, R_STATUS);
	buf_reset(&b);
	buf_printf(&b, "%*s   %-*s  %-*s  gap inc asm scp  reviewed", c->num,
	    "#", c->title, "section", c->file, "note");
	draw_text(1, 0, buf_str(&b), b.len, COLS, R_TITLE);
	buf_free(&b);
}

static void
draw_keys(struct pathview *v)
{
	int y = LINES - 1, x = 1, w;
	size_t i;

	if (v->searching) {
		draw_text(y, 0, "/", 1, COLS, R_KEY);
		w = draw_text(y, 1, buf_str(&v->input), v->input.len,
		    COLS - 2, R_NORMAL);
		move(y, 1 + w);
		return;
	}
	if (v->msg != NULL) {
		draw_text(y, 1, v->msg, strlen(v->msg), COLS - 1,
		    v->msg_error ? R_ERROR : R_NORMAL);
		return;
	}
	for (i = 0; i < sizeof(pv_hints) / sizeof(pv_hints[0]); i++) {
		x += draw_text(y, x, pv_hints[i][0], strlen(pv_hints[i][0]),
		    COLS - x, R_KEY) + 1;
		x += draw_text(y, x, pv_hints[i][1], strlen(pv_hints[i][1]),
		    COLS - x, R_NORMAL) + 2;
		if (x >= COLS)
			break;
	}
}

static void
pv_draw(struct pathview *v)
{
	struct pv_cols c = columns(v);
	time_t now = time(NULL);
	int h = list_rows(), i;

	erase();
	draw_header(v, &c);
	keep_in_view(v);
	for (i = 0; i < h && v->top + (size_t)i < v->nrows; i++)
		draw_row(v, v->top + (size_t)i, 2 + i, &c, now);
	if (v->nrows == 0)
		draw_text(2, 1, "no notes and no sections here", 29, COLS - 1,
		    R_FADED);
	draw_keys(v);
	curs_set(v->searching ? 1 : 0);
	wnoutrefresh(stdscr);
	doupdate();
	v->dirty = false;
}

static bool
row_matches(const struct pathview *v, size_t r, const char *q)
{
	const struct ps_note *pn = row_note(v, r);
	int s = v->rows[r].section;

	return (s >= 0 && str_icase_find(v->ps.sections[s].title, q) != NULL) ||
	    (pn != NULL && (str_icase_find(pn->path, q) != NULL ||
	    str_icase_find(pn->title, q) != NULL));
}

/* Select the next row (after the selected one when skip) that matches. */
static void
pv_search_from(struct pathview *v, bool skip)
{
	size_t i, r;

	if (v->query == NULL || v->query[0] == '\0' || v->nrows == 0)
		return;
	for (i = skip ? 1 : 0; i <= v->nrows; i++) {
		r = (v->sel + i) % v->nrows;
		if (row_matches(v, r, v->query)) {
			v->sel = r;
			free(v->msg);
			v->msg = NULL;
			return;
		}
	}
	pv_message(v, true, "no row matches");
}

static void
pv_search_key(struct pathview *v, int code, bool fn)
{
	if (!fn && code == 27) {
		v->searching = false;
	} else if ((!fn && (code == '\r' || code == '\n')) ||
	    (fn && code == KEY_ENTER)) {
		v->searching = false;
		free(v->query);
		v->query = xstrdup(buf_str(&v->input));
		pv_search_from(v, false);
	} else if ((fn && code == KEY_BACKSPACE) || (!fn && (code == 127 ||
	    code == 8))) {
		size_t n = v->input.len;

		if (n == 0)
			return;
		while (n > 0 && ((unsigned char)v->input.data[n - 1] & 0xC0) ==
		    0x80)
			n--;
		v->input.len = n > 0 ? n - 1 : 0;
		v->input.data[v->input.len] = '\0';
	} else if (!fn && code >= 32 && code != 127 && v->input.len < 200) {
		char u[MB_LEN_MAX];
		mbstate_t st;
		size_t n;

		memset(&st, 0, sizeof(st));
		n = wcrtomb(u, (wchar_t)code, &st);
		if (n != (size_t)-1)
			buf_add(&v->input, u, n);
	}
	v->dirty = true;
}

/* The note and what it is reviewed against, as `review` chooses it. */
static int
load_note(const char *path, struct note **n, struct ovw_choice *ch,
    char *err, size_t errlen)
{
	int rc = note_load(path, n, err, errlen);

	memset(ch, 0, sizeof(*ch));
	if (rc == RN_OK)
		rc = ovw_choose(*n, NULL, ch, err, errlen);
	return rc;
}

/* Enter: the review screen for the note, on this terminal. */
static void
open_note(struct pathview *v, size_t idx)
{
	const struct ps_note *pn = &v->ps.notes[idx];
	struct tui_opts to = { .note_path = pn->path, .cfg = v->opts->cfg,
	    .rules = v->opts->rules, .llm = v->opts->llm,
	    .nested_signal = &v->quit_signal };
	char err[RN_ERRLEN], *label = NULL;
	struct ovw_choice ch;
	struct note *n = NULL;
	int rc;

	rc = load_note(pn->path, &n, &ch, err, sizeof(err));
	note_free(n);
	if (rc == RN_OK) {
		if (!ch.path->single)
			label = ovw_section_label(ch.path, ch.index);
		to.overview_path = ch.file;
		to.ovw = ch.ovw;
		to.section = label;
		rc = tui_run(&to, err, sizeof(err));
	}
	free(label);
	ovw_choice_free(&ch);
	/* the review screen may have moved the same history on */
	ps_refresh(&v->ps, v->hist, idx);
	if (v->quit_signal != 0)
		v->quit = true;
	if (rc != RN_OK)
		pv_message(v, true, err);
	term_resize(&v->shell);
	clearok(curscr, TRUE);
	v->dirty = true;
}

/* r: the offline checks now, recorded, the row read again. */
static void
review_offline(struct pathview *v, size_t idx)
{
	struct review_events ev = { NULL, NULL, NULL, NULL };
	const struct ps_note *pn = &v->ps.notes[idx];
	struct config cfg = *v->opts->cfg;
	char err[RN_ERRLEN], msg[RN_ERRLEN + 64];
	struct hist_record_in in;
	struct hist_review rec;
	struct ovw_choice ch;
	struct note *n = NULL;
	struct review r;
	int rc;

	cfg.backend = CFG_OFFLINE;
	review_init(&r);
	rc = load_note(pn->path, &n, &ch, err, sizeof(err));
	if (rc == RN_OK)
		rc = review_run(&cfg, NULL, n, ch.ovw, v->opts->rules, &ev,
		    &r, err, sizeof(err));
	if (rc == RN_OK && v->hist != NULL) {
		char *section = ps_section_of_choice(&ch);

		hist_record_in_of(&in, pn->key, n, section, &r);
		rc = hist_record(v->hist, &in, &r.findings, &rec, err,
		    sizeof(err));
		free(section);
		if (rc == RN_OK) {
			snprintf(msg, sizeof(msg), "%s: %zu findings offline; "
			    "%d fixed, %d new", pn->path, r.findings.n,
			    rec.nresolved, rec.nnew);
			hist_review_free(&rec);
		}
	} else if (rc == RN_OK)
		snprintf(msg, sizeof(msg), "%s: %zu findings offline (history "
		    "is off)", pn->path, r.findings.n);
	pv_message(v, rc != RN_OK, rc == RN_OK ? msg : err);
	ps_refresh(&v->ps, v->hist, idx);
	review_free(&r);
	ovw_choice_free(&ch);
	note_free(n);
}

static enum pv_action
lookup(int code, bool fn)
{
	size_t i;

	for (i = 0; i < sizeof(pv_keys) / sizeof(pv_keys[0]); i++) {
		if (pv_keys[i].code == code && pv_keys[i].fn == fn)
			return pv_keys[i].act;
	}
	return PV_NONE;
}

static void
move_sel(struct pathview *v, long delta)
{
	long s = (long)v->sel + delta;

	if (v->nrows == 0)
		return;
	if (s < 0)
		s = 0;
	if (s >= (long)v->nrows)
		s = (long)v->nrows - 1;
	v->sel = (size_t)s;
}

static void
act_on_note(struct pathview *v, enum pv_action a)
{
	ssize_t note = v->nrows > 0 ? v->rows[v->sel].note : -1;

	if (note < 0) {
		pv_message(v, false, "not written yet: write the note for this "
		    "section, then review it");
		return;
	}
	if (a == PV_OPEN)
		open_note(v, (size_t)note);
	else
		review_offline(v, (size_t)note);
}

static void
pv_key(struct pathview *v, int code, bool fn)
{
	enum pv_action a;
	long page = list_rows() > 1 ? list_rows() - 1 : 1;

	if (v->searching) {
		pv_search_key(v, code, fn);
		return;
	}
	a = lookup(code, fn);
	if (a != PV_NONE && v->msg != NULL) {
		free(v->msg);
		v->msg = NULL;
	}
	switch (a) {
	case PV_UP: move_sel(v, -1); break;
	case PV_DOWN: move_sel(v, 1); break;
	case PV_PAGE_UP: move_sel(v, -page); break;
	case PV_PAGE_DOWN: move_sel(v, page); break;
	case PV_HOME: move_sel(v, -(long)v->nrows); break;
	case PV_END: move_sel(v, (long)v->nrows); break;
	case PV_OPEN:
	case PV_REVIEW: act_on_note(v, a); break;
	case PV_SEARCH:
		v->searching = true;
		buf_reset(&v->input);
		break;
	case PV_NEXT: pv_search_from(v, true); break;
	case PV_REDRAW: clearok(curscr, TRUE); break;
	case PV_QUIT: v->quit = true; break;
	case PV_NONE: break;
	}
	v->dirty = true;
}

static const struct pv_ops pv_ops = { pv_draw, pv_key };

static void
pv_read_keys(struct pathview *v)
{
	wint_t wc;
	int rc;

	while (!v->quit && (rc = get_wch(&wc)) != ERR) {
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE)
			term_resize(&v->shell);
		else
			pv_ops.key(v, (int)wc, rc == KEY_CODE_YES);
		v->dirty = true;
	}
}

static int
pv_loop(struct pathview *v, char *err, size_t errlen)
{
	struct pollfd pfd[2];
	int n, sig;

	while (!v->quit) {
		if (v->dirty || v->shell.dirty) {
			pv_ops.draw(v);
			v->shell.dirty = false;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = term_wake_fd();
		pfd[1].events = POLLIN;
		n = poll(pfd, 2, -1);
		if (n < 0 && errno != EINTR)
			return rn_fail(err, errlen, RN_EFAIL, "poll: %s",
			    strerror(errno));
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;
		term_drain_wake();
		if ((sig = term_take_signal()) != 0) {
			v->quit = true;
			v->quit_signal = sig;
		}
		if (term_take_resize()) {
			term_resize(&v->shell);
			v->dirty = true;
		}
		pv_read_keys(v);
	}
	return RN_OK;
}

static void
pv_close(struct pathview *v)
{
	ps_free(&v->ps);
	hist_close(v->hist);
	free(v->rows);
	free(v->query);
	free(v->msg);
	buf_free(&v->input);
}

int
tui_path_run(const struct tui_path_opts *o, char *err, size_t errlen)
{
	struct pathview v;
	char herr[RN_ERRLEN], *path;
	int rc, sig;

	setlocale(LC_ALL, "");
	memset(&v, 0, sizeof(v));
	v.opts = o;
	buf_init(&v.input, 0);
	path = hist_default_path();
	if (hist_open(path, &v.hist, herr, sizeof(herr)) != RN_OK) {
		char msg[RN_ERRLEN + 32];

		snprintf(msg, sizeof(msg), "history is off: %s", herr);
		pv_message(&v, true, msg);
	}
	free(path);
	rc = ps_load(o->dir, v.hist, &v.ps, err, errlen);
	if (rc == RN_OK) {
		build_rows(&v);
		rc = term_init(&v.shell, err, errlen);
	}
	if (rc == RN_OK) {
		term_resize(&v.shell);
		v.dirty = true;
		rc = pv_loop(&v, err, errlen);
		term_done();
	}
	sig = v.quit_signal;
	pv_close(&v);
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
		/* die of it, as the review screen does */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}
