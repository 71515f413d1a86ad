/*
 * rules_clause.c - the clauses of a text, for the meaning matcher: a
 * sentence is cut at ";" and at an arrow, before a contrasting word (BUT) and before a
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
	c->neg_at = c->neg_next = c->neg_second = NONE;
	c->neg2_at = c->neg2_end = c->neg_verb = NONE;
	c->rejected = rejected;
	c->question = question;
	c->after_arrow = m->arrow_before;
	m->arrow_before = false;
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

/*
 * "not that big -> deep recursion = stack overflow": an arrow in prose
 * leads from one statement to the next, so it ends a clause.  The length
 * of the arrow at s, or 0.
 */
static size_t
arrow_len(const char *s)
{
	if (strncmp(s, "\xe2\x86\x92", 3) == 0 ||
	    strncmp(s, "\xe2\x87\x92", 3) == 0)	/* "→", "⇒" */
		return 3;
	if (s[0] == ' ' && (strncmp(s + 1, "-> ", 3) == 0 ||
	    strncmp(s + 1, "=> ", 3) == 0))
		return 4;
	return 0;
}

static bool	starts_with_any(const char *, const char *const *);

/*
 * Words a question opens with.  A sentence that ends in "?" without one
 * ("recv() returns Err at once, so I guess you loop on it?") states its
 * first clauses and asks only the last.
 */
static const char *const question_words[] = {
	"is ", "are ", "was ", "does ", "do ", "did ", "can ", "could ",
	"should ", "will ", "would ", "has ", "have ", "why ", "how ",
	"what ", "when ", "where ", "which ", "who ", "q: ", "q. ", NULL
};

