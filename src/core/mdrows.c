/*
 * mdrows.c - a tutor's Markdown answer as styled, wrapped rows (mdrows.h).
 *
 * cmark gives the block structure; each paragraph, list item's paragraph
 * or heading becomes one block of flattened text with a style per byte,
 * each code block line a block of its own.  layout_wrap() then cuts the
 * blocks into rows, so wrapping follows the same rules as every pane.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "rustnote/buf.h"
#include "rustnote/layout.h"
#include "rustnote/mdrows.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#define MDR_MAX_INDENT 16	/* deeper lists stop indenting */
#define MDR_MAX_LISTS 32	/* deeper lists are numbered no more */

/* The block being filled while walking the tree. */
struct walk {
	struct mdr_doc *doc;
	struct buf text, style;
	int depth;		/* list nesting */
	int quote;		/* block quote nesting */
	int pending_bullet;	/* bullet for the next block of an item */
	int number[MDR_MAX_LISTS + 1];	/* next item number, per depth */
	int cols;
};

static int
indent_of(const struct walk *w)
{
	int n = w->depth * 2 + w->quote * 2;

	return n > MDR_MAX_INDENT ? MDR_MAX_INDENT : n;
}

static void
push_block(struct walk *w, const char *text, const unsigned char *style,
    size_t len)
{
	struct mdr_doc *d = w->doc;
	struct mdr_block *b;

	if (d->nblocks == d->bcap) {
		d->bcap = d->bcap ? d->bcap * 2 : 8;
		d->blocks = xreallocarray(d->blocks, d->bcap, sizeof(*b));
	}
	b = &d->blocks[d->nblocks++];
	b->text = xstrndup(text, len);
	b->style = xmalloc(len + 1);
	memcpy(b->style, style, len);
	b->len = len;
	b->indent = indent_of(w);
	b->bullet = w->pending_bullet;
	w->pending_bullet = 0;
}

static void
add_text(struct walk *w, const char *s, size_t len, enum mdr_style st)
{
	size_t i;

	buf_add(&w->text, s, len);
	for (i = 0; i < len; i++)
		buf_addc(&w->style, (char)st);
}

static void
flush_inline(struct walk *w)
{
	if (w->text.len > 0)
		push_block(w, w->text.data, (const unsigned char *)w->style.data,
		    w->text.len);
	buf_reset(&w->text);
	buf_reset(&w->style);
}

/* A code block: one block per line, tabs as spaces. */
static void
add_code(struct walk *w, const char *lit)
{
	const char *p = lit, *nl;
	size_t len;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		buf_reset(&w->text);
		buf_reset(&w->style);
		add_text(w, len > 0 ? p : " ", len > 0 ? len : 1,
		    MDR_CODEBLOCK);
		flush_inline(w);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static enum mdr_style
inline_style(cmark_node *n, enum mdr_style base)
{
	cmark_node *p;

	for (p = cmark_node_parent(n); p != NULL; p = cmark_node_parent(p)) {
		switch (cmark_node_get_type(p)) {
		case CMARK_NODE_STRONG:
			return MDR_STRONG;
		case CMARK_NODE_EMPH:
			return MDR_EMPH;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			return base;
		default:
			break;
		}
	}
	return base;
}

static void
enter_node(struct walk *w, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	enum mdr_style base = w->quote > 0 ? MDR_QUOTE : MDR_TEXT;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_LIST:
		w->depth++;
		if (w->depth <= MDR_MAX_LISTS)
			w->number[w->depth] = cmark_node_get_list_type(n) ==
			    CMARK_ORDERED_LIST ? cmark_node_get_list_start(n) : 0;
		break;
	case CMARK_NODE_ITEM:
		w->pending_bullet = w->depth <= MDR_MAX_LISTS &&
		    w->number[w->depth] > 0 ? w->number[w->depth]++ : -1;
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		w->quote++;
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		if (lit != NULL)
			add_text(w, lit, strlen(lit), cmark_node_get_type(
			    cmark_node_parent(n)) == CMARK_NODE_HEADING ?
			    MDR_HEADING : inline_style(n, base));
		break;
	case CMARK_NODE_CODE:
		if (lit != NULL)
			add_text(w, lit, strlen(lit), MDR_CODE);
		break;
	case CMARK_NODE_SOFTBREAK:
		add_text(w, " ", 1, base);
		break;
	case CMARK_NODE_LINEBREAK:
		add_text(w, "\n", 1, base);
		break;
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_BLOCK:
		flush_inline(w);
		if (lit != NULL)
			add_code(w, lit);
		break;
	default:
		break;
	}
}

static void
exit_node(struct walk *w, cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_LIST:
		w->depth--;
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		w->quote--;
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		flush_inline(w);
		break;
	default:
		break;
	}
}

static void
push_row(struct mdr_doc *d, size_t block, size_t off, size_t len, int first)
{
	if (d->nrows == d->rcap) {
		d->rcap = d->rcap ? d->rcap * 2 : 16;
		d->rows = xreallocarray(d->rows, d->rcap, sizeof(*d->rows));
	}
	d->rows[d->nrows].block = block;
	d->rows[d->nrows].off = off;
	d->rows[d->nrows].len = len;
	d->rows[d->nrows].first = first;
	d->nrows++;
}

/* A blank row between blocks, but none inside a list or a code block. */
static bool
gap_before(const struct mdr_doc *d, size_t i)
{
	const struct mdr_block *a, *b;

	if (i == 0)
		return false;
	a = &d->blocks[i - 1];
	b = &d->blocks[i];
	if (a->style[0] == MDR_CODEBLOCK && b->style[0] == MDR_CODEBLOCK)
		return false;
	return !(b->bullet != 0 && a->indent > 0);
}

static void
wrap_blocks(struct mdr_doc *d, int cols)
{
	struct lay_lines lines = { 0 };
	size_t i, k;
	int width;

	for (i = 0; i < d->nblocks; i++) {
		struct mdr_block *b = &d->blocks[i];

		if (gap_before(d, i))
			push_row(d, MDR_NO_BLOCK, 0, 0, 0);
		width = cols - b->indent - (b->bullet != 0 ? 2 : 0);
		if (width < 4)
			width = 4;
		lines.n = 0;
		layout_wrap(b->text, b->len, width, &lines);
		for (k = 0; k < lines.n; k++)
			push_row(d, i, lines.v[k].off, lines.v[k].len, k == 0);
	}
	layout_lines_free(&lines);
}

void
mdr_layout(const char *md, size_t len, int cols, struct mdr_doc *out)
{
	struct walk w;
	cmark_node *root;
	cmark_iter *it;
	cmark_event_type ev;
	char *clean;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.doc = out;
	w.cols = cols;
	buf_init(&w.text, 0);
	buf_init(&w.style, 0);
	clean = san_text(md, len, SAN_NEWLINE, 0);
	root = cmark_parse_document(clean, strlen(clean), CMARK_OPT_DEFAULT);
	it = cmark_iter_new(root);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev == CMARK_EVENT_ENTER)
			enter_node(&w, cmark_iter_get_node(it));
		else
			exit_node(&w, cmark_iter_get_node(it));
	}
	flush_inline(&w);
	cmark_iter_free(it);
	cmark_node_free(root);
	free(clean);
	buf_free(&w.text);
	buf_free(&w.style);
	wrap_blocks(out, cols);
}

void
mdr_free(struct mdr_doc *d)
{
	size_t i;

	for (i = 0; i < d->nblocks; i++) {
		free(d->blocks[i].text);
		free(d->blocks[i].style);
	}
	free(d->blocks);
	free(d->rows);
	memset(d, 0, sizeof(d[0]));
}
