/*
 * finding.c - the finding model: names, loose parsing of kind and severity
 * words, cleaning of untrusted text, the list, sorting, and the "same
 * finding" test behind merging and diffing.
 *
 * Every text field of a finding comes from an LLM reply and ends up on a
 * terminal, so finding_clean() passes each field through the sanitiser
 * (sanitize.h) and caps it.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/finding.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

/* finding_same(): share of the shorter message's words found in the other. */
#define SAME_WORD_RATIO	0.6
#define SAME_MIN_WORDS	2

static const char *const kind_names[FK_COUNT] = {
	"gap", "incorrect", "assumption", "scope"
};

const char *
finding_kind_name(enum finding_kind k)
{
	if ((unsigned)k >= FK_COUNT)
		return "unknown";
	return kind_names[k];
}

const char *
finding_severity_name(enum finding_severity s)
{
	switch (s) {
	case FS_HIGH:
		return "high";
	case FS_MEDIUM:
		return "medium";
	case FS_LOW:
		return "low";
	}
	return "unknown";
}

const char *
finding_source_name(enum finding_source s)
{
	return s == FSRC_OFFLINE ? "offline" : "llm";
}

/*
 * Kind words.  A word matches at the start of a word of the text and may be
 * a stem ("assum" covers "assumes", "assumption").  The earliest match in
 * the text decides, so "Incorrect assumption" is incorrect and "Implicit
 * assumptions" is an assumption.
 */
struct kind_word {
	const char *word;
	enum finding_kind kind;
};

static const struct kind_word kind_words[] = {
	{ "gap", FK_GAP },
	{ "missing", FK_GAP },
	{ "omit", FK_GAP },
	{ "omission", FK_GAP },
	{ "not covered", FK_GAP },
	{ "uncovered", FK_GAP },
	{ "incomplete", FK_GAP },
	{ "lack", FK_GAP },
	{ "absent", FK_GAP },
	{ "coverage", FK_GAP },
	{ "incorrect", FK_INCORRECT },
	{ "untrue", FK_INCORRECT },
	{ "not true", FK_INCORRECT },
	{ "not correct", FK_INCORRECT },
	{ "not accurate", FK_INCORRECT },
	{ "inaccura", FK_INCORRECT },
	{ "wrong", FK_INCORRECT },
	{ "false", FK_INCORRECT },
	{ "mislead", FK_INCORRECT },
	{ "mistake", FK_INCORRECT },
	{ "misconception", FK_INCORRECT },
	{ "error", FK_INCORRECT },
	{ "factual", FK_INCORRECT },
	{ "imprecise", FK_INCORRECT },
	{ "correction", FK_INCORRECT },
	{ "assum", FK_ASSUMPTION },
	{ "implicit", FK_ASSUMPTION },
	{ "implied", FK_ASSUMPTION },
	{ "unstated", FK_ASSUMPTION },
	{ "taken for granted", FK_ASSUMPTION },
	{ "off-topic", FK_SCOPE },
	{ "off topic", FK_SCOPE },
	{ "scope", FK_SCOPE },
	{ "not in scope", FK_SCOPE },
	{ "premature", FK_SCOPE },
};

/*
 * Lower-cased copy for keyword search; typographic apostrophes become
 * straight ones so "doesn’t" reads like "doesn't".
 */
static char *
fold_text(const char *s)
{
	size_t i, o = 0, len = strlen(s);
	char *out = xmalloc(len + 1);

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] == 0xe2 && i + 2 < len &&
		    (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x98 ||
		    (unsigned char)s[i + 2] == 0x99)) {
			out[o++] = '\'';
			i += 2;
			continue;
		}
		out[o++] = (char)tolower((unsigned char)s[i]);
	}
	out[o] = '\0';
	return out;
}

static bool
is_word_char(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* The text before p (folded) ends with "go out of ", "going out of "... */
static bool
after_going_out_of(const char *text, const char *p)
{
	static const char *const verbs[] = {
		"go out of ", "goes out of ", "going out of ",
		"gone out of ", "went out of ", "go out of the ",
	};
	size_t i, n, before = (size_t)(p - text);

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		n = strlen(verbs[i]);
		if (before >= n && memcmp(p - n, verbs[i], n) == 0)
			return true;
	}
	return false;
}

/*
 * "Going out of scope" is a Rust topic, not a scope violation: a heading
 * such as "What going out of scope physically means" must not turn into
 * kind "scope".
 */
static bool
scope_is_rust_term(const char *text, const char *p)
{
	if (after_going_out_of(text, p))
		return true;
	return (size_t)(p - text) >= 7 && memcmp(p - 7, "out of ", 7) == 0 &&
	    after_going_out_of(text, p - 7);
}

/* Position of the first word-start match of word in text, or NULL. */
static const char *
find_word(const char *text, const char *word, enum finding_kind kind)
{
	const char *p = text;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || !is_word_char(p[-1])) &&
		    !(kind == FK_SCOPE && scope_is_rust_term(text, p)))
			return p;
		p++;
	}
	return NULL;
}

int
finding_kind_parse(const char *s)
{
	const char *best = NULL, *p;
	char *text;
	int kind = -1;
	size_t i;

	if (s == NULL)
		return -1;
	text = fold_text(s);
	for (i = 0; i < sizeof(kind_words) / sizeof(kind_words[0]); i++) {
		p = find_word(text, kind_words[i].word, kind_words[i].kind);
		if (p != NULL && (best == NULL || p < best)) {
			best = p;
			kind = (int)kind_words[i].kind;
		}
	}
	free(text);
	return kind;
}

