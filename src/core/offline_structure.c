/*
 * offline_structure.c - the note's structure: sections with nothing in
 * them, sentences and lists that stop mid-way (on a comma, a colon or a
 * word like "and"), and headings written twice in the same part of the
 * note.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "offline_int.h"

#define LEAD_IN_MAX	60	/* bytes of a list's lead-in in a message */

/* The next block, or NULL at the end of the note. */
static const struct note_block *
next_block(const struct note *n, int i)
{
	return i + 1 < n->nblocks ? &n->blocks[i + 1] : NULL;
}

/* --- empty sections ------------------------------------------------------ */

/* The block after block i, past rules and HTML; NULL at the end. */
static const struct note_block *
next_content(const struct note *n, int i)
{
	int	j;

	for (j = i + 1; j < n->nblocks && (n->blocks[j].kind == NB_RULE ||
	    n->blocks[j].kind == NB_HTML); j++)
		;
	return j < n->nblocks ? &n->blocks[j] : NULL;
}

/* The heading b, followed by nb (NULL at the end), heads nothing. */
static void
report_empty_section(struct offline *c, const struct note_block *b,
    const struct note_block *nb)
{
	const struct note	*n = c->n;
	struct finding		 f;

	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.severity = FS_MEDIUM;
	f.line = b->start_line;
	f.quote = source_heading_quote(n, b->start_line);
	f.topic = offline_dup_or_empty(n->sections[b->section].title);
	f.rule_id = xstrdup("empty-section");
	f.message = xasprintf("The section '%s' is empty: %s.",
	    n->sections[b->section].title, nb == NULL ?
	    "the note ends right after its heading" :
	    "the next heading follows right away");
	f.suggestion = xstrdup("Write the section, or remove the heading.");
	offline_emit(c, &f);
}

/* Sections coverage has not reported already, with no deeper heading. */
static void
check_empty_sections(struct offline *c)
{
	const struct note	*n = c->n;
	const struct note_block	*b, *nb;
	int			 i;

	for (i = 0; i < n->nblocks; i++) {
		b = &n->blocks[i];
		if (b->kind != NB_HEADING || b->section < 0 ||
		    c->reported[b->section])
			continue;
		nb = next_content(n, i);
		if (nb == NULL || (nb->kind == NB_HEADING &&
		    nb->level <= b->level))
			report_empty_section(c, b, nb);
	}
}

/* --- sentences and lists that stop mid-way ------------------------------- */

/* How a paragraph or item ends: its last line, trailing markup dropped. */
struct ending {
	const char	*line;
	size_t		 len;	/* up to the last real character */
	char		 last;
	const char	*word;		/* "and", "or", "the" ... or NULL */
};

/* Words a sentence cannot end on. */
static const char *const joining_words[] = {
	"a", "an", "and", "because", "but", "of", "or", "than", "the", NULL
};

static const char *
joining_word(const char *w, size_t n)
{
	int	i = text_list_index_icase(joining_words, w, n);

	return i >= 0 ? joining_words[i] : NULL;
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

	while (len > 0 && (offline_is_space(s[len - 1]) || s[len - 1] == '*' ||
	    s[len - 1] == '_' || s[len - 1] == '\\'))
		len--;
	e->line = s;
	e->len = len;
	e->last = len > 0 ? s[len - 1] : '\0';
	for (w = len; w > 0 && ((s[w - 1] >= 'a' && s[w - 1] <= 'z') ||
	    (s[w - 1] >= 'A' && s[w - 1] <= 'Z')); w--)
		;
	e->word = NULL;
	if (w < len && (w == 0 || offline_is_space(s[w - 1])))
		e->word = joining_word(s + w, len - w);
}

