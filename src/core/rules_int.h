/*
 * rules_int.h - what the files of the rule set share.
 *
 *   rules.c           loading files and folders, checking the examples,
 *                     freeing a set
 *   rules_parse.c     the file format: lines into blocks of "key: value"
 *   rules_build.c     a block into a rule, a scope term or set-wide
 *                     patterns
 *   rules_pattern.c   PCRE2 patterns: compiling and searching
 *   rules_text.c      Markdown inline text flattened for matching
 *   rules_sentence.c  a text's paragraphs and sentences
 *   rules_match.c     running rules and scope terms over a text
 *
 * Everything is prefixed rule_, or rules_ when it is about a whole set,
 * as in rules.h.
 */
#ifndef RUSTNOTE_RULES_INT_H
#define RUSTNOTE_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>

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
	char	*key;
	char	*value;
	int	 line;
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

/* rules_parse.c */
/* Read one rule file's text into rs.  RN_OK or RN_EINPUT. */
int rules_parse(struct rule_set *rs, const char *name, const char *text,
    char *err, size_t errlen);
/* Fail with "file:line: message".  Returns RN_EINPUT. */
int rule_parse_fail(struct rule_parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The block's line with key, or NULL. */
const struct rule_kv *rule_kv_get(const struct rule_parser *ps,
    const char *key);

/* rules_build.c */
/* Turn the block read into a rule, a term or set-wide patterns. */
int rule_block_add(struct rule_parser *ps);
/* A key that holds a list: it may repeat, and a pattern fits one line. */
bool rule_key_is_list(const char *key);
void rule_clear(struct rule *r);
void rule_term_clear(struct rule_term *tm);

/* rules_pattern.c */
void rule_pats_add(struct rule_pats *ps, struct rule_pat *p);
void rule_pats_free(struct rule_pats *ps);
/* Free what searching left in t. */
void rule_match_data_free(struct rule_text *t);

/* rules_text.c */
void rule_range_push(struct rule_range **v, size_t *n, size_t *alloc,
    size_t start, size_t end);

/* rules_sentence.c */
/* Index of the unit holding offset off (or the next one), n if none. */
size_t rule_unit_at(const struct rule_range *v, size_t n, size_t off);

/* rules_match.c */
/* Index the "needs" words of every rule, for rule_run(). */
void rules_build_triggers(struct rule_set *rs);

#endif
