/*
 * rules_lexicon.c - the shared lexicon of the meaning matcher.  A
 * "concept:" line names a concept and lists its wordings once
 * ("concept: FRAME = frame, stack frame, activation record"), so that
 * every rule can say FRAME; a "form:" line maps irregular word forms to
 * one stem ("form: have = has, had, having").  Words are compared on
 * stems (rules_stem.c).
 *
 * Linking resolves the concept names of every rule and turns each
 * wording into an entry the matcher can look for: adjacent word stems, a
 * word beginning ("alloc*"), characters ("{}", "&mut"), characters as
 * written (`Vec`) or a PCRE2 pattern between slashes.  A rule's own words
 * become a concept without a name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/rules.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "rustnote/wcache.h"
#include "rules_int.h"

/* --- reading "concept:" and "form:" lines ------------------------------- */

static bool
valid_concept_name(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || !(s[0] >= 'A' && s[0] <= 'Z'))
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

bool
rule_is_concept_name(const char *s)
{
	/* most wordings start in lower case: no need to measure those */
	return s[0] >= 'A' && s[0] <= 'Z' && valid_concept_name(s, strlen(s));
}

static struct rule_lexicon *
lexicon_of(struct rule_set *rs)
{
	if (rs->lex == NULL) {
		rs->lex = xcalloc(1, sizeof *rs->lex);
		rs->lex->neg = rs->lex->neg_all = rs->lex->but =
		    rs->lex->instead = rs->lex->english = RULE_NO_CONCEPT;
	}
	return rs->lex;
}

static void
line_push(struct rule_line **v, size_t *n, const char *text, int line,
    const char *file)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].text = xstrdup(text);
	(*v)[*n].line = line;
	(*v)[*n].file = file != NULL ? xstrdup(file) : NULL;
	(*n)++;
}

static void
lines_free(struct rule_line *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].file);
	}
	free(v);
}

static void
concept_clear(struct rule_concept *c)
{
	free(c->name);
	free(c->wording);
	lines_free(c->src, c->nsrc);
	memset(c, 0, sizeof *c);
}

/* Entries, forms and a rules' own concepts: remade by every link. */
void
rule_lexicon_unbuild(struct rule_lexicon *lx)
{
	size_t	i;

	if (lx == NULL)
		return;
	for (i = 0; i < lx->ne; i++)
		rule_entry_clear(&lx->e[i]);
	lx->ne = 0;
	while (lx->nc > 0 && lx->c[lx->nc - 1].name == NULL)
		concept_clear(&lx->c[--lx->nc]);
	for (i = 0; i < lx->nform; i++)
		free(lx->form[i].base);
	free(lx->form);
	lx->form = NULL;
	lx->nform = 0;
	rule_index_free(lx);
	lx->built = false;
}

size_t
rule_concept_find(const struct rule_lexicon *lx, const char *name)
{
	size_t	i;

	/* Named concepts come first; a rule's own follow them. */
	for (i = 0; lx != NULL && i < lx->nc && lx->c[i].name != NULL; i++)
		if (lx->c[i].name[0] == name[0] &&
		    strcmp(lx->c[i].name, name) == 0)
			return i;
	return RULE_NO_CONCEPT;
}

static size_t
concept_new(struct rule_lexicon *lx, const char *name)
{
	if (lx->nc == lx->c_alloc) {
		lx->c_alloc = lx->c_alloc ? lx->c_alloc * 2 : 64;
		lx->c = xreallocarray(lx->c, lx->c_alloc, sizeof *lx->c);
	}
	memset(&lx->c[lx->nc], 0, sizeof lx->c[lx->nc]);
	lx->c[lx->nc].name = name != NULL ? xstrdup(name) : NULL;
	return lx->nc++;
}

/* "NAME = a, b" or "base = a, b": split at the first '='. */
static int
split_definition(struct rule_parser *ps, const struct rule_kv *kv,
    char **name, const char **list)
{
	const char	*eq = strchr(kv->value, '=');

	if (eq == NULL)
		return rule_parse_fail(ps, kv->line, "%s: expected 'NAME = "
		    "word, word, ...'", kv->key);
	*name = xstrndup(kv->value, eq - kv->value);
	str_trim(*name);
	*list = eq + 1;
	return RN_OK;
}

