/*
 * note_walk.c - the cmark walk behind note_parse(): the note's lines go to
 * cmark with the front matter blanked out (so cmark's line numbers are the
 * file's), and the tree is flattened into leaf blocks, a section tree and
 * the inline code spans.  Everything is copied out of the cmark tree, which
 * is freed before note_walk() returns.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "rustnote/buf.h"
#include "rustnote/cancel.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

#include "note_int.h"

/* A bold "heading" is a label, not a sentence: keep it short. */
#define PSEUDO_HEADING_MAX	80
#define PSEUDO_HEADING_LEVEL	7

struct builder {
	struct note	*n;
	size_t		 blocks_alloc;
	size_t		 sections_alloc;
	size_t		 spans_alloc;
	int		 cur_section;	/* innermost open section, or -1 */
	int		 list_depth;
	int		 quote_depth;
};

/* Flattened inline text of one block, with the line reached so far. */
struct flat {
	struct builder	*b;
	struct buf	 text;
	int		 line;
};

/*
 * The text cmark sees: one '\n' per line of the file, front-matter lines
 * left empty, and stray carriage returns turned into spaces, so cmark can
 * neither skip nor add a line and its positions are the file's lines.
 */
static char *
cmark_input(const struct note *n, size_t *outlen)
{
	char	*out, *p;
	int	 i;
	size_t	 k;

	out = p = xmalloc(n->src_len + n->nlines + 1);
	for (i = 0; i < n->nlines; i++) {
		if (i + 1 >= n->body_line) {
			memcpy(p, n->lines[i].text, n->lines[i].len);
			for (k = 0; k < n->lines[i].len; k++)
				if (p[k] == '\r')
					p[k] = ' ';
			p += n->lines[i].len;
		}
		*p++ = '\n';
	}
	*p = '\0';
	*outlen = p - out;
	return out;
}

/* --- building blocks, sections and spans --------------------------------- */

static struct note_block *
add_block(struct builder *b, enum note_block_kind kind, int start, int end)
{
	struct note		*n = b->n;
	struct note_block	*blk;

	if ((size_t)n->nblocks == b->blocks_alloc) {
		b->blocks_alloc = b->blocks_alloc ? b->blocks_alloc * 2 : 64;
		n->blocks = xreallocarray(n->blocks, b->blocks_alloc,
		    sizeof *n->blocks);
	}
	blk = &n->blocks[n->nblocks++];
	memset(blk, 0, sizeof *blk);
	blk->kind = kind;
	blk->start_line = start;
	blk->end_line = end < start ? start : end;
	blk->level = b->list_depth;
	blk->section = b->cur_section;
	if (b->cur_section >= 0 && kind != NB_HEADING)
		n->sections[b->cur_section].nblocks++;
	return blk;
}

static void
add_span(struct builder *b, int line, const char *text)
{
	struct note	*n = b->n;

	if ((size_t)n->nspans == b->spans_alloc) {
		b->spans_alloc = b->spans_alloc ? b->spans_alloc * 2 : 32;
		n->spans = xreallocarray(n->spans, b->spans_alloc,
		    sizeof *n->spans);
	}
	n->spans[n->nspans].line = line;
	n->spans[n->nspans].text = xstrdup(text);
	n->nspans++;
}

/*
 * Open a section for the heading block just added.  Every open section of
 * the same or a deeper level ends on the line before it.
 */
static void
open_section(struct builder *b, struct note_block *heading)
{
	struct note		*n = b->n;
	struct note_section	*s;
	int			 up = b->cur_section;
	char			*nl;

	while (up >= 0 && n->sections[up].level >= heading->level) {
		n->sections[up].end_line = heading->start_line - 1;
		up = n->sections[up].parent;
	}
	if ((size_t)n->nsections == b->sections_alloc) {
		b->sections_alloc = b->sections_alloc ?
		    b->sections_alloc * 2 : 16;
		n->sections = xreallocarray(n->sections, b->sections_alloc,
		    sizeof *n->sections);
	}
	s = &n->sections[n->nsections];
	s->title = xstrdup(heading->text);
	for (nl = s->title; (nl = strchr(nl, '\n')) != NULL; nl++)
		*nl = ' ';		/* setext headings may span lines */
	s->level = heading->level;
	s->line = heading->start_line;
	s->end_line = n->nlines;
	s->parent = up;
	s->nblocks = 0;
	b->cur_section = n->nsections++;
	heading->section = b->cur_section;
}

