/*
 * ovw_rules.c - the scope rules a sentence states, filed with their terms.
 *
 * A rule may stand anywhere in a sentence, even in a later clause
 * ("Explain drop without mentioning the borrow checker"), and one sentence
 * may state several ("Interior mutability is out of scope; leave Weak for
 * later").  ovw_wording.c says where a rule and its terms stand; this file
 * cuts the terms apart ("borrow checker or references" -> "borrow
 * checker", "references") and adds the rules to the overview.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/overview.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "ovw_int.h"

#define TERM_MAX_WORDS	 6	/* longer "terms" are prose, not terms */
/* An overview states a few dozen rules: past these bounds the text is
 * prose pasted in, and keeping a copy of a long sentence per rule would
 * grow with the square of its length. */
#define RULES_MAX	 1000
#define RULE_TEXT_MAX	 1000	/* bytes of a rule's sentence kept */
#define TERM_MAX_BYTES	 60
#define MAX_TERMS	 32	/* per rule; an outline never needs more */
#define MAX_CLAUSES	 16	/* later clauses of a sentence read for rules */

/* --- terms --------------------------------------------------------------- */

/* Words that open a term but are not part of it, articles and quantifiers. */
static const char *const term_fillers[] = {
	"the details of", "details of", "detail about", "details about",
	"detail on", "in detail", "the words", "the word", "the terms",
	"the term", "words", "terms", "the concept of", "the idea of",
	"the", "a", "an", "any", "other", "anything about", "about", "either",
	"neither", "or", "and", "nor", "also", "e.g.", "i.e.", "eg.",
	"such as", "like", "including", "incl.", NULL
};

/* Words that stand for the terms instead of naming them. */
static const char *const pronouns[] = {
	"these", "those", "this", "that", "it", "them", "they", "which",
	"following",
	"anything", "any of these", "any of the following", "such things",
	NULL
};

/* Words too vague to be a term: "things like X" names X. */
static const char *const vague_words[] = {
	"things", "stuff", "topics", "concepts", "features", "ideas",
	"anything", "something", NULL
};

static bool
starts_with_word(const char *s, const char *word)
{
	size_t	wl = strlen(word);

	return strncasecmp(s, word, wl) == 0 && !ovw_is_word_char(s[wl]);
}

static bool
is_pronoun(const char *s)
{
	if (text_list_index_icase(pronouns, s, strlen(s)) >= 0)
		return true;
	/* "skip nothing important" excludes nothing; "which come later"
	   is a clause about the terms */
	return starts_with_word(s, "nothing") || starts_with_word(s, "which");
}

struct term_sink {
	char	***v;
	int	  *n;
};

static void
add_term(void *ud, const char *s, size_t len)
{
	struct term_sink	*sink = ud;
	char			*t = xstrndup(s, len);

	ovw_strip_parens(t);
	ovw_strip_quotes(t);
	ovw_strip_fillers(t, term_fillers);
	ovw_collapse_spaces(t);
	if (*t == '\0' || strlen(t) > TERM_MAX_BYTES ||
	    text_count_words(t) > TERM_MAX_WORDS || is_pronoun(t) ||
	    *sink->n >= MAX_TERMS) {
		free(t);
		return;
	}
	ovw_strv_push(sink->v, sink->n, t);
}

/* "borrow checker or references" -> "borrow checker", "references". */
static void
add_term_piece(void *ud, const char *s, size_t len)
{
	const char	*c;
	size_t		 wl = 0;

	while ((c = ovw_find_conjunction(s, len, &wl)) != NULL) {
		add_term(ud, s, c - s);
		len -= (c + wl) - s;
		s = c + wl;
	}
	add_term(ud, s, len);
}

/*
 * "crates such as anyhow or thiserror": the examples after "like" or
 * "such as" are named as well, as terms of their own, so that a note that
 * writes `use anyhow::Result` is found too.  After a vague word ("things
 * like X") they are the only terms.
 */
static void
cut_examples(char *t)
{
	static const char *const intro[] = { " like ", " such as ", NULL };
	const char	*found;
	char		*p, *w;
	size_t		 il;
	int		 i;

	for (i = 0; intro[i] != NULL; i++) {
		if ((found = str_icase_find(t, intro[i])) == NULL || found == t)
			continue;
		p = t + (found - t);
		il = strlen(intro[i]);
		w = t + ovw_last_word_start(t, p - t);
		if (text_list_index_icase(vague_words, w, p - w) >= 0) {
			memmove(w, p + il, strlen(p + il) + 1);
		} else {
			p[0] = ',';	/* "crates, anyhow or thiserror" */
			p[1] = ' ';
			memmove(p + 2, p + il, strlen(p + il) + 1);
		}
		return;
	}
}

static void
split_terms(const char *s, char ***v, int *n)
{
	struct term_sink	sink = { v, n };
	char			*t = xstrdup(s);

	ovw_strip_parens(t);
	cut_examples(t);
	ovw_split_commas(t, add_term_piece, &sink);
	free(t);
}

/* --- rules --------------------------------------------------------------- */

/* What no term list runs across: a sentence's parts split here. */
static const char *const strong_seps[] = {
	"; ", " - ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", NULL
};

/* The sentence of a rule, cleaned, its first RULE_TEXT_MAX bytes only. */
static char *
rule_text(const char *s)
{
	size_t	 n = strnlen(s, RULE_TEXT_MAX + 1);
	char	*head, *t;

	if (n <= RULE_TEXT_MAX)
		return ovw_clean_text(s);
	n = RULE_TEXT_MAX - 3;	/* room for the ellipsis */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;		/* not inside a character */
	head = xstrndup(s, n);
	t = ovw_clean_text(head);
	free(head);
	head = xasprintf("%s\xe2\x80\xa6", t);
	free(t);
	return head;
}

