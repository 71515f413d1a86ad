/*
 * rules_meaning.c - the meaning matcher.  A text is read once into words
 * with their stems, the places where each concept of the lexicon stands
 * (rules_hits.c), and clauses (rules_clause.c): a sentence is cut at ";",
 * before a contrasting word (BUT: "but", "whereas", ...) and before a
 * rejected alternative (INSTEAD: "instead of", "rather than"), which runs
 * to the next comma and is read as denied.  Words after a negation (NEG)
 * in a clause are denied too, and a whole clause with a negative pronoun
 * (NEG_ALL: "binds nothing").
 *
 * A rule fires on a sentence with a clause that holds every item of one
 * of its "all:" lines, in any order, stated (or, for "negated: yes",
 * denied), and no "none:" concept anywhere in the sentence.  Questions
 * state nothing.  Each step is one pass over the text or a sort of what
 * it found, so the work grows with the text, not with its square.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"
#include "rules_meaning_int.h"

void
rule_meaning_free(struct rule_meaning *m)
{
	if (m == NULL)
		return;
	free(m->tok);
	free(m->hit);
	free(m->hit_tmp);
	free(m->cl);
	free(m->post);
	free(m->post_tmp);
	free(m->fill);
	free(m->cand);
	free(m->filter_of);
	free(m->filter_regex);
	wcache_free(&m->stems);
	free(m);
}

/* --- reading the text ------------------------------------------------------ */

#define FEW_HITS	32	/* sorted by insertion, then merged */

/* Insertion sort of a[0, n) by concept: stable. */
static void
insert_by_concept(struct m_hit *a, size_t n)
{
	struct m_hit	h;
	size_t		i, j;

	for (i = 1; i < n; i++) {
		h = a[i];
		for (j = i; j > 0 && h.concept < a[j - 1].concept; j--)
			a[j] = a[j - 1];
		a[j] = h;
	}
}

/* Merge the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi). */
static void
merge_by_concept(const struct m_hit *src, struct m_hit *dst, size_t lo,
    size_t mid, size_t hi)
{
	size_t	x = lo, y = mid, o = lo;

	while (x < mid && y < hi)
		dst[o++] = src[y].concept < src[x].concept ? src[y++] :
		    src[x++];
	while (x < mid)
		dst[o++] = src[x++];
	while (y < hi)
		dst[o++] = src[y++];
}

/*
 * A clause that runs on for pages: runs of FEW_HITS sorted by insertion,
 * then merged pairwise, to and fro between the hits and a scratch copy.
 */
