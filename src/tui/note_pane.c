/*
 * note_pane.c - the note with line numbers and Markdown colours; the lines
 * of the selected finding are highlighted, and a mark in the gutter shows
 * every line that has a finding.
 *
 * Block roles (headings, code blocks) come from the note's cmark parse,
 * once per load.  List markers and inline marks (code spans, emphasis) are
 * found while a line is drawn, so a draw costs only the visible rows, even
 * for a note of ten thousand lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/layout.h"
#include "rustnote/note.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "tui_int.h"

static enum tui_role
block_role(enum note_block_kind k)
{
	switch (k) {
	case NB_HEADING:
		return R_HEADING;
	case NB_CODE:
	case NB_HTML:
		return R_CODE;
	case NB_RULE:
		return R_LIST;
	default:
		return R_NORMAL;
	}
}

void
np_prepare(struct tui *t)
{
	const struct note *n = t->note;
	const struct note_block *b;
	int i, l;

	t->line_role = xrealloc(t->line_role, (size_t)n->nlines + 2);
	memset(t->line_role, R_NORMAL, (size_t)n->nlines + 2);
	for (l = 1; l < n->body_line && l <= n->nlines; l++)
		t->line_role[l] = R_FADED;	/* front matter */
	for (i = 0; i < n->nblocks; i++) {
		b = &n->blocks[i];
		for (l = b->start_line; l <= b->end_line && l <= n->nlines;
		    l++) {
			if (l >= 1)
				t->line_role[l] = (unsigned char)block_role(
				    b->kind);
		}
	}
}

/* Bytes of list or block-quote markers at the start of a line. */
static size_t
marker_len(const char *s, size_t len)
{
	size_t i = 0, j, quote = 0;

	while (i < len && s[i] == ' ')
		i++;
	while (i < len && s[i] == '>') {
		i++;
		while (i < len && s[i] == ' ')
			i++;
		quote = i;
	}
	if (i < len && strchr("-*+", s[i]) != NULL &&
	    (i + 1 == len || s[i + 1] == ' '))
		return i + 1;
	for (j = i; j < len && isdigit((unsigned char)s[j]); j++)
		;
	if (j > i && j - i <= 9 && j < len && (s[j] == '.' || s[j] == ')') &&
	    (j + 1 == len || s[j + 1] == ' '))
		return j + 1;
	return quote;
}

static void
fill(unsigned char *roles, size_t from, size_t to, enum tui_role role)
{
	memset(roles + from, role, to - from);
}

struct inline_state {
	bool strong, emph;
};

static enum tui_role
inline_role(const struct inline_state *st)
{
	if (st->strong)
		return R_STRONG;
	return st->emph ? R_EMPH : R_NORMAL;
}

/* A run of '*' or '_' at i: opens or closes emphasis, or is literal. */
static size_t
emphasis_run(const char *s, size_t i, size_t len, struct inline_state *st,
    unsigned char *roles)
{
	size_t n = text_run_len(s, len, i, s[i]), use = n > 3 ? 3 : n;
	bool before = i > 0 && s[i - 1] != ' ';
	bool after = i + n < len && s[i + n] != ' ';
	bool open = st->strong || st->emph;
	enum tui_role was = inline_role(st);

	if (s[i] == '_' && i > 0 && i + n < len &&
	    isalnum((unsigned char)s[i - 1]) &&
	    isalnum((unsigned char)s[i + n]))
		after = before = false;		/* snake_case */
	if ((open && before) || (!open && after)) {
		if (use >= 2)
			st->strong = !st->strong;
		if (use % 2 == 1)
			st->emph = !st->emph;
		fill(roles, i, i + n, open ? was : inline_role(st));
	} else
		fill(roles, i, i + n, was);
	return n;
}

/* Code spans and emphasis of one line of running text. */
static void
style_inline(const char *s, size_t len, size_t from, unsigned char *roles)
{
	struct inline_state st = { false, false };
	size_t i = from, n, close;

	while (i < len) {
		if (s[i] == '`') {
			n = text_run_len(s, len, i, '`');
			close = text_closing_ticks(s, len, i + n, n);
			if (close < len) {
				fill(roles, i, close + n, R_CODE);
				i = close + n;
			} else {
				fill(roles, i, i + n, inline_role(&st));
				i += n;
			}
		} else if (s[i] == '*' || s[i] == '_')
			i += emphasis_run(s, i, len, &st, roles);
		else
			roles[i++] = (unsigned char)inline_role(&st);
	}
}

static void
style_line(const char *s, size_t len, enum tui_role base,
    unsigned char *roles)
{
	size_t m;

	if (base != R_NORMAL) {
		fill(roles, 0, len, base);
		return;
	}
	m = marker_len(s, len);
	fill(roles, 0, m, R_LIST);
	style_inline(s, len, m, roles);
}

/* Draw styled text: runs of one role each, within cols columns. */
static void
draw_runs(int y, int x, const char *s, size_t len,
    const unsigned char *roles, int cols, attr_t extra)
{
	size_t a = 0, b;
	int used = 0;

	while (a < len && used < cols) {
		for (b = a + 1; b < len && roles[b] == roles[a]; b++)
			;
		used += draw_text_attr(y, x + used, s + a, b - a, cols - used,
		    term_attr((enum tui_role)roles[a]) | extra);
		a = b;
	}
}

static bool
in_selection(const struct finding *f, int line)
{
	int end;

	if (f == NULL || f->line <= 0 || f->state == FST_RESOLVED)
		return false;
	end = f->end_line > f->line ? f->end_line : f->line;
	return line >= f->line && line <= end;
}

/* Line number (first row of a line) or continuation mark, then the mark
 * of a line with a finding. */