static bool
add_rule(struct ovw_builder *b, const char *text, const char *terms,
    int line)
{
	struct overview	*o = b->o;
	struct ovw_rule	*r;
	char		**v = NULL;
	int		 n = 0;

	if ((size_t)o->nrules >= RULES_MAX)
		return false;
	split_terms(terms, &v, &n);
	if (n == 0) {
		free(v);
		return false;
	}
	if ((size_t)o->nrules == b->rules_alloc) {
		b->rules_alloc = b->rules_alloc ? b->rules_alloc * 2 : 8;
		o->rules = xreallocarray(o->rules, b->rules_alloc,
		    sizeof *o->rules);
	}
	r = &o->rules[o->nrules++];
	r->text = rule_text(text);
	r->terms = v;
	r->nterms = n;
	r->line = line;
	return true;
}

/* A rule for sentence text whose terms are src[off, off + len). */
static bool
add_rule_at(struct ovw_builder *b, const char *text, const char *src,
    size_t off, size_t len, int line)
{
	char	*terms = xstrndup(src + off, len);
	bool	 added;

	ovw_trim_punct(terms);
	added = *terms != '\0' && add_rule(b, text, terms, line);
	free(terms);
	return added;
}

/*
 * Cut the segment starting at p at the next separator no term list runs
 * across ("; ", " - "), in place; *next gets the segment after it, or NULL.
 */
/*
 * Where each strong separator next stands, kept from one segment to the
 * next so that each is searched for once over the sentence, not once per
 * segment.
 */
struct seg_cut {
	char	*at[sizeof(strong_seps) / sizeof(strong_seps[0])];
	bool	 searched;
};

/* Cut the segment at p at its first strong separator; *next gets the
 * start of the next one, or NULL. */
static void
cut_segment(char *p, char **next, struct seg_cut *sc)
{
	char	*best = NULL;
	size_t	 sl = 0;
	int	 i;

	for (i = 0; strong_seps[i] != NULL; i++) {
		if (!sc->searched || (sc->at[i] != NULL && sc->at[i] < p))
			sc->at[i] = strstr(p, strong_seps[i]);
		if (sc->at[i] != NULL && (best == NULL || sc->at[i] < best)) {
			best = sc->at[i];
			sl = strlen(strong_seps[i]);
		}
	}
	sc->searched = true;
	*next = best != NULL ? best + sl : NULL;
	if (best != NULL)
		*best = '\0';
}

/*
 * The first rule in the segment seg of sentence text (seg points into
 * copy, a copy of text cut at the segment's end), from its start or a
 * later clause.  *at gets where in the sentence the rule starts.
 */
static bool
segment_rule(struct ovw_builder *b, const char *text, const char *copy,
    const char *seg, int line, size_t *at)
{
	const char	*q = seg;
	size_t		 off, len;
	int		 i = 0;

	do {
		if (ovw_rule_match_at(copy, q, &off, &len) &&
		    add_rule_at(b, text, copy, off, len, line)) {
			*at = q - copy;
			return true;
		}
	} while (i++ < MAX_CLAUSES && (q = ovw_next_clause(q)) != NULL);
	return false;
}

/*
 * A sentence that states a rule becomes one, and so does each rule in a
 * later part of it, when it names terms.  When only a later part does,
 * *lead (unless NULL) gets where that starts, so the text before it can
 * still be read as a topic.
 */
static enum rule_found
try_rule(struct ovw_builder *b, const char *s, int line, size_t *lead)
{
	enum rule_found	 found = RULE_NONE;
	char		*copy = xstrdup(s), *seg, *next;
	size_t		 off = 0, len = 0, at;
	struct seg_cut	 sc = { { NULL }, false };

	if (lead != NULL)
		*lead = 0;
	if (ovw_rule_match(s, &off, &len))
		found = add_rule_at(b, s, s, off, len, line) ? RULE_ADDED :
		    RULE_BARE;
	for (seg = copy; seg != NULL; seg = next) {
		cut_segment(seg, &next, &sc);
		/* Skip what the rule the sentence starts with has read. */
		if (found != RULE_NONE && (size_t)(seg - copy) < off + len)
			continue;
		if (!segment_rule(b, s, copy, seg, line, &at) ||
		    found != RULE_NONE)
			continue;
		found = at == 0 ? RULE_ADDED : RULE_CLAUSE;
		if (lead != NULL)
			*lead = at;
	}
	free(copy);
	return found;
}

enum rule_found
ovw_try_rule(struct ovw_builder *b, const char *s, int line)
{
	return try_rule(b, s, line, NULL);
}

/* "What drop does, but": the text before a clause rule, as a topic. */
static void
cut_before_clause(char *s, size_t lead)
{
	size_t	w;

	s[lead] = '\0';
	ovw_trim_punct(s);
	w = ovw_last_word_start(s, strlen(s));
	if (ovw_clause_word(s + w)) {
		s[w] = '\0';
		ovw_trim_punct(s);
	}
}

enum rule_found
ovw_take_rules(struct ovw_builder *b, char *text, int line)
{
	enum rule_found	found;
	size_t		lead;

	found = try_rule(b, text, line, &lead);
	if (found == RULE_CLAUSE)
		cut_before_clause(text, lead);
	return found;
}

void
ovw_add_rule_item(struct ovw_builder *b, const char *text, int line)
{
	char	*terms;

	if (ovw_try_rule(b, text, line) != RULE_NONE)
		return;
	terms = xstrndup(text, ovw_terms_end(text));
	add_rule(b, text, terms, line);
	free(terms);
}
