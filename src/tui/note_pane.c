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

int
np_rows(const struct tui *t)
{
	return t->lay.note.h > 1 ? t->lay.note.h - 1 : 1;
}

static void
np_clamp(struct tui *t)
{
	int last = t->note->nlines - np_rows(t) + 1;

	if (t->ntop > last)
		t->ntop = last;
	if (t->ntop < 1)
		t->ntop = 1;
}

void
np_scroll(struct tui *t, int delta)
{
	long top = (long)t->ntop + delta;

	if (top > t->note->nlines)
		top = t->note->nlines;
	t->ntop = top < 1 ? 1 : (int)top;
	np_clamp(t);
}

/* Scroll so lines line..end are in view, a third of the way down. */
void
np_show_line(struct tui *t, int line, int end_line)
{
	int rows = np_rows(t);

	if (line >= t->ntop && end_line < t->ntop + rows)
		return;
	t->ntop = line - rows / 3;
	if (end_line - line < rows && end_line >= t->ntop + rows)
		t->ntop = end_line - rows + 1;
	np_clamp(t);
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

/* Line number and finding mark; returns the gutter's width. */
static int
draw_gutter(struct tui *t, int y, int x, int line, bool hl,
    const struct finding *sel)
{
	int d = digits(t->note->nlines);
	int kind = t->line_kind[line];
	enum tui_role role = R_LINENO;
	attr_t a;

	if (hl)
		role = (enum tui_role)(R_GAP + sel->kind);
	a = term_attr(role) | (hl ? term_attr(R_HILITE) : 0);
	attrset(a);
	mvprintw(y, x, "%*d", d, line);
	attrset(A_NORMAL);
	if (kind >= 0)
		draw_text(y, x + d, "\xE2\x96\x8C", 3,	/* U+258C */
		    1, (enum tui_role)(R_GAP + kind));
	return d + 2;
}

static void
draw_line(struct tui *t, const struct lay_rect *r, int y, int line,
    const struct finding *sel)
{
	bool hl = in_selection(sel, line);
	int gw = draw_gutter(t, y, r->x, line, hl, sel);
	int avail = r->w - gw, width;
	size_t len, plen, off, mlen;
	const char *raw = note_line(t->note, line, &len);
	char *p = layout_printable(raw != NULL ? raw : "", raw != NULL ? len :
	    0, false);
	unsigned char *roles;
	attr_t extra = hl ? term_attr(R_HILITE) : 0;

	plen = strlen(p);
	roles = xmalloc(plen + 1);
	style_line(p, plen, (enum tui_role)t->line_role[line], roles);
	if (line == t->match && search_in_line(t, p, plen, &off, &mlen))
		fill(roles, off, off + mlen, R_MATCH);
	width = layout_width(p, plen);
	if (hl)
		draw_fill(y, r->x + gw, avail, R_HILITE);
	if (width > avail) {
		draw_runs(y, r->x + gw, p, plen, roles, avail - 1, extra);
		draw_text(y, r->x + r->w - 1, "\xE2\x80\xBA", 3, 1,
		    R_LINENO);	/* U+203A: the line goes on */
	} else
		draw_runs(y, r->x + gw, p, plen, roles, avail, extra);
	free(roles);
	free(p);
}

void
np_draw(struct tui *t, const struct lay_rect *r)
{
	const struct finding *sel = model_selected(t);
	int rows = r->h - 1, i, last;
	char *title;

	np_clamp(t);
	last = t->ntop + rows - 1;
	if (last > t->note->nlines)
		last = t->note->nlines;
	title = xasprintf("%s  %d-%d/%d", t->opts->note_path, t->ntop, last,
	    t->note->nlines);
	draw_title(r, t->focus == FOCUS_NOTE, title);
	free(title);
	for (i = 0; i < rows && t->ntop + i <= t->note->nlines; i++)
		draw_line(t, r, r->y + 1 + i, t->ntop + i, sel);
}
