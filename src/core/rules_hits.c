/*
 * rules_hits.c - where each concept of the lexicon stands in a text, for
 * the meaning matcher (rules_meaning.c): the words of the text with their
 * stems, then one pass over the text that tries, where each word starts,
 * the phrases and word beginnings that start with it, and at each place a
 * wording may start, the characters ("{}", `Vec`); and every pattern over
 * the whole text (for a long text, on a second thread meanwhile).
 *
 * The hits come out sorted by where they start, then by concept, ties in
 * the order they were found (phrases, word beginnings, characters,
 * patterns).  A reading for a few concepts (a rule's example, checked
 * on every start) looks up only the bytes and stems theirs start with.  The pass yields them grouped by start already, so only each
 * small group and the few pattern hits need sorting: sorting the whole
 * list afterwards cost more than finding it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/cancel.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"
#include "rules_meaning_int.h"

static void
push_token(void *ud, size_t start, size_t end, uint64_t stem)
{
	struct rule_meaning	*m = ud;

	if (m->ntok == m->tok_alloc) {
		m->tok_alloc = m->tok_alloc ? m->tok_alloc * 2 : 256;
		m->tok = xreallocarray(m->tok, m->tok_alloc, sizeof *m->tok);
	}
	m->tok[m->ntok].start = start;
	m->tok[m->ntok].end = end;
	m->tok[m->ntok++].stem = stem;
}

/* Append a hit, in no clause yet, to the array *v of *n (room *alloc). */
static void
hits_append(struct m_hit **v, size_t *n, size_t *alloc, size_t start,
    size_t end, size_t concept)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		*v = xreallocarray(*v, *alloc, sizeof **v);
	}
	(*v)[*n].start = start;
	(*v)[*n].end = end;
	(*v)[*n].concept = concept;
	(*v)[(*n)++].clause = NONE;
}

static void
push_hit(struct rule_meaning *m, size_t start, size_t end, size_t concept)
{
	hits_append(&m->hit, &m->nhit, &m->hit_alloc, start, end, concept);
}

/* Is concept c one the reading looks for? */
static inline bool
wanted(const unsigned long long *only, size_t c)
{
	return only == NULL || (only[c / 64] >> (c % 64) & 1) != 0;
}

static inline bool
bit_in(const uint64_t *v, size_t b)
{
	return (v[b / 64 % 4] >> (b % 64) & 1) != 0;
}

static bool
steers(const struct rule_lexicon *lx, size_t c)
{
	return c == lx->neg || c == lx->neg_all || c == lx->but ||
	    c == lx->instead;
}

/* The patterns a filtered reading searches: theirs, in the lexicon's order. */
static void
filter_patterns(struct rule_meaning *m, const struct rule_lexicon *lx)
{
	size_t	i;

	m->filter_regex = xreallocarray(m->filter_regex, lx->nregex + 1,
	    sizeof *m->filter_regex);
	m->nfilter_regex = 0;
	for (i = 0; i < lx->nregex; i++)
		if (wanted(m->only, lx->e[lx->regex[i]].concept))
			m->filter_regex[m->nfilter_regex++] = lx->regex[i];
}

/*
 * The filter of a reading for the concepts of m->only: the steering
 * concepts' part is the same for every reading, and made once per link;
 * a rule's examples share their mask, and so its filter.
 */
static void
filter_make(struct rule_meaning *m, const struct rule_lexicon *lx)
{
	unsigned long long	bits;
	size_t			w, c, words = lx->nc / 64 + 1;

	m->filtered = m->only != NULL;
	if (!m->filtered || (m->filter_words == words &&
	    memcmp(m->filter_of, m->only, words * sizeof *m->only) == 0))
		return;
	m->filter = lx->steer;
	for (w = 0; w < words; w++)
		for (bits = m->only[w]; bits != 0; bits &= bits - 1) {
			c = w * 64 + (size_t)__builtin_ctzll(bits);
			if (!steers(lx, c))
				rule_filter_add(&m->filter, lx, c);
		}
	filter_patterns(m, lx);
	m->filter_of = xreallocarray(m->filter_of, words, sizeof *m->only);
	memcpy(m->filter_of, m->only, words * sizeof *m->only);
	m->filter_words = words;
}

/* May the filter let a look-up of phrase key k find anything? */
static inline bool
may_hold_key(const struct rule_meaning *m, uint64_t k)
{
	size_t	b = rule_filter_key(k);

	return !m->filtered || (m->filter.keys[b / 64] >> (b % 64) & 1) != 0;
}

/* May the filter let a look-up of byte or key b in set v find anything? */
static inline bool
may_find(const struct rule_meaning *m, const uint64_t *v, size_t b)
{
	return !m->filtered || bit_in(v, b);
}

