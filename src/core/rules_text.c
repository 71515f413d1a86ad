/*
 * rules_text.c - the text rules are matched against.  Markdown inline
 * text is flattened to plain text (emphasis markers, link targets and
 * backticks dropped, typographic quotes made straight) that remembers the
 * source offset of each byte and where its inline code spans and lines
 * are, so that a match can be quoted from the note as written.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/rules.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "rules_int.h"

void
rule_text_init(struct rule_text *t)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->text, 0);
}

void
rule_text_reset(struct rule_text *t)
{
	buf_reset(&t->text);
	t->ncode = t->nsent = t->nlines = t->nblocks = 0;
	t->block_start = 0;
	t->words_of = NULL;
	t->grams_made = false;
	rule_meaning_forget(t);
}

void
rule_text_free(struct rule_text *t)
{
	size_t	i;

	buf_free(&t->text);
	free(t->src);
	free(t->code);
	free(t->sent);
	free(t->lines);
	free(t->blocks);
	for (i = 0; i < t->nwords; i++)
		free(t->words[i].v);
	free(t->words);
	rule_meaning_free(t->mean);
	rule_lits_text_free(t);
	rule_match_data_free(t);
	memset(t, 0, sizeof *t);
}

void
rule_range_push(struct rule_range **v, size_t *n, size_t *alloc,
    size_t start, size_t end)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		*v = xreallocarray(*v, *alloc, sizeof **v);
	}
	(*v)[*n].start = start;
	(*v)[*n].end = end;
	(*n)++;
}

/* --- adding text --------------------------------------------------------- */

/* Append n bytes that all come from source offset src (or src + i). */
static void
text_put(struct rule_text *t, const char *p, size_t n, size_t src,
    bool same_src)
{
	size_t	i, need = t->text.len + n + 1;

	if (need > t->src_alloc) {
		t->src_alloc = need * 2;
		t->src = xreallocarray(t->src, t->src_alloc, sizeof *t->src);
	}
	t->grams_made = false;		/* the text changes */
	if (buf_add(&t->text, p, n) == -1)
		return;			/* past the cap: the rest is ignored */
	for (i = 0; i < n; i++)
		t->src[t->text.len - n + i] = same_src ? src : src + i;
}

static void
text_newline(struct rule_text *t, size_t base)
{
	t->words_of = NULL;		/* the word index is out of date */
	if (t->nlines > 0)
		text_put(t, "\n", 1, base, true);
}

/* A line of t starts (where its text starts) and ends. */
static size_t
line_begin(struct rule_text *t, size_t base)
{
	text_newline(t, base);
	return t->text.len;
}

static void
line_end(struct rule_text *t, size_t start)
{
	rule_range_push(&t->lines, &t->nlines, &t->lines_alloc, start,
	    t->text.len);
}

void
rule_text_add_raw(struct rule_text *t, const char *s, size_t len,
    size_t base)
{
	size_t	start = line_begin(t, base);

	text_put(t, s, len, base, false);
	line_end(t, start);
}

/* --- Markdown inline text ------------------------------------------------ */

static bool
is_punct(unsigned char c)
{
	return c > ' ' && c < 0x7f && !rule_is_alnum(c);
}

/* Append code as an inline code span. */
static void
put_code(struct rule_text *t, const char *s, size_t len, size_t base)
{
	size_t	start = t->text.len;

	text_put(t, s, len, base, false);
	rule_range_push(&t->code, &t->ncode, &t->code_alloc, start,
	    t->text.len);
}

/* Emit a code span's content (CommonMark strips one space each side). */
static size_t
put_code_span(struct rule_text *t, const char *s, size_t len, size_t i,
    size_t base)
{
	size_t	n = text_run_len(s, len, i, '`'), a, b, close;

	close = text_closing_ticks(s, len, i + n, n);
	if (close == len) {
		text_put(t, s + i, n, base + i, false);
		return i + n;
	}
	a = i + n;
	b = close;
	if (b - a >= 2 && s[a] == ' ' && s[b - 1] == ' ') {
		a++;
		b--;
	}
	put_code(t, s + a, b - a, base + a);
	return close + n;
}

/* Emphasis markers are dropped; "2 * 3" and snake_case keep theirs. */
static bool
is_emphasis(const char *s, size_t len, size_t i, size_t n)
{
	unsigned char	prev = i > 0 ? s[i - 1] : ' ';
	unsigned char	next = i + n < len ? s[i + n] : ' ';

	if (rule_is_blank(prev) && rule_is_blank(next))
		return false;
	return !(rule_is_alnum(prev) && rule_is_alnum(next));
}

/*
 * A run of '*' or '_' at s[i], or of two '~' or more, is dropped when it
 * marks emphasis; anything else is kept.
 */
static size_t
put_marker_run(struct rule_text *t, const char *s, size_t len, size_t i,
    size_t base)
{
	char	c = s[i];
	size_t	n = text_run_len(s, len, i, c);

	if ((c == '~' && n < 2) || !is_emphasis(s, len, i, n))
		text_put(t, s + i, n, base + i, false);
	return i + n;
}

/* --- links --------------------------------------------------------------- */

/* "[text](url)": the index of "](" when s[i] opens a link, else 0. */
static size_t
link_close(const char *s, size_t len, size_t i)
{
	const char	*close, *paren;

	close = memchr(s + i, ']', len - i);
	if (close == NULL || (size_t)(close - s) + 1 >= len || close[1] != '(')
		return 0;
	paren = memchr(close, ')', len - (close - s));
	return paren != NULL ? (size_t)(close - s) : 0;
}

