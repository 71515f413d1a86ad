/*
 * rules_pattern.c - the PCRE2 patterns of the rule files: compiled once
 * (caseless, UTF; to machine code on first use on a long text, when
 * available) and searched within a range of a
 * rule_text, with limits so that a user's pattern cannot hang the review.
 * A range without the literals a match needs (rules_lits.c) is not
 * searched.  The only file that talks to PCRE2.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"

/* A user's pattern must not hang the review (catastrophic backtracking). */
#define MATCH_LIMIT	200000
#define DEPTH_LIMIT	5000

/*
 * Compiling a pattern to machine code costs more than matching it on a
 * note of a few pages, and every pattern is compiled on each start.  So
 * the machine code is made the first time a pattern searches a long text,
 * as a copy, published once made: other threads go on matching the
 * interpreted pattern meanwhile.
 */
#define JIT_MIN_TEXT	(64 * 1024)

/*
 * The literals a match needs are read from the pattern on its first
 * search, not when it is compiled: the rule files are compiled one after
 * another, and the first searches are the examples, checked on two
 * threads.  The thread that claims the reading does it; another that
 * asks meanwhile searches without them.
 */
enum lits_state { LITS_UNREAD, LITS_READING, LITS_READ };

struct rule_pat {
	char			*src;		/* as written, for its literals */
	struct rule_lits	 lits;		/* no match without them */
	atomic_int		 lits_state;
	pcre2_code *_Atomic	 re;		/* never given machine code */
	pcre2_code *_Atomic	 jit;		/* a copy with it, once made */
	atomic_bool		 jit_tried;	/* jit stays NULL on failure */
	struct rule_pat		**part;		/* its alternatives, alone */
	size_t			 npart;
};

/*
 * Alternatives joined ("(?:a)|(?:b)", a rule's "match:" and "or:" lines)
 * cost PCRE2 the shortcuts each has alone: the byte a match must hold,
 * looked for before anything is tried.  So over a long range each
 * alternative is searched alone and the leftmost match kept, the first
 * alternative's at a tie: what the joined pattern finds there too.
 */
#define PARTS_MIN	(4 * 1024)

#define PAT_FLAGS	(PCRE2_CASELESS | PCRE2_UTF)

/*
 * p's compiled code.  A pattern of files that passed their check before
 * is compiled on its first search, not when read (rule_pat_later()): a
 * review searches a fraction of them, a text without a pattern's
 * literals never gets that far.  Two threads may compile it at once;
 * the first to publish wins.  NULL only if it no longer compiles.
 */
static pcre2_code *
pat_code(struct rule_pat *p)
{
	pcre2_code	*code, *none = NULL;
	PCRE2_SIZE	 off;
	int		 ec;

	if ((code = atomic_load_explicit(&p->re, memory_order_acquire)) !=
	    NULL)
		return code;
	code = pcre2_compile((PCRE2_SPTR)p->src, PCRE2_ZERO_TERMINATED,
	    PAT_FLAGS, &ec, &off, NULL);
	if (code != NULL && !atomic_compare_exchange_strong(&p->re, &none,
	    code)) {
		pcre2_code_free(code);
		code = none;
	}
	return code;
}

/* p's literals, read now if no other thread is at it; NULL if one is. */
static const struct rule_lits *
pat_lits(struct rule_pat *p)
{
	int	unread = LITS_UNREAD;

	if (atomic_load_explicit(&p->lits_state, memory_order_acquire) ==
	    LITS_READ)
		return &p->lits;
	if (!atomic_compare_exchange_strong(&p->lits_state, &unread,
	    LITS_READING))
		return NULL;
	rule_lits_read(&p->lits, p->src);
	atomic_store_explicit(&p->lits_state, LITS_READ,
	    memory_order_release);
	return &p->lits;
}

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

static bool pat_find(const struct rule_pat *p, struct rule_text *t,
    size_t start, size_t end, struct rule_range *m);