int
rule_lexicon_add(struct rule_parser *ps, const struct rule_kv *kv)
{
	struct rule_lexicon	*lx = lexicon_of(ps->rs);
	const char		*list = NULL;
	char			*name = NULL;
	size_t			 c;
	int			 rc;

	if ((rc = split_definition(ps, kv, &name, &list)) != RN_OK)
		return rc;
	rule_lexicon_unbuild(lx);
	if (strcmp(kv->key, "form") == 0) {
		char *line = xasprintf("%s,%s", name, list);

		line_push(&lx->form_src, &lx->nform_src, line, kv->line,
		    ps->name);
		free(line);
		free(name);
		return RN_OK;
	}
	if (!rule_is_concept_name(name)) {
		rc = rule_parse_fail(ps, kv->line, "concept name '%s' must be "
		    "upper case (A-Z, 0-9, _)", name);
		free(name);
		return rc;
	}
	if ((c = rule_concept_find(lx, name)) == RULE_NO_CONCEPT)
		c = concept_new(lx, name);
	/* A later line (or the user's file) adds wordings. */
	line_push(&lx->c[c].src, &lx->c[c].nsrc, list, kv->line, ps->name);
	free(name);
	return RN_OK;
}

/* Move the line *from to the end of v[0, n). */
static void
line_move(struct rule_line **v, size_t *n, struct rule_line *from)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = *from;
	memset(from, 0, sizeof *from);
}

void
rule_lexicon_merge(struct rule_set *rs, struct rule_lexicon *from)
{
	struct rule_lexicon	*lx;
	size_t			 i, k, c;

	if (from == NULL)
		return;
	lx = lexicon_of(rs);
	rule_lexicon_unbuild(lx);	/* new wordings: relink */
	for (i = 0; i < from->nc; i++) {
		if ((c = rule_concept_find(lx, from->c[i].name)) ==
		    RULE_NO_CONCEPT)
			c = concept_new(lx, from->c[i].name);
		for (k = 0; k < from->c[i].nsrc; k++)
			line_move(&lx->c[c].src, &lx->c[c].nsrc,
			    &from->c[i].src[k]);
		from->c[i].nsrc = 0;
	}
	for (k = 0; k < from->nform_src; k++)
		line_move(&lx->form_src, &lx->nform_src, &from->form_src[k]);
	from->nform_src = 0;
}

void
rule_lexicon_free(struct rule_lexicon *lx)
{
	size_t	i;

	if (lx == NULL)
		return;
	rule_lexicon_unbuild(lx);
	for (i = 0; i < lx->nc; i++)
		concept_clear(&lx->c[i]);
	free(lx->c);
	lines_free(lx->form_src, lx->nform_src);
	free(lx->e);
	free(lx);
}

/* --- building entries ----------------------------------------------------- */

static int
compare_forms(const void *a, const void *b)
{
	const struct rule_form	*x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static void
lower_ascii(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)rule_lower((unsigned char)*s);
}

/* "have,has,had": every word, the base too, stands for the base. */
static void
build_forms(struct rule_lexicon *lx)
{
	char	*copy, *p, *comma, *base;
	size_t	 i;

	for (i = 0; i < lx->nform_src; i++) {
		copy = xstrdup(lx->form_src[i].text);
		lower_ascii(copy);
		base = NULL;
		for (p = copy; p != NULL; p = comma) {
			if ((comma = strchr(p, ',')) != NULL)
				*comma++ = '\0';
			str_trim(p);
			if (*p == '\0')
				continue;
			if (base == NULL)
				base = p;
			lx->form = xreallocarray(lx->form, lx->nform + 1,
			    sizeof *lx->form);
			lx->form[lx->nform].hash = fnv64(FNV64_INIT, p,
			    strlen(p));
			lx->form[lx->nform++].base = xstrdup(base);
		}
		free(copy);
	}
	if (lx->nform > 0)
		qsort(lx->form, lx->nform, sizeof *lx->form, compare_forms);
}

void
rule_entry_push(struct rule_lexicon *lx, const struct rule_entry *e)
{
	if (lx->ne == lx->e_alloc) {
		lx->e_alloc = lx->e_alloc ? lx->e_alloc * 2 : 256;
		lx->e = xreallocarray(lx->e, lx->e_alloc, sizeof *lx->e);
	}
	lx->e[lx->ne++] = *e;
}

void
rule_entry_clear(struct rule_entry *e)
{
	free(e->stems);
	free(e->text);
	if (e->re != NULL)
		rule_pat_free(e->re);
	memset(e, 0, sizeof *e);
}

