/*
 * note_scroll.c - where the note pane stands: which screen rows a note
 * line takes, scrolling by rows, and bringing a finding's words into view.
 *
 * Long lines wrap (one row per wrapped piece) unless w turned wrapping
 * off; then each line is one row and ←/→ scroll sideways, as less -S does.
 * The position is a line (ntop) and how many of its rows are scrolled past
 * (nsub), so a line longer than the pane can still be read to its end.
 * Rows are measured only for the lines a move passes, never for the whole
 * note.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/layout.h"
#include "rustnote/note.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define HSCROLL_STEP 8	/* columns one ←/→ moves, at least */

int
np_rows(const struct tui *t)
{
	return t->lay.note.h > 1 ? t->lay.note.h - 1 : 1;
}

static int
digits(int n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d < 3 ? 3 : d;
}

int
np_gutter(const struct tui *t)
{
	return digits(t->note->nlines) + 2;
}

int
np_text_cols(const struct tui *t)
{
	int w = t->lay.note.w - np_gutter(t);

	return w > 1 ? w : 1;
}

char *
np_line_text(const struct tui *t, int line)
{
	size_t len;
	const char *raw = note_line(t->note, line, &len);

	return layout_printable(raw != NULL ? raw : "", raw != NULL ? len : 0,
	    false);
}

void
np_wrap_text(const struct tui *t, const char *p, struct lay_lines *out)
{
	size_t len = strlen(p);

	if (t->nowrap || len == 0) {
		if (out->n == out->cap) {
			out->cap = out->cap != 0 ? out->cap * 2 : 4;
			out->v = xreallocarray(out->v, out->cap,
			    sizeof(*out->v));
		}
		out->v[out->n].off = 0;
		out->v[out->n].len = len;
		out->n++;
		return;
	}
	layout_wrap(p, len, np_text_cols(t), out);
}

/* Screen rows of one note line. */
static int
line_rows(const struct tui *t, int line)
{
	struct lay_lines l = { 0 };
	char *p;
	int n;

	if (t->nowrap)
		return 1;
	p = np_line_text(t, line);
	np_wrap_text(t, p, &l);
	n = l.n > 0 ? (int)l.n : 1;
	layout_lines_free(&l);
	free(p);
	return n;
}

/* The position rows rows before the end: the last that fills the pane. */
static void
last_top(const struct tui *t, int *line, int *sub)
{
	int left = np_rows(t), l = t->note->nlines, r;

	for (; l >= 1; l--) {
		r = line_rows(t, l);
		if (r >= left) {
			*line = l;
			*sub = r - left;
			return;
		}
		left -= r;
	}
	*line = 1;
	*sub = 0;
}

static void
np_clamp(struct tui *t)
{
	int line, sub;

	if (t->ntop < 1) {
		t->ntop = 1;
		t->nsub = 0;
	}
	if (t->ntop > t->note->nlines)
		t->ntop = t->note->nlines > 0 ? t->note->nlines : 1;
	if (t->nsub < 0)
		t->nsub = 0;
	last_top(t, &line, &sub);
	if (t->ntop > line || (t->ntop == line && t->nsub > sub)) {
		t->ntop = line;
		t->nsub = sub;
	}
	if (t->nowrap)
		t->nsub = 0;
}

void
np_scroll(struct tui *t, int delta)
{
	int r;

	for (; delta > 0 && t->ntop <= t->note->nlines; delta--) {
		if (++t->nsub >= line_rows(t, t->ntop)) {
			if (t->ntop == t->note->nlines) {
				t->nsub--;
				break;
			}
			t->ntop++;
			t->nsub = 0;
		}
	}
	for (; delta < 0; delta++) {
		if (t->nsub > 0)
			t->nsub--;
		else if (t->ntop > 1) {
			t->ntop--;
			r = line_rows(t, t->ntop);
			t->nsub = r - 1;
		} else
			break;
	}
	np_clamp(t);
}

void
np_scroll_to_end(struct tui *t, bool end)
{
	t->ntop = end ? t->note->nlines : 1;
	t->nsub = 0;
	np_clamp(t);
}

void
np_hscroll(struct tui *t, int dir)
{
	int cols = np_text_cols(t), by = cols / 2;

	if (by < HSCROLL_STEP)
		by = HSCROLL_STEP;
	t->hscroll += dir * by;
	if (t->hscroll < 0)
		t->hscroll = 0;
}

