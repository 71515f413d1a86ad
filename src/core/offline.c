/*
 * offline.c - the review that needs no API key.
 *
 * Four checks, each tuned to be precise rather than eager: this is what a
 * newcomer sees first, and one finding on a correct line teaches them to
 * ignore every other one.
 *
 *   coverage   every overview topic and sub-point appears in the note,
 *              compared on word stems so that wording may differ;
 *   scope      the terms the overview rules out, as words and as Rust
 *              syntax (rules/scope.rules), one finding per line;
 *   structure  empty sections, sentences and lists that stop mid-way,
 *              headings written twice;
 *   rules      known misconceptions (the other rule files), per sentence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"

#define QUOTE_MAX	160	/* bytes of note text quoted in a finding */
#define QUOTE_CONTEXT	60	/* ... around the match when cut */
#define LEAD_IN_MAX	60	/* bytes of a list's lead-in in a message */
#define MAX_KEY_STEMS	64	/* stems of one topic: one bit each */
#define MIN_STEM	3	/* a suffix is only cut from a longer word */

/* --- word stems ---------------------------------------------------------- */

/*
 * Coverage compares words after cutting common English endings, so that
 * "deallocation", "deallocated" and "deallocator" meet in "dealloc" and
 * "lifetimes" in "lifetim".  Stems are kept as 64-bit hashes.
 */
struct stemset {
	uint64_t	*v;		/* sorted, unique */
	size_t		 n, alloc;
	uint64_t	*key;		/* the ones that are not generic words */
	size_t		 nkey, key_alloc;
};

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
	"one", "only", "or", "other", "others", "our", "out", "really",
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