static pcre2_code *
jit_code(struct rule_pat *p)
{
	pcre2_code	*copy;

	if (!atomic_load(&p->jit_tried)) {
		pthread_mutex_lock(&jit_lock);
		if (!atomic_load(&p->jit_tried)) {
			copy = pat_code(p) != NULL ?
			    pcre2_code_copy(pat_code(p)) : NULL;
			if (copy != NULL && pcre2_jit_compile(copy,
			    PCRE2_JIT_COMPLETE) != 0) {
				pcre2_code_free(copy);
				copy = NULL;
			}
			atomic_store(&p->jit, copy);
			atomic_store(&p->jit_tried, true);
		}
		pthread_mutex_unlock(&jit_lock);
	}
	return atomic_load(&p->jit);
}

void
rule_pat_prepare(const struct rule_pat *p)
{
	(void)pat_lits((struct rule_pat *)p);	/* p's cache, not p */
}

struct rule_pat *
rule_pat_compile(const char *re, char *err, size_t errlen)
{
	struct rule_pat		*p;
	pcre2_code		*code;
	pcre2_match_data	*md;
	PCRE2_UCHAR		 msg[256];
	PCRE2_SIZE		 off;
	int			 ec, rc;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PAT_FLAGS, &ec, &off, NULL);
	if (code == NULL) {
		pcre2_get_error_message(ec, msg, sizeof msg);
		rn_fail(err, errlen, RN_EINPUT, "pattern error at offset "
		    "%zu: %s", (size_t)off, (const char *)msg);
		return NULL;
	}
	/* A pattern that matches nothing at all would fire everywhere. */
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (rc >= 0) {
		pcre2_code_free(code);
		rn_fail(err, errlen, RN_EINPUT,
		    "pattern matches empty text, so it would fire everywhere");
		return NULL;
	}
	p = rule_pat_later(re);
	atomic_store(&p->re, code);
	return p;
}

struct rule_pat *
rule_pat_later(const char *re)
{
	struct rule_pat	*p = xcalloc(1, sizeof *p);

	p->src = xstrdup(re);
	atomic_init(&p->lits_state, LITS_UNREAD);
	atomic_init(&p->re, NULL);
	atomic_init(&p->jit, NULL);
	atomic_init(&p->jit_tried, false);
	return p;
}

/*
 * Does the pattern name a group by number or name, or branch on one?
 * Then an alternative alone may mean something else, or not compile.
 */
static bool
names_groups(const char *re)
{
	const char	*s;

	for (s = re; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			/* \1, \k<name>, \g1, \g{1}; \g{-1} counts back
			   within its alternative */
			if ((*s >= '1' && *s <= '9') || *s == 'k' ||
			    (*s == 'g' && (s[1] != '{' || s[2] != '-')))
				return true;
			continue;
		}
		if (s[0] == '(' && s[1] == '?' && (s[2] == 'P' || s[2] == '(' ||
		    s[2] == '|' || s[2] == '&' || s[2] == 'R' ||
		    (s[2] >= '0' && s[2] <= '9') || s[2] == '+' ||
		    (s[2] == '<' && s[3] != '=' && s[3] != '!') ||
		    s[2] == '\''))
			return true;
	}
	return false;
}

/*
 * Each alternative is compiled alone now, or if the files passed before
 * (trusted), on its first search; one that does not compile alone
 * leaves the pattern whole.
 */
void
rule_pat_set_parts(struct rule_pat *p, const char *const *alt, size_t n,
    bool trusted)
{
	size_t	i;

	if (n < 2 || p->npart > 0)
		return;
	for (i = 0; i < n; i++)
		if (names_groups(alt[i]))
			return;
	p->part = xcalloc(n, sizeof *p->part);
	for (i = 0; i < n; i++)
		if ((p->part[i] = trusted ? rule_pat_later(alt[i]) :
		    rule_pat_compile(alt[i], NULL, 0)) == NULL) {
			while (i > 0)
				rule_pat_free(p->part[--i]);
			free(p->part);
			p->part = NULL;
			return;
		}
	p->npart = n;
}

size_t
rule_pat_parts(const struct rule_pat *p)
{
	return p->npart;
}

