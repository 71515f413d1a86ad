/*
 * rules.h - the rule files behind the offline reviewer: loading, compiling
 * and matching.  (Loading entry points are declared in offline.h.)
 *
 * A rule file (a .rules file in rules/; its format is in rules/README.md)
 * holds blocks of "key: value" lines separated by blank lines.  A block
 * with an "id:" is a misconception rule, a block with a "term:" names a
 * subject an overview may rule out of scope, and blocks of "defer:" or
 * "veto:" lines hold patterns that apply to every term or rule ("same:"
 * lines list words that count as one when coverage is checked).  Patterns
 * are PCRE2 (caseless, UTF), compiled once when the file is loaded.
 *
 * Matching works on a struct rule_text: Markdown inline text flattened to
 * plain text (emphasis, link targets and backticks dropped, typographic
 * quotes made straight) that remembers where each byte came from, where its
 * inline code spans are and where its paragraphs, sentences and lines start
 * and end.  A whole note goes into one text, so each pattern scans it once.
 */
#ifndef RUSTNOTE_RULES_H
#define RUSTNOTE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/offline.h"

enum rule_scope {
	RSC_SENTENCE,	/* every pattern must match one sentence */
	RSC_BLOCK,	/* ... one paragraph or list item */
	RSC_LINE	/* ... one line */
};

struct rule_pat;		/* one compiled pattern */
struct rule_lexicon;		/* concepts and word forms (rules_lexicon.c) */
struct rule_meaning;		/* a text read as clauses of concepts */
struct rule_grams;		/* the short runs of bytes a text holds */

/* A line of a rule file kept as written until the lexicon is complete. */
struct rule_line {
	char	*text;
	int	 line;
	char	*file;		/* lexicon lines only; rules have r->file */
};

/* One item of an "all:" line: any of these concepts. */
struct rule_item {
	size_t	*alt;
	size_t	 nalt;
};

/* An "all:" line: every item within one clause, in any order. */
struct rule_conj {
	struct rule_item	*items;
	size_t			 nitems;
};

struct rule_pats {
	struct rule_pat	**v;
	size_t		  n;
};

/* A sentence that must (fire) or must not (!fire) set the rule off. */
struct rule_example {
	char	*text;
	int	 line;
	bool	 fire;
};

struct rule {
	char			*id;
	char			*topic;		/* may be NULL */
	enum finding_kind	 kind;
	enum finding_severity	 severity;
	enum rule_scope		 scope;
	bool			 headings;	/* also look at headings */
	bool			 disabled;	/* "disabled: yes" (user files) */
	char			**needs;	/* word prefixes, lower case */
	size_t			 nneeds;
	struct rule_pats	 match;		/* all must match one unit */
	struct rule_pats	 unless;	/* any one vetoes the unit */
	struct rule_line	*all_src;	/* "all:" lines as written */
	size_t			 nall;
	struct rule_line	*none_src;	/* "none:" lines as written */
	size_t			 nnone;
	struct rule_conj	*all;		/* linked: one per "all:" */
	struct rule_item	 none;		/* linked: vetoes a sentence */
	bool			 negated;	/* fires on denied claims */
	char			**see;		/* references, as written */
	size_t			 nsee;
	char			*message;
	char			*suggestion;	/* may be NULL */
	struct rule_example	*ex;
	size_t			 nex;
	char			*file;		/* where it was defined */
	int			 line;
	bool			 checked;	/* examples verified */
};

struct rule_term {
	char			*id;		/* "scope-references" */
	char			*term;		/* "references" */
	char			**names;	/* overview wordings, term first */
	size_t			 nnames;
	struct rule_pats	 word;		/* prose, headings, code spans */
	struct rule_pats	 code;		/* code spans and code blocks */
	struct rule_pats	 unless;	/* sentence-level veto */
	char			*instead;	/* what to write instead, or NULL */
	struct rule_example	*ex;
	size_t			 nex;
	char			*file;
	int			 line;
	bool			 checked;
};

/* A word prefix that lets a rule be tried ("needs:"). */
struct rule_trigger {
	const char	*prefix;	/* points into the rule's needs */
	size_t		 len;
	size_t		 rule;
};

struct rule_set {
	struct rule		*rules;
	size_t			 nrules, rules_alloc;
	struct rule_trigger	*trig;		/* sorted by prefix */
	size_t			 ntrig;
	size_t			 trig_first[257];	/* by first byte */
	struct rule_term	*terms;
	size_t			 nterms, terms_alloc;
	struct rule_pats	 defer;		/* "more on that in a later note" */
	struct rule_pats	 veto;		/* "a common myth is that ..." */
	char			**same;		/* "same:" word lists, as written */
	size_t			 nsame;
	struct rule_lexicon	*lex;		/* "concept:" and "form:" lines */
	unsigned		 lex_gen;	/* bumped when relinked */
	struct rule_ids {		/* rules (terms) by id: index + 1 */
		size_t	*slot;
		size_t	 cap;		/* a power of two, or 0 */
	}			 rule_ids, term_ids;
	/* A digest of every rule file loaded, in order (rules_stamp.c). */
	unsigned long long	 seal[2];
	bool			 stamped;	/* examples passed before */
	bool			 trusted;	/* files being read passed */
};

struct rule_range {
	size_t	start, end;		/* [start, end) in rule_text.text */
};

