/*
 * offline_stems.c - word stems for the coverage and scope checks: words
 * are lower-cased, stop words dropped and common English endings cut, so
 * that wording may differ; "same:" lines of the rule files make some
 * stems count as another.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rustnote/wcache.h"
#include "offline_int.h"

#define MIN_STEM	3	/* a suffix is only cut from a longer word */

/* Words that carry no topic: never compared. */
static const char *const stop_words[] = {
	"a", "about", "actually", "all", "also", "always", "an", "and", "any",
	"are", "as", "at", "be", "been", "being", "between", "both", "but",
	"by", "can", "could", "cover", "describe", "did", "discuss", "do",
	"does", "doing", "done", "each", "eg", "either", "etc", "even",
	"every", "exactly", "explain", "few", "for", "from", "had", "happen",
	"happening", "happens", "has", "have", "here", "how", "i", "ie", "if",
	"in", "into", "is", "it", "its", "just", "like", "many", "may", "mean",
	"meaning", "means", "might", "more", "most", "multiple", "must", "my",
	"neither", "never", "no", "nor", "not", "note", "notes", "of", "on",
	"once", "one", "only", "or", "other", "others", "our", "out", "per",
	"really",
	"section", "several", "should", "so", "some", "such", "than", "that",
	"the", "their", "them", "then", "there", "these", "they", "this",
	"those", "to", "topic", "topics", "up", "us", "versus", "very", "vs",
	"was", "we", "were", "what", "when", "where", "which", "who", "whom",
	"whose", "why", "will", "with", "without", "would", "write", "yet",
	"you", "your"
};

/* Words too common in any Rust note to prove a topic on their own. */
static const char *const generic_words[] = {
	"basic", "basics", "concept", "concepts", "data", "difference",
	"differences", "example", "examples", "general", "idea", "ideas",
	"important", "introduction", "memory", "model", "overview",
	"physically", "role", "rust", "thing", "things", "type", "types",
	"value", "values", "way", "ways", "work", "works"
};

struct irregular {
	const char	*word;
	size_t		 len;
	const char	*stem;
};

#define IRREGULAR(w, s)	{ w, sizeof w - 1, s }

static const struct irregular irregulars[] = {
	IRREGULAR("goes", "go"), IRREGULAR("going", "go"),
	IRREGULAR("gone", "go"), IRREGULAR("went", "go"),
	IRREGULAR("children", "child"), IRREGULAR("data", "data")
};

struct suffix {
	const char	*end;
	size_t		 len;
	const char	*repl;
	size_t		 rlen;
};

#define SUFFIX(e, r)	{ e, sizeof e - 1, r, sizeof r - 1 }

/* First match wins: longer endings come before the ones they contain. */
static const struct suffix suffixes[] = {
	SUFFIX("ations", ""), SUFFIX("ation", ""), SUFFIX("ators", ""),
	SUFFIX("ator", ""), SUFFIX("ating", ""), SUFFIX("ated", ""),
	SUFFIX("ates", ""), SUFFIX("ate", ""), SUFFIX("ically", ""),
	SUFFIX("ical", ""), SUFFIX("ally", ""), SUFFIX("ics", ""),
	SUFFIX("ic", ""), SUFFIX("ities", ""), SUFFIX("ity", ""),
	SUFFIX("ness", ""), SUFFIX("ions", ""), SUFFIX("ion", ""),
	SUFFIX("ings", ""), SUFFIX("ing", ""), SUFFIX("ied", "y"),
	SUFFIX("ies", "y"), SUFFIX("ers", ""), SUFFIX("er", ""),
	SUFFIX("ed", ""), SUFFIX("ly", ""), SUFFIX("s", "")
};

/* Stems that count as another one ("same:" lines of the rule files). */
struct synonym {
	uint64_t	from, to;
};

static bool
doubled_consonant(const char *w, size_t n)
{
	return n >= 4 && w[n - 1] == w[n - 2] &&
	    strchr("bdgmnprt", w[n - 1]) != NULL;
}

