/*
 * rules_grams.c - whether a text holds the literals a pattern cannot
 * match without (rules_lits.c), asked before each search so that PCRE2
 * runs only where a match is possible.
 *
 * A text is read once, on its first search, into bit sets of its bytes
 * and of the hashes of its 2-, 3- and 4-byte runs in lower case, sized to
 * the text: a literal with a run not in them is not in the text.  A bit may
 * stand for runs the text does not hold, so a literal may pass that is
 * not there: then the pattern is searched, as it would have been anyway.
 * A search within a short range of a long text (a sentence of a note)
 * also looks for the literals in the range.
 *
 * PCRE2 matches an ASCII "k" or "s" caseless with the Kelvin sign and the
 * long s; a text with those (or a dotted or dotless i) is always searched.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"

#define GRAM_BITS_MIN	10	/* a set has 2^10 bits or more, */
#define GRAM_BITS_MAX	20	/* ... 2^20 at most, */
#define GRAM_SPARSE	16	/* ... 16 per byte of text if it can */
#define LONG_TEXT	2048	/* a range of a text this long ... */
#define RANGE_SCAN_MAX	512	/* ... is looked through, if this short */

/*
 * Which branches of a pattern the sets allow is asked again for every
 * sentence of a long text: it is kept, by the serial number of the
 * pattern's reading, which no other reading ever has.
 */
struct gram_memo {
	uint64_t	serial;		/* 0: free */
	uint32_t	met;		/* branch b allowed: bit b */
};

struct rule_grams {
	uint64_t	 g1[4];		/* bytes: a bit each */
	uint64_t	*g2, *g3, *g4;	/* runs of 2, 3 and 4 bytes, hashed */
	size_t		 words;		/* of each of those */
	unsigned	 bits;		/* log2 of the bits of each */
	bool		 traps;		/* characters caseless ASCII misses */
	struct gram_memo *memo;		/* open addressing, at most half full */
	size_t		 memo_cap, memo_n;
};

static inline uint32_t
gram_slot(uint32_t g, unsigned bits)
{
	return (uint32_t)(g * 2654435761u) >> (32 - bits);
}

static inline bool
bit_has(const uint64_t *v, uint32_t i)
{
	return (v[i / 64] >> (i % 64) & 1) != 0;
}

/* Does s[0, n) hold a character that an ASCII letter matches caseless? */
static bool
has_traps(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s, *end = u + n;

	for (; u < end; u++) {
		if (*u < 0xc4)
			continue;
		if (end - u >= 2 && ((u[0] == 0xc4 && (u[1] == 0xb0 ||
		    u[1] == 0xb1)) || (u[0] == 0xc5 && u[1] == 0xbf)))
			return true;	/* İ ı ſ */
		if (end - u >= 3 && u[0] == 0xe2 && u[1] == 0x84 &&
		    u[2] == 0xaa)
			return true;	/* the Kelvin sign */
	}
	return false;
}

/* The bits of a text's sets: few for a sentence, more for a note. */
static unsigned
bits_for(size_t len)
{
	unsigned	bits = GRAM_BITS_MIN;

	while (bits < GRAM_BITS_MAX && ((size_t)1 << bits) < len * GRAM_SPARSE)
		bits++;
	return bits;
}

static void
bit_set(uint64_t *v, uint32_t i)
{
	v[i / 64] |= (uint64_t)1 << (i % 64);
}

static void
grams_clear(struct rule_grams *g, size_t words)
{
	memset(g->g1, 0, sizeof g->g1);
	if (words > g->words) {
		free(g->g2);
		free(g->g3);
		free(g->g4);
		g->g2 = xcalloc(words, sizeof *g->g2);
		g->g3 = xcalloc(words, sizeof *g->g3);
		g->g4 = xcalloc(words, sizeof *g->g4);
		g->words = words;
		return;
	}
	memset(g->g2, 0, words * sizeof *g->g2);
	memset(g->g3, 0, words * sizeof *g->g3);
	memset(g->g4, 0, words * sizeof *g->g4);
}

