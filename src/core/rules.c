/*
 * rules.c - rule files for the offline reviewer: parse the "key: value"
 * blocks, compile every pattern once (PCRE2, JIT when available), flatten
 * Markdown text for matching and run rules and scope terms over it.
 *
 * Rules are data, not code, so that a teacher can add a misconception
 * without touching C; every rule carries examples that must and must not
 * set it off, and those are checked when the file is loaded.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/offline.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"

#define RULE_FILE_MAX	((size_t)1 << 20)
#define RULE_ID_MAX	64
/* A user's pattern must not hang the review (catastrophic backtracking). */
#define MATCH_LIMIT	200000
#define DEPTH_LIMIT	5000
/* A code span this short is quoted whole, backticks included. */
#define SPAN_QUOTE_MAX	40

struct rule_pat {
	pcre2_code	*re;
	bool		 jit;
};

/* --- patterns ------------------------------------------------------------ */

struct rule_pat *
rule_pat_compile(const char *re, char *err, size_t errlen)
{
	struct rule_pat		*p;
	pcre2_code		*code;
	pcre2_match_data	*md;
	PCRE2_UCHAR		 msg[256];
	PCRE2_SIZE		 off;
	int			 ec, rc;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF, &ec, &off, NULL);
	if (code == NULL) {
		pcre2_get_error_message(ec, msg, sizeof msg);
		rn_fail(err, errlen, RN_EINPUT, "pattern error at offset %zu: %s",
		    (size_t)off, (const char *)msg);
		return NULL;
	}
	/* A pattern that matches nothing at all would fire everywhere. */
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (rc >= 0) {
		pcre2_code_free(code);
		rn_fail(err, errlen, RN_EINPUT,
		    "pattern matches empty text, so it would fire everywhere");
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->re = code;
	p->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	return p;
}

void
rule_pat_free(struct rule_pat *p)
{
	if (p == NULL)
		return;
	pcre2_code_free(p->re);
	free(p);
}

static void
pats_add(struct rule_pats *ps, struct rule_pat *p)
{
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
	ps->v[ps->n++] = p;
}

static void
pats_free(struct rule_pats *ps)
{
	size_t	i;

	for (i = 0; i < ps->n; i++)
		rule_pat_free(ps->v[i]);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

static void
text_prepare_match(struct rule_text *t)
{
	if (t->md == NULL)
		t->md = pcre2_match_data_create(16, NULL);
	if (t->mctx == NULL) {
		t->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(t->mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(t->mctx, DEPTH_LIMIT);
	}
	if (t->md == NULL || t->mctx == NULL)
		fatal("out of memory");
}

bool
rule_pat_find(const struct rule_pat *p, struct rule_text *t, size_t start,
    size_t end, struct rule_range *m)
{
	PCRE2_SPTR	 s = (PCRE2_SPTR)buf_str(&t->text);
	PCRE2_SIZE	*ov;
	int		 rc;

	if (start >= end || end > t->text.len)
		return false;
	text_prepare_match(t);
	/* The text is valid UTF-8: notes are checked when loaded. */
	if (p->jit)
		rc = pcre2_jit_match(p->re, s, end, start, 0, t->md, t->mctx);
	else
		rc = pcre2_match(p->re, s, end, start, PCRE2_NO_UTF_CHECK,
		    t->md, t->mctx);
	if (rc < 0)
		return false;		/* no match, or a limit was hit */
	ov = pcre2_get_ovector_pointer(t->md);
	m->start = ov[0];
	m->end = ov[1];
	return true;
}

bool
rule_pats_any(const struct rule_pats *ps, struct rule_text *t, size_t start,
    size_t end)
{
	struct rule_range	m;
	size_t			i;

	for (i = 0; i < ps->n; i++)
		if (rule_pat_find(ps->v[i], t, start, end, &m))
			return true;
	return false;
}

/* --- text for matching --------------------------------------------------- */

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
	pcre2_match_data_free(t->md);
	pcre2_match_context_free(t->mctx);
	memset(t, 0, sizeof *t);
}

static void
range_push(struct rule_range **v, size_t *n, size_t *alloc, size_t start,
    size_t end)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		*v = xreallocarray(*v, *alloc, sizeof **v);
	}
	(*v)[*n].start = start;
	(*v)[*n].end = end;
	(*n)++;
}

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

void
rule_text_add_raw(struct rule_text *t, const char *s, size_t len,
    size_t base)
{
	size_t	start;

	text_newline(t, base);
	start = t->text.len;
	text_put(t, s, len, base, false);
	range_push(&t->lines, &t->nlines, &t->lines_alloc, start,
	    t->text.len);
}

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_punct(unsigned char c)
{
	return c > ' ' && c < 0x7f && !is_alnum(c);
}

/* Length of the run of c starting at s[i]. */
static size_t
run_len(const char *s, size_t len, size_t i, char c)
{
	size_t	j = i;

	while (j < len && s[j] == c)
		j++;
	return j - i;
}

/* Start of a closing run of exactly n backticks after from, or len. */
static size_t
find_closing_ticks(const char *s, size_t len, size_t from, size_t n)
{
	size_t	i = from, r;

	while (i < len) {
		if (s[i] != '`') {
			i++;
			continue;
		}
		r = run_len(s, len, i, '`');
		if (r == n)
			return i;
		i += r;
	}
	return len;
}

/* Emit a code span's content (CommonMark strips one space each side). */
static size_t
put_code_span(struct rule_text *t, const char *s, size_t len, size_t i,
    size_t base)
{
	size_t	n = run_len(s, len, i, '`'), a, b, close, start;

	close = find_closing_ticks(s, len, i + n, n);
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
	start = t->text.len;
	text_put(t, s + a, b - a, base + a, false);
	range_push(&t->code, &t->ncode, &t->code_alloc, start, t->text.len);
	return close + n;
}

/* Emphasis markers are dropped; "2 * 3" and snake_case keep theirs. */
static bool
is_emphasis(const char *s, size_t len, size_t i, size_t n)
{
	unsigned char	prev = i > 0 ? s[i - 1] : ' ';
	unsigned char	next = i + n < len ? s[i + n] : ' ';

	if (is_blank(prev) && is_blank(next))
		return false;
	return !(is_alnum(prev) && is_alnum(next));
}

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

