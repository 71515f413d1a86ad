/*
 * tui.c - the review view's loop.
 *
 * Set up, start the first review, then sleep in poll() on the keyboard and
 * the self-pipe (worker events and signals).  Idle, poll() has no timeout,
 * so an open review costs no CPU; while a review runs it wakes every
 * TICK_MS to move the elapsed time on.  Whatever woke it is handled, and
 * the screen is drawn again when something changed (curses sends only the
 * cells that differ).
 */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/layout.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/review.h"
#include "rustnote/sanitize.h"
#include "rustnote/tui.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define TICK_MS 100

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * RUSTNOTE_BENCH_FIRST_PAINT=FILE appends "EVENT MONOTONIC-SECONDS
 * MS-SINCE-START" lines (first-paint, review-done) for the benchmark.
 */
static void
bench_mark(const struct tui *t, const char *what)
{
	const char *path = getenv("RUSTNOTE_BENCH_FIRST_PAINT");
	struct timespec now;
	FILE *fp;

	if (path == NULL || path[0] == '\0')
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	fp = fopen(path, "a");
	if (fp == NULL)
		return;
	fprintf(fp, "%s %.6f %.3f\n", what, (double)now.tv_sec +
	    (double)now.tv_nsec / 1e9, seconds_between(&t->t0, &now) * 1e3);
	fclose(fp);
}

/* Messages quote servers and files: cleaned, then made plain for the
 * screen. */
static char *
printable_line(const char *s)
{
	char *clean = san_str(s, 0, 0);
	char *p = layout_printable(clean, strlen(clean), false);

	free(clean);
	return p;
}

void
tui_message(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	free(t->msg);
	t->msg = printable_line(s);
	t->msg_error = error;
	t->dirty = true;
	free(s);
}

static void
set_state(struct tui *t, bool error, const char *s)
{
	free(t->state);
	t->state = printable_line(s);
	t->state_error = error;
}

void
tui_redraw_all(struct tui *t)
{
	clearok(curscr, TRUE);
	t->dirty = true;
}

/* The findings of the last review become the base of the next diff. */
static void
remember_previous(struct tui *t)
{
	struct finding copy;
	size_t i;

	flist_clear(&t->prev);
	for (i = 0; i < t->all.n; i++) {
		if (t->all.v[i].state == FST_RESOLVED)
			continue;
		finding_copy(&copy, &t->all.v[i]);
		flist_push(&t->prev, &copy);
	}
	t->have_prev = true;
	t->nview = 0;		/* the rows point into the list cleared here */
	flist_clear(&t->all);
	model_rebuild_view(t);
}

void
tui_start_review(struct tui *t)
{
	char err[RN_ERRLEN];

	if (t->job != NULL) {
		tui_message(t, false, "a review is running; Esc cancels it");
		return;
	}
	if (t->reviewed)
		remember_previous(t);
	t->sel_chosen = false;
	t->job = job_start(t->opts, t->note, t->ovw, err, sizeof(err));
	if (t->job == NULL) {
		tui_message(t, true, "%s", err);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t->started);
	tui_progress_clear(&t->prog);
	free(t->state);
	t->state = NULL;
	t->state_error = false;
	t->dirty = true;
}

/* With no LLM set up, say what the review is and how to get a deeper one,
 * in the width there is. */
static void
say_offline(struct tui *t)
{
	static const char full[] = "offline checks \xE2\x80\x94 set "
	    "ANTHROPIC_API_KEY or OPENAI_API_KEY, or -p ollama, for a deeper "
	    "review; see README";
	static const char brief[] = "offline checks \xE2\x80\x94 set "
	    "ANTHROPIC_API_KEY/OPENAI_API_KEY or -p ollama (README)";

	if (!t->opts->cfg->auto_offline)
		return;
	tui_message(t, false, "%s", layout_width(full, strlen(full)) <
	    t->lay.keys.w ? full : brief);
}

static void
report_outcome(struct tui *t, int rc, const char *err, const struct review *r)
{
	struct timespec now;
	char *s;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (rc == RN_OK) {
		s = xasprintf("done in %.1f s%s", seconds_between(&t->started,
		    &now), r->cached ? " (cached)" : "");
		set_state(t, false, s);
		free(s);
		if (r->nwarnings > 0)
			tui_message(t, false, "%s", r->warnings[0]);
		else if (t->opts->cfg->auto_offline)
			say_offline(t);
		else if (r->summary != NULL && r->summary[0] != '\0')
			tui_message(t, false, "Summary: %s", r->summary);
	} else if (rc == RN_ECANCEL)
		set_state(t, false, "cancelled");
	else {
		s = xasprintf("error: %s", err);
		set_state(t, true, s);
		free(s);
		tui_message(t, true, "review failed: %s (r tries again)", err);
	}
}

