/*
 * rules_link.c - link the rules to the lexicon: each "all:" and "none:"
 * line becomes items of concepts, named ones (FRAME) looked up, a rule's
 * own wordings ("stack frame|frame") made concepts of their own, shared
 * by every rule that writes the same words, so that a text is searched
 * for them once.
 *
 * A thousand rules write some thirty thousand wordings, ten thousand of
 * them different, and each of those must be read into an entry (its
 * words stemmed, a pattern compiled).  Both steps are done on two
 * threads: each half of the rules is linked with a table of its own
 * wordings, the tables are then joined in rule order, and the new
 * wordings are read into entries, each into a slot of its own, appended
 * in that order.  The lexicon comes out as if one thread had done it
 * all, rule after rule, and so does the first error.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/rules.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "rustnote/wcache.h"
#include "rules_int.h"

/* An item's alternative that is a half's own wording, not yet a concept. */
#define OWN_TAG		((size_t)1 << (sizeof(size_t) * CHAR_BIT - 1))

/* Where a wording was first written: for its error, and to order them. */
struct own_at {
	const char	*file;
	int		 line;
	size_t		 rule;
};

/* Different wordings, in the order met, hashed by their text. */
struct own_table {
	size_t		*slot;		/* index into w, or RULE_NO_CONCEPT */
	size_t		 cap;		/* a power of two */
	char		**w;
	struct own_at	*at;
	size_t		 n, alloc;
};

/* One thread's share of the rules, [from, to). */
struct link_half {
	const struct rule_set	*rs;
	size_t			 from, to, rule;
	struct own_table	 own;
	enum rn_status		 rc;
	size_t			 failed;	/* the rule rc is about */
	char			 err[RN_ERRLEN];
};

static void
item_add(struct rule_item *it, size_t concept)
{
	/* room doubles each time the count reaches a power of two */
	if ((it->nalt & (it->nalt - 1)) == 0)
		it->alt = xreallocarray(it->alt, it->nalt ? it->nalt * 2 : 1,
		    sizeof *it->alt);
	it->alt[it->nalt++] = concept;
}

/* Does the wording hold an upper-case word that names a concept? */
static bool
names_concept(const struct rule_lexicon *lx, const char *p)
{
	char	 w[64];
	size_t	 n;

	while (*p != '\0') {
		for (n = 0; rule_is_word_byte((unsigned char)p[n]) &&
		    n < sizeof w - 1; n++)
			w[n] = p[n];
		w[n] = '\0';
		if (n > 1 && rule_is_concept_name(w) &&
		    rule_concept_find(lx, w) != RULE_NO_CONCEPT)
			return true;
		p += n > 0 ? n : 1;
	}
	return false;
}

/* --- tables of own wordings ---------------------------------------------- */

static size_t *
own_slot(const struct own_table *t, const char *w)
{
	size_t	i = fnv64(FNV64_INIT, w, strlen(w)) & (t->cap - 1);

	while (t->slot[i] != RULE_NO_CONCEPT && strcmp(t->w[t->slot[i]], w))
		i = (i + 1) & (t->cap - 1);
	return &t->slot[i];
}

static void
own_grow(struct own_table *t)
{
	size_t	i;

	t->cap = t->cap ? t->cap * 2 : 4096;
	free(t->slot);
	t->slot = xreallocarray(NULL, t->cap, sizeof *t->slot);
	for (i = 0; i < t->cap; i++)
		t->slot[i] = RULE_NO_CONCEPT;
	for (i = 0; i < t->n; i++)
		*own_slot(t, t->w[i]) = i;
}

/* The index of wording w in t, added if new, met at file:line. */
static size_t
own_intern(struct own_table *t, const char *w, const struct rule *r,
    size_t rule, int line)
{
	size_t	*slot;

	if (t->n * 2 >= t->cap)
		own_grow(t);
	slot = own_slot(t, w);
	if (*slot != RULE_NO_CONCEPT)
		return *slot;
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 1024;
		t->w = xreallocarray(t->w, t->alloc, sizeof *t->w);
		t->at = xreallocarray(t->at, t->alloc, sizeof *t->at);
	}
	t->w[t->n] = xstrdup(w);
	t->at[t->n].file = r->file;
	t->at[t->n].line = line;
	t->at[t->n].rule = rule;
	return *slot = t->n++;
}