/* End of the bytes from i on that need no Markdown handling. */
static size_t
plain_run(const char *s, size_t len, size_t i, size_t stop)
{
	size_t	j = i + 1;

	while (j < len && j != stop && strchr("\\`*_~![", s[j]) == NULL &&
	    (unsigned char)s[j] < 0xc2)
		j++;
	return j;
}

void
rule_text_add_line(struct rule_text *t, const char *s, size_t len,
    size_t base)
{
	size_t	i = 0, j, n, start, skip_at = 0, skip_to = 0;
	char	c;

	text_newline(t, base);
	start = t->text.len;
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
			n = run_len(s, len, i, c);
			if ((c != '~' || n >= 2) && is_emphasis(s, len, i, n))
				i += n;
			else {
				text_put(t, s + i, n, base + i, false);
				i += n;
			}
		} else if (c == '!' && i + 1 < len && s[i + 1] == '[' &&
		    link_close(s, len, i + 1) != 0) {
			i++;
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
	range_push(&t->lines, &t->nlines, &t->lines_alloc, start,
	    t->text.len);
}

/* --- sentences ----------------------------------------------------------- */

/* Index of the unit holding offset off (or the next one), n if none. */
static size_t
unit_at(const struct rule_range *v, size_t n, size_t off)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}


static const char *const abbreviations[] = {
	"e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "approx", "incl", "esp",
	"resp", "ca", "fig", "no", "nr", "viz", "al"
};

/* Words a wrapped line may end with: the sentence goes on. */
static const char *const joining_words[] = {
	"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at",
	"by", "for", "with", "from", "as", "is", "are", "was", "that",
	"which", "than", "into", "its", "their", "this"
};

static bool
word_in(const char *w, size_t n, const char *const *list, size_t count)
{
	size_t	i;

	for (i = 0; i < count; i++)
		if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0)
			return true;
	return false;
}

/* The dot at s[dot] ends an abbreviation ("e.g.", "etc.") or an initial. */
static bool
is_abbreviation(const char *s, size_t dot)
{
	size_t	w = dot;

	while (w > 0 && (is_alnum(s[w - 1]) || s[w - 1] == '.'))
		w--;
	if (dot - w == 1 && is_alnum(s[w]) && !(s[w] >= '0' && s[w] <= '9'))
		return true;
	return word_in(s + w, dot - w, abbreviations,
	    sizeof abbreviations / sizeof abbreviations[0]);
}

/* Does the line break at s[nl] end a sentence that has no full stop? */
static bool
newline_ends_sentence(const char *s, size_t len, size_t nl)
{
	size_t	p = nl, w, q = nl + 1;
	char	last;

	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))
		p--;
	while (q < len && (s[q] == ' ' || s[q] == '\t'))
		q++;
	if (p == 0 || q >= len)
		return true;
	last = s[p - 1];
	if (last == ',' || last == ';' || last == '(' || last == '-' ||
	    last == '&' || last == '/')
		return false;
	for (w = p; w > 0 && is_alnum(s[w - 1]); w--)
		;
	if (word_in(s + w, p - w, joining_words,
	    sizeof joining_words / sizeof joining_words[0]))
		return false;
	return last == ':' || (s[q] >= 'A' && s[q] <= 'Z');
}

static void
push_sentence(struct rule_text *t, size_t start, size_t end)
{
	const char	*s = t->text.data;

	while (start < end && is_blank(s[start]))
		start++;
	while (end > start && is_blank(s[end - 1]))
		end--;
	if (end > start)
		range_push(&t->sent, &t->nsent, &t->sent_alloc, start, end);
}

/* End of the sentence whose final mark starts at s[i], or 0 if none. */
static size_t
sentence_mark_end(const char *s, size_t len, size_t i)
{
	size_t	j = i;

	while (j < len && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
		j++;
	if (s[i] == '.' && j == i + 1 && is_abbreviation(s, i))
		return 0;
	while (j < len && (s[j] == '"' || s[j] == '\'' || s[j] == ')' ||
	    s[j] == ']'))
		j++;
	if (j < len && !is_blank(s[j]))
		return 0;
	return j;
}

void
rule_text_end_block(struct rule_text *t)
{
	if (t->text.len > t->block_start)
		range_push(&t->blocks, &t->nblocks, &t->blocks_alloc,
		    t->block_start, t->text.len);
	t->block_start = t->text.len;
}

size_t
rule_text_block_at(const struct rule_text *t, size_t off)
{
	size_t	i = unit_at(t->blocks, t->nblocks, off);

	return i < t->nblocks && t->blocks[i].start <= off ? i : t->nblocks;
}

/* Split [from, len) of the text into sentences. */
static void
split_range(struct rule_text *t, size_t from, size_t len)
{
	const char	*s = buf_str(&t->text);
	size_t		 i = from, start = from, c, e;

	c = unit_at(t->code, t->ncode, from);
	while (i < len) {
		while (c < t->ncode && t->code[c].end <= i)
			c++;
		if (c < t->ncode && t->code[c].start <= i) {
			i = t->code[c].end;	/* no sentence ends in code */
			continue;
		}
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') {
			if ((e = sentence_mark_end(s, len, i)) != 0) {
				push_sentence(t, start, e);
				start = i = e;
				continue;
			}
		} else if (s[i] == '\n' && newline_ends_sentence(s, len, i)) {
			push_sentence(t, start, i);
			start = i + 1;
		}
		i++;
	}
	push_sentence(t, start, len);
}

void
rule_text_split(struct rule_text *t)
{
	size_t	b;

	t->nsent = 0;
	if (t->nblocks == 0) {
		split_range(t, 0, t->text.len);
		return;
	}
	for (b = 0; b < t->nblocks; b++)
		split_range(t, t->blocks[b].start, t->blocks[b].end);
}

/* --- running rules ------------------------------------------------------- */

