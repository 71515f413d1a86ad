/*
 * rules_lits.c - the literals a PCRE2 pattern cannot match without.  Most
 * patterns of the rule files name words ("\bstack\b[^.;!?]{0,80}\bcloser
 * to ..."), and most notes hold none of a given rule's words: reading the
 * pattern once for the characters any match must contain lets a search
 * of a text that lacks them be skipped without running PCRE2 at all.
 *
 * What is read is a list of branches (the pattern's top-level
 * alternatives), each a list of clauses, each a set of literals: a match
 * needs, in some branch, one literal of every clause.  Literals are ASCII
 * in lower case (the patterns are caseless); anything this reader does
 * not follow fully makes it give up, and a pattern it gave up on is
 * always searched.  rules_grams.c asks a text for the literals.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/util.h"
#include "rules_int.h"

#define SET_MAX		24	/* literals in a set */
#define LIT_MAX		16	/* bytes of a literal */
#define CLAUSES_MAX	6	/* per branch; the longest literals are kept */
#define BRANCHES_MAX	32
#define DEPTH_MAX	16	/* nested groups followed */

/* A set of strings, or "any": none known. */
struct lset {
	bool		any;
	size_t		n;
	unsigned char	len[SET_MAX];
	char		s[SET_MAX][LIT_MAX];
};

/* What is known of a part of a pattern. */
struct info {
	struct lset	exact;		/* all it can match, when few */
	struct lset	req[CLAUSES_MAX];	/* one of each: in any match */
	size_t		nreq;
};

struct reader {
	const char	*p;
	size_t		 at, end;
	bool		 failed;	/* a construct not followed: give up */
};

/* --- sets ------------------------------------------------------------------ */

static void
set_any(struct lset *s)
{
	s->any = true;
	s->n = 0;
}

static void
set_one(struct lset *s, const char *str, size_t len)
{
	s->any = false;
	s->n = 1;
	s->len[0] = (unsigned char)len;
	memcpy(s->s[0], str, len);
}

static bool
set_has(const struct lset *s, const char *str, size_t len)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->len[i] == len && memcmp(s->s[i], str, len) == 0)
			return true;
	return false;
}

/* Add a string to s; s becomes "any" when it would hold too many. */
static void
set_add(struct lset *s, const char *str, size_t len)
{
	if (s->any || set_has(s, str, len))
		return;
	if (s->n == SET_MAX || len > LIT_MAX) {
		set_any(s);
		return;
	}
	s->len[s->n] = (unsigned char)len;
	memcpy(s->s[s->n++], str, len);
}

static void
set_union(struct lset *a, const struct lset *b)
{
	size_t	i;

	if (b->any) {
		set_any(a);
		return;
	}
	for (i = 0; i < b->n && !a->any; i++)
		set_add(a, b->s[i], b->len[i]);
}

/* Each string of a followed by the one string of b, in place. */
static bool
set_append_one(struct lset *a, const char *str, size_t len)
{
	size_t	i;

	for (i = 0; i < a->n; i++)
		if (a->len[i] + len > LIT_MAX)
			return false;
	for (i = 0; i < a->n; i++) {
		memcpy(a->s[i] + a->len[i], str, len);
		a->len[i] += (unsigned char)len;
	}
	return true;	/* distinct strings stay distinct */
}

/* a followed by b, every way; false (a untouched) when too many or long. */
static bool
set_concat(struct lset *a, const struct lset *b)
{
	struct lset	out;
	char		buf[2 * LIT_MAX];
	size_t		i, k;

	if (a->any || b->any || a->n * b->n > SET_MAX)
		return false;
	if (b->n == 1)
		return set_append_one(a, b->s[0], b->len[0]);
	out.any = false;
	out.n = 0;
	for (i = 0; i < a->n; i++)
		for (k = 0; k < b->n; k++) {
			if (a->len[i] + b->len[k] > LIT_MAX)
				return false;
			memcpy(buf, a->s[i], a->len[i]);
			memcpy(buf + a->len[i], b->s[k], b->len[k]);
			set_add(&out, buf, a->len[i] + b->len[k]);
		}
	*a = out;
	return true;
}