size_t
rule_phrase_first(const struct rule_lexicon *lx, uint64_t h)
{
	size_t	k;

	for (k = h & lx->phr_mask; lx->phr_at[k].entry != SIZE_MAX;
	    k = (k + 1) & lx->phr_mask)
		if (lx->phr_at[k].hash == h)
			return lx->phr_at[k].entry;
	return lx->nphr;
}

/* --- words ------------------------------------------------------------------ */

/* "reference count*": the word after the stems begins with the text. */
static bool
phrase_tail(const struct rule_meaning *m, const char *s,
    const struct rule_entry *e, size_t *j, size_t i)
{
	const struct m_token	*w;

	if (e->text == NULL)
		return true;
	if (i + *j >= m->ntok)
		return false;
	w = &m->tok[i + *j];
	if (w->end - w->start < e->len ||
	    strncasecmp(s + w->start, e->text, e->len) != 0)
		return false;
	(*j)++;
	return true;
}

/* The phrase entries under key h that start at token i, as hits. */
static void
phrases_under(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t i, uint64_t h)
{
	const struct rule_entry	*e;
	size_t			 k, j;

	for (k = rule_phrase_first(lx, h); k < lx->nphr &&
	    lx->phr[k].hash == h; k++) {
		e = &lx->e[lx->phr[k].entry];
		if (i + e->nstems > m->ntok || e->concept == lx->english ||
		    !wanted(m->only, e->concept))
			continue;
		for (j = 0; j < e->nstems; j++)
			if (m->tok[i + j].stem != e->stems[j])
				break;
		if (j == e->nstems && phrase_tail(m, s, e, &j, i))
			push_hit(m, m->tok[i].start, m->tok[i + j - 1].end,
			    e->concept);
	}
}

/* Phrases of one word under its stem, longer ones under two. */
static void
phrases_at(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t i)
{
	uint64_t	pair;

	if (may_hold_key(m, m->tok[i].stem))
		phrases_under(m, lx, s, i, m->tok[i].stem);
	if (i + 1 < m->ntok && may_hold_key(m, (pair =
	    rule_phrase_pair(m->tok[i].stem, m->tok[i + 1].stem))))
		phrases_under(m, lx, s, i, pair);
}

/* Word w begins with entry k's text; head: its first bytes, lowered. */
static void
try_prefix(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, const struct m_token *w, size_t k, uint32_t head)
{
	const struct rule_entry	*e = &lx->e[lx->pbytes[k]];

	if (wanted(m->only, e->concept) && e->len <= w->end - w->start &&
	    ((head ^ e->head) & e->hmask) == 0 && (e->len <= 4 ||
	    strncasecmp(s + w->start + 4, e->text + 4, e->len - 4) == 0))
		push_hit(m, w->start, w->end, e->concept);
}

/*
 * Word beginnings ("alloc*") of word i, looked up by its first byte and
 * then its second.  Their hits all span the word, so the order they are
 * tried in changes nothing once sorted by concept.
 */
static void
prefixes_at(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t i)
{
	const struct m_token	*w = &m->tok[i];
	unsigned char		 c = rule_lower((unsigned char)s[w->start]);
	size_t			 k, hi = lx->pbyte_first[c + 1], a, z, mid;
	unsigned char		 b;
	uint32_t		 head;

	if (!may_find(m, m->filter.prefixes, c))
		return;
	head = rule_head(s + w->start, w->end - w->start, false);
	for (k = lx->pbyte_first[c]; k < hi && lx->pbyte2[k] == 0; k++)
		try_prefix(m, lx, s, w, k, head);
	if (k == hi || w->end - w->start < 2)
		return;
	b = rule_lower((unsigned char)s[w->start + 1]);
	for (a = k, z = hi; a < z; ) {
		mid = a + (z - a) / 2;
		if (lx->pbyte2[mid] < b)
			a = mid + 1;
		else
			z = mid;
	}
	for (; a < hi && lx->pbyte2[a] == b; a++)
		try_prefix(m, lx, s, w, a, head);
}

/* --- characters ------------------------------------------------------------- */

/* A match of characters that begin or end with a letter is a word. */
static bool
at_word_edges(const char *s, size_t len, size_t i, size_t n)
{
	if (rule_is_mword((unsigned char)s[i]) && i > 0 &&
	    rule_is_mword((unsigned char)s[i - 1]))
		return false;
	return !(rule_is_mword((unsigned char)s[i + n - 1]) && i + n < len &&
	    rule_is_mword((unsigned char)s[i + n]));
}

/* The first bytes of a text at a place, as written and lowered. */
struct heads {
	uint32_t	raw, low;
};

