/*
 * anchor.c - find the note lines a finding is about, from its quote.
 *
 * The model's line number is often off by a few lines (or counts from
 * somewhere else), so the quote decides and the line only breaks ties
 * between several places the quote fits.  Quotes are rarely verbatim:
 * models drop backticks and emphasis, straighten or curl quote marks,
 * re-flow white space, leave out the "- " of a list item, shorten with
 * "..." and join lines.  Matching therefore goes from strict to loose:
 *
 *   1. the quote as given, inside one line of the body;
 *   2. a normalised quote inside a normalised copy of the whole body
 *      (white-space runs and line ends as one space, curly quotes as
 *      straight ones, no emphasis markers or backticks, no list, heading
 *      or block-quote markers), same case preferred, then any case;
 *   3. a quote split by "..." or U+2026: each part after the previous one.
 *
 * Offsets in the normalised body map back to lines through the offset at
 * which each line starts.  A quote found nowhere gives line 0: a finding
 * about the whole note is better than one pointing at a wrong line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

/* A later part of a "..." quote must follow the previous one this closely. */
#define ELLIPSIS_WINDOW	2000
/* Parts shorter than this ("a ... b") say too little to match. */
#define MIN_PART	3

/* The note's body, normalised once for all the findings of a review. */
struct anchor_index {
	const struct note *note;
	bool built;
	char *norm;		/* normalised body */
	char *lower;		/* the same in ASCII lower case */
	size_t len;
	size_t *line_off;	/* where body line body_line + i starts */
	int nlines;		/* body lines */
};

/* Best place found so far: the one nearest to the model's line. */
struct anchor_best {
	int model_line;
	int line, end_line;	/* 0: none yet */
	int dist;
};

/* --- normalising --------------------------------------------------------- */

struct normer {
	struct buf b;
	bool space;		/* a space is due before the next one */
};

static void
norm_emit(struct normer *nm, const char *p, size_t n)
{
	if (nm->space && nm->b.len > 0)
		buf_addc(&nm->b, ' ');
	nm->space = false;
	buf_add(&nm->b, p, n);
}

/* Skip "12 | " or "12| ", the line numbers of the prompt. */
static size_t
skip_line_number(const char *s, size_t len)
{
	size_t i = 0, digits;

	while (i < len && s[i] == ' ')
		i++;
	for (digits = 0; i < len && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (digits == 0 || digits > 6)
		return 0;
	while (i < len && s[i] == ' ')
		i++;
	if (i >= len || s[i] != '|')
		return 0;
	i++;
	return i < len && s[i] == ' ' ? i + 1 : i;
}

/* Skip the Markdown that opens a line: "> ", "## ", "- ", "* ", "1. ". */
static size_t
skip_line_markers(const char *s, size_t len)
{
	size_t i = 0, j, prev;

	do {
		prev = i;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && s[i] == '>') {
			i++;
			continue;
		}
		for (j = i; j < len && s[j] == '#'; j++)
			;
		if (j > i && j < len && s[j] == ' ') {
			i = j + 1;
			continue;
		}
		if (i + 1 < len &&
		    (s[i] == '-' || s[i] == '*' || s[i] == '+') &&
		    (s[i + 1] == ' ' || s[i + 1] == '\t')) {
			i += 2;
			continue;
		}
		for (j = i; j < len && j - i < 9 &&
		    isdigit((unsigned char)s[j]); j++)
			;
		if (j > i && j + 1 < len && (s[j] == '.' || s[j] == ')') &&
		    s[j + 1] == ' ')
			i = j + 2;
	} while (i != prev);
	return i;
}

/*
 * The normalised form of one character at s: returns bytes consumed, and
 * emits what stands for it (maybe nothing).
 */
