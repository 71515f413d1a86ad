/*
 * rules_build.c - one block of a rule file into what it defines.  A block
 * with an "id:" is a misconception rule, one with a "term:" a subject an
 * overview may rule out of scope, and one of "defer:", "veto:" and
 * "same:" lines holds patterns and word lists for the whole set.
 * Patterns are compiled here, so a bad one fails the load with its line;
 * unknown and doubled keys fail it too, so a typo cannot pass silently.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/rules.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "rules_int.h"

#define RULE_ID_MAX	64

/* --- keys ---------------------------------------------------------------- */

/*
 * Every key a block may hold, with where it may stand and what it holds:
 * a key is looked up here once, as its line is read (rule_key_read()).
 */
#define KEY_RULE	0x01	/* in a block with "id:" */
#define KEY_TERM	0x02	/* ... with "term:" */
#define KEY_GLOBAL	0x04	/* ... with neither */
#define KEY_LIST	0x08	/* holds a list: it may repeat */
#define KEY_PATTERN	0x10	/* holds a PCRE2 pattern: fits one line */

static const struct {
	const char	*name;
	unsigned	 flags;
} keys[] = {
	{ "id", KEY_RULE | KEY_TERM }, { "topic", KEY_RULE },
	{ "kind", KEY_RULE }, { "severity", KEY_RULE },
	{ "scope", KEY_RULE }, { "headings", KEY_RULE },
	{ "disabled", KEY_RULE }, { "needs", KEY_RULE },
	{ "match", KEY_RULE | KEY_LIST | KEY_PATTERN },
	{ "or", KEY_RULE | KEY_LIST | KEY_PATTERN },
	{ "unless", KEY_RULE | KEY_TERM | KEY_LIST | KEY_PATTERN },
	{ "all", KEY_RULE | KEY_LIST }, { "none", KEY_RULE | KEY_LIST },
	{ "negated", KEY_RULE }, { "see", KEY_RULE | KEY_LIST },
	{ "message", KEY_RULE }, { "suggestion", KEY_RULE },
	{ "example+", KEY_RULE | KEY_TERM | KEY_LIST },
	{ "example-", KEY_RULE | KEY_TERM | KEY_LIST },
	{ "term", KEY_TERM }, { "names", KEY_TERM },
	{ "word", KEY_TERM | KEY_LIST | KEY_PATTERN },
	{ "code", KEY_TERM | KEY_LIST | KEY_PATTERN },
	{ "instead", KEY_TERM },
	{ "defer", KEY_GLOBAL | KEY_LIST | KEY_PATTERN },
	{ "veto", KEY_GLOBAL | KEY_LIST | KEY_PATTERN },
	{ "same", KEY_GLOBAL | KEY_LIST }, { "concept", KEY_GLOBAL | KEY_LIST },
	{ "form", KEY_GLOBAL | KEY_LIST }
};

void
rule_key_read(struct rule_kv *kv)
{
	size_t	i;

	kv->kid = -1;
	kv->flags = 0;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].name[0] == kv->key[0] &&
		    strcmp(keys[i].name, kv->key) == 0) {
			kv->kid = (int)i;
			kv->flags = keys[i].flags;
			return;
		}
}

bool
rule_key_is_list(const struct rule_kv *kv)
{
	return (kv->flags & KEY_LIST) != 0;
}

bool
rule_key_is_pattern(const struct rule_kv *kv)
{
	return (kv->flags & KEY_PATTERN) != 0;
}

/* Unknown and doubled keys are errors: a typo must not pass silently. */
static int
check_keys(struct rule_parser *ps, unsigned allowed, const char *what)
{
	size_t	i, j;

	for (i = 0; i < ps->nkv; i++) {
		if ((ps->kv[i].flags & allowed) == 0)
			return rule_parse_fail(ps, ps->kv[i].line,
			    "unknown key '%s' in a %s (see rules/README.md)",
			    ps->kv[i].key, what);
		if (rule_key_is_list(&ps->kv[i]))
			continue;
		for (j = 0; j < i; j++)
			if (ps->kv[j].kid == ps->kv[i].kid)
				return rule_parse_fail(ps, ps->kv[i].line,
				    "'%s' given twice", ps->kv[i].key);
	}
	return RN_OK;
}