static int
node_start(cmark_node *node)
{
	return cmark_node_get_start_line(node);
}

static int
node_end(cmark_node *node)
{
	return cmark_node_get_end_line(node);
}

static cmark_node_type
node_type(cmark_node *node)
{
	return node == NULL ? CMARK_NODE_NONE : cmark_node_get_type(node);
}

static void
flat_add(struct flat *f, const char *s)
{
	const char	*p;

	if (s == NULL)
		return;
	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		f->line++;	/* raw inline HTML may span lines */
	if (buf_adds(&f->text, s) == -1)
		fatal("note text too large");
}

static void
flat_addc(struct flat *f, char c)
{
	if (c == '\n')
		f->line++;
	if (buf_add(&f->text, &c, 1) == -1)
		fatal("note text too large");
}

/* Newlines up to line, so the text's k-th '\n' stays on start + k. */
static void
flat_reach(struct flat *f, int line)
{
	while (f->line < line)
		flat_addc(f, '\n');
}

/*
 * Bring the text to the line cmark gives an inline.  Neither that line
 * nor the count of breaks is always right: cmark does not count a
 * backslash line break, and drops the breaks inside a link's destination
 * from the text.  Both can only fall behind the truth, so the larger wins.
 */
static void
flat_sync(struct flat *f, cmark_node *node)
{
	flat_reach(f, cmark_node_get_start_line(node));
}

/* s[0..len) is raw[0..len) as cmark saw it (a stray CR as a space). */
static bool
same_as_raw(const char *s, const char *raw, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] != (raw[i] == '\r' ? ' ' : raw[i]))
			return false;
	return true;
}

/*
 * Does the code span's text at lit[pos..] hold raw[0..len), one line's
 * part, up to a break?  cmark made the break a space, or stripped it at
 * either end of the span.
 */
static bool
part_fits(const char *lit, size_t litlen, size_t pos, const char *raw,
    size_t len)
{
	if (pos + len > litlen || !same_as_raw(lit + pos, raw, len))
		return false;
	return pos + len == litlen || lit[pos + len] == ' ' ||
	    (pos == 0 && len == 0);
}

/*
 * The span's part on its first line runs from its start column, right
 * after the opening backticks, to the end of the line; cmark may have
 * stripped one space after the backticks.
 */
static bool
first_part(const struct note_line *nl, size_t col, const char *lit,
    size_t litlen, size_t *len)
{
	size_t	skip, from;

	if (col < 2 || col - 2 >= nl->len || nl->text[col - 2] != '`')
		return false;		/* a column cmark lost count of */
	for (skip = 0; skip <= 1; skip++) {
		from = col - 1 + skip;
		if (from > nl->len)
			break;
		*len = nl->len - from;
		if (part_fits(lit, litlen, 0, nl->text + from, *len))
			return true;
	}
	return false;
}

/* A later line is all the span's after the '>' marks and the indent. */
static bool
middle_part(const struct note_line *nl, const char *lit, size_t litlen,
    size_t pos, size_t *len)
{
	size_t	lead = 0;

	while (lead < nl->len && strchr(" \t>", nl->text[lead]) != NULL)
		lead++;
	*len = nl->len - lead;
	return part_fits(lit, litlen, pos, nl->text + lead, *len);
}

/*
 * Where in lit, from pos, the break after the span's part on line l was.
 * When the line does not match the text (tabs, a line cmark lost count
 * of), the next space stands in: every break became one.
 */
