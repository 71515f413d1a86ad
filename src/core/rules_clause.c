/*
 * rules_clause.c - the clauses of a text, for the meaning matcher: a
 * sentence is cut at ";", before a contrasting word (BUT) and before a
 * rejected alternative (INSTEAD), which runs to the next comma.  Each hit
 * goes to its clause; a negation denies what follows it up to the end of
 * its clause, or to a comma that a new statement follows; a list item's
 * label ("`Box<T>`: ...") is read into every clause after it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"
#include "rules_meaning_int.h"

static void
push_clause(struct rule_meaning *m, const char *s, size_t start, size_t end,
    size_t sent, bool rejected, bool question)
{
	struct m_clause	*c;

	while (start < end && (rule_is_blank(s[start]) || s[start] == ','))
		start++;
	while (end > start && rule_is_blank(s[end - 1]))
		end--;
	if (end <= start)
		return;
	if (m->ncl == m->cl_alloc) {
		m->cl_alloc = m->cl_alloc ? m->cl_alloc * 2 : 64;
		m->cl = xreallocarray(m->cl, m->cl_alloc, sizeof *m->cl);
	}
	c = &m->cl[m->ncl++];
	memset(c, 0, sizeof *c);
	c->start = start;
	c->end = end;
	c->sent = sent;
	c->neg_at = c->neg_next = NONE;
	c->rejected = rejected;
	c->question = question;
}

/* A sentence ending in "?" outside code asks rather than states. */
static bool
ends_in_question(const struct rule_text *t, size_t start, size_t end)
{
	const char	*s = buf_str(&t->text);
	size_t		 c;

	while (end > start && strchr(" \t\n\"')]*", s[end - 1]) != NULL)
		end--;
	if (end == start || s[end - 1] != '?')
		return false;
	c = rule_unit_at(t->code, t->ncode, end - 1);
	return !(c < t->ncode && t->code[c].start <= end - 1);
}

/*
 * "? works on Result though, never on Option": a contrasting word that a
 * comma or the sentence's end follows is an adverb of what came before,
 * and starts no clause of its own.
 */
static bool
is_adverb(const char *s, size_t end, size_t b)
{
	while (end < b && s[end] == ' ')
		end++;
	return end >= b || s[end] == ',' ||
	    (s[end] == '.' && (end + 1 >= b || s[end + 1] == ' ' ||
	    s[end + 1] == '\n'));
}

/* Cut sentence u of t into clauses; *hp walks the hits sorted by start. */
static void
split_sentence(struct rule_meaning *m, const struct rule_lexicon *lx,
    const struct rule_text *t, size_t sent, size_t *hp, size_t *cp)
{
	const char	*s = buf_str(&t->text);
	size_t		 a = t->sent[sent].start, b = t->sent[sent].end;
	size_t		 i, cs = a, k;
	bool		 rej = false, q = ends_in_question(t, a, b);

	for (i = a; i < b; i++) {
		while (*cp < t->ncode && t->code[*cp].end <= i)
			(*cp)++;
		if (*cp < t->ncode && t->code[*cp].start <= i) {
			i = t->code[*cp].end - 1;	/* no cut in code */
			continue;
		}
		while (*hp < m->nhit && m->hit[*hp].start < i)
			(*hp)++;
		if (s[i] == ';' || (rej && s[i] == ',')) {
			push_clause(m, s, cs, i, sent, rej, q);
			cs = i + 1;
			rej = false;
			continue;
		}
		for (k = *hp; k < m->nhit && m->hit[k].start == i; k++) {
			if (m->hit[k].concept != lx->but &&
			    m->hit[k].concept != lx->instead)
				continue;
			if (m->hit[k].concept == lx->but && i > cs &&
			    is_adverb(s, m->hit[k].end, b))
				break;
			if (i > cs)
				push_clause(m, s, cs, i, sent, rej, q);
			if (i > cs || m->hit[k].concept == lx->instead)
				rej = m->hit[k].concept == lx->instead;
			cs = i;
			break;
		}
	}
	push_clause(m, s, cs, b, sent, rej, q);
}

/* Words that start a statement of their own after a comma. */
static const char *const fresh_subjects[] = {
	"the ", "it ", "it's ", "this ", "that ", "they ", "we ", "you ",
	"so ", "then ", "a ", "an ", "its ", "their ", "each ", "every ", NULL
};

/* Words that open an introductory phrase, closed by its comma. */
static const char *const intro_words[] = {
	"with ", "without ", "for ", "if ", "when ", "whenever ", "once ",
	"in ", "after ", "before ", "since ", "because ", "as long as ",
	"unless ", "until ", "given ", NULL
};

static bool
starts_with_any(const char *s, const char *const *words)
{
	int	w;

	for (w = 0; words[w] != NULL; w++)
		if (strncasecmp(s, words[w], strlen(words[w])) == 0)
			return true;
	return false;
}

/*
 * "With no `self`, elision picks ...": a negation in a clause's opening
 * phrase denies up to that phrase's comma; elsewhere it denies up to a
 * comma that a new statement follows, or to a "because" (the reason is
 * stated: "won't compile because strings are UTF-16"), else to the end of
 * its clause ("not freed, dropped or moved" denies all three).
 */