/* --- patterns ------------------------------------------------------------ */

static int
compile_into(struct rule_parser *ps, const struct rule_kv *kv,
    struct rule_pats *dst)
{
	struct rule_pat	*p;
	char		 msg[RN_ERRLEN];

	/* files that passed before: compiled when first searched */
	if (ps->rs->trusted)
		p = rule_pat_later(kv->value);
	else if ((p = rule_pat_compile(kv->value, msg, sizeof msg)) == NULL)
		return rule_parse_fail(ps, kv->line, "%s: %s", kv->key, msg);
	rule_pats_add(dst, p);
	return RN_OK;
}

static int
compile_all(struct rule_parser *ps, const char *key, struct rule_pats *dst)
{
	size_t	i;
	int	rc;

	for (i = 0; i < ps->nkv; i++) {
		if (strcmp(ps->kv[i].key, key) != 0)
			continue;
		if ((rc = compile_into(ps, &ps->kv[i], dst)) != RN_OK)
			return rc;
	}
	return RN_OK;
}

/* A joined pattern failed: name the line of the alternative at fault. */
static int
blame_alternative(struct rule_parser *ps, size_t first, size_t end, int rc)
{
	struct rule_pat	*p;
	char		 msg[RN_ERRLEN];
	size_t		 k;

	for (k = first; k < end; k++) {
		if ((p = rule_pat_compile(ps->kv[k].value, msg,
		    sizeof msg)) == NULL)
			return rule_parse_fail(ps, ps->kv[k].line, "%s: %s",
			    ps->kv[k].key, msg);
		rule_pat_free(p);
	}
	return rc;
}

/*
 * "match:" followed by "or:" lines is one pattern with alternatives, so a
 * rule can list several phrasings of the same claim readably.
 */
/*
 * The "match:" at ps->kv[i] and the "or:" lines after it, up to *end, as
 * one pattern: "(?:a)|(?:b)".
 */
static void
join_alternatives(const struct rule_parser *ps, size_t i, size_t *end,
    struct buf *re)
{
	size_t	j;

	if (buf_printf(re, "(?:%s)", ps->kv[i].value) == -1)
		fatal("rule pattern too large");
	for (j = i + 1; j < ps->nkv && strcmp(ps->kv[j].key, "or") == 0; j++)
		if (buf_printf(re, "|(?:%s)", ps->kv[j].value) == -1)
			fatal("rule pattern too large");
	*end = j;
}

/* The lines ps->kv[first, end) as the alternatives of p. */
static void
split_alternatives(const struct rule_parser *ps, size_t first, size_t end,
    struct rule_pat *p)
{
	const char	**alt;
	size_t		  k;

	if (end - first < 2)
		return;
	alt = xcalloc(end - first, sizeof *alt);
	for (k = first; k < end; k++)
		alt[k - first] = ps->kv[k].value;
	rule_pat_set_parts(p, alt, end - first, ps->rs->trusted);
	free(alt);
}

/*
 * "match:" followed by "or:" lines is one pattern with alternatives, so a
 * rule can list several phrasings of the same claim readably.
 */
static int
compile_matches(struct rule_parser *ps, struct rule_pats *dst)
{
	struct rule_kv	 joined;
	struct buf	 re;
	size_t		 i, end;
	int		 rc = RN_OK;

	for (i = 0; i < ps->nkv && rc == RN_OK; i++) {
		if (strcmp(ps->kv[i].key, "or") == 0 && (i == 0 ||
		    (strcmp(ps->kv[i - 1].key, "match") != 0 &&
		    strcmp(ps->kv[i - 1].key, "or") != 0)))
			return rule_parse_fail(ps, ps->kv[i].line,
			    "'or:' must follow 'match:' or another 'or:'");
		if (strcmp(ps->kv[i].key, "match") != 0)
			continue;
		buf_init(&re, 0);
		join_alternatives(ps, i, &end, &re);
		joined = ps->kv[i];
		joined.value = re.data;
		if ((rc = compile_into(ps, &joined, dst)) != RN_OK)
			rc = blame_alternative(ps, i, end, rc);
		else
			split_alternatives(ps, i, end, dst->v[dst->n - 1]);
		buf_free(&re);
	}
	return rc;
}

