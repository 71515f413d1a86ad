/*
 * status.c - the status bar (note, reviewer, live progress, counts) and the
 * line under it (key hints, messages, the search prompt, questions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rustnote/buf.h"
#include "rustnote/config.h"
#include "rustnote/layout.h"
#include "rustnote/llm.h"
#include "rustnote/overview.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define SECTION_MIN_COLS 12	/* less is no help: the section is left out */

static const char *const count_label[FK_COUNT] = {
	"gap", "inc", "asm", "scp"
};

static double
seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
add_size(struct buf *b, size_t bytes)
{
	if (bytes < 1000)
		buf_printf(b, "%zu B", bytes);
	else if (bytes < 1000 * 1000)
		buf_printf(b, "%.1f kB", (double)bytes / 1e3);
	else
		buf_printf(b, "%.1f MB", (double)bytes / 1e6);
}

/* "reviewing 1.2 kB 3.4 s", or what the last review came to. */
static void
add_progress(const struct tui *t, struct buf *b)
{
	static const char spin[] = "|/-\\";
	struct llm_progress lp;
	char status[64];
	double el;

	if (t->job == NULL) {
		if (t->state != NULL)
			buf_adds(b, t->state);
		return;
	}
	el = seconds_since(&t->started);
	memset(&lp, 0, sizeof(lp));
	lp.waiting = t->prog.waiting;
	lp.thinking = t->prog.thinking;
	/* A model loading or thinking: say that, and only that. */
	if (t->prog.retry_in <= 0 &&
	    llm_progress_status(&lp, status, sizeof(status)) != NULL) {
		buf_printf(b, "%c %s", spin[(int)(el * 10) % 4], status);
		return;
	}
	buf_printf(b, "%c reviewing ", spin[(int)(el * 10) % 4]);
	if (t->prog.retry_in > 0 && t->prog.retry_in < 1)
		buf_printf(b, "retry in %.0f ms ", t->prog.retry_in * 1000);
	else if (t->prog.retry_in > 0)
		buf_printf(b, "retry in %.1f s ", t->prog.retry_in);
	else if (t->prog.bytes > 0) {
		add_size(b, t->prog.bytes);
		buf_addc(b, ' ');
	}
	if (t->prog.attempt > 1)
		buf_printf(b, "attempt %d ", t->prog.attempt);
	buf_printf(b, "%.1f s", el);
}

/* Append s, cut to cols columns with an ellipsis, so the progress after
 * it stays in view however long a file or model name is. */
static void
add_clipped(struct buf *b, const char *s, int cols)
{
	char *clean = san_str(s, 0, 0);
	char *p = layout_printable(clean, strlen(clean), false);
	size_t len = strlen(p);

	if (layout_width(p, len) <= cols)
		buf_add(b, p, len);
	else {
		buf_add(b, p, layout_clip(p, len, cols - 1, NULL));
		buf_adds(b, "\xE2\x80\xA6");	/* U+2026 */
	}
	free(p);
	free(clean);
}

static void
add_reviewer(const struct tui *t, struct buf *b, int cols)
{
	const struct config *c = t->opts->cfg;
	char *s;

	if (c->backend != CFG_LLM)
		s = xstrdup("offline");
	else if (c->model != NULL)
		s = xasprintf("%s/%s", c->provider_name, c->model);
	else
		s = xstrdup(c->provider_name);
	add_clipped(b, s, cols);
	free(s);
}

static void
add_counts(const struct tui *t, struct buf *b)
{
	int counts[FK_COUNT], faded, k;

	model_count(t, counts, &faded);
	for (k = 0; k < FK_COUNT; k++)
		buf_printf(b, "%s%s %d", k > 0 ? " " : "", count_label[k],
		    counts[k]);
	if (faded > 0)
		buf_printf(b, " (+%d done)", faded);
}

/*
 * " note | section | reviewer | progress": without the section when it is
 * NULL, without the note's name when with_note is false (the note pane's
 * header shows it too).
 */
static void
add_left(const struct tui *t, struct buf *b, int w, bool with_note,
    const char *section, int section_cols)
{
	const char *slash = strrchr(t->opts->note_path, '/');

	buf_addc(b, ' ');
	if (with_note)
		add_clipped(b, slash != NULL ? slash + 1 : t->opts->note_path,
		    w / 5);
	if (section != NULL) {
		buf_adds(b, with_note ? " | " : "");
		add_clipped(b, section, section_cols);
	}
	buf_adds(b, " | ");
	add_reviewer(t, b, w / 5);
	buf_adds(b, " | ");
	add_progress(t, b);
}

static int
text_width(const struct buf *b)
{
	return layout_width(buf_str(b), b->len);
}

/*
 * The learning-path section, in the room the rest leaves: whole beside
 * the note's name; else shorter ("section 2: Title") beside it or in its
 * place; else not at all.
 */
