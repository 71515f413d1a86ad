/*
 * layout.h - screen geometry and text measurement for the review view.
 *
 * Nothing here touches the terminal, so the arithmetic that decides where
 * each pane goes and how text is cut and wrapped is tested without one.
 *
 * Widths are display columns as wcwidth() gives them in the current locale
 * (the caller runs setlocale(LC_ALL, "") first): CJK and most emoji take
 * two columns, combining marks none.  Text is UTF-8.  Functions that take
 * raw text count a byte that is not valid UTF-8, or a character wcwidth()
 * calls unprintable, as one column (it is drawn as U+FFFD).
 *
 * Screen (wide): the note on the left, findings above the detail on the
 * right, then a status bar and a line for keys, messages and prompts.
 * Below LAYOUT_WIDE_COLS the panes are stacked: note, findings, detail.
 */
#ifndef RUSTNOTE_LAYOUT_H
#define RUSTNOTE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MIN_COLS 60	/* below this, only a "too small" message */
#define LAYOUT_MIN_ROWS 16
#define LAYOUT_WIDE_COLS 80	/* note and findings side by side */
#define LAYOUT_TABSTOP 8

struct lay_rect {
	int y, x;	/* top left corner, 0-based */
	int h, w;	/* 0 when the area is not shown */
};

struct layout {
	int cols, rows;
	bool too_small;
	bool stacked;		/* findings below the note */
	struct lay_rect note;	/* each pane's first row is its title */
	struct lay_rect findings;
	struct lay_rect detail;
	struct lay_rect sep;	/* vertical rule between the columns (w 1) */
	struct lay_rect status;	/* status bar, one row */
	struct lay_rect keys;	/* key hints, messages, the search prompt */
};

/* Place every pane for a terminal of cols x rows. */
void layout_compute(int cols, int rows, struct layout *out);

/* Columns of one code point: 0, 1 or 2; -1 when it is not printable. */
int layout_cp_width(unsigned cp);
/* Columns of s[0..len). */
int layout_width(const char *s, size_t len);
/*
 * The longest prefix of s[0..len) that fits in cols columns, in bytes; a
 * wide character that would straddle the limit is left out.  The columns
 * the prefix takes are stored in *used when used is not NULL.
 */
size_t layout_clip(const char *s, size_t len, int cols, int *used);

/*
 * Text made safe and plain for the screen: tabs expanded to
 * LAYOUT_TABSTOP, control characters as caret pairs (ESC as "^[", DEL as
 * "^?"), C1 controls, bidirectional overrides, unprintable characters and
 * bad UTF-8 as U+FFFD.  With keep_newlines a '\n' stays (for wrapping),
 * otherwise it becomes "^J".  Returns a new string.
 */
char *layout_printable(const char *s, size_t len, bool keep_newlines);

/* One display line of wrapped text: a byte range of the input. */
struct lay_span {
	size_t off, len;
};

struct lay_lines {
	struct lay_span *v;
	size_t n, cap;
};

/*
 * Word-wrap printable text (see layout_printable) to cols columns: breaks
 * at spaces, '\n' always breaks, a word longer than a line is cut at a
 * character boundary, a wide character is never split.  The spaces where
 * a line was broken belong to no line.  Appends to out.
 */
void layout_wrap(const char *s, size_t len, int cols, struct lay_lines *out);
void layout_lines_free(struct lay_lines *l);

#endif