void
rule_pat_free(struct rule_pat *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->npart; i++)
		rule_pat_free(p->part[i]);
	free(p->part);
	rule_lits_free(&p->lits);
	free(p->src);
	pcre2_code_free(atomic_load(&p->re));
	pcre2_code_free(atomic_load(&p->jit));
	free(p);
}

void
rule_pats_add(struct rule_pats *ps, struct rule_pat *p)
{
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
	ps->v[ps->n++] = p;
}

void
rule_pats_free(struct rule_pats *ps)
{
	size_t	i;

	for (i = 0; i < ps->n; i++)
		rule_pat_free(ps->v[i]);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

/* Match data and limits, made on t's first search. */
static void
prepare_match(struct rule_text *t)
{
	if (t->md == NULL)
		t->md = pcre2_match_data_create(16, NULL);
	if (t->mctx == NULL) {
		t->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(t->mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(t->mctx, DEPTH_LIMIT);
	}
	if (t->md == NULL || t->mctx == NULL)
		fatal("out of memory");
}

static bool
find_leftmost_part(const struct rule_pat *p, struct rule_text *t,
    size_t start, size_t end, struct rule_range *m)
{
	struct rule_range	r;
	size_t			i;
	bool			found = false;

	/* files trusted unchecked: an alternative that does not compile
	   alone (\g{-1} back into another) leaves the search to the whole */
	for (i = 0; i < p->npart; i++)
		if (pat_code(p->part[i]) == NULL)
			return pat_find(p, t, start, end, m);
	for (i = 0; i < p->npart; i++)
		if (rule_pat_find(p->part[i], t, start, end, &r) &&
		    (!found || r.start < m->start)) {
			*m = r;
			found = true;
		}
	return found;
}

bool
rule_pat_find(const struct rule_pat *p, struct rule_text *t, size_t start,
    size_t end, struct rule_range *m)
{
	if (p->npart > 1 && end > start && end - start >= PARTS_MIN &&
	    end <= t->text.len)
		return find_leftmost_part(p, t, start, end, m);
	return pat_find(p, t, start, end, m);
}

static bool
pat_find(const struct rule_pat *p, struct rule_text *t, size_t start,
    size_t end, struct rule_range *m)
{
	PCRE2_SPTR		 s = (PCRE2_SPTR)buf_str(&t->text);
	PCRE2_SIZE		*ov;
	pcre2_code		*jit = NULL, *code;
	const struct rule_lits	*lits;
	int			 rc;

	if (start >= end || end > t->text.len)
		return false;
	/* a text without the words a match needs is not searched: most
	   notes hold few of a given rule's (and a search that cannot match
	   cannot hit the match limit either) */
	lits = pat_lits((struct rule_pat *)p);	/* p's cache, not p */
	if (lits != NULL && !rule_lits_may_match(lits, t, start, end))
		return false;
	if ((code = pat_code((struct rule_pat *)p)) == NULL)
		return false;
	prepare_match(t);
	/* the machine code is made for a long text, and kept */
	if (t->text.len >= JIT_MIN_TEXT)	/* p's cache, not p */
		jit = jit_code((struct rule_pat *)p);
	/* The text is valid UTF-8: notes are checked when loaded. */
	if (jit != NULL)
		rc = pcre2_jit_match(jit, s, end, start, 0, t->md, t->mctx);
	else
		rc = pcre2_match(code, s, end, start, PCRE2_NO_UTF_CHECK,
		    t->md, t->mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		t->limit_hits++;	/* the caller skips what asked */
	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(t->md);
	m->start = ov[0];
	m->end = ov[1];
	return true;
}

bool
rule_pats_any(const struct rule_pats *ps, struct rule_text *t, size_t start,
    size_t end)
{
	struct rule_range	m;
	size_t			i;

	for (i = 0; i < ps->n; i++)
		if (rule_pat_find(ps->v[i], t, start, end, &m))
			return true;
	return false;
}

void
rule_match_data_free(struct rule_text *t)
{
	pcre2_match_data_free(t->md);
	pcre2_match_context_free(t->mctx);
}