/* --- values -------------------------------------------------------------- */

static void
collect_examples(struct rule_parser *ps, struct rule_example **ex,
    size_t *nex)
{
	size_t	i;
	bool	fire;

	for (i = 0; i < ps->nkv; i++) {
		fire = strcmp(ps->kv[i].key, "example+") == 0;
		if (!fire && strcmp(ps->kv[i].key, "example-") != 0)
			continue;
		*ex = xreallocarray(*ex, *nex + 1, sizeof **ex);
		(*ex)[*nex].text = xstrdup(ps->kv[i].value);
		(*ex)[*nex].line = ps->kv[i].line;
		(*ex)[*nex].fire = fire;
		(*nex)++;
	}
}

static void
examples_free(struct rule_example *ex, size_t nex)
{
	size_t	i;

	for (i = 0; i < nex; i++)
		free(ex[i].text);
	free(ex);
}

/* Every line with key, as written ("all:", "none:"). */
static void
collect_lines(const struct rule_parser *ps, const char *key,
    struct rule_line **v, size_t *n)
{
	size_t	i;

	for (i = 0; i < ps->nkv; i++) {
		if (strcmp(ps->kv[i].key, key) != 0)
			continue;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[*n].text = xstrdup(ps->kv[i].value);
		(*v)[*n].line = ps->kv[i].line;
		(*v)[*n].file = NULL;
		(*n)++;
	}
}

static void
lines_free(struct rule_line *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

static void
collect_see(const struct rule_parser *ps, struct rule *r)
{
	size_t	i;

	for (i = 0; i < ps->nkv; i++) {
		if (strcmp(ps->kv[i].key, "see") != 0)
			continue;
		r->see = xreallocarray(r->see, r->nsee + 1, sizeof *r->see);
		r->see[r->nsee++] = xstrdup(ps->kv[i].value);
	}
}

static char *
kv_dup(const struct rule_parser *ps, const char *key)
{
	const struct rule_kv	*kv = rule_kv_get(ps, key);

	return kv != NULL ? xstrdup(kv->value) : NULL;
}

static bool
valid_id(const char *id)
{
	size_t	i, len = strlen(id);

	if (len == 0 || len > RULE_ID_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '-' ||
		    id[i] == '_' || id[i] == '.'))
			return false;
	return true;
}

static const char *const kind_words[] = {
	"gap", "incorrect", "assumption", "scope", NULL
};
static const char *const severity_words[] = {
	"high", "medium", "low", NULL
};
static const char *const scope_words[] = {
	"sentence", "block", "line", NULL
};
static const char *const bool_words[] = {
	"no", "yes", "false", "true", NULL
};

/* Value of key from a closed set of words, or dflt when absent. */
static int
kv_choice(struct rule_parser *ps, const char *key, const char *const *words,
    int dflt, int *out)
{
	const struct rule_kv	*kv = rule_kv_get(ps, key);
	int			 i;

	*out = dflt;
	if (kv == NULL)
		return RN_OK;
	if ((i = text_list_index(words, kv->value)) < 0)
		return rule_parse_fail(ps, kv->line, "bad %s '%s'", key,
		    kv->value);
	*out = i;
	return RN_OK;
}

/* --- rules and terms ----------------------------------------------------- */

