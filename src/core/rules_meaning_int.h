/*
 * rules_meaning_int.h - the reading the meaning matcher makes of a text
 * (rules_meaning.c), the finder of its words and hits (rules_hits.c) and
 * the clause reader that fills in its clauses (rules_clause.c).  Used
 * only by those three files.
 */
#ifndef RULES_MEANING_INT_H
#define RULES_MEANING_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rustnote/rules.h"
#include "rustnote/wcache.h"
#include "rules_int.h"

#define NONE	((size_t)-1)

struct m_token {
	size_t		start, end;
	uint64_t	stem;
};

/* Where a concept stands. */
struct m_hit {
	size_t	start, end;
	size_t	concept;
	size_t	clause;
};

struct m_clause {
	size_t	start, end;
	size_t	sent;
	size_t	neg_at;		/* first negation, or NONE */
	size_t	neg_next;	/* first one after a comma after it, or NONE */
	size_t	neg_second;	/* the next one after it, or NONE */
	size_t	neg_scan;	/* no comma between neg_at and here */
	size_t	neg_end;	/* where what it denies ends */
	bool	neg_object;	/* it denies a "without"'s object alone */
	size_t	neg2_at;	/* a negation after that object, or NONE */
	size_t	neg2_end;	/* ... and where its reach ends */
	size_t	neg_verb;	/* "binds nothing": the word it denies too */
	size_t	h0, h1;		/* its hits, sorted by concept */
	size_t	label_cl;	/* the clause whose label it is about, or NONE */
	size_t	label_end;	/* first clause: where its label ends, or NONE */
	size_t	ante_cl;	/* the clause its "it" may stand for, or NONE */
	size_t	ante_end;	/* ... whose subject ends here */
	bool	rejected;	/* "instead of ...": all of it denied */
	bool	after_arrow;	/* "x -> it follows": x is what it is about */
	bool	question;
};

struct rule_meaning {
	const struct rule_set	*of;
	unsigned		 gen;
	struct wcache		 stems;		/* of words, kept between readings */
	const struct rule_lexicon *stems_of;	/* ... while this lexicon */
	unsigned		 stems_gen;	/* ... of this link stays */
	struct m_token		*tok;
	size_t			 ntok, tok_alloc;
	struct m_hit		*hit;
	size_t			 nhit, hit_alloc;
	struct m_hit		*hit_tmp;	/* scratch for sorting them */
	size_t			 hit_tmp_alloc;
	struct m_clause		*cl;
	size_t			 ncl, cl_alloc;
	bool			 arrow_before;	/* the next clause follows "->" */
	struct m_post {
		size_t	concept, clause;
	}			*post;		/* by concept, then clause */
	struct m_post		*post_tmp;	/* scratch for sorting them */
	size_t			 npost, post_alloc;
	size_t			*fill;		/* scratch: per concept */
	size_t			 fill_alloc;
	size_t			 nconcepts;
	size_t			*cand;		/* scratch for one rule */
	size_t			 ncand, cand_alloc;
	const unsigned long long *only;	/* the concepts read, or NULL: all */
	/*
	 * Of a reading for some concepts only: the first bytes of their
	 * characters and word beginnings, and the keys of their phrases
	 * (mod RULE_FILTER_KEYS), as bits; a place or word with none is not
	 * looked up.
	 */
	struct rule_filter	 filter;
	bool			 filtered;
	unsigned long long	*filter_of;	/* the mask it is of, a copy */
	size_t			 filter_words;
	size_t			*filter_regex;	/* its patterns, in index order */
	size_t			 nfilter_regex;
};

/*
 * Read t's words into m->tok and where each concept stands into m->hit,
 * sorted by start, then concept (rules_hits.c).  False when a stop was
 * asked for: then both are empty.
 */
bool rule_hits_read(struct rule_meaning *m, const struct rule_lexicon *lx,
    struct rule_text *t);
/* First phrase key with hash h, or lx->nphr. */
size_t rule_phrase_first(const struct rule_lexicon *lx, uint64_t h);

/*
 * Cut the sentences of t into clauses, give each hit (sorted by start)
 * its clause, note negations and which clauses a list label is about.
 * With stop, no clause is made.
 */
void rule_clauses_read(struct rule_meaning *m, const struct rule_lexicon *lx,
    const struct rule_text *t, bool stop);

#endif