static void
finish_review(struct tui *t)
{
	const struct note *reviewed = job_note(t->job);
	bool stale = reviewed != t->note;
	char err[RN_ERRLEN] = "";
	struct review r;
	int rc;

	rc = job_finish(t->job, &r, err, sizeof(err));
	t->job = NULL;
	model_finish(t, &r.findings, rc == RN_OK);
	if (stale)
		model_reanchor(t);
	report_outcome(t, rc, err, &r);
	since_record(t, reviewed, rc, &r);
	note_free(t->retired);
	t->retired = NULL;
	free(t->summary);
	t->summary = r.summary;
	r.summary = NULL;
	t->reviewed = true;
	review_free(&r);
	bench_mark(t, "review-done");
}

/* Take what the worker produced since the last look. */
static void
pump_job(struct tui *t)
{
	struct finding_list got;
	bool done;
	size_t i;

	flist_init(&got);
	done = job_poll(t->job, &got, &t->prog);
	for (i = 0; i < got.n; i++)
		model_add(t, &got.v[i]);
	if (got.n > 0 && job_note(t->job) != t->note)
		model_reanchor(t);
	else if (got.n > 0)
		model_commit(t);
	flist_free(&got);
	if (t->prog.notice != NULL) {
		tui_message(t, false, "%s", t->prog.notice);
		free(t->prog.notice);
		t->prog.notice = NULL;
	}
	if (done)
		finish_review(t);
	t->dirty = true;
}

static void
stop_job(struct tui *t)
{
	struct review r;

	if (t->job == NULL)
		return;
	job_cancel(t->job);
	job_finish(t->job, &r, NULL, 0);
	t->job = NULL;
	review_free(&r);
}

/* Read the note again; false (and a message) when it cannot be read. */
static bool
read_note(struct tui *t, struct note **out)
{
	char err[RN_ERRLEN];

	watch_stamp(t->opts->note_path, &t->stamp);
	t->disk_changed = false;
	if (note_load(t->opts->note_path, out, err, sizeof(err)) != RN_OK) {
		tui_message(t, true, "%s (still showing the note as it was)",
		    err);
		return false;
	}
	return true;
}

static bool
same_text(const struct note *a, const struct note *b)
{
	return a->src_len == b->src_len && memcmp(a->src, b->src,
	    a->src_len) == 0;
}

/* Show note n in place of the old one and find the findings in it again;
 * returns how many are now probably fixed. */
static int
show_note(struct tui *t, struct note *n)
{
	struct note *old = t->note;
	const struct finding *f;
	size_t i;
	int fixed = 0;

	t->note = n;
	if (t->job != NULL && job_note(t->job) == old)
		t->retired = old;	/* the worker still reads it */
	else
		note_free(old);
	np_prepare(t);
	t->match = 0;
	model_reanchor(t);
	for (i = 0; i < t->all.n; i++)
		fixed += t->all.v[i].state == FST_FIXED;
	f = model_selected(t);
	if (f != NULL && f->line > 0)
		np_show_finding(t, f);
	return fixed;
}

void
tui_reload_note(struct tui *t)
{
	struct note *n;
	int fixed;

	if (!read_note(t, &n))
		return;
	fixed = show_note(t, n);
	tui_message(t, false, "note reloaded; %d finding%s probably fixed; "
	    "r reviews again", fixed, fixed == 1 ? "" : "s");
}

/* The overview may have been edited too; keep the old one if it broke. */
static void
reload_overview(struct tui *t)
{
	char err[RN_ERRLEN];
	struct ovw_path *p;
	int i;

	/* the same section of a learning path, found again */
	if (ovw_path_reload(t->ovw, &p, &i, err, sizeof(err)) != RN_OK) {
		tui_message(t, true, "%s (reviewing with the overview as it "
		    "was)", err);
		return;
	}
	ovw_path_free(t->own_path);
	t->own_path = p;
	t->ovw = p->sections[i].ovw;
}

void
tui_review_again(struct tui *t)
{
	struct note *n;
	int fixed;

	if (t->job != NULL) {
		tui_message(t, false, "a review is running; Esc cancels it");
		return;
	}
	reload_overview(t);
	if (read_note(t, &n)) {
		if (same_text(n, t->note))
			note_free(n);
		else {
			fixed = show_note(t, n);
			tui_message(t, false, "the note changed on disk; "
			    "reviewing the new text (%d finding%s probably "
			    "fixed)", fixed, fixed == 1 ? "" : "s");
		}
	}
	tui_start_review(t);
}

/* Woken by inotify, or for any other reason: has the file changed? */
static void
check_disk(struct tui *t)
{
	watch_drain(t->watch_fd);
	if (t->disk_changed || !watch_changed(t->opts->note_path, &t->stamp))
		return;
	t->disk_changed = true;
	tui_message(t, false, "note changed on disk \xE2\x80\x94 r reviews "
	    "it");
}

static void
draw_separator(const struct lay_rect *r)
{
	int i;

	for (i = 0; i < r->h; i++)
		draw_text(r->y + i, r->x, "\xE2\x94\x82", 3, 1, R_LINENO);
}

