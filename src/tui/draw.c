/*
 * draw.c - the only way text reaches the screen.
 *
 * Every string is cut to the columns it was given (layout_clip, by display
 * width) before it is handed to curses as wide characters, so a long or
 * wide line can never spill into the next pane, and a character curses
 * would print raw (a control, a bidi override) is replaced first.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rustnote/layout.h"
#include "rustnote/util.h"
#include "tui_int.h"

/* Reused between calls; grows to the longest line drawn. */
static wchar_t *wide;
static size_t wide_cap;

static size_t
to_wide(const char *s, size_t len)
{
	size_t i = 0, n = 0;
	unsigned cp;

	if (len + 1 > wide_cap) {
		wide_cap = len + 1;
		wide = xreallocarray(wide, wide_cap, sizeof(*wide));
	}
	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp);
		if (layout_cp_width(cp) < 0)
			cp = 0xFFFD;
		wide[n++] = (wchar_t)cp;
	}
	wide[n] = L'\0';
	return n;
}

int
draw_text_attr(int y, int x, const char *s, size_t len, int cols,
    attr_t attr)
{
	size_t n;
	int used;

	if (cols <= 0 || len == 0)
		return 0;
	n = to_wide(s, layout_clip(s, len, cols, &used));
	attrset(attr);
	mvaddnwstr(y, x, wide, (int)n);
	attrset(A_NORMAL);
	return used;
}

int
draw_text(int y, int x, const char *s, size_t len, int cols,
    enum tui_role role)
{
	return draw_text_attr(y, x, s, len, cols, term_attr(role));
}

void
draw_fill(int y, int x, int cols, enum tui_role role)
{
	if (cols <= 0)
		return;
	attrset(term_attr(role));
	mvhline(y, x, ' ', cols);
	attrset(A_NORMAL);
}

void
draw_title(const struct lay_rect *r, bool focused, const char *text)
{
	enum tui_role role = focused ? R_TITLE_FOCUS : R_TITLE;

	draw_fill(r->y, r->x, r->w, role);
	draw_text(r->y, r->x + 1, text, strlen(text), r->w - 2, role);
}

/* A centred line, clipped to the screen. */
static void
draw_centred(int y, int cols, const char *s, enum tui_role role)
{
	int w = layout_width(s, strlen(s));
	int x = w < cols ? (cols - w) / 2 : 0;

	draw_text(y, x, s, strlen(s), cols - x, role);
}

void
draw_too_small(const struct layout *l)
{
	char *need;
	int y = l->rows / 2 - 1;

	if (l->rows <= 0 || l->cols <= 0)
		return;
	if (y < 0)
		y = 0;
	need = xasprintf("%dx%d, needs %dx%d", l->cols, l->rows,
	    LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
	draw_centred(y, l->cols, "Terminal too small", R_ERROR);
	if (y + 1 < l->rows)
		draw_centred(y + 1, l->cols, need, R_NORMAL);
	if (y + 2 < l->rows)
		draw_centred(y + 2, l->cols, "q quits", R_NORMAL);
	free(need);
}