/* Units of a scope: sentences, lines, or the whole text. */
static const struct rule_range *
scope_units(struct rule_text *t, enum rule_scope sc, struct rule_range *all,
    size_t *n)
{
	switch (sc) {
	case RSC_LINE:
		*n = t->nlines;
		return t->lines;
	case RSC_BLOCK:
		if (t->nblocks > 0) {
			*n = t->nblocks;
			return t->blocks;
		}
		all->start = 0;
		all->end = t->text.len;
		*n = t->text.len > 0;
		return all;
	case RSC_SENTENCE:
		break;
	}
	*n = t->nsent;
	return t->sent;
}

static bool
unit_fires(const struct rule_set *rs, const struct rule *r,
    struct rule_text *t, struct rule_range u, struct rule_hit *h)
{
	struct rule_range	m;
	size_t			k;

	if (!rule_pat_find(r->match.v[0], t, u.start, u.end, &h->match))
		return false;
	for (k = 1; k < r->match.n; k++)
		if (!rule_pat_find(r->match.v[k], t, u.start, u.end, &m))
			return false;
	if (rule_pats_any(&r->unless, t, u.start, u.end) ||
	    (rs != NULL && rule_pats_any(&rs->veto, t, u.start, u.end)))
		return false;
	h->unit = u;
	h->in_code = false;
	return true;
}

static bool
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

static void
offsets_push(struct rule_offsets *o, size_t off)
{
	if (o->n > 0 && o->v[o->n - 1] == off)
		return;			/* two prefixes of one rule */
	if (o->n == o->alloc) {
		o->alloc = o->alloc ? o->alloc * 2 : 16;
		o->v = xreallocarray(o->v, o->alloc, sizeof *o->v);
	}
	o->v[o->n++] = off;
}

/* Record, for each rule, the words of t that start with one of its needs. */
static void
index_words(struct rule_text *t, const struct rule_set *rs)
{
	const char		*s = buf_str(&t->text);
	const struct rule_trigger *tg;
	size_t			 i = 0, w, k, len = t->text.len;
	unsigned char		 c;

	if (t->nwords < rs->nrules) {
		t->words = xreallocarray(t->words, rs->nrules,
		    sizeof *t->words);
		memset(t->words + t->nwords, 0,
		    (rs->nrules - t->nwords) * sizeof *t->words);
		t->nwords = rs->nrules;
	}
	for (k = 0; k < t->nwords; k++)
		t->words[k].n = 0;
	while (i < len) {
		if (!is_word_byte(s[i])) {
			i++;
			continue;
		}
		for (w = i; w < len && is_word_byte(s[w]); w++)
			;
		c = lower(s[i]);
		for (k = rs->trig_first[c]; k < rs->trig_first[c + 1]; k++) {
			tg = &rs->trig[k];
			if (tg->len <= w - i &&
			    strncasecmp(s + i, tg->prefix, tg->len) == 0)
				offsets_push(&t->words[tg->rule], i);
		}
		i = w;
	}
	t->words_of = rs;
}

/* Try only the units holding one of the rule's "needs" words. */
static void
run_on_words(const struct rule_set *rs, const struct rule *r,
    struct rule_text *t, rule_hit_fn fn, void *ud)
{
	const struct rule_offsets	*o;
	const struct rule_range		*units;
	struct rule_range		 all;
	struct rule_hit			 h;
	size_t				 n, u = 0, k;

	if (t->words_of != rs)
		index_words(t, rs);
	o = &t->words[r - rs->rules];
	units = scope_units(t, r->scope, &all, &n);
	for (k = 0; k < o->n && u < n; k++) {
		if (units[u].end <= o->v[k] && (u = unit_at(units + u,
		    n - u, o->v[k]) + u) == n)
			break;
		if (units[u].start > o->v[k])
			continue;
		if (unit_fires(rs, r, t, units[u], &h))
			fn(ud, &h);
		while (k + 1 < o->n && o->v[k + 1] < units[u].end)
			k++;		/* one try per unit */
	}
}

/*
 * A rule with "needs" words is tried only where one of them stands.  For
 * the others the first pattern is searched over the whole text once and
 * only the units it lands in are looked at closely.
 */
void
rule_run(const struct rule_set *rs, const struct rule *r, struct rule_text *t,
    rule_hit_fn fn, void *ud)
{
	const struct rule_range	*units;
	struct rule_range	 all, m;
	struct rule_hit		 h;
	size_t			 n, u = 0, pos = 0;

	if (r->disabled || r->match.n == 0)
		return;
	if (r->nneeds > 0 && rs != NULL && r >= rs->rules &&
	    r < rs->rules + rs->nrules) {
		run_on_words(rs, r, t, fn, ud);
		return;
	}
	units = scope_units(t, r->scope, &all, &n);
	while (pos < t->text.len &&
	    rule_pat_find(r->match.v[0], t, pos, t->text.len, &m)) {
		while (u < n && units[u].end <= m.start)
			u++;
		if (u == n)
			break;
		if (unit_fires(rs, r, t, units[u], &h))
			fn(ud, &h);
		pos = units[u++].end;
	}
}

static const struct rule_range *
code_span_at(const struct rule_text *t, size_t off)
{
	size_t	i = unit_at(t->code, t->ncode, off);

	if (i < t->ncode && t->code[i].start <= off)
		return &t->code[i];
	return NULL;
}

static void
term_report(const struct rule_set *rs, const struct rule_term *tm,
    struct rule_text *t, bool code, struct rule_range m, rule_hit_fn fn,
    void *ud)
{
	const struct rule_range	*span, *units = code ? t->lines : t->sent;
	struct rule_hit		 h;
	size_t			 n = code ? t->nlines : t->nsent, u;

	if ((u = unit_at(units, n, m.start)) == n)
		return;
	h.unit = units[u];
	h.match = m;
	h.in_code = code;
	if (!code) {
		if (rule_pats_any(&tm->unless, t, h.unit.start, h.unit.end) ||
		    (rs != NULL && rule_pats_any(&rs->defer, t, h.unit.start,
		    h.unit.end)))
			return;
		/* A short code span is the thing named: quote it whole. */
		if ((span = code_span_at(t, m.start)) != NULL) {
			h.in_code = true;
			if (span->end - span->start <= SPAN_QUOTE_MAX)
				h.match = *span;
		}
	}
	fn(ud, &h);
}