/* Typographic quotes become straight ones; a no-break space a space. */
static size_t
put_typographic(struct rule_text *t, const char *s, size_t len, size_t i,
    size_t base)
{
	const unsigned char	*u = (const unsigned char *)s + i;

	if (len - i >= 3 && u[0] == 0xe2 && u[1] == 0x80) {
		if (u[2] == 0x98 || u[2] == 0x99) {
			text_put(t, "'", 1, base + i, true);
			return i + 3;
		}
		if (u[2] == 0x9c || u[2] == 0x9d) {
			text_put(t, "\"", 1, base + i, true);
			return i + 3;
		}
	}
	if (len - i >= 2 && u[0] == 0xc2 && u[1] == 0xa0) {
		text_put(t, " ", 1, base + i, true);
		return i + 2;
	}
	return i;
}

/*
 * Does byte c need Markdown handling: an escape, a code span, emphasis,
 * an image or link, a typographic character (or a NUL, as strchr()
 * would have it)?  Decided by a switch: this is asked of every byte.
 */
static bool
is_markup(unsigned char c)
{
	switch (c) {
	case '\0': case '\\': case '`': case '*': case '_': case '~':
	case '!': case '[':
		return true;
	default:
		return c >= 0xc2;
	}
}

/* End of the bytes from i on that need no Markdown handling. */
static size_t
plain_run(const char *s, size_t len, size_t i, size_t stop)
{
	size_t	j = i + 1;

	while (j < len && j != stop && !is_markup((unsigned char)s[j]))
		j++;
	return j;
}

/* Flatten one run of Markdown inline text onto the current line. */
static void
put_inline(struct rule_text *t, const char *s, size_t len, size_t base)
{
	size_t	i = 0, j, skip_at = 0, skip_to = 0;
	char	c;

	while (i < len) {
		c = s[i];
		if (skip_at != 0 && i == skip_at) {
			i = skip_to;		/* a link's "](url)" */
			skip_at = 0;
			continue;
		}
		if (c == '\\' && i + 1 < len && is_punct(s[i + 1])) {
			text_put(t, s + i + 1, 1, base + i + 1, false);
			i += 2;
		} else if (c == '`') {
			i = put_code_span(t, s, len, i, base);
		} else if (c == '*' || c == '_' || c == '~') {
			i = put_marker_run(t, s, len, i, base);
		} else if (c == '!' && i + 1 < len && s[i + 1] == '[' &&
		    link_close(s, len, i + 1) != 0) {
			i++;		/* an image's text is kept */
		} else if (c == '[' && skip_at == 0 &&
		    (j = link_close(s, len, i)) != 0) {
			skip_at = j;
			skip_to = (size_t)((const char *)memchr(s + j, ')',
			    len - j) - s) + 1;
			i++;
		} else if ((unsigned char)c >= 0xc2 &&
		    (j = put_typographic(t, s, len, i, base)) != i) {
			i = j;
		} else {
			j = plain_run(s, len, i, skip_at);
			text_put(t, s + i, j - i, base + i, false);
			i = j;
		}
	}
}

void
rule_text_add_line(struct rule_text *t, const char *s, size_t len,
    size_t base)
{
	size_t	start = line_begin(t, base);

	put_inline(t, s, len, base);
	line_end(t, start);
}

/* End of the table cell starting at i: the next '|' outside code. */
static size_t
cell_end(const char *s, size_t len, size_t i)
{
	size_t	n, close;

	while (i < len && s[i] != '|') {
		if (s[i] == '\\' && i + 1 < len) {
			i += 2;
		} else if (s[i] == '`') {
			n = text_run_len(s, len, i, '`');
			close = text_closing_ticks(s, len, i + n, n);
			i = close == len ? i + n : close + n;
		} else
			i++;
	}
	return i < len ? i : len;
}

/*
 * "| iterating a HashMap | comes out in insertion order | `for` |": the
 * first cell names what the row is about, as a list item's label does,
 * and each further cell is a sentence about it: "iterating a HashMap:
 * comes out in insertion order. iterating a HashMap: `for`".  A cell is
 * its own sentence so that words in a neighbouring cell ("shared" in the
 * row's purpose) neither veto nor complete a claim in this one; the label
 * is read again before each, mapped to where it stands.  The separators
 * map to the '|' they stand for.
 */
void
rule_text_add_row(struct rule_text *t, const char *s, size_t len,
    size_t base)
{
	size_t	i = 0, end, a, b, start = line_begin(t, base), cells = 0;
	size_t	label = 0, label_len = 0;

	while (i < len && rule_is_blank(s[i]))
		i++;
	if (i < len && s[i] == '|')
		i++;
	while (i < len) {
		end = cell_end(s, len, i);
		for (a = i; a < end && rule_is_blank(s[a]); a++)
			;
		for (b = end; b > a && rule_is_blank(s[b - 1]); b--)
			;
		if (b > a) {
			if (cells == 0) {
				label = a;
				label_len = b - a;
			} else if (cells == 1) {
				text_put(t, ": ", 2, base + i - 1, true);
			} else {
				text_put(t, ". ", 2, base + i - 1, true);
				put_inline(t, s + label, label_len, base + label);
				text_put(t, ": ", 2, base + i - 1, true);
			}
			put_inline(t, s + a, b - a, base + a);
			cells++;
		}
		i = end + 1;
	}
	line_end(t, start);
}