struct stem_list {
	uint64_t	*v;
	size_t		 n, alloc;
};

static void
collect_stem(void *ud, size_t start, size_t end, uint64_t stem)
{
	struct stem_list	*l = ud;

	(void)start;
	(void)end;
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 4;
		l->v = xreallocarray(l->v, l->alloc, sizeof *l->v);
	}
	l->v[l->n++] = stem;
}

static bool
is_word_text(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!rule_is_mword((unsigned char)s[i]))
			return false;
	return true;
}

/* Words only, starting with one: "'a" is characters, not the word "a". */
static bool
is_phrase_text(const char *s)
{
	if (!rule_is_mword((unsigned char)*s))
		return false;
	for (; *s != '\0'; s++)
		if (!rule_is_mword((unsigned char)*s) && *s != ' ' &&
		    *s != '-' && *s != '\'')
			return false;
	return true;
}

/*
 * One wording read into *e (its concept left to the caller), stems
 * worked out through the cache given: only lx's forms are read, so two
 * threads may read wordings at once.  msg gets the cause on failure, and
 * *e then holds nothing.
 */
bool
rule_entry_read(const struct rule_lexicon *lx, struct wcache *stems,
    const char *w, struct rule_entry *e, char *msg, size_t msglen)
{
	struct stem_list	 l = { NULL, 0, 0 };
	size_t			 n = strlen(w);
	char			*inner;

	memset(e, 0, sizeof *e);

	if (n > 2 && w[0] == '/' && w[n - 1] == '/') {
		struct rule_pat *re;

		inner = xstrndup(w + 1, n - 2);
		re = lx->trusted ? rule_pat_later(inner) :
		    rule_pat_compile(inner, msg, msglen);
		free(inner);
		if (re == NULL)
			return false;
		e->kind = RE_REGEX;
		e->re = re;
		return true;
	}
	if (n > 2 && w[0] == '`' && w[n - 1] == '`') {
		e->kind = RE_EXACT;
		e->text = xstrndup(w + 1, n - 2);
		e->len = n - 2;
		return true;
	}
	if (n > 1 && w[n - 1] == '*' && is_word_text(w, n - 1)) {
		e->kind = RE_PREFIX;
		e->text = xstrndup(w, n - 1);
		lower_ascii(e->text);
		e->len = n - 1;
		return true;
	}
	if (is_phrase_text(w)) {
		rule_words(lx, w, n, stems, collect_stem, &l);
		if (l.n == 0) {
			snprintf(msg, msglen, "'%s' holds no word", w);
			return false;
		}
		e->kind = RE_PHRASE;
		e->stems = l.v;
		e->nstems = l.n;
		return true;
	}
	if (n > 1 && w[n - 1] == '*' && strrchr(w, ' ') != NULL &&
	    is_word_text(strrchr(w, ' ') + 1, w + n - 1 - strrchr(w, ' ') - 1)) {
		/* "reference count*": words, then a word beginning. */
		const char *last = strrchr(w, ' ') + 1;
		char *head = xstrndup(w, last - 1 - w);

		if (is_phrase_text(head))
			rule_words(lx, head, strlen(head), stems,
			    collect_stem, &l);
		free(head);
		if (l.n == 0) {
			snprintf(msg, msglen, "'%s' holds no word", w);
			return false;
		}
		e->kind = RE_PHRASE;
		e->stems = l.v;
		e->nstems = l.n;
		e->text = xstrndup(last, w + n - 1 - last);
		lower_ascii(e->text);
		e->len = strlen(e->text);
		return true;
	}
	if (w[n - 1] == '*' && rule_is_mword((unsigned char)w[0])) {
		snprintf(msg, msglen, "a word beginning ('alloc*') ends a "
		    "wording");
		return false;
	}
	e->kind = RE_LITERAL;
	e->text = xstrdup(w);
	lower_ascii(e->text);
	e->len = n;
	return true;
}

/* One wording into an entry of concept, appended to the lexicon's. */
static bool
add_entry(struct rule_lexicon *lx, size_t concept, const char *w,
    char *msg, size_t msglen)
{
	struct rule_entry	e;

	if (!rule_entry_read(lx, lx->link_stems, w, &e, msg, msglen))
		return false;
	e.concept = concept;
	rule_entry_push(lx, &e);
	return true;
}

