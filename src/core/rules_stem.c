/*
 * rules_stem.c - the words of a text and their stems, for the meaning
 * matcher: lower case, irregular forms made regular through the
 * lexicon's "form:" lines ("has" -> "have"), common endings cut
 * ("frames", "framed" -> "frame").  A reading keeps the stems it worked
 * out by word (wcache.h): a long note says "the stack" a thousand times.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rustnote/wcache.h"
#include "rules_int.h"

#define STEM_MAX	64	/* bytes of a word looked at */
#define MIN_STEM	3	/* an ending is only cut from a longer word */

static bool
ends_with(const char *w, size_t n, const char *end)
{
	size_t	k = strlen(end);

	return n >= k && memcmp(w + n - k, end, k) == 0;
}

const struct rule_form *
rule_form_find(const struct rule_lexicon *lx, uint64_t h)
{
	size_t	lo = 0, hi = lx != NULL ? lx->nform : 0, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (lx->form[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < (lx != NULL ? lx->nform : 0) && lx->form[lo].hash == h ?
	    &lx->form[lo] : NULL;
}

/* Cut one plural or verb ending and the endings of adverbs and nouns. */
static size_t
cut_endings(char *w, size_t n)
{
	if (n > 4 && (ends_with(w, n, "ies") || ends_with(w, n, "ied"))) {
		w[n - 3] = 'y';
		return n - 2;
	}
	if (n > 3 && w[n - 1] == 's' && strchr("siu", w[n - 2]) == NULL)
		n--;
	if (ends_with(w, n, "ing") && n - 3 >= MIN_STEM)
		n -= 3;
	else if (ends_with(w, n, "ed") && n - 2 >= MIN_STEM)
		n -= 2;
	else if (ends_with(w, n, "ically") && n > 8)
		n -= 4;
	else if (ends_with(w, n, "ly") && n - 2 >= MIN_STEM)
		n -= 2;
	if (ends_with(w, n, "ation") && n > 7)
		n -= 3;
	else if (ends_with(w, n, "ator") && n > 6)
		n -= 2;
	if (n > MIN_STEM && w[n - 1] == 'e')
		n--;
	if (n >= 4 && w[n - 1] == w[n - 2] && strchr("bdgmnprt", w[n - 1]))
		n--;
	return n;
}

/*
 * The stem of the lower-case word w[0, n) of hash h: its base form, or
 * the word with its endings cut.
 */
static uint64_t
stem_work(const struct rule_lexicon *lx, const char *w, size_t n, uint64_t h,
    bool ascii)
{
	const struct rule_form	*f;
	char			 cut[STEM_MAX];

	if ((f = rule_form_find(lx, h)) != NULL)
		return fnv64(FNV64_INIT, f->base, strlen(f->base));
	memcpy(cut, w, n);
	if (ascii)
		n = cut_endings(cut, n);
	return fnv64(FNV64_INIT, cut, n);
}

/* rule_stem(), asking cache first when there is one, and filling it. */
static uint64_t
stem_cached(const struct rule_lexicon *lx, const char *s, size_t n,
    struct wcache *cache)
{
	char		w[STEM_MAX];
	size_t		i;
	bool		ascii = true;
	uint64_t	h, stem;
	unsigned	flags;

	if (n > STEM_MAX)
		n = STEM_MAX;
	if (n == 0)
		return fnv64(FNV64_INIT, "", 0);
	/* lower case and hashed in one pass: fnv64(FNV64_INIT, w, n) */
	for (i = 0, h = FNV64_INIT; i < n; i++) {
		w[i] = (char)rule_lower((unsigned char)s[i]);
		ascii = ascii && (unsigned char)s[i] < 0x80;
		h = (h ^ (unsigned char)w[i]) * 0x100000001b3ULL;
	}
	if (cache != NULL && wcache_get(cache, w, n, h, &stem, &flags))
		return stem;
	stem = stem_work(lx, w, n, h, ascii);
	if (cache != NULL)
		wcache_put(cache, w, n, h, stem, 0);
	return stem;
}

unsigned long long
rule_stem(const struct rule_lexicon *lx, const char *s, size_t n)
{
	return stem_cached(lx, s, n, NULL);
}

/*
 * Call fn for each word of s[0, len) with its stem.  "doesn't" gives
 * "does" and "not"; a possessive "'s" is dropped.
 */
void
rule_words(const struct rule_lexicon *lx, const char *s, size_t len,
    struct wcache *cache, rule_word_fn fn, void *ud)
{
	size_t	i = 0, ws, we;

	while (i < len) {
		if (!rule_is_mword((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (ws = i; i < len && rule_is_mword((unsigned char)s[i]); i++)
			;
		we = i;
		if (i + 1 < len && s[i] == '\'' && s[i + 1] == 't' &&
		    s[i - 1] == 'n' && we - ws > 1 && (i + 2 == len ||
		    !rule_is_mword((unsigned char)s[i + 2]))) {
			fn(ud, ws, we - 1, stem_cached(lx, s + ws, we - 1 - ws,
			    cache));
			fn(ud, we - 1, i + 2, stem_cached(lx, "not", 3, cache));
			i += 2;
			continue;
		}
		fn(ud, ws, we, stem_cached(lx, s + ws, we - ws, cache));
		if (i + 1 < len && s[i] == '\'' && (s[i + 1] == 's' ||
		    s[i + 1] == 'S') && (i + 2 == len ||
		    !rule_is_mword((unsigned char)s[i + 2])))
			i += 2;
	}
}
