/*
 * note.h - the learner's Markdown note.
 *
 * A note is loaded once, validated (size, NUL bytes, UTF-8), split into the
 * raw lines the editor shows, and parsed with cmark (source positions on)
 * into blocks, sections and inline code spans.  All line numbers are 1-based
 * and count every line of the file as an editor shows it: a UTF-8 BOM and
 * CRLF line ends are accepted and hidden, and optional front matter stays in
 * the numbering but is left out of the parsed body.
 */
#ifndef RUSTNOTE_NOTE_H
#define RUSTNOTE_NOTE_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

#define NOTE_MAX_BYTES ((size_t)1 << 20)	/* 1 MiB */

enum note_block_kind {
	NB_HEADING,	/* ATX/setext heading, or a first line only bold */
	NB_PARAGRAPH,
	NB_ITEM,	/* one list item's own text (nested lists are own items) */
	NB_CODE,	/* fenced or indented code block */
	NB_QUOTE,	/* paragraph inside a block quote */
	NB_HTML,
	NB_RULE		/* thematic break */
};

struct note_block {
	enum note_block_kind kind;
	int start_line, end_line;	/* inclusive, 1-based */
	int level;		/* heading level (bold paragraph: 7), list depth */
	int section;		/* index into note.sections, -1 before the first */
	char *text;		/* plain text: inlines flattened, code spans kept
				   with their backticks, emphasis markers dropped;
				   code blocks: the literal code */
				/* text lines: the k-th '\n' starts start_line + k
				   (fenced code: start_line + 1 + k) */
	char *info;		/* code block language ("" when none), else NULL */
	bool pseudo_heading;	/* heading made from a bold-only line */
};

struct note_section {
	char *title;		/* plain text of the heading */
	int level;		/* 1..6; bold-paragraph headings get 7 */
	int line;		/* the heading's line */
	int end_line;		/* last line before the next heading of the same
				   or a higher level, or the last line */
	int parent;		/* enclosing section index, -1 at top */
	int nblocks;		/* blocks under it (not counting sub-sections) */
};

struct note_code_span {		/* inline `code` */
	int line;
	char *text;		/* without backticks */
};

struct note_line {
	const char *text;	/* points into note.src; not NUL-terminated */
	size_t len;		/* without the line end (\n or \r\n) */
};

struct note {
	char *path;		/* as given */
	char *src;		/* file contents, BOM removed, NUL-terminated */
	size_t src_len;
	struct note_line *lines;
	int nlines;
	int body_line;		/* first line after front matter (1 if none) */
	char *fm_overview;	/* "overview:" from front matter, or NULL */
	struct note_block *blocks;
	int nblocks;
	struct note_section *sections;
	int nsections;
	struct note_code_span *spans;
	int nspans;
};

/*
 * Load and parse a note file.  On failure returns RN_EINPUT with a message
 * like "notes/x.md: file is empty" and *out stays NULL.
 */
enum rn_status note_load(const char *path, struct note **out, char *err,
    size_t errlen);
/* Same, from memory; name is used in messages and as note.path. */
enum rn_status note_parse(const char *name, const char *data, size_t len,
    struct note **out, char *err, size_t errlen);
void note_free(struct note *n);
/*
 * The checks note_parse() makes before parsing, for any text file the
 * learner hands in (the overview too): at most max bytes, not only white
 * space, no NUL bytes, valid UTF-8.  RN_OK or RN_EINPUT with a message.
 */
enum rn_status note_check_text(const char *name, const char *data, size_t len,
    size_t max, char *err, size_t errlen);

/* Line lineno (1-based) as a pointer + length; NULL when out of range. */
const char *note_line(const struct note *n, int lineno, size_t *len);
/* Index of the innermost section containing lineno, or -1. */
int note_section_at(const struct note *n, int lineno);
/* Index of the block covering lineno, or -1. */
int note_block_at(const struct note *n, int lineno);

#endif
