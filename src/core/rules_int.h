/*
 * rules_int.h - what the files of the rule set share.
 *
 *   rules.c           loading files and folders, checking the examples,
 *                     freeing a set
 *   rules_parse.c     the file format: lines into blocks of "key: value"
 *   rules_build.c     a block into a rule, a scope term or set-wide
 *                     patterns
 *   rules_pattern.c   PCRE2 patterns: compiling and searching
 *   rules_lits.c      the literals a pattern cannot match without
 *   rules_grams.c     whether a text holds them
 *   rules_text.c      Markdown inline text flattened for matching
 *   rules_sentence.c  a text's paragraphs and sentences
 *   rules_match.c     running rules and scope terms over a text
 *   rules_lexicon.c   concepts and word forms; linking rules
 *   rules_index.c     the lexicon's entries, indexed for the reader
 *   rules_stem.c      the words of a text and their stems
 *   rules_meaning.c   a text as clauses of concepts; "all:" rules
 *   rules_hits.c      where the concepts stand in a text
 *   rules_clause.c    a text's clauses, for the meaning matcher
 *
 * Everything is prefixed rule_, or rules_ when it is about a whole set,
 * as in rules.h.
 */
#ifndef RUSTNOTE_RULES_INT_H
#define RUSTNOTE_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rustnote/err.h"
#include "rustnote/rules.h"

/* Bytes of words and sentences; anything from 0x80 on counts as a letter. */
static inline bool
rule_is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80;
}

static inline bool
rule_is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes of the ASCII words "needs:" lists. */
static inline bool
rule_is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static inline unsigned char
rule_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

/* One "key: value" line of a block. */
struct rule_kv {
	char		*key;
	char		*value;
	int		 line;
	int		 kid;		/* the key's place in the known keys, or -1 */
	unsigned	 flags;		/* where it may stand, what it holds */
};

/* A rule file being read: the block so far, and where errors go. */
struct rule_parser {
	struct rule_set	*rs;
	const char	*name;
	struct rule_kv	*kv;
	size_t		 nkv, kv_alloc;
	int		 block_line;
	char		*err;
	size_t		 errlen;
};

/* --- the lexicon (rules_lexicon.c) --------------------------------------- */

enum rule_entry_kind {
	RE_PHRASE,	/* stems of adjacent words: "stack frame" */
	RE_PREFIX,	/* a word beginning: "alloc*" */
	RE_LITERAL,	/* characters, caseless: "{}", "&mut" */
	RE_EXACT,	/* characters as written, in backticks: `Vec` */
	RE_REGEX	/* a PCRE2 pattern between slashes */
};

struct rule_entry {
	enum rule_entry_kind	 kind;
	size_t			 concept;
	uint64_t		*stems;		/* RE_PHRASE */
	size_t			 nstems;
	char			*text;		/* RE_PREFIX, RE_LITERAL, RE_EXACT */
	size_t			 len;
	uint32_t		 head, hmask;	/* its first 4 bytes (fewer)
						   packed, and which are */
	struct rule_pat		*re;		/* RE_REGEX */
};

/*
 * The first bytes of s[0, n) (4 at most), packed from the top byte down
 * and zero-filled, lower case unless exact: a text's, compared with an
 * entry's head under its hmask, tells most entries apart at once.
 */
static inline uint32_t
rule_head(const char *s, size_t n, bool exact)
{
	uint32_t	w = 0;
	size_t		i;

	for (i = 0; i < 4; i++)
		w = w << 8 | (i >= n ? 0 : exact ? (unsigned char)s[i] :
		    rule_lower((unsigned char)s[i]));
	return w;
}

struct rule_concept {
	char			*name;		/* NULL: a rule's own words */
	char			*wording;	/* those words, as written */
	struct rule_line	*src;		/* entry lists as written */
	size_t			 nsrc;
};

/* An irregular form and the word it stands for: "has" -> "have". */
struct rule_form {
	uint64_t	 hash;		/* of the form, lower case */
	char		*base;
};

/*
 * Index of phrase entries: a one-word entry by its stem, a longer one by
 * its first two stems together, so a common first word ("the ...") does
 * not make every phrase that starts with it a candidate.
 */
struct rule_phrase_key {
	uint64_t	hash;
	size_t		entry;
};

