/*
 * layout.c - pane geometry, display widths, clipping and word wrapping.
 *
 * The terminal's idea of a character's width is wcwidth(); using the same
 * function here is what keeps the columns of a CJK or emoji line aligned
 * with the pane border drawn after it.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rustnote/buf.h"
#include "rustnote/layout.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#define REPLACEMENT "\xEF\xBF\xBD"	/* U+FFFD */

static int
clamp(int v, int lo, int hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

static struct lay_rect
rect(int y, int x, int h, int w)
{
	struct lay_rect r = { y, x, h, w };

	return r;
}

/* Note left (three fifths), findings over the detail on the right. */
static void
layout_side_by_side(int cols, int main_h, struct layout *out)
{
	int note_w = cols * 3 / 5;
	int right_x = note_w + 1, right_w = cols - right_x;
	int detail_h = clamp(main_h * 2 / 5, 6, 16);
	int findings_h = main_h - detail_h;

	out->note = rect(0, 0, main_h, note_w);
	out->sep = rect(0, note_w, main_h, 1);
	out->findings = rect(0, right_x, findings_h, right_w);
	out->detail = rect(findings_h, right_x, detail_h, right_w);
}

/* Narrow terminal: every pane takes the full width. */
static void
layout_stacked(int cols, int main_h, struct layout *out)
{
	int detail_h = clamp(main_h / 4, 4, 10);
	int findings_h = clamp(main_h / 4, 4, 12);
	int note_h = main_h - detail_h - findings_h;

	out->stacked = true;
	out->note = rect(0, 0, note_h, cols);
	out->findings = rect(note_h, 0, findings_h, cols);
	out->detail = rect(note_h + findings_h, 0, detail_h, cols);
}

void
layout_compute(int cols, int rows, struct layout *out)
{
	int main_h = rows - 2;

	memset(out, 0, sizeof(*out));
	out->cols = cols;
	out->rows = rows;
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS) {
		out->too_small = true;
		return;
	}
	if (cols >= LAYOUT_WIDE_COLS)
		layout_side_by_side(cols, main_h, out);
	else
		layout_stacked(cols, main_h, out);
	out->status = rect(rows - 2, 0, 1, cols);
	out->keys = rect(rows - 1, 0, 1, cols);
}

int
layout_cp_width(unsigned cp)
{
	/* What the sanitiser removes would not show what the file holds:
	 * a control acts on the terminal, a bidi control reorders text. */
	if (san_cp_hidden(cp))
		return -1;
	return wcwidth((wchar_t)cp);
}

/* Decode one character of s: its byte length and its columns (>= 0). */
static size_t
next_char(const char *s, size_t avail, int *width)
{
	unsigned cp;
	size_t n = utf8_decode(s, avail, &cp);
	int w = layout_cp_width(cp);

	*width = w < 0 ? 1 : w;
	return n;
}

int
layout_width(const char *s, size_t len)
{
	size_t i = 0;
	int w, total = 0;

	while (i < len) {
		i += next_char(s + i, len - i, &w);
		total += w;
	}
	return total;
}

size_t
layout_clip(const char *s, size_t len, int cols, int *used)
{
	size_t i = 0, n;
	int w, total = 0;

	while (i < len) {
		n = next_char(s + i, len - i, &w);
		if (total + w > cols)
			break;
		total += w;
		i += n;
	}
	if (used != NULL)
		*used = total;
	return i;
}

/* Append one character of the source as it should appear on screen. */
static void
printable_char(struct buf *b, const char *s, size_t n, unsigned cp,
    bool keep_newlines, int *col)
{
	int w;

	if (cp == '\t') {
		do {
			buf_addc(b, ' ');
		} while (++*col % LAYOUT_TABSTOP != 0);
		return;
	}
	if (cp == '\n' && keep_newlines) {
		buf_addc(b, '\n');
		*col = 0;
		return;
	}
	if (cp < 0x20 || cp == 0x7F) {
		buf_addc(b, '^');
		buf_addc(b, cp == 0x7F ? '?' : (char)(cp + '@'));
		*col += 2;
		return;
	}
	w = layout_cp_width(cp);
	if (w < 0 || (cp == 0xFFFD && n == 1)) {
		buf_adds(b, REPLACEMENT);
		*col += 1;
		return;
	}
	buf_add(b, s, n);
	*col += w;
}

char *
layout_printable(const char *s, size_t len, bool keep_newlines)
{
	struct buf b;
	size_t i = 0, n;
	unsigned cp;
	int col = 0;

	buf_init(&b, 0);
	buf_add(&b, "", 0);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		printable_char(&b, s + i, n, cp, keep_newlines, &col);
		i += n;
	}
	return buf_steal(&b);
}

static void
lines_push(struct lay_lines *l, size_t off, size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap != 0 ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n].off = off;
	l->v[l->n].len = len;
	l->n++;
}

void
layout_lines_free(struct lay_lines *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Bytes of the word (run of non-spaces) at s[0..len) and its columns. */
static size_t
word_extent(const char *s, size_t len, int *width)
{
	size_t i = 0;
	int w;

	*width = 0;
	while (i < len && s[i] != ' ') {
		i += next_char(s + i, len - i, &w);
		*width += w;
	}
	return i;
}

/*
 * Cut a word too long for any line into pieces of at most cols columns.
 * Each piece holds at least one character, so a wide character in a
 * one-column pane still makes progress.
 */
static size_t
wrap_long_word(const char *s, size_t off, size_t wlen, int cols,
    struct lay_lines *out)
{
	size_t end = off + wlen, n;
	int used;

	while (off < end) {
		n = layout_clip(s + off, end - off, cols, &used);
		if (n == 0)
			n = utf8_seqlen(s + off, end - off);
		if (off + n == end)
			break;
		lines_push(out, off, n);
		off += n;
	}
	return off;
}

/*
 * Wrap one paragraph s[start..end) holding no '\n'.  The first line keeps
 * its indentation; spaces are one column each.
 */
static void
wrap_paragraph(const char *s, size_t start, size_t end, int cols,
    struct lay_lines *out)
{
	size_t line = start;		/* first byte of the current line */
	size_t line_end = start;	/* end of its last word */
	size_t i = start, wlen;
	int col = 0, ww, gap;

	while (i < end) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		wlen = word_extent(s + i, end - i, &ww);
		gap = (int)(i - line_end);
		if (line_end > line && col + gap + ww > cols) {
			lines_push(out, line, line_end - line);
			line = line_end = i;
			col = gap = 0;
		}
		if (col + gap + ww > cols) {
			line = wrap_long_word(s, line, i + wlen - line, cols,
			    out);
			col = layout_width(s + line, i + wlen - line);
		} else
			col += gap + ww;
		i += wlen;
		line_end = i;
	}
	lines_push(out, line, line_end - line);
}

void
layout_wrap(const char *s, size_t len, int cols, struct lay_lines *out)
{
	size_t start = 0, end;
	const char *nl;

	if (cols < 1)
		cols = 1;
	for (;;) {
		nl = memchr(s + start, '\n', len - start);
		end = nl != NULL ? (size_t)(nl - s) : len;
		wrap_paragraph(s, start, end, cols, out);
		if (nl == NULL)
			break;
		start = end + 1;
	}
}
