/*
 * finding_same.c - is a finding the same as another?  The test behind
 * merging two reviews' findings and diffing a review against the previous
 * one: kind, lines and quote compared loosely, messages compared by the
 * share of words they have in common.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/finding.h"
#include "rustnote/text.h"
#include "rustnote/util.h"

/* finding_same(): share of the shorter message's words found in the other. */
#define SAME_WORD_RATIO	0.6
#define SAME_MIN_WORDS	2

/* --- same, merge, diff --------------------------------------------------- */

/*
 * Words of a text for comparing messages: lower case, no short words, each
 * once.  A hash set over them makes counting the words two texts share one
 * look-up per word.
 */
struct word {
	uint64_t hash;
	const char *s;
};

struct words {
	char *text;		/* folded copy; words point into it */
	struct word *v;		/* the distinct words */
	size_t n;
	uint32_t *set;		/* 1 + index into v, 0 for a free slot */
	size_t mask;		/* slots - 1 (a power of two) */
	uint64_t print;		/* see letters_print() */
};

/* FNV-1a */
static uint64_t
hash_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * 0x100000001b3ULL;
}

#define HASH_INIT 0xcbf29ce484222325ULL

static uint64_t
word_hash(const char *s)
{
	uint64_t h = HASH_INIT;

	for (; *s != '\0'; s++)
		h = hash_step(h, (unsigned char)*s);
	return h;
}

/*
 * A hash of the ASCII letters and digits of a folded text, in order.
 * compare_form() neither drops nor changes those bytes, so two texts whose
 * prints differ cannot be equal in compare_form().
 */
static uint64_t
letters_print(const char *folded)
{
	uint64_t h = HASH_INIT;
	unsigned char c;

	for (; *folded != '\0'; folded++) {
		c = (unsigned char)*folded;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			h = hash_step(h, c);
	}
	return h;
}

/* The slot of w's set that holds word s, or the free one where it would. */
static uint32_t *
words_slot(const struct words *w, uint64_t hash, const char *s)
{
	size_t i = (size_t)hash & w->mask;
	const struct word *o;

	for (; w->set[i] != 0; i = (i + 1) & w->mask) {
		o = &w->v[w->set[i] - 1];
		if (o->hash == hash && strcmp(o->s, s) == 0)
			break;
	}
	return &w->set[i];
}

/* Keep each of the first n words of w->v once, and index them. */
static void
words_index(struct words *w, size_t n)
{
	size_t i, slots = 8;
	uint32_t *slot;

	while (slots < 2 * n)
		slots *= 2;
	w->set = xcalloc(slots, sizeof(*w->set));
	w->mask = slots - 1;
	w->n = 0;
	for (i = 0; i < n; i++) {
		slot = words_slot(w, w->v[i].hash, w->v[i].s);
		if (*slot != 0)
			continue;	/* seen before */
		w->v[w->n] = w->v[i];
		*slot = (uint32_t)++w->n;
	}
}

/* Crude stemming so "frame" and "frames" count as one word. */
static void
strip_plural(char *w, size_t n)
{
	if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
		w[n - 1] = '\0';
}

/* Words too common to tell two messages apart. */
static bool
is_stop_word(const char *w, size_t n)
{
	static const char *const stop[] = {
		"the", "and", "for", "that", "this", "with", "are", "not",
		"but", "you", "your", "its", "it's", "from", "has", "have",
		"into", "note", "was", "can", "only",
	};
	size_t i;

	if (n > 4)	/* the longest above */
		return false;
	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
		if (strcmp(w, stop[i]) == 0)
			return true;
	}
	return false;
}

