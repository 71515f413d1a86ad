/*
 * help.c - the key overlay, generated from the keymap table, and a legend
 * of the marks used in the findings list.  ↑/↓ scroll it, any other key
 * closes it.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/layout.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define KEYS_COL 20	/* width of the key column */

static const char *const legend[] = {
	"",
	"Kinds: gap (missing topic), inc (incorrect), asm (implicit",
	"assumption), scp (out of scope). Severity: H, M, L.",
	"Marks: + new, = also in the last review, \xE2\x9C\x93 resolved,",
	"~ probably fixed by an edit, x dismissed (hidden until D).",
	"\"was 48\": the line its quote was on before an edit.",
	"\xE2\x86\xAA in the note: the line above goes on (w: no wrap).",
	"Ctrl-C quits at once.",
};

#define NLEGEND (sizeof(legend) / sizeof(legend[0]))

static int
help_rows(void)
{
	return ACT_COUNT + (int)NLEGEND;
}

static void
draw_help_row(int y, int x, int w, int row)
{
	struct buf keys;
	const char *help;

	if (row >= ACT_COUNT) {
		help = legend[row - ACT_COUNT];
		draw_text(y, x, help, strlen(help), w, R_NORMAL);
		return;
	}
	buf_init(&keys, 0);
	km_keys((enum tui_action)row, &keys);
	draw_text(y, x, buf_str(&keys), keys.len, KEYS_COL - 1, R_KEY);
	help = km_help((enum tui_action)row);
	draw_text(y, x + KEYS_COL, help, strlen(help), w - KEYS_COL,
	    R_NORMAL);
	buf_free(&keys);
}

void
help_draw(struct tui *t)
{
	static const char title[] = "Keys (\xE2\x86\x91\xE2\x86\x93 PgDn "
	    "scroll, any other key closes)";
	int cols = t->lay.cols, rows = t->lay.rows;
	int w = cols - 4 < 68 ? cols - 4 : 68;
	int h = rows - 2 < help_rows() + 2 ? rows - 2 : help_rows() + 2;
	int x = (cols - w) / 2, y = (rows - h) / 2, inner = h - 2, i;

	if (t->help_top > help_rows() - inner)
		t->help_top = help_rows() - inner;
	if (t->help_top < 0)
		t->help_top = 0;
	for (i = 0; i < h; i++)
		draw_fill(y + i, x, w, R_NORMAL);
	attrset(term_attr(R_TITLE_FOCUS));
	mvwhline(stdscr, y, x, ' ', w);
	mvwhline(stdscr, y + h - 1, x, ' ', w);
	attrset(A_NORMAL);
	draw_text(y, x + 2, title, strlen(title), w - 4, R_TITLE_FOCUS);
	for (i = 0; i < inner; i++)
		draw_help_row(y + 1 + i, x + 2, w - 4, t->help_top + i);
}