void
rule_clear(struct rule *r)
{
	size_t	i;

	for (i = 0; i < r->nneeds; i++)
		free(r->needs[i]);
	free(r->needs);
	free(r->id);
	free(r->topic);
	free(r->message);
	free(r->suggestion);
	free(r->file);
	rule_pats_free(&r->match);
	rule_pats_free(&r->unless);
	rule_links_clear(r);
	lines_free(r->all_src, r->nall);
	lines_free(r->none_src, r->nnone);
	for (i = 0; i < r->nsee; i++)
		free(r->see[i]);
	free(r->see);
	examples_free(r->ex, r->nex);
	memset(r, 0, sizeof *r);
}

void
rule_term_clear(struct rule_term *tm)
{
	size_t	i;

	free(tm->id);
	free(tm->term);
	for (i = 0; i < tm->nnames; i++)
		free(tm->names[i]);
	free(tm->names);
	free(tm->instead);
	free(tm->file);
	rule_pats_free(&tm->word);
	rule_pats_free(&tm->code);
	rule_pats_free(&tm->unless);
	examples_free(tm->ex, tm->nex);
	memset(tm, 0, sizeof *tm);
}

static int
require(struct rule_parser *ps, const char *key, const char *what)
{
	if (rule_kv_get(ps, key) == NULL)
		return rule_parse_fail(ps, ps->block_line, "%s without '%s:'",
		    what, key);
	return RN_OK;
}

static int
fill_rule_text(struct rule_parser *ps, struct rule *r)
{
	int	 rc, v;

	if (!r->disabled) {
		if ((rc = require(ps, "kind", "rule")) != RN_OK ||
		    (rule_kv_get(ps, "all") == NULL &&
		    (rc = require(ps, "match", "rule")) != RN_OK) ||
		    (rc = require(ps, "message", "rule")) != RN_OK)
			return rc;
	}
	if ((rc = kv_choice(ps, "kind", kind_words, FK_INCORRECT, &v)) != RN_OK)
		return rc;
	r->kind = v;
	if ((rc = kv_choice(ps, "severity", severity_words, 1, &v)) != RN_OK)
		return rc;
	r->severity = v == 0 ? FS_HIGH : v == 1 ? FS_MEDIUM : FS_LOW;
	if ((rc = kv_choice(ps, "scope", scope_words, 0, &v)) != RN_OK)
		return rc;
	r->scope = v == 0 ? RSC_SENTENCE : v == 1 ? RSC_BLOCK : RSC_LINE;
	if ((rc = kv_choice(ps, "headings", bool_words, 0, &v)) != RN_OK)
		return rc;
	r->headings = v % 2 == 1;
	if ((rc = kv_choice(ps, "negated", bool_words, 0, &v)) != RN_OK)
		return rc;
	r->negated = v % 2 == 1;
	if (rule_kv_get(ps, "none") != NULL && rule_kv_get(ps, "all") == NULL)
		return rule_parse_fail(ps, rule_kv_get(ps, "none")->line,
		    "'none:' needs an 'all:' line");
	r->topic = kv_dup(ps, "topic");
	r->message = kv_dup(ps, "message");
	r->suggestion = kv_dup(ps, "suggestion");
	return RN_OK;
}

/* "needs: frame, pop" -> word prefixes in lower case. */
static int
parse_needs(struct rule_parser *ps, struct rule *r)
{
	const struct rule_kv	*kv = rule_kv_get(ps, "needs");
	const char		*p, *end;
	char			*w;
	size_t			 i;

	for (p = kv != NULL ? kv->value : ""; *p != '\0'; p = end) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		for (end = p; *end != '\0' && *end != ','; end++)
			;
		w = xstrndup(p, end - p);
		str_trim(w);
		for (i = 0; w[i] != '\0'; i++) {
			if (!rule_is_word_byte(w[i])) {
				rule_parse_fail(ps, kv->line, "needs: '%s' "
				    "is not a word", w);
				free(w);
				return RN_EINPUT;
			}
			w[i] = rule_lower(w[i]);
		}
		if (*w == '\0') {
			free(w);
			continue;
		}
		r->needs = xreallocarray(r->needs, r->nneeds + 1,
		    sizeof *r->needs);
		r->needs[r->nneeds++] = w;
	}
	return RN_OK;
}