static void
term_search(const struct rule_set *rs, const struct rule_term *tm,
    const struct rule_pats *ps, struct rule_text *t, bool code,
    struct rule_range within, rule_hit_fn fn, void *ud)
{
	struct rule_range	m;
	size_t			i, pos;

	for (i = 0; i < ps->n; i++) {
		pos = within.start;
		while (rule_pat_find(ps->v[i], t, pos, within.end, &m)) {
			term_report(rs, tm, t, code, m, fn, ud);
			pos = m.end > m.start ? m.end : m.start + 1;
		}
	}
}

void
rule_term_run(const struct rule_set *rs, const struct rule_term *tm,
    struct rule_text *t, bool code, rule_hit_fn fn, void *ud)
{
	struct rule_range	all = { 0, t->text.len };
	size_t			c;

	if (code) {
		term_search(rs, tm, &tm->code, t, true, all, fn, ud);
		return;
	}
	term_search(rs, tm, &tm->word, t, false, all, fn, ud);
	for (c = 0; c < t->ncode; c++)
		term_search(rs, tm, &tm->code, t, false, t->code[c], fn, ud);
}

static void
count_hit(void *ud, const struct rule_hit *h)
{
	(void)h;
	(*(size_t *)ud)++;
}

/* Read text as one paragraph, line by line. */
static void
text_from_string(struct rule_text *t, const char *text)
{
	const char	*p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		rule_text_add_line(t, p, nl - p, p - text);
		p = *nl != '\0' ? nl + 1 : nl;
	}
	rule_text_split(t);
}

bool
rule_fires(const struct rule_set *rs, const struct rule *r, const char *text)
{
	struct rule_text	t;
	size_t			hits = 0;

	if (!utf8_valid(text, strlen(text), NULL, NULL))
		return false;
	rule_text_init(&t);
	text_from_string(&t, text);
	rule_run(rs, r, &t, count_hit, &hits);
	rule_text_free(&t);
	return hits > 0;
}

bool
rule_term_fires(const struct rule_set *rs, const struct rule_term *tm,
    const char *text)
{
	struct rule_text	t;
	size_t			hits = 0;

	if (!utf8_valid(text, strlen(text), NULL, NULL))
		return false;
	rule_text_init(&t);
	text_from_string(&t, text);
	rule_term_run(rs, tm, &t, false, count_hit, &hits);
	rule_text_free(&t);
	return hits > 0;
}

/* --- rule files ---------------------------------------------------------- */

struct kv {
	char	*key;
	char	*value;
	int	 line;
};

struct parser {
	struct rule_set	*rs;
	const char	*name;
	struct kv	*kv;
	size_t		 nkv, kv_alloc;
	int		 block_line;
	char		*err;
	size_t		 errlen;
};

static int
parse_fail(struct parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
parse_fail(struct parser *ps, int line, const char *fmt, ...)
{
	va_list		ap;
	struct buf	msg;
	int		rc;

	buf_init(&msg, RN_ERRLEN);
	va_start(ap, fmt);
	(void)buf_vprintf(&msg, fmt, ap);	/* cut when too long */
	va_end(ap);
	rc = rn_fail(ps->err, ps->errlen, RN_EINPUT, "%s:%d: %s", ps->name,
	    line, buf_str(&msg));
	buf_free(&msg);
	return rc;
}

static void
kv_clear(struct parser *ps)
{
	size_t	i;

	for (i = 0; i < ps->nkv; i++) {
		free(ps->kv[i].key);
		free(ps->kv[i].value);
	}
	ps->nkv = 0;
}

static const struct kv *
kv_get(const struct parser *ps, const char *key)
{
	size_t	i;

	for (i = 0; i < ps->nkv; i++)
		if (strcmp(ps->kv[i].key, key) == 0)
			return &ps->kv[i];
	return NULL;
}

static bool
key_in(const char *key, const char *const *keys)
{
	for (; *keys != NULL; keys++)
		if (strcmp(key, *keys) == 0)
			return true;
	return false;
}

static const char *const rule_keys[] = {
	"id", "topic", "kind", "severity", "scope", "headings", "disabled",
	"needs", "match", "or", "unless", "message", "suggestion", "example+",
	"example-", NULL
};
static const char *const term_keys[] = {
	"term", "id", "names", "word", "code", "unless", "instead",
	"example+", "example-", NULL
};
static const char *const global_keys[] = { "defer", "veto", "same", NULL };
/* Keys that hold a list: they may repeat. */
static const char *const list_keys[] = {
	"match", "or", "unless", "word", "code", "defer", "veto", "same",
	"example+", "example-", NULL
};

/* Unknown and doubled keys are errors: a typo must not pass silently. */
static int
check_keys(struct parser *ps, const char *const *allowed, const char *what)
{
	size_t	i, j;

	for (i = 0; i < ps->nkv; i++) {
		if (!key_in(ps->kv[i].key, allowed))
			return parse_fail(ps, ps->kv[i].line,
			    "unknown key '%s' in a %s (see rules/README.md)",
			    ps->kv[i].key, what);
		if (key_in(ps->kv[i].key, list_keys))
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(ps->kv[j].key, ps->kv[i].key) == 0)
				return parse_fail(ps, ps->kv[i].line,
				    "'%s' given twice", ps->kv[i].key);
	}
	return RN_OK;
}

static int
compile_into(struct parser *ps, const struct kv *kv, struct rule_pats *dst)
{
	struct rule_pat	*p;
	char		 msg[RN_ERRLEN];

	if ((p = rule_pat_compile(kv->value, msg, sizeof msg)) == NULL)
		return parse_fail(ps, kv->line, "%s: %s", kv->key, msg);
	pats_add(dst, p);
	return RN_OK;
}

static int
compile_all(struct parser *ps, const char *key, struct rule_pats *dst)
{
	size_t	i;
	int	rc;

	for (i = 0; i < ps->nkv; i++) {
		if (strcmp(ps->kv[i].key, key) != 0)
			continue;
		if ((rc = compile_into(ps, &ps->kv[i], dst)) != RN_OK)
			return rc;
	}
	return RN_OK;
}