static void
own_free(struct own_table *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		free(t->w[i]);
	free(t->w);
	free(t->at);
	free(t->slot);
}

/* --- linking a rule ------------------------------------------------------- */

/*
 * "BLOCK|inner scope": named concepts, or words of a new concept.  text,
 * the caller's copy, is cut at its '|' in place.
 */
static enum rn_status
link_item(struct link_half *h, const struct rule *r, char *text,
    int line, struct rule_item *it, char *err, size_t errlen)
{
	const struct rule_lexicon	*lx = h->rs->lex;
	char				*p, *next;
	size_t				 c;
	int				 rc = RN_OK;

	for (p = text; p != NULL && rc == RN_OK; p = next) {
		if ((next = rule_wording_end(p, '|')) != NULL)
			*next++ = '\0';
		str_trim(p);
		if (*p == '\0') {
			/* "move ||" would quietly mean "move" */
			rc = rn_fail(err, errlen, RN_EINPUT, "%s:%d: empty "
			    "alternative beside '|' (write a '|' inside a "
			    "/pattern/)", r->file, line);
			continue;
		}
		if (rule_is_concept_name(p)) {
			if ((c = rule_concept_find(lx, p)) ==
			    RULE_NO_CONCEPT)
				rc = rn_fail(err, errlen, RN_EINPUT, "%s:%d: "
				    "unknown concept '%s' (define it with "
				    "'concept: %s = ...')", r->file, line, p,
				    p);
			else
				item_add(it, c);
			continue;
		}
		if (names_concept(lx, p)) {
			rc = rn_fail(err, errlen, RN_EINPUT, "%s:%d: '%s' "
			    "mixes a concept name with words (join "
			    "alternatives with '|')", r->file, line, p);
			continue;
		}
		item_add(it, own_intern(&h->own, p, r, h->rule, line) | OWN_TAG);
	}
	if (rc == RN_OK && it->nalt == 0)
		rc = rn_fail(err, errlen, RN_EINPUT, "%s:%d: empty item",
		    r->file, line);
	return rc;
}

void
rule_item_clear(struct rule_item *it)
{
	free(it->alt);
	it->alt = NULL;
	it->nalt = 0;
}

void
rule_links_clear(struct rule *r)
{
	size_t	i, k;

	for (i = 0; r->all != NULL && i < r->nall; i++) {
		for (k = 0; k < r->all[i].nitems; k++)
			rule_item_clear(&r->all[i].items[k]);
		free(r->all[i].items);
	}
	free(r->all);
	r->all = NULL;
	rule_item_clear(&r->none);
}

/* Items of a comma-separated line; each one may list '|' alternatives. */
static enum rn_status
link_line(struct link_half *h, const struct rule *r,
    const struct rule_line *src, struct rule_item **items, size_t *n,
    char *err, size_t errlen)
{
	char	*copy = xstrdup(src->text), *p, *next;
	int	 rc = RN_OK;

	for (p = copy; p != NULL && rc == RN_OK; p = next) {
		if ((next = rule_wording_end(p, ',')) != NULL)
			*next++ = '\0';
		str_trim(p);
		if (*p == '\0')
			continue;
		if ((*n & (*n - 1)) == 0)	/* doubles, as in item_add() */
			*items = xreallocarray(*items, *n ? *n * 2 : 1,
			    sizeof **items);
		memset(&(*items)[*n], 0, sizeof **items);
		rc = link_item(h, r, p, src->line, &(*items)[(*n)++], err,
		    errlen);
	}
	free(copy);
	return rc;
}

static enum rn_status
link_rule(struct link_half *h, struct rule *r, char *err, size_t errlen)
{
	struct rule_item	*none = NULL;
	size_t			 i, k, nnone = 0;
	int			 rc = RN_OK;

	rule_links_clear(r);
	if (r->nall == 0)
		return RN_OK;
	r->all = xcalloc(r->nall, sizeof *r->all);
	for (i = 0; i < r->nall && rc == RN_OK; i++)
		rc = link_line(h, r, &r->all_src[i], &r->all[i].items,
		    &r->all[i].nitems, err, errlen);
	for (i = 0; i < r->nnone && rc == RN_OK; i++)
		rc = link_line(h, r, &r->none_src[i], &none, &nnone, err,
		    errlen);
	/* "none:" items all veto alike: one flat list. */
	for (i = 0; i < nnone; i++) {
		for (k = 0; k < none[i].nalt; k++)
			item_add(&r->none, none[i].alt[k]);
		rule_item_clear(&none[i]);
	}
	free(none);
	return rc;
}