static void
negation_ends(struct rule_meaning *m, const char *s)
{
	size_t	k, i, j;
	bool	intro;

	for (k = 0; k < m->ncl; k++) {
		struct m_clause	*c = &m->cl[k];

		c->neg_end = c->end;
		if (c->neg_at == NONE)
			continue;
		intro = starts_with_any(s + c->start, intro_words) &&
		    memchr(s + c->start, ',', c->neg_at - c->start) == NULL;
		if (intro && c->neg_next != NONE) {
			/* "With no self, it does not ...": the main one */
			c->neg_at = c->neg_next;
			intro = false;
		}
		for (i = c->neg_at; i < c->end && c->neg_end == c->end; i++) {
			if (s[i] == ' ' && strncasecmp(s + i + 1, "because ",
			    8) == 0) {
				c->neg_end = i;	/* the reason is stated */
				break;
			}
			if (s[i] != ',')
				continue;
			for (j = i + 1; j < c->end && s[j] == ' '; j++)
				;
			if (intro || starts_with_any(s + j, fresh_subjects))
				c->neg_end = i;
		}
	}
}

/*
 * Does the word at `at` open a statement after a comma of the clause that
 * starts at `from` ("it is 'static, nothing else is")?  Then a negative
 * pronoun there denies what follows it, not what came before the comma.
 */
static bool
opens_statement(const char *s, size_t from, size_t at)
{
	while (at > from && s[at - 1] == ' ')
		at--;
	return at > from && s[at - 1] == ',';
}

/* Each hit to its clause; negations noted; hits in no clause dropped. */
static void
assign_hits(struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s)
{
	struct m_clause	*cl;
	size_t		 i, c = 0, n = 0, at;

	for (i = 0; i < m->nhit; i++) {
		while (c < m->ncl && m->cl[c].end <= m->hit[i].start)
			c++;
		if (c == m->ncl)
			break;
		if (m->cl[c].start > m->hit[i].start)
			continue;
		m->hit[i].clause = c;
		cl = &m->cl[c];
		at = m->hit[i].start;
		if (m->hit[i].concept == lx->neg && cl->neg_at == NONE)
			cl->neg_at = cl->neg_scan = at;
		else if (m->hit[i].concept == lx->neg &&
		    cl->neg_next == NONE) {
			/* each byte is looked at once: "no no no ..." */
			if (memchr(s + cl->neg_scan, ',', at - cl->neg_scan) !=
			    NULL)
				cl->neg_next = at;
			cl->neg_scan = at;
		}
		if (m->hit[i].concept == lx->neg_all &&
		    opens_statement(s, cl->start, at)) {
			/* "..., nothing else can be": from here on */
			if (cl->neg_at == NONE)
				cl->neg_at = cl->neg_scan = at;
		} else if (m->hit[i].concept == lx->neg_all)
			m->cl[c].rejected = true;	/* "binds nothing" */
		m->hit[n++] = m->hit[i];
	}
	m->nhit = n;
}

#define LABEL_MAX	48	/* bytes of "`RefCell<T>`:" before its colon */
#define LABEL_WORDS	3	/* "Shared state with Arc:"; more is a sentence */

/*
 * Where sentence clause k's label ends ("Box<T>: owns ..."), or NONE.  A
 * label names a thing in a few words; "s.len() is the length in bytes:"
 * is a statement that goes on, not a label.
 */
static size_t
label_end(const struct rule_meaning *m, const struct rule_text *t, size_t k)
{
	const char	*s = buf_str(&t->text);
	size_t		 i, c, words = 0, end = m->cl[k].start + LABEL_MAX;
	bool		 in_word = false, code;

	if (end > m->cl[k].end)
		end = m->cl[k].end;
	c = rule_unit_at(t->code, t->ncode, m->cl[k].start);
	for (i = m->cl[k].start; i < end; i++) {
		while (c < t->ncode && t->code[c].end <= i)
			c++;		/* spans are in order: no search per byte */
		code = c < t->ncode && t->code[c].start <= i;
		if (s[i] == '\n')
			return NONE;
		if (!code && rule_is_blank(s[i])) {
			in_word = false;
			continue;
		}
		if (!in_word && ++words > LABEL_WORDS)
			return NONE;
		in_word = true;
		if (s[i] != ':' || code)
			continue;		/* "T: Display" is code */
		return i + 1 < m->cl[k].end && rule_is_blank(s[i + 1]) ? i :
		    NONE;
	}
	return NONE;
}

/*
 * "`RefCell<T>`: mutate through a shared handle; checked at compile time":
 * the label of a list item or a definition names the subject of every
 * clause after it, so those clauses also hold the label's concepts (see
 * item_in_clause() in rules_meaning.c).
 */
static void
mark_labels(struct rule_meaning *m, const struct rule_text *t)
{
	size_t	k, first = NONE;

	for (k = 0; k < m->ncl; k++) {
		m->cl[k].label_end = m->cl[k].label_cl = NONE;
		if (k == 0 || m->cl[k - 1].sent != m->cl[k].sent) {
			first = k;
			m->cl[k].label_end = label_end(m, t, k);
		} else if (m->cl[first].label_end != NONE)
			m->cl[k].label_cl = first;
	}
}

void
rule_clauses_read(struct rule_meaning *m, const struct rule_lexicon *lx,
    const struct rule_text *t, bool stop)
{
	size_t	i, hp = 0, cp = 0;

	for (i = 0; i < t->nsent && !stop; i++)
		split_sentence(m, lx, t, i, &hp, &cp);
	assign_hits(m, lx, buf_str(&t->text));
	negation_ends(m, buf_str(&t->text));
	mark_labels(m, t);
}