static uint64_t
stem_hash(const char *w, size_t n)
{
	const struct suffix	*sf;
	size_t			 i;

	for (i = 0; i < sizeof irregulars / sizeof irregulars[0]; i++)
		if (irregulars[i].len == n &&
		    memcmp(w, irregulars[i].word, n) == 0)
			return fnv64(FNV64_INIT, irregulars[i].stem,
			    strlen(irregulars[i].stem));
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		sf = &suffixes[i];
		if (n < sf->len + MIN_STEM ||
		    memcmp(w + n - sf->len, sf->end, sf->len) != 0)
			continue;
		if (sf->len == 1 && strchr("siu", w[n - 2]) != NULL)
			continue;	/* "class", "status", "analysis" */
		if (sf->rlen > 0)
			return fnv64(fnv64(FNV64_INIT, w, n - sf->len),
			    sf->repl, sf->rlen);
		n -= sf->len;
		break;
	}
	if (n > MIN_STEM && w[n - 1] == 'e')
		n--;
	if (doubled_consonant(w, n))
		n--;			/* "dropp(ed)" */
	return fnv64(FNV64_INIT, w, n);
}

/* Letters and digits make words; typographic punctuation does not. */
size_t
stems_word_char_len(const char *s, size_t avail)
{
	unsigned	cp;
	size_t		n;
	unsigned char	c = s[0];

	if (c < 0x80)
		return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')) ? 1 : 0;
	n = utf8_decode(s, avail, &cp);
	if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7 || cp == 0xfffd ||
	    (cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x3000 && cp <= 0x303f))
		return 0;
	return n;
}

/* stems_word_char_len() with ASCII, most of any note, decided inline. */
static inline size_t
char_len(const char *s, size_t avail)
{
	unsigned char	c = s[0];

	if (c < 0x80)
		return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9')) ? 1 : 0;
	return stems_word_char_len(s, avail);
}

static void
u64_push(uint64_t **v, size_t *n, size_t *alloc, uint64_t x)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		*v = xreallocarray(*v, *alloc, sizeof **v);
	}
	(*v)[(*n)++] = x;
}

static int
compare_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool
u64_in(const uint64_t *v, size_t n, uint64_t x)
{
	return n > 0 && bsearch(&x, v, n, sizeof x, compare_u64) != NULL;
}

#define FEW_STEMS	24	/* sorted by insertion; more by qsort */

