/*
 * offline_scope.c - terms the overview rules out ("Do not mention the
 * borrow checker"), found as words and as Rust syntax (rules/scope.rules
 * knows most; a plain word pattern stands in for the others), one finding
 * per line that names every such term on it.  A term the overview asks
 * for elsewhere (as a topic or sub-point) is left free.  When the overview
 * is a section of a learning path, the main subjects of the later
 * sections are ruled out too, as low-severity findings.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/cancel.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "offline_int.h"

/*
 * A learning path of thousands of sections would make thousands of
 * patterns, each compiled and run over the note: the subjects of the
 * sections nearest after the note's are enough.
 */
#define LATER_TERMS_MAX	512

/* A term the overview rules out, with the patterns that find it. */
struct scope_term {
	const struct rule_term	*def;	/* NULL when own is used */
	struct rule_term	 own;	/* made up when no rule file knows it */
	const struct ovw_rule	*why;	/* NULL for a later section's */
	const struct ovw_section *later; /* the section it belongs to */
	const char		*label;	/* as the overview words it */
};

struct scope_hit {
	int	line;
	size_t	qs, qe;			/* quote, as source offsets */
	size_t	term;
};

/* --- which terms, and how they are found --------------------------------- */

/* Every one of the term's words is in s. */
static bool
holds_term(const struct lexicon *lx, const char *s,
    const struct stemset *term)
{
	struct stemset	 st = { 0 };
	bool		 found;

	stems_of(lx, s, &st);
	found = term->n > 0 && stems_within(term->v, term->n, &st);
	stems_free(&st);
	return found;
}

/*
 * The overview asks about the term itself ("lifetimes" as a sub-point of
 * "Stack vs heap"): the learner must be free to write about it.  A topic
 * on traits does not ask about trait objects: all the term's words must
 * be in the topic.
 */
static bool
term_requested(const struct lexicon *lx, const struct overview *o,
    const struct stemset *term)
{
	int	i, k;

	for (i = 0; i < o->ntopics; i++) {
		if (holds_term(lx, o->topics[i].title, term))
			return true;
		for (k = 0; k < o->topics[i].nsub; k++)
			if (holds_term(lx, o->topics[i].subpoints[k], term))
				return true;
	}
	return false;
}

/*
 * The rule-file term an overview wording names: its term or one of its
 * names, word for word (on stems).  "trait objects" never falls back to
 * "traits", nor "Arc" to "smart pointers": a wording no term names
 * exactly is searched as written.
 */
static const struct rule_term *
term_def(const struct lexicon *lx, const struct rule_set *rs,
    const struct stemset *term)
{
	struct stemset	 name = { 0 };
	size_t		 i, k;

	for (i = 0; rs != NULL && i < rs->nterms; i++) {
		for (k = 0; k < rs->terms[i].nnames; k++) {
			stems_of(lx, rs->terms[i].names[k], &name);
			if (name.n == term->n && name.n > 0 &&
			    stems_within(name.v, name.n, term)) {
				stems_free(&name);
				return &rs->terms[i];
			}
		}
	}
	stems_free(&name);
	return NULL;
}

/* Bytes of a word's stem: "iterators" -> "iterator", "moving" -> "mov". */
static size_t
word_stem_len(const char *w, size_t n)
{
	if (n > 5 && strncmp(w + n - 3, "ing", 3) == 0)
		n -= 3;
	else if (n > 4 && strncmp(w + n - 2, "ed", 2) == 0)
		n -= 2;
	else if (n > 4 && strncmp(w + n - 2, "es", 2) == 0 &&
	    strchr("sxz", w[n - 3]) != NULL)
		n -= 2;
	else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's')
		n--;
	if (n > 4 && w[n - 1] == 'e')
		n--;
	return n;
}

static void
add_escaped(struct buf *b, const char *p, size_t n)
{
	size_t	k;

	for (k = 0; k < n; k++) {
		if ((unsigned char)p[k] < 0x80 &&
		    !((p[k] >= 'a' && p[k] <= 'z') ||
		    (p[k] >= 'A' && p[k] <= 'Z') ||
		    (p[k] >= '0' && p[k] <= '9')))
			buf_addc(b, '\\');
		buf_addc(b, p[k]);
	}
}