static int
build_rule(struct rule_parser *ps, struct rule *r)
{
	const struct rule_kv	*id = rule_kv_get(ps, "id");
	int			 rc, v;

	memset(r, 0, sizeof *r);
	if ((rc = check_keys(ps, KEY_RULE, "rule")) != RN_OK)
		return rc;
	if (!valid_id(id->value))
		return rule_parse_fail(ps, id->line, "bad rule id '%s' (use "
		    "a-z, 0-9 and '-')", id->value);
	if ((rc = kv_choice(ps, "disabled", bool_words, 0, &v)) != RN_OK)
		return rc;
	r->disabled = v % 2 == 1;
	r->id = xstrdup(id->value);
	r->file = xstrdup(ps->name);
	r->line = id->line;
	if ((rc = fill_rule_text(ps, r)) != RN_OK ||
	    (rc = compile_matches(ps, &r->match)) != RN_OK ||
	    (rc = compile_all(ps, "unless", &r->unless)) != RN_OK)
		return rc;
	collect_examples(ps, &r->ex, &r->nex);
	collect_lines(ps, "all", &r->all_src, &r->nall);
	collect_lines(ps, "none", &r->none_src, &r->nnone);
	collect_see(ps, r);
	return parse_needs(ps, r);
}

/* "references, reference, refs" -> names; the term itself comes first. */
static void
split_names(struct rule_term *tm, const char *list)
{
	const char	*p = list, *comma;
	char		*name;

	tm->names = xcalloc(1, sizeof *tm->names);
	tm->names[tm->nnames++] = xstrdup(tm->term);
	while (p != NULL && *p != '\0') {
		comma = strchr(p, ',');
		name = xstrndup(p, comma ? (size_t)(comma - p) : strlen(p));
		str_trim(name);
		if (*name == '\0') {
			free(name);
		} else {
			tm->names = xreallocarray(tm->names, tm->nnames + 1,
			    sizeof *tm->names);
			tm->names[tm->nnames++] = name;
		}
		p = comma ? comma + 1 : NULL;
	}
}

/* "borrow checker" -> "scope-borrow-checker" */
static char *
term_default_id(const char *term)
{
	char	*id = xasprintf("scope-%s", term), *p;

	for (p = id; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
		else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9')))
			*p = '-';
	}
	return id;
}

static int
build_term(struct rule_parser *ps, struct rule_term *tm)
{
	const struct rule_kv	*term = rule_kv_get(ps, "term");
	const struct rule_kv	*id = rule_kv_get(ps, "id");
	const struct rule_kv	*names = rule_kv_get(ps, "names");
	int			 rc;

	memset(tm, 0, sizeof *tm);
	if ((rc = check_keys(ps, KEY_TERM, "term")) != RN_OK)
		return rc;
	if (id != NULL && !valid_id(id->value))
		return rule_parse_fail(ps, id->line, "bad term id '%s'",
		    id->value);
	if (rule_kv_get(ps, "word") == NULL && rule_kv_get(ps, "code") == NULL)
		return rule_parse_fail(ps, ps->block_line,
		    "term without 'word:' or 'code:' patterns");
	tm->term = xstrdup(term->value);
	tm->id = id != NULL ? xstrdup(id->value) : term_default_id(tm->term);
	tm->file = xstrdup(ps->name);
	tm->line = term->line;
	split_names(tm, names != NULL ? names->value : NULL);
	tm->instead = kv_dup(ps, "instead");
	if ((rc = compile_all(ps, "word", &tm->word)) != RN_OK ||
	    (rc = compile_all(ps, "code", &tm->code)) != RN_OK ||
	    (rc = compile_all(ps, "unless", &tm->unless)) != RN_OK)
		return rc;
	collect_examples(ps, &tm->ex, &tm->nex);
	return RN_OK;
}

/* --- adding to the set --------------------------------------------------- */

/* v with room for n + 1 elements of size bytes (first: the initial room). */
static void *
make_room(void *v, size_t n, size_t *alloc, size_t first, size_t size)
{
	if (n < *alloc)
		return v;
	*alloc = *alloc ? *alloc * 2 : first;
	return xreallocarray(v, *alloc, size);
}