/* Cut sentence u of t into clauses; *hp walks the hits sorted by start. */
static void
split_sentence(struct rule_meaning *m, const struct rule_lexicon *lx,
    const struct rule_text *t, size_t sent, size_t *hp, size_t *cp)
{
	const char	*s = buf_str(&t->text);
	size_t		 a = t->sent[sent].start, b = t->sent[sent].end;
	size_t		 i, cs = a, k, arrow;
	bool		 rej = false, q = ends_in_question(t, a, b), qa;

	qa = q && starts_with_any(s + a, question_words);
	for (i = a; i < b; i++) {
		while (*cp < t->ncode && t->code[*cp].end <= i)
			(*cp)++;
		if (*cp < t->ncode && t->code[*cp].start <= i) {
			i = t->code[*cp].end - 1;	/* no cut in code */
			continue;
		}
		while (*hp < m->nhit && m->hit[*hp].start < i)
			(*hp)++;
		arrow = arrow_len(s + i);
		if (s[i] == ';' || (rej && s[i] == ',') || arrow > 0) {
			push_clause(m, s, cs, i, sent, rej, qa);
			i += arrow > 0 ? arrow - 1 : 0;
			cs = i + 1;
			rej = false;
			m->arrow_before = arrow > 0;
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
				push_clause(m, s, cs, i, sent, rej, qa);
			if (i > cs || m->hit[k].concept == lx->instead)
				rej = m->hit[k].concept == lx->instead;
			cs = i;
			break;
		}
	}
	push_clause(m, s, cs, b, sent, rej, q);
	m->arrow_before = false;
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

/* Words that end the object of "without": a verb, or a new subject. */
static const char *const verb_enders[] = {
	"is ", "are ", "was ", "were ", NULL
};
static const char *const noun_enders[] = {
	"is ", "are ", "was ", "were ", "the ", "it ", "you ", "this ",
	"a ", "an ", NULL
};

/*
 * Where the object of a "without" that ends at `from` stops: "`let`
 * without mut is the same as const" denies "mut", not what the sentence
 * says of `let`; "without move the closure copies" denies "move" alone.
 * The first word is the object's own ("without the lock"); a verb's
 * ("without bringing the trait into scope") runs to the next verb.
 */
static size_t
object_end(const char *s, size_t from, size_t end)
{
	size_t	i = from;
	bool	verb;

	while (i < end && s[i] != ' ' && s[i] != ',')
		i++;
	verb = i - from > 4 && strncasecmp(s + i - 3, "ing", 3) == 0;
	for (; i < end; i++)
		if (s[i] == ' ' && starts_with_any(s + i + 1, verb ?
		    verb_enders : noun_enders))
			return i;
	return end;
}

/*
 * Where the negation at c->neg_at stops denying, up to lim: at a comma
 * that a new statement follows (any comma, in an opening phrase), or
 * before a "because" (the reason is stated: "won't compile because
 * strings are UTF-16"), else at lim ("not freed, dropped or moved"
 * denies all three).
 */
static size_t
reach_end(const struct m_clause *c, const char *s, size_t from, size_t lim,
    bool intro)
{
	size_t	i, j;

	for (i = from; i < lim; i++) {
		if (s[i] == ' ' && strncasecmp(s + i + 1, "because ", 8) == 0)
			return i;
		if (s[i] != ',')
			continue;
		for (j = i + 1; j < c->end && s[j] == ' '; j++)
			;
		if (intro || starts_with_any(s + j, fresh_subjects))
			return i;
	}
	return lim;
}

/*
 * Each clause's negation and its reach.  One in the clause's opening
 * phrase ("With no `self`, elision picks ...") denies up to that
 * phrase's comma, unless another follows it ("With no self, it does not
 * ..."): that is the main one.  A "without" denies its object alone; a
 * negation after that object has a reach of its own ("a let without mut
 * is not a const").
 */
static void
negation_ends(struct rule_meaning *m, const char *s)
{
	size_t	k, lim;
	bool	intro;

	for (k = 0; k < m->ncl; k++) {
		struct m_clause	*c = &m->cl[k];

		c->neg_end = c->end;
		c->neg2_at = c->neg2_end = NONE;
		c->neg_object = false;
		if (c->neg_at == NONE)
			continue;
		intro = starts_with_any(s + c->start, intro_words) &&
		    memchr(s + c->start, ',', c->neg_at - c->start) == NULL;
		if (intro && c->neg_next != NONE) {
			c->neg_at = c->neg_next;
			intro = false;
		}
		lim = c->end;
		if (strncasecmp(s + c->neg_at, "without ", 8) == 0)
			lim = object_end(s, c->neg_at + 8, c->end);
		c->neg_end = reach_end(c, s, c->neg_at, lim, intro);
		c->neg_object = c->neg_end < c->end && c->neg_end == lim;
		if (c->neg_object && c->neg_second != NONE &&
		    c->neg_second >= lim) {
			c->neg2_at = c->neg_second;
			c->neg2_end = reach_end(c, s, c->neg2_at, c->end,
			    false);
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

/* Where the word before `at` starts, or NONE if the clause starts there. */
static size_t
word_before(const char *s, size_t from, size_t at)
{
	while (at > from && s[at - 1] == ' ')
		at--;
	if (at == from)
		return NONE;
	while (at > from && s[at - 1] != ' ')
		at--;
	return at;
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
		if (m->hit[i].concept == lx->neg && cl->neg_at != NONE &&
		    cl->neg_second == NONE)
			cl->neg_second = at;
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
		} else if (m->hit[i].concept == lx->neg_all &&
		    cl->neg_at == NONE) {
			/* "binds nothing": its verb and what follows */
			cl->neg_at = cl->neg_scan = at;
			cl->neg_verb = word_before(s, cl->start, at);
		} else if (m->hit[i].concept == lx->neg_all)
			cl->rejected = true;
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

#define SUBJECT_MAX	48	/* bytes of a clause its subject stands in */

/* Words that may come before a clause's subject. */
static const char *const connectives[] = {
	"and ", "but ", "so ", "then ", "also ", "yet ", "though ",
	"although ", "whereas ", "however, ", "a: ", NULL
};

/* Words that open a clause narrowing the one before it. */
static const char *const restrictions[] = {
	"but only ", "but just ", NULL
};

/* Pronouns that stand for the subject of what came before. */
static const char *const pronouns[] = {
	"it ", "it's ", "it\xe2\x80\x99s ", "they ", "they're ",
	"they\xe2\x80\x99re ", NULL
};

/* Words a subject ends before: a verb, an adverb of the verb. */
static const char *const subject_enders[] = {
	"is ", "isn't ", "are ", "aren't ", "was ", "wasn't ", "were ",
	"has ", "have ", "can ", "can't ", "cannot ", "could ", "will ",
	"won't ", "would ", "does ", "doesn't ", "do ", "don't ", "must ",
	"should ", "may ", "might ", "never ", "not ", "always ", "only ",
	"just ", "also ", NULL
};

/* Is the subject of s[start, end) a pronoun: "It", "and they"? */
static bool
has_pronoun(const char *s, size_t start, size_t end)
{
	size_t	i = start;

	while (i < end && starts_with_any(s + i, connectives)) {
		while (i < end && s[i] != ' ')
			i++;
		while (i < end && s[i] == ' ')
			i++;
	}
	return i < end && starts_with_any(s + i, pronouns);
}

/* Where the subject of clause c ends: before its verb, or its comma. */
static size_t
subject_end(const char *s, const struct m_clause *c)
{
	size_t	i, end = c->start + SUBJECT_MAX < c->end ?
		    c->start + SUBJECT_MAX : c->end;

	for (i = c->start; i < end; i++)
		if (s[i] == ',' || s[i] == ':' || (s[i] == ' ' &&
		    starts_with_any(s + i + 1, subject_enders)))
			return i;
	return end;
}

/*
 * The end of clause a's subject: of its first word that a concept reads
 * ("Rc" in "Rc counts the owners"), before its verb; NONE if none.  *hp
 * walks the hits, sorted by start, as a only grows.
 */
static size_t
subject_hit_end(const struct rule_meaning *m, const struct rule_lexicon *lx,
    const char *s, size_t a, size_t *hp)
{
	size_t	end = subject_end(s, &m->cl[a]), h;

	while (*hp < m->nhit && m->hit[*hp].clause < a)
		(*hp)++;
	for (h = *hp; h < m->nhit && m->hit[h].clause == a &&
	    m->hit[h].start < end; h++)
		if (m->hit[h].concept != lx->neg &&
		    m->hit[h].concept != lx->neg_all &&
		    m->hit[h].concept != lx->but &&
		    m->hit[h].concept != lx->instead)
			return m->hit[h].end;
	return NONE;
}

/*
 * "Rc counts the owners. It can be sent to another thread": a clause
 * whose subject is "it" or "they" speaks of the subject of the clause
 * before, the first of its sentence or of the sentence before it in the
 * same paragraph; that subject's words are read into the clause (see
 * item_in_clause() in rules_meaning.c).  So is what an arrow follows.
 */
static void
mark_antecedents(struct rule_meaning *m, const struct rule_lexicon *lx,
    const struct rule_text *t)
{
	const char	*s = buf_str(&t->text);
	size_t		 k, first = NONE, prev = NONE, a, hp = 0;

	for (k = 0; k < m->ncl; k++) {
		struct m_clause	*c = &m->cl[k];

		if (k == 0 || m->cl[k - 1].sent != c->sent) {
			prev = first;
			first = k;
		}
		c->ante_cl = c->ante_end = NONE;
		if (c->after_arrow && k > 0 && m->cl[k - 1].sent == c->sent) {
			/* "`pub struct Config` -> all its fields are pub" */
			c->ante_cl = k - 1;
			c->ante_end = m->cl[k - 1].end;
			continue;
		}
		if (k > 0 && m->cl[k - 1].sent == c->sent &&
		    starts_with_any(s + c->start, restrictions)) {
			/* "it returns early, but only out of the block" */
			c->ante_cl = k - 1;
			c->ante_end = m->cl[k - 1].end;
			continue;
		}
		if (!has_pronoun(s, c->start, c->end))
			continue;
		a = first != k ? first : prev;
		if (a == NONE || (first == k && (m->cl[a].sent + 1 != c->sent ||
		    rule_text_block_at(t, m->cl[a].start) !=
		    rule_text_block_at(t, c->start))))
			continue;
		if ((c->ante_end = subject_hit_end(m, lx, s, a, &hp)) != NONE)
			c->ante_cl = a;
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
	mark_antecedents(m, lx, t);
}