/*
 * One word of a term with its inflections: the stem and the common
 * endings, and the irregular forms the lexicon lists ("unwind": unwinds,
 * unwound, unwinding).  Short words stand as they are, so "dyn" does not
 * find "dynamically".
 */
static void
add_word_pattern(const struct rule_set *rs, struct buf *b, const char *p,
    size_t n)
{
	char	*w = xstrndup(p, n), *forms;
	size_t	 stem = n > 3 ? word_stem_len(p, n) : n;

	forms = rs != NULL ? rule_forms_regex(rs, w) : NULL;
	buf_adds(b, "(?:");
	add_escaped(b, p, stem);
	if (n > 3)
		buf_adds(b, "(?:e|es|s|ed|d|ing|er|ers|ion|ions)?");
	if (forms != NULL)
		buf_printf(b, "|%s", forms);
	buf_adds(b, ")\\b");
	free(forms);
	free(w);
}

/* "smart pointers" -> (?<![\w-])(?:smart...)\b[\s-]+(?:pointer...)\b */
static char *
fallback_pattern(const struct rule_set *rs, const char *term)
{
	struct buf	b;
	const char	*p = term;
	size_t		 n;
	bool		 first = true;

	buf_init(&b, 0);
	while (*p != '\0') {
		while (*p != '\0' && offline_is_space(*p))
			p++;
		for (n = 0; p[n] != '\0' && !offline_is_space(p[n]); n++)
			;
		if (n == 0)
			break;
		buf_adds(&b, first ? "(?<![\\w-])" : "[\\s-]+");
		add_word_pattern(rs, &b, p, n);
		first = false;
		p += n;
	}
	return b.data != NULL ? buf_steal(&b) : NULL;
}

static struct rule_pat **
one_pattern(const char *re)
{
	struct rule_pat	**v = xcalloc(1, sizeof *v);

	if ((v[0] = rule_pat_compile(re, NULL, 0)) == NULL) {
		free(v);
		return NULL;
	}
	return v;
}

/*
 * A term no rule file knows is searched as written, in prose and in code
 * ("crates such as anyhow": `use anyhow::Result` names it too).
 */
static bool
make_fallback(const struct rule_set *rs, struct scope_term *st,
    const char *term)
{
	char	*re = fallback_pattern(rs, term), *p;

	memset(&st->own, 0, sizeof st->own);
	if (re == NULL || (st->own.word.v = one_pattern(re)) == NULL ||
	    (st->own.code.v = one_pattern(re)) == NULL) {
		if (st->own.word.v != NULL) {
			rule_pat_free(st->own.word.v[0]);
			free(st->own.word.v);
		}
		free(re);
		return false;
	}
	free(re);
	st->own.word.n = st->own.code.n = 1;
	st->own.term = xstrdup(term);
	st->own.id = xasprintf("scope-%s", term);
	for (p = st->own.id; *p != '\0'; p++)
		if (offline_is_space(*p))
			*p = '-';
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
    const struct ovw_section *later, const char *label)
{
	struct stemset		 st = { 0 };
	const struct rule_term	*def;
	struct scope_term	*t;
	size_t			 i;

	stems_of(&c->lx, label, &st);
	if (st.n == 0 || term_requested(&c->lx, c->o, &st))
		goto out;
	/* "borrowing" and "borrow checker" may name one term: add it once */
	if ((def = term_def(&c->lx, c->rs, &st)) != NULL)
		for (i = 0; i < c->nterms; i++)
			if (c->terms[i].def == def)
				goto out;
	c->terms = xreallocarray(c->terms, c->nterms + 1, sizeof *c->terms);
	t = &c->terms[c->nterms];
	memset(t, 0, sizeof *t);
	t->why = why;
	t->later = later;
	t->label = label;
	t->def = def;
	if (def != NULL || make_fallback(c->rs, t, label))
		c->nterms++;
out:
	stems_free(&st);
}

