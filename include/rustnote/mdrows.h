/*
 * mdrows.h - light Markdown (a tutor's answer) laid out as styled rows for
 * a pane of a given width: paragraphs word-wrapped, bullets with a hanging
 * indent, inline code, emphasis, and code blocks kept line by line.
 *
 * The text is sanitised first (sanitize.h) and parsed with cmark, walked
 * with an iterator, so no input shape costs more than linear work or any
 * stack.  Knows nothing of the terminal: the TUI maps styles to colours.
 */
#ifndef RUSTNOTE_MDROWS_H
#define RUSTNOTE_MDROWS_H

#include <stddef.h>

enum mdr_style {
	MDR_TEXT,
	MDR_STRONG,
	MDR_EMPH,
	MDR_CODE,		/* inline code */
	MDR_CODEBLOCK,		/* a line of a code block */
	MDR_HEADING,
	MDR_QUOTE
};

/* One block of text; style[i] is the style of text[i]. */
struct mdr_block {
	char *text;
	unsigned char *style;
	size_t len;
	int indent;		/* columns before the text */
	int bullet;		/* 0, or the item's number (-1: unnumbered) */
};

/* One screen row: a byte range of a block's text. */
struct mdr_row {
	size_t block;
	size_t off, len;
	int first;		/* the block's first row (draws the bullet) */
};

struct mdr_doc {
	struct mdr_block *blocks;
	size_t nblocks, bcap;
	struct mdr_row *rows;	/* blank rows between blocks: block = -1 */
	size_t nrows, rcap;
};

#define MDR_NO_BLOCK ((size_t)-1)

/* Lay out md[0..len) for cols columns (cols >= 8). */
void mdr_layout(const char *md, size_t len, int cols, struct mdr_doc *out);
void mdr_free(struct mdr_doc *d);

#endif