static void *
link_half_run(void *arg)
{
	struct link_half	*h = arg;

	for (h->rule = h->from; h->rule < h->to; h->rule++)
		if ((h->rc = link_rule(h, &h->rs->rules[h->rule], h->err,
		    sizeof h->err)) != RN_OK) {
			h->failed = h->rule;
			break;
		}
	return NULL;
}

/* --- the own wordings become concepts ------------------------------------ */

/* The new concepts, from first on: their wordings read into entries. */
struct own_job {
	const struct rule_lexicon	*lx;
	size_t				 first, n;
	const struct own_at		**at;	/* at[i]: of concept first + i */
	struct rule_entry		*made;
	char				**why;	/* why made[i] failed, or NULL */
	atomic_size_t			 next;	/* the next chunk to take */
};

/* A concept without a name, for a rule's own wording w. */
static size_t
concept_new_own(struct rule_lexicon *lx, char *w)
{
	if (lx->nc == lx->c_alloc) {
		lx->c_alloc = lx->c_alloc ? lx->c_alloc * 2 : 64;
		lx->c = xreallocarray(lx->c, lx->c_alloc, sizeof *lx->c);
	}
	memset(&lx->c[lx->nc], 0, sizeof lx->c[lx->nc]);
	lx->c[lx->nc].wording = w;
	return lx->nc++;
}

/*
 * Concepts for the wordings of both halves, the first half's first (the
 * second's only if the first linked whole, as one thread would have
 * stopped there); map[h][i] is wording i of half h's.  The wordings pass
 * to the lexicon.
 */
static void
join_tables(struct rule_lexicon *lx, struct link_half *half, int nhalf,
    size_t **map, struct own_job *oj)
{
	struct own_table	*a = &half[0].own, *t;
	size_t			 i, *slot;
	int			 k, joined;

	joined = half[0].rc == RN_OK ? nhalf : 1;
	oj->first = lx->nc;
	for (k = 0; k < nhalf; k++)
		map[k] = xcalloc(half[k].own.n + 1, sizeof **map);
	for (k = 0, i = 0; k < joined; k++)
		i += half[k].own.n;
	oj->at = xcalloc(i + 1, sizeof *oj->at);
	for (k = 0; k < joined; k++) {
		t = &half[k].own;
		for (i = 0; i < t->n; i++) {
			slot = k > 0 && a->cap > 0 ? own_slot(a, t->w[i]) :
			    NULL;
			if (slot != NULL && *slot != RULE_NO_CONCEPT) {
				map[k][i] = map[0][*slot];
				continue;
			}
			oj->at[lx->nc - oj->first] = &t->at[i];
			map[k][i] = concept_new_own(lx, t->w[i]);
			if (k > 0)	/* the first's are still looked up */
				t->w[i] = NULL;
		}
	}
	for (i = 0; i < a->n; i++)
		a->w[i] = NULL;		/* the lexicon's now */
	oj->n = lx->nc - oj->first;
}

static void
remap_item(struct rule_item *it, const size_t *map)
{
	size_t	k;

	for (k = 0; k < it->nalt; k++)
		if (it->alt[k] & OWN_TAG)
			it->alt[k] = map[it->alt[k] & ~OWN_TAG];
}

/* The rules of half h, their own wordings' items made concepts. */
static void
remap_half(struct rule_set *rs, const struct link_half *h, const size_t *map)
{
	struct rule	*r;
	size_t		 i, l, k;

	for (i = h->from; i < h->to && i <= h->rule; i++) {
		r = &rs->rules[i];
		for (l = 0; r->all != NULL && l < r->nall; l++)
			for (k = 0; k < r->all[l].nitems; k++)
				remap_item(&r->all[l].items[k], map);
		remap_item(&r->none, map);
	}
}

#define OWN_CHUNK	64	/* wordings a thread takes at a time */