static void
draw_gutter(struct tui *t, int y, int x, int line, bool first, bool hl,
    const struct finding *sel)
{
	int d = np_gutter(t) - 2;
	int kind = t->line_kind[line];
	enum tui_role role = R_LINENO;
	attr_t a;

	if (hl)
		role = (enum tui_role)(R_GAP + sel->kind);
	a = term_attr(role) | (hl ? term_attr(R_HILITE) : 0);
	attrset(a);
	if (first)
		mvprintw(y, x, "%*d", d, line);
	else {
		mvprintw(y, x, "%*s", d - 1, "");
		draw_text_attr(y, x + d - 1, "\xE2\x86\xAA", 3, 1, a); /* ↪ */
	}
	attrset(A_NORMAL);
	if (kind >= 0)
		draw_text(y, x + d, "\xE2\x96\x8C", 3,	/* U+258C */
		    1, (enum tui_role)(R_GAP + kind));
}

/* Every search match of the line, highlighted. */
static void
mark_matches(const struct tui *t, const char *p, size_t plen,
    unsigned char *roles)
{
	size_t at = 0, off, mlen;

	while (at < plen && search_in_line(t, p + at, plen - at, &off,
	    &mlen)) {
		fill(roles, at + off, at + off + mlen, R_MATCH);
		at += off + (mlen > 0 ? mlen : 1);
	}
}

/* Skip cols columns of s (unwrapped, scrolled sideways): the byte offset. */
static size_t
skip_columns(const char *s, size_t len, int cols)
{
	return cols > 0 ? layout_clip(s, len, cols, NULL) : 0;
}

/* One screen row: piece [off, off+len) of the line's text.  Unwrapped,
 * ‹ and › say the line goes on to the left or right. */
static void
draw_piece(struct tui *t, const struct lay_rect *r, int y, const char *p,
    size_t off, size_t len, const unsigned char *roles, bool hl)
{
	int x = r->x + np_gutter(t), avail = r->w - np_gutter(t);
	attr_t extra = hl ? term_attr(R_HILITE) : 0;
	size_t skip;

	if (hl)
		draw_fill(y, x, avail, R_HILITE);
	if (!t->nowrap) {
		draw_runs(y, x, p + off, len, roles + off, avail, extra);
		return;
	}
	skip = skip_columns(p + off, len, t->hscroll);
	off += skip;
	len -= skip;
	if (skip > 0 && len > 0 && avail > 2) {
		draw_text(y, x, "\xE2\x80\xB9", 3, 1, R_LINENO); /* U+2039 */
		x++;
		avail--;
	}
	if (layout_width(p + off, len) > avail) {
		draw_runs(y, x, p + off, len, roles + off, avail - 1, extra);
		draw_text(y, x + avail - 1, "\xE2\x80\xBA", 3, 1,
		    R_LINENO);	/* U+203A */
	} else
		draw_runs(y, x, p + off, len, roles + off, avail, extra);
}

/* Draw the rows of one line from row first on, from screen row y; returns
 * the screen rows used (at most left). */
static int
draw_line(struct tui *t, const struct lay_rect *r, int y, int line,
    int first, int left, const struct finding *sel)
{
	bool hl = in_selection(sel, line);
	struct lay_lines rows = { 0 };
	unsigned char *roles;
	char *p = np_line_text(t, line);
	size_t plen = strlen(p), i;
	int used = 0;

	roles = xmalloc(plen + 1);
	style_line(p, plen, (enum tui_role)t->line_role[line], roles);
	mark_matches(t, p, plen, roles);
	np_wrap_text(t, p, &rows);
	for (i = (size_t)first; i < rows.n && used < left; i++, used++) {
		draw_gutter(t, y + used, r->x, line, i == 0, hl, sel);
		draw_piece(t, r, y + used, p, rows.v[i].off, rows.v[i].len,
		    roles, hl);
	}
	layout_lines_free(&rows);
	free(roles);
	free(p);
	return used;
}

void
np_draw(struct tui *t, const struct lay_rect *r)
{
	const struct finding *sel = model_selected(t);
	int rows = r->h - 1, used = 0, line;
	char *title;

	np_scroll(t, 0);	/* the pane may have changed size */
	for (line = t->ntop; used < rows && line <= t->note->nlines; line++)
		used += draw_line(t, r, r->y + 1 + used, line, line ==
		    t->ntop ? t->nsub : 0, rows - used, sel);
	title = xasprintf("%s  %d-%d/%d%s", t->opts->note_path, t->ntop,
	    line - 1 > t->ntop ? line - 1 : t->ntop, t->note->nlines,
	    t->nowrap && t->hscroll > 0 ? "  \xE2\x86\x92" : "");
	draw_title(r, t->focus == FOCUS_NOTE, title);
	free(title);
}

/*
 * Movement keys scroll the note while it has the focus; with long lines
 * cut, left and right scroll it sideways.
 */
static bool
np_request(struct tui *t, enum tui_action a)
{
	if (t->nowrap && (a == ACT_LEFT || a == ACT_RIGHT)) {
		np_hscroll(t, a == ACT_LEFT ? -1 : 1);
		return true;
	}
	if (!tui_is_move(a))
		return false;
	t->sel_chosen = true;	/* the learner is reading: keep still */
	if (a == ACT_HOME || a == ACT_END)
		np_scroll_to_end(t, a == ACT_END);
	else
		np_scroll(t, (int)tui_step(a, np_rows(t), 0));
	return true;
}

const struct tui_pane_ops np_ops = {
	.name = "note",
	.draw = np_draw,
	.rows = np_rows,
	.request = np_request,
};
