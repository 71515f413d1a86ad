/*
 * ovw_wording.c - how a scope rule is worded.  A sentence states one when
 * it opens with a negation ("Do not mention X", "Avoid X", "No mention of
 * X"), a label ("Out of scope: X") or a deferral ("Leave X for later", "No
 * X yet"), or when it ends by ruling out what it names ("X is out of
 * scope").  These functions say where in a sentence such a rule starts
 * and which part of it holds the terms; ovw_rules.c files the rules.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/text.h"
#include "rustnote/util.h"
#include "ovw_int.h"

static const char *const negations[] = {
	"do not", "don't", "dont", "never", "you should not",
	"you shouldn't", "should not", "shouldn't", "you must not",
	"must not", "mustn't", "no need to", NULL
};

static const char *const verbs[] = {
	"mention", "discuss", "cover", "introduce", "talk about", "bring up",
	"explain", "go into", "get into", "touch on", "touch upon",
	"include", "use", "describe", "reference", "address", "dive into",
	"delve into", "dwell on", "get to", "jump into", "define", NULL
};

static const char *const gerunds[] = {
	"mentioning", "discussing", "covering", "introducing",
	"talking about", "bringing up", "explaining", "going into",
	"getting into", "touching on", "including", "using", "describing",
	"referencing", "addressing", "diving into", "delving into",
	"dwelling on", "defining", NULL
};

/* "no mention of X", "avoid any discussion of X" */
static const char *const mention_nouns[] = {
	"mention of", "mentions of", "mention", "discussion of",
	"discussions of", "talk of", "talk about", "coverage of",
	"references to", "reference to", "explanation of", NULL
};

/* Labels after which the rest of the sentence is the term list. */
static const char *const scope_labels[] = {
	"not yet", "out of scope", "out-of-scope", "not in scope",
	"off limits", "off-limits", "exclude", "excluded", "skip",
	"leave out", "hold off on", "nothing about", "not covered here",
	"not covered", "save for later", "for later", "later", "excluding",
	NULL
};

/* Labels that count only with a colon ("Later: X", not "Later, we"). */
static const char *const colon_labels[] = {
	"not covered", "save for later", "for later", "later", "excluded",
	NULL
};

/* "leave X for later", "X is out of scope": the term sits in between. */
static const char *const defer_verbs[] = {
	"leave", "save", "keep", "defer", "postpone", NULL
};

static const char *const defer_tails[] = {
	"for later", "for a later note", "for the next note",
	"for another note", "for a later chapter", "for the next chapter",
	"for later notes", "until later", "aside", "out", NULL
};

static const char *const scope_tails[] = {
	"is out of scope", "are out of scope", "is off limits",
	"are off limits", "is off-limits", "are off-limits", "is for later",
	"are for later", "is not covered here", "are not covered here",
	"will come later", "comes later", "come later", "are covered later",
	"is covered later", "will be covered later", NULL
};

/* What may follow "X is out of scope" without being part of it. */
static const char *const tail_fillers[] = {
	"for now", "right now", "here", "just yet", "yet", "in this note",
	"in this section", "in this chapter", "at this point", "at this stage",
	"entirely", "completely", NULL
};

/* Verbs that open an instruction, never a term: "Explain X, Y is ..." */
static const char *const instruction_verbs[] = {
	"explain", "cover", "describe", "discuss", "focus", "write", "show",
	"introduce", "mention", "talk", "start", "begin", "keep", NULL
};

static const char *const rule_openers[] = {
	"please", "but", "and", "also", "however,", "again,", "still,",
	"note:", "important:", "remember:", "rule:", "constraint:",
	"note that", "remember that", "keep in mind that", NULL
};

/* Where a later clause of a sentence starts: after these... */
static const char *const clause_seps[] = {
	", ", "; ", ": ", " - ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", NULL
};

/* ...and after these words. */
static const char *const clause_words[] = {
	"but", "and", "while", "though", "although", "so", "then", NULL
};