static void
grams_make(struct rule_grams *g, const char *s, size_t len)
{
	unsigned	bits = bits_for(len);
	size_t		i;
	uint32_t	w = 0;

	grams_clear(g, ((size_t)1 << bits) / 64);
	g->bits = bits;
	for (i = 0; i < len; i++) {
		w = w << 8 | rule_lower((unsigned char)s[i]);
		bit_set(g->g1, w & 0xff);
		if (i >= 1)
			bit_set(g->g2, gram_slot(w & 0xffff, bits));
		if (i >= 2)
			bit_set(g->g3, gram_slot(w & 0xffffff, bits));
		if (i >= 3)
			bit_set(g->g4, gram_slot(w, bits));
	}
	g->traps = has_traps(s, len);
	if (g->memo_cap > 0)
		memset(g->memo, 0, g->memo_cap * sizeof *g->memo);
	g->memo_n = 0;
}

/* t's sets, made for its text as it is now. */
static struct rule_grams *
grams_of(struct rule_text *t)
{
	if (t->grams == NULL)
		t->grams = xcalloc(1, sizeof *t->grams);
	if (!t->grams_made) {
		grams_make(t->grams, buf_str(&t->text), t->text.len);
		t->grams_made = true;
	}
	return t->grams;
}

void
rule_lits_text_free(struct rule_text *t)
{
	if (t->grams != NULL) {
		free(t->grams->memo);
		free(t->grams->g2);
		free(t->grams->g3);
		free(t->grams->g4);
	}
	free(t->grams);
	t->grams = NULL;
	t->grams_made = false;
}

/*
 * May literal k be in a text with sets g?  Of a longer one, the first
 * and last runs are asked: a literal is rarely missing but for its ends.
 */
static bool
grams_may_hold(const struct rule_grams *g, const struct rule_lit *k)
{
	switch (k->len) {
	case 1:
		return bit_has(g->g1, k->head);
	case 2:
		return bit_has(g->g2, gram_slot(k->head, g->bits));
	case 3:
		return bit_has(g->g3, gram_slot(k->head, g->bits));
	default:
		return bit_has(g->g4, gram_slot(k->head, g->bits)) &&
		    bit_has(g->g4, gram_slot(k->tail, g->bits));
	}
}

/* Does clause c have a literal that the sets allow? */
static bool
clause_in_grams(const struct rule_lits *l, size_t c,
    const struct rule_grams *g)
{
	size_t	k = c > 0 ? l->clause[c - 1].end : 0;

	for (; k < l->clause[c].end; k++)
		if (grams_may_hold(g, &l->lit[k]))
			return true;
	return false;
}

/* Is literal k at s[i] (with room for it), caseless? */
static inline bool
lit_at(const struct rule_lits *l, const struct rule_lit *k, const char *s,
    size_t i)
{
	const char	*lit = l->buf + k->off;
	size_t		 j;

	for (j = 1; j < k->len; j++)
		if (rule_lower((unsigned char)s[i + j]) != (unsigned char)lit[j])
			return false;
	return true;
}

/* Has clause c a literal that starts at s[i] (first byte b, lower case)? */
static bool
clause_at(const struct rule_lits *l, size_t c, const char *s, size_t i,
    size_t end, unsigned char b)
{
	size_t	k;

	for (k = c > 0 ? l->clause[c - 1].end : 0; k < l->clause[c].end; k++)
		if ((unsigned char)l->buf[l->lit[k].off] == b &&
		    l->lit[k].len <= end - i && lit_at(l, &l->lit[k], s, i))
			return true;
	return false;
}

/*
 * Does clause c have a literal in s[start, end)?  Its literals' few first
 * bytes are looked for with memchr; with many, each byte is tried.
 */