static void
paint(struct tui *t)
{
	erase();
	if (t->lay.too_small)
		draw_too_small(&t->lay);
	else {
		np_ops.draw(t, &t->lay.note);
		fp_ops.draw(t, &t->lay.findings);
		dp_ops.draw(t, &t->lay.detail);
		if (t->lay.sep.w > 0)
			draw_separator(&t->lay.sep);
		sb_draw(t);
		if (t->mode == MODE_HELP)
			help_draw(t);
		sb_draw_keys(t);	/* last: it puts the prompt's cursor */
	}
	curs_set((t->mode == MODE_SEARCH || t->mode == MODE_ASK) &&
	    !t->lay.too_small ? 1 : 0);
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = false;
	if (!t->painted) {
		t->painted = true;
		bench_mark(t, "first-paint");
	}
}

static void
handle_signals(struct tui *t)
{
	int sig = term_take_signal();

	if (sig != 0) {
		t->quit = true;
		t->quit_signal = sig;
	}
	if (term_take_resize())
		term_resize(t);
}

static void
read_keys(struct tui *t)
{
	wint_t wc;
	int rc;

	while (!t->quit && (rc = get_wch(&wc)) != ERR) {
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE)
			term_resize(t);
		else
			act_key(t, (int)wc, rc == KEY_CODE_YES);
		t->dirty = true;
	}
}

static enum rn_status
loop(struct tui *t, char *err, size_t errlen)
{
	struct pollfd pfd[3];
	int n;

	while (!t->quit) {
		if (t->dirty)
			paint(t);
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = term_wake_fd();
		pfd[1].events = POLLIN;
		pfd[2].fd = t->watch_fd;	/* poll() skips -1 */
		pfd[2].events = POLLIN;
		n = poll(pfd, 3, t->job != NULL || conv_streaming(t) ?
		    TICK_MS : -1);
		if (n < 0 && errno != EINTR)
			return rn_fail(err, errlen, RN_EFAIL, "poll: %s",
			    strerror(errno));
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;		/* the terminal is gone */
		term_drain_wake();
		handle_signals(t);
		if (t->job != NULL)
			pump_job(t);
		conv_pump(t);
		check_disk(t);
		read_keys(t);
	}
	return RN_OK;
}

/* No overview from the caller: the file, and the note's section of it. */
static enum rn_status
load_overview(struct tui *t, char *err, size_t errlen)
{
	int rc, i;

	rc = ovw_path_load(t->opts->overview_path, &t->own_path, err, errlen);
	if (rc == RN_OK)
		rc = ovw_path_choose(t->own_path, t->note, NULL, NULL, &i, NULL,
		    err, errlen);
	if (rc == RN_OK)
		t->ovw = t->own_path->sections[i].ovw;
	return rc;
}

static enum rn_status
tui_open(struct tui *t, const struct tui_opts *o, char *err, size_t errlen)
{
	int rc;

	memset(t, 0, sizeof(*t));
	clock_gettime(CLOCK_MONOTONIC, &t->t0);
	t->opts = o;
	t->filter = -1;
	t->ntop = 1;
	buf_init(&t->input, 0);
	flist_init(&t->all);
	flist_init(&t->prev);
	watch_stamp(o->note_path, &t->stamp);
	t->watch_fd = -1;
	rc = note_load(o->note_path, &t->note, err, errlen);
	if (rc == RN_OK && o->ovw == NULL)
		rc = load_overview(t, err, errlen);
	if (rc != RN_OK)
		return rc;
	if (o->ovw != NULL)
		t->ovw = o->ovw;
	np_prepare(t);
	model_mark_lines(t);
	t->dismiss_path = dis_path(o->note_path);
	t->dismissed = dis_load(t->dismiss_path);
	since_open(t);
	t->watch_fd = watch_open(o->note_path);
	t->dirty = true;
	return RN_OK;
}

static void
tui_close(struct tui *t)
{
	flist_free(&t->all);
	flist_free(&t->prev);
	fp_free_rows(t);
	free(t->view);
	watch_close(t->watch_fd);
	free(t->line_role);
	free(t->line_kind);
	note_free(t->note);
	note_free(t->retired);
	ovw_path_free(t->own_path);
	dis_free(t->dismissed);
	free(t->dismiss_path);
	conv_free_all(t);
	since_close(t);
	free(t->search);
	free(t->state);
	free(t->summary);
	free(t->msg);
	tui_progress_clear(&t->prog);
	buf_free(&t->input);
}

enum rn_status
tui_run(const struct tui_opts *o, char *err, size_t errlen)
{
	struct tui t;
	int rc, sig;

	setlocale(LC_ALL, "");
	rc = tui_open(&t, o, err, errlen);
	if (rc == RN_OK && o->nested_signal == NULL)
		rc = term_init(&t, err, errlen);
	if (rc == RN_OK) {
		term_resize(&t);
		tui_start_review(&t);
		say_offline(&t);
		rc = loop(&t, err, errlen);
		stop_job(&t);
		if (o->nested_signal == NULL)
			term_done();
	}
	sig = t.quit_signal;
	tui_close(&t);
	if (o->nested_signal != NULL) {
		*o->nested_signal = sig;	/* the outer view ends too */
		return rc;
	}
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
		/* die of it, as the sender expects, now the terminal is back:
		 * the shell reports 130, 143 or 129 */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}
