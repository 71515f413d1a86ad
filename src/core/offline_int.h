/*
 * offline_int.h - what the files of the offline reviewer share.
 *
 * One struct offline holds a review's state: the note and overview, the
 * note's prose and code gathered into two texts for the patterns, word
 * stems per block and section, the scope terms and what they found.  The
 * files, each with its own prefix:
 *
 *   offline.c                 offline_: the driver and the findings list
 *   offline_source.c          source_: lines, a block's own text, quotes
 *   offline_stems.c           stems_: word stems and the lexicon
 *   offline_coverage.c        coverage_: topics and sub-points
 *   offline_scope.c           scope_: terms the overview rules out
 *   offline_misconceptions.c  misconceptions_: the rule files' rules
 *   offline_structure.c       structure_: empty sections, unfinished
 *                             sentences, headings written twice
 */
#ifndef RUSTNOTE_OFFLINE_INT_H
#define RUSTNOTE_OFFLINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rustnote/rules.h"

struct finding;
struct finding_list;
struct note;
struct note_block;
struct overview;
struct scope_hit;
struct scope_term;
struct synonym;
struct wcache;

#define QUOTE_MAX	160	/* bytes of note text quoted in a finding */
#define QUOTE_CONTEXT	60	/* ... around the match when cut */

/*
 * Coverage compares words after cutting common English endings, so that
 * "deallocation", "deallocated" and "deallocator" meet in "dealloc" and
 * "lifetimes" in "lifetim".  Stems are kept as 64-bit hashes.
 */
struct stemset {
	uint64_t	*v;		/* sorted, unique */
	size_t		 n, alloc;
	uint64_t	*key;		/* those that are not generic words */
	size_t		 nkey, key_alloc;
};

/*
 * Stop and generic words as hashes, and the synonyms: built per review,
 * with what each word of the note came to, by word (a memo).
 */
struct lexicon {
	uint64_t	*stop, *generic;
	size_t		 nstop, ngeneric;
	struct synonym	*syn;
	size_t		 nsyn;
	struct wcache	*words;
};

struct offline {
	const struct note	*n;
	const struct overview	*o;
	const struct rule_set	*rs;
	struct finding_list	*out;
	struct rule_text	 t;		/* all prose of the note */
	struct rule_text	 code;		/* all code blocks */
	int			*tblock;	/* paragraph of t -> block */
	struct lexicon		 lx;
	struct stemset		*bags;		/* per block: text, not code */
	struct stemset		*titles;	/* per section */
	bool			*has_content;	/* per section */
	bool			*reported;	/* per section: by coverage */
	struct scope_term	*terms;
	size_t			 nterms;
	struct scope_hit	*hits;
	size_t			 nhits, hits_alloc;
	int			*rule_line;	/* last line each rule fired */
	size_t			 cur;		/* rule or term being run */
	size_t			 nskipped;	/* rules that hit a limit */
	const char		*skipped_id;	/* the first of them */
	bool			 in_code_text;	/* terms run over code */
	bool			 english;	/* else: word checks skipped */
};

static inline bool
offline_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* offline.c */
/* The list takes no more: building further findings is wasted work. */
bool offline_list_full(const struct offline *c);
/* Mark f as offline, clean it and add it to the findings. */
void offline_emit(struct offline *c, struct finding *f);
char *offline_dup_or_empty(const char *s);
/* Title of the section holding line, or "". */
const char *offline_section_title(const struct offline *c, int line);

/* offline_source.c */
/* 1-based line holding source offset off. */
int source_line_of(const struct note *n, size_t off);
/* Back from i to the start of a UTF-8 sequence, not before floor. */
size_t source_utf8_back(const char *s, size_t i, size_t floor);
/* A cut quote starts at a word: forward to after a space, if one is near. */
size_t source_word_start(const char *s, size_t i, size_t end);
/*
 * The note text [qs, qe) as quoted in a finding: verbatim, on the line of
 * the match [ms, me), with the Markdown around it kept whole, and cut to
 * QUOTE_MAX bytes around the match when longer.
 */
char *source_quote(const struct note *n, size_t qs, size_t qe, size_t ms,
    size_t me);
/* A heading's line as quoted: its text without the "#" markers. */
char *source_heading_quote(const struct note *n, int line);
size_t source_skip_spaces(const char *s, size_t len, size_t i);
/* Length of a list marker ("- ", "* ", "12. ", "3) ") at s[i], or 0. */
size_t source_list_marker(const char *s, size_t len, size_t i);
/* Where a block's own text starts on one of its lines. */
size_t source_text_start(const struct note_block *b, int line,
    const char *s, size_t len);
/* A paragraph, item, quote or heading. */
bool source_is_prose(const struct note_block *b);
/* Append a block of prose to c->t, a code block's lines to c->code. */
void source_add_prose(struct offline *c, const struct note_block *b);
void source_add_code(struct offline *c, const struct note_block *b);
/* The "//" comments of a Rust block, as prose of block bi. */
void source_add_comments(struct offline *c, const struct note_block *b,
    int bi);

/* offline_stems.c */
void stems_lexicon_init(struct lexicon *lx, const struct rule_set *rs);
void stems_lexicon_free(struct lexicon *lx);
/* The stems of s, synonyms merged, into st (emptied first). */
void stems_of(const struct lexicon *lx, const char *s, struct stemset *st);
void stems_free(struct stemset *st);
bool stems_has(const struct stemset *st, uint64_t h);
/* Every stem of a is in b. */
bool stems_within(const uint64_t *a, size_t na, const struct stemset *b);
/* Bytes of the letter or digit at s (0 when it is none). */
size_t stems_word_char_len(const char *s, size_t avail);

/* offline_coverage.c */
void coverage_prepare(struct offline *c);
void coverage_check(struct offline *c);
void coverage_free(struct offline *c);

/* offline_scope.c */
void scope_prepare(struct offline *c);
/* Find the terms in the prose, or (code) in the code blocks. */
void scope_find(struct offline *c, bool code);
void scope_report(struct offline *c);
void scope_free(struct offline *c);

/* offline_misconceptions.c */
void misconceptions_run(struct offline *c);

/* offline_structure.c */
void structure_check(struct offline *c);

#endif