/* A joined pattern failed: name the line of the alternative at fault. */
static int
blame_alternative(struct parser *ps, size_t first, size_t end, int rc)
{
	struct rule_pat	*p;
	char		 msg[RN_ERRLEN];
	size_t		 k;

	for (k = first; k < end; k++) {
		if ((p = rule_pat_compile(ps->kv[k].value, msg,
		    sizeof msg)) == NULL)
			return parse_fail(ps, ps->kv[k].line, "%s: %s",
			    ps->kv[k].key, msg);
		rule_pat_free(p);
	}
	return rc;
}

/*
 * "match:" followed by "or:" lines is one pattern with alternatives, so a
 * rule can list several phrasings of the same claim readably.
 */
static int
compile_matches(struct parser *ps, struct rule_pats *dst)
{
	struct kv	 joined;
	struct buf	 re;
	size_t		 i, j;
	int		 rc = RN_OK;

	for (i = 0; i < ps->nkv && rc == RN_OK; i++) {
		if (strcmp(ps->kv[i].key, "or") == 0 && (i == 0 ||
		    (strcmp(ps->kv[i - 1].key, "match") != 0 &&
		    strcmp(ps->kv[i - 1].key, "or") != 0)))
			return parse_fail(ps, ps->kv[i].line,
			    "'or:' must follow 'match:' or another 'or:'");
		if (strcmp(ps->kv[i].key, "match") != 0)
			continue;
		buf_init(&re, 0);
		if (buf_printf(&re, "(?:%s)", ps->kv[i].value) == -1)
			fatal("rule pattern too large");
		for (j = i + 1; j < ps->nkv &&
		    strcmp(ps->kv[j].key, "or") == 0; j++)
			if (buf_printf(&re, "|(?:%s)", ps->kv[j].value) == -1)
				fatal("rule pattern too large");
		joined = ps->kv[i];
		joined.value = re.data;
		if ((rc = compile_into(ps, &joined, dst)) != RN_OK)
			rc = blame_alternative(ps, i, j, rc);
		buf_free(&re);
	}
	return rc;
}

static void
collect_examples(struct parser *ps, struct rule_example **ex, size_t *nex)
{
	size_t	i;
	bool	fire;

	for (i = 0; i < ps->nkv; i++) {
		fire = strcmp(ps->kv[i].key, "example+") == 0;
		if (!fire && strcmp(ps->kv[i].key, "example-") != 0)
			continue;
		*ex = xreallocarray(*ex, *nex + 1, sizeof **ex);
		(*ex)[*nex].text = xstrdup(ps->kv[i].value);
		(*ex)[*nex].line = ps->kv[i].line;
		(*ex)[*nex].fire = fire;
		(*nex)++;
	}
}

static void
examples_free(struct rule_example *ex, size_t nex)
{
	size_t	i;

	for (i = 0; i < nex; i++)
		free(ex[i].text);
	free(ex);
}

static char *
kv_dup(const struct parser *ps, const char *key)
{
	const struct kv	*kv = kv_get(ps, key);

	return kv != NULL ? xstrdup(kv->value) : NULL;
}

static bool
valid_id(const char *id)
{
	size_t	i, len = strlen(id);

	if (len == 0 || len > RULE_ID_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '-' ||
		    id[i] == '_' || id[i] == '.'))
			return false;
	return true;
}

/* Parse a word from a closed set; -1 when it is not one of them. */
static int
word_index(const char *v, const char *const *words)
{
	int	i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0)
			return i;
	return -1;
}

static const char *const kind_words[] = {
	"gap", "incorrect", "assumption", "scope", NULL
};
static const char *const severity_words[] = { "high", "medium", "low", NULL };
static const char *const scope_words[] = {
	"sentence", "block", "line", NULL
};
static const char *const bool_words[] = {
	"no", "yes", "false", "true", NULL
};

/* Value of key from a closed set of words, or dflt when absent. */
static int
kv_choice(struct parser *ps, const char *key, const char *const *words,
    int dflt, int *out)
{
	const struct kv	*kv = kv_get(ps, key);
	int		 i;

	*out = dflt;
	if (kv == NULL)
		return RN_OK;
	if ((i = word_index(kv->value, words)) < 0)
		return parse_fail(ps, kv->line, "bad %s '%s'", key, kv->value);
	*out = i;
	return RN_OK;
}

static void
rule_clear(struct rule *r)
{
	size_t	i;

	for (i = 0; i < r->nneeds; i++)
		free(r->needs[i]);
	free(r->needs);
	free(r->id);
	free(r->topic);
	free(r->message);
	free(r->suggestion);
	free(r->file);
	pats_free(&r->match);
	pats_free(&r->unless);
	examples_free(r->ex, r->nex);
	memset(r, 0, sizeof *r);
}

static void
term_clear(struct rule_term *tm)
{
	size_t	i;

	free(tm->id);
	free(tm->term);
	for (i = 0; i < tm->nnames; i++)
		free(tm->names[i]);
	free(tm->names);
	free(tm->instead);
	free(tm->file);
	pats_free(&tm->word);
	pats_free(&tm->code);
	pats_free(&tm->unless);
	examples_free(tm->ex, tm->nex);
	memset(tm, 0, sizeof *tm);
}

static int
require(struct parser *ps, const char *key, const char *what)
{
	if (kv_get(ps, key) == NULL)
		return parse_fail(ps, ps->block_line, "%s without '%s:'",
		    what, key);
	return RN_OK;
}