static size_t
code_break(const struct note *n, const char *lit, size_t litlen, size_t pos,
    int l, size_t col, bool first)
{
	const struct note_line	*nl;
	size_t			 len;

	if (l >= 1 && l <= n->nlines) {
		nl = &n->lines[l - 1];
		if (first ? first_part(nl, col, lit, litlen, &len) :
		    middle_part(nl, lit, litlen, pos, &len))
			return pos + len;
	}
	while (pos < litlen && lit[pos] != ' ')
		pos++;
	return pos;
}

/*
 * A code span that runs across lines: cmark turned each line break in it
 * into a space.  Put the breaks back where the lines change, so the text
 * keeps one '\n' per line.
 */
static void
flat_code_lines(struct flat *f, cmark_node *node, const char *lit)
{
	const struct note	*n = f->b->n;
	size_t			 litlen = strlen(lit), pos = 0, at;
	size_t			 col = cmark_node_get_start_column(node);
	int			 l = f->line, breaks, i;

	breaks = node_end(node) - node_start(node);
	for (i = 0; i < breaks; i++, l++) {
		at = code_break(n, lit, litlen, pos, l, col, i == 0);
		if (buf_add(&f->text, lit + pos, at - pos) == -1)
			fatal("note text too large");
		flat_addc(f, '\n');
		pos = at;
		if (pos < litlen && lit[pos] == ' ')
			pos++;
	}
	if (buf_add(&f->text, lit + pos, litlen - pos) == -1)
		fatal("note text too large");
}

static void
flat_code(struct flat *f, cmark_node *node)
{
	const char	*lit = cmark_node_get_literal(node);

	if (lit == NULL)
		lit = "";
	add_span(f->b, f->line, lit);
	flat_add(f, "`");
	if (node_end(node) > node_start(node))
		flat_code_lines(f, node, lit);
	else
		flat_add(f, lit);
	flat_add(f, "`");
}

static void
flatten_inline(struct flat *f, cmark_node *cur)
{
	switch (cmark_node_get_type(cur)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		flat_sync(f, cur);
		flat_add(f, cmark_node_get_literal(cur));
		break;
	case CMARK_NODE_CODE:
		flat_sync(f, cur);
		flat_code(f, cur);
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		flat_add(f, "\n");
		break;
	default:
		break;		/* emphasis, links: only their text */
	}
}

/*
 * Plain text of everything inside root, starting at its child first (all
 * children when first is NULL).  *end_line gets the line of the last text.
 */
static char *
flatten(struct builder *b, cmark_node *root, cmark_node *first, int line,
    int *end_line)
{
	struct flat		 f;
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*cur;
	bool			 started = first == NULL;

	f.b = b;
	f.line = line;
	buf_init(&f.text, 0);
	it = cmark_iter_new(root);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cur = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cur == root)
			continue;
		if (cur == first)
			started = true;
		if (started)
			flatten_inline(&f, cur);
	}
	cmark_iter_free(it);
	/* A paragraph's own end line is exact, even where breaks inside a
	   link were lost: the text gets them at its end. */
	if (node_type(root) == CMARK_NODE_PARAGRAPH)
		flat_reach(&f, node_end(root));
	if (end_line != NULL)
		*end_line = f.line;
	if (f.text.data == NULL)
		return xstrdup("");
	return buf_steal(&f.text);
}

/* "Stack:" -> "Stack": the colon belongs to the label, not the title. */
static void
trim_label(char *s)
{
	size_t	len;

	str_trim(s);
	len = strlen(s);
	if (len > 0 && s[len - 1] == ':')
		s[--len] = '\0';
	str_trim(s);
}

static bool
colon_text(cmark_node *node)
{
	const char	*s;

	if (node_type(node) != CMARK_NODE_TEXT)
		return false;
	s = cmark_node_get_literal(node);
	s += strspn(s, " \t");
	if (*s == ':')
		s++;
	return s[strspn(s, " \t")] == '\0';
}