/* Rows from the pane's first row down to row sub of line (< 0: above). */
static int
rows_from_top(const struct tui *t, int line, int sub)
{
	int n = sub - t->nsub, l;

	for (l = line; l < t->ntop; l++)
		n -= line_rows(t, l);
	for (l = t->ntop; l < line; l++)
		n += line_rows(t, l);
	return n;
}

/*
 * Bring rows first_sub of line .. last_sub of end_line into view, moving
 * only when some are out; then they start a third of the way down (or
 * higher, for all of them to fit).
 */
static void
show_rows(struct tui *t, int line, int first_sub, int end_line,
    int last_sub)
{
	int rows = np_rows(t), above = rows / 3;
	int top = rows_from_top(t, line, first_sub);
	int span = rows_from_top(t, end_line, last_sub) - top + 1;

	if (top >= 0 && top + span <= rows)
		return;
	if (above > rows - span)
		above = rows - span > 0 ? rows - span : 0;
	t->ntop = line;
	t->nsub = first_sub;
	np_scroll(t, -above);
}

void
np_show_line(struct tui *t, int line, int end_line)
{
	if (end_line < line)
		end_line = line;
	if (end_line > t->note->nlines)
		end_line = t->note->nlines;
	if (line < 1 || line > t->note->nlines)
		line = end_line = 1;
	show_rows(t, line, 0, end_line, line_rows(t, end_line) - 1);
}

/*
 * Byte range of the quote's first words in printable line text p: code
 * span backticks and emphasis may differ, so the longest leading run of
 * the quote found in p is taken.  Returns false when none is.
 */
static bool
quote_in_line(const char *p, const char *quote, size_t *off, size_t *len)
{
	size_t qlen = strlen(quote), n;
	const char *hit;
	char *q;

	for (n = qlen < 200 ? qlen : 200; n >= 3; n = n > 12 ? n * 2 / 3 : n -
	    1) {
		q = xstrndup(quote, n);
		hit = strstr(p, q);
		free(q);
		if (hit != NULL) {
			*off = (size_t)(hit - p);
			*len = qlen;
			return true;
		}
	}
	return false;
}

/* The wrapped row of line text p that holds byte off. */
static int
row_of(const struct lay_lines *l, size_t off)
{
	size_t i;

	for (i = 0; i + 1 < l->n; i++) {
		if (off < l->v[i + 1].off)
			return (int)i;
	}
	return l->n > 0 ? (int)l->n - 1 : 0;
}

/* Unwrapped: scroll sideways so columns col..col+w of the text show. */
static void
show_columns(struct tui *t, int col, int w)
{
	int cols = np_text_cols(t) - 2;	/* less the ‹ and › marks */

	if (cols < 1)
		cols = 1;
	if (w > cols)
		w = cols;
	if (t->hscroll == 0 && col + w <= cols + 1)
		return;
	if (t->hscroll > 0 && col >= t->hscroll && col + w <= t->hscroll +
	    cols)
		return;
	t->hscroll = col + w <= cols + 1 ? 0 : col - cols / 4;
	if (t->hscroll < 0)
		t->hscroll = 0;
}

/* The selected finding's lines, and its quoted words within them. */
void
np_show_finding(struct tui *t, const struct finding *f)
{
	int end = f->end_line > f->line ? f->end_line : f->line;
	struct lay_lines l = { 0 };
	size_t off, len;
	int first, last;
	char *p;

	p = np_line_text(t, f->line);
	if (f->quote == NULL || !quote_in_line(p, f->quote, &off, &len)) {
		free(p);
		t->hscroll = 0;
		np_show_line(t, f->line, end);
		return;
	}
	if (off + len > strlen(p))
		len = strlen(p) - off;
	if (t->nowrap) {
		show_columns(t, layout_width(p, off), layout_width(p + off,
		    len));
		np_show_line(t, f->line, f->line);
	} else {
		np_wrap_text(t, p, &l);
		first = row_of(&l, off);
		last = end > f->line ? line_rows(t, end) - 1 :
		    row_of(&l, off + (len > 0 ? len - 1 : 0));
		show_rows(t, f->line, first, end, last);
	}
	layout_lines_free(&l);
	free(p);
}
