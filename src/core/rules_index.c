/*
 * rules_index.c - the lexicon's entries indexed for the meaning reader
 * (rules_hits.c), which asks at every word and every place a wording may
 * start: phrases by the hash of their first stem or first two stems in an
 * open-addressing table; characters and word beginnings by first byte,
 * then second; the patterns on their own; and each concept's entries, so
 * that a reading for a few concepts (a rule's example) looks only where
 * theirs may be.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"

void
rule_index_free(struct rule_lexicon *lx)
{
	free(lx->phr);
	lx->phr = NULL;
	free(lx->phr_at);
	lx->phr_at = NULL;
	lx->nphr = 0;
	free(lx->bytes);
	lx->bytes = NULL;
	free(lx->byte2);
	lx->byte2 = NULL;
	free(lx->pbytes);
	lx->pbytes = NULL;
	free(lx->pbyte2);
	lx->pbyte2 = NULL;
	free(lx->regex);
	lx->regex = NULL;
	lx->nregex = 0;
	free(lx->centry_first);
	lx->centry_first = NULL;
	free(lx->centry);
	lx->centry = NULL;
}

/* Entries of one kind (prefix or not) by first byte, into v and first. */
static void
index_bytes(struct rule_lexicon *lx, bool prefix, size_t **v, size_t *first)
{
	size_t	i, k, n = 0, count[257] = { 0 };
	int	c;

	*v = xcalloc(lx->ne + 1, sizeof **v);
	for (i = 0; i < lx->ne; i++)
		if (lx->e[i].kind != RE_PHRASE && lx->e[i].kind != RE_REGEX &&
		    (lx->e[i].kind == RE_PREFIX) == prefix) {
			count[rule_entry_first_byte(&lx->e[i])]++;
			n++;
		}
	for (c = 0, k = 0; c < 256; c++) {
		first[c] = k;
		k += count[c];
	}
	first[256] = n;
	memset(count, 0, sizeof count);
	for (i = 0; i < lx->ne; i++)
		if (lx->e[i].kind != RE_PHRASE && lx->e[i].kind != RE_REGEX &&
		    (lx->e[i].kind == RE_PREFIX) == prefix) {
			c = rule_entry_first_byte(&lx->e[i]);
			(*v)[first[c] + count[c]++] = i;
		}
}

/*
 * The second byte of a literal entry or a word beginning as the text must
 * show it (0 for a one-byte entry): a bucket of entries that all begin
 * with "`" is then searched for the few that go on as the text does.
 */
static unsigned char
entry_second_byte(const struct rule_entry *e)
{
	if (e->len < 2)
		return 0;
	return e->kind == RE_EXACT ? (unsigned char)e->text[1] :
	    rule_lower((unsigned char)e->text[1]);
}

/*
 * Sort each first-byte bucket of v by second byte into *byte2, keeping
 * file order within each: a counting sort, linear however many wordings
 * a user's file gives one byte.
 */
static void
index_second_bytes(struct rule_lexicon *lx, size_t *v, const size_t *first,
    unsigned char **byte2)
{
	size_t		 n = first[256], c, k, b, at[257];
	size_t		*tmp = xcalloc(n + 1, sizeof *tmp);

	*byte2 = xcalloc(n + 1, 1);
	for (c = 0; c < 256; c++) {
		memset(at, 0, sizeof at);
		for (k = first[c]; k < first[c + 1]; k++)
			at[entry_second_byte(&lx->e[v[k]]) + 1]++;
		at[0] = first[c];
		for (b = 1; b < 257; b++)
			at[b] += at[b - 1];
		for (k = first[c]; k < first[c + 1]; k++)
			tmp[at[entry_second_byte(&lx->e[v[k]])]++] = v[k];
	}
	for (k = 0; k < n; k++) {
		v[k] = tmp[k];
		(*byte2)[k] = entry_second_byte(&lx->e[tmp[k]]);
	}
	free(tmp);
}

static uint64_t
phrase_key(const struct rule_entry *e)
{
	return e->nstems == 1 ? e->stems[0] :
	    rule_phrase_pair(e->stems[0], e->stems[1]);
}

/* The slot of key in the table of phrase keys (empty: entry SIZE_MAX). */
static size_t
phrase_slot(const struct rule_lexicon *lx, uint64_t key)
{
	size_t	h;

	for (h = key & lx->phr_mask; lx->phr_at[h].entry != SIZE_MAX &&
	    lx->phr_at[h].hash != key; h = (h + 1) & lx->phr_mask)
		;
	return h;
}

/*
 * The phrase entries grouped by key, each group in entry order, and an
 * open-addressing table from a key to where its group starts: every word
 * of a text asks for its group, so a probe or two beats a binary search
 * over thousands of keys.  A word only ever reads its own group, so the
 * groups are laid out in table order (a counting sort), not sorted.
 */
