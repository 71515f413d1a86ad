/*
 * rules_match.c - running rules and scope terms over a text.  A rule fires
 * on a unit (sentence, paragraph or line) where all its patterns match and
 * none of its vetoes does; a scope term fires on every occurrence, unless
 * its sentence defers it ("more on that later").  Rules that list "needs"
 * words are tried only in units where one of them stands.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"

/* A code span this short is quoted whole, backticks included. */
#define SPAN_QUOTE_MAX	40

/* --- rules --------------------------------------------------------------- */

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
		if (!rule_is_word_byte(s[i])) {
			i++;
			continue;
		}
		for (w = i; w < len && rule_is_word_byte(s[w]); w++)
			;
		c = rule_lower(s[i]);
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
		if (units[u].end <= o->v[k] && (u = rule_unit_at(units + u,
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
static void
run_patterns(const struct rule_set *rs, const struct rule *r,
    struct rule_text *t, rule_hit_fn fn, void *ud)
{
	const struct rule_range	*units;
	struct rule_range	 all, m;
	struct rule_hit		 h;
	size_t			 n, u = 0, pos = 0;

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

struct hit_list {
	struct rule_hit	*v;
	size_t		 n, alloc;
};

static void
collect_hit(void *ud, const struct rule_hit *h)
{
	struct hit_list	*l = ud;

	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 16;
		l->v = xreallocarray(l->v, l->alloc, sizeof *l->v);
	}
	l->v[l->n++] = *h;
}

static bool
units_overlap(const struct rule_hit *a, const struct rule_hit *b)
{
	return a->unit.start < b->unit.end && b->unit.start < a->unit.end;
}

/*
 * A rule with "all:" lines and "match:" patterns fires where either
 * does; a unit both find is reported once, and hits come in text order.
 */
static void
run_both(const struct rule_set *rs, const struct rule *r, struct rule_text *t,
    rule_hit_fn fn, void *ud)
{
	struct hit_list	a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	size_t		i = 0, k = 0;

	rule_meaning_run(rs, r, t, collect_hit, &a);
	run_patterns(rs, r, t, collect_hit, &b);
	while (i < a.n || k < b.n) {
		if (k < b.n && i < a.n && units_overlap(&a.v[i], &b.v[k]))
			k++;		/* the same claim, found twice */
		else if (k == b.n || (i < a.n &&
		    a.v[i].match.start <= b.v[k].match.start))
			fn(ud, &a.v[i++]);
		else
			fn(ud, &b.v[k++]);
	}
	free(a.v);
	free(b.v);
}

void
rule_run(const struct rule_set *rs, const struct rule *r, struct rule_text *t,
    rule_hit_fn fn, void *ud)
{
	if (r->disabled || (r->match.n == 0 && r->nall == 0))
		return;
	if (r->nall > 0 && r->match.n > 0)
		run_both(rs, r, t, fn, ud);
	else if (r->nall > 0)
		rule_meaning_run(rs, r, t, fn, ud);
	else
		run_patterns(rs, r, t, fn, ud);
}

/* --- scope terms --------------------------------------------------------- */

static const struct rule_range *
code_span_at(const struct rule_text *t, size_t off)
{
	size_t	i = rule_unit_at(t->code, t->ncode, off);

	if (i < t->ncode && t->code[i].start <= off)
		return &t->code[i];
	return NULL;
}

/*
 * Whether the sentence a term stands in vetoes or defers it, asked once
 * per sentence: a sentence that names the term a thousand times is
 * searched for its vetoes once, not a thousand times.
 */
struct veto_memo {
	size_t	unit;		/* index of the sentence asked about */
	bool	known;
	bool	vetoed;		/* by one of the term's "unless" patterns */
	bool	deferred;	/* "more on that later" */
	/* A deferral speaks of what is near it, or of what its parentheses
	 * hold: "the owner frees it (details in the next note)" still
	 * explains ownership. */
	size_t	defer_from, defer_to;
};

#define DEFER_REACH	60	/* bytes either side a deferral excuses */

/*
 * The parentheses around [ms, me) within [start, end), else the words
 * near it: "Side note for later: map and filter are lazy, ... and the
 * closures are a chapter of their own" explains what it puts off.
 */
static void
paren_around(const char *s, size_t start, size_t end, size_t ms, size_t me,
    size_t *from, size_t *to)
{
	size_t	i, open = SIZE_MAX, close = SIZE_MAX;

	*from = ms > start + DEFER_REACH ? ms - DEFER_REACH : start;
	*to = me + DEFER_REACH < end ? me + DEFER_REACH : end;
	for (i = ms; i > start; i--) {
		if (s[i - 1] == ')')
			return;
		if (s[i - 1] == '(') {
			open = i - 1;
			break;
		}
	}
	for (i = me; open != SIZE_MAX && i < end; i++) {
		if (s[i] == '(')
			return;
		if (s[i] == ')') {
			close = i + 1;
			break;
		}
	}
	if (open != SIZE_MAX && close != SIZE_MAX) {
		*from = open;
		*to = close;
	}
}

/* Does a deferral stand in sentence r?  Where does it reach? */
static bool
find_deferral(const struct rule_set *rs, struct rule_text *t,
    struct rule_range r, struct veto_memo *vm)
{
	struct rule_range	m;
	size_t			i;

	for (i = 0; rs != NULL && i < rs->defer.n; i++)
		if (rule_pat_find(rs->defer.v[i], t, r.start, r.end, &m)) {
			paren_around(buf_str(&t->text), r.start, r.end,
			    m.start, m.end, &vm->defer_from, &vm->defer_to);
			return true;
		}
	return false;
}

/*
 * A deferral excuses naming a subject ("borrowing comes next"), not
 * writing its syntax: "`&String` lets a function look (next chapter)"
 * already uses the reference it puts off.
 */
static bool
unit_vetoed(const struct rule_set *rs, const struct rule_term *tm,
    struct rule_text *t, size_t u, bool syntax, struct rule_range m,
    struct veto_memo *vm)
{
	struct rule_range	r = t->sent[u];

	if (!vm->known || vm->unit != u) {
		vm->unit = u;
		vm->known = true;
		vm->vetoed = rule_pats_any(&tm->unless, t, r.start, r.end);
		vm->deferred = find_deferral(rs, t, r, vm);
	}
	return vm->vetoed || (vm->deferred && !syntax &&
	    m.start >= vm->defer_from && m.end <= vm->defer_to);
}

static void
term_report(const struct rule_set *rs, const struct rule_term *tm,
    struct rule_text *t, bool code, bool syntax, struct rule_range m,
    struct veto_memo *vm, rule_hit_fn fn, void *ud)
{
	const struct rule_range	*span, *units = code ? t->lines : t->sent;
	struct rule_hit		 h;
	size_t			 n = code ? t->nlines : t->nsent, u;

	if ((u = rule_unit_at(units, n, m.start)) == n)
		return;
	h.unit = units[u];
	h.match = m;
	h.in_code = code;
	if (!code) {
		if (unit_vetoed(rs, tm, t, u, syntax, m, vm))
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

/* syntax: ps are the term's "code" patterns, here run on inline code. */
static void
term_search(const struct rule_set *rs, const struct rule_term *tm,
    const struct rule_pats *ps, struct rule_text *t, bool code,
    bool syntax, struct rule_range within, struct veto_memo *vm,
    rule_hit_fn fn, void *ud)
{
	struct rule_range	m;
	size_t			i, pos;

	for (i = 0; i < ps->n; i++) {
		pos = within.start;
		while (rule_pat_find(ps->v[i], t, pos, within.end, &m)) {
			term_report(rs, tm, t, code, syntax, m, vm, fn, ud);
			pos = m.end > m.start ? m.end : m.start + 1;
		}
	}
}

void
rule_term_run(const struct rule_set *rs, const struct rule_term *tm,
    struct rule_text *t, bool code, rule_hit_fn fn, void *ud)
{
	struct rule_range	all = { 0, t->text.len };
	struct veto_memo	vm = { 0, false, false, false, 0, 0 };
	size_t			c;

	if (code) {
		term_search(rs, tm, &tm->code, t, true, true, all, &vm, fn,
		    ud);
		return;
	}
	term_search(rs, tm, &tm->word, t, false, false, all, &vm, fn, ud);
	for (c = 0; c < t->ncode; c++)
		term_search(rs, tm, &tm->code, t, false, true, t->code[c], &vm,
		    fn, ud);
}

/* --- one example at a time ----------------------------------------------- */

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
rule_fires_in(const struct rule_set *rs, const struct rule *r,
    const struct rule_term *tm, const char *text, struct rule_text *t)
{
	size_t	hits = 0;

	if (!utf8_valid(text, strlen(text), NULL, NULL))
		return false;
	rule_text_reset(t);
	text_from_string(t, text);
	if (r != NULL)
		rule_run(rs, r, t, count_hit, &hits);
	else
		rule_term_run(rs, tm, t, false, count_hit, &hits);
	return hits > 0;
}

/* Does r, or else tm, fire on text read as one paragraph? */
static bool
fires_on(const struct rule_set *rs, const struct rule *r,
    const struct rule_term *tm, const char *text)
{
	struct rule_text	t;
	bool			fired;

	rule_text_init(&t);
	fired = rule_fires_in(rs, r, tm, text, &t);
	rule_text_free(&t);
	return fired;
}

bool
rule_fires(const struct rule_set *rs, const struct rule *r, const char *text)
{
	return fires_on(rs, r, NULL, text);
}

bool
rule_term_fires(const struct rule_set *rs, const struct rule_term *tm,
    const char *text)
{
	return fires_on(rs, NULL, tm, text);
}

/* --- the "needs" index --------------------------------------------------- */

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
void
rules_build_triggers(struct rule_set *rs)
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