static bool
starts_with_marker(const struct note *n, const struct note_block *b)
{
	const char	*s = n->lines[b->start_line - 1].text;
	size_t		 len = n->lines[b->start_line - 1].len, i;

	i = source_skip_spaces(s, len, 0);
	while (i < len && (s[i] == '>' || offline_is_space(s[i])))
		i++;
	return source_list_marker(s, len, i) > 0;
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
 * The typical case: "Independent of where the data is stored:" (or "If
 * ...,") and then one bullet that stops on a comma.  Returns the lead-in.
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
	return xasprintf("%.*s...", (int)source_utf8_back(b->text,
	    LEAD_IN_MAX, 0), b->text);
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

/*
 * Block i, ending as e, stops mid-way: on a colon that nothing follows,
 * or on a comma or a joining word with nothing after it that goes on.
 */
static bool
stops_midway(const struct note *n, int i, const struct ending *e)
{
	const struct note_block	*b = &n->blocks[i], *nb = next_block(n, i);

	if (e->last == ':')
		return nb == NULL || nb->kind == NB_HEADING ||
		    nb->kind == NB_RULE || (b->kind == NB_ITEM &&
		    nb->kind == NB_ITEM && nb->level == b->level &&
		    starts_with_marker(n, nb));
	if (e->last != ',' && e->word == NULL)
		return false;
	return !followed_by_more(b, nb);
}

static void
check_unfinished(struct offline *c, int i)
{
	const struct note	*n = c->n;
	const struct note_block	*b = &n->blocks[i];
	struct ending		 e;
	struct finding		 f;
	size_t			 qs;
	bool			 colon;

	if (b->kind != NB_PARAGRAPH && b->kind != NB_ITEM &&
	    b->kind != NB_QUOTE)
		return;
	block_ending(n, b, &e);
	if (!stops_midway(n, i, &e))
		return;
	colon = e.last == ':';
	qs = source_text_start(b, b->end_line, e.line, e.len);
	if (e.len - qs > QUOTE_CONTEXT)
		qs = source_word_start(e.line, source_utf8_back(e.line,
		    e.len - QUOTE_CONTEXT, qs), e.len);
	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.severity = FS_MEDIUM;
	f.line = f.end_line = b->end_line;
	f.quote = xstrndup(e.line + qs, e.len - qs);
	f.topic = offline_dup_or_empty(offline_section_title(c, b->end_line));
	f.rule_id = xstrdup(b->kind == NB_ITEM ? "unfinished-list" :
	    "unfinished-sentence");
	f.message = unfinished_message(n, i, &e, colon);
	f.suggestion = xstrdup(colon ? "Add what this line announces, or "
	    "end it with a full stop." : "Finish the thought, or remove the "
	    "dangling part.");
	offline_emit(c, &f);
}

/* --- headings written twice ---------------------------------------------- */

/* Two sections are the same when all of this but section is. */
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
		if ((k = stems_word_char_len(s + i, len - i)) == 0) {
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

/* Section dup repeats the heading of section first. */
static void
report_duplicate(struct offline *c, int dup, int first)
{
	const struct note_section	*s = &c->n->sections[dup];
	struct finding			 f;

	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.severity = FS_LOW;
	f.line = s->line;
	f.quote = source_heading_quote(c->n, f.line);
	f.topic = xstrdup(s->title);
	f.rule_id = xstrdup("duplicate-heading");
	f.message = xasprintf("The heading '%s' appears twice in the same "
	    "part of the note (first on line %d).", s->title,
	    c->n->sections[first].line);
	f.suggestion = xstrdup("Merge the two sections, or give this one a "
	    "title that says how it differs.");
	offline_emit(c, &f);
}

static void
check_duplicate_headings(struct offline *c)
{
	const struct note	*n = c->n;
	struct heading_key	*keys;
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
		report_duplicate(c, keys[i].section, keys[i - 1].section);
	}
	free(keys);
}

void
structure_check(struct offline *c)
{
	int	i;

	check_empty_sections(c);
	for (i = 0; i < c->n->nblocks && !offline_list_full(c); i++)
		check_unfinished(c, i);
	check_duplicate_headings(c);
}