static int
id_used(struct rule_parser *ps, const char *what, const char *id, int line,
    int first)
{
	return rule_parse_fail(ps, line, "%s id '%s' already used on line %d",
	    what, id, first);
}

/*
 * Ids are looked up for every rule read and merged: a table by id keeps
 * that from growing with the square of the rules.  A slot holds an index
 * plus one (0: empty); ids(k) is the id of rule or term k.
 */
static size_t *
ids_slot(const struct rule_ids *ix, const char *id, const char *(*ids)
    (const struct rule_set *, size_t), const struct rule_set *rs)
{
	size_t	i = fnv64(FNV64_INIT, id, strlen(id)) & (ix->cap - 1);

	while (ix->slot[i] != 0 && strcmp(ids(rs, ix->slot[i] - 1), id) != 0)
		i = (i + 1) & (ix->cap - 1);
	return &ix->slot[i];
}

/* Index k (of n so far) joins the table. */
static void
ids_add(struct rule_ids *ix, size_t k, size_t n, const char *(*ids)
    (const struct rule_set *, size_t), const struct rule_set *rs)
{
	size_t	i;

	if (n * 2 >= ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 64;
		free(ix->slot);
		ix->slot = xcalloc(ix->cap, sizeof *ix->slot);
		for (i = 0; i < n; i++)
			if (i != k)
				*ids_slot(ix, ids(rs, i), ids, rs) = i + 1;
	}
	*ids_slot(ix, ids(rs, k), ids, rs) = k + 1;
}

static size_t
ids_find(const struct rule_ids *ix, const char *id, size_t n,
    const char *(*ids)(const struct rule_set *, size_t),
    const struct rule_set *rs)
{
	size_t	s;

	if (ix->cap == 0 || (s = *ids_slot(ix, id, ids, rs)) == 0)
		return n;
	return s - 1;
}

static const char *
rule_id_at(const struct rule_set *rs, size_t k)
{
	return rs->rules[k].id;
}

static const char *
term_id_at(const struct rule_set *rs, size_t k)
{
	return rs->terms[k].id;
}

/* The rule of rs with id, or rs->nrules. */
static size_t
rule_index(const struct rule_set *rs, const char *id)
{
	return ids_find(&rs->rule_ids, id, rs->nrules, rule_id_at, rs);
}

static size_t
term_index(const struct rule_set *rs, const char *id)
{
	return ids_find(&rs->term_ids, id, rs->nterms, term_id_at, rs);
}

void
rule_ids_free(struct rule_ids *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->cap = 0;
}

/* Rule r becomes rule i of rs: in place of the one there, or added. */
static void
put_rule(struct rule_set *rs, size_t i, const struct rule *r)
{
	if (i < rs->nrules) {
		rule_clear(&rs->rules[i]);	/* the same id */
		rs->rules[i] = *r;
		return;
	}
	rs->rules = make_room(rs->rules, rs->nrules, &rs->rules_alloc, 32,
	    sizeof *rs->rules);
	rs->rules[rs->nrules++] = *r;
	ids_add(&rs->rule_ids, i, rs->nrules, rule_id_at, rs);
}

static void
put_term(struct rule_set *rs, size_t i, const struct rule_term *tm)
{
	if (i < rs->nterms) {
		rule_term_clear(&rs->terms[i]);	/* the same id */
		rs->terms[i] = *tm;
		return;
	}
	rs->terms = make_room(rs->terms, rs->nterms, &rs->terms_alloc, 16,
	    sizeof *rs->terms);
	rs->terms[rs->nterms++] = *tm;
	ids_add(&rs->term_ids, i, rs->nterms, term_id_at, rs);
}

/*
 * A later file may replace a rule (or a term, below) by using its id: the
 * user's rules are loaded after the bundled ones.  Within one file an id
 * is unique.
 */