/* What ends the clause before "X is out of scope": X is after it. */
static const char *const clause_ends[] = {
	"; ", ": ", " - ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", " but ",
	" while ", " though ", " although ", " so ", " that ", NULL
};

/* "mention or discuss", "introduce, use" */
static bool
eat_verbs(const char **p, const char *const *list)
{
	const char	*save;

	if (!ovw_eat_any(p, list))
		return false;
	for (;;) {
		save = *p;
		if ((ovw_eat(p, ",") || ovw_eat(p, "or") ||
		    ovw_eat(p, "and") || ovw_eat(p, "nor")) &&
		    ovw_eat_any(p, list))
			continue;
		*p = save;
		return true;
	}
}

static void
eat_colon(const char **p)
{
	ovw_eat(p, "yet");
	ovw_eat(p, "here");
	if (**p == ':' || **p == '-')
		(*p)++;
	ovw_skip_space(p);
}

/* "Do not mention X", "Avoid X", "Without discussing X", "No mention of X" */
static bool
match_negation(const char **p)
{
	const char	*s = *p;

	if (ovw_eat_any(&s, negations)) {
		ovw_eat(&s, "yet");
		if (!eat_verbs(&s, verbs))
			return false;
	} else if (ovw_eat(&s, "avoid")) {
		if (!eat_verbs(&s, gerunds)) {
			ovw_eat(&s, "any");
			ovw_eat_any(&s, mention_nouns);
		}
	} else if (ovw_eat(&s, "without")) {
		if (!eat_verbs(&s, gerunds))
			return false;
	} else if (ovw_eat(&s, "no")) {
		if (!ovw_eat_any(&s, mention_nouns))
			return false;
	} else
		return false;
	eat_colon(&s);
	*p = s;
	return true;
}

static bool
match_label(const char **p)
{
	const char	*s = *p;
	int		 i;

	for (i = 0; scope_labels[i] != NULL; i++) {
		s = *p;
		if (!ovw_eat(&s, scope_labels[i]))
			continue;
		if (*s != ':' && *s != '\0' &&
		    text_list_index(colon_labels, scope_labels[i]) >= 0)
			return false;
		eat_colon(&s);
		*p = s;
		return true;
	}
	return false;
}

/* Strip a tail from s[0..*len) when it ends s; true when it did. */
static bool
cut_tail(const char *s, size_t *len, const char *const *tails)
{
	size_t	tl;
	int	i;

	for (i = 0; tails[i] != NULL; i++) {
		tl = strlen(tails[i]);
		if (ovw_ends_with_word(s, *len, tails[i]) && *len > tl) {
			*len -= tl;
			return true;
		}
	}
	return false;
}

/* s[0..len) without its final punctuation, for the tail checks. */
static size_t
bare_len_n(const char *s, size_t len)
{
	while (len > 0 && strchr(".!?;:, \t", s[len - 1]) != NULL)
		len--;
	return len;
}

static size_t
bare_len(const char *s)
{
	return bare_len_n(s, strlen(s));
}

/*
 * "Focus on frames; heap allocation is out of scope": the terms are the
 * last clause of p[0..*n), not the whole sentence.
 */
static void
clause_start(const char **p, size_t *n)
{
	const char	*best = NULL, *c, *from;
	size_t		 sl = 0;
	int		 i;

	for (i = 0; clause_ends[i] != NULL; i++) {
		for (from = *p; (c = str_icase_find(from, clause_ends[i])) !=
		    NULL && c < *p + *n; from = c + 1) {
			if (best == NULL || c > best) {
				best = c;
				sl = strlen(clause_ends[i]);
			}
		}
	}
	if (best == NULL || best + sl > *p + *n)
		return;
	*n -= (best + sl) - *p;
	*p = best + sl;
}

static bool
opens_instruction(const char *p)
{
	return ovw_eat_any(&p, instruction_verbs);
}

