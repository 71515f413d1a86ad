/*
 * overview.c - parse the topic overview a note is reviewed against.
 *
 * The overview is parsed as a note first (same validation, same flattened
 * blocks with their lines), then read block by block.  A heading or a line
 * like "Write about:" switches to topics, "Out of scope:" to rules and
 * "Purpose:" to the purpose; bullets are filed under the mode in force.
 * Scope rules are recognised by their wording wherever they stand, even in
 * a later clause of a sentence, so they never end up as topics.  When no
 * marker says where the topics are, the headings are the topics if every
 * bullet stands under one ("## Stack vs heap" + "- frames"), else the
 * document's bullets are.  Reading lists and summaries give no topics.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"

#define OVW_MAX_BYTES	 NOTE_MAX_BYTES
#define MAX_DEPTH	 16	/* deeper bullets are ignored */
#define LINE_MARKER	 99	/* mode set by a line: ends at any heading */
#define TERM_MAX_WORDS	 6	/* longer "terms" are prose, not terms */
#define TERM_MAX_BYTES	 60
#define LABEL_MAX_WORDS	 8	/* "Drop: what it runs" splits at the colon */
#define MARKER_MAX_WORDS 12
#define MAX_TERMS	 32	/* per rule; an outline never needs more */
#define MAX_SUBS	 32	/* per topic */
#define MAX_CLAUSES	 16	/* later clauses of a sentence read for rules */

enum mode {
	MODE_NONE,
	MODE_TOPICS,		/* bullets are topics (or sub-points) */
	MODE_RULES,		/* bullets are scope rules */
	MODE_PURPOSE,		/* the next paragraph is the purpose */
	MODE_IGNORE		/* a reading list, a summary: no topics */
};

/* What an item was filed as, so its nested items know where they go. */
enum role {
	ROLE_NONE,
	ROLE_TOPIC,		/* nested items are its sub-points */
	ROLE_UNMARKED,		/* the same, in the fallback list */
	ROLE_RULE_LIST,		/* "- Avoid:": nested items are rules */
	ROLE_TOPIC_LIST		/* "- Write about:": nested items are topics */
};

struct topic_list {
	struct ovw_topic	*v;
	int			 n;
	size_t			 alloc;
};

struct ovw_builder {
	struct overview		*o;
	const struct note	*n;
	struct topic_list	 marked;	/* topics after a marker */
	struct topic_list	 unmarked;	/* other bullets: fallback */
	struct topic_list	 headed;	/* headings over bullets */
	size_t			 rules_alloc;
	enum mode		 mode;
	int			 mode_level;	/* heading level that set it */
	int			 cur_topic;	/* topic heading over bullets */
	enum role		 role[MAX_DEPTH + 1];
	int			 role_topic[MAX_DEPTH + 1];
	int			 title_block;	/* block used as the title */
	int			 title_line;	/* paragraph line used, or 0 */
	int			 head_topic;	/* heading topic over bullets */
	int			 last_head;	/* last heading topic, or -1 */
	int			 last_head_level;
	bool			 last_head_list; /* it has bullets */
	int			 head_lists;	/* heading topics with a list */
	bool			 aside;		/* under "Goals", "Overview" */
	bool			 loose;		/* a bullet under no heading */
};

/* --- text helpers -------------------------------------------------------- */

static bool
is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/*
 * Curly quotes, guillemets and non-breaking spaces become ASCII, in place:
 * LLM outlines are full of them, learners' notes mostly are not.
 */
static void
straighten_quotes(char *s)
{
	unsigned char	*r = (unsigned char *)s, *w = r;

	while (*r != '\0') {
		if (r[0] == 0xe2 && r[1] == 0x80 &&
		    (r[2] == 0x98 || r[2] == 0x99)) {
			*w++ = '\'';
			r += 3;
		} else if (r[0] == 0xe2 && r[1] == 0x80 &&
		    (r[2] == 0x9c || r[2] == 0x9d)) {
			*w++ = '"';
			r += 3;
		} else if (r[0] == 0xc2 && (r[1] == 0xab || r[1] == 0xbb)) {
			*w++ = '"';
			r += 2;
		} else if (r[0] == 0xc2 && r[1] == 0xa0) {
			*w++ = ' ';
			r += 2;
		} else
			*w++ = *r++;
	}
	*w = '\0';
}

/* A single quote that opens or closes a quotation, not an apostrophe. */
static bool
quote_mark(const char *s, size_t i)
{
	bool	before = i > 0 && is_word_char(s[i - 1]);
	bool	after = is_word_char(s[i + 1]);

	return before != after;
}

/* Drop quotation marks and backticks: "drop" -> drop, keeps "Rust's". */
static void
strip_quotes(char *s)
{
	char	*orig = xstrdup(s);
	size_t	 i, j = 0;

	for (i = 0; orig[i] != '\0'; i++) {
		if (orig[i] == '"' || orig[i] == '`')
			continue;
		if (orig[i] == '\'' && quote_mark(orig, i))
			continue;
		s[j++] = orig[i];
	}
	s[j] = '\0';
	free(orig);
}