static bool
clause_in_range(const struct rule_lits *l, size_t c, const char *s,
    size_t start, size_t end)
{
	const struct rule_lits_clause	*cl = &l->clause[c];
	const char			*p;
	size_t				 i, k;
	unsigned char			 b;

	if (cl->nstarts <= RULE_LITS_STARTS) {
		for (k = 0; k < cl->nstarts; k++)
			for (p = s + start; (p = memchr(p, cl->starts[k],
			    (size_t)(s + end - p))) != NULL; p++)
				if (clause_at(l, c, s, (size_t)(p - s), end,
				    rule_lower(cl->starts[k])))
					return true;
		return false;
	}
	for (i = start; i < end; i++) {
		b = rule_lower((unsigned char)s[i]);
		if ((cl->first[b / 64] >> (b % 64) & 1) != 0 &&
		    clause_at(l, c, s, i, end, b))
			return true;
	}
	return false;
}

/* The branches of l whose every clause the sets allow, as bits. */
static uint32_t
branches_in_grams(const struct rule_lits *l, const struct rule_grams *g)
{
	uint32_t	met = 0;
	size_t		b, c;

	for (b = 0, c = 0; b < l->nbranch; b++) {
		for (; c < l->branch_end[b] && clause_in_grams(l, c, g); c++)
			;
		if (c == l->branch_end[b])
			met |= (uint32_t)1 << b;
		c = l->branch_end[b];
	}
	return met;
}

static size_t
memo_slot(const struct gram_memo *memo, size_t cap, uint64_t serial)
{
	size_t	i = (size_t)(serial * 2654435761u) & (cap - 1);

	while (memo[i].serial != 0 && memo[i].serial != serial)
		i = (i + 1) & (cap - 1);
	return i;
}

static void
memo_grow(struct rule_grams *g)
{
	struct gram_memo	*old = g->memo;
	size_t			 cap = g->memo_cap, i;

	g->memo_cap = cap ? cap * 2 : 256;
	g->memo = xcalloc(g->memo_cap, sizeof *g->memo);
	for (i = 0; i < cap; i++)
		if (old[i].serial != 0)
			g->memo[memo_slot(g->memo, g->memo_cap,
			    old[i].serial)] = old[i];
	free(old);
}

/* branches_in_grams(), asked once per pattern of a long text. */
static uint32_t
branches_kept(const struct rule_lits *l, struct rule_grams *g)
{
	size_t	i;

	if ((g->memo_n + 1) * 2 > g->memo_cap)
		memo_grow(g);
	i = memo_slot(g->memo, g->memo_cap, l->serial);
	if (g->memo[i].serial == 0) {
		g->memo[i].serial = l->serial;
		g->memo[i].met = branches_in_grams(l, g);
		g->memo_n++;
	}
	return g->memo[i].met;
}

/* Is every clause of branch b met within s[start, end)? */
static bool
branch_in_range(const struct rule_lits *l, size_t b, const char *s,
    size_t start, size_t end)
{
	size_t	c;

	for (c = b > 0 ? l->branch_end[b - 1] : 0; c < l->branch_end[b]; c++)
		if (!clause_in_range(l, c, s, start, end))
			return false;
	return true;
}

bool
rule_lits_may_match(const struct rule_lits *l, struct rule_text *t,
    size_t start, size_t end)
{
	struct rule_grams	*g;
	const char		*s = buf_str(&t->text);
	uint32_t		 met;
	size_t			 b;
	bool			 lng = t->text.len >= LONG_TEXT;

	if (l->nbranch == 0)
		return true;
	if ((g = grams_of(t))->traps)
		return true;
	met = lng ? branches_kept(l, g) : branches_in_grams(l, g);
	if (!lng || end - start > RANGE_SCAN_MAX)
		return met != 0;
	for (b = 0; b < l->nbranch; b++)
		if ((met >> b & 1) != 0 && branch_in_range(l, b, s, start, end))
			return true;
	return false;
}