struct rule_text {
	struct buf		 text;	/* lines joined with '\n' */
	size_t			*src;	/* src[i]: source offset of byte i */
	size_t			 src_alloc;
	struct rule_range	*code;	/* inline code spans (no backticks) */
	size_t			 ncode, code_alloc;
	struct rule_range	*sent;	/* sentences, in order */
	size_t			 nsent, sent_alloc;
	struct rule_range	*lines;	/* one per line added */
	size_t			 nlines, lines_alloc;
	struct rule_range	*blocks;	/* paragraphs, when marked */
	size_t			 nblocks, blocks_alloc;
	size_t			 block_start;
	void			*md;	/* PCRE2 match data, made on first use */
	void			*mctx;	/* PCRE2 match context (limits) */
	size_t			 limit_hits;	/* searches stopped by a limit */
	/* Per rule, where its "needs" words start; built on first use. */
	struct rule_offsets {
		size_t	*v;
		size_t	 n, alloc;
	}			*words;
	size_t			 nwords;
	const struct rule_set	*words_of;	/* the set they were made for */
	struct rule_meaning	*mean;		/* clauses, built on first use */
	/* Which short runs of bytes the text holds, for patterns to ask
	 * before they search; made on first use, out of date once the
	 * text changes. */
	struct rule_grams	*grams;
	bool			 grams_made;
	/* When set, a bit per concept: the reading looks for these only
	 * (one rule's, when its examples are checked at load). */
	const unsigned long long *only;
};

void rule_text_init(struct rule_text *t);
void rule_text_reset(struct rule_text *t);	/* keeps its memory */
void rule_text_free(struct rule_text *t);
/*
 * Add one line of Markdown inline text (block markers such as "- " or "> "
 * already removed); base is the offset of s in the caller's source.
 */
void rule_text_add_line(struct rule_text *t, const char *s, size_t len,
    size_t base);
/* Add one row of a Markdown table: "first cell: cell; cell". */
void rule_text_add_row(struct rule_text *t, const char *s, size_t len,
    size_t base);
/* Add one line of code as it is. */
void rule_text_add_raw(struct rule_text *t, const char *s, size_t len,
    size_t base);
/*
 * End a paragraph: no sentence runs past it, and it is one unit of the
 * rules scoped to a block.  Without any, the whole text is one paragraph.
 */
void rule_text_end_block(struct rule_text *t);
/* Find the sentences; call once after the last line was added. */
void rule_text_split(struct rule_text *t);
/* Index of the paragraph holding text offset off, or nblocks if none. */
size_t rule_text_block_at(const struct rule_text *t, size_t off);

struct rule_pat *rule_pat_compile(const char *re, char *err, size_t errlen);
/* A pattern known to compile (it did before), compiled on first search. */
struct rule_pat *rule_pat_later(const char *re);
/* p is alt[0] | alt[1] | ...: each is searched alone over long ranges. */
void rule_pat_set_parts(struct rule_pat *p, const char *const *alt,
    size_t n, bool trusted);
void rule_pat_free(struct rule_pat *p);
/* First match of p inside [start, end) of t's text. */
bool rule_pat_find(const struct rule_pat *p, struct rule_text *t,
    size_t start, size_t end, struct rule_range *m);
bool rule_pats_any(const struct rule_pats *ps, struct rule_text *t,
    size_t start, size_t end);

/* Where a rule or term fired: the unit (sentence, ...) and the match. */
struct rule_hit {
	struct rule_range	unit;
	struct rule_range	match;
	bool			in_code;	/* in a code span or block */
};

typedef void (*rule_hit_fn)(void *ud, const struct rule_hit *h);

/* Run r over t (already split); fn is called once per unit that fires. */
void rule_run(const struct rule_set *rs, const struct rule *r,
    struct rule_text *t, rule_hit_fn fn, void *ud);
/*
 * Run a scope term over t, once per occurrence.  code: t holds a code
 * block (only the code patterns apply, and no sentence can defer).
 */
void rule_term_run(const struct rule_set *rs, const struct rule_term *tm,
    struct rule_text *t, bool code, rule_hit_fn fn, void *ud);

/* Does r (tm) fire on text, read as one Markdown paragraph? */
bool rule_fires(const struct rule_set *rs, const struct rule *r,
    const char *text);
bool rule_term_fires(const struct rule_set *rs, const struct rule_term *tm,
    const char *text);

/*
 * Resolve the concept names of every rule not yet linked (the lexicon may
 * be in a later file).  RN_OK or RN_EINPUT naming the file and line.
 */
enum rn_status rules_link(struct rule_set *rs, char *err, size_t errlen);
/*
 * Stem of one word as the meaning matcher sees it: lower case, irregular
 * forms ("form:" lines) made regular, common English endings cut.
 */
unsigned long long rule_stem(const struct rule_lexicon *lx, const char *w,
    size_t n);

/*
 * The irregular forms of word's family ("unwind": "unwinds|unwound|..."),
 * as a PCRE2 alternation to free, or NULL when the lexicon lists none.
 */
char *rule_forms_regex(const struct rule_set *rs, const char *word);

/*
 * How many of t's words (outside code) stand for concept; *of gets the
 * number of words.  For telling the language of a note (ENGLISH).
 */
size_t rule_text_words(const struct rule_set *rs, struct rule_text *t,
    const char *concept, size_t *of);

/* Check every example not yet checked.  RN_OK or RN_EINPUT. */
enum rn_status rules_check_examples(struct rule_set *rs, char *err,
    size_t errlen);

#endif
