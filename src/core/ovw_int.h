/*
 * ovw_int.h - what the files of the overview parser share.
 *
 * The overview is parsed as a note first, then read block by block with
 * one struct ovw_builder that knows what the text read so far has set up:
 * a list of topics, of rules, a purpose to come.  The files:
 *
 *   overview.c     the builder, the title, which topics win; load, parse,
 *                  free
 *   ovw_read.c     paragraphs line by line, list items by depth
 *   ovw_headings.c headings: markers, topics with bullets, reading lists
 *   ovw_topics.c   a topic's title and sub-points; purpose and topic
 *                  markers
 *   ovw_rules.c    the rules a sentence states, and their terms
 *   ovw_wording.c  how a scope rule is worded: where it starts and where
 *                  its terms stand
 *   ovw_text.c     cleaning and cutting text, consuming words
 *   ovw_locate.c   finding the overview for a note
 *   ovw_path.c     a learning path: which headings are its sections
 *   ovw_section.c  a section's number, anchor and subjects; finding
 *                  and choosing one
 *
 * Everything here is prefixed ovw_, as is the public interface.
 */
#ifndef RUSTNOTE_OVW_INT_H
#define RUSTNOTE_OVW_INT_H

#include <stdbool.h>
#include <stddef.h>

struct note;
struct note_block;
struct overview;
struct ovw_section;
struct ovw_topic;

#define MAX_DEPTH	 16	/* deeper bullets are ignored */
#define LINE_MARKER	 99	/* mode set by a line: ends at any heading */
#define MARKER_MAX_WORDS 12	/* longer lines are prose, not markers */

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

/*
 * What ovw_try_rule() found: a bare rule has no terms of its own
 * ("Avoid:"); a clause rule stands in a later clause, after text of
 * another kind.
 */
enum rule_found { RULE_NONE, RULE_ADDED, RULE_BARE, RULE_CLAUSE };

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

/* overview.c */
void ovw_set_mode(struct ovw_builder *b, enum mode m, int level);

/* ovw_read.c */
void ovw_read_paragraph(struct ovw_builder *b, const struct note_block *blk);
void ovw_read_item(struct ovw_builder *b, const struct note_block *blk);

/* ovw_headings.c */
void ovw_read_heading(struct ovw_builder *b, const struct note_block *blk,
    int idx);
/* A heading's plain text without the colon it may end with. */
char *ovw_heading_text(const char *s);
/* A bullet under a heading topic is a sub-point of it. */
void ovw_add_heading_subpoint(struct ovw_builder *b, const char *text);
/* Heading idx of n is a marker, rule, purpose, reading list or aside. */
bool ovw_heading_is_marker(const struct note *n, int idx);

/* ovw_topics.c */
int ovw_add_topic(struct topic_list *l, const char *text, int line);
void ovw_add_subpoint(struct ovw_topic *t, const char *text);
void ovw_topic_free(struct ovw_topic *t);
void ovw_topic_list_free(struct topic_list *l);
/* "1. Box<T>" -> "Box<T>", in place. */
void ovw_strip_enumerator(char *s);
/* "Purpose: x" sets *rest to "x" (or "" when the purpose follows). */
bool ovw_purpose_line(const char *s, const char **rest);
/* "Write about:", "Your note should cover:", "## What to cover". */
bool ovw_topic_marker(const char *s, bool heading);
/* "Cover: stack, heap" gives "stack, heap"; NULL when not such a line. */
const char *ovw_inline_topics(const char *s);
void ovw_add_inline_topics(struct ovw_builder *b, const char *list,
    int line);

/* ovw_rules.c */
enum rule_found ovw_try_rule(struct ovw_builder *b, const char *s, int line);
/*
 * The same for the text of a heading or an item; a rule in a later
 * clause leaves the text before it, cut in place.
 */
enum rule_found ovw_take_rules(struct ovw_builder *b, char *text, int line);
/* A bullet under "Out of scope": the whole text is the term list. */
void ovw_add_rule_item(struct ovw_builder *b, const char *text, int line);

/* ovw_wording.c */
/*
 * If the sentence s states a scope rule from p on, set [*off, *off + *len)
 * to the text holding its terms (may be empty: "Avoid:" before a list) and
 * return true.
 */
bool ovw_rule_match_at(const char *s, const char *p, size_t *off,
    size_t *len);
bool ovw_rule_match(const char *s, size_t *off, size_t *len);
/* The start of the clause after the one at p, or NULL. */
const char *ovw_next_clause(const char *p);
/* Length of the term list at the start of s, without what explains it. */
size_t ovw_terms_end(const char *s);
/* A word that joins clauses: "but", "and", "while" ... */
bool ovw_clause_word(const char *s);
/* A heading, or a line ending with a colon, that announces rules. */
bool ovw_rule_heading(const char *s);
bool ovw_rule_list_marker(const char *s);

/* ovw_section.c */
/*
 * The number a heading starts with: "2. T", "2) T", "Chapter 2: T",
 * "Note 4 - T".  Returns it (0 when none) and sets *title to where the
 * title starts, *word when a word like "Chapter" came first.
 */
int ovw_heading_number(const char *s, const char **title, bool *word);
/* GitHub-style anchor: lower case, punctuation dropped, '-' for spaces. */
char *ovw_anchor(const char *s);
/* Fill number, titles, anchor and subjects of a section from heading. */
void ovw_section_name(struct ovw_section *s, const char *heading);

/* ovw_text.c */
bool ovw_is_word_char(unsigned char c);
/* Plain one-line text: straight quotes, single spaces. */
char *ovw_clean_text(const char *s);
/* Drop quotation marks and backticks, in place; keeps "Rust's". */
void ovw_strip_quotes(char *s);
void ovw_collapse_spaces(char *s);
/* Remove every "(...)" aside, in place. */
void ovw_strip_parens(char *s);
/* Trim white space and the punctuation that ends a phrase. */
void ovw_trim_punct(char *s);
bool ovw_ends_with_word(const char *s, size_t len, const char *word);
/* Start of the word that ends s[0..len), after any spaces. */
size_t ovw_last_word_start(const char *s, size_t len);
/* Drop one of fillers ("or", "such as") that s starts with. */
bool ovw_strip_leading_filler(char *s, const char *const *fillers);
/* Drop leading fillers and trailing ones ("for now", "yet") in turn. */
void ovw_strip_fillers(char *s, const char *const *leading);
typedef void (*ovw_piece_fn)(void *ud, const char *s, size_t len);
/* Call fn for each piece of s between commas or semicolons outside "()". */
int ovw_split_commas(const char *s, ovw_piece_fn fn, void *ud);
/* Position of the first " or " / " and " / " nor " / " & " in s[0..len). */
const char *ovw_find_conjunction(const char *s, size_t len, size_t *wlen);
void ovw_strv_push(char ***v, int *n, char *s);
void ovw_strv_free(char **v, int n);
void ovw_skip_space(const char **p);
/* Consume word (case-insensitively, whole words only) and the space after. */
bool ovw_eat(const char **p, const char *word);
bool ovw_eat_any(const char **p, const char *const *words);

#endif