static int
fill_rule_text(struct parser *ps, struct rule *r)
{
	int	 rc, v;

	if (!r->disabled) {
		if ((rc = require(ps, "kind", "rule")) != RN_OK ||
		    (rc = require(ps, "match", "rule")) != RN_OK ||
		    (rc = require(ps, "message", "rule")) != RN_OK)
			return rc;
	}
	if ((rc = kv_choice(ps, "kind", kind_words, FK_INCORRECT, &v)) != RN_OK)
		return rc;
	r->kind = v;
	if ((rc = kv_choice(ps, "severity", severity_words, 1, &v)) != RN_OK)
		return rc;
	r->severity = v == 0 ? FS_HIGH : v == 1 ? FS_MEDIUM : FS_LOW;
	if ((rc = kv_choice(ps, "scope", scope_words, 0, &v)) != RN_OK)
		return rc;
	r->scope = v == 0 ? RSC_SENTENCE : v == 1 ? RSC_BLOCK : RSC_LINE;
	if ((rc = kv_choice(ps, "headings", bool_words, 0, &v)) != RN_OK)
		return rc;
	r->headings = v % 2 == 1;
	r->topic = kv_dup(ps, "topic");
	r->message = kv_dup(ps, "message");
	r->suggestion = kv_dup(ps, "suggestion");
	return RN_OK;
}

/* "needs: frame, pop" -> word prefixes in lower case. */
static int
parse_needs(struct parser *ps, struct rule *r)
{
	const struct kv	*kv = kv_get(ps, "needs");
	const char	*p, *end;
	char		*w;
	size_t		 i;

	for (p = kv != NULL ? kv->value : ""; *p != '\0'; p = end) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		for (end = p; *end != '\0' && *end != ','; end++)
			;
		w = xstrndup(p, end - p);
		str_trim(w);
		for (i = 0; w[i] != '\0'; i++) {
			if (!is_word_byte(w[i])) {
				parse_fail(ps, kv->line, "needs: '%s' is not "
				    "a word", w);
				free(w);
				return RN_EINPUT;
			}
			w[i] = lower(w[i]);
		}
		if (*w == '\0') {
			free(w);
			continue;
		}
		r->needs = xreallocarray(r->needs, r->nneeds + 1,
		    sizeof *r->needs);
		r->needs[r->nneeds++] = w;
	}
	return RN_OK;
}

static int
build_rule(struct parser *ps, struct rule *r)
{
	const struct kv	*id = kv_get(ps, "id");
	int		 rc, v;

	memset(r, 0, sizeof *r);
	if ((rc = check_keys(ps, rule_keys, "rule")) != RN_OK)
		return rc;
	if (!valid_id(id->value))
		return parse_fail(ps, id->line, "bad rule id '%s' (use a-z, "
		    "0-9 and '-')", id->value);
	if ((rc = kv_choice(ps, "disabled", bool_words, 0, &v)) != RN_OK)
		return rc;
	r->disabled = v % 2 == 1;
	r->id = xstrdup(id->value);
	r->file = xstrdup(ps->name);
	r->line = id->line;
	if ((rc = fill_rule_text(ps, r)) != RN_OK ||
	    (rc = compile_matches(ps, &r->match)) != RN_OK ||
	    (rc = compile_all(ps, "unless", &r->unless)) != RN_OK)
		return rc;
	collect_examples(ps, &r->ex, &r->nex);
	return parse_needs(ps, r);
}

/* "references, reference, refs" -> names; the term itself comes first. */
static void
split_names(struct rule_term *tm, const char *list)
{
	const char	*p = list, *comma;
	char		*name;

	tm->names = xcalloc(1, sizeof *tm->names);
	tm->names[tm->nnames++] = xstrdup(tm->term);
	while (p != NULL && *p != '\0') {
		comma = strchr(p, ',');
		name = xstrndup(p, comma ? (size_t)(comma - p) : strlen(p));
		str_trim(name);
		if (*name == '\0') {
			free(name);
		} else {
			tm->names = xreallocarray(tm->names, tm->nnames + 1,
			    sizeof *tm->names);
			tm->names[tm->nnames++] = name;
		}
		p = comma ? comma + 1 : NULL;
	}
}

/* "borrow checker" -> "scope-borrow-checker" */
static char *
term_default_id(const char *term)
{
	char	*id = xasprintf("scope-%s", term), *p;

	for (p = id; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
		else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9')))
			*p = '-';
	}
	return id;
}

static int
build_term(struct parser *ps, struct rule_term *tm)
{
	const struct kv	*term = kv_get(ps, "term"), *id = kv_get(ps, "id");
	int		 rc;

	memset(tm, 0, sizeof *tm);
	if ((rc = check_keys(ps, term_keys, "term")) != RN_OK)
		return rc;
	if (id != NULL && !valid_id(id->value))
		return parse_fail(ps, id->line, "bad term id '%s'", id->value);
	if (kv_get(ps, "word") == NULL && kv_get(ps, "code") == NULL)
		return parse_fail(ps, ps->block_line,
		    "term without 'word:' or 'code:' patterns");
	tm->term = xstrdup(term->value);
	tm->id = id != NULL ? xstrdup(id->value) : term_default_id(tm->term);
	tm->file = xstrdup(ps->name);
	tm->line = term->line;
	split_names(tm, kv_get(ps, "names") ? kv_get(ps, "names")->value :
	    NULL);
	tm->instead = kv_dup(ps, "instead");
	if ((rc = compile_all(ps, "word", &tm->word)) != RN_OK ||
	    (rc = compile_all(ps, "code", &tm->code)) != RN_OK ||
	    (rc = compile_all(ps, "unless", &tm->unless)) != RN_OK)
		return rc;
	collect_examples(ps, &tm->ex, &tm->nex);
	return RN_OK;
}