static void
index_phrases(struct rule_lexicon *lx)
{
	size_t	cap = 16, i, h, n = 0, at = 0, *count;

	for (i = 0; i < lx->ne; i++)
		n += lx->e[i].kind == RE_PHRASE;
	while (cap < n * 2)
		cap *= 2;
	lx->phr = xcalloc(n + 1, sizeof *lx->phr);
	lx->phr_at = xreallocarray(NULL, cap, sizeof *lx->phr_at);
	count = xcalloc(cap, sizeof *count);
	for (h = 0; h < cap; h++)
		lx->phr_at[h].entry = SIZE_MAX;
	lx->phr_mask = cap - 1;
	for (i = 0; i < lx->ne; i++)
		if (lx->e[i].kind == RE_PHRASE) {
			h = phrase_slot(lx, phrase_key(&lx->e[i]));
			lx->phr_at[h].hash = phrase_key(&lx->e[i]);
			lx->phr_at[h].entry = 0;	/* taken */
			count[h]++;
		}
	for (h = 0; h < cap; h++)
		if (lx->phr_at[h].entry != SIZE_MAX) {
			lx->phr_at[h].entry = at;
			at += count[h];
			count[h] = 0;		/* now: how many placed */
		}
	for (i = 0; i < lx->ne; i++)
		if (lx->e[i].kind == RE_PHRASE) {
			h = phrase_slot(lx, phrase_key(&lx->e[i]));
			lx->phr[lx->phr_at[h].entry + count[h]].hash =
			    lx->phr_at[h].hash;
			lx->phr[lx->phr_at[h].entry + count[h]++].entry = i;
		}
	lx->nphr = n;
	free(count);
}

static void
entry_head(struct rule_entry *e)
{
	size_t	n = e->len < 4 ? e->len : 4;

	e->head = rule_head(e->text, n, e->kind == RE_EXACT);
	e->hmask = n == 0 ? 0 : (uint32_t)0xffffffff << (8 * (4 - n));
}

/* Each concept's entries, in entry order (a counting sort). */
static void
index_concepts(struct rule_lexicon *lx)
{
	size_t	i, c, at;

	lx->centry_first = xcalloc(lx->nc + 2, sizeof *lx->centry_first);
	lx->centry = xcalloc(lx->ne + 1, sizeof *lx->centry);
	for (i = 0; i < lx->ne; i++)
		lx->centry_first[lx->e[i].concept + 2]++;
	for (c = 2; c < lx->nc + 2; c++)
		lx->centry_first[c] += lx->centry_first[c - 1];
	for (i = 0; i < lx->ne; i++) {
		at = lx->centry_first[lx->e[i].concept + 1]++;
		lx->centry[at] = i;
	}
}

static void
bit_add(uint64_t *v, size_t b)
{
	v[b / 64 % 4] |= (uint64_t)1 << (b % 64);
}

void
rule_filter_add(struct rule_filter *f, const struct rule_lexicon *lx,
    size_t c)
{
	const struct rule_entry	*e;
	size_t			 k;

	if (c >= lx->nc)
		return;
	for (k = lx->centry_first[c]; k < lx->centry_first[c + 1]; k++) {
		e = &lx->e[lx->centry[k]];
		if (e->kind == RE_PHRASE)
			f->keys[rule_filter_key(phrase_key(e)) / 64] |=
			    (uint64_t)1 << (rule_filter_key(phrase_key(e)) % 64);
		else if (e->kind == RE_PREFIX)
			bit_add(f->prefixes, rule_entry_first_byte(e));
		else if (e->kind != RE_REGEX)
			bit_add(f->chars, rule_entry_first_byte(e));
	}
}

/* The steering concepts' filter, which every reading for a rule needs. */
static void
index_steering(struct rule_lexicon *lx)
{
	memset(&lx->steer, 0, sizeof lx->steer);
	rule_filter_add(&lx->steer, lx, lx->neg);
	rule_filter_add(&lx->steer, lx, lx->neg_all);
	rule_filter_add(&lx->steer, lx, lx->but);
	rule_filter_add(&lx->steer, lx, lx->instead);
}

/* Phrases by their first stems; characters and word beginnings by first
   byte, then by second byte. */
void
rule_index_build(struct rule_lexicon *lx)
{
	size_t	i;

	index_phrases(lx);
	lx->regex = xcalloc(lx->ne + 1, sizeof *lx->regex);
	for (i = 0; i < lx->ne; i++)
		if (lx->e[i].kind == RE_REGEX)
			lx->regex[lx->nregex++] = i;
		else if (lx->e[i].kind != RE_PHRASE)
			entry_head(&lx->e[i]);
	index_bytes(lx, false, &lx->bytes, lx->byte_first);
	index_second_bytes(lx, lx->bytes, lx->byte_first, &lx->byte2);
	index_bytes(lx, true, &lx->pbytes, lx->pbyte_first);
	index_second_bytes(lx, lx->pbytes, lx->pbyte_first, &lx->pbyte2);
	index_concepts(lx);
	lx->neg = rule_concept_find(lx, "NEG");
	lx->neg_all = rule_concept_find(lx, "NEG_ALL");
	lx->but = rule_concept_find(lx, "BUT");
	lx->instead = rule_concept_find(lx, "INSTEAD");
	lx->english = rule_concept_find(lx, "ENGLISH");
	index_steering(lx);
	lx->built = true;
}