struct severity_word {
	const char *word;
	enum finding_severity sev;
};

static const struct severity_word severity_words[] = {
	{ "high", FS_HIGH }, { "critical", FS_HIGH }, { "severe", FS_HIGH },
	{ "major", FS_HIGH }, { "important", FS_HIGH }, { "blocker", FS_HIGH },
	{ "error", FS_HIGH },
	{ "medium", FS_MEDIUM }, { "moderate", FS_MEDIUM },
	{ "med", FS_MEDIUM }, { "normal", FS_MEDIUM }, { "warn", FS_MEDIUM },
	{ "low", FS_LOW }, { "minor", FS_LOW }, { "trivial", FS_LOW },
	{ "nit", FS_LOW }, { "info", FS_LOW }, { "cosmetic", FS_LOW },
	{ "style", FS_LOW }, { "suggestion", FS_LOW },
};

/* The first word of s decides ("High severity", "🔴 high", "MINOR"). */
int
finding_severity_parse(const char *s)
{
	size_t i, n;

	if (s == NULL)
		return -1;
	while (*s != '\0' && !isalpha((unsigned char)*s))
		s++;
	for (n = 0; isalpha((unsigned char)s[n]); n++)
		;
	if (n == 0)
		return -1;
	for (i = 0; i < sizeof(severity_words) / sizeof(severity_words[0]);
	    i++) {
		const char *w = severity_words[i].word;

		if (strlen(w) <= n && strncasecmp(s, w, strlen(w)) == 0 &&
		    (strlen(w) == n || strlen(w) >= 4))
			return (int)severity_words[i].sev;
	}
	return -1;
}

void
finding_free(struct finding *f)
{
	if (f == NULL)
		return;
	free(f->quote);
	free(f->topic);
	free(f->message);
	free(f->suggestion);
	free(f->rule_id);
	memset(f, 0, sizeof(*f));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
finding_copy(struct finding *dst, const struct finding *src)
{
	*dst = *src;
	dst->quote = dup_or_null(src->quote);
	dst->topic = dup_or_null(src->topic);
	dst->message = dup_or_null(src->message);
	dst->suggestion = dup_or_null(src->suggestion);
	dst->rule_id = dup_or_null(src->rule_id);
}

void
flist_init(struct finding_list *l)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
}

void
flist_clear(struct finding_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		finding_free(&l->v[i]);
	l->n = 0;
}

void
flist_free(struct finding_list *l)
{
	flist_clear(l);
	free(l->v);
	flist_init(l);
}

void
flist_push(struct finding_list *l, struct finding *f)
{
	if (l->n >= FINDING_MAX_COUNT) {
		finding_free(f);
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap != 0 ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = *f;
	memset(f, 0, sizeof(*f));
}

static int
finding_order(const struct finding *a, const struct finding *b)
{
	if ((a->line == 0) != (b->line == 0))
		return a->line == 0 ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	return 0;
}

/*
 * Insertion sort: stable, and the list is capped at FINDING_MAX_COUNT, so
 * the quadratic worst case stays small.
 */
void
flist_sort(struct finding_list *l)
{
	struct finding tmp;
	size_t i, j;

	for (i = 1; i < l->n; i++) {
		tmp = l->v[i];
		for (j = i; j > 0 && finding_order(&l->v[j - 1], &tmp) > 0; j--)
			l->v[j] = l->v[j - 1];
		l->v[j] = tmp;
	}
}

/* --- cleaning ------------------------------------------------------------ */

static void
clean_field(char **field)
{
	char *old = *field;

	*field = san_str(old, SAN_NEWLINE, FINDING_MAX_FIELD);
	free(old);
}

void
finding_clean(struct finding *f)
{
	clean_field(&f->quote);
	clean_field(&f->topic);
	clean_field(&f->message);
	clean_field(&f->suggestion);
	if (f->rule_id != NULL)
		clean_field(&f->rule_id);
	if ((unsigned)f->kind >= FK_COUNT)
		f->kind = FK_GAP;
	if ((unsigned)f->severity > FS_LOW)
		f->severity = FS_MEDIUM;
	if (f->model_line < 0)
		f->model_line = 0;
	if (f->line <= 0)
		f->line = f->end_line = 0;
	else if (f->end_line < f->line)
		f->end_line = f->line;
}

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
	w->text = fold_text(s != NULL ? s : "");
	w->print = letters_print(w->text);
	/* A word kept is 3 bytes or more, with a byte between two. */
	w->v = xreallocarray(NULL, strlen(w->text) / 4 + 1, sizeof(*w->v));
	for (p = w->text; *p != '\0'; p += n) {
		if (!is_word_char(*p)) {
			n = 1;
			continue;
		}
		for (n = 1; is_word_char(p[n]); n++)
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
	char *f = fold_text(s), *p, *o;
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
		/* U+201C/U+201D, as folded by fold_text() they stay 3 bytes */
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

/* What the cheap tests of finding_same() say about a pair. */
enum quick { QUICK_DIFFERENT, QUICK_SAME, QUICK_MESSAGES };

/* finding_same() but the messages: most pairs differ in kind or lines. */
static enum quick
sig_quick(struct finding_sig *a, struct finding_sig *b)
{
	if (a->kind != b->kind || !lines_close(a, b))
		return QUICK_DIFFERENT;
	if (sig_equal_loose(a, b, SIG_QUOTE))
		return QUICK_SAME;
	/* Two gaps about the same overview topic are one gap. */
	if (a->line == 0 && sig_equal_loose(a, b, SIG_TOPIC))
		return QUICK_SAME;
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