static int
add_rule(struct rule_parser *ps, struct rule *r)
{
	size_t	i = rule_index(ps->rs, r->id);

	if (i < ps->rs->nrules && strcmp(ps->rs->rules[i].file, ps->name) == 0)
		return id_used(ps, "rule", r->id, r->line,
		    ps->rs->rules[i].line);
	put_rule(ps->rs, i, r);
	return RN_OK;
}

static int
add_term(struct rule_parser *ps, struct rule_term *tm)
{
	size_t	i = term_index(ps->rs, tm->id);

	if (i < ps->rs->nterms && strcmp(ps->rs->terms[i].file, ps->name) == 0)
		return id_used(ps, "term", tm->id, tm->line,
		    ps->rs->terms[i].line);
	put_term(ps->rs, i, tm);
	return RN_OK;
}

static void
move_pats(struct rule_pats *to, struct rule_pats *from)
{
	size_t	i;

	for (i = 0; i < from->n; i++)
		rule_pats_add(to, from->v[i]);
	from->n = 0;
}

void
rules_merge(struct rule_set *rs, struct rule_set *from)
{
	size_t	i;

	for (i = 0; i < from->nrules; i++)
		put_rule(rs, rule_index(rs, from->rules[i].id),
		    &from->rules[i]);
	for (i = 0; i < from->nterms; i++)
		put_term(rs, term_index(rs, from->terms[i].id),
		    &from->terms[i]);
	from->nrules = from->nterms = 0;
	rule_ids_free(&from->rule_ids);
	rule_ids_free(&from->term_ids);
	move_pats(&rs->defer, &from->defer);
	move_pats(&rs->veto, &from->veto);
	rs->same = xreallocarray(rs->same, rs->nsame + from->nsame + 1,
	    sizeof *rs->same);
	for (i = 0; i < from->nsame; i++)
		rs->same[rs->nsame++] = from->same[i];
	from->nsame = 0;
	rule_lexicon_merge(rs, from->lex);
}

void
rules_merged(struct rule_set *rs)
{
	rule_lexicon_unbuild(rs->lex);	/* new rules or wordings: relink */
	rules_build_triggers(rs);
}

static void
add_same(struct rule_parser *ps)
{
	struct rule_set	*rs = ps->rs;
	size_t		 i;

	for (i = 0; i < ps->nkv; i++) {
		if (strcmp(ps->kv[i].key, "same") != 0)
			continue;
		rs->same = xreallocarray(rs->same, rs->nsame + 1,
		    sizeof *rs->same);
		rs->same[rs->nsame++] = xstrdup(ps->kv[i].value);
	}
}

/* "defer:", "veto:" and "same:" lines, for the whole set. */
static int
add_global(struct rule_parser *ps)
{
	size_t	i;
	int	rc;

	if ((rc = check_keys(ps, KEY_GLOBAL, "block without 'id:' or "
	    "'term:'")) != RN_OK ||
	    (rc = compile_all(ps, "defer", &ps->rs->defer)) != RN_OK ||
	    (rc = compile_all(ps, "veto", &ps->rs->veto)) != RN_OK)
		return rc;
	add_same(ps);
	for (i = 0; i < ps->nkv; i++)
		if ((strcmp(ps->kv[i].key, "concept") == 0 ||
		    strcmp(ps->kv[i].key, "form") == 0) &&
		    (rc = rule_lexicon_add(ps, &ps->kv[i])) != RN_OK)
			return rc;
	return RN_OK;
}

int
rule_block_add(struct rule_parser *ps)
{
	struct rule		r;
	struct rule_term	tm;
	int			rc;

	if (rule_kv_get(ps, "term") != NULL) {
		if ((rc = build_term(ps, &tm)) == RN_OK)
			rc = add_term(ps, &tm);
		if (rc != RN_OK)
			rule_term_clear(&tm);
	} else if (rule_kv_get(ps, "id") != NULL) {
		if ((rc = build_rule(ps, &r)) == RN_OK)
			rc = add_rule(ps, &r);
		if (rc != RN_OK)
			rule_clear(&r);
	} else
		rc = add_global(ps);
	return rc;
}