static void
read_own(struct own_job *oj)
{
	struct wcache	stems;
	char		msg[RN_ERRLEN];
	size_t		i, k;

	wcache_init(&stems);
	while ((i = atomic_fetch_add(&oj->next, OWN_CHUNK)) < oj->n)
		for (k = i; k < i + OWN_CHUNK && k < oj->n; k++) {
			/* a wording is one already (link_item() cut it at
			   its '|'), so it is read as it is, not cut again */
			if (rule_entry_read(oj->lx, &stems,
			    oj->lx->c[oj->first + k].wording, &oj->made[k],
			    msg, sizeof msg))
				oj->made[k].concept = oj->first + k;
			else
				oj->why[k] = xstrdup(msg);
		}
	wcache_free(&stems);
}

static void *
read_own_thread(void *arg)
{
	read_own(arg);
	return NULL;
}

/*
 * Read the new wordings into entries, on two threads, and append them in
 * order.  The first that failed is the error, unless a rule before the
 * one it came from failed to link (*failed: that rule, or nrules).
 */
static enum rn_status
make_own_entries(struct rule_lexicon *lx, struct own_job *oj,
    size_t *failed, char *err, size_t errlen)
{
	pthread_t	second;
	bool		two;
	enum rn_status	rc = RN_OK;
	size_t		k;

	oj->lx = lx;
	oj->made = xcalloc(oj->n + 1, sizeof *oj->made);
	oj->why = xcalloc(oj->n + 1, sizeof *oj->why);
	atomic_init(&oj->next, 0);
	two = oj->n > OWN_CHUNK &&
	    pthread_create(&second, NULL, read_own_thread, oj) == 0;
	read_own(oj);
	if (two)
		pthread_join(second, NULL);
	for (k = 0; k < oj->n; k++) {
		if (oj->why[k] != NULL && rc == RN_OK &&
		    oj->at[k]->rule <= *failed) {
			*failed = oj->at[k]->rule;
			rc = rn_fail(err, errlen, RN_EINPUT, "%s:%d: '%s': %s",
			    oj->at[k]->file, oj->at[k]->line,
			    lx->c[oj->first + k].wording, oj->why[k]);
		}
		if (oj->why[k] == NULL)
			rule_entry_push(lx, &oj->made[k]);
		free(oj->why[k]);
	}
	free(oj->made);
	free(oj->why);
	return rc;
}

#define LINK_SPLIT	64	/* fewer rules are linked on one thread */

enum rn_status
rule_link_rules(struct rule_set *rs, char *err, size_t errlen)
{
	struct link_half	 half[2];
	struct own_job		 oj;
	pthread_t		 second;
	size_t			*map[2], failed = rs->nrules;
	int			 k, nhalf;
	bool			 two;
	enum rn_status		 rc;

	memset(half, 0, sizeof half);
	memset(&oj, 0, sizeof oj);
	nhalf = rs->nrules >= LINK_SPLIT ? 2 : 1;
	for (k = 0; k < nhalf; k++) {
		half[k].rs = rs;
		half[k].from = rs->nrules * k / nhalf;
		half[k].to = rs->nrules * (k + 1) / nhalf;
	}
	two = nhalf == 2 &&
	    pthread_create(&second, NULL, link_half_run, &half[1]) == 0;
	link_half_run(&half[0]);
	if (nhalf == 2 && !two)
		link_half_run(&half[1]);
	else if (two)
		pthread_join(second, NULL);
	join_tables(rs->lex, half, nhalf, map, &oj);
	for (k = 0; k < nhalf; k++)
		remap_half(rs, &half[k], map[k]);
	/* the first half's error first: one thread stops there */
	for (k = nhalf - 1; k >= 0; k--)
		if (half[k].rc != RN_OK)
			failed = half[k].failed;
	rc = make_own_entries(rs->lex, &oj, &failed, err, errlen);
	for (k = 0; k < nhalf && rc == RN_OK; k++)
		if (half[k].rc != RN_OK)
			rc = rn_fail(err, errlen, half[k].rc, "%s",
			    half[k].err);
	for (k = 0; k < nhalf; k++) {
		own_free(&half[k].own);
		free(map[k]);
	}
	free(oj.at);
	return rc;
}