/*
 * A paragraph whose first line is only bold text ("**Stack**", "__Heap__:")
 * is a heading in all but name.  Returns the node after the line break (or
 * NULL when the bold line is the whole paragraph) through rest.
 */
static bool
bold_first_line(cmark_node *para, cmark_node **rest)
{
	cmark_node	*c = cmark_node_first_child(para);
	cmark_node_type	 t;

	if (node_type(c) != CMARK_NODE_STRONG ||
	    node_type(cmark_node_parent(para)) != CMARK_NODE_DOCUMENT)
		return false;
	c = cmark_node_next(c);
	if (colon_text(c))
		c = cmark_node_next(c);
	t = node_type(c);
	if (c == NULL) {
		*rest = NULL;
		return true;
	}
	if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
		*rest = cmark_node_next(c);
		return true;
	}
	return false;
}

static bool
label_like(const char *s)
{
	size_t	len = strlen(s);

	return len > 0 && len <= PSEUDO_HEADING_MAX && s[len - 1] != '.' &&
	    strchr(s, '\n') == NULL;
}

/* The block ends where its flattened text does (see flat_sync()). */
static void
add_text_block(struct builder *b, enum note_block_kind kind, cmark_node *node,
    cmark_node *first, int start)
{
	struct note_block	*blk;
	char			*text;
	int			 end;

	text = flatten(b, node, first, start, &end);
	blk = add_block(b, kind, start, end);
	blk->text = text;
}

/* Split "**Mental model**\nStack contains ..." into heading + paragraph. */
static bool
add_pseudo_heading(struct builder *b, cmark_node *para)
{
	struct note_block	*blk;
	cmark_node		*rest, *bold;
	char			*title;
	int			 nspans = b->n->nspans, line = node_start(para);

	if (!bold_first_line(para, &rest))
		return false;
	bold = cmark_node_first_child(para);
	title = flatten(b, bold, NULL, line, NULL);
	trim_label(title);
	if (!label_like(title)) {
		while (b->n->nspans > nspans)	/* flattened again below */
			free(b->n->spans[--b->n->nspans].text);
		free(title);
		return false;
	}
	blk = add_block(b, NB_HEADING, line, line);
	blk->text = title;
	blk->level = PSEUDO_HEADING_LEVEL;
	blk->pseudo_heading = true;
	open_section(b, blk);
	if (rest != NULL)
		add_text_block(b, NB_PARAGRAPH, para, rest, line + 1);
	return true;
}

static void
add_heading(struct builder *b, cmark_node *node)
{
	struct note_block	*blk;
	char			*text;
	int			 end;

	text = flatten(b, node, NULL, node_start(node), &end);
	str_trim(text);
	if (node_end(node) > node_start(node))
		end++;			/* a setext heading's underline */
	blk = add_block(b, NB_HEADING, node_start(node), end);
	blk->text = text;
	blk->level = cmark_node_get_heading_level(node);
	open_section(b, blk);
}

static void
add_paragraph(struct builder *b, cmark_node *node)
{
	enum note_block_kind	kind = NB_PARAGRAPH;

	if (node_type(cmark_node_parent(node)) == CMARK_NODE_ITEM)
		kind = NB_ITEM;
	else if (b->quote_depth > 0)
		kind = NB_QUOTE;
	else if (add_pseudo_heading(b, node))
		return;
	add_text_block(b, kind, node, NULL, node_start(node));
}

/* Literal block text without its final newline. */
static char *
literal_text(cmark_node *node)
{
	const char	*lit = cmark_node_get_literal(node);
	size_t		 len;

	if (lit == NULL)
		return xstrdup("");
	len = strlen(lit);
	if (len > 0 && lit[len - 1] == '\n')
		len--;
	return xstrndup(lit, len);
}

