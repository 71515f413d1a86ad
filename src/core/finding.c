/*
 * finding.c - the finding model: names, loose parsing of kind and severity
 * words, cleaning of untrusted text, the list and sorting.  Whether two
 * findings are the same (merging, diffing) is in finding_same.c.
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
#include "rustnote/text.h"
#include "rustnote/util.h"

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
	return s == FSRC_OFFLINE ? "offline" : s == FSRC_RUSTC ? "rustc" :
	    "llm";
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
		if ((p == text || !text_is_word_char(p[-1])) &&
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
	text = text_fold(s);
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

/* The line a finding is listed at: where its quote was, once it is gone. */
static int
order_line(const struct finding *f)
{
	return f->line != 0 ? f->line : f->was_line;
}

static int
finding_order(const struct finding *a, const struct finding *b)
{
	int la = order_line(a), lb = order_line(b);

	if ((la == 0) != (lb == 0))
		return la == 0 ? -1 : 1;
	if (la != lb)
		return la < lb ? -1 : 1;
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
