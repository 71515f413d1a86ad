/*
 * offline_coverage.c - does the note cover every topic of the overview and
 * each of its sub-points?  Read as a teacher reads: a heading that names
 * the topic covers it; identifiers, types and keywords in code (blocks and
 * inline) count as words; words are compared on stems with the "same:"
 * synonyms, and most of a topic's key words in one paragraph, item or
 * section cover it.  Each missing topic and sub-point is its own finding;
 * a heading with nothing under it covers nothing, and one with a single
 * short line is a thin section (a low gap at its heading).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "offline_int.h"

#define MAX_KEY_STEMS	64	/* stems of one topic: one bit each */
#define THIN_WORDS	8	/* a section this short only names its topic */

/*
 * The stems of every block and section title, and which sections have
 * anything written under them.
 */
void
coverage_prepare(struct offline *c)
{
	const struct note	*n = c->n;
	int			 i, s;

	c->bags = xcalloc(n->nblocks + 1, sizeof *c->bags);
	c->titles = xcalloc(n->nsections + 1, sizeof *c->titles);
	c->has_content = xcalloc(n->nsections + 1, sizeof *c->has_content);
	c->reported = xcalloc(n->nsections + 1, sizeof *c->reported);
	for (i = 0; i < n->nblocks; i++)	/* titles have their own */
		if ((source_is_prose(&n->blocks[i]) ||
		    n->blocks[i].kind == NB_CODE) &&
		    n->blocks[i].text != NULL &&
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
text_covers(struct offline *c, const uint64_t *want, size_t nwant, bool all)
{
	const struct note	*n = c->n;
	uint64_t		*secmask, m;
	size_t			 need;
	size_t			 k;
	int			 i, s;
	bool			 found = false;

	if (nwant > MAX_KEY_STEMS)
		nwant = MAX_KEY_STEMS;
	/* Wording differs: two thirds of the key words are enough. */
	need = all || nwant <= 2 ? nwant : (nwant * 2 + 2) / 3;
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
		found = (size_t)__builtin_popcountll(m) >= need ||
		    (size_t)__builtin_popcountll(secmask[s]) >= need;
	}
	free(secmask);
	return found;
}

/* The stems that must be there: the key words, else all the words. */
static bool
stems_covered(struct offline *c, const struct stemset *st)
{
	return st->nkey > 0 ? text_covers(c, st->key, st->nkey, false) :
	    text_covers(c, st->v, st->n, false);
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
		f.quote = source_heading_quote(c->n, f.line);
		f.rule_id = xstrdup("coverage-heading-only");
		f.message = xasprintf("The overview asks for '%s'; this "
		    "heading names it, but nothing is written under it yet.",
		    tp->title);
		c->reported[empty] = true;
	} else {
		f.severity = FS_HIGH;
		f.rule_id = xstrdup("coverage-topic");
		/* the sub-points say what a reader looks for ("mpsc") */
		f.message = *subs != '\0' ? xasprintf("The overview asks for "
		    "'%s' (%s); the note does not cover it.", tp->title, subs) :
		    xasprintf("The overview asks for '%s'; the note does not "
		    "cover it.", tp->title);
	}
	f.suggestion = *subs != '\0' ? xasprintf("Write a section on %s, "
	    "covering %s.", tp->title, subs) : xasprintf("Write a section on "
	    "%s.", tp->title);
	free(subs);
	offline_emit(c, &f);
}

static bool
is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_';
}

/* Does s[0, slen) hold the name w[0, len) as a whole word? */
static bool
has_name(const char *s, size_t slen, const char *w, size_t len)
{
	const char	*p = s, *end = s + slen;

	while (p < end && (p = memmem(p, end - p, w, len)) != NULL) {
		if ((p == s || !is_name_char(p[-1])) &&
		    (p + len == end || !is_name_char(p[len])))
			return true;
		p++;
	}
	return false;
}