static struct rule *
find_rule(struct rule_set *rs, const char *id)
{
	size_t	i;

	for (i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

static struct rule_term *
find_term(struct rule_set *rs, const char *id)
{
	size_t	i;

	for (i = 0; i < rs->nterms; i++)
		if (strcmp(rs->terms[i].id, id) == 0)
			return &rs->terms[i];
	return NULL;
}

/*
 * A later file may replace a rule by using its id (the user's rules are
 * loaded after the bundled ones); within one file an id is unique.
 */
static int
add_rule(struct parser *ps, struct rule *r)
{
	struct rule	*old = find_rule(ps->rs, r->id);
	struct rule_set	*rs = ps->rs;

	if (old != NULL && strcmp(old->file, ps->name) == 0)
		return parse_fail(ps, r->line, "rule id '%s' already used "
		    "on line %d", r->id, old->line);
	if (old != NULL) {
		rule_clear(old);
		*old = *r;
		return RN_OK;
	}
	if (rs->nrules == rs->rules_alloc) {
		rs->rules_alloc = rs->rules_alloc ? rs->rules_alloc * 2 : 32;
		rs->rules = xreallocarray(rs->rules, rs->rules_alloc,
		    sizeof *rs->rules);
	}
	rs->rules[rs->nrules++] = *r;
	return RN_OK;
}

static int
add_term(struct parser *ps, struct rule_term *tm)
{
	struct rule_term	*old = find_term(ps->rs, tm->id);
	struct rule_set		*rs = ps->rs;

	if (old != NULL && strcmp(old->file, ps->name) == 0)
		return parse_fail(ps, tm->line, "term id '%s' already used "
		    "on line %d", tm->id, old->line);
	if (old != NULL) {
		term_clear(old);
		*old = *tm;
		return RN_OK;
	}
	if (rs->nterms == rs->terms_alloc) {
		rs->terms_alloc = rs->terms_alloc ? rs->terms_alloc * 2 : 16;
		rs->terms = xreallocarray(rs->terms, rs->terms_alloc,
		    sizeof *rs->terms);
	}
	rs->terms[rs->nterms++] = *tm;
	return RN_OK;
}

static void
add_same(struct parser *ps)
{
	struct rule_set	*rs = ps->rs;
	size_t		 i;

	for (i = 0; i < ps->nkv; i++) {
		if (strcmp(ps->kv[i].key, "same") != 0)
			continue;
		rs->same = xreallocarray(rs->same, rs->nsame + 1,
		    sizeof *rs->same);
		rs->same[rs->nsame++] = xstrdup(ps->kv[i].value);
	}
}

static int
finish_block(struct parser *ps)
{
	struct rule		r;
	struct rule_term	tm;
	int			rc = RN_OK;

	if (ps->nkv == 0)
		return RN_OK;
	if (kv_get(ps, "term") != NULL) {
		if ((rc = build_term(ps, &tm)) == RN_OK)
			rc = add_term(ps, &tm);
		if (rc != RN_OK)
			term_clear(&tm);
	} else if (kv_get(ps, "id") != NULL) {
		if ((rc = build_rule(ps, &r)) == RN_OK)
			rc = add_rule(ps, &r);
		if (rc != RN_OK)
			rule_clear(&r);
	} else if ((rc = check_keys(ps, global_keys, "block without "
	    "'id:' or 'term:'")) == RN_OK) {
		if ((rc = compile_all(ps, "defer", &ps->rs->defer)) == RN_OK)
			rc = compile_all(ps, "veto", &ps->rs->veto);
		if (rc == RN_OK)
			add_same(ps);
	}
	kv_clear(ps);
	return rc;
}

static void
kv_add(struct parser *ps, const char *key, size_t klen, const char *value,
    size_t vlen, int line)
{
	if (ps->nkv == ps->kv_alloc) {
		ps->kv_alloc = ps->kv_alloc ? ps->kv_alloc * 2 : 16;
		ps->kv = xreallocarray(ps->kv, ps->kv_alloc, sizeof *ps->kv);
	}
	ps->kv[ps->nkv].key = xstrndup(key, klen);
	ps->kv[ps->nkv].value = xstrndup(value, vlen);
	ps->kv[ps->nkv].line = line;
	if (ps->nkv++ == 0)
		ps->block_line = line;
}

/* A line that starts with white space continues the previous value. */
static int
continue_value(struct parser *ps, const char *s, size_t len, int line)
{
	struct kv	*kv;
	char		*joined;

	if (ps->nkv == 0)
		return parse_fail(ps, line, "indented line outside a block");
	kv = &ps->kv[ps->nkv - 1];
	if (key_in(kv->key, list_keys) && strncmp(kv->key, "example", 7) != 0)
		return parse_fail(ps, line, "a pattern must fit on one line");
	joined = xasprintf("%s %.*s", kv->value, (int)len, s);
	free(kv->value);
	kv->value = joined;
	return RN_OK;
}

static bool
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '_';
}

static int
parse_line(struct parser *ps, const char *s, size_t len, int line)
{
	size_t	lead = 0, k = 0, v;

	while (len > 0 && is_blank(s[len - 1]))
		len--;
	while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
		lead++;
	if (lead == len)
		return finish_block(ps);
	if (s[lead] == '#')
		return RN_OK;
	if (lead > 0)
		return continue_value(ps, s + lead, len - lead, line);
	while (k < len && is_key_char(s[k]))
		k++;
	if (k == 0 || k == len || s[k] != ':')
		return parse_fail(ps, line, "expected 'key: value'");
	for (v = k + 1; v < len && (s[v] == ' ' || s[v] == '\t'); v++)
		;
	if (v == len)
		return parse_fail(ps, line, "'%.*s' has no value", (int)k, s);
	kv_add(ps, s, k, s + v, len - v, line);
	return RN_OK;
}

static int
compare_triggers(const void *a, const void *b)
{
	const struct rule_trigger	*x = a, *y = b;
	int				 c = strcmp(x->prefix, y->prefix);

	if (c != 0)
		return c;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* The needs of every rule, sorted and indexed by their first byte. */
static void
build_triggers(struct rule_set *rs)
{
	size_t	i, k, n = 0;
	int	c;

	for (i = 0; i < rs->nrules; i++)
		n += rs->rules[i].nneeds;
	free(rs->trig);
	rs->trig = xcalloc(n + 1, sizeof *rs->trig);
	rs->ntrig = 0;
	for (i = 0; i < rs->nrules; i++)
		for (k = 0; k < rs->rules[i].nneeds; k++) {
			rs->trig[rs->ntrig].prefix = rs->rules[i].needs[k];
			rs->trig[rs->ntrig].len = strlen(rs->rules[i].needs[k]);
			rs->trig[rs->ntrig].rule = i;
			rs->ntrig++;
		}
	qsort(rs->trig, rs->ntrig, sizeof *rs->trig, compare_triggers);
	for (c = 256, k = rs->ntrig; c >= 0; c--) {
		while (k > 0 && (unsigned char)rs->trig[k - 1].prefix[0] >= c)
			k--;
		rs->trig_first[c] = k;
	}
}

static int
load_text(struct rule_set *rs, const char *name, const char *text,
    char *err, size_t errlen)
{
	struct parser	 ps;
	const char	*p = text, *nl;
	int		 line = 0, rc = RN_OK, bad_line;

	if (!utf8_valid(text, strlen(text), &bad_line, NULL))
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s:%d: invalid UTF-8", name, bad_line);
	memset(&ps, 0, sizeof ps);
	ps.rs = rs;
	ps.name = name;
	ps.err = err;
	ps.errlen = errlen;
	while (rc == RN_OK && *p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		rc = parse_line(&ps, p, nl - p, ++line);
		p = *nl != '\0' ? nl + 1 : nl;
	}
	if (rc == RN_OK)
		rc = finish_block(&ps);
	kv_clear(&ps);
	free(ps.kv);
	build_triggers(rs);
	return rc;
}

static int
check_one(const char *file, const char *id, const struct rule_example *ex,
    bool fired, char *err, size_t errlen)
{
	if (fired == ex->fire)
		return RN_OK;
	return rn_fail(err, errlen, RN_EINPUT, "%s:%d: '%s' %s \"%s\"",
	    file, ex->line, id, ex->fire ? "does not fire on its example" :
	    "fires on its counter-example", ex->text);
}

int
rules_check_examples(struct rule_set *rs, char *err, size_t errlen)
{
	struct rule		*r;
	struct rule_term	*tm;
	size_t			 i, k;
	int			 rc;

	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		for (k = 0; !r->checked && !r->disabled && k < r->nex; k++)
			if ((rc = check_one(r->file, r->id, &r->ex[k],
			    rule_fires(rs, r, r->ex[k].text), err,
			    errlen)) != RN_OK)
				return rc;
		r->checked = true;
	}
	for (i = 0; i < rs->nterms; i++) {
		tm = &rs->terms[i];
		for (k = 0; !tm->checked && k < tm->nex; k++)
			if ((rc = check_one(tm->file, tm->id, &tm->ex[k],
			    rule_term_fires(rs, tm, tm->ex[k].text), err,
			    errlen)) != RN_OK)
				return rc;
		tm->checked = true;
	}
	return RN_OK;
}

/* --- public loading ------------------------------------------------------ */

static struct rule_set *
set_new(void)
{
	return xcalloc(1, sizeof(struct rule_set));
}

int
rules_load_text(struct rule_set **rs, const char *name, const char *text,
    char *err, size_t errlen)
{
	int	rc;

	if (*rs == NULL)
		*rs = set_new();
	if ((rc = load_text(*rs, name, text, err, errlen)) != RN_OK)
		return rc;
	return rules_check_examples(*rs, err, errlen);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_rule_file(const char *name)
{
	size_t	len = strlen(name);

	return name[0] != '.' && len > 6 &&
	    strcmp(name + len - 6, ".rules") == 0;
}

/* The *.rules names of dir, sorted so the load order is stable. */
static int
list_rule_files(const char *dir, char ***out, size_t *n, char *err,
    size_t errlen)
{
	DIR		*d;
	struct dirent	*de;

	*out = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return rn_fail(err, errlen, RN_EINPUT, "%s: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!is_rule_file(de->d_name))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(*out, *n, sizeof **out, compare_names);
	return RN_OK;
}

int
rules_load_dir(struct rule_set **rs, const char *dir, char *err,
    size_t errlen)
{
	char	**names = NULL, *path = NULL, *text = NULL;
	size_t	  n = 0, i, len;
	int	  rc;

	if ((rc = list_rule_files(dir, &names, &n, err, errlen)) != RN_OK)
		return rc;
	if (*rs == NULL)
		*rs = set_new();
	for (i = 0; i < n && rc == RN_OK; i++) {
		path = util_path_join(dir, names[i]);
		rc = util_read_file(path, RULE_FILE_MAX, &text, &len, err,
		    errlen);
		if (rc == RN_OK)
			rc = load_text(*rs, path, text, err, errlen);
		free(text);
		text = NULL;
		free(path);
	}
	/* Examples last: a file's veto patterns apply to the others too. */
	if (rc == RN_OK)
		rc = rules_check_examples(*rs, err, errlen);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static bool
is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
rules_load_default(struct rule_set **out, char *err, size_t errlen)
{
	struct rule_set	*rs = NULL;
	char		*bundled, *cfg = NULL, *user = NULL;
	int		 rc;

	*out = NULL;
	if ((bundled = util_data_path("rules", false)) == NULL)
		return rn_fail(err, errlen, RN_EINPUT, "cannot find the "
		    "bundled rules folder (set RUSTNOTE_DATADIR to the folder "
		    "that holds rules/)");
	if ((rc = rules_load_dir(&rs, bundled, err, errlen)) != RN_OK)
		goto out;
	if ((cfg = util_config_dir()) != NULL) {
		user = util_path_join(cfg, "rules");
		if (is_dir(user) && strcmp(user, bundled) != 0)
			rc = rules_load_dir(&rs, user, err, errlen);
	}
out:
	if (rc == RN_OK)
		*out = rs;
	else
		rules_free(rs);
	free(bundled);
	free(cfg);
	free(user);
	return rc;
}

size_t
rules_count(const struct rule_set *rs)
{
	size_t	i, n = 0;

	if (rs == NULL)
		return 0;
	for (i = 0; i < rs->nrules; i++)
		if (!rs->rules[i].disabled)
			n++;
	return n;
}

void
rules_free(struct rule_set *rs)
{
	size_t	i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nrules; i++)
		rule_clear(&rs->rules[i]);
	for (i = 0; i < rs->nterms; i++)
		term_clear(&rs->terms[i]);
	free(rs->rules);
	free(rs->terms);
	free(rs->trig);
	pats_free(&rs->defer);
	pats_free(&rs->veto);
	for (i = 0; i < rs->nsame; i++)
		free(rs->same[i]);
	free(rs->same);
	free(rs);
}