static void
add_section(const struct tui *t, struct buf *left, int w, int lw)
{
	const struct ovw_path *p = t->ovw->in_path;
	const struct ovw_section *s;
	int cols = lw - text_width(left) - 3;
	char *brief;

	if ((int)layout_width(t->opts->section, strlen(t->opts->section)) <=
	    cols) {
		buf_free(left);
		buf_init(left, 0);
		add_left(t, left, w, true, t->opts->section, cols);
		return;
	}
	if (p == NULL || p->single)
		return;
	s = &p->sections[t->ovw->section];
	brief = s->number > 0 ? xasprintf("section %d: %s", s->number,
	    s->short_title) : xasprintf("section: %s", s->short_title);
	if ((int)layout_width(brief, strlen(brief)) <= cols) {
		buf_free(left);
		buf_init(left, 0);
		add_left(t, left, w, true, brief, cols);
		free(brief);
		return;
	}
	buf_free(left);
	buf_init(left, 0);
	add_left(t, left, w, false, "", 0);
	cols = lw - text_width(left);
	buf_free(left);
	buf_init(left, 0);
	if (cols >= SECTION_MIN_COLS)
		add_left(t, left, w, false, brief, cols);
	else
		add_left(t, left, w, true, NULL, 0);
	free(brief);
}

void
sb_draw(struct tui *t)
{
	const struct lay_rect *r = &t->lay.status;
	struct buf left, right;
	int rw, lw;

	buf_init(&left, 0);
	buf_init(&right, 0);
	add_counts(t, &right);
	buf_addc(&right, ' ');
	draw_fill(r->y, r->x, r->w, R_STATUS);
	rw = layout_width(buf_str(&right), right.len);
	lw = r->w - rw - 1;
	if (lw < r->w / 2)
		lw = r->w;	/* too narrow for both: the progress wins */
	add_left(t, &left, r->w, true, NULL, 0);
	/* "waiting for the model (12 s)" must be read whole: it wins too */
	if (t->job != NULL && (t->prog.waiting >= 1 || t->prog.thinking) &&
	    layout_width(buf_str(&left), left.len) > lw)
		lw = r->w;
	if (t->opts->section != NULL)
		add_section(t, &left, r->w, lw);
	draw_text_attr(r->y, r->x, buf_str(&left), left.len, lw,
	    term_attr(R_STATUS) | (t->state_error && t->job == NULL ?
	    A_BOLD : 0));
	if (lw < r->w)
		draw_text(r->y, r->x + r->w - rw, buf_str(&right), right.len,
		    rw, R_STATUS);
	buf_free(&left);
	buf_free(&right);
}

/* "Enter edit  r review  ..." with the keys highlighted. */
static void
draw_hints(const struct lay_rect *r)
{
	const char *const *keys, *const *words;
	size_t n = km_hints(&keys, &words), i;
	int x = r->x + 1, right = r->x + r->w;

	for (i = 0; i < n && x < right; i++) {
		x += draw_text(r->y, x, keys[i], strlen(keys[i]), right - x,
		    R_KEY);
		x += 1;
		x += draw_text(r->y, x, words[i], strlen(words[i]),
		    right - x, R_NORMAL);
		x += 2;
	}
}

/* The search ("/") or question prompt, the end of its text in view. */
static void
draw_prompt(struct tui *t, const struct lay_rect *r, const char *label)
{
	const char *s = buf_str(&t->input);
	int lw = layout_width(label, strlen(label));
	int avail = r->w - 2 - lw, w = layout_width(s, t->input.len);
	size_t skip = 0;

	/* keep the end of a long query, where the cursor is, in view */
	while (w > avail && skip < t->input.len) {
		skip += utf8_seqlen(s + skip, t->input.len - skip);
		w = layout_width(s + skip, t->input.len - skip);
	}
	draw_text(r->y, r->x, label, strlen(label), r->w, R_KEY);
	w = draw_text(r->y, r->x + lw, s + skip, t->input.len - skip, avail,
	    R_NORMAL);
	move(r->y, r->x + lw + w);
}

void
sb_draw_keys(struct tui *t)
{
	const struct lay_rect *r = &t->lay.keys;
	static const char ask[] = "A review is running. Quit anyway? (y/n)";

	switch (t->mode) {
	case MODE_SEARCH:
		draw_prompt(t, r, "/");
		return;
	case MODE_ASK:
		draw_prompt(t, r, "Ask about this finding: ");
		return;
	case MODE_ASK_QUIT:
		draw_text(r->y, r->x + 1, ask, strlen(ask), r->w - 1,
		    R_ERROR);
		return;
	default:
		break;
	}
	if (t->msg != NULL)
		draw_text(r->y, r->x + 1, t->msg, strlen(t->msg), r->w - 1,
		    t->msg_error ? R_ERROR : R_NORMAL);
	else if (t->ask_notice != NULL)
		draw_text(r->y, r->x + 1, t->ask_notice, strlen(t->ask_notice),
		    r->w - 1, R_NORMAL);
	else if (conv_streaming(t))
		draw_text(r->y, r->x + 1, "The tutor is answering; Esc cancels.",
		    36, r->w - 1, R_FADED);
	else
		draw_hints(r);
}