static inline uint64_t
rule_phrase_pair(uint64_t first, uint64_t second)
{
	return (first ^ (second * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
}

/*
 * The first bytes of some concepts' entries of characters and of word
 * beginnings, and the keys of their phrases (mod RULE_FILTER_KEYS), as
 * bits.
 */
#define RULE_FILTER_KEYS	4096

struct rule_filter {
	uint64_t	chars[4], prefixes[4];
	uint64_t	keys[RULE_FILTER_KEYS / 64];
};

/* The bit of phrase key k in a filter's keys. */
static inline size_t
rule_filter_key(uint64_t k)
{
	return (size_t)(k & (RULE_FILTER_KEYS - 1));
}

struct rule_lexicon {
	struct rule_concept	*c;
	size_t			 nc, c_alloc;
	struct rule_line	*form_src;	/* "form:" lines */
	size_t			 nform_src;
	struct rule_form	*form;		/* sorted by hash */
	size_t			 nform;
	struct rule_entry	*e;
	size_t			 ne, e_alloc;
	struct rule_phrase_key	*phr;		/* sorted by hash */
	size_t			 nphr;
	struct rule_phrase_key	*phr_at;	/* hash -> first in phr */
	size_t			 phr_mask;	/* of phr_at's slots */
	size_t			*bytes;		/* literal entries ... */
	size_t			 byte_first[257];	/* ... by first byte, */
	unsigned char		*byte2;		/* then by second (0: none) */
	size_t			*pbytes;	/* word beginnings ... */
	size_t			 pbyte_first[257];	/* ... by first byte, */
	unsigned char		*pbyte2;	/* then by second (0: none) */
	size_t			*centry_first;	/* concept c's entries are */
	size_t			*centry;	/* centry[centry_first[c]...] */
	size_t			 english;	/* ENGLISH: only counted */
	size_t			*regex;		/* the RE_REGEX entries */
	size_t			 nregex;
	size_t			 neg, neg_all, but, instead;	/* steering */
	struct rule_filter	 steer;		/* of those four */
	struct wcache		*link_stems;	/* while linking: stems by word */
	bool			 built;
	bool			 trusted;	/* patterns: as in rule_set */
};

#define RULE_NO_CONCEPT	((size_t)-1)

/* The byte of an entry of characters that a text must start it with. */
static inline unsigned char
rule_entry_first_byte(const struct rule_entry *e)
{
	return e->kind == RE_EXACT ? (unsigned char)e->text[0] :
	    rule_lower((unsigned char)e->text[0]);
}

/* rules_index.c */
/* Index the entries made by linking; free that index. */
void rule_index_build(struct rule_lexicon *lx);
void rule_index_free(struct rule_lexicon *lx);
/* Add concept c's entries to f. */
void rule_filter_add(struct rule_filter *f, const struct rule_lexicon *lx,
    size_t c);

/*
 * Move the concept and form lines of from, a set read from one file, to
 * rs as if that file had been read into rs.
 */
void rule_lexicon_merge(struct rule_set *rs, struct rule_lexicon *from);
/* Add a "concept:" or "form:" line (rules_build.c). */
int rule_lexicon_add(struct rule_parser *ps, const struct rule_kv *kv);
void rule_lexicon_free(struct rule_lexicon *lx);
/* The "form:" entry of a word's hash, or NULL (rules_stem.c). */
const struct rule_form *rule_form_find(const struct rule_lexicon *lx,
    uint64_t h);
/* Forget entries and links: a file added rules or wordings. */
void rule_lexicon_unbuild(struct rule_lexicon *lx);
bool rule_is_concept_name(const char *s);
size_t rule_concept_find(const struct rule_lexicon *lx, const char *name);
/* One wording into *e (concept not set); false and msg on failure. */
bool rule_entry_read(const struct rule_lexicon *lx, struct wcache *stems,
    const char *w, struct rule_entry *e, char *msg, size_t msglen);
void rule_entry_push(struct rule_lexicon *lx, const struct rule_entry *e);
void rule_entry_clear(struct rule_entry *e);
/* Where the wording at p ends at sep (outside /patterns/, `code`). */
char *rule_wording_end(char *p, char sep);

/* rules_link.c */
/* Link every rule's lines to concepts, its own wordings read too. */
enum rn_status rule_link_rules(struct rule_set *rs, char *err, size_t errlen);
void rule_item_clear(struct rule_item *it);
/* Free what rules_link() made for r. */
void rule_links_clear(struct rule *r);
typedef void (*rule_word_fn)(void *ud, size_t start, size_t end,
    uint64_t stem);
struct wcache;
/*
 * Each word of s[0, len) with its stem; "doesn't" gives "does", "not".
 * The stems are asked of cache first and kept there, when it is not NULL:
 * it must be emptied when lx changes.
 */
void rule_words(const struct rule_lexicon *lx, const char *s, size_t len,
    struct wcache *cache, rule_word_fn fn, void *ud);
/* Bytes of a word for the meaning matcher (letters, digits, '_', UTF-8). */
static inline bool
rule_is_mword(unsigned char c)
{
	return rule_is_word_byte(c) || c >= 0x80;
}

/* rules_meaning.c */
/* Run a rule with "all:" lines over t. */
void rule_meaning_run(const struct rule_set *rs, const struct rule *r,
    struct rule_text *t, rule_hit_fn fn, void *ud);
void rule_meaning_free(struct rule_meaning *m);
/* The text changed: read it again on the next run. */
void rule_meaning_forget(struct rule_text *t);

/* rules_parse.c */
/* Read one rule file's text into rs.  RN_OK or RN_EINPUT. */
enum rn_status rules_parse(struct rule_set *rs, const char *name,
    const char *text, char *err, size_t errlen);
/* Fail with "file:line: message".  Returns RN_EINPUT. */
int rule_parse_fail(struct rule_parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The block's line with key, or NULL. */
const struct rule_kv *rule_kv_get(const struct rule_parser *ps,
    const char *key);

/* rules_build.c */
/* Turn the block read into a rule, a term or set-wide patterns. */
int rule_block_add(struct rule_parser *ps);
/*
 * Move what from, a set read from one file, defines into rs, as if that
 * file had been read into rs: a rule or term whose id rs has replaces it,
 * the rest goes after rs's own.  from is left empty.  After the last
 * file, rules_merged() readies rs for linking.
 */
void rules_merge(struct rule_set *rs, struct rule_set *from);
void rules_merged(struct rule_set *rs);
void rule_ids_free(struct rule_ids *ix);
/* Look up the key of a line just read (rules_build.c knows the keys). */
void rule_key_read(struct rule_kv *kv);
/* A key that holds a list: it may repeat, and a pattern fits one line. */
bool rule_key_is_list(const struct rule_kv *kv);
/* A key that holds a PCRE2 pattern: it must fit on one line. */
bool rule_key_is_pattern(const struct rule_kv *kv);
void rule_clear(struct rule *r);
void rule_term_clear(struct rule_term *tm);

/* --- literals of patterns (rules_lits.c, rules_grams.c) ------------------- */

/*
 * What a pattern cannot match without: in some branch, for every clause,
 * one of the clause's literals (ASCII, lower case, 1 to 16 bytes).  No branch: nothing
 * known, the pattern may match anything.
 */
#define RULE_LITS_STARTS	6	/* first bytes looked for one by one */

struct rule_lits {
	char			*buf;		/* the literals, back to back */
	size_t			 buf_len;
	struct rule_lit {
		uint32_t	 off;		/* in buf */
		uint32_t	 head, tail;	/* first and last 4 bytes, or all */
		uint8_t		 len;
	}			*lit;
	size_t			 nlit;
	struct rule_lits_clause {
		uint32_t	 end;		/* its literals end here in lit */
		uint64_t	 first[4];	/* their first bytes, as bits */
		unsigned char	 starts[RULE_LITS_STARTS];	/* ... and */
		uint8_t		 nstarts;	/* in both cases, when few */
	}			*clause;
	size_t			 nclause;
	uint32_t		*branch_end;	/* its clauses end here */
	size_t			 nbranch;
	uint64_t		 serial;	/* never the same twice: 1, 2, ... */
};

/* Read what pattern re (valid PCRE2, caseless) cannot match without. */
void rule_lits_read(struct rule_lits *l, const char *re);
void rule_lits_free(struct rule_lits *l);
/*
 * Can a pattern with literals l match in t[start, end)?  False only when
 * it cannot; then it need not be searched.
 */
bool rule_lits_may_match(const struct rule_lits *l, struct rule_text *t,
    size_t start, size_t end);
/* Free what rule_lits_may_match() keeps in t. */
void rule_lits_text_free(struct rule_text *t);

/* rules_pattern.c */
/* How many alternatives p searches alone (0: it is searched whole). */
size_t rule_pat_parts(const struct rule_pat *p);
/* Read what p's first search would read (its literals) now. */
void rule_pat_prepare(const struct rule_pat *p);
void rule_pats_add(struct rule_pats *ps, struct rule_pat *p);
void rule_pats_free(struct rule_pats *ps);
/* Free what searching left in t. */
void rule_match_data_free(struct rule_text *t);

/* rules_stamp.c */
/* A digest of bytes: two lanes of 64 bits. */
struct rule_digest {
	unsigned long long	a, b;
};
void rule_digest_init(struct rule_digest *d);
void rule_digest_add(struct rule_digest *d, const void *p, size_t n);
/* Add the running program's bytes; false if they cannot be read. */
bool rule_digest_program(struct rule_digest *d);
/* $XDG_CACHE_HOME/rustnote/rules-checked, or NULL. */
char *rule_stamp_path(void);
/* The stamp the build left beside a rules folder: DIR/checked.stamp. */
char *rule_stamp_shipped(const char *rules_dir);
/* Did a set of this digest pass its check before? */
bool rule_stamp_holds(const char *path, const struct rule_digest *d);
/* Remember that it did (best effort). */
void rule_stamp_keep(const char *path, const struct rule_digest *d);

/* rules_text.c */
void rule_range_push(struct rule_range **v, size_t *n, size_t *alloc,
    size_t start, size_t end);

/* rules_sentence.c */
/* Index of the unit holding offset off (or the next one), n if none. */
size_t rule_unit_at(const struct rule_range *v, size_t n, size_t off);

/* rules_match.c */
/*
 * rule_fires() (r) or rule_term_fires() (tm) with a text the caller
 * keeps, so that checking many examples reuses its memory.
 */
bool rule_fires_in(const struct rule_set *rs, const struct rule *r,
    const struct rule_term *tm, const char *text, struct rule_text *t);
/* Index the "needs" words of every rule, for rule_run(). */
void rules_build_triggers(struct rule_set *rs);

#endif