static void
collapse_spaces(char *s)
{
	char	*r = s, *w = s;
	bool	 space = false;

	for (; *r != '\0'; r++) {
		if (isspace((unsigned char)*r)) {
			space = true;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

/* Plain one-line text: straight quotes, single spaces. */
static char *
clean_text(const char *s)
{
	char	*t = xstrdup(s);

	straighten_quotes(t);
	collapse_spaces(t);
	return t;
}

static bool
ends_with_word(const char *s, size_t len, const char *word)
{
	size_t	wl = strlen(word);

	if (len < wl || strncasecmp(s + len - wl, word, wl) != 0)
		return false;
	return len == wl || !is_word_char(s[len - wl - 1]);
}

/* Trim white space and the punctuation that ends a phrase. */
static void
trim_punct(char *s)
{
	size_t	len;

	str_trim(s);
	len = strlen(s);
	while (len > 0 && strchr(".,;:!?", s[len - 1]) != NULL)
		s[--len] = '\0';
	str_trim(s);
}

/*
 * Words that qualify a rule but are not part of its terms; a phrase comes
 * before any shorter one it ends with ("just yet" before "yet").
 */
static const char *const trailing_fillers[] = {
	"here", "just yet", "yet", "for now", "right now", "now", "at all",
	"in this note", "in this section", "in this chapter", "in this part",
	"at this point", "at this stage", "for later", "until later",
	"in any depth", "in depth", "in any detail", "in great detail",
	"in detail", "explicitly", "either", "please", "etc", NULL
};

/* Words that open a list item but are not part of it. */
static const char *const list_fillers[] = {
	"or", "and", "nor", "e.g.", "i.e.", "eg.", "such as", "like",
	"including", "incl.", NULL
};

/* The same, plus the articles and quantifiers a term does not need. */
static const char *const term_fillers[] = {
	"the details of", "details of", "detail about", "details about",
	"detail on", "in detail", "the words", "the word", "the terms",
	"the term", "words", "terms", "the concept of", "the idea of",
	"the", "a", "an", "any", "other", "anything about", "about", "either",
	"neither", "or", "and", "nor", "also", "e.g.", "i.e.", "eg.",
	"such as", "like", "including", "incl.", NULL
};

static bool
strip_trailing_filler(char *s)
{
	size_t	len = strlen(s);
	int	i;

	for (i = 0; trailing_fillers[i] != NULL; i++) {
		if (!ends_with_word(s, len, trailing_fillers[i]))
			continue;
		s[len - strlen(trailing_fillers[i])] = '\0';
		trim_punct(s);
		return true;
	}
	return false;
}

static bool
strip_leading_filler(char *s, const char *const *fillers)
{
	size_t	wl;
	int	i;

	for (i = 0; fillers[i] != NULL; i++) {
		wl = strlen(fillers[i]);
		if (strncasecmp(s, fillers[i], wl) != 0 ||
		    (s[wl] != ' ' && s[wl] != '\0'))
			continue;
		memmove(s, s + wl, strlen(s + wl) + 1);
		str_trim(s);
		return true;
	}
	return false;
}

static void
strip_fillers(char *s, const char *const *leading)
{
	trim_punct(s);
	while (strip_trailing_filler(s) || strip_leading_filler(s, leading))
		;
}

/* Remove every "(...)" aside: "lifetimes (next chapter)" -> "lifetimes". */
static void
strip_parens(char *s)
{
	char	*r = s, *w = s;
	int	 depth = 0;

	for (; *r != '\0'; r++) {
		if (*r == '(')
			depth++;
		else if (*r == ')' && depth > 0)
			depth--;
		else if (depth == 0)
			*w++ = *r;
	}
	*w = '\0';
	collapse_spaces(s);
}

static int
count_words(const char *s)
{
	int	n = 0;
	bool	in = false;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s))
			in = false;
		else if (!in) {
			in = true;
			n++;
		}
	}
	return n;
}

/* --- growing arrays ------------------------------------------------------ */