/* The language of a fence: "rust" from "rust ignore" or "rust,ignore". */
static char *
fence_language(cmark_node *node)
{
	const char	*info = cmark_node_get_fence_info(node);

	if (info == NULL)
		return xstrdup("");
	info += strspn(info, " \t");
	return xstrndup(info, strcspn(info, " \t,{"));
}

static int
count_newlines(const char *s)
{
	int	n = 0;

	for (; (s = strchr(s, '\n')) != NULL; s++)
		n++;
	return n;
}

/* lit's first line is line[0..len) as cmark saw it (CR as a space). */
static bool
same_as_input(const char *lit, const char *line, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (lit[i] == '\0')
			return false;
		if (lit[i] != (line[i] == '\r' ? ' ' : line[i]))
			return false;
	}
	return lit[len] == '\n' || lit[len] == '\0';
}

/*
 * cmark does not say whether a code block was fenced.  A fenced block's
 * source line starts with its fence, which is not its first code line.
 * Returns the fence character, or 0 for an indented block.
 */
static char
code_fence(struct builder *b, cmark_node *node)
{
	const struct note_line	*l;
	const char		*lit = cmark_node_get_literal(node), *p;
	size_t			 col, rest;
	int			 line = node_start(node);

	if (line < 1 || line > b->n->nlines)
		return 0;
	l = &b->n->lines[line - 1];
	col = cmark_node_get_start_column(node);
	if (col < 1 || col > l->len)
		return 0;
	p = l->text + col - 1;
	rest = l->len - (col - 1);
	if (rest < 3 || (strncmp(p, "```", 3) != 0 &&
	    strncmp(p, "~~~", 3) != 0))
		return 0;
	if (lit != NULL && same_as_input(lit, p, rest))
		return 0;		/* indented code that shows a fence */
	return *p;
}

/*
 * Where the container of a block opening at column col begins on its line:
 * a fence in "- ```" or "> ```" needs a closing fence indented as far.
 */
static size_t
container_indent(const struct note *n, int lineno, size_t col)
{
	const struct note_line	*l = &n->lines[lineno - 1];
	size_t			 k = col > 0 ? col - 1 : 0;

	if (k > l->len)
		k = l->len;
	while (k > 0 && l->text[k - 1] == ' ')
		k--;
	return k;
}

/* Line lineno closes a fence of c: "```", "> ~~~~", "  ```  ". */
static bool
closing_fence(const struct note *n, int lineno, char c, size_t indent)
{
	const struct note_line	*l;
	size_t			 i = 0, run;

	if (lineno < 1 || lineno > n->nlines)
		return false;
	l = &n->lines[lineno - 1];
	while (i < l->len && strchr(" \t>", l->text[i]) != NULL)
		i++;
	if (i < indent)
		return false;		/* outside the fence's container */
	for (run = 0; i < l->len && l->text[i] == c; i++)
		run++;
	return run >= 3 && note_only_space(l->text + i, l->len - i);
}

/* Empty lines at the end of a literal ("code\n\n\n" has two). */
static int
trailing_blank_lines(const char *lit)
{
	size_t	len = lit != NULL ? strlen(lit) : 0;
	int	n = 0;

	while (len >= 2 && lit[len - 1] == '\n' && lit[len - 2] == '\n') {
		n++;
		len--;
	}
	return n;
}

/*
 * The last line of a literal block, counted from its text: cmark's end
 * line takes in the blank lines after a block, and an unclosed fence in a
 * list item ends where the item does.
 */
static int
literal_end_line(struct builder *b, cmark_node *node, char fence)
{
	const char	*lit = cmark_node_get_literal(node);
	int		 start = node_start(node), last;
	size_t		 indent;

	last = start + count_newlines(lit != NULL ? lit : "");
	if (fence == 0)
		return last > start ? last - 1 : start;
	indent = container_indent(b->n, start,
	    cmark_node_get_start_column(node));
	if (closing_fence(b->n, last + 1, fence, indent))
		return last + 1;
	return last - trailing_blank_lines(lit);	/* never closed */
}