static void
words_split(struct words *w, const char *s)
{
	size_t n, len, all = 0;
	char *p;

	memset(w, 0, sizeof(*w));
	w->text = text_fold(s != NULL ? s : "");
	w->print = letters_print(w->text);
	/* A word kept is 3 bytes or more, with a byte between two. */
	w->v = xreallocarray(NULL, strlen(w->text) / 4 + 1, sizeof(*w->v));
	for (p = w->text; *p != '\0'; p += n) {
		if (!text_is_word_char(*p)) {
			n = 1;
			continue;
		}
		for (n = 1; text_is_word_char(p[n]); n++)
			;
		len = n;
		if (p[n] != '\0')
			p[n++] = '\0';
		strip_plural(p, len);
		len = strlen(p);
		if (len >= 3 && !is_stop_word(p, len)) {
			w->v[all].hash = word_hash(p);
			w->v[all++].s = p;
		}
	}
	words_index(w, all);
}

static void
words_free(struct words *w)
{
	free(w->text);
	free(w->v);
	free(w->set);
}

/* How many words a and b share. */
static size_t
words_common(const struct words *a, const struct words *b)
{
	const struct words *t;
	size_t i, n = 0;

	if (a->n > b->n) {	/* look the fewer up */
		t = a;
		a = b;
		b = t;
	}
	for (i = 0; i < a->n; i++) {
		if (*words_slot(b, a->v[i].hash, a->v[i].s) != 0)
			n++;
	}
	return n;
}

/*
 * Comparable form of a quote or message: lower case, straight quotes, no
 * emphasis markers or backticks, white-space runs as one space, trimmed.
 */