static void
try_entry(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t len, size_t i, size_t k, const struct heads *h)
{
	const struct rule_entry	*e = &lx->e[lx->bytes[k]];
	bool			 same;

	if (e->len > len - i || !wanted(m->only, e->concept) ||
	    (((e->kind == RE_EXACT ? h->raw : h->low) ^ e->head) &
	    e->hmask) != 0)
		return;
	same = e->len <= 4 || (e->kind == RE_EXACT ?
	    memcmp(s + i + 4, e->text + 4, e->len - 4) == 0 :
	    strncasecmp(s + i + 4, e->text + 4, e->len - 4) == 0);
	if (same && at_word_edges(s, len, i, e->len))
		push_hit(m, i, i + e->len, e->concept);
}

/* The entries of bucket [lo, hi) whose second byte is b. */
static void
try_second_byte(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t len, size_t i, size_t lo, size_t hi,
    unsigned char b, const struct heads *h)
{
	size_t	a = lo, z = hi, mid;

	while (a < z) {
		mid = a + (z - a) / 2;
		if (lx->byte2[mid] < b)
			a = mid + 1;
		else
			z = mid;
	}
	for (; a < hi && lx->byte2[a] == b; a++)
		try_entry(m, lx, s, len, i, a, h);
}

/* Entries of first byte c at i: one-byte ones, then by the next byte. */
static void
find_in_bucket(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t len, size_t i, unsigned char c,
    const struct heads *h)
{
	size_t		lo = lx->byte_first[c], hi = lx->byte_first[c + 1], k;
	unsigned char	next, low;

	for (k = lo; k < hi && lx->byte2[k] == 0; k++)
		try_entry(m, lx, s, len, i, k, h);
	if (i + 1 >= len || (next = (unsigned char)s[i + 1]) == 0)
		return;
	low = rule_lower(next);
	try_second_byte(m, lx, s, len, i, k, hi, low, h);
	if (low != next)
		try_second_byte(m, lx, s, len, i, k, hi, next, h);
}

static void
characters_at(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t len, size_t i)
{
	unsigned char	c = (unsigned char)s[i], lc;
	bool		low_there, raw_there;
	struct heads	h;

	if (i > 0 && rule_is_mword(c) && rule_is_mword((unsigned char)s[i - 1]))
		return;		/* nothing starts inside a word */
	lc = rule_lower(c);
	low_there = lx->byte_first[lc] < lx->byte_first[lc + 1] &&
	    may_find(m, m->filter.chars, lc);
	raw_there = lc != c && lx->byte_first[c] < lx->byte_first[c + 1] &&
	    may_find(m, m->filter.chars, c);
	if (!low_there && !raw_there)
		return;
	h.raw = rule_head(s + i, len - i, true);
	h.low = rule_head(s + i, len - i, false);
	if (low_there)
		find_in_bucket(m, lx, s, len, i, lc, &h);
	if (raw_there)
		find_in_bucket(m, lx, s, len, i, c, &h);
}

/* --- sorting ------------------------------------------------------------------ */

static int
compare_by_start(const struct m_hit *x, const struct m_hit *y)
{
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->concept < y->concept ? -1 : x->concept > y->concept;
}

/*
 * Stable sort of a[0, n) by start and concept: neighbouring runs already
 * in order are merged until one is left, so input in a few runs costs a
 * few passes.
 */
static void
sort_hits(struct m_hit *a, size_t n)
{
	struct m_hit	*tmp;
	size_t		 i, mid, end, x, y, o;
	bool		 again = true;

	if (n < 2)
		return;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	while (again) {
		again = false;
		for (i = 0; i < n; i = end) {
			for (mid = i + 1; mid < n &&
			    compare_by_start(&a[mid - 1], &a[mid]) <= 0; mid++)
				;
			if (mid == n) {
				end = n;
				continue;
			}
			for (end = mid + 1; end < n &&
			    compare_by_start(&a[end - 1], &a[end]) <= 0; end++)
				;
			for (x = i, y = mid, o = 0; x < mid || y < end; )
				tmp[o++] = y == end || (x < mid &&
				    compare_by_start(&a[x], &a[y]) <= 0) ?
				    a[x++] : a[y++];
			memcpy(a + i, tmp, o * sizeof *a);
			again = true;
		}
	}
	free(tmp);
}

#define FEW_HITS	32	/* sorted by insertion; more by merging */

/* The hits of one place, [first, nhit), by concept (stable). */
static void
sort_group(struct rule_meaning *m, size_t first)
{
	struct m_hit	h;
	size_t		i, j;

	if (m->nhit - first > FEW_HITS) {
		sort_hits(m->hit + first, m->nhit - first);
		return;
	}
	for (i = first + 1; i < m->nhit; i++) {
		h = m->hit[i];
		for (j = i; j > first && h.concept < m->hit[j - 1].concept; j--)
			m->hit[j] = m->hit[j - 1];
		m->hit[j] = h;
	}
}