static void
add_literal(struct builder *b, enum note_block_kind kind, cmark_node *node)
{
	struct note_block	*blk;
	char			 fence = 0;

	if (kind == NB_CODE)
		fence = code_fence(b, node);
	blk = add_block(b, kind, node_start(node),
	    literal_end_line(b, node, fence));
	blk->text = literal_text(node);
	if (kind == NB_CODE)
		blk->info = fence ? fence_language(node) : xstrdup("");
}

static void
add_rule(struct builder *b, cmark_node *node)
{
	struct note_block	*blk;

	/* One line: cmark's end line counts the blank lines after it. */
	blk = add_block(b, NB_RULE, node_start(node), node_start(node));
	blk->text = xstrdup("");
}

/*
 * Handle one node entered by the walk.  Returns true when the node's
 * children were consumed here and the walk should skip past them.
 */
static bool
enter_node(struct builder *b, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_LIST:
		b->list_depth++;
		return false;
	case CMARK_NODE_BLOCK_QUOTE:
		b->quote_depth++;
		return false;
	case CMARK_NODE_HEADING:
		if (b->quote_depth > 0) {
			add_text_block(b, NB_QUOTE, node, NULL,
			    node_start(node));
			return true;
		}
		add_heading(b, node);
		return true;
	case CMARK_NODE_PARAGRAPH:
		add_paragraph(b, node);
		return true;
	case CMARK_NODE_CODE_BLOCK:
		add_literal(b, NB_CODE, node);
		return true;
	case CMARK_NODE_HTML_BLOCK:
		add_literal(b, NB_HTML, node);
		return true;
	case CMARK_NODE_THEMATIC_BREAK:
		add_rule(b, node);
		return true;
	default:
		return false;
	}
}

static void
exit_node(struct builder *b, cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_LIST:
		b->list_depth--;
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		b->quote_depth--;
		break;
	default:
		break;
	}
}

/* Walks the tree without recursion; false when asked to stop. */
static bool
walk_document(struct builder *b, cmark_node *doc)
{
	cmark_iter		*it;
	cmark_event_type	 ev;
	cmark_node		*node;
	unsigned		 steps = 0;

	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (++steps % 1024 == 0 && cancel_requested())
			break;
		node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_EXIT)
			exit_node(b, node);
		else if (enter_node(b, node) &&
		    cmark_node_first_child(node) != NULL)
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
	}
	cmark_iter_free(it);
	return ev == CMARK_EVENT_DONE;
}

/*
 * Leaf blocks never share lines.  Where a fence is judged closed by a line
 * that really opens the next block (an unclosed fence in a list item),
 * the next block's start wins.
 */
static void
clamp_block_ends(struct note *n)
{
	struct note_block	*b;
	int			 i;

	for (i = 0; i + 1 < n->nblocks; i++) {
		b = &n->blocks[i];
		if (b->end_line >= n->blocks[i + 1].start_line)
			b->end_line = n->blocks[i + 1].start_line - 1;
		if (b->end_line < b->start_line)
			b->end_line = b->start_line;
	}
}

enum rn_status
note_walk(struct note *n, char *err, size_t errlen)
{
	struct builder	 b;
	cmark_node	*doc;
	char		*input;
	size_t		 len;

	memset(&b, 0, sizeof b);
	b.n = n;
	b.cur_section = -1;
	input = cmark_input(n, &len);
	doc = cmark_parse_document(input, len, CMARK_OPT_SOURCEPOS);
	free(input);
	if (doc == NULL)
		return rn_fail(err, errlen, RN_EFAIL, "%s: cannot parse",
		    n->path);
	if (!walk_document(&b, doc)) {
		cmark_node_free(doc);
		return rn_fail(err, errlen, RN_ECANCEL, "interrupted");
	}
	cmark_node_free(doc);
	clamp_block_ends(n);
	return RN_OK;
}