static char *
compare_form(const char *s)
{
	char *f = text_fold(s), *p, *o;
	bool space = false;

	for (p = o = f; *p != '\0'; p++) {
		if (*p == '*' || *p == '_' || *p == '`')
			continue;
		if (isspace((unsigned char)*p)) {
			space = o != f;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		/* U+201C/U+201D, as folded by text_fold() they stay 3 bytes */
		if ((unsigned char)p[0] == 0xe2 &&
		    (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] == 0x9c ||
		    (unsigned char)p[2] == 0x9d)) {
			*o++ = '"';
			p += 2;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return f;
}

/*
 * A finding as finding_same() sees it.  The comparable forms of its texts
 * are made when first needed and then kept, so checking one finding
 * against hundreds does that work once, not once per pair.
 */
enum { SIG_QUOTE, SIG_TOPIC, SIG_MESSAGE, SIG_NTEXTS };

struct finding_sig {
	enum finding_kind kind;
	int line, end_line;
	const char *text[SIG_NTEXTS];	/* the finding's, lent */
	char *form[SIG_NTEXTS];		/* compare_form(), NULL until made */
	struct words words;		/* of the message, once have_words */
	bool have_words;
	bool by_rule;			/* from an offline check */
};

static void
sig_init(struct finding_sig *s, const struct finding *f)
{
	memset(s, 0, sizeof(*s));
	s->kind = f->kind;
	s->line = f->line;
	s->end_line = f->end_line;
	s->text[SIG_QUOTE] = f->quote;
	s->text[SIG_TOPIC] = f->topic;
	s->text[SIG_MESSAGE] = f->message;
	s->by_rule = f->rule_id != NULL && f->rule_id[0] != '\0';
}

static void
sig_clear(struct finding_sig *s)
{
	int i;

	for (i = 0; i < SIG_NTEXTS; i++)
		free(s->form[i]);
	if (s->have_words)
		words_free(&s->words);
}

struct finding_sig *
finding_sig_new(const struct finding *f)
{
	struct finding_sig *s = xmalloc(sizeof(*s));

	sig_init(s, f);
	return s;
}

void
finding_sig_free(struct finding_sig *s)
{
	if (s == NULL)
		return;
	sig_clear(s);
	free(s);
}

/* One text of each is equal in compare_form(), and not empty. */
static bool
sig_equal_loose(struct finding_sig *a, struct finding_sig *b, int i)
{
	if (a->text[i] == NULL || b->text[i] == NULL)
		return false;
	if (a->form[i] == NULL)
		a->form[i] = compare_form(a->text[i]);
	if (b->form[i] == NULL)
		b->form[i] = compare_form(b->text[i]);
	return a->form[i][0] != '\0' && strcmp(a->form[i], b->form[i]) == 0;
}

static const struct words *
sig_words(struct finding_sig *s)
{
	if (!s->have_words) {
		words_split(&s->words, s->text[SIG_MESSAGE]);
		s->have_words = true;
	}
	return &s->words;
}

/*
 * Equal in compare_form() or sharing most words.  The words come first:
 * they are needed for most pairs anyway, and their prints rule out equal
 * forms without making them.
 */
static bool
messages_similar(struct finding_sig *a, struct finding_sig *b)
{
	const struct words *wa, *wb;
	size_t common, least;

	wa = sig_words(a);
	wb = sig_words(b);
	least = wa->n < wb->n ? wa->n : wb->n;
	common = words_common(wa, wb);
	if (least > 0 && common >= SAME_MIN_WORDS &&
	    (double)common >= SAME_WORD_RATIO * (double)least)
		return true;
	return wa->print == wb->print &&
	    sig_equal_loose(a, b, SIG_MESSAGE);
}

/* Overlapping or adjacent line ranges, or both about the whole note. */
static bool
lines_close(const struct finding_sig *a, const struct finding_sig *b)
{
	int ae, be;

	if (a->line == 0 || b->line == 0)
		return a->line == 0 && b->line == 0;
	ae = a->end_line >= a->line ? a->end_line : a->line;
	be = b->end_line >= b->line ? b->end_line : b->line;
	return a->line <= be + 1 && b->line <= ae + 1;
}

static bool
is_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/* Both name a topic, and the topics share less than half their words. */
static bool
topics_apart(const struct finding_sig *a, const struct finding_sig *b)
{
	struct words	wa, wb;
	bool		apart;

	if (is_empty(a->text[SIG_TOPIC]) || is_empty(b->text[SIG_TOPIC]))
		return false;
	words_split(&wa, a->text[SIG_TOPIC]);
	words_split(&wb, b->text[SIG_TOPIC]);
	apart = wa.n > 0 && wb.n > 0 && 2 * words_common(&wa, &wb) <
	    (wa.n < wb.n ? wa.n : wb.n);
	words_free(&wa);
	words_free(&wb);
	return apart;
}

/* What the cheap tests of finding_same() say about a pair. */
enum quick { QUICK_DIFFERENT, QUICK_SAME, QUICK_MESSAGES };

/* finding_same() but the messages: most pairs differ in kind or lines. */
static enum quick
sig_quick(struct finding_sig *a, struct finding_sig *b)
{
	if (a->kind != b->kind || !lines_close(a, b))
		return QUICK_DIFFERENT;
	/* The offline checks report each line, missing topic and sub-point
	   once: two of their findings are one only when they say the same
	   of the same line. */
	if (a->by_rule && b->by_rule && (a->line != b->line ||
	    a->kind == FK_GAP))
		return a->line == b->line && sig_equal_loose(a, b,
		    SIG_MESSAGE) ? QUICK_SAME : QUICK_DIFFERENT;
	if (sig_equal_loose(a, b, SIG_QUOTE))
		return QUICK_SAME;
	/* Two gaps about the same overview topic are one gap. */
	if (a->line == 0 && sig_equal_loose(a, b, SIG_TOPIC))
		return QUICK_SAME;
	/* ... and gaps about topics with little in common are two. */
	if (a->kind == FK_GAP && topics_apart(a, b))
		return QUICK_DIFFERENT;
	if (is_empty(a->text[SIG_MESSAGE]) && is_empty(b->text[SIG_MESSAGE]))
		return is_empty(a->text[SIG_QUOTE]) &&
		    is_empty(b->text[SIG_QUOTE]) ? QUICK_SAME :
		    QUICK_DIFFERENT;
	return QUICK_MESSAGES;
}

bool
finding_sig_same(struct finding_sig *a, struct finding_sig *b)
{
	switch (sig_quick(a, b)) {
	case QUICK_SAME:
		return true;
	case QUICK_MESSAGES:
		return messages_similar(a, b);
	default:
		return false;
	}
}

/*
 * Between two reviews the learner edits the note, so a finding's lines can
 * move.  The same kind with the same (non-empty) quote is still the same
 * finding.  sig_quick() with that test added, when across_edit.
 */
static enum quick
sig_quick_for(struct finding_sig *a, struct finding_sig *b, bool across_edit)
{
	enum quick q = sig_quick(a, b);

	if (q != QUICK_SAME && across_edit && a->kind == b->kind &&
	    a->line != 0 && b->line != 0 && sig_equal_loose(a, b, SIG_QUOTE))
		return QUICK_SAME;
	return q;
}

/*
 * Whether f is the same as any of v[0..n).  The pairs the cheap tests
 * settle are all tried before any messages are compared, so a finding
 * equal to an earlier one by its quote never has its words split.
 */
static bool
sigs_any_same(struct finding_sig *const *v, size_t n, struct finding_sig *f,
    bool across_edit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (sig_quick_for(v[i], f, across_edit) == QUICK_SAME)
			return true;
	}
	for (i = 0; i < n; i++) {
		if (sig_quick_for(v[i], f, across_edit) == QUICK_MESSAGES &&
		    messages_similar(v[i], f))
			return true;
	}
	return false;
}

bool
finding_sig_any_same(struct finding_sig *const *v, size_t n,
    struct finding_sig *f)
{
	return sigs_any_same(v, n, f, false);
}

bool
finding_same(const struct finding *a, const struct finding *b)
{
	struct finding_sig sa, sb;
	bool same;

	sig_init(&sa, a);
	sig_init(&sb, b);
	same = finding_sig_same(&sa, &sb);
	sig_clear(&sa);
	sig_clear(&sb);
	return same;
}

/* Signatures of the first n findings of l, with room for more. */
static struct finding_sig **
list_sigs(const struct finding_list *l, size_t n, size_t room)
{
	struct finding_sig **v = xreallocarray(NULL, n + room + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = finding_sig_new(&l->v[i]);
	return v;
}

static void
sigs_free(struct finding_sig **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		finding_sig_free(v[i]);
	free(v);
}

void
flist_merge(struct finding_list *dst, const struct finding_list *src)
{
	struct finding_sig **sigs = list_sigs(dst, dst->n, src->n), *sig;
	struct finding copy;
	size_t i, n = dst->n;

	for (i = 0; i < src->n; i++) {
		sig = finding_sig_new(&src->v[i]);
		if (sigs_any_same(sigs, n, sig, false)) {
			finding_sig_free(sig);
			continue;
		}
		finding_copy(&copy, &src->v[i]);
		flist_push(dst, &copy);
		/* The copy's texts are those of src, which sig borrows. */
		if (dst->n > n)
			sigs[n++] = sig;
		else
			finding_sig_free(sig);
	}
	sigs_free(sigs, n);
}

/*
 * Findings already marked resolved in prev were gone in the previous review
 * too: they are not carried forward again.
 */
void
flist_diff(struct finding_list *cur, const struct finding_list *prev)
{
	struct finding_sig **cs = list_sigs(cur, cur->n, 0);
	struct finding_sig **ps = list_sigs(prev, prev->n, 0);
	struct finding copy;
	size_t i, ncur = cur->n;

	for (i = 0; i < ncur; i++) {
		cur->v[i].state = sigs_any_same(ps, prev->n, cs[i], true) ?
		    FST_PERSIST : FST_NEW;
	}
	for (i = 0; i < prev->n; i++) {
		if (prev->v[i].state == FST_RESOLVED ||
		    sigs_any_same(cs, ncur, ps[i], true))
			continue;
		finding_copy(&copy, &prev->v[i]);
		copy.state = FST_RESOLVED;
		flist_push(cur, &copy);
	}
	sigs_free(cs, ncur);
	sigs_free(ps, prev->n);
}