/* "Leave X for later", "No X yet", "X is out of scope" */
static bool
match_around(const char *s, size_t *off, size_t *len)
{
	const char	*p = s;
	size_t		 n;

	if (ovw_eat_any(&p, defer_verbs)) {
		n = bare_len(p);
		if (!cut_tail(p, &n, defer_tails))
			return false;
	} else if (ovw_eat(&p, "no")) {
		n = bare_len(p);
		if (n <= 3 || !ovw_ends_with_word(p, n, "yet"))
			return false;
		n -= 3;
	} else {
		n = bare_len(p);
		while (!cut_tail(p, &n, scope_tails)) {
			if (!cut_tail(p, &n, tail_fillers))
				return false;
			n = bare_len_n(p, n);	/* "... out of scope for now" */
		}
		clause_start(&p, &n);
		if (opens_instruction(p))
			return false;	/* a later clause holds the rule */
	}
	*off = p - s;
	*len = n;
	return true;
}

/*
 * The end of the term list: a clause that explains the rule ("; they come
 * in chapter 4", " - see later", " because ...") is not part of it.
 */
size_t
ovw_terms_end(const char *s)
{
	static const char *const stops[] = { ";", " - ", " \xe2\x80\x94 ",
	    " \xe2\x80\x93 ", "\xe2\x80\x94", " because ", " since ",
	    " until ", " as they ", " as these ", " which ", " - ", NULL };
	const char	*p, *end = s + strlen(s);
	int		 i;

	for (i = 0; stops[i] != NULL; i++)
		if ((p = str_icase_find(s, stops[i])) != NULL && p < end)
			end = p;
	return end - s;
}

bool
ovw_rule_match_at(const char *s, const char *p, size_t *off, size_t *len)
{
	ovw_skip_space(&p);
	while (ovw_eat_any(&p, rule_openers))
		;
	if (match_negation(&p) || match_label(&p)) {
		*off = p - s;
		*len = ovw_terms_end(p);
		return true;
	}
	if (match_around(p, off, len)) {
		*off += p - s;
		*len = ovw_terms_end(s + *off) < *len ?
		    ovw_terms_end(s + *off) : *len;
		return true;
	}
	return false;
}

/* A rule that the sentence s starts with. */
bool
ovw_rule_match(const char *s, size_t *off, size_t *len)
{
	return ovw_rule_match_at(s, s, off, len);
}

/*
 * The start of the clause after the one at p ("Explain drop, but leave X
 * for later", "... without mentioning X"), or NULL.
 */
const char *
ovw_next_clause(const char *p)
{
	const char	*q, *w;
	int		 i;

	if (*p == '\0')
		return NULL;
	for (q = p + 1; *q != '\0'; q++) {
		for (i = 0; clause_seps[i] != NULL; i++)
			if (strncmp(q, clause_seps[i],
			    strlen(clause_seps[i])) == 0)
				return q + strlen(clause_seps[i]);
		if (q[-1] != ' ' || !ovw_is_word_char(*q))
			continue;
		w = q;
		if (ovw_eat(&w, "without"))
			return q;
		if (ovw_eat_any(&w, clause_words))
			return w;
	}
	return NULL;
}

bool
ovw_clause_word(const char *s)
{
	return text_list_index_icase(clause_words, s, strlen(s)) >= 0;
}

/* --- headings and lines that announce rules ------------------------------ */

static const char *const rule_heading_words[] = {
	"out of scope", "out-of-scope", "avoid", "not yet", "don't",
	"do not", "exclude", "excluded", "off limits", "off-limits",
	"not covered", "later", "skip", "forbidden", "scope rules",
	"restrictions", NULL
};

bool
ovw_rule_heading(const char *s)
{
	int	i;

	for (i = 0; rule_heading_words[i] != NULL; i++)
		if (str_icase_find(s, rule_heading_words[i]) != NULL)
			return true;
	return false;
}

/* "Things to skip for now:" announces a list of rules. */
bool
ovw_rule_list_marker(const char *s)
{
	size_t	len = strlen(s);

	return len > 0 && s[len - 1] == ':' &&
	    text_count_words(s) <= MARKER_MAX_WORDS && ovw_rule_heading(s);
}
