/*
 * offline_source.c - the note's source text as the checks see it: lines
 * and source offsets, where a block's own text starts on a line (after
 * "- ", "> ", "## "), the prose and code gathered into the two texts the
 * patterns scan, and the text a finding quotes.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/note.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "offline_int.h"

/* --- note lines and quotes ----------------------------------------------- */

static size_t
line_offset(const struct note *n, int line)
{
	return (size_t)(n->lines[line - 1].text - n->src);
}

/* 1-based line holding source offset off. */
int
source_line_of(const struct note *n, size_t off)
{
	int	lo = 0, hi = n->nlines - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (line_offset(n, mid + 1) <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo + 1;
}

static bool
is_markup(char c)
{
	return c == '*' || c == '_' || c == '`' || c == '~';
}

size_t
source_utf8_back(const char *s, size_t i, size_t floor)
{
	while (i > floor && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* A cut quote starts at a word: forward to after a space, if one is near. */
size_t
source_word_start(const char *s, size_t i, size_t end)
{
	size_t	j;

	for (j = i; j < end && j < i + 20; j++)
		if (offline_is_space(s[j]))
			return j + 1;
	return i;
}

/* ... and ends after one: back to a space, if one is near. */
static size_t
word_end(const char *s, size_t i, size_t start)
{
	size_t	j;

	for (j = i; j > start && j + 20 > i; j--)
		if (offline_is_space(s[j - 1]))
			return j - 1;
	return i;
}

/* Cut [*qs, *qe) to about QUOTE_MAX bytes around the match [ms, me). */
static void
cut_quote(const char *s, size_t *qs, size_t *qe, size_t ms, size_t me)
{
	size_t	end;

	if (ms > *qs + QUOTE_CONTEXT)
		*qs = source_word_start(s, source_utf8_back(s,
		    ms - QUOTE_CONTEXT, *qs), ms);
	if (*qe > me + QUOTE_CONTEXT && *qe - *qs > QUOTE_MAX) {
		end = me + QUOTE_CONTEXT > *qs + QUOTE_MAX ?
		    me + QUOTE_CONTEXT : *qs + QUOTE_MAX;
		*qe = word_end(s, source_utf8_back(s, end, *qs), me);
	}
}

char *
source_quote(const struct note *n, size_t qs, size_t qe, size_t ms,
    size_t me)
{
	const char	*s = n->src;
	int		 line = source_line_of(n, ms);
	size_t		 ls = line_offset(n, line);
	size_t		 le = ls + n->lines[line - 1].len;

	qs = qs < ls ? ls : qs;
	qe = qe > le ? le : qe;
	me = me > qe ? qe : me;
	while (qs > ls && is_markup(s[qs - 1]))
		qs--;
	while (qe < le && (is_markup(s[qe]) || s[qe] == ')') &&
	    (s[qe] != ')' || memchr(s + qs, '(', qe - qs) != NULL))
		qe++;
	while (qs < qe && offline_is_space(s[qs]))
		qs++;
	while (qe > qs && offline_is_space(s[qe - 1]))
		qe--;
	if (qe - qs > QUOTE_MAX)
		cut_quote(s, &qs, &qe, ms, me);
	return xstrndup(s + qs, qe - qs);
}

/* A heading's line as quoted: its text without the "#" markers. */
char *
source_heading_quote(const struct note *n, int line)
{
	const char	*s = n->lines[line - 1].text;
	size_t		 len = n->lines[line - 1].len, i = 0;

	while (i < len && (offline_is_space(s[i]) || s[i] == '#'))
		i++;
	while (len > i && (offline_is_space(s[len - 1]) || s[len - 1] == '#'))
		len--;
	return xstrndup(s + i, len - i);
}

/* --- block text ---------------------------------------------------------- */

size_t
source_skip_spaces(const char *s, size_t len, size_t i)
{
	while (i < len && offline_is_space(s[i]))
		i++;
	return i;
}

/* Length of a list marker ("- ", "* ", "12. ", "3) ") at s[i], or 0. */
size_t
source_list_marker(const char *s, size_t len, size_t i)
{
	size_t	j = i;

	if (j < len && (s[j] == '-' || s[j] == '*' || s[j] == '+')) {
		j++;
	} else {
		while (j < len && j - i < 9 && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j == i || j >= len || (s[j] != '.' && s[j] != ')'))
			return 0;
		j++;
	}
	if (j < len && !offline_is_space(s[j]))
		return 0;
	return j - i;
}

/* Where a block's own text starts on one of its lines. */
size_t
source_text_start(const struct note_block *b, int line, const char *s,
    size_t len)
{
	size_t	i = source_skip_spaces(s, len, 0), m;

	if (b->kind == NB_QUOTE || b->kind == NB_ITEM)
		while (i < len && (s[i] == '>' || offline_is_space(s[i])))
			i++;
	if (line != b->start_line)
		return i;
	if (b->kind == NB_ITEM && (m = source_list_marker(s, len, i)) > 0) {
		i = source_skip_spaces(s, len, i + m);
		if (len - i >= 3 && s[i] == '[' && s[i + 2] == ']' &&
		    strchr(" xX", s[i + 1]) != NULL)
			i = source_skip_spaces(s, len, i + 3);	/* task box */
	}
	if ((b->kind == NB_HEADING && !b->pseudo_heading) ||
	    b->kind == NB_QUOTE) {
		m = i;
		while (m < len && s[m] == '#')
			m++;
		if (m > i && m - i <= 6 && (m == len || offline_is_space(s[m])))
			i = source_skip_spaces(s, len, m);
	}
	return i;
}

/* A setext heading's underline: only '=' or '-'. */
static bool
is_underline(const char *s, size_t len)
{
	size_t	i = source_skip_spaces(s, len, 0);
	char	c = i < len ? s[i] : '\0';

	if (c != '=' && c != '-')
		return false;
	while (i < len && (s[i] == c || offline_is_space(s[i])))
		i++;
	return i == len;
}

/* A table's delimiter row: "|---|:---:|", pipes, dashes and colons. */
static bool
is_delimiter_row(const char *s, size_t len)
{
	size_t	i;
	bool	dash = false, pipe = false;

	for (i = 0; i < len; i++) {
		if (s[i] == '-')
			dash = true;
		else if (s[i] == '|')
			pipe = true;
		else if (s[i] != ':' && !offline_is_space(s[i]))
			return false;
	}
	return dash && pipe;
}

/* A paragraph that is a table: a row, a delimiter row, more rows. */
static bool
is_table(const struct note *n, const struct note_block *b)
{
	const struct note_line	*l;

	if (b->kind != NB_PARAGRAPH || b->end_line <= b->start_line ||
	    b->start_line + 1 > n->nlines)
		return false;
	l = &n->lines[b->start_line - 1];
	if (memchr(l->text, '|', l->len) == NULL)
		return false;
	l = &n->lines[b->start_line];
	return is_delimiter_row(l->text, l->len);
}

/* Each row of a table is a paragraph of its own, its first cell a label. */
static void
add_table(struct offline *c, const struct note_block *b)
{
	const struct note_line	*l;
	int			 line;

	for (line = b->start_line; line <= b->end_line &&
	    line <= c->n->nlines; line++) {
		l = &c->n->lines[line - 1];
		if (is_delimiter_row(l->text, l->len))
			continue;
		rule_text_add_row(&c->t, l->text, l->len,
		    line_offset(c->n, line));
		rule_text_end_block(&c->t);
	}
}

/* Append a paragraph, item or heading to the prose text. */
void
source_add_prose(struct offline *c, const struct note_block *b)
{
	const struct note	*n = c->n;
	const char		*s;
	size_t			 len, i;
	int			 line;

	if (is_table(n, b)) {
		add_table(c, b);
		return;
	}
	for (line = b->start_line; line <= b->end_line &&
	    line <= n->nlines; line++) {
		s = n->lines[line - 1].text;
		len = n->lines[line - 1].len;
		if (b->kind == NB_HEADING && line > b->start_line &&
		    is_underline(s, len))
			continue;
		i = source_text_start(b, line, s, len);
		if (b->kind == NB_HEADING) {
			while (len > i && offline_is_space(s[len - 1]))
				len--;
			while (len > i && s[len - 1] == '#')
				len--;	/* closing "##" */
		}
		rule_text_add_line(&c->t, s + i, len - i,
		    line_offset(n, line) + i);
	}
	rule_text_end_block(&c->t);
}

static bool
is_fence(const char *s, size_t len)
{
	size_t	i = source_skip_spaces(s, len, 0);

	return len - i >= 3 && (strncmp(s + i, "```", 3) == 0 ||
	    strncmp(s + i, "~~~", 3) == 0);
}

/* Append a code block's lines, fences left out, to the code text. */
void
source_add_code(struct offline *c, const struct note_block *b)
{
	const struct note	*n = c->n;
	const char		*s;
	size_t			 len;
	int			 line;

	for (line = b->start_line; line <= b->end_line &&
	    line <= n->nlines; line++) {
		s = n->lines[line - 1].text;
		len = n->lines[line - 1].len;
		if ((line == b->start_line || line == b->end_line) &&
		    is_fence(s, len))
			continue;
		rule_text_add_raw(&c->code, s, len, line_offset(n, line));
	}
}

bool
source_is_prose(const struct note_block *b)
{
	return b->kind == NB_PARAGRAPH || b->kind == NB_ITEM ||
	    b->kind == NB_QUOTE || b->kind == NB_HEADING;
}

/* Code a comment may speak in: Rust, or a block without a language. */
static bool
rust_or_plain(const struct note_block *b)
{
	return b->info == NULL || b->info[0] == '\0' ||
	    strncmp(b->info, "rust", 4) == 0 || strcmp(b->info, "rs") == 0;
}

/* Compiler output pasted as a comment is not the learner speaking. */
static const char *const echo_starts[] = {
	"error", "warning", "note:", "help:", "^", "-->", "|", "=",
	"thread '", NULL
};

/*
 * Does a comment's text hold a ';' or '{' outside `inline code`?  Then it
 * is code commented out; "like `f(\"80\");`, is an error" is prose.
 */
static bool
has_code_outside_ticks(const char *s, size_t len)
{
	size_t	i;
	bool	ticked = false;

	for (i = 0; i < len; i++) {
		if (s[i] == '`')
			ticked = !ticked;
		else if (!ticked && (s[i] == ';' || s[i] == '{'))
			return true;
	}
	return false;
}

/*
 * Where the words of line s's "//" comment start, or len when it has
 * none worth reading: a comment outside string literals, after code or
 * white space, of at least three words.
 */
static size_t
comment_words(const char *s, size_t len)
{
	size_t	i, j, words = 0, last = len;
	bool	in_str = false;
	int	k;

	/* the last one: "// let x = y; // error: ..." comments out code */
	for (i = 0; i + 1 < len; i++) {
		if (in_str && s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '"')
			in_str = !in_str;
		if (!in_str && s[i] == '/' && s[i + 1] == '/' &&
		    (i == 0 || offline_is_space(s[i - 1]) || s[i - 1] == ';')) {
			last = i;
			for (i += 2; i < len && s[i] == '/'; i++)
				;
			i--;
		}
	}
	if (last == len)
		return len;
	for (j = last + 2; j < len && (s[j] == '/' || s[j] == '!'); j++)
		;
	j = source_skip_spaces(s, len, j);
	if (has_code_outside_ticks(s + j, len - j))
		return len;		/* code, commented out */
	for (k = 0; echo_starts[k] != NULL; k++)
		if (len - j >= strlen(echo_starts[k]) &&
		    strncasecmp(s + j, echo_starts[k],
		    strlen(echo_starts[k])) == 0)
			return len;
	for (i = j; i < len; i++)
		if (!offline_is_space(s[i]) && (i == j ||
		    offline_is_space(s[i - 1])))
			words++;
	return words >= 3 ? j : len;
}

/*
 * A note that is mostly code says what it means in its comments
 * ("// fine, ? works in any function"): each run of comment lines of a
 * Rust block is read as a paragraph of prose, whose text block maps to
 * block bi.
 */
void
source_add_comments(struct offline *c, const struct note_block *b, int bi)
{
	const struct note	*n = c->n;
	const char		*s;
	size_t			 len, at;
	int			 line;
	bool			 open = false, trailing;

	if (!rust_or_plain(b))
		return;
	for (line = b->start_line; line <= b->end_line &&
	    line <= n->nlines; line++) {
		s = n->lines[line - 1].text;
		len = n->lines[line - 1].len;
		at = is_fence(s, len) ? len : comment_words(s, len);
		if (at == len) {
			if (open)
				rule_text_end_block(&c->t);
			open = false;
			continue;
		}
		/* a comment after code speaks of that line alone */
		trailing = source_skip_spaces(s, len, 0) + 2 < at &&
		    s[source_skip_spaces(s, len, 0)] != '/';
		if (open && trailing)
			rule_text_end_block(&c->t);
		if (!open || trailing)
			c->tblock[c->t.nblocks] = bi;
		open = true;
		rule_text_add_line(&c->t, s + at, len - at,
		    line_offset(n, line) + at);
		if (trailing) {
			rule_text_end_block(&c->t);
			open = false;
		}
	}
	if (open)
		rule_text_end_block(&c->t);
}