/* Stop and generic words as hashes, and the synonyms: built per review. */
struct lexicon {
	uint64_t	*stop, *generic;
	size_t		 nstop, ngeneric;
	struct synonym	*syn;
	size_t		 nsyn;
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
static size_t
word_char_len(const char *s, size_t avail)
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

static size_t
sort_unique(uint64_t *v, size_t n)
{
	size_t	i, o = 0;

	if (n == 0)
		return 0;
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

static void
stems_add_word(const struct lexicon *lx, struct stemset *st, const char *w,
    size_t n)
{
	uint64_t	wh, h;

	if (n < 2)
		return;
	wh = fnv64(FNV64_INIT, w, n);
	if (u64_in(lx->stop, lx->nstop, wh))
		return;
	h = synonym_of(lx, stem_hash(w, n));
	u64_push(&st->v, &st->n, &st->alloc, h);
	if (!u64_in(lx->generic, lx->ngeneric, wh))
		u64_push(&st->key, &st->nkey, &st->key_alloc, h);
}

/* The stems of s, synonyms merged; words are lower-cased, then cut. */
static void
stems_of(const struct lexicon *lx, const char *s, struct stemset *st)
{
	char	*low = xstrdup(s), *p;
	size_t	 len = strlen(low), i = 0, start, k;

	for (p = low; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	st->n = st->nkey = 0;
	while (i < len) {
		if ((k = word_char_len(low + i, len - i)) == 0) {
			i++;
			continue;
		}
		start = i;
		while (i < len && (k = word_char_len(low + i, len - i)) > 0)
			i += k;
		stems_add_word(lx, st, low + start, i - start);
	}
	free(low);
	st->n = sort_unique(st->v, st->n);
	st->nkey = sort_unique(st->key, st->nkey);
}

static void
stems_free(struct stemset *st)
{
	free(st->v);
	free(st->key);
	memset(st, 0, sizeof *st);
}

static bool
stems_has(const struct stemset *st, uint64_t h)
{
	return u64_in(st->v, st->n, h);
}

/* Every stem of a is in b. */
static bool
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

static void
lexicon_init(struct lexicon *lx, const struct rule_set *rs)
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
}

static void
lexicon_free(struct lexicon *lx)
{
	free(lx->stop);
	free(lx->generic);
	free(lx->syn);
}

/* --- the review's state -------------------------------------------------- */

/* A term the overview rules out, with the patterns that find it. */
struct scope_term {
	const struct rule_term	*def;	/* NULL when own is used */
	struct rule_term	 own;	/* made up when no rule file knows it */
	const struct ovw_rule	*why;
	const char		*label;	/* as the overview words it */
};

struct scope_hit {
	int	line;
	size_t	qs, qe;			/* quote, as source offsets */
	size_t	term;
};

struct offline {
	const struct note	*n;
	const struct overview	*o;
	const struct rule_set	*rs;
	struct finding_list	*out;
	struct rule_text	 t;		/* all prose of the note */
	struct rule_text	 code;		/* all code blocks */
	int			*tblock;	/* t's paragraph -> note block */
	struct lexicon		 lx;
	struct stemset		*bags;		/* per block: text, not code */
	struct stemset		*titles;	/* per section */
	bool			*has_content;	/* per section */
	bool			*reported;	/* per section: coverage said it */
	struct scope_term	*terms;
	size_t			 nterms;
	struct scope_hit	*hits;
	size_t			 nhits, hits_alloc;
	int			*rule_line;	/* last line each rule fired */
	size_t			 cur;		/* rule or term being run */
	bool			 in_code_text;	/* terms run over code */
};

/* The list takes no more: building further findings is wasted work. */
static bool
list_full(const struct offline *c)
{
	return c->out->n >= FINDING_MAX_COUNT;
}

static void
emit(struct offline *c, struct finding *f)
{
	f->source = FSRC_OFFLINE;
	f->state = FST_NONE;
	if (f->end_line < f->line)
		f->end_line = f->line;
	if (f->quote == NULL)
		f->quote = xstrdup("");
	finding_clean(f);	/* note text may hold escape sequences */
	flist_push(c->out, f);
}

static char *
dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

/* --- note lines and quotes ----------------------------------------------- */

static size_t
line_offset(const struct note *n, int line)
{
	return (size_t)(n->lines[line - 1].text - n->src);
}

/* 1-based line holding source offset off. */
static int
line_of(const struct note *n, size_t off)
{
	int	lo = 0, hi = n->nlines - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (line_offset(n, mid + 1) <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo + 1;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_markup(char c)
{
	return c == '*' || c == '_' || c == '`' || c == '~';
}

static size_t
utf8_back(const char *s, size_t i, size_t floor)
{
	while (i > floor && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* A cut quote starts at a word: forward to after a space, if one is near. */
static size_t
word_start(const char *s, size_t i, size_t end)
{
	size_t	j;

	for (j = i; j < end && j < i + 20; j++)
		if (is_space(s[j]))
			return j + 1;
	return i;
}

/* ... and ends after one: back to a space, if one is near. */
static size_t
word_end(const char *s, size_t i, size_t start)
{
	size_t	j;

	for (j = i; j > start && j + 20 > i; j--)
		if (is_space(s[j - 1]))
			return j - 1;
	return i;
}

/*
 * The note text [qs, qe) as quoted in a finding: verbatim, on the line of
 * the match [ms, me), with the Markdown around it kept whole, and cut to
 * QUOTE_MAX bytes around the match when longer.
 */
static char *
quote_text(const struct note *n, size_t qs, size_t qe, size_t ms, size_t me)
{
	const char	*s = n->src;
	int		 line = line_of(n, ms);
	size_t		 ls = line_offset(n, line);
	size_t		 le = ls + n->lines[line - 1].len;

	qs = qs < ls ? ls : qs;
	qe = qe > le ? le : qe;
	me = me > qe ? qe : me;
	while (qs > ls && is_markup(s[qs - 1]))
		qs--;
	while (qe < le && (is_markup(s[qe]) || s[qe] == ')') &&
	    (s[qe] != ')' || memchr(s + qs, '(', qe - qs) != NULL))
		qe++;
	while (qs < qe && is_space(s[qs]))
		qs++;
	while (qe > qs && is_space(s[qe - 1]))
		qe--;
	if (qe - qs > QUOTE_MAX) {
		if (ms > qs + QUOTE_CONTEXT)
			qs = word_start(s, utf8_back(s, ms - QUOTE_CONTEXT,
			    qs), ms);
		if (qe > me + QUOTE_CONTEXT && qe - qs > QUOTE_MAX)
			qe = word_end(s, utf8_back(s, me + QUOTE_CONTEXT >
			    qs + QUOTE_MAX ? me + QUOTE_CONTEXT :
			    qs + QUOTE_MAX, qs), me);
	}
	return xstrndup(s + qs, qe - qs);
}

/* A heading's line as quoted: its text without the "#" markers. */
static char *
heading_quote(const struct note *n, int line)
{
	const char	*s = n->lines[line - 1].text;
	size_t		 len = n->lines[line - 1].len, i = 0;

	while (i < len && (is_space(s[i]) || s[i] == '#'))
		i++;
	while (len > i && (is_space(s[len - 1]) || s[len - 1] == '#'))
		len--;
	return xstrndup(s + i, len - i);
}

/* --- block text ---------------------------------------------------------- */

static size_t
skip_spaces(const char *s, size_t len, size_t i)
{
	while (i < len && is_space(s[i]))
		i++;
	return i;
}

/* Length of a list marker ("- ", "* ", "12. ", "3) ") at s[i], or 0. */
static size_t
list_marker(const char *s, size_t len, size_t i)
{
	size_t	j = i;

	if (j < len && (s[j] == '-' || s[j] == '*' || s[j] == '+')) {
		j++;
	} else {
		while (j < len && j - i < 9 && s[j] >= '0' && s[j] <= '9')
			j++;
		if (j == i || j >= len || (s[j] != '.' && s[j] != ')'))
			return 0;
		j++;
	}
	if (j < len && !is_space(s[j]))
		return 0;
	return j - i;
}

/* Where a block's own text starts on one of its lines. */
static size_t
text_start(const struct note_block *b, int line, const char *s, size_t len)
{
	size_t	i = skip_spaces(s, len, 0), m;

	if (b->kind == NB_QUOTE || b->kind == NB_ITEM)
		while (i < len && (s[i] == '>' || is_space(s[i])))
			i++;
	if (line != b->start_line)
		return i;
	if (b->kind == NB_ITEM && (m = list_marker(s, len, i)) > 0) {
		i = skip_spaces(s, len, i + m);
		if (len - i >= 3 && s[i] == '[' && s[i + 2] == ']' &&
		    strchr(" xX", s[i + 1]) != NULL)
			i = skip_spaces(s, len, i + 3);	/* task box */
	}
	if ((b->kind == NB_HEADING && !b->pseudo_heading) ||
	    b->kind == NB_QUOTE) {
		m = i;
		while (m < len && s[m] == '#')
			m++;
		if (m > i && m - i <= 6 && (m == len || is_space(s[m])))
			i = skip_spaces(s, len, m);
	}
	return i;
}

/* A setext heading's underline: only '=' or '-'. */
static bool
is_underline(const char *s, size_t len)
{
	size_t	i = skip_spaces(s, len, 0);
	char	c = i < len ? s[i] : '\0';

	if (c != '=' && c != '-')
		return false;
	while (i < len && (s[i] == c || is_space(s[i])))
		i++;
	return i == len;
}

/* Append a paragraph, item or heading to the prose text. */
static void
add_prose(struct offline *c, const struct note_block *b)
{
	const struct note	*n = c->n;
	const char		*s;
	size_t			 len, i;
	int			 line;

	for (line = b->start_line; line <= b->end_line &&
	    line <= n->nlines; line++) {
		s = n->lines[line - 1].text;
		len = n->lines[line - 1].len;
		if (b->kind == NB_HEADING && line > b->start_line &&
		    is_underline(s, len))
			continue;
		i = text_start(b, line, s, len);
		if (b->kind == NB_HEADING) {
			while (len > i && is_space(s[len - 1]))
				len--;
			while (len > i && s[len - 1] == '#')
				len--;	/* closing "##" */
		}
		rule_text_add_line(&c->t, s + i, len - i,
		    line_offset(n, line) + i);
	}
	rule_text_end_block(&c->t);
}

static bool
is_fence(const char *s, size_t len)
{
	size_t	i = skip_spaces(s, len, 0);

	return len - i >= 3 && (strncmp(s + i, "```", 3) == 0 ||
	    strncmp(s + i, "~~~", 3) == 0);
}

/* Append a code block's lines, fences left out, to the code text. */
static void
add_code(struct offline *c, const struct note_block *b)
{
	const struct note	*n = c->n;
	const char		*s;
	size_t			 len;
	int			 line;

	for (line = b->start_line; line <= b->end_line &&
	    line <= n->nlines; line++) {
		s = n->lines[line - 1].text;
		len = n->lines[line - 1].len;
		if ((line == b->start_line || line == b->end_line) &&
		    is_fence(s, len))
			continue;
		rule_text_add_raw(&c->code, s, len, line_offset(n, line));
	}
}

/* --- coverage ------------------------------------------------------------ */

static bool
is_prose(const struct note_block *b)
{
	return b->kind == NB_PARAGRAPH || b->kind == NB_ITEM ||
	    b->kind == NB_QUOTE || b->kind == NB_HEADING;
}

static void
coverage_prepare(struct offline *c)
{
	const struct note	*n = c->n;
	int			 i, s;

	c->bags = xcalloc(n->nblocks + 1, sizeof *c->bags);
	c->titles = xcalloc(n->nsections + 1, sizeof *c->titles);
	c->has_content = xcalloc(n->nsections + 1, sizeof *c->has_content);
	c->reported = xcalloc(n->nsections + 1, sizeof *c->reported);
	for (i = 0; i < n->nblocks; i++)	/* titles have their own */
		if (is_prose(&n->blocks[i]) && n->blocks[i].text != NULL &&
		    n->blocks[i].kind != NB_HEADING)
			stems_of(&c->lx, n->blocks[i].text, &c->bags[i]);
	for (i = 0; i < n->nsections; i++)
		stems_of(&c->lx, n->sections[i].title, &c->titles[i]);
	for (i = 0; i < n->nblocks; i++) {
		if (n->blocks[i].kind == NB_HEADING ||
		    n->blocks[i].kind == NB_RULE)
			continue;
		for (s = n->blocks[i].section; s >= 0 && !c->has_content[s];
		    s = n->sections[s].parent)
			c->has_content[s] = true;
	}
}

/*
 * Is every stem of want in one paragraph or item, or at least in one
 * section (its heading and its own blocks)?  Wording differs, so a topic
 * may be spread over a short section rather than said in one sentence.
 * A heading with nothing under it covers nothing.
 */
static bool
text_covers(struct offline *c, const uint64_t *want, size_t nwant)
{
	const struct note	*n = c->n;
	uint64_t		*secmask, full, m;
	size_t			 k;
	int			 i, s;
	bool			 found = false;

	if (nwant > MAX_KEY_STEMS)
		nwant = MAX_KEY_STEMS;
	full = nwant == 64 ? ~(uint64_t)0 : (((uint64_t)1 << nwant) - 1);
	secmask = xcalloc(n->nsections + 1, sizeof *secmask);
	for (s = 0; s < n->nsections; s++)
		for (k = 0; c->has_content[s] && k < nwant; k++)
			if (stems_has(&c->titles[s], want[k]))
				secmask[s + 1] |= (uint64_t)1 << k;
	for (i = 0; i < n->nblocks && !found; i++) {
		if (n->blocks[i].kind == NB_HEADING)
			continue;
		for (m = 0, k = 0; k < nwant; k++)
			if (stems_has(&c->bags[i], want[k]))
				m |= (uint64_t)1 << k;
		s = n->blocks[i].section + 1;
		secmask[s] |= m;
		found = m == full || secmask[s] == full;
	}
	free(secmask);
	return found;
}

/* Headings that say most of the topic's words ("Fixed-size data"). */
static void
topic_headings(struct offline *c, const struct stemset *topic, int *full,
    int *empty)
{
	const struct note	*n = c->n;
	size_t			 k, hits;
	int			 s;

	*full = *empty = -1;
	for (s = 0; s < n->nsections && *full < 0; s++) {
		for (hits = 0, k = 0; k < topic->n; k++)
			if (stems_has(&c->titles[s], topic->v[k]))
				hits++;
		if (hits * 2 <= topic->n)
			continue;
		if (c->has_content[s])
			*full = s;
		else if (*empty < 0)
			*empty = s;
	}
}

static char *
subpoint_list(const struct ovw_topic *tp)
{
	struct buf	b;
	int		i;

	buf_init(&b, 0);
	for (i = 0; i < tp->nsub; i++)
		buf_printf(&b, "%s%s", i == 0 ? "" : ", ", tp->subpoints[i]);
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

static void
report_topic_missing(struct offline *c, const struct ovw_topic *tp,
    int empty)
{
	struct finding	 f;
	char		*subs = subpoint_list(tp);

	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.topic = xstrdup(tp->title);
	if (empty >= 0) {
		f.severity = FS_MEDIUM;
		f.line = c->n->sections[empty].line;
		f.quote = heading_quote(c->n, f.line);
		f.rule_id = xstrdup("coverage-heading-only");
		f.message = xasprintf("The overview asks for '%s'; this "
		    "heading names it, but nothing is written under it yet.",
		    tp->title);
		c->reported[empty] = true;
	} else {
		f.severity = FS_HIGH;
		f.rule_id = xstrdup("coverage-topic");
		f.message = xasprintf("The overview asks for '%s'; the note "
		    "does not cover it.", tp->title);
	}
	f.suggestion = *subs != '\0' ? xasprintf("Write a section on %s, "
	    "covering %s.", tp->title, subs) : xasprintf("Write a section on "
	    "%s.", tp->title);
	free(subs);
	emit(c, &f);
}

static bool
subpoint_covered(struct offline *c, const char *sub)
{
	struct stemset	st = { 0 };
	bool		covered;

	stems_of(&c->lx, sub, &st);
	covered = st.n == 0 || (st.nkey > 0 ? text_covers(c, st.key,
	    st.nkey) : text_covers(c, st.v, st.n));
	stems_free(&st);
	return covered;
}

/* A topic may be covered without its own words: all its sub-points are. */
static bool
subpoints_cover(struct offline *c, const struct ovw_topic *tp)
{
	int	i;

	for (i = 0; i < tp->nsub; i++)
		if (!subpoint_covered(c, tp->subpoints[i]))
			return false;
	return tp->nsub > 0;
}

static void
check_subpoints(struct offline *c, const struct ovw_topic *tp, int heading)
{
	struct finding	f;
	int		i;

	for (i = 0; i < tp->nsub && !list_full(c); i++) {
		if (subpoint_covered(c, tp->subpoints[i]))
			continue;
		memset(&f, 0, sizeof f);
		f.kind = FK_GAP;
		f.severity = FS_MEDIUM;
		f.line = heading >= 0 ? c->n->sections[heading].line : 0;
		if (f.line > 0)
			f.quote = heading_quote(c->n, f.line);
		f.topic = xstrdup(tp->title);
		f.rule_id = xstrdup("coverage-subpoint");
		f.message = xasprintf("The overview lists '%s' under '%s'; "
		    "the note does not mention it.", tp->subpoints[i],
		    tp->title);
		f.suggestion = xasprintf("Add a sentence or two on %s to the "
		    "part about %s.", tp->subpoints[i], tp->title);
		emit(c, &f);
	}
}

static void
check_topic(struct offline *c, const struct ovw_topic *tp)
{
	struct stemset	topic = { 0 };
	int		full, empty;
	bool		covered;

	stems_of(&c->lx, tp->title, &topic);
	if (topic.n == 0)
		goto out;
	topic_headings(c, &topic, &full, &empty);
	covered = full >= 0 || (topic.nkey > 0 ?
	    text_covers(c, topic.key, topic.nkey) :
	    text_covers(c, topic.v, topic.n));
	if (covered)
		check_subpoints(c, tp, full);
	else if (!subpoints_cover(c, tp))
		report_topic_missing(c, tp, empty);
out:
	stems_free(&topic);
}

static void
check_coverage(struct offline *c)
{
	int	i;

	for (i = 0; i < c->o->ntopics; i++)
		check_topic(c, &c->o->topics[i]);
}

/* --- scope: which terms, and how they are found -------------------------- */

/* One of the term's words is in s. */
static bool
shares_stem(const struct lexicon *lx, const char *s,
    const struct stemset *term)
{
	struct stemset	 st = { 0 };
	const uint64_t	*v = term->nkey > 0 ? term->key : term->v;
	size_t		 n = term->nkey > 0 ? term->nkey : term->n, i;
	bool		 found = false;

	stems_of(lx, s, &st);
	for (i = 0; i < n && !found; i++)
		found = stems_has(&st, v[i]);
	stems_free(&st);
	return found;
}

/*
 * The overview asks about the term itself ("lifetimes" as a sub-point of
 * "Stack vs heap"): the learner must be free to write about it.
 */
static bool
term_requested(const struct lexicon *lx, const struct overview *o,
    const struct stemset *term)
{
	int	i, k;

	for (i = 0; i < o->ntopics; i++) {
		if (shares_stem(lx, o->topics[i].title, term))
			return true;
		for (k = 0; k < o->topics[i].nsub; k++)
			if (shares_stem(lx, o->topics[i].subpoints[k], term))
				return true;
	}
	return false;
}

/* The rule-file term an overview wording names: exact, else the best fit. */
static const struct rule_term *
term_def(const struct lexicon *lx, const struct rule_set *rs,
    const struct stemset *term)
{
	const struct rule_term	*best = NULL;
	struct stemset		 name = { 0 };
	size_t			 i, k, best_n = 0;

	for (i = 0; rs != NULL && i < rs->nterms; i++) {
		for (k = 0; k < rs->terms[i].nnames; k++) {
			stems_of(lx, rs->terms[i].names[k], &name);
			if (name.n == 0 || !stems_within(name.v, name.n, term))
				continue;
			if (name.n == term->n) {
				stems_free(&name);
				return &rs->terms[i];
			}
			if (name.n > best_n) {
				best = &rs->terms[i];
				best_n = name.n;
			}
		}
	}
	stems_free(&name);
	return best;
}

/* "smart pointers" -> (?<![\w-])smart\w*[\s-]+pointer\w* */
static char *
fallback_pattern(const char *term)
{
	struct buf	b;
	const char	*p = term;
	size_t		 n, k;
	bool		 first = true;

	buf_init(&b, 0);
	while (*p != '\0') {
		while (*p != '\0' && is_space(*p))
			p++;
		for (n = 0; p[n] != '\0' && !is_space(p[n]); n++)
			;
		if (n == 0)
			break;
		buf_adds(&b, first ? "(?<![\\w-])" : "[\\s-]+");
		if (n > 3 && p[n - 1] == 's' && p[n - 2] != 's')
			n--;		/* "iterators" finds "iterator" too */
		for (k = 0; k < n; k++) {
			if ((unsigned char)p[k] < 0x80 &&
			    !((p[k] >= 'a' && p[k] <= 'z') ||
			    (p[k] >= 'A' && p[k] <= 'Z') ||
			    (p[k] >= '0' && p[k] <= '9')))
				buf_addc(&b, '\\');
			buf_addc(&b, p[k]);
		}
		buf_adds(&b, "\\w*");
		first = false;
		while (*p != '\0' && !is_space(*p))
			p++;
	}
	return b.data != NULL ? buf_steal(&b) : NULL;
}

static bool
make_fallback(struct scope_term *st, const char *term)
{
	struct rule_pat	*pat;
	char		*re = fallback_pattern(term), *p;

	if (re == NULL)
		return false;
	pat = rule_pat_compile(re, NULL, 0);
	free(re);
	if (pat == NULL)
		return false;
	memset(&st->own, 0, sizeof st->own);
	st->own.term = xstrdup(term);
	st->own.id = xasprintf("scope-%s", term);
	for (p = st->own.id; *p != '\0'; p++)
		if (is_space(*p))
			*p = '-';
	st->own.word.v = xcalloc(1, sizeof *st->own.word.v);
	st->own.word.v[0] = pat;
	st->own.word.n = 1;
	return true;
}

/* The array of terms grows, so own is found afresh each time. */
static const struct rule_term *
scope_def(const struct scope_term *t)
{
	return t->def != NULL ? t->def : &t->own;
}

static void
add_scope_term(struct offline *c, const struct ovw_rule *why,
    const char *label)
{
	struct stemset		 st = { 0 };
	const struct rule_term	*def;
	struct scope_term	*t;
	size_t			 i;

	stems_of(&c->lx, label, &st);
	if (st.n == 0 || term_requested(&c->lx, c->o, &st))
		goto out;
	if ((def = term_def(&c->lx, c->rs, &st)) != NULL)
		for (i = 0; i < c->nterms; i++)
			if (c->terms[i].def == def)
				goto out;	/* "borrowing", "borrow checker" */
	c->terms = xreallocarray(c->terms, c->nterms + 1, sizeof *c->terms);
	t = &c->terms[c->nterms];
	memset(t, 0, sizeof *t);
	t->why = why;
	t->label = label;
	t->def = def;
	if (def != NULL || make_fallback(t, label))
		c->nterms++;
out:
	stems_free(&st);
}

static void
scope_prepare(struct offline *c)
{
	int	i, k;

	for (i = 0; i < c->o->nrules; i++)
		for (k = 0; k < c->o->rules[i].nterms; k++)
			add_scope_term(c, &c->o->rules[i],
			    c->o->rules[i].terms[k]);
}

static void
scope_terms_free(struct offline *c)
{
	size_t	i;

	for (i = 0; i < c->nterms; i++) {
		if (c->terms[i].def != NULL)
			continue;
		free(c->terms[i].own.id);
		free(c->terms[i].own.term);
		rule_pat_free(c->terms[i].own.word.v[0]);
		free(c->terms[i].own.word.v);
	}
	free(c->terms);
}

/* --- scope: finding and reporting ---------------------------------------- */

static void
on_term_hit(void *ud, const struct rule_hit *h)
{
	struct offline		*c = ud;
	struct scope_hit	*sh;
	const size_t		*src = c->in_code_text ? c->code.src :
				    c->t.src;

	if (h->match.end <= h->match.start)
		return;
	if (c->nhits == c->hits_alloc) {
		c->hits_alloc = c->hits_alloc ? c->hits_alloc * 2 : 16;
		c->hits = xreallocarray(c->hits, c->hits_alloc,
		    sizeof *c->hits);
	}
	sh = &c->hits[c->nhits++];
	sh->qs = src[h->match.start];
	sh->qe = src[h->match.end - 1] + 1;
	sh->line = line_of(c->n, sh->qs);
	sh->term = c->cur;
}

static void
find_terms(struct offline *c, bool code)
{
	c->in_code_text = code;
	for (c->cur = 0; c->cur < c->nterms; c->cur++)
		rule_term_run(c->rs, scope_def(&c->terms[c->cur]),
		    code ? &c->code : &c->t, code, on_term_hit, c);
}

static int
compare_hits(const void *a, const void *b)
{
	const struct scope_hit	*x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->qs != y->qs)
		return x->qs < y->qs ? -1 : 1;
	return x->term < y->term ? -1 : x->term > y->term;
}

/* "references", "references and lifetimes", "a, b and c" */
static char *
term_labels(struct offline *c, const struct scope_hit *h, size_t n)
{
	struct buf	 b;
	bool		*seen = xcalloc(c->nterms, sizeof *seen);
	size_t		 i, count = 0, total = 0;

	for (i = 0; i < n; i++)
		if (!seen[h[i].term]) {
			seen[h[i].term] = true;
			total++;
		}
	memset(seen, 0, c->nterms * sizeof *seen);
	buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		if (seen[h[i].term])
			continue;
		seen[h[i].term] = true;
		count++;
		buf_printf(&b, "%s%s", count == 1 ? "" : count == total ?
		    " and " : ", ", scope_def(&c->terms[h[i].term])->term);
	}
	free(seen);
	return buf_steal(&b);
}

/* One finding per line, naming every ruled-out term it mentions. */
static void
report_scope_line(struct offline *c, const struct scope_hit *h, size_t n)
{
	const struct scope_term	*first = &c->terms[h[0].term];
	const struct rule_term	*def = scope_def(first);
	struct finding		 f;
	char			*labels = term_labels(c, h, n);
	size_t			 qe = h[n - 1].qe, i;

	for (i = 0; i < n; i++)
		if (h[i].qe > qe)
			qe = h[i].qe;
	if (qe - h[0].qs > QUOTE_MAX)
		qe = h[0].qe;
	memset(&f, 0, sizeof f);
	f.kind = FK_SCOPE;
	f.severity = FS_MEDIUM;
	f.line = h[0].line;
	f.quote = quote_text(c->n, h[0].qs, qe, h[0].qs, h[0].qe);
	f.topic = xstrdup(first->why->text);
	f.rule_id = xstrdup(def->id);
	f.message = xasprintf("Out of scope here: this mentions %s, which "
	    "the overview keeps for later (\"%s\").", labels,
	    first->why->text);
	f.suggestion = def->instead != NULL ?
	    xstrdup(def->instead) : xasprintf("Leave %s out of this "
	    "note, or only say that it comes later.", labels);
	free(labels);
	emit(c, &f);
}

static void
report_scope(struct offline *c)
{
	size_t	i, j;

	if (c->nhits == 0)
		return;
	qsort(c->hits, c->nhits, sizeof *c->hits, compare_hits);
	for (i = 0; i < c->nhits && !list_full(c); i = j) {
		for (j = i + 1; j < c->nhits &&
		    c->hits[j].line == c->hits[i].line; j++)
			;
		report_scope_line(c, &c->hits[i], j - i);
	}
}

/* --- misconception rules ------------------------------------------------- */

static const char *
section_title(const struct offline *c, int line)
{
	int	s = note_section_at(c->n, line);

	return s >= 0 ? c->n->sections[s].title : "";
}

static void
on_rule_hit(void *ud, const struct rule_hit *h)
{
	struct offline		*c = ud;
	const struct rule	*r = &c->rs->rules[c->cur];
	const size_t		*src = c->t.src;
	struct finding		 f;
	size_t			 ms = src[h->match.start];
	size_t			 me = src[h->match.end - 1] + 1;
	int			 line = line_of(c->n, ms);
	size_t			 tb = rule_text_block_at(&c->t, h->unit.start);

	if (!r->headings && tb < c->t.nblocks &&
	    c->n->blocks[c->tblock[tb]].kind == NB_HEADING)
		return;
	if (c->rule_line[c->cur] == line || list_full(c))
		return;			/* one finding per line and rule */
	c->rule_line[c->cur] = line;
	memset(&f, 0, sizeof f);
	f.kind = r->kind;
	f.severity = r->severity;
	f.line = line;
	f.end_line = line_of(c->n, me - 1);
	f.quote = quote_text(c->n, src[h->unit.start],
	    src[h->unit.end - 1] + 1, ms, me);
	f.topic = dup_or_empty(r->topic != NULL ? r->topic :
	    section_title(c, line));
	f.message = dup_or_empty(r->message);
	f.suggestion = dup_or_empty(r->suggestion);
	f.rule_id = xstrdup(r->id);
	emit(c, &f);
}

static void
run_rules(struct offline *c)
{
	for (c->cur = 0; c->cur < c->rs->nrules; c->cur++)
		rule_run(c->rs, &c->rs->rules[c->cur], &c->t, on_rule_hit, c);
}

/*
 * All prose goes into one text and all code into another, so that each
 * pattern scans the note once instead of once per paragraph.
 */
static void
scan_blocks(struct offline *c)
{
	const struct note_block	*b;
	size_t			 before;
	int			 i;

	c->tblock = xcalloc(c->n->nblocks + 1, sizeof *c->tblock);
	for (i = 0; i < c->n->nblocks; i++) {
		b = &c->n->blocks[i];
		if (b->kind == NB_CODE) {
			add_code(c, b);
		} else if (is_prose(b)) {
			before = c->t.nblocks;
			add_prose(c, b);
			if (c->t.nblocks > before)
				c->tblock[before] = i;
		}
	}
	rule_text_split(&c->t);		/* code is searched by line */
	find_terms(c, false);
	find_terms(c, true);
	if (c->rs != NULL)
		run_rules(c);
	report_scope(c);
}

/* --- structure ----------------------------------------------------------- */

/* The next block, or NULL at the end of the note. */
static const struct note_block *
next_block(const struct note *n, int i)
{
	return i + 1 < n->nblocks ? &n->blocks[i + 1] : NULL;
}

static void
check_empty_sections(struct offline *c)
{
	const struct note		*n = c->n;
	const struct note_block	*b, *nb;
	struct finding			 f;
	int				 i, j;

	for (i = 0; i < n->nblocks; i++) {
		b = &n->blocks[i];
		if (b->kind != NB_HEADING || b->section < 0 ||
		    c->reported[b->section])
			continue;
		for (j = i + 1; j < n->nblocks &&
		    (n->blocks[j].kind == NB_RULE ||
		    n->blocks[j].kind == NB_HTML); j++)
			;
		nb = j < n->nblocks ? &n->blocks[j] : NULL;
		if (nb != NULL && (nb->kind != NB_HEADING ||
		    nb->level > b->level))
			continue;
		memset(&f, 0, sizeof f);
		f.kind = FK_GAP;
		f.severity = FS_MEDIUM;
		f.line = b->start_line;
		f.quote = heading_quote(n, b->start_line);
		f.topic = dup_or_empty(n->sections[b->section].title);
		f.rule_id = xstrdup("empty-section");
		f.message = xasprintf("The section '%s' is empty: %s.",
		    n->sections[b->section].title, nb == NULL ?
		    "the note ends right after its heading" :
		    "the next heading follows right away");
		f.suggestion = xstrdup("Write the section, or remove the "
		    "heading.");
		emit(c, &f);
	}
}

/* How a paragraph or item ends: its last line, trailing markup dropped. */
struct ending {
	const char	*line;
	size_t		 len;	/* up to the last real character */
	char		 last;
	const char	*word;		/* "and", "or", "the" ... or NULL */
};

static const char *const joining_words[] = {
	"a", "an", "and", "because", "but", "of", "or", "than", "the"
};

static const char *
joining_word(const char *w, size_t n)
{
	size_t	i;

	for (i = 0; i < sizeof joining_words / sizeof joining_words[0]; i++)
		if (strlen(joining_words[i]) == n &&
		    strncasecmp(w, joining_words[i], n) == 0)
			return joining_words[i];
	return NULL;
}

/* "a comma", "'and'" */
static char *
ending_name(const struct ending *e)
{
	if (e->word != NULL)
		return xasprintf("'%s'", e->word);
	return xstrdup(e->last == ',' ? "a comma" : "a colon");
}

static void
block_ending(const struct note *n, const struct note_block *b,
    struct ending *e)
{
	const char	*s = n->lines[b->end_line - 1].text;
	size_t		 len = n->lines[b->end_line - 1].len, w;

	while (len > 0 && (is_space(s[len - 1]) || s[len - 1] == '*' ||
	    s[len - 1] == '_' || s[len - 1] == '\\'))
		len--;
	e->line = s;
	e->len = len;
	e->last = len > 0 ? s[len - 1] : '\0';
	for (w = len; w > 0 && ((s[w - 1] >= 'a' && s[w - 1] <= 'z') ||
	    (s[w - 1] >= 'A' && s[w - 1] <= 'Z')); w--)
		;
	e->word = NULL;
	if (w < len && (w == 0 || is_space(s[w - 1])))
		e->word = joining_word(s + w, len - w);
}

static bool
starts_with_marker(const struct note *n, const struct note_block *b)
{
	const char	*s = n->lines[b->start_line - 1].text;
	size_t		 len = n->lines[b->start_line - 1].len, i;

	i = skip_spaces(s, len, 0);
	while (i < len && (s[i] == '>' || is_space(s[i])))
		i++;
	return list_marker(s, len, i) > 0;
}

/* What follows a block lets a comma or colon at its end stand. */
static bool
followed_by_more(const struct note_block *b, const struct note_block *nb)
{
	if (nb == NULL)
		return false;
	if (nb->kind == NB_CODE || (nb->kind == NB_QUOTE &&
	    b->kind != NB_QUOTE))
		return true;
	if (nb->kind != NB_ITEM)
		return false;
	if (b->kind != NB_ITEM)
		return true;		/* a lead-in and its list */
	return nb->level >= b->level;	/* sibling, child, next paragraph */
}

/*
 * The seed case: "Independent of where the data is stored:" (or "If ...,")
 * and then one bullet that stops on a comma.  Returns the lead-in.
 */
static const struct note_block *
lead_in(const struct note *n, int i)
{
	const struct note_block	*b = &n->blocks[i], *prev;
	struct ending		 e;

	if (i == 0 || b->kind != NB_ITEM || !starts_with_marker(n, b))
		return NULL;
	prev = &n->blocks[i - 1];
	if (prev->kind != NB_PARAGRAPH && prev->kind != NB_QUOTE)
		return NULL;
	block_ending(n, prev, &e);
	return e.last == ':' || e.last == ',' ? prev : NULL;
}

static char *
lead_in_text(const struct note_block *b)
{
	size_t	len = strlen(b->text);

	if (len <= LEAD_IN_MAX)
		return xstrdup(b->text);
	return xasprintf("%.*s...", (int)utf8_back(b->text, LEAD_IN_MAX, 0),
	    b->text);
}

static char *
unfinished_message(const struct note *n, int i, const struct ending *e,
    bool colon)
{
	const struct note_block	*b = &n->blocks[i], *li = lead_in(n, i);
	const struct note_block	*nb = next_block(n, i);
	char			*lead, *msg, *end;

	if (colon)
		return xstrdup("This introduces something (it ends with a "
		    "colon), but nothing follows it.");
	if (li != NULL && !(nb != NULL && nb->kind == NB_ITEM &&
	    nb->level >= b->level)) {
		lead = lead_in_text(li);
		end = ending_name(e);
		msg = xasprintf("The list under '%s' has a single item, and "
		    "it stops mid-sentence (it ends on %s).", lead, end);
		free(lead);
		free(end);
		return msg;
	}
	end = ending_name(e);
	if (b->kind == NB_ITEM)
		msg = xasprintf("This list item stops mid-sentence (it ends "
		    "on %s), and the list ends here.", end);
	else
		msg = xasprintf("This sentence stops mid-way: it ends on %s.",
		    end);
	free(end);
	return msg;
}

static void
check_unfinished(struct offline *c, int i)
{
	const struct note		*n = c->n;
	const struct note_block	*b = &n->blocks[i], *nb = next_block(n, i);
	struct ending			 e;
	struct finding			 f;
	size_t				 qs;
	bool				 colon;

	if (b->kind != NB_PARAGRAPH && b->kind != NB_ITEM &&
	    b->kind != NB_QUOTE)
		return;
	block_ending(n, b, &e);
	colon = e.last == ':';
	if (colon) {
		if (nb != NULL && nb->kind != NB_HEADING &&
		    nb->kind != NB_RULE && !(b->kind == NB_ITEM &&
		    nb->kind == NB_ITEM && nb->level == b->level &&
		    starts_with_marker(n, nb)))
			return;
	} else if (e.last != ',' && e.word == NULL) {
		return;
	} else if (followed_by_more(b, nb)) {
		return;
	}
	qs = text_start(b, b->end_line, e.line, e.len);
	if (e.len - qs > QUOTE_CONTEXT)
		qs = word_start(e.line, utf8_back(e.line,
		    e.len - QUOTE_CONTEXT, qs), e.len);
	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.severity = FS_MEDIUM;
	f.line = f.end_line = b->end_line;
	f.quote = xstrndup(e.line + qs, e.len - qs);
	f.topic = dup_or_empty(section_title(c, b->end_line));
	f.rule_id = xstrdup(b->kind == NB_ITEM ? "unfinished-list" :
	    "unfinished-sentence");
	f.message = unfinished_message(n, i, &e, colon);
	f.suggestion = xstrdup(colon ? "Add what this line announces, or "
	    "end it with a full stop." : "Finish the thought, or remove the "
	    "dangling part.");
	emit(c, &f);
}

struct heading_key {
	uint64_t	hash;
	int		parent, level, section;
};

static int
compare_heading_keys(const void *a, const void *b)
{
	const struct heading_key	*x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	return x->section < y->section ? -1 : x->section > y->section;
}

/* "Stack vs. heap!" and "stack vs heap" are the same title. */
static uint64_t
title_hash(const char *s)
{
	uint64_t	h = FNV64_INIT;
	size_t		i, len = strlen(s), k;
	bool		gap = false;
	char		lc;

	for (i = 0; i < len; i += k ? k : 1) {
		if ((k = word_char_len(s + i, len - i)) == 0) {
			gap = true;
			continue;
		}
		if (gap && h != FNV64_INIT)
			h = fnv64(h, " ", 1);
		gap = false;
		lc = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 'a' - 'A' : s[i];
		h = k == 1 ? fnv64(h, &lc, 1) : fnv64(h, s + i, k);
	}
	return h;
}

static void
check_duplicate_headings(struct offline *c)
{
	const struct note	*n = c->n;
	struct heading_key	*keys;
	struct finding		 f;
	int			 i;

	if (n->nsections < 2)
		return;
	keys = xcalloc(n->nsections, sizeof *keys);
	for (i = 0; i < n->nsections; i++) {
		keys[i].hash = title_hash(n->sections[i].title);
		keys[i].parent = n->sections[i].parent;
		keys[i].level = n->sections[i].level;
		keys[i].section = i;
	}
	qsort(keys, n->nsections, sizeof *keys, compare_heading_keys);
	for (i = 1; i < n->nsections; i++) {
		if (keys[i].hash != keys[i - 1].hash ||
		    keys[i].parent != keys[i - 1].parent ||
		    keys[i].level != keys[i - 1].level ||
		    n->sections[keys[i].section].title[0] == '\0')
			continue;
		memset(&f, 0, sizeof f);
		f.kind = FK_GAP;
		f.severity = FS_LOW;
		f.line = n->sections[keys[i].section].line;
		f.quote = heading_quote(n, f.line);
		f.topic = xstrdup(n->sections[keys[i].section].title);
		f.rule_id = xstrdup("duplicate-heading");
		f.message = xasprintf("The heading '%s' appears twice in the "
		    "same part of the note (first on line %d).",
		    n->sections[keys[i].section].title,
		    n->sections[keys[i - 1].section].line);
		f.suggestion = xstrdup("Merge the two sections, or give this "
		    "one a title that says how it differs.");
		emit(c, &f);
	}
	free(keys);
}

static void
check_structure(struct offline *c)
{
	int	i;

	check_empty_sections(c);
	for (i = 0; i < c->n->nblocks && !list_full(c); i++)
		check_unfinished(c, i);
	check_duplicate_headings(c);
}

/* --- public -------------------------------------------------------------- */

static void
offline_free(struct offline *c)
{
	int	i;

	for (i = 0; c->bags != NULL && i <= c->n->nblocks; i++)
		stems_free(&c->bags[i]);
	for (i = 0; c->titles != NULL && i <= c->n->nsections; i++)
		stems_free(&c->titles[i]);
	free(c->bags);
	free(c->titles);
	lexicon_free(&c->lx);
	free(c->has_content);
	free(c->reported);
	scope_terms_free(c);
	free(c->hits);
	free(c->rule_line);
	free(c->tblock);
	rule_text_free(&c->t);
	rule_text_free(&c->code);
}

void
offline_review(const struct note *n, const struct overview *o,
    const struct rule_set *rs, struct finding_list *out)
{
	struct offline	c;
	size_t		i;

	if (n == NULL || out == NULL)
		return;
	memset(&c, 0, sizeof c);
	c.n = n;
	c.o = o;
	c.rs = rs;
	c.out = out;
	rule_text_init(&c.t);
	rule_text_init(&c.code);
	lexicon_init(&c.lx, rs);
	coverage_prepare(&c);
	if (rs != NULL) {
		c.rule_line = xcalloc(rs->nrules + 1, sizeof *c.rule_line);
		for (i = 0; i < rs->nrules; i++)
			c.rule_line[i] = -1;
	}
	if (o != NULL) {
		check_coverage(&c);
		scope_prepare(&c);
	}
	scan_blocks(&c);
	check_structure(&c);
	offline_free(&c);
}