static size_t
norm_char(struct normer *nm, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n;

	if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
		nm->space = true;
		return 1;
	}
	if (*s == '*' || *s == '_' || *s == '`')
		return 1;
	if (u[0] < 0x80) {
		norm_emit(nm, s, 1);
		return 1;
	}
	n = utf8_seqlen(s, len);
	if (n == 3 && u[0] == 0xe2 && u[1] == 0x80) {
		if (u[2] == 0x98 || u[2] == 0x99) {	/* ‘ ’ */
			norm_emit(nm, "'", 1);
			return n;
		}
		if (u[2] == 0x9c || u[2] == 0x9d) {	/* “ ” */
			norm_emit(nm, "\"", 1);
			return n;
		}
		if (u[2] == 0x93 || u[2] == 0x94) {	/* – — */
			norm_emit(nm, "-", 1);
			return n;
		}
	}
	if (n == 3 && u[0] == 0xe2 && u[1] == 0x86 && u[2] == 0x92) {
		norm_emit(nm, "->", 2);			/* → */
		return n;
	}
	if (n == 2 && u[0] == 0xc2 && u[1] == 0xa0) {	/* no-break sp. */
		nm->space = true;
		return n;
	}
	norm_emit(nm, s, n);
	return n;
}

static void
norm_line(struct normer *nm, const char *s, size_t len, bool is_quote)
{
	size_t i = 0;

	if (is_quote)
		i = skip_line_number(s, len);
	i += skip_line_markers(s + i, len - i);
	while (i < len)
		i += norm_char(nm, s + i, len - i);
	nm->space = true;
}

static void
lower_ascii(char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x80)
			s[i] = (char)tolower((unsigned char)s[i]);
	}
}

/* A quote, normalised like the body; trailing punctuation is dropped. */
static char *
norm_quote(const char *q, size_t *outlen)
{
	struct normer nm;
	const char *nl;
	char *s;
	size_t n;

	memset(&nm, 0, sizeof(nm));
	buf_init(&nm.b, 0);
	while (*q != '\0') {
		nl = strchr(q, '\n');
		n = nl != NULL ? (size_t)(nl - q) : strlen(q);
		norm_line(&nm, q, n, true);
		q += nl != NULL ? n + 1 : n;
	}
	s = buf_steal(&nm.b);
	n = strlen(s);
	while (n > 0 && strchr(".,;: ", s[n - 1]) != NULL)
		n--;
	s[n] = '\0';
	*outlen = n;
	return s;
}

static void
index_build(struct anchor_index *ix)
{
	const struct note *n = ix->note;
	struct normer nm;
	int i, first = n->body_line > 0 ? n->body_line - 1 : 0;

	ix->built = true;
	ix->nlines = n->nlines > first ? n->nlines - first : 0;
	ix->line_off = xreallocarray(NULL, (size_t)ix->nlines + 1,
	    sizeof(*ix->line_off));
	memset(&nm, 0, sizeof(nm));
	buf_init(&nm.b, 0);
	for (i = 0; i < ix->nlines; i++) {
		ix->line_off[i] = nm.b.len;
		norm_line(&nm, n->lines[first + i].text,
		    n->lines[first + i].len, false);
	}
	ix->len = nm.b.len;
	ix->norm = buf_steal(&nm.b);
	ix->lower = xstrndup(ix->norm, ix->len);
	lower_ascii(ix->lower, ix->len);
}

static void
index_init(struct anchor_index *ix, const struct note *n)
{
	memset(ix, 0, sizeof(*ix));
	ix->note = n;
}

static void
index_free(struct anchor_index *ix)
{
	free(ix->norm);
	free(ix->lower);
	free(ix->line_off);
	memset(ix, 0, sizeof(*ix));
}