/* The length of its shortest string: how much a set tells apart. */
static size_t
set_strength(const struct lset *s)
{
	size_t	i, min = LIT_MAX + 1;

	if (s->any || s->n == 0)
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->len[i] < min)
			min = s->len[i];
	return min;
}

/* --- clauses ---------------------------------------------------------------- */

/* Does a hold b? */
static bool
holds(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	for (i = 0; i + blen <= alen; i++)
		if (memcmp(a + i, b, blen) == 0)
			return true;
	return false;
}

/*
 * A clause needs one of its literals: one that holds another of them
 * ("loads", "load") adds nothing, and goes.
 */
static void
clause_reduce(struct lset *c)
{
	size_t	i, k, o = 0;

	for (i = 0; i < c->n; i++) {
		for (k = 0; k < c->n; k++)
			if (k != i && holds(c->s[i], c->len[i], c->s[k],
			    c->len[k]) && (c->len[k] < c->len[i] || k < i))
				break;
		if (k < c->n)
			continue;
		if (o != i) {
			memcpy(c->s[o], c->s[i], c->len[i]);
			c->len[o] = c->len[i];
		}
		o++;
	}
	c->n = o;
}

/* Keep clause c, dropping the weakest if full. */
static void
req_add(struct info *in, const struct lset *c)
{
	size_t	i, weakest = 0;

	if (set_strength(c) == 0)
		return;
	if (in->nreq < CLAUSES_MAX) {
		in->req[in->nreq] = *c;
		clause_reduce(&in->req[in->nreq++]);
		return;
	}
	for (i = 1; i < in->nreq; i++)
		if (set_strength(&in->req[i]) < set_strength(&in->req[weakest]))
			weakest = i;
	if (set_strength(c) > set_strength(&in->req[weakest])) {
		in->req[weakest] = *c;
		clause_reduce(&in->req[weakest]);
	}
}

/* The clause of in that tells most apart, or NULL. */
static const struct lset *
req_best(const struct info *in)
{
	const struct lset	*best = NULL;
	size_t			 i;

	for (i = 0; i < in->nreq; i++)
		if (best == NULL || set_strength(&in->req[i]) >
		    set_strength(best) || (set_strength(&in->req[i]) ==
		    set_strength(best) && in->req[i].n < best->n))
			best = &in->req[i];
	return best;
}

static void
info_empty(struct info *in)
{
	set_one(&in->exact, "", 0);
	in->nreq = 0;
}

static void
info_unknown(struct info *in)
{
	set_any(&in->exact);
	in->nreq = 0;
}

/* --- reading the pattern ------------------------------------------------------ */

static bool
at_end(const struct reader *r)
{
	return r->at >= r->end;
}

static char
peek(const struct reader *r, size_t ahead)
{
	return r->at + ahead < r->end ? r->p[r->at + ahead] : '\0';
}