static void
strv_push(char ***v, int *n, char *s)
{
	*v = xreallocarray(*v, (size_t)*n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

static void
strv_free(char **v, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static struct ovw_topic *
topic_push(struct topic_list *l)
{
	struct ovw_topic	*t;

	if ((size_t)l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 16;
		l->v = xreallocarray(l->v, l->alloc, sizeof *l->v);
	}
	t = &l->v[l->n++];
	memset(t, 0, sizeof *t);
	return t;
}

static void
topic_free(struct ovw_topic *t)
{
	free(t->title);
	free(t->text);
	strv_free(t->subpoints, t->nsub);
}

static void
topic_list_free(struct topic_list *l)
{
	int	i;

	for (i = 0; i < l->n; i++)
		topic_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* --- splitting lists of terms and sub-points ----------------------------- */

typedef void (*piece_fn)(void *ud, const char *s, size_t len);

/* Call fn for each piece of s between commas or semicolons outside "()". */
static int
split_commas(const char *s, piece_fn fn, void *ud)
{
	const char	*start = s;
	int		 depth = 0, pieces = 0;

	for (;; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (*s == '\0' || (depth == 0 && (*s == ',' ||
		    *s == ';'))) {
			fn(ud, start, s - start);
			pieces++;
			if (*s == '\0')
				break;
			start = s + 1;
		}
	}
	return pieces;
}

/* Position of the first " or " / " and " / " nor " / " & " in s[0..len). */
static const char *
find_conjunction(const char *s, size_t len, size_t *wlen)
{
	static const char *const conj[] = { " or ", " and ", " nor ", " & ",
	    NULL };
	const char	*best = NULL, *p;
	size_t		 i, cl;

	for (i = 0; conj[i] != NULL; i++) {
		cl = strlen(conj[i]);
		for (p = s; p + cl <= s + len; p++) {
			if (strncasecmp(p, conj[i], cl) != 0)
				continue;
			if (best == NULL || p < best) {
				best = p;
				*wlen = cl;
			}
			break;
		}
	}
	return best;
}

/* Words that stand for the terms instead of naming them. */
static const char *const pronouns[] = {
	"these", "those", "this", "that", "it", "them", "they", "which",
	"following",
	"anything", "any of these", "any of the following", "such things",
	NULL
};

static bool
starts_with_word(const char *s, const char *word)
{
	size_t	wl = strlen(word);

	return strncasecmp(s, word, wl) == 0 && !is_word_char(s[wl]);
}

static bool
is_pronoun(const char *s)
{
	int	i;

	for (i = 0; pronouns[i] != NULL; i++)
		if (strcasecmp(s, pronouns[i]) == 0)
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

	strip_parens(t);
	strip_quotes(t);
	strip_fillers(t, term_fillers);
	collapse_spaces(t);
	if (*t == '\0' || strlen(t) > TERM_MAX_BYTES ||
	    count_words(t) > TERM_MAX_WORDS || is_pronoun(t) ||
	    *sink->n >= MAX_TERMS) {
		free(t);
		return;
	}
	strv_push(sink->v, sink->n, t);
}

/* "borrow checker or references" -> "borrow checker", "references". */
static void
add_term_piece(void *ud, const char *s, size_t len)
{
	const char	*c;
	size_t		 wl = 0;

	while ((c = find_conjunction(s, len, &wl)) != NULL) {
		add_term(ud, s, c - s);
		len -= (c + wl) - s;
		s = c + wl;
	}
	add_term(ud, s, len);
}

/* Words too vague to be a term: "things like X" names X. */
static const char *const vague_words[] = {
	"things", "stuff", "topics", "concepts", "features", "ideas",
	"anything", "something", NULL
};

/* Start of the word that ends s[0..len), after any spaces. */
static size_t
last_word_start(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (len > 0 && s[len - 1] != ' ')
		len--;
	return len;
}

/*
 * "custom error crates like anyhow or thiserror": the examples after
 * "like" or "such as" only illustrate the term, so they go, up to the end
 * of the list.  After a vague word ("things like X") they are the terms.
 */
static void
cut_examples(char *t)
{
	static const char *const intro[] = { " like ", " such as ", NULL };
	const char	*found;
	char		*p, *w;
	size_t		 il;
	int		 i, k;

	for (i = 0; intro[i] != NULL; i++) {
		if ((found = str_icase_find(t, intro[i])) == NULL || found == t)
			continue;
		p = t + (found - t);
		il = strlen(intro[i]);
		w = t + last_word_start(t, p - t);
		for (k = 0; vague_words[k] != NULL; k++)
			if ((size_t)(p - w) == strlen(vague_words[k]) &&
			    strncasecmp(w, vague_words[k], p - w) == 0)
				break;
		if (vague_words[k] != NULL)
			memmove(w, p + il, strlen(p + il) + 1);
		else
			*p = '\0';
		return;
	}
}

static void
split_terms(const char *s, char ***v, int *n)
{
	struct term_sink	sink = { v, n };
	char			*t = xstrdup(s);

	strip_parens(t);
	cut_examples(t);
	split_commas(t, add_term_piece, &sink);
	free(t);
}

struct sub_sink {
	struct ovw_topic	*t;
	int			 pieces;
	int			 seen;
};

static void
push_sub(struct ovw_topic *t, const char *s, size_t len)
{
	char	*sub = xstrndup(s, len);

	strip_quotes(sub);
	strip_fillers(sub, list_fillers);
	collapse_spaces(sub);
	if (*sub == '\0' || t->nsub >= MAX_SUBS) {
		free(sub);
		return;
	}
	strv_push(&t->subpoints, &t->nsub, sub);
}

/*
 * One comma-separated sub-point.  The last of several may hold two joined
 * by "and" ("frames, lifetimes and deallocation"); a lone one keeps its
 * "and" ("stack and heap frames").
 */
static void
add_sub_piece(void *ud, const char *s, size_t len)
{
	struct sub_sink	*sink = ud;
	const char	*c;
	size_t		 wl = 0;

	sink->seen++;
	if (sink->seen == sink->pieces && sink->pieces > 1 &&
	    (c = find_conjunction(s, len, &wl)) != NULL && c > s) {
		push_sub(sink->t, s, c - s);
		push_sub(sink->t, c + wl, len - ((c + wl) - s));
		return;
	}
	push_sub(sink->t, s, len);
}

static void
count_piece(void *ud, const char *s, size_t len)
{
	(void)ud;
	(void)s;
	(void)len;
}

static void
split_subs(struct ovw_topic *t, const char *s)
{
	struct sub_sink	sink = { t, 0, 0 };

	sink.pieces = split_commas(s, count_piece, NULL);
	split_commas(s, add_sub_piece, &sink);
}

/* --- recognising scope rules --------------------------------------------- */

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

/* What no term list runs across: a sentence's parts split here. */
static const char *const strong_seps[] = {
	"; ", " - ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", NULL
};

/* What ends the clause before "X is out of scope": X is after it. */
static const char *const clause_ends[] = {
	"; ", ": ", " - ", " \xe2\x80\x94 ", " \xe2\x80\x93 ", " but ",
	" while ", " though ", " although ", " so ", " that ", NULL
};

static void
skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/* Consume word (case-insensitively, whole words only) and the space after. */
static bool
eat(const char **p, const char *word)
{
	size_t	wl = strlen(word);

	if (strncasecmp(*p, word, wl) != 0 ||
	    (is_word_char(word[wl - 1]) && is_word_char((*p)[wl])))
		return false;
	*p += wl;
	skip_space(p);
	return true;
}

static bool
eat_any(const char **p, const char *const *words)
{
	int	i;

	for (i = 0; words[i] != NULL; i++)
		if (eat(p, words[i]))
			return true;
	return false;
}

/* "mention or discuss", "introduce, use" */
static bool
eat_verbs(const char **p, const char *const *list)
{
	const char	*save;

	if (!eat_any(p, list))
		return false;
	for (;;) {
		save = *p;
		if ((eat(p, ",") || eat(p, "or") || eat(p, "and") ||
		    eat(p, "nor")) && eat_any(p, list))
			continue;
		*p = save;
		return true;
	}
}

static void
eat_colon(const char **p)
{
	eat(p, "yet");
	eat(p, "here");
	if (**p == ':' || **p == '-')
		(*p)++;
	skip_space(p);
}

/* "Do not mention X", "Avoid X", "Without discussing X", "No mention of X" */
static bool
match_negation(const char **p)
{
	const char	*s = *p;

	if (eat_any(&s, negations)) {
		eat(&s, "yet");
		if (!eat_verbs(&s, verbs))
			return false;
	} else if (eat(&s, "avoid")) {
		if (!eat_verbs(&s, gerunds)) {
			eat(&s, "any");
			eat_any(&s, mention_nouns);
		}
	} else if (eat(&s, "without")) {
		if (!eat_verbs(&s, gerunds))
			return false;
	} else if (eat(&s, "no")) {
		if (!eat_any(&s, mention_nouns))
			return false;
	} else
		return false;
	eat_colon(&s);
	*p = s;
	return true;
}

static bool
in_list(const char *s, const char *const *list)
{
	int	i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool
in_list_icase(const char *s, const char *const *list)
{
	int	i;

	for (i = 0; list[i] != NULL; i++)
		if (strcasecmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool
match_label(const char **p)
{
	const char	*s = *p;
	int		 i;

	for (i = 0; scope_labels[i] != NULL; i++) {
		s = *p;
		if (!eat(&s, scope_labels[i]))
			continue;
		if (*s != ':' && *s != '\0' &&
		    in_list(scope_labels[i], colon_labels))
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
		if (ends_with_word(s, *len, tails[i]) && *len > tl) {
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
	return eat_any(&p, instruction_verbs);
}

/* "Leave X for later", "No X yet", "X is out of scope" */
static bool
match_around(const char *s, size_t *off, size_t *len)
{
	const char	*p = s;
	size_t		 n;

	if (eat_any(&p, defer_verbs)) {
		n = bare_len(p);
		if (!cut_tail(p, &n, defer_tails))
			return false;
	} else if (eat(&p, "no")) {
		n = bare_len(p);
		if (n <= 3 || !ends_with_word(p, n, "yet"))
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
static size_t
terms_end(const char *s)
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

/*
 * If the sentence s states a scope rule from p on, set [*off, *off + *len)
 * to the text holding its terms (may be empty: "Avoid:" before a list) and
 * return true.
 */
static bool
rule_match_at(const char *s, const char *p, size_t *off, size_t *len)
{
	skip_space(&p);
	while (eat_any(&p, rule_openers))
		;
	if (match_negation(&p) || match_label(&p)) {
		*off = p - s;
		*len = terms_end(p);
		return true;
	}
	if (match_around(p, off, len)) {
		*off += p - s;
		*len = terms_end(s + *off) < *len ? terms_end(s + *off) : *len;
		return true;
	}
	return false;
}

/* A rule that the sentence s starts with. */
static bool
rule_match(const char *s, size_t *off, size_t *len)
{
	return rule_match_at(s, s, off, len);
}

/*
 * The start of the clause after the one at p ("Explain drop, but leave X
 * for later", "... without mentioning X"), or NULL.
 */
static const char *
next_clause(const char *p)
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
		if (q[-1] != ' ' || !is_word_char(*q))
			continue;
		w = q;
		if (eat(&w, "without"))
			return q;
		if (eat_any(&w, clause_words))
			return w;
	}
	return NULL;
}

/* --- building the overview ----------------------------------------------- */

/*
 * What try_rule() found: a bare rule has no terms of its own ("Avoid:"); a
 * clause rule stands in a later clause, after text of another kind.
 */
enum rule_found { RULE_NONE, RULE_ADDED, RULE_BARE, RULE_CLAUSE };

static bool
add_rule(struct ovw_builder *b, const char *text, const char *terms,
    int line)
{
	struct overview	*o = b->o;
	struct ovw_rule	*r;
	char		**v = NULL;
	int		 n = 0;

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
	r->text = clean_text(text);
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

	trim_punct(terms);
	added = *terms != '\0' && add_rule(b, text, terms, line);
	free(terms);
	return added;
}

/*
 * Cut the segment starting at p at the next separator no term list runs
 * across ("; ", " - "), in place; *next gets the segment after it, or NULL.
 */
static void
cut_segment(char *p, char **next)
{
	char	*best = NULL, *c;
	size_t	 sl = 0;
	int	 i;

	for (i = 0; strong_seps[i] != NULL; i++) {
		c = strstr(p, strong_seps[i]);
		if (c != NULL && (best == NULL || c < best)) {
			best = c;
			sl = strlen(strong_seps[i]);
		}
	}
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
		if (rule_match_at(copy, q, &off, &len) &&
		    add_rule_at(b, text, copy, off, len, line)) {
			*at = q - copy;
			return true;
		}
	} while (i++ < MAX_CLAUSES && (q = next_clause(q)) != NULL);
	return false;
}

/*
 * A sentence that states a rule becomes one, and so does each rule in a
 * later part of it ("Interior mutability is out of scope; leave Weak for
 * later", "Explain drop without mentioning the borrow checker"), when it
 * names terms.  When only a later part does, *lead (unless NULL) gets
 * where that starts, so the text before it can still be read as a topic.
 */
static enum rule_found
try_rule(struct ovw_builder *b, const char *s, int line, size_t *lead)
{
	enum rule_found	 found = RULE_NONE;
	char		*copy = xstrdup(s), *seg, *next;
	size_t		 off = 0, len = 0, at;

	if (lead != NULL)
		*lead = 0;
	if (rule_match(s, &off, &len))
		found = add_rule_at(b, s, s, off, len, line) ? RULE_ADDED :
		    RULE_BARE;
	for (seg = copy; seg != NULL; seg = next) {
		cut_segment(seg, &next);
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

/* "What drop does, but": the text before a clause rule, as a topic. */
static void
cut_before_clause(char *s, size_t lead)
{
	size_t	w;

	s[lead] = '\0';
	trim_punct(s);
	w = last_word_start(s, strlen(s));
	if (in_list_icase(s + w, clause_words)) {
		s[w] = '\0';
		trim_punct(s);
	}
}

/* A bullet under "Out of scope": the whole text is the term list. */
static void
add_rule_item(struct ovw_builder *b, const char *text, int line)
{
	char	*terms;

	if (try_rule(b, text, line, NULL) != RULE_NONE)
		return;
	terms = xstrndup(text, terms_end(text));
	add_rule(b, text, terms, line);
	free(terms);
}

/* Position of a label separator (": ", " - ", " — ") ending a short label. */
static const char *
label_end(const char *s, size_t *seplen)
{
	static const char *const seps[] = { ": ", " - ", " \xe2\x80\x94 ",
	    " \xe2\x80\x93 ", NULL };
	const char	*p, *best = NULL;
	char		*label;
	int		 i, words;

	for (i = 0; seps[i] != NULL; i++) {
		p = strstr(s, seps[i]);
		if (p != NULL && p > s && (best == NULL || p < best)) {
			best = p;
			*seplen = strlen(seps[i]);
		}
	}
	if (best == NULL || memchr(s, '(', best - s) != NULL ||
	    best[*seplen] == '\0')
		return NULL;
	label = xstrndup(s, best - s);
	words = count_words(label);
	free(label);
	return words <= LABEL_MAX_WORDS ? best : NULL;
}

/* A final "(...)" aside: "Stack vs heap (frames, lifetimes)". */
static char *
trailing_paren(char *s)
{
	size_t	len = strlen(s);
	int	depth = 0;
	char	*p;

	if (len < 3 || s[len - 1] != ')')
		return NULL;
	for (p = s + len - 1; p >= s; p--) {
		if (*p == ')')
			depth++;
		else if (*p == '(' && --depth == 0)
			break;
	}
	if (p <= s)
		return NULL;
	s[len - 1] = '\0';
	*p = '\0';
	return p + 1;
}

/* "1. Box<T>" -> "Box<T>": the numbering of a topic heading is no title. */
static void
strip_enumerator(char *s)
{
	size_t	digits = strspn(s, "0123456789");

	if (digits == 0 || digits > 3 || (s[digits] != '.' &&
	    s[digits] != ')') || s[digits + 1] != ' ')
		return;
	memmove(s, s + digits + 2, strlen(s + digits + 2) + 1);
	str_trim(s);
}

/* Title and sub-points from a topic's text. */
static void
fill_topic(struct ovw_topic *t)
{
	char		*work = xstrdup(t->text), *inner;
	const char	*sep;
	size_t		 seplen = 0;

	if ((sep = label_end(work, &seplen)) != NULL) {
		split_subs(t, sep + seplen);
		work[sep - work] = '\0';
	} else if ((inner = trailing_paren(work)) != NULL)
		split_subs(t, inner);
	strip_quotes(work);
	strip_enumerator(work);
	trim_punct(work);
	collapse_spaces(work);
	if (*work == '\0') {
		free(work);
		work = xstrdup(t->text);
		strip_quotes(work);
	}
	t->title = work;
}

static int
add_topic(struct topic_list *l, const char *text, int line)
{
	struct ovw_topic	*t = topic_push(l);

	t->text = clean_text(text);
	t->line = line;
	fill_topic(t);
	return l->n - 1;
}

static void
add_subpoint(struct ovw_topic *t, const char *text)
{
	char	*s = clean_text(text);

	push_sub(t, s, strlen(s));
	free(s);
}

/* --- markers: purpose, topic lists --------------------------------------- */

static const char *const purpose_words[] = {
	"purpose", "goal", "goals", "aim", "objective", "objectives",
	"intent", "why", NULL
};

static const char *const topic_words[] = {
	"write about", "cover", "covers", "topics", "topic", "include",
	"discuss", "explain", "address", "describe", "outline", "key points",
	"points", "what to", "sections", "talk about", "touch on",
	"focus on", "contents", "content", "subtopics", "structure",
	"agenda", "should", "must", NULL
};

/* Markers that may carry the topics on the same line: "Cover: a, b". */
static const char *const inline_topic_words[] = {
	"write about", "cover", "topics", "include", "discuss", "explain",
	NULL
};

/* "Purpose: x" sets *rest to "x" (or "" when the purpose follows). */
static bool
purpose_line(const char *s, const char **rest)
{
	const char	*p = s;

	if (!eat_any(&p, purpose_words))
		return false;
	if (*p != ':' && *p != '\0')
		return false;
	if (*p == ':')
		p++;
	skip_space(&p);
	*rest = p;
	return true;
}

static bool
has_topic_word(const char *s)
{
	const char	*p;
	int		 i;

	for (i = 0; topic_words[i] != NULL; i++) {
		p = str_icase_find(s, topic_words[i]);
		if (p != NULL && (p == s || !is_word_char(p[-1])) &&
		    !is_word_char(p[strlen(topic_words[i])]))
			return true;
	}
	return false;
}

/* "Write about:", "Your note should cover:", "## What to cover". */
static bool
topic_marker(const char *s, bool heading)
{
	size_t	len = strlen(s);

	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (!heading && (len == 0 || s[len - 1] != ':'))
		return false;
	return count_words(s) <= MARKER_MAX_WORDS && has_topic_word(s);
}

/* "Cover: stack, heap" gives "stack, heap"; NULL when not such a line. */
static const char *
inline_topics(const char *s)
{
	const char	*p = s, *colon;

	if (!eat_any(&p, inline_topic_words) ||
	    (colon = strchr(s, ':')) == NULL || colon < p - 1)
		return NULL;
	colon++;
	while (isspace((unsigned char)*colon))
		colon++;
	return *colon != '\0' ? colon : NULL;
}

static void
add_inline_topics(struct ovw_builder *b, const char *list, int line)
{
	char	*t = xstrdup(list), *p, *start;
	int	 depth = 0;

	for (p = start = t;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (*p == '\0' || (depth == 0 && (*p == ',' ||
		    *p == ';'))) {
			char	c = *p;

			*p = '\0';
			str_trim(start);
			strip_leading_filler(start, list_fillers);
			trim_punct(start);
			if (*start != '\0')
				add_topic(&b->marked, start, line);
			if (c == '\0')
				break;
			start = p + 1;
		}
	}
	free(t);
}

static void
set_mode(struct ovw_builder *b, enum mode m, int level)
{
	b->mode = m;
	b->mode_level = level;
	b->cur_topic = -1;
}

static const char *const rule_heading_words[] = {
	"out of scope", "out-of-scope", "avoid", "not yet", "don't",
	"do not", "exclude", "excluded", "off limits", "off-limits",
	"not covered", "later", "skip", "forbidden", "scope rules",
	"restrictions", NULL
};

static bool
rule_heading(const char *s)
{
	int	i;

	for (i = 0; rule_heading_words[i] != NULL; i++)
		if (str_icase_find(s, rule_heading_words[i]) != NULL)
			return true;
	return false;
}

/* "Things to skip for now:" announces a list of rules. */
static bool
rule_list_marker(const char *s)
{
	size_t	len = strlen(s);

	return len > 0 && s[len - 1] == ':' &&
	    count_words(s) <= MARKER_MAX_WORDS && rule_heading(s);
}

/* --- reading blocks ------------------------------------------------------ */

/* Next sentence of s at *pos: ends after ". ", "! ", "? " (not "e.g. "). */
static char *
next_sentence(const char *s, size_t *pos)
{
	static const char *const abbrev[] = { "e.g", "i.e", "eg", "etc", "vs",
	    "ie", NULL };
	size_t	start = *pos, i, j;
	int	k;
	bool	abbr;

	if (s[start] == '\0')
		return NULL;
	for (i = start; s[i] != '\0'; i++) {
		if (strchr(".!?", s[i]) == NULL || s[i + 1] != ' ')
			continue;
		abbr = false;
		for (k = 0; abbrev[k] != NULL && !abbr; k++) {
			j = strlen(abbrev[k]);
			abbr = i - start >= j && ends_with_word(s + start,
			    i - start, abbrev[k]);
		}
		if (!abbr)
			break;
	}
	if (s[i] != '\0')
		i++;
	*pos = i;
	while (s[*pos] == ' ')
		(*pos)++;
	return xstrndup(s + start, i - start);
}

/*
 * A sentence a line of prose leaves open, read with the next line when
 * that goes on in lower case: text wrapped by hand.
 */
struct carry {
	char	*text;
	int	 line;
};

/* The sentence ends the line: ".", "!", "?" or ":", maybe in quotes. */
static bool
ends_sentence(const char *s)
{
	size_t	len = strlen(s);

	while (len > 0 && strchr(" )\"'*_`", s[len - 1]) != NULL)
		len--;
	return len > 0 && strchr(".!?:", s[len - 1]) != NULL;
}

static bool
continues_sentence(const char *line)
{
	return *line >= 'a' && *line <= 'z';
}

static void
carry_flush(struct ovw_builder *b, struct carry *c)
{
	if (c->text != NULL)
		try_rule(b, c->text, c->line, NULL);
	free(c->text);
	c->text = NULL;
}

/*
 * Rules anywhere in a line, and in the sentence an earlier line left
 * open; true when one asks for a list to follow.  Unless last, the line's
 * own open sentence is left in c.
 */
static bool
scan_rules(struct ovw_builder *b, const char *line, int lineno,
    struct carry *c, bool last)
{
	size_t	 pos = 0, len;
	char	*text, *sent;
	int	 sent_line = lineno;
	bool	 any = false;

	if (c->text != NULL && continues_sentence(line)) {
		text = xasprintf("%s %s", c->text, line);
		sent_line = c->line;
		free(c->text);
		c->text = NULL;
	} else {
		carry_flush(b, c);
		text = xstrdup(line);
	}
	while ((sent = next_sentence(text, &pos)) != NULL) {
		if (text[pos] == '\0' && !last && !ends_sentence(sent)) {
			c->text = sent;
			c->line = sent_line;
			break;
		}
		len = strlen(sent);
		if (try_rule(b, sent, sent_line, NULL) == RULE_BARE &&
		    len > 0 && sent[len - 1] == ':')
			any = true;	/* "Do not mention:" before a list */
		free(sent);
		sent_line = lineno;
	}
	free(text);
	return any;
}

static void
read_line(struct ovw_builder *b, const char *line, int lineno,
    struct carry *c, bool last)
{
	const char	*rest;

	if (lineno == b->title_line || *line == '\0')
		return;
	if (purpose_line(line, &rest)) {
		if (*rest == '\0')
			set_mode(b, MODE_PURPOSE, LINE_MARKER);
		else if (b->o->purpose == NULL)
			b->o->purpose = xstrdup(rest);
		return;
	}
	if (scan_rules(b, line, lineno, c, last) || rule_list_marker(line)) {
		set_mode(b, MODE_RULES, LINE_MARKER);
		return;
	}
	if ((rest = inline_topics(line)) != NULL)
		add_inline_topics(b, rest, lineno);
	else if (topic_marker(line, false))
		set_mode(b, MODE_TOPICS, LINE_MARKER);
}

static void
read_paragraph(struct ovw_builder *b, const struct note_block *blk)
{
	struct carry	 c = { NULL, 0 };
	char		*text = clean_text(blk->text), *lines, *p, *nl;
	int		 lineno = blk->start_line;

	if (b->mode == MODE_PURPOSE) {
		if (b->o->purpose == NULL)
			b->o->purpose = xstrdup(text);
		set_mode(b, MODE_NONE, b->mode_level);
		free(text);
		return;
	}
	free(text);
	/* A rule list announced by a line ends with the list: prose after
	   it is no longer part of what is out of scope. */
	if (b->mode == MODE_RULES && b->mode_level == LINE_MARKER)
		set_mode(b, MODE_NONE, LINE_MARKER);
	lines = xstrdup(blk->text);	/* one line at a time */
	for (p = lines;; p = nl + 1, lineno++) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		text = clean_text(p);
		read_line(b, text, lineno, &c, nl == NULL);
		free(text);
		if (nl == NULL)
			break;
	}
	carry_flush(b, &c);
	free(lines);
}

/* Strip the colon a heading or label may end with: "Out of scope:". */
static char *
heading_text(const char *s)
{
	char	*t = clean_text(s);
	size_t	 len = strlen(t);

	if (len > 0 && t[len - 1] == ':')
		t[len - 1] = '\0';
	str_trim(t);
	return t;
}

/* A heading below "## Topics" is a topic; below "## Avoid", a rule. */
static bool
heading_in_list(struct ovw_builder *b, const struct note_block *blk,
    const char *text)
{
	if (b->mode_level == LINE_MARKER || blk->level <= b->mode_level)
		return false;
	if (b->mode == MODE_IGNORE)
		return true;		/* "### Books" under "## Resources" */
	if (b->mode == MODE_TOPICS && !rule_heading(text) &&
	    !topic_marker(text, true)) {
		b->cur_topic = add_topic(&b->marked, text, blk->start_line);
		return true;
	}
	if (b->mode == MODE_RULES) {
		add_rule_item(b, text, blk->start_line);
		return true;
	}
	return false;
}

/* --- headings as topics ------------------------------------------------- */

/* Headings whose bullets are no topics: reading lists, summaries, notes. */
static const char *const ignored_headings[] = {
	"resources", "further reading", "reading", "reading list", "links",
	"see also", "sources", "bibliography", "summary", "recap", "notes",
	"note", "constraints", "tips", "exercises", "questions", "quiz",
	"style", "format", "guidelines", "instructions", NULL
};

/* Last words that make a heading a reading list: "Useful links". */
static const char *const reading_words[] = {
	"resources", "reading", "links", NULL
};

/*
 * Headings that are no topic, though their bullets may be the topics
 * ("Goals" and "Objectives" are purpose headings already).
 */
static const char *const aside_headings[] = {
	"learning objectives", "learning goals", "learning outcomes",
	"outcomes", "overview", "introduction", "intro", "background",
	"context", "prerequisites", NULL
};

/* What a reading list entry has: a link, or the name of a source. */
static const char *const reading_marks[] = {
	"http://", "https://", "www.", "](", "book", "chapter", "docs",
	"documentation", "blog", "article", "video", "rfc", "by example",
	"nomicon", "tutorial", NULL
};

/* "1. Further reading:" -> "Further reading" (the caller frees it). */
static char *
heading_key(const char *text)
{
	char	*k = xstrdup(text);

	strip_enumerator(k);
	trim_punct(k);
	return k;
}

static bool
item_cites(const struct note *n, const struct note_block *blk)
{
	const char	*line;
	char		*raw;
	size_t		 len;
	int		 l, i;
	bool		 found = false;

	for (l = blk->start_line; l <= blk->end_line && !found; l++) {
		if ((line = note_line(n, l, &len)) == NULL)
			break;
		raw = xstrndup(line, len);
		for (i = 0; reading_marks[i] != NULL && !found; i++)
			found = str_icase_find(raw, reading_marks[i]) != NULL;
		free(raw);
	}
	return found;
}

/* "## References" is a reading list when a bullet under it cites one. */
static bool
reading_list_follows(const struct ovw_builder *b, int idx)
{
	const struct note_block	*blk;
	int			 i;

	for (i = idx + 1; i < b->n->nblocks; i++) {
		blk = &b->n->blocks[i];
		if (blk->kind == NB_HEADING)
			break;
		if (blk->kind == NB_ITEM && item_cites(b->n, blk))
			return true;
	}
	return false;
}

static bool
ignored_heading(const struct ovw_builder *b, const char *text, int idx)
{
	char	*k = heading_key(text);
	size_t	 w = last_word_start(k, strlen(k));
	bool	 ignored;

	ignored = in_list_icase(k, ignored_headings) ||
	    (count_words(k) <= 3 && in_list_icase(k + w, reading_words)) ||
	    (strcasecmp(k, "references") == 0 &&
	    reading_list_follows(b, idx));
	free(k);
	return ignored;
}

static bool
aside_heading(const char *text)
{
	char	*k = heading_key(text);
	bool	 aside = in_list_icase(k, aside_headings);

	free(k);
	return aside;
}

/*
 * A heading that may be a topic, its bullets the sub-points: the outline
 * "## Stack vs heap" + "- frames".  Whether the headings or the bullets
 * are the topics is settled at the end (see pick_topics()).  A heading
 * over deeper ones, with no bullets of its own, only groups them.
 */
static void
open_heading_topic(struct ovw_builder *b, const char *text,
    const struct note_block *blk)
{
	struct topic_list	*l = &b->headed;

	if (b->last_head >= 0 && b->last_head == l->n - 1 &&
	    !b->last_head_list && blk->level > b->last_head_level)
		topic_free(&l->v[--l->n]);
	b->head_topic = add_topic(l, text, blk->start_line);
	b->last_head = b->head_topic;
	b->last_head_level = blk->level;
	b->last_head_list = false;
}

/* A bullet under a heading topic is a sub-point of it. */
static void
add_heading_subpoint(struct ovw_builder *b, const char *text)
{
	add_subpoint(&b->headed.v[b->head_topic], text);
	if (!b->last_head_list)
		b->head_lists++;
	b->last_head_list = true;
}

static void
read_heading(struct ovw_builder *b, const struct note_block *blk, int idx)
{
	char		*text = heading_text(blk->text);
	const char	*rest;
	enum rule_found	 found;
	size_t		 lead;

	b->head_topic = -1;
	b->aside = false;
	if (idx == b->title_block) {
		set_mode(b, MODE_NONE, blk->level);
		goto out;
	}
	if (heading_in_list(b, blk, text))
		goto out;
	if (purpose_line(text, &rest)) {
		set_mode(b, *rest ? MODE_NONE : MODE_PURPOSE, blk->level);
		if (*rest && b->o->purpose == NULL)
			b->o->purpose = xstrdup(rest);
		b->aside = true;
		goto out;
	}
	found = try_rule(b, text, blk->start_line, &lead);
	if (found == RULE_ADDED || found == RULE_BARE) {
		set_mode(b, found == RULE_BARE ? MODE_RULES : MODE_NONE,
		    blk->level);
		goto out;
	}
	if (found == RULE_CLAUSE)
		cut_before_clause(text, lead);
	if (*text == '\0')
		set_mode(b, MODE_NONE, blk->level);
	else if (rule_heading(text))
		set_mode(b, MODE_RULES, blk->level);
	else if (topic_marker(text, true))
		set_mode(b, MODE_TOPICS, blk->level);
	else if (ignored_heading(b, text, idx))
		set_mode(b, MODE_IGNORE, blk->level);
	else {
		set_mode(b, MODE_NONE, blk->level);
		if (aside_heading(text))
			b->aside = true;
		else
			open_heading_topic(b, text, blk);
	}
out:
	free(text);
}

/* An item in no marked list: a fallback topic, or a heading's sub-point. */
static enum role
add_unmarked_item(struct ovw_builder *b, const char *text, int line,
    int depth)
{
	if (b->head_topic >= 0 && depth == 1)
		add_heading_subpoint(b, text);
	else if (b->head_topic < 0 && !b->aside && b->mode == MODE_NONE)
		b->loose = true;
	b->role_topic[depth] = add_topic(&b->unmarked, text, line);
	return ROLE_UNMARKED;
}

/*
 * An item on its own (top level, or under an item that is no topic).  A
 * rule in a later clause leaves the text before it (cut in place).
 */
static enum role
read_top_item(struct ovw_builder *b, char *text, int line, int depth)
{
	const char	*rest;
	enum rule_found	 found;
	size_t		 lead;

	if (purpose_line(text, &rest)) {
		if (*rest != '\0' && b->o->purpose == NULL)
			b->o->purpose = xstrdup(rest);
		return ROLE_NONE;
	}
	found = try_rule(b, text, line, &lead);
	if (found == RULE_ADDED || found == RULE_BARE)
		return found == RULE_BARE ? ROLE_RULE_LIST : ROLE_NONE;
	if (found == RULE_CLAUSE)
		cut_before_clause(text, lead);
	if (*text == '\0')
		return ROLE_NONE;
	if (rule_list_marker(text))
		return ROLE_RULE_LIST;
	if ((rest = inline_topics(text)) != NULL) {
		add_inline_topics(b, rest, line);
		return ROLE_NONE;
	}
	if (topic_marker(text, false))
		return ROLE_TOPIC_LIST;
	if (b->mode == MODE_IGNORE)
		return ROLE_NONE;
	if (b->mode == MODE_RULES) {
		add_rule_item(b, text, line);
		return ROLE_NONE;
	}
	if (b->mode == MODE_TOPICS && b->cur_topic >= 0) {
		if (depth == 1)
			add_subpoint(&b->marked.v[b->cur_topic], text);
		return ROLE_NONE;
	}
	if (b->mode == MODE_TOPICS) {
		b->role_topic[depth] = add_topic(&b->marked, text, line);
		return ROLE_TOPIC;
	}
	return add_unmarked_item(b, text, line, depth);
}

/* An item nested under one whose role says where it goes. */
static enum role
read_nested_item(struct ovw_builder *b, char *text, int line, int depth)
{
	int		parent = b->role_topic[depth - 1];
	enum rule_found	found;
	size_t		lead;

	found = try_rule(b, text, line, &lead);
	if (found == RULE_ADDED || found == RULE_BARE)
		return found == RULE_BARE ? ROLE_RULE_LIST : ROLE_NONE;
	if (found == RULE_CLAUSE)
		cut_before_clause(text, lead);
	if (*text == '\0')
		return ROLE_NONE;
	switch (b->role[depth - 1]) {
	case ROLE_TOPIC:
		add_subpoint(&b->marked.v[parent], text);
		return ROLE_NONE;
	case ROLE_UNMARKED:
		add_subpoint(&b->unmarked.v[parent], text);
		return ROLE_NONE;
	case ROLE_RULE_LIST:
		add_rule_item(b, text, line);
		return ROLE_NONE;
	case ROLE_TOPIC_LIST:
		b->role_topic[depth] = add_topic(&b->marked, text, line);
		return ROLE_TOPIC;
	default:
		return ROLE_NONE;
	}
}

static void
read_item(struct ovw_builder *b, const struct note_block *blk)
{
	int	depth = blk->level < 1 ? 1 : blk->level;
	char	*text;

	if (depth > MAX_DEPTH || blk->start_line == b->title_line)
		return;
	text = clean_text(blk->text);
	if (*text == '\0')
		b->role[depth] = ROLE_NONE;
	else if (depth == 1 || b->role[depth - 1] == ROLE_NONE)
		b->role[depth] = read_top_item(b, text, blk->start_line,
		    depth);
	else
		b->role[depth] = read_nested_item(b, text, blk->start_line,
		    depth);
	free(text);
}

static void
read_blocks(struct ovw_builder *b)
{
	const struct note_block	*blk;
	int			 i;

	for (i = 0; i < b->n->nblocks; i++) {
		blk = &b->n->blocks[i];
		switch (blk->kind) {
		case NB_HEADING:
			read_heading(b, blk, i);
			break;
		case NB_PARAGRAPH:
		case NB_QUOTE:
			read_paragraph(b, blk);
			break;
		case NB_ITEM:
			read_item(b, blk);
			break;
		default:
			break;
		}
	}
}

/* --- the title ----------------------------------------------------------- */

/* A line that is a marker, a rule or the purpose is no title. */
static bool
title_like(const char *s)
{
	const char	*rest;
	size_t		 off, len;

	return *s != '\0' && !purpose_line(s, &rest) &&
	    !rule_match(s, &off, &len) && !topic_marker(s, false) &&
	    !topic_marker(s, true);
}

/* The raw first line without Markdown markers; keeps "2. ". */
static char *
raw_title(const struct note *n, int lineno)
{
	size_t		 len;
	const char	*s = note_line(n, lineno, &len);
	char		*t, *r, *w;

	t = xstrndup(s, len);
	for (r = w = t; *r != '\0'; r++)
		if (*r != '*' && *r != '_' && *r != '`')
			*w++ = *r;
	*w = '\0';
	str_trim(t);
	r = t + strspn(t, "#");
	r += strspn(r, " ");
	if (strncasecmp(r, "title:", 6) == 0)
		r += 6;
	if ((*r == '-' || *r == '+') && r[1] == ' ')
		r++;
	w = clean_text(r);
	free(t);
	return w;
}

static char *
path_title(const char *path)
{
	const char	*base = strrchr(path, '/');
	char		*t, *dot;

	t = xstrdup(base != NULL ? base + 1 : path);
	if ((dot = strchr(t, '.')) != NULL && dot != t)
		*dot = '\0';
	return t;
}

/*
 * The title: the first heading that is no marker, else the first line when
 * it is a plain line (or a one-item list, as in "2. Memory model"), else
 * the file name.
 */
static void
find_title(struct ovw_builder *b)
{
	const struct note	*n = b->n;
	const struct note_block	*first;
	char			*t;
	int			 i;

	b->title_block = -1;
	for (i = 0; i < n->nblocks; i++) {
		if (n->blocks[i].kind != NB_HEADING)
			continue;
		t = heading_text(n->blocks[i].text);
		if (title_like(t)) {
			b->o->title = clean_text(n->blocks[i].text);
			b->title_block = i;
			free(t);
			return;
		}
		free(t);
	}
	if (n->nblocks > 0) {
		first = &n->blocks[0];
		t = raw_title(n, first->start_line);
		if ((first->kind == NB_PARAGRAPH || (first->kind == NB_ITEM &&
		    (n->nblocks == 1 || n->blocks[1].kind != NB_ITEM))) &&
		    title_like(t)) {
			b->o->title = t;
			b->title_line = first->start_line;
			return;
		}
		free(t);
	}
	b->o->title = path_title(b->o->path);
}

/* --- public -------------------------------------------------------------- */

static void
take_topics(struct overview *o, struct topic_list *l)
{
	o->topics = l->v;
	o->ntopics = l->n;
	memset(l, 0, sizeof *l);
}

/*
 * The topics: those a marker names ("Write about:", "## Topics"), else
 * the headings when bullets stand under them and under nothing else, else
 * the bullets.
 */
static struct topic_list *
pick_topics(struct ovw_builder *b)
{
	if (b->marked.n > 0)
		return &b->marked;
	if (b->head_lists > 0 && !b->loose)
		return &b->headed;
	return &b->unmarked;
}

int
ovw_parse(const char *name, const char *data, size_t len,
    struct overview **out, char *err, size_t errlen)
{
	struct ovw_builder	 b;
	struct overview		*o;
	struct note		*n = NULL;
	int			 rc;

	*out = NULL;
	if ((rc = note_parse(name, data, len, &n, err, errlen)) != RN_OK)
		return rc;
	o = xcalloc(1, sizeof *o);
	o->path = xstrdup(name);
	o->src = xstrdup(n->src);
	memset(&b, 0, sizeof b);
	b.o = o;
	b.n = n;
	b.cur_topic = -1;
	b.head_topic = -1;
	b.last_head = -1;
	find_title(&b);
	read_blocks(&b);
	take_topics(o, pick_topics(&b));
	topic_list_free(&b.marked);
	topic_list_free(&b.unmarked);
	topic_list_free(&b.headed);
	note_free(n);
	if (o->ntopics == 0 && o->nrules == 0) {
		ovw_free(o);
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s: no topics found (expected a bulleted list)", name);
	}
	*out = o;
	return RN_OK;
}

int
ovw_load(const char *path, struct overview **out, char *err, size_t errlen)
{
	char	*data = NULL;
	size_t	 len = 0;
	int	 rc;

	*out = NULL;
	rc = util_read_file(path, OVW_MAX_BYTES, &data, &len, err, errlen);
	if (rc != RN_OK)
		goto out;
	rc = ovw_parse(path, data, len, out, err, errlen);
out:
	free(data);
	return rc;
}

void
ovw_free(struct overview *o)
{
	int	i;

	if (o == NULL)
		return;
	for (i = 0; i < o->ntopics; i++)
		topic_free(&o->topics[i]);
	for (i = 0; i < o->nrules; i++) {
		free(o->rules[i].text);
		strv_free(o->rules[i].terms, o->rules[i].nterms);
	}
	free(o->topics);
	free(o->rules);
	free(o->purpose);
	free(o->title);
	free(o->src);
	free(o->path);
	free(o);
}

/* note.md -> note.overview.md (any extension is replaced). */
static char *
sibling_overview(const char *note_path)
{
	const char	*slash = strrchr(note_path, '/');
	const char	*base = slash != NULL ? slash + 1 : note_path;
	const char	*dot = strrchr(base, '.');
	size_t		 stem;

	stem = (dot != NULL && dot != base) ? (size_t)(dot - note_path) :
	    strlen(note_path);
	return xasprintf("%.*s.overview.md", (int)stem, note_path);
}

int
ovw_locate(const char *note_path, const char *flag,
    const char *front_matter, char **out, char *err, size_t errlen)
{
	char	*dir, *sib, *shared;

	*out = NULL;
	if (flag != NULL && *flag != '\0') {
		*out = xstrdup(flag);
		return RN_OK;
	}
	dir = util_dirname(note_path);
	if (front_matter != NULL && *front_matter != '\0') {
		*out = util_path_join(dir, front_matter);
		free(dir);
		return RN_OK;
	}
	sib = sibling_overview(note_path);
	shared = util_path_join(dir, "overview.md");
	free(dir);
	if (util_file_exists(sib))
		*out = sib;
	else if (strcmp(shared, note_path) != 0 && util_file_exists(shared))
		*out = shared;
	if (*out != NULL) {
		if (*out != sib)
			free(sib);
		if (*out != shared)
			free(shared);
		return RN_OK;
	}
	rn_fail(err, errlen, RN_EINPUT, "no overview for %s: pass --overview "
	    "FILE, add 'overview: FILE' front matter, or create %s or %s",
	    note_path, sib, shared);
	free(sib);
	free(shared);
	return RN_EINPUT;
}