/* Line (1-based, in the file) of normalised body offset off. */
static int
index_line(const struct anchor_index *ix, size_t off)
{
	int lo = 0, hi = ix->nlines - 1, mid;

	/* the last line that starts at or before off */
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (ix->line_off[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return ix->note->body_line + lo;
}

/* --- choosing among places ----------------------------------------------- */

static void
best_init(struct anchor_best *b, int model_line)
{
	memset(b, 0, sizeof(*b));
	b->model_line = model_line;
}

static void
best_offer(struct anchor_best *b, int line, int end_line)
{
	int dist = 0;

	if (b->model_line > 0 && b->model_line < line)
		dist = line - b->model_line;
	else if (b->model_line > end_line)
		dist = b->model_line - end_line;
	if (b->line == 0 || dist < b->dist) {
		b->line = line;
		b->end_line = end_line;
		b->dist = dist;
	}
}

static bool
best_found(const struct anchor_best *b)
{
	return b->line > 0;
}

/* --- the three ways of matching ------------------------------------------ */

/* Line index (0-based) holding the byte at p of the note's text. */
static int
note_line_of(const struct note *n, const char *p)
{
	int lo = 0, hi = n->nlines - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (n->lines[mid].text <= p)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* 1. The quote verbatim within one body line. */
static void
match_exact(const struct note *n, const char *q, struct anchor_best *b)
{
	const char *hay, *end = n->src + n->src_len, *p;
	size_t qlen = strlen(q);
	int i;

	if (qlen == 0 || strchr(q, '\n') != NULL || n->body_line > n->nlines ||
	    n->body_line < 1)
		return;
	hay = n->lines[n->body_line - 1].text;
	while (hay < end && (p = memmem(hay, (size_t)(end - hay), q, qlen)) !=
	    NULL) {
		i = note_line_of(n, p);
		if (p + qlen <= n->lines[i].text + n->lines[i].len)
			best_offer(b, i + 1, i + 1);
		hay = p + 1;
	}
}

/* 2. The normalised quote in the normalised body; same case first. */
static void
match_normalised(const struct anchor_index *ix, const char *nq,
    const char *lq, size_t len, struct anchor_best *same_case,
    struct anchor_best *any_case)
{
	const char *hay = ix->lower, *end = ix->lower + ix->len, *p;
	size_t off;
	int line, end_line;

	if (len == 0)
		return;
	while (hay < end && (p = memmem(hay, (size_t)(end - hay), lq, len)) !=
	    NULL) {
		off = (size_t)(p - ix->lower);
		line = index_line(ix, off);
		end_line = index_line(ix, off + len - 1);
		best_offer(any_case, line, end_line);
		if (memcmp(ix->norm + off, nq, len) == 0)
			best_offer(same_case, line, end_line);
		hay = p + 1;
	}
}

/* Split a lower-cased quote at "..." and U+2026 into parts worth matching. */
static size_t
split_ellipsis(char *lq, char **parts, size_t max)
{
	size_t n = 0, len;
	char *p = lq, *cut, *c2;

	while (*p != '\0' && n < max) {
		cut = strstr(p, "...");
		c2 = strstr(p, "\xe2\x80\xa6");
		if (cut == NULL || (c2 != NULL && c2 < cut))
			cut = c2;
		if (cut != NULL)
			*cut = '\0';
		str_trim(p);
		len = strlen(p);
		while (len > 0 && strchr(".,;:", p[len - 1]) != NULL)
			p[--len] = '\0';
		if (len >= MIN_PART)
			parts[n++] = p;
		if (cut == NULL)
			break;
		p = cut + 3;
		while (*p == '.')
			p++;
	}
	return n;
}

/* Where the parts 1.. follow part 0 found at off; end offset or 0. */
static size_t
chain_parts(const struct anchor_index *ix, char **parts, size_t nparts,
    size_t off)
{
	size_t k, pos = off + strlen(parts[0]), window, plen;
	const char *p;

	for (k = 1; k < nparts; k++) {
		plen = strlen(parts[k]);
		window = ix->len - pos < ELLIPSIS_WINDOW ? ix->len - pos :
		    ELLIPSIS_WINDOW;
		p = memmem(ix->lower + pos, window, parts[k], plen);
		if (p == NULL)
			return 0;
		pos = (size_t)(p - ix->lower) + plen;
	}
	return pos;
}

/* 3. A quote shortened with "...": the parts in order, close together. */
static void
match_ellipsis(const struct anchor_index *ix, const char *lq,
    struct anchor_best *b)
{
	char *copy = xstrdup(lq), *parts[16];
	const char *hay = ix->lower, *end = ix->lower + ix->len, *p;
	size_t nparts = split_ellipsis(copy, parts, 16), len, off, stop;

	if (nparts == 0)
		goto out;
	len = strlen(parts[0]);
	while (hay < end && (p = memmem(hay, (size_t)(end - hay), parts[0],
	    len)) != NULL) {
		off = (size_t)(p - ix->lower);
		stop = chain_parts(ix, parts, nparts, off);
		if (stop > off)
			best_offer(b, index_line(ix, off),
			    index_line(ix, stop - 1));
		hay = p + 1;
	}
out:
	free(copy);
}

static bool
has_ellipsis(const char *s)
{
	return strstr(s, "...") != NULL || strstr(s, "\xe2\x80\xa6") != NULL;
}

/* Steps 2 and 3; the body is normalised on first use. */
static void
match_loose(struct anchor_index *ix, const char *quote, struct anchor_best *b)
{
	struct anchor_best same_case, any_case;
	char *nq, *lq;
	size_t len;

	if (!ix->built)
		index_build(ix);
	if (ix->nlines == 0)
		return;
	nq = norm_quote(quote, &len);
	lq = xstrndup(nq, len);
	lower_ascii(lq, len);
	best_init(&same_case, b->model_line);
	best_init(&any_case, b->model_line);
	match_normalised(ix, nq, lq, len, &same_case, &any_case);
	if (best_found(&same_case))
		*b = same_case;
	else if (best_found(&any_case))
		*b = any_case;
	else if (has_ellipsis(lq))
		match_ellipsis(ix, lq, b);
	free(nq);
	free(lq);
}

/* --- anchoring ----------------------------------------------------------- */

static bool
quote_empty(const char *q)
{
	if (q == NULL)
		return true;
	while (isspace((unsigned char)*q))
		q++;
	return *q == '\0';
}

/* No quote: the model's line, when it is a line of the body. */
static void
anchor_model_line(struct finding *f, const struct note *n)
{
	int first = n->body_line > 0 ? n->body_line : 1;

	if (f->model_line < first || f->model_line > n->nlines) {
		f->line = f->end_line = 0;
		return;
	}
	if (f->end_line <= f->model_line || f->end_line > n->nlines)
		f->end_line = f->model_line;
	f->line = f->model_line;
}

static bool
anchor_with(struct finding *f, struct anchor_index *ix)
{
	struct anchor_best b;
	char *quote;

	if (quote_empty(f->quote)) {
		anchor_model_line(f, ix->note);
		return false;
	}
	quote = xstrdup(f->quote);
	str_trim(quote);
	best_init(&b, f->model_line);
	match_exact(ix->note, quote, &b);
	if (!best_found(&b))
		match_loose(ix, quote, &b);
	free(quote);
	f->line = b.line;
	f->end_line = b.end_line;
	return best_found(&b);
}

bool
finding_anchor(struct finding *f, const struct note *n)
{
	struct anchor_index ix;
	bool found;

	if (n == NULL) {
		f->line = f->end_line = 0;
		return false;
	}
	index_init(&ix, n);
	found = anchor_with(f, &ix);
	index_free(&ix);
	return found;
}

void
finding_anchor_all(struct finding_list *l, const struct note *n)
{
	struct anchor_index ix;
	size_t i;

	if (n == NULL)
		return;
	index_init(&ix, n);
	for (i = 0; i < l->n; i++)
		anchor_with(&l->v[i], &ix);
	index_free(&ix);
}