/*
 * The pattern hits [at, nhit), sorted, into the sorted hits before them:
 * merged from the back, a pattern hit going after the hits it ties with.
 */
static void
merge_patterns(struct rule_meaning *m, size_t at)
{
	struct m_hit	*r;
	size_t		 nr = m->nhit - at, i = at, j = nr, o = m->nhit;

	if (nr == 0)
		return;
	sort_hits(m->hit + at, nr);
	r = xreallocarray(NULL, nr, sizeof *r);
	memcpy(r, m->hit + at, nr * sizeof *r);
	while (j > 0) {
		if (i > 0 && compare_by_start(&m->hit[i - 1], &r[j - 1]) > 0)
			m->hit[--o] = m->hit[--i];
		else
			m->hit[--o] = r[--j];
	}
	free(r);
}

/* --- the passes ------------------------------------------------------------- */

/* Words and characters, place by place; each place's hits by concept. */
static void
find_words_and_characters(struct rule_meaning *m,
    const struct rule_lexicon *lx, const char *s, size_t len)
{
	size_t	i, k = 0, first;

	for (i = 0; i < len; i++) {
		if (i % 65536 == 65535 && cancel_requested())
			return;
		first = m->nhit;
		if (k < m->ntok && m->tok[k].start == i) {
			phrases_at(m, lx, s, k);
			prefixes_at(m, lx, s, k);
			k++;
		}
		characters_at(m, lx, s, len, i);
		if (m->nhit - first > 1)
			sort_group(m, first);
	}
}

/* The patterns' hits, found apart from the others. */
struct pattern_job {
	const struct rule_meaning	*m;
	const struct rule_lexicon	*lx;
	struct rule_text		*t;
	struct m_hit			*v;
	size_t				 n, alloc;
};


/* Every pattern a reading searches (a filtered one: its own), in order. */
static void
find_patterns(struct pattern_job *j)
{
	const struct rule_lexicon	*lx = j->lx;
	const struct rule_meaning	*m = j->m;
	struct rule_range		 r;
	size_t				 i, pos, n;

	n = m->filtered ? m->nfilter_regex : lx->nregex;
	for (i = 0; i < n; i++) {
		const struct rule_entry *e = &lx->e[m->filtered ?
		    m->filter_regex[i] : lx->regex[i]];

		if (!wanted(m->only, e->concept))
			continue;
		if (cancel_requested())
			return;
		pos = 0;
		while (rule_pat_find(e->re, j->t, pos, j->t->text.len, &r)) {
			hits_append(&j->v, &j->n, &j->alloc, r.start, r.end,
			    e->concept);
			pos = r.end > r.start ? r.end : r.start + 1;
		}
	}
}

static void *
patterns_thread(void *arg)
{
	find_patterns(arg);
	return NULL;
}

/*
 * A long text's patterns are searched on a second thread while the first
 * goes through its words and characters: that pass needs none of what a
 * search uses of the text (match data, its runs of bytes), and the
 * patterns' hits go to a list of their own.
 */
#define PATTERNS_APART	(64 * 1024)

bool
rule_hits_read(struct rule_meaning *m, const struct rule_lexicon *lx,
    struct rule_text *t)
{
	struct pattern_job	 job = { m, lx, t, NULL, 0, 0 };
	const char		*s = buf_str(&t->text);
	pthread_t		 second;
	size_t			 words_end;
	bool			 two;

	m->ntok = m->nhit = 0;
	filter_make(m, lx);
	two = t->text.len >= PATTERNS_APART &&
	    pthread_create(&second, NULL, patterns_thread, &job) == 0;
	/* Each step is one pass over a text of up to a megabyte: a stop
	   asked for between them leaves an empty reading, whole. */
	rule_words(lx, s, t->text.len, &m->stems, push_token, m);
	if (!cancel_requested())
		find_words_and_characters(m, lx, s, t->text.len);
	if (two)
		pthread_join(second, NULL);
	else if (!cancel_requested())
		find_patterns(&job);
	words_end = m->nhit;
	if (!cancel_requested())
		while (m->nhit - words_end < job.n)
			push_hit(m, job.v[m->nhit - words_end].start,
			    job.v[m->nhit - words_end].end,
			    job.v[m->nhit - words_end].concept);
	free(job.v);
	if (cancel_requested()) {
		m->ntok = m->nhit = 0;
		return false;
	}
	merge_patterns(m, words_end);
	return true;
}