/*
 * The sep that ends the wording at p, or NULL.  What looks like a
 * separator may belong to the wording: a '|' or ',' inside a /pattern/
 * that begins a wording ("/a(?:b|c){1,2}/"), or inside a wording that
 * is characters in backticks ("`Result<T, E>`", "`||`").
 */
char *
rule_wording_end(char *p, char sep)
{
	char	*close;
	bool	 start = true;		/* where a wording may begin */

	for (; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (start && *p == '/') {
			for (p++; *p != '\0' && *p != '/'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '\0')
				return NULL;
			start = false;
			continue;
		}
		if (start && *p == '`' && (close = strchr(p + 1, '`')) != NULL &&
		    strchr(",| \t", close[1]) != NULL) {
			p = close;	/* close[1] == '\0' is in the set too */
			start = false;
			continue;
		}
		start = false;
		if (*p == sep)
			return p;
		start = *p == '|' || *p == ',';
	}
	return NULL;
}

/* "a, b, c" (or "a|b" with sep '|') into entries of one concept. */
static enum rn_status
add_entries(struct rule_set *rs, size_t concept, const struct rule_line *src,
    const char *file, char sep, char *err, size_t errlen)
{
	char	*copy = xstrdup(src->text), *p, *next, msg[RN_ERRLEN];
	int	 rc = RN_OK;

	for (p = copy; p != NULL && rc == RN_OK; p = next) {
		if ((next = rule_wording_end(p, sep)) != NULL)
			*next++ = '\0';
		str_trim(p);
		if (*p == '\0')
			continue;
		if (!add_entry(rs->lex, concept, p, msg, sizeof msg))
			rc = rn_fail(err, errlen, RN_EINPUT, "%s:%d: '%s': %s",
			    file, src->line, p, msg);
	}
	free(copy);
	return rc;
}

enum rn_status
rules_link(struct rule_set *rs, char *err, size_t errlen)
{
	struct rule_lexicon	*lx;
	struct wcache		 stems;
	size_t			 i, k, named;
	int			 rc = RN_OK;

	lx = lexicon_of(rs);
	if (lx->built)
		return RN_OK;
	lx->trusted = rs->trusted;
	rule_lexicon_unbuild(lx);
	build_forms(lx);
	/* wordings repeat words: their stems are worked out once, while
	   the forms they depend on stay as just built */
	wcache_init(&stems);
	lx->link_stems = &stems;
	named = lx->nc;
	for (i = 0; i < named && rc == RN_OK; i++)
		for (k = 0; k < lx->c[i].nsrc && rc == RN_OK; k++)
			rc = add_entries(rs, i, &lx->c[i].src[k],
			    lx->c[i].src[k].file, ',', err, errlen);
	lx->link_stems = NULL;
	wcache_free(&stems);
	if (rc == RN_OK)
		rc = rule_link_rules(rs, err, errlen);
	rs->lex_gen++;
	if (rc == RN_OK)
		rule_index_build(lx);
	else
		rule_lexicon_unbuild(lx);
	return rc;
}

/* --- forms for other checks ---------------------------------------------- */

char *
rule_forms_regex(const struct rule_set *rs, const char *word)
{
	const struct rule_lexicon	*lx = rs->lex;
	const struct rule_form		*f;
	struct buf			 b;
	char				*w = xstrdup(word), *copy, *p, *comma;
	const char			*base;
	size_t				 i;

	lower_ascii(w);
	if (lx == NULL || (f = rule_form_find(lx, fnv64(FNV64_INIT, w,
	    strlen(w)))) == NULL) {
		free(w);
		return NULL;
	}
	base = f->base;
	buf_init(&b, 0);
	for (i = 0; i < lx->nform_src; i++) {
		copy = xstrdup(lx->form_src[i].text);
		lower_ascii(copy);
		if ((comma = strchr(copy, ',')) != NULL)
			*comma = '\0';
		str_trim(copy);
		if (strcmp(copy, base) == 0 && comma != NULL)
			for (p = comma + 1; p != NULL; p = comma) {
				if ((comma = strchr(p, ',')) != NULL)
					*comma++ = '\0';
				str_trim(p);
				if (*p != '\0' && strspn(p,
				    "abcdefghijklmnopqrstuvwxyz") == strlen(p))
					buf_printf(&b, "%s%s", b.len ? "|" :
					    "", p);
			}
		free(copy);
	}
	free(w);
	return b.len > 0 ? buf_steal(&b) : (buf_free(&b), NULL);
}