static void
insert_u64(uint64_t *v, size_t n)
{
	uint64_t	x;
	size_t		i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Sorted, each once: a paragraph's few stems need no qsort. */
static size_t
sort_unique(uint64_t *v, size_t n)
{
	size_t	i, o = 0;

	if (n == 0)
		return 0;
	if (n <= FEW_STEMS)
		insert_u64(v, n);
	else
		qsort(v, n, sizeof *v, compare_u64);
	for (i = 1; i < n; i++)
		if (v[i] != v[o])
			v[++o] = v[i];
	return o + 1;
}

static int
compare_synonyms(const void *a, const void *b)
{
	return compare_u64(&((const struct synonym *)a)->from,
	    &((const struct synonym *)b)->from);
}

static uint64_t
synonym_of(const struct lexicon *lx, uint64_t h)
{
	struct synonym	key = { h, 0 }, *found;

	if (lx->nsyn == 0)
		return h;
	found = bsearch(&key, lx->syn, lx->nsyn, sizeof key,
	    compare_synonyms);
	return found != NULL ? found->to : h;
}

#define WORD_STOP	1	/* a stop word: never compared */
#define WORD_GENERIC	2	/* counts, but proves no topic */

/* What a word adds: nothing (a stop word), or a stem and whether generic. */
static unsigned
word_stem(const struct lexicon *lx, const char *w, size_t n, uint64_t *h)
{
	uint64_t	wh = fnv64(FNV64_INIT, w, n), v;
	unsigned	flags;

	/* the table is a memo: filling it changes no answer, so a lexicon
	   read as const may fill it; there is none while it is made */
	if (lx->words != NULL && wcache_get(lx->words, w, n, wh, &v,
	    &flags)) {
		*h = v;
		return flags;
	}
	if (u64_in(lx->stop, lx->nstop, wh))
		flags = WORD_STOP, v = 0;
	else {
		v = synonym_of(lx, stem_hash(w, n));
		flags = u64_in(lx->generic, lx->ngeneric, wh) ? WORD_GENERIC :
		    0;
	}
	if (lx->words != NULL)
		wcache_put(lx->words, w, n, wh, v, flags);
	*h = v;
	return flags;
}

static void
stems_add_word(const struct lexicon *lx, struct stemset *st, const char *w,
    size_t n)
{
	uint64_t	h;
	unsigned	flags;

	if (n < 2 || ((flags = word_stem(lx, w, n, &h)) & WORD_STOP) != 0)
		return;
	u64_push(&st->v, &st->n, &st->alloc, h);
	if ((flags & WORD_GENERIC) == 0)
		u64_push(&st->key, &st->nkey, &st->key_alloc, h);
}

/*
 * "by `&` if it reads, by `&mut` if it mutates": a reference written as
 * code says "reference" (and "mutable") as well as the words would.
 */
static void
add_reference_words(const struct lexicon *lx, struct stemset *st,
    const char *s, size_t len, size_t i)
{
	const char	*next = s + i + 1;
	size_t		 left = len - i - 1;

	if ((i > 0 && s[i - 1] == '&') || (left > 0 && *next == '&'))
		return;				/* "a && b" */
	if (left > 0 && *next == ' ')
		return;				/* "x & mask" */
	stems_add_word(lx, st, "reference", 9);
	if (left >= 3 && strncmp(next, "mut", 3) == 0 &&
	    (left == 3 || stems_word_char_len(next + 3, left - 3) == 0))
		stems_add_word(lx, st, "mutable", 7);
}

/* The stems of s, synonyms merged; words are lower-cased, then cut. */
void
stems_of(const struct lexicon *lx, const char *s, struct stemset *st)
{
	char	*low = xstrdup(s), *p;
	size_t	 len = strlen(low), i = 0, start, k;

	for (p = low; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	st->n = st->nkey = 0;
	while (i < len) {
		if ((k = char_len(low + i, len - i)) == 0) {
			if (low[i] == '&')
				add_reference_words(lx, st, low, len, i);
			i++;
			continue;
		}
		start = i;
		while (i < len && (k = char_len(low + i, len - i)) > 0)
			i += k;
		stems_add_word(lx, st, low + start, i - start);
	}
	free(low);
	st->n = sort_unique(st->v, st->n);
	st->nkey = sort_unique(st->key, st->nkey);
}

void
stems_free(struct stemset *st)
{
	free(st->v);
	free(st->key);
	memset(st, 0, sizeof *st);
}

bool
stems_has(const struct stemset *st, uint64_t h)
{
	return u64_in(st->v, st->n, h);
}

/* Every stem of a is in b. */
bool
stems_within(const uint64_t *a, size_t na, const struct stemset *b)
{
	size_t	i;

	for (i = 0; i < na; i++)
		if (!stems_has(b, a[i]))
			return false;
	return true;
}

static size_t
hash_words(const char *const *list, size_t n, uint64_t **out)
{
	size_t	i;

	*out = xcalloc(n, sizeof **out);
	for (i = 0; i < n; i++)
		(*out)[i] = fnv64(FNV64_INIT, list[i], strlen(list[i]));
	return sort_unique(*out, n);
}

/* "same: deallocation, free, release": free and release count as dealloc. */
static void
add_synonyms(struct lexicon *lx, const char *line)
{
	struct stemset	 st = { 0 };
	const char	*p = line, *comma;
	char		*word;
	uint64_t	 to = 0;
	bool		 first = true;

	for (; p != NULL; p = comma != NULL ? comma + 1 : NULL, first = false) {
		comma = strchr(p, ',');
		word = comma != NULL ? xstrndup(p, comma - p) : xstrdup(p);
		stems_of(lx, word, &st);
		free(word);
		if (st.n != 1)
			continue;	/* one word each, and not a stop word */
		if (first) {
			to = st.v[0];
			continue;
		}
		if (to == 0 || st.v[0] == to)
			continue;
		lx->syn = xreallocarray(lx->syn, lx->nsyn + 1,
		    sizeof *lx->syn);
		lx->syn[lx->nsyn].from = st.v[0];
		lx->syn[lx->nsyn].to = to;
		lx->nsyn++;
	}
	stems_free(&st);
}

void
stems_lexicon_init(struct lexicon *lx, const struct rule_set *rs)
{
	size_t	i;

	memset(lx, 0, sizeof *lx);
	lx->nstop = hash_words(stop_words,
	    sizeof stop_words / sizeof stop_words[0], &lx->stop);
	lx->ngeneric = hash_words(generic_words,
	    sizeof generic_words / sizeof generic_words[0], &lx->generic);
	for (i = 0; rs != NULL && i < rs->nsame; i++)
		add_synonyms(lx, rs->same[i]);
	if (lx->nsyn > 0)
		qsort(lx->syn, lx->nsyn, sizeof *lx->syn, compare_synonyms);
	/* Only now: a word's stem depends on the synonyms read above. */
	lx->words = xcalloc(1, sizeof *lx->words);
	wcache_init(lx->words);
}

void
stems_lexicon_free(struct lexicon *lx)
{
	free(lx->stop);
	free(lx->generic);
	free(lx->syn);
	if (lx->words != NULL)
		wcache_free(lx->words);
	free(lx->words);
}