static void
sort_long_clause(struct rule_meaning *m, struct m_hit *a, size_t n)
{
	struct m_hit	*src = a, *dst, *swap;
	size_t		 i, w, mid, hi;

	if (m->hit_tmp_alloc < n) {
		m->hit_tmp = xreallocarray(m->hit_tmp, n, sizeof *m->hit_tmp);
		m->hit_tmp_alloc = n;
	}
	dst = m->hit_tmp;
	for (i = 0; i < n; i += FEW_HITS)
		insert_by_concept(a + i, n - i < FEW_HITS ? n - i : FEW_HITS);
	for (w = FEW_HITS; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			mid = i + w < n ? i + w : n;
			hi = i + 2 * w < n ? i + 2 * w : n;
			merge_by_concept(src, dst, i, mid, hi);
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
}

/*
 * Hits are in clause order already and, within a clause, in text order:
 * a stable sort by concept leaves them by concept, then start.  Most
 * clauses hold a few; a clause that runs on for pages is merge-sorted,
 * so no input makes this quadratic.
 */
static void
sort_within_clauses(struct rule_meaning *m)
{
	size_t	first, end;

	for (first = 0; first < m->nhit; first = end) {
		for (end = first + 1; end < m->nhit &&
		    m->hit[end].clause == m->hit[first].clause; end++)
			;
		if (end - first > FEW_HITS)
			sort_long_clause(m, m->hit + first, end - first);
		else
			insert_by_concept(m->hit + first, end - first);
	}
}

static int
compare_post(const void *a, const void *b)
{
	const struct m_post	*x = a, *y = b;

	if (x->concept != y->concept)
		return x->concept < y->concept ? -1 : 1;
	return x->clause < y->clause ? -1 : x->clause > y->clause;
}

/*
 * Stable counting sort of the postings by concept: linear, but it walks
 * every concept of the lexicon, so it only pays for a long text.
 */
static void
sort_postings_by_count(struct rule_meaning *m, size_t nconcepts)
{
	struct m_post	*tmp;
	size_t		 i, c, at;

	if (m->fill_alloc < nconcepts + 1) {
		m->fill = xreallocarray(m->fill, nconcepts + 1,
		    sizeof *m->fill);
		m->fill_alloc = nconcepts + 1;
	}
	memset(m->fill, 0, (nconcepts + 1) * sizeof *m->fill);
	for (i = 0; i < m->npost; i++)
		m->fill[m->post[i].concept]++;
	for (c = 0, at = 0; c <= nconcepts; c++) {
		size_t	count = m->fill[c];

		m->fill[c] = at;
		at += count;
	}
	m->post_tmp = xreallocarray(m->post_tmp, m->post_alloc,
	    sizeof *m->post_tmp);
	for (i = 0; i < m->npost; i++)
		m->post_tmp[m->fill[m->post[i].concept]++] = m->post[i];
	tmp = m->post;
	m->post = m->post_tmp;
	m->post_tmp = tmp;
}

/*
 * Which clauses hold each concept, as (concept, clause) pairs sorted by
 * concept: a rule asks for the clauses of its rarest item.  A short text
 * (a rule's own example, checked on every load) holds a few pairs among
 * thousands of concepts, so it is sorted by comparison, not by concept.
 */
static void
build_postings(struct rule_meaning *m, size_t nconcepts)
{
	size_t	i, c;

	m->nconcepts = nconcepts;
	m->npost = 0;
	for (i = 0; i < m->ncl; i++)
		m->cl[i].h0 = m->cl[i].h1 = 0;
	for (i = 0; i < m->nhit; i++) {
		c = m->hit[i].clause;
		if (i == 0 || m->hit[i - 1].clause != c)
			m->cl[c].h0 = i;
		m->cl[c].h1 = i + 1;
		if (i > 0 && m->hit[i - 1].clause == c &&
		    m->hit[i - 1].concept == m->hit[i].concept)
			continue;
		if (m->npost == m->post_alloc) {
			m->post_alloc = m->post_alloc ? m->post_alloc * 2 : 64;
			m->post = xreallocarray(m->post, m->post_alloc,
			    sizeof *m->post);
		}
		m->post[m->npost].concept = m->hit[i].concept;
		m->post[m->npost++].clause = c;
	}
	if (m->npost < 2)
		return;
	if (m->npost * 16 < nconcepts)
		qsort(m->post, m->npost, sizeof *m->post, compare_post);
	else
		sort_postings_by_count(m, nconcepts);
}

/* The first posting of a concept >= c, or npost. */
static size_t
post_lower(const struct rule_meaning *m, size_t c)
{
	size_t	a = 0, b = m->npost, mid;

	while (a < b) {
		mid = a + (b - a) / 2;
		if (m->post[mid].concept < c)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

/* The postings of concept c: [*lo, *hi) of m->post. */
static void
post_range(const struct rule_meaning *m, size_t c, size_t *lo, size_t *hi)
{
	*lo = post_lower(m, c);
	*hi = post_lower(m, c + 1);
}

static bool
steers(const struct rule_lexicon *lx, size_t c)
{
	return c == lx->neg || c == lx->neg_all || c == lx->but ||
	    c == lx->instead;
}

/*
 * Words inside inline code are code: the "no" of `expect("no config")`
 * denies nothing and the "while" of `while let` starts no clause.  The
 * hits are in text order, and so are the code spans.
 */
static void
drop_steering_in_code(struct rule_meaning *m, const struct rule_lexicon *lx,
    const struct rule_text *t)
{
	size_t	i, o = 0, k = 0;

	for (i = 0; i < m->nhit; i++) {
		while (k < t->ncode && t->code[k].end <= m->hit[i].start)
			k++;
		if (steers(lx, m->hit[i].concept) && k < t->ncode &&
		    t->code[k].start <= m->hit[i].start)
			continue;
		m->hit[o++] = m->hit[i];
	}
	m->nhit = o;
}

static void
build(struct rule_meaning *m, const struct rule_set *rs, struct rule_text *t)
{
	const struct rule_lexicon	*lx = rs->lex;
	bool				 stop;

	m->ncl = 0;
	m->only = t->only;
	if (m->stems_of != lx || m->stems_gen != rs->lex_gen) {
		wcache_clear(&m->stems);	/* stems of another lexicon */
		m->filter_words = 0;		/* ... and its entries */
		m->stems_of = lx;
		m->stems_gen = rs->lex_gen;
	}
	stop = !rule_hits_read(m, lx, t);
	drop_steering_in_code(m, lx, t);
	rule_clauses_read(m, lx, t, stop);
	sort_within_clauses(m);
	build_postings(m, lx->nc);
	m->of = rs;
	m->gen = rs->lex_gen;
}

static struct rule_meaning *
meaning_of(const struct rule_set *rs, struct rule_text *t)
{
	if (t->mean == NULL)
		t->mean = xcalloc(1, sizeof *t->mean);
	/* A reading for some concepts serves no one who asks for all; a
	   new text (rule_text_reset) forgets it, so a mask whose bits
	   change between texts is never compared by content. */
	if (t->mean->of != rs || t->mean->gen != rs->lex_gen ||
	    t->mean->nconcepts != rs->lex->nc || t->mean->only != t->only)
		build(t->mean, rs, t);
	return t->mean;
}

void
rule_meaning_forget(struct rule_text *t)
{
	if (t->mean != NULL)
		t->mean->of = NULL;
}

/* --- running a rule ------------------------------------------------------ */

/* First hit of concept c in clause k, or NONE. */
static size_t
hit_in_clause(const struct rule_meaning *m, size_t k, size_t c)
{
	size_t	lo = m->cl[k].h0, hi = m->cl[k].h1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->hit[mid].concept < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->cl[k].h1 && m->hit[lo].concept == c ? lo : NONE;
}

/* Earliest hit of any alternative of it in clause k ending by end. */
static size_t
item_before(const struct rule_meaning *m, size_t k, const struct rule_item *it,
    size_t end)
{
	size_t	a, h, best = NONE;

	for (a = 0; a < it->nalt; a++) {
		h = hit_in_clause(m, k, it->alt[a]);
		if (h != NONE && m->hit[h].end <= end &&
		    (best == NONE || m->hit[h].start < m->hit[best].start))
			best = h;
	}
	return best;
}

/*
 * Earliest hit of any alternative of it in clause k, or in the label or
 * the subject the clause is about; NONE if none.
 */
static size_t
item_in_clause(const struct rule_meaning *m, size_t k,
    const struct rule_item *it)
{
	size_t	best = item_before(m, k, it, NONE);

	if (best == NONE && m->cl[k].label_cl != NONE)
		/* the list label this clause is about ("`RefCell<T>`: ...") */
		best = item_before(m, m->cl[k].label_cl, it,
		    m->cl[m->cl[k].label_cl].label_end);
	if (best == NONE && m->cl[k].ante_cl != NONE)
		/* the subject its "it" stands for */
		best = item_before(m, m->cl[k].ante_cl, it, m->cl[k].ante_end);
	return best;
}

/* A hit of it in clause k that starts in [from, to), or NONE. */
static size_t
item_in_span(const struct rule_meaning *m, size_t k,
    const struct rule_item *it, size_t from, size_t to)
{
	size_t	a, h;

	for (a = 0; a < it->nalt; a++)
		for (h = hit_in_clause(m, k, it->alt[a]); h != NONE &&
		    h < m->cl[k].h1 && m->hit[h].concept == it->alt[a]; h++)
			if (m->hit[h].start >= from && m->hit[h].start < to)
				return h;
	return NONE;
}

/*
 * Is there a comma in s[from, to)?  A negation after one says another
 * thing ("it is released then, no unlock needed") and denies nothing
 * before it.
 */
static bool
comma_between(const char *s, size_t from, size_t to)
{
	return to > from && memchr(s + from, ',', to - from) != NULL;
}

/* Does a negation at `at` reaching to `end` deny what starts at pos? */
static bool
in_reach(size_t pos, size_t at, size_t end, bool at_neg)
{
	return at != NONE && (pos > at || (at_neg && pos == at)) && pos < end;
}

/*
 * Does clause k hold every item?  Where, and is the claim denied?  An
 * item that starts with the negation ("no overhead") counts as denied
 * when at_neg.
 */
static bool
conj_holds(const struct rule_meaning *m, size_t k, const struct rule_conj *cj,
    bool at_neg, const char *s, struct rule_range *at, bool *denied)
{
	const struct m_clause	*c = &m->cl[k];
	size_t			 i, h, k2;

	*denied = c->rejected;
	at->start = NONE;
	at->end = 0;
	for (i = 0; i < cj->nitems; i++) {
		if ((h = item_in_clause(m, k, &cj->items[i])) == NONE)
			return false;
		/* "deadlocks are not possible": "are" is no denial, but
		   "possible" is */
		if (at_neg && c->neg_at != NONE && (k2 = item_in_span(m, k,
		    &cj->items[i], c->neg_at, c->neg_end)) != NONE &&
		    !comma_between(s, m->hit[h].start, c->neg_at))
			h = k2;
		if (in_reach(m->hit[h].start, c->neg_at, c->neg_end, at_neg) ||
		    in_reach(m->hit[h].start, c->neg2_at, c->neg2_end, at_neg) ||
		    (c->neg_verb != NONE && m->hit[h].start == c->neg_verb &&
		    m->hit[h].end <= c->neg_at))	/* "costs nothing" is one */
			*denied = true;
		if (m->cl[m->hit[h].clause].sent != c->sent)
			continue;	/* what "it" stands for: not the claim */
		if (m->hit[h].start < at->start)
			at->start = m->hit[h].start;
		if (m->hit[h].end > at->end)
			at->end = m->hit[h].end;
	}
	return at->start != NONE;
}

/* Does clause i hold a veto other than concept skip? */
static bool
clause_vetoed_but(const struct rule_meaning *m, size_t i,
    const struct rule_item *none, size_t skip)
{
	size_t	a;

	for (a = 0; a < none->nalt; a++)
		if (none->alt[a] != skip &&
		    hit_in_clause(m, i, none->alt[a]) != NONE)
			return true;
	return false;
}

/* Does none list concept c? */
static bool
item_has(const struct rule_item *it, size_t c)
{
	size_t	a;

	for (a = 0; a < it->nalt; a++)
		if (it->alt[a] == c)
			return true;
	return false;
}

/*
 * Does a clause of clause k's sentence hold one of the vetoes?  A
 * negation vetoes only in the clause that makes the claim, and only when
 * its reach covers the claim: "threads keep running after main returns,
 * they just can't print" still claims it.
 */
static bool
sentence_vetoed(const struct rule_meaning *m, size_t k,
    const struct rule_item *none, size_t neg, const struct rule_range *claim)
{
	const struct m_clause	*c = &m->cl[k];
	size_t			 first = k, i;

	if (none->nalt == 0)
		return false;
	while (first > 0 && m->cl[first - 1].sent == m->cl[k].sent)
		first--;
	for (i = first; i < m->ncl && m->cl[i].sent == m->cl[k].sent; i++)
		if (clause_vetoed_but(m, i, none, neg))
			return true;
	/* what "it" stands for is read with its own sentence's vetoes */
	if (c->ante_cl != NONE && m->cl[c->ante_cl].sent != c->sent &&
	    clause_vetoed_but(m, c->ante_cl, none, neg))
		return true;
	/* a negation whose reach ("Without move, ...": to its comma) ends
	 * before the claim starts denies something else; so does a
	 * "without" whose object is no item of the claim ("`let` without
	 * mut is the same as const") */
	return item_has(none, neg) && ((c->neg_at != NONE &&
	    !c->neg_object && c->neg_at < claim->end &&
	    c->neg_end > claim->start) || (c->neg2_at != NONE &&
	    c->neg2_at < claim->end && c->neg2_end > claim->start));
}

static size_t
postings_count(const struct rule_meaning *m, const struct rule_item *it)
{
	size_t	a, n = 0;

	size_t	lo, hi;

	for (a = 0; a < it->nalt; a++) {
		post_range(m, it->alt[a], &lo, &hi);
		n += hi - lo;
	}
	return n;
}

static void
cand_push(struct rule_meaning *m, size_t k)
{
	if (m->ncand == m->cand_alloc) {
		m->cand_alloc = m->cand_alloc ? m->cand_alloc * 2 : 64;
		m->cand = xreallocarray(m->cand, m->cand_alloc,
		    sizeof *m->cand);
	}
	m->cand[m->ncand++] = k;
}

static int
compare_size(const void *a, const void *b)
{
	size_t	x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Clause k, and the clauses its list label or its subject is about:
 * those of its sentence and of the next.
 */
static void
cand_with_label(struct rule_meaning *m, size_t k)
{
	size_t	j;

	cand_push(m, k);
	for (j = k + 1; j < m->ncl && m->cl[j].sent <= m->cl[k].sent + 1;
	    j++)
		if (m->cl[j].label_cl == k || m->cl[j].ante_cl == k)
			cand_push(m, j);
}

/* The clauses that hold the rarest item of each "all:" line. */
static void
candidates(struct rule_meaning *m, const struct rule *r)
{
	const struct rule_item	*best;
	size_t			 i, k, a, lo, hi, n, best_n = 0;

	m->ncand = 0;
	for (i = 0; i < r->nall; i++) {
		best = NULL;
		for (k = 0; k < r->all[i].nitems; k++)
			if ((n = postings_count(m, &r->all[i].items[k])) <
			    best_n || best == NULL) {
				best = &r->all[i].items[k];
				best_n = n;
			}
		for (a = 0; best != NULL && a < best->nalt; a++) {
			post_range(m, best->alt[a], &lo, &hi);
			for (k = lo; k < hi; k++)
				cand_with_label(m, m->post[k].clause);
		}
	}
	if (m->ncand > 1)
		qsort(m->cand, m->ncand, sizeof *m->cand, compare_size);
}

#define NEG_NEAR	16	/* "... are not", "... will never be" */

static bool
clause_fires(const struct rule *r, const struct rule_meaning *m, size_t k,
    const char *s, struct rule_range *at)
{
	size_t	i;
	bool	denied;

	if (m->cl[k].question)
		return false;
	/*
	 * A stated claim must have no item after a negation; a denied one
	 * ("destructors are not run") needs one ("we know the failure won't
	 * happen, so we use unwrap" denies nothing of unwrap's use).
	 */
	for (i = 0; i < r->nall; i++) {
		if (!conj_holds(m, k, &r->all[i], r->negated, s, at, &denied))
			continue;
		if (r->negated && !denied && m->cl[k].neg_at != NONE &&
		    m->cl[k].neg_at >= at->end &&
		    m->cl[k].neg_at - at->end <= NEG_NEAR &&
		    !comma_between(s, at->end, m->cl[k].neg_at))
			denied = true;	/* "destructors are not run" */
		if (r->negated == denied)
			return true;
	}
	return false;
}

/* No "unless:" pattern and no shared veto in the sentence. */
static bool
sentence_patterns_pass(const struct rule_set *rs, const struct rule *r,
    struct rule_text *t, struct rule_range u)
{
	return !rule_pats_any(&r->unless, t, u.start, u.end) &&
	    !rule_pats_any(&rs->veto, t, u.start, u.end);
}

void
rule_meaning_run(const struct rule_set *rs, const struct rule *r,
    struct rule_text *t, rule_hit_fn fn, void *ud)
{
	struct rule_meaning	*m;
	struct rule_hit		 h;
	struct rule_range	 at;
	size_t			 i, k, last = NONE, vetoed = NONE;

	if (rs == NULL || rs->lex == NULL || !rs->lex->built || r->all == NULL)
		return;
	m = meaning_of(rs, t);
	candidates(m, r);
	for (i = 0; i < m->ncand; i++) {
		k = m->cand[i];
		if ((i > 0 && m->cand[i - 1] == k) || m->cl[k].sent == last ||
		    m->cl[k].sent == vetoed)
			continue;
		if (!clause_fires(r, m, k, buf_str(&t->text), &at))
			continue;
		h.unit = t->sent[m->cl[k].sent];
		/* each sentence is looked at once for its vetoes */
		if (sentence_vetoed(m, k, &r->none, rs->lex->neg, &at) ||
		    !sentence_patterns_pass(rs, r, t, h.unit)) {
			vetoed = m->cl[k].sent;
			continue;
		}
		h.match = at;
		h.in_code = false;
		last = m->cl[k].sent;
		fn(ud, &h);
	}
}

/* --- the share of a concept's words --------------------------------------- */

size_t
rule_text_words(const struct rule_set *rs, struct rule_text *t,
    const char *concept, size_t *of)
{
	const struct rule_lexicon	*lx;
	struct rule_meaning		*m;
	size_t				 c, i, k = 0, p, n = 0, hits = 0;

	*of = 0;
	if (rs == NULL || (lx = rs->lex) == NULL || !lx->built ||
	    (c = rule_concept_find(lx, concept)) == RULE_NO_CONCEPT)
		return 0;
	m = meaning_of(rs, t);
	for (i = 0; i < m->ntok; i++) {		/* words outside code */
		while (k < t->ncode && t->code[k].end <= m->tok[i].start)
			k++;
		if (k < t->ncode && t->code[k].start <= m->tok[i].start)
			continue;
		n++;
		/* one-word entries of the concept, looked up by stem */
		for (p = rule_phrase_first(lx, m->tok[i].stem); p < lx->nphr &&
		    lx->phr[p].hash == m->tok[i].stem; p++)
			if (lx->e[lx->phr[p].entry].concept == c &&
			    lx->e[lx->phr[p].entry].nstems == 1) {
				hits++;
				break;
			}
	}
	*of = n;
	return hits;
}