/* The main subjects of the sections after this one in its path. */
static void
add_later_subjects(struct offline *c)
{
	const struct ovw_path	*p = c->o->in_path;
	int			 i, k;

	if (p == NULL || p->single)
		return;
	for (i = c->o->section + 1; i < p->nsections; i++)
		for (k = 0; k < p->sections[i].nsubjects; k++) {
			if (c->nterms >= LATER_TERMS_MAX)
				return;	/* the nearest sections' subjects */
			add_scope_term(c, NULL, &p->sections[i],
			    p->sections[i].subjects[k]);
		}
}

void
scope_prepare(struct offline *c)
{
	int	i, k;

	for (i = 0; i < c->o->nrules; i++)
		for (k = 0; k < c->o->rules[i].nterms; k++)
			add_scope_term(c, &c->o->rules[i], NULL,
			    c->o->rules[i].terms[k]);
	add_later_subjects(c);
}

void
scope_free(struct offline *c)
{
	size_t	i;

	for (i = 0; i < c->nterms; i++) {
		if (c->terms[i].def != NULL)
			continue;
		free(c->terms[i].own.id);
		free(c->terms[i].own.term);
		rule_pat_free(c->terms[i].own.word.v[0]);
		free(c->terms[i].own.word.v);
		rule_pat_free(c->terms[i].own.code.v[0]);
		free(c->terms[i].own.code.v);
	}
	free(c->terms);
	free(c->hits);
}

/* --- finding and reporting ----------------------------------------------- */

static void
on_term_hit(void *ud, const struct rule_hit *h)
{
	struct offline		*c = ud;
	struct scope_hit	*sh;
	const size_t		*src = c->in_code_text ? c->code.src :
				    c->t.src;

	if (h->match.end <= h->match.start)
		return;
	if (!c->english && !c->in_code_text && !h->in_code)
		return;		/* only what inline code names */
	if (c->nhits == c->hits_alloc) {
		c->hits_alloc = c->hits_alloc ? c->hits_alloc * 2 : 16;
		c->hits = xreallocarray(c->hits, c->hits_alloc,
		    sizeof *c->hits);
	}
	sh = &c->hits[c->nhits++];
	sh->qs = src[h->match.start];
	sh->qe = src[h->match.end - 1] + 1;
	sh->line = source_line_of(c->n, sh->qs);
	sh->term = c->cur;
}

/*
 * A note not in English is searched for Rust syntax only: code, and the
 * words of a term in inline code ("für Threads nimmt man `Arc`").
 */
void
scope_find(struct offline *c, bool code)
{
	c->in_code_text = code;
	for (c->cur = 0; c->cur < c->nterms && !cancel_requested();
	    c->cur++)
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
	f.quote = source_quote(c->n, h[0].qs, qe, h[0].qs, h[0].qe);
	f.rule_id = xstrdup(def->id);
	if (first->later != NULL) {
		f.severity = FS_LOW;
		f.topic = xstrdup(first->later->title);
		f.message = xasprintf("Out of scope here: this teaches %s, "
		    "the subject of a later section of the learning path "
		    "(\"%s\").", labels, first->later->title);
	} else {
		f.topic = xstrdup(first->why->text);
		f.message = xasprintf("Out of scope here: this mentions %s, "
		    "which the overview keeps for later (\"%s\").", labels,
		    first->why->text);
	}
	f.suggestion = def->instead != NULL ?
	    xstrdup(def->instead) : xasprintf("Leave %s out of this "
	    "note, or only say that it comes later.", labels);
	free(labels);
	offline_emit(c, &f);
}

void
scope_report(struct offline *c)
{
	size_t	i, j;

	if (c->nhits == 0)
		return;
	qsort(c->hits, c->nhits, sizeof *c->hits, compare_hits);
	for (i = 0; i < c->nhits && !offline_list_full(c); i = j) {
		for (j = i + 1; j < c->nhits &&
		    c->hits[j].line == c->hits[i].line; j++)
			;
		report_scope_line(c, &c->hits[i], j - i);
	}
}