/* Does the note write the name w[0, len) as code, inline or in a block? */
static bool
note_code_has_name(const struct note *n, const char *w, size_t len)
{
	int	i;

	for (i = 0; i < n->nspans; i++)
		if (has_name(n->spans[i].text, strlen(n->spans[i].text), w,
		    len))
			return true;
	for (i = 0; i < n->nblocks; i++)
		if (n->blocks[i].kind == NB_CODE && n->blocks[i].text != NULL &&
		    has_name(n->blocks[i].text, strlen(n->blocks[i].text), w,
		    len))
			return true;
	return false;
}

/*
 * A name right after ".." in a span ("`..other`", struct update syntax)
 * stands for any expression: the note shows the syntax with names of its
 * own ("..p1").  Does it write ".." before a name anywhere?
 */
static bool
note_has_rest_name(const struct note *n)
{
	const char	*p = n->src, *end = n->src + n->src_len;

	while (p < end && (p = memmem(p, end - p, "..", 2)) != NULL) {
		p += 2;
		if (p < end && (*p == '_' || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z')))
			return true;
	}
	return false;
}

/* Does the bullet write "..w" ("`..other`")? */
static bool
after_rest(const char *text, const char *w, size_t len)
{
	const char	*p = text;

	while ((p = strstr(p, "..")) != NULL) {
		p += 2;
		if (strncmp(p, w, len) == 0 && !is_name_char(p[len]))
			return true;
	}
	return false;
}

/* Does the bullet write the name w[0, len) inside a code span? */
static bool
bullet_code_has_name(const char *text, const char *w, size_t len)
{
	const char	*p = text, *close;

	while ((p = strchr(p, '`')) != NULL &&
	    (close = strchr(p + 1, '`')) != NULL) {
		if (has_name(p + 1, close - p - 1, w, len))
			return true;
		p = close + 1;
	}
	return false;
}

/*
 * A sub-point the bullet writes as code ("`where` clauses", "`T:
 * Display`") is covered where the note writes those names as code:
 * "where" is no topic word in prose, but `where T: Display + Clone`
 * shows the clause.
 */
static bool
code_names_written(const struct note *n, const struct ovw_topic *tp,
    const char *sub)
{
	const char	*w, *e;
	bool		 any = false;

	for (w = sub; *w != '\0'; w = e) {
		while (*w != '\0' && !is_name_char(*w))
			w++;
		for (e = w; is_name_char(*e); e++)
			;
		if (e - w < 2 || (*w >= '0' && *w <= '9') ||
		    !bullet_code_has_name(tp->text, w, e - w))
			continue;
		if (!note_code_has_name(n, w, e - w) &&
		    !(after_rest(tp->text, w, e - w) && note_has_rest_name(n)))
			return false;
		any = true;
	}
	return any;
}

/*
 * A sub-point that says "immutable by default" asks for immutability: a
 * note shows the default with `let x = 5;` and an error on `x = 6`, and
 * need not use the word.  Its "default" is dropped unless it is all.
 */
static size_t
drop_stem(uint64_t *v, size_t n, uint64_t h)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		if (v[i] != h)
			v[k++] = v[i];
	return k > 0 ? k : n;
}

static void
drop_by_default(const struct lexicon *lx, const char *sub, struct stemset *st)
{
	struct stemset	d = { 0 };

	if (strstr(sub, "by default") == NULL)
		return;
	stems_of(lx, "default", &d);
	if (d.n == 1) {
		st->n = drop_stem(st->v, st->n, d.v[0]);
		st->nkey = drop_stem(st->key, st->nkey, d.v[0]);
	}
	stems_free(&d);
}

static bool
subpoint_covered(struct offline *c, const struct ovw_topic *tp,
    const char *sub)
{
	struct stemset	st = { 0 };
	bool		covered;

	if (code_names_written(c->n, tp, sub))
		return true;
	stems_of(&c->lx, sub, &st);
	drop_by_default(&c->lx, sub, &st);
	covered = st.n == 0 || stems_covered(c, &st);
	stems_free(&st);
	return covered;
}

/* A topic may be covered without its own words: all its sub-points are. */
static bool
subpoints_cover(struct offline *c, const struct ovw_topic *tp)
{
	int	i;

	for (i = 0; i < tp->nsub; i++)
		if (!subpoint_covered(c, tp, tp->subpoints[i]))
			return false;
	return tp->nsub > 0;
}

/*
 * Some sub-points explain their topic rather than list what it holds:
 * a clause ("that must outlive a call", "why the compiler stops you") or
 * a topic's one gloss ("Rc<T>: shared ownership through reference
 * counting").  A note that covers the topic says that in its own words, so
 * only the listed items ("by reference, by value") are looked for alone.
 */
static bool
is_gloss(const struct ovw_topic *tp, const char *sub)
{
	static const char *const clause_words[] = { "that", "which", "whose",
	    "why", "how", "when", "what", NULL };
	size_t	n;
	int	i;

	for (i = 0; clause_words[i] != NULL; i++) {
		n = strlen(clause_words[i]);
		if (strncasecmp(sub, clause_words[i], n) == 0 && sub[n] == ' ')
			return true;
	}
	return tp->nsub == 1 && text_count_words(sub) >= 3;
}

static void
check_subpoints(struct offline *c, const struct ovw_topic *tp, int heading)
{
	struct finding	f;
	int		i;

	for (i = 0; i < tp->nsub && !offline_list_full(c); i++) {
		if (is_gloss(tp, tp->subpoints[i]) ||
		    subpoint_covered(c, tp, tp->subpoints[i]))
			continue;
		memset(&f, 0, sizeof f);
		f.kind = FK_GAP;
		f.severity = FS_MEDIUM;
		f.line = heading >= 0 ? c->n->sections[heading].line : 0;
		if (f.line > 0)
			f.quote = source_heading_quote(c->n, f.line);
		f.topic = xstrdup(tp->title);
		f.rule_id = xstrdup("coverage-subpoint");
		f.message = xasprintf("The overview lists '%s' under '%s'; "
		    "the note does not mention it.", tp->subpoints[i],
		    tp->title);
		f.suggestion = xasprintf("Add a sentence or two on %s to the "
		    "part about %s.", tp->subpoints[i], tp->title);
		offline_emit(c, &f);
	}
}

/* Words written under section s itself, up to a cap. */
static size_t
section_words(const struct offline *c, int s, size_t cap)
{
	const struct note	*n = c->n;
	const char		*p;
	size_t			 words = 0;
	int			 i;

	for (i = 0; i < n->nblocks && words <= cap; i++) {
		if (n->blocks[i].section != s ||
		    n->blocks[i].kind == NB_HEADING ||
		    n->blocks[i].text == NULL)
			continue;
		if (n->blocks[i].kind == NB_CODE)
			return cap + 1;		/* an example says a lot */
		for (p = n->blocks[i].text; *p != '\0' && words <= cap; p++)
			if (!offline_is_space(*p) && *p != '\n' &&
			    (p == n->blocks[i].text || offline_is_space(p[-1]) ||
			    p[-1] == '\n'))
				words++;
	}
	return words;
}

static bool
has_subsections(const struct offline *c, int s)
{
	int	i;

	for (i = s + 1; i < c->n->nsections; i++)
		if (c->n->sections[i].parent == s)
			return true;
	return false;
}

/* A heading that names the topic over one short line: a low gap. */
static void
check_thin(struct offline *c, const struct ovw_topic *tp, int s)
{
	struct finding	f;

	if (s < 0 || c->reported[s] || has_subsections(c, s) ||
	    section_words(c, s, THIN_WORDS) > THIN_WORDS ||
	    offline_list_full(c))
		return;
	c->reported[s] = true;
	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.severity = FS_LOW;
	f.line = c->n->sections[s].line;
	f.quote = source_heading_quote(c->n, f.line);
	f.topic = xstrdup(tp->title);
	f.rule_id = xstrdup("coverage-thin");
	f.message = xasprintf("The overview asks for '%s'; this section names "
	    "it in one short line.", tp->title);
	f.suggestion = xasprintf("Say more about %s: what it is, why it "
	    "matters, and a small example.", tp->title);
	offline_emit(c, &f);
}

static bool
is_identifier(const char *w, size_t n, bool first, char next, char after)
{
	if (memchr(w, '_', n) != NULL)
		return true;
	if (first)	/* "Cell<T> for Copy values" */
		return next == '<' || next == '(' || (next == ':' &&
		    after == ':');
	return *w >= 'A' && *w <= 'Z';
}

/* The identifiers of a title, each followed by a space; none in Title Case. */
static void
title_identifiers(const char *title, struct buf *ids)
{
	const char	*p = title, *w;
	size_t		 words = 0, caps = 0;

	while (*p != '\0') {
		while (*p != '\0' && !stems_word_char_len(p, strlen(p)))
			p++;
		for (w = p; *p != '\0' && (stems_word_char_len(p,
		    strlen(p)) || *p == '_'); p++)
			;
		if (p == w)
			break;
		if (*w >= 'A' && *w <= 'Z')
			caps++;
		if (is_identifier(w, p - w, words == 0, *p,
		    *p != '\0' ? p[1] : '\0'))
			buf_printf(ids, "%.*s ", (int)(p - w), w);
		words++;
	}
	if (words > 2 && caps * 2 > words)
		buf_reset(ids);		/* Title Case, not code */
}

/* Is the identifier w[0, n) a whole word of the note, as written? */
static bool
note_has_identifier(const struct note *n, const char *w, size_t len)
{
	const char	*p = n->src, *end = n->src + n->src_len;

	while ((p = memmem(p, end - p, w, len)) != NULL) {
		if ((p == n->src || !(stems_word_char_len(p - 1, 1) ||
		    p[-1] == '_')) && (p + len == end ||
		    !(stems_word_char_len(p + len, end - p - len) ||
		    p[len] == '_')))
			return true;
		p++;
	}
	return false;
}

/*
 * The names a topic is about, as code would write them: words after the
 * first that start with a capital or hold '_', and a first word written
 * as code ("The Send and Sync marker traits": Send, Sync; "Cell<T> for
 * Copy values": Cell, Copy; "iter(), iter_mut() and into_iter()").  When
 * a topic names some, the note covers it when it uses every one of them
 * as written, whatever else it calls the topic; *has says whether there
 * were any.
 */
static bool
identifiers_covered(struct offline *c, const char *title, bool *has)
{
	struct buf	 ids;
	const char	*p, *sp;
	bool		 covered = true;

	buf_init(&ids, 0);
	title_identifiers(title, &ids);
	*has = false;
	for (p = buf_str(&ids); *p != '\0'; p = sp + 1) {
		sp = strchr(p, ' ');
		if (sp - p < 2)
			continue;	/* "T" in Result<T, E> */
		*has = true;
		if (!note_has_identifier(c->n, p, sp - p))
			covered = false;
	}
	buf_free(&ids);
	return *has && covered;
}

/* Is w[0, len) a whole word of the note, in any case ("Trait", "trait")? */
static bool
note_has_word(const struct note *n, const char *w, size_t len)
{
	const char	*p, *end = n->src + n->src_len;

	for (p = n->src; p + len <= end; p++) {
		if (p > n->src && (stems_word_char_len(p - 1, 1) ||
		    p[-1] == '_'))
			continue;	/* only at the start of a word */
		if (strncasecmp(p, w, len) == 0 && (p + len == end ||
		    !(stems_word_char_len(p + len, end - p - len) ||
		    p[len] == '_')))
			return true;
	}
	return false;
}

/* Does an uncovered sub-point hold the word (it is reported there)? */
static bool
in_missing_subpoint(struct offline *c, const struct ovw_topic *tp,
    const char *w, size_t len)
{
	const char	*p;
	int		 i;

	for (i = 0; i < tp->nsub; i++)
		for (p = tp->subpoints[i]; *p != '\0'; p++)
			if (strncasecmp(p, w, len) == 0 &&
			    (p == tp->subpoints[i] || !is_name_char(p[-1])) &&
			    !is_name_char(p[len]))
				return !subpoint_covered(c, tp, tp->subpoints[i]);
	return false;
}

static void
report_code_name(struct offline *c, const struct ovw_topic *tp, int heading,
    const char *w, size_t len)
{
	struct finding	f;

	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.severity = FS_MEDIUM;
	f.line = heading >= 0 ? c->n->sections[heading].line : 0;
	if (f.line > 0)
		f.quote = source_heading_quote(c->n, f.line);
	f.topic = xstrdup(tp->title);
	f.rule_id = xstrdup("coverage-code");
	f.message = xasprintf("The overview names `%.*s` in '%s'; the note "
	    "never uses it.", (int)len, w, tp->title);
	f.suggestion = xasprintf("Show `%.*s` in a sentence or a small "
	    "example.", (int)len, w);
	offline_emit(c, &f);
}

/*
 * Keywords that are also the small words of any English sentence ("`if
 * let` and `while let`"): the note shows them only in code, as "while"
 * in prose says nothing of `while let`.
 */
static bool
is_function_word(const char *w, size_t len)
{
	static const char *const words[] = { "as", "else", "for", "if", "in",
	    "where", "while", NULL };
	int	i;

	for (i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == len && memcmp(words[i], w, len) == 0)
			return true;
	return false;
}

/* Does the note write the bullet's code name w[0, len)? */
static bool
note_writes_name(const struct note *n, const char *w, size_t len)
{
	return is_function_word(w, len) ? note_code_has_name(n, w, len) :
	    note_has_word(n, w, len);
}

/*
 * A type named by an English word ("`Iterator`") is also said by that
 * word's plural in prose ("## Iterators"); "`HashMap`" or "`iter_mut`"
 * are names only.
 */
static bool
note_has_plural(const struct note *n, const char *w, size_t len)
{
	char	*plural;
	size_t	 i;
	bool	 found;

	if (len < 4 || !(*w >= 'A' && *w <= 'Z'))
		return false;
	for (i = 1; i < len; i++)
		if (!(w[i] >= 'a' && w[i] <= 'z'))
			return false;
	plural = xasprintf("%.*ss", (int)len, w);
	found = note_has_word(n, plural, len + 1);
	free(plural);
	return found;
}

/*
 * The names in the bullet's code spans ("`thread::spawn` and `join`":
 * thread, spawn, join) are what the learner will type; a covered topic
 * whose note never writes one of them has a gap of its own.  One-letter
 * names are type parameters (T, E).
 */
static void
check_code_names(struct offline *c, const struct ovw_topic *tp, int heading)
{
	const char	*p = tp->text, *close, *w;

	while (p != NULL && (p = strchr(p, '`')) != NULL &&
	    (close = strchr(p + 1, '`')) != NULL) {
		for (w = ++p; w < close; w = p) {
			while (w < close && !is_name_char(*w))
				w++;
			for (p = w; p < close && is_name_char(*p); p++)
				;
			if (p - w < 2 || (*w >= '0' && *w <= '9') ||
			    note_writes_name(c->n, w, p - w) ||
			    note_has_plural(c->n, w, p - w) ||
			    (w - 2 >= tp->text && w[-1] == '.' &&
			    w[-2] == '.' && note_has_rest_name(c->n)) ||
			    in_missing_subpoint(c, tp, w, p - w) ||
			    offline_list_full(c))
				continue;
			report_code_name(c, tp, heading, w, p - w);
		}
		p = close + 1;
	}
}

/* Does the note write the characters of a span with no names ("?")? */
static bool
note_has_symbol(const struct note *n, const char *p, size_t len)
{
	char	*quoted = xasprintf("`%.*s`", (int)len, p);
	bool	 found = memmem(n->src, n->src_len, quoted,
	    strlen(quoted)) != NULL;
	int	 i;

	free(quoted);
	for (i = 0; i < n->nblocks && !found; i++)
		found = n->blocks[i].kind == NB_CODE &&
		    n->blocks[i].text != NULL &&
		    memmem(n->blocks[i].text, strlen(n->blocks[i].text), p,
		    len) != NULL;
	return found;
}

/*
 * Does the note use one of the words the bullet says around its code
 * ("exhaustiveness checking" beside `match`)?  True when there are none.
 */
static bool
prose_word_present(struct offline *c, const char *text)
{
	struct stemset	 st = { 0 };
	char		*prose = xstrdup(text), *p, *q;
	size_t		 k;
	int		 i;
	bool		 found;

	for (p = prose; (p = strchr(p, '`')) != NULL; p = q + 1) {
		if ((q = strchr(p + 1, '`')) == NULL)
			break;
		memset(p, ' ', q - p + 1);	/* the code is checked apart */
	}
	stems_of(&c->lx, prose, &st);
	found = st.nkey == 0;
	for (k = 0; k < st.nkey && !found; k++)
		for (i = 0; i < c->n->nblocks && !found; i++)
			found = stems_has(&c->bags[i], st.key[k]);
	for (k = 0; k < st.nkey && !found; k++)
		for (i = 0; i < c->n->nsections && !found; i++)
			found = stems_has(&c->titles[i], st.key[k]);
	stems_free(&st);
	free(prose);
	return found;
}

/*
 * A topic whose bullet is about code ("The `?` operator", "`Rc<T>`",
 * "the `'static` lifetime") is covered where the note writes all of that
 * code: the names of every span, or the symbols of a span without any.
 */
static bool
code_spans_covered(struct offline *c, const struct ovw_topic *tp)
{
	const char	*p = tp->text, *close, *w, *e;
	bool		 any = false;

	while ((p = strchr(p, '`')) != NULL &&
	    (close = strchr(p + 1, '`')) != NULL) {
		bool	named = false;

		for (w = ++p; w < close; w = e) {
			while (w < close && !is_name_char(*w))
				w++;
			for (e = w; e < close && is_name_char(*e); e++)
				;
			if (e - w < 2 || (*w >= '0' && *w <= '9'))
				continue;
			named = true;
			if (!note_writes_name(c->n, w, e - w))
				return false;
		}
		if (!named && close > p && !note_has_symbol(c->n, p,
		    close - p))
			return false;
		any = true;
		p = close + 1;
	}
	return any && prose_word_present(c, tp->text);
}

static void
check_topic(struct offline *c, const struct ovw_topic *tp)
{
	struct stemset	topic = { 0 };
	int		full, empty;
	bool		ids, has_ids;

	stems_of(&c->lx, tp->title, &topic);
	if (topic.n == 0)
		goto out;
	topic_headings(c, &topic, &full, &empty);
	ids = identifiers_covered(c, tp->title, &has_ids);
	if (full >= 0 || (has_ids && ids) || stems_covered(c, &topic) ||
	    code_spans_covered(c, tp)) {
		check_thin(c, tp, full);
		check_subpoints(c, tp, full);
		check_code_names(c, tp, full);
	}
	else if (!subpoints_cover(c, tp))
		report_topic_missing(c, tp, empty);
out:
	stems_free(&topic);
}

void
coverage_check(struct offline *c)
{
	int	i;

	for (i = 0; i < c->o->ntopics; i++)
		check_topic(c, &c->o->topics[i]);
}

void
coverage_free(struct offline *c)
{
	int	i;

	for (i = 0; c->bags != NULL && i <= c->n->nblocks; i++)
		stems_free(&c->bags[i]);
	for (i = 0; c->titles != NULL && i <= c->n->nsections; i++)
		stems_free(&c->titles[i]);
	free(c->bags);
	free(c->titles);
	free(c->has_content);
	free(c->reported);
}