static void
fail(struct reader *r)
{
	r->failed = true;
	r->at = r->end;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum_ascii(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A literal byte, as it is kept: letters in lower case. */
static void
info_char(struct info *in, char c)
{
	char	low = (char)rule_lower((unsigned char)c);

	set_one(&in->exact, &low, 1);
	in->nreq = 0;
}

static void parse_alt(struct reader *r, int depth, struct info *out);

/* After a backslash.  Escapes this reader does not follow give up. */
static void
parse_escape(struct reader *r, struct info *in)
{
	char	c = peek(r, 0);

	r->at++;
	if (c == '\0')
		fail(r);
	else if ((unsigned char)c >= 0x80)
		fail(r);
	else if (!is_alnum_ascii(c))
		info_char(in, c);		/* \. \( \\ \- ... */
	else if (strchr("bBAzZGK", c) != NULL)
		info_empty(in);			/* assertions: match no text */
	else if (strchr("dDwWsShHvVNRXtnrfea", c) != NULL)
		info_unknown(in);
	else
		fail(r);	/* \x, \p, \Q, back references, octal, ... */
}

/* The byte c of a class, in lower case, into s. */
static void
class_add(struct lset *s, unsigned char c)
{
	char	low = (char)rule_lower(c);

	set_add(s, &low, 1);
}

/* A class "[...]" after its "[": a few plain characters, or unknown. */
static void
parse_class(struct reader *r, struct info *in)
{
	struct lset	s = { false, 0, { 0 }, { { 0 } } };
	unsigned char	c, prev = 0, hi;
	bool		first = true, have_prev = false;

	if (peek(r, 0) == '^') {
		set_any(&s);		/* what it excludes tells nothing */
		r->at++;
	}
	for (;;) {
		if (at_end(r)) {
			fail(r);
			return;
		}
		c = (unsigned char)r->p[r->at++];
		if (c == ']' && !first)
			break;
		first = false;
		if (c == '[' && peek(r, 0) != '\0' &&
		    strchr(":.=", peek(r, 0)) != NULL) {
			fail(r);	/* [:alpha:] and the like */
			return;
		}
		if (c == '\\') {
			c = (unsigned char)peek(r, 0);
			r->at++;
			if (c == 0 || c >= 0x80 || (is_alnum_ascii((char)c) &&
			    strchr("dDwWsShHvVN", (char)c) == NULL)) {
				fail(r);	/* \x41, \p{L}, \n: not followed */
				return;
			}
			if (is_alnum_ascii((char)c)) {
				set_any(&s);	/* \d, \w, \s: many */
				have_prev = false;
				continue;
			}
		} else if (c == '-' && have_prev && peek(r, 0) != ']' &&
		    !at_end(r)) {
			hi = (unsigned char)r->p[r->at++];
			if (hi == '\\' || hi == '[' || hi >= 0x80 || hi < prev) {
				fail(r);
				return;
			}
			if (hi - prev > 3)
				set_any(&s);
			for (c = prev; !s.any && c <= hi; c++)
				class_add(&s, c);
			have_prev = false;
			continue;
		}
		if (c >= 0x80)
			set_any(&s);	/* part of a character not in ASCII */
		else
			class_add(&s, c);
		prev = c;
		have_prev = true;
	}
	in->exact = s;
	in->nreq = 0;
}

/* Inline options "(?i-s)" or "(?i:": extended syntax is not followed. */
static bool
read_options(struct reader *r)
{
	char	c;

	while (!at_end(r)) {
		c = r->p[r->at];
		if (c == ')' || c == ':')
			return true;
		if (c == 'x' || !(c == '-' || c == 'i' || c == 's' ||
		    c == 'm' || c == 'n' || c == 'U' || c == 'J')) {
			fail(r);
			return false;
		}
		r->at++;
	}
	fail(r);
	return false;
}

/* A group after its "(": its inside, or nothing for an assertion. */
static void
parse_group(struct reader *r, int depth, struct info *in)
{
	bool	look = false;

	if (depth >= DEPTH_MAX) {
		fail(r);
		return;
	}
	if (peek(r, 0) == '*') {
		fail(r);			/* (*VERB) */
		return;
	}
	if (peek(r, 0) == '?') {
		r->at++;
		if (peek(r, 0) == ':' || peek(r, 0) == '>' || peek(r, 0) == '|')
			r->at++;
		else if (peek(r, 0) == '=' || peek(r, 0) == '!') {
			r->at++;
			look = true;
		} else if (peek(r, 0) == '<' && (peek(r, 1) == '=' ||
		    peek(r, 1) == '!')) {
			r->at += 2;
			look = true;
		} else if ((peek(r, 0) == '<' || peek(r, 0) == 'P') &&
		    is_alnum_ascii(peek(r, peek(r, 0) == 'P' ? 2 : 1)) &&
		    (peek(r, 0) != 'P' || peek(r, 1) == '<')) {
			while (!at_end(r) && r->p[r->at] != '>')
				r->at++;	/* a named group */
			r->at++;
		} else if (read_options(r)) {
			if (r->p[r->at++] == ')') {
				info_empty(in);	/* (?i): matches no text */
				return;
			}
		}
		if (r->failed)
			return;
	}
	parse_alt(r, depth + 1, in);
	if (peek(r, 0) != ')') {
		fail(r);
		return;
	}
	r->at++;
	if (look)
		info_empty(in);		/* what it looks at is not matched */
}

/* One atom: a character, an escape, a class, a group, an assertion. */
static void
parse_atom(struct reader *r, int depth, struct info *in)
{
	unsigned char	c = (unsigned char)r->p[r->at++];

	if (c == '\\')
		parse_escape(r, in);
	else if (c == '[')
		parse_class(r, in);
	else if (c == '(')
		parse_group(r, depth, in);
	else if (c == '^' || c == '$')
		info_empty(in);
	else if (c == '.')
		info_unknown(in);
	else if (c >= 0x80) {
		while (!at_end(r) && ((unsigned char)r->p[r->at] & 0xc0) ==
		    0x80)
			r->at++;	/* the rest of the character */
		info_unknown(in);
	} else if (c == '*' || c == '+' || c == '?' || c == '{')
		fail(r);		/* a quantifier with nothing before it */
	else
		info_char(in, (char)c);
}

static size_t
read_number(struct reader *r)
{
	size_t	n = 0;

	while (is_digit(peek(r, 0)) && n < 100000)
		n = n * 10 + (size_t)(r->p[r->at++] - '0');
	return n;
}

/*
 * A quantifier after an atom, if any: *min and *max (SIZE_MAX for no
 * limit).  Only "{n}", "{n,}" and "{n,m}" are read as counts; any other
 * "{" gives up, as PCRE2 versions differ on "{,n}".
 */
static bool
parse_quantifier(struct reader *r, size_t *min, size_t *max)
{
	char	c = peek(r, 0);

	if (c == '*' || c == '+' || c == '?') {
		*min = c == '+';
		*max = c == '?' ? 1 : SIZE_MAX;
		r->at++;
	} else if (c == '{') {
		r->at++;
		if (!is_digit(peek(r, 0))) {
			fail(r);
			return false;
		}
		*min = *max = read_number(r);
		if (peek(r, 0) == ',') {
			r->at++;
			*max = is_digit(peek(r, 0)) ? read_number(r) : SIZE_MAX;
		}
		if (peek(r, 0) != '}' || *max < *min) {
			fail(r);
			return false;
		}
		r->at++;
	} else
		return false;
	if (peek(r, 0) == '?' || peek(r, 0) == '+')
		r->at++;		/* lazy or possessive: same texts */
	return true;
}

/* The sequence so far ends: its literal run becomes a clause. */
static void
flush_run(struct info *seq, struct lset *run)
{
	if (!set_has(run, "", 0))
		req_add(seq, run);
	set_one(run, "", 0);
}

static void
take_clauses(struct info *seq, const struct info *atom)
{
	size_t	i;

	for (i = 0; i < atom->nreq; i++)
		req_add(seq, &atom->req[i]);
}

/*
 * An atom repeated min to max times, after the run so far: a fixed count
 * of a few strings goes on with the run; at least once, its clauses hold
 * and the run goes on into its first and out of its last repeat.
 */
static void
seq_repeat(struct info *seq, struct lset *run, bool *exact,
    const struct info *atom, size_t min, size_t max)
{
	struct lset	rep, opt;
	size_t		i;

	if (min == max && min <= 3 && !atom->exact.any) {
		set_one(&rep, "", 0);
		for (i = 0; i < min && !rep.any; i++)
			if (!set_concat(&rep, &atom->exact))
				set_any(&rep);
		if (!rep.any && set_concat(run, &rep))
			return;
	}
	if (min == 0 && max == 1 && !atom->exact.any) {
		opt = atom->exact;		/* "s?": "" or "s" */
		set_add(&opt, "", 0);
		if (!opt.any && set_concat(run, &opt))
			return;
	}
	*exact = false;
	if (min == 0) {
		flush_run(seq, run);
		return;
	}
	take_clauses(seq, atom);
	if (!atom->exact.any && set_concat(run, &atom->exact)) {
		flush_run(seq, run);
		*run = atom->exact;
		return;
	}
	flush_run(seq, run);
}

/* Atoms up to "|", ")" or the end. */
static void
parse_seq(struct reader *r, int depth, struct info *seq)
{
	struct info	atom;
	struct lset	run;
	size_t		min, max;
	bool		exact = true;

	seq->nreq = 0;
	set_one(&run, "", 0);
	while (!at_end(r) && peek(r, 0) != '|' && peek(r, 0) != ')') {
		parse_atom(r, depth, &atom);
		if (r->failed)
			return;
		if (parse_quantifier(r, &min, &max))
			seq_repeat(seq, &run, &exact, &atom, min, max);
		else if (!set_concat(&run, &atom.exact)) {
			exact = false;
			flush_run(seq, &run);
			take_clauses(seq, &atom);
			if (!atom.exact.any)
				run = atom.exact;
		}
		if (r->failed)
			return;
	}
	if (exact)
		seq->exact = run;
	else
		set_any(&seq->exact);
	flush_run(seq, &run);
}

/*
 * Alternatives: what every one of them can match, and one clause made of
 * each one's best.
 */
static void
parse_alt(struct reader *r, int depth, struct info *out)
{
	struct info		 branch;
	struct lset		 any_of;
	const struct lset	*best;
	bool			 first = true, clause = true;

	out->nreq = 0;
	set_one(&any_of, "", 0);
	any_of.n = 0;
	for (;;) {
		parse_seq(r, depth, &branch);
		if (r->failed)
			return;
		if (first)
			out->exact = branch.exact;
		else
			set_union(&out->exact, &branch.exact);
		if ((best = req_best(&branch)) == NULL)
			clause = false;
		else
			set_union(&any_of, best);
		first = false;
		if (peek(r, 0) != '|')
			break;
		r->at++;
	}
	if (clause)
		req_add(out, &any_of);
}

/* --- the pattern's branches ------------------------------------------------- */

/* Past the class "[...]" whose "[" is at p[at], or 0 if it does not end. */
static size_t
skip_class(const char *p, size_t at, size_t end)
{
	size_t	i = at + 1;

	if (i < end && p[i] == '^')
		i++;
	if (i < end && p[i] == ']')
		i++;			/* "[]...]": a ']' first is literal */
	for (; i < end; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[' && i + 1 < end && p[i + 1] == ':')
			return 0;	/* [:alpha:]: left to the full reader */
		else if (p[i] == ']')
			return i + 1;
	}
	return 0;
}

/*
 * Past the group "(?:...)" that starts at p[at], or 0: a branch that is
 * one group (the "(?:...)" of a joined "match:" and "or:") is read as its
 * own alternatives.  Only escapes, classes and parentheses are followed
 * here; what the group holds is read (and checked) by the reader after.
 */
static size_t
group_end(const char *p, size_t at, size_t end)
{
	size_t	i, depth = 0;

	if (end - at < 3 || p[at] != '(' || p[at + 1] != '?' ||
	    p[at + 2] != ':')
		return 0;
	for (i = at; i < end; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '[') {
			if ((i = skip_class(p, i, end)) == 0)
				return 0;
			i--;
		} else if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			return i + 1;
	}
	return 0;
}

/* Bytes s[0, n) (1 to 4) as the run of a text rules_grams.c sets. */
static uint32_t
gram_at(const char *s, size_t n)
{
	uint32_t	w = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		w = w << 8 | (unsigned char)s[i];
	return w;
}

/* A byte a clause's literal may start with in a text, if still few. */
static void
starts_add(struct rule_lits_clause *cl, unsigned char b)
{
	if (cl->nstarts <= RULE_LITS_STARTS - 1)
		cl->starts[cl->nstarts] = b;
	if (cl->nstarts <= RULE_LITS_STARTS)
		cl->nstarts++;		/* past RULE_LITS_STARTS: too many */
}

static void
lits_add_clause(struct rule_lits *l, const struct lset *c)
{
	struct rule_lits_clause	*cl;
	size_t			 i, len = 0;
	unsigned char		 b;

	for (i = 0; i < c->n; i++)
		len += c->len[i];
	l->buf = xrealloc(l->buf, l->buf_len + len);
	l->lit = xreallocarray(l->lit, l->nlit + c->n, sizeof *l->lit);
	l->clause = xreallocarray(l->clause, l->nclause + 1,
	    sizeof *l->clause);
	cl = &l->clause[l->nclause++];
	memset(cl, 0, sizeof *cl);
	for (i = 0; i < c->n; i++) {
		memcpy(l->buf + l->buf_len, c->s[i], c->len[i]);
		l->lit[l->nlit].off = (uint32_t)l->buf_len;
		l->lit[l->nlit].head = gram_at(c->s[i], c->len[i] < 4 ?
		    c->len[i] : 4);
		l->lit[l->nlit].tail = c->len[i] < 4 ? 0 :
		    gram_at(c->s[i] + c->len[i] - 4, 4);
		l->lit[l->nlit++].len = c->len[i];
		l->buf_len += c->len[i];
		b = (unsigned char)c->s[i][0];
		if ((cl->first[b / 64] >> (b % 64) & 1) == 0) {
			starts_add(cl, b);
			if (b >= 'a' && b <= 'z')
				starts_add(cl, (unsigned char)(b - 'a' + 'A'));
		}
		cl->first[b / 64] |= (uint64_t)1 << (b % 64);
	}
	cl->end = (uint32_t)l->nlit;
}

/* One branch's clauses; false when it has none (it may match anything). */
static bool
lits_add_branch(struct rule_lits *l, const struct info *in)
{
	size_t	i;

	if (in->nreq == 0)
		return false;
	for (i = 0; i < in->nreq; i++)
		lits_add_clause(l, &in->req[i]);
	l->branch_end = xreallocarray(l->branch_end, l->nbranch + 1,
	    sizeof *l->branch_end);
	l->branch_end[l->nbranch++] = (uint32_t)l->nclause;
	return true;
}

/* The alternatives of p[at, end), each read on its own, into l. */
static bool
read_branches(struct rule_lits *l, const char *p, size_t at, size_t end,
    int depth)
{
	struct reader	r = { p, at, end, false };
	struct info	in;
	size_t		start, g;

	for (;;) {
		start = r.at;
		if (l->nbranch >= BRANCHES_MAX)
			return false;
		g = group_end(p, start, end);
		if (g != 0 && (g == end || p[g] == '|') && depth < DEPTH_MAX) {
			if (!read_branches(l, p, start + 3, g - 1, depth + 1))
				return false;
			r.at = g;
		} else {
			parse_seq(&r, depth, &in);
			if (r.failed || !lits_add_branch(l, &in))
				return false;
		}
		if (at_end(&r))
			return true;
		if (peek(&r, 0) != '|')
			return false;		/* an unmatched ")" */
		r.at++;
	}
}

void
rule_lits_free(struct rule_lits *l)
{
	free(l->buf);
	free(l->lit);
	free(l->clause);
	free(l->branch_end);
	memset(l, 0, sizeof *l);
}

/* Which reading of a pattern a text has kept an answer for (rules_grams.c). */
static atomic_uint_fast64_t lits_serial;

void
rule_lits_read(struct rule_lits *l, const char *re)
{
	memset(l, 0, sizeof *l);
	if (!read_branches(l, re, 0, strlen(re), 0))
		rule_lits_free(l);	/* nothing known: always searched */
	l->serial = (uint64_t)atomic_fetch_add(&lits_serial, 1) + 1;
}
