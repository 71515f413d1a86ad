/*
 * ovw_path.c - a learning path: one file, one section per note.
 *
 * The file is parsed as a note once; its headings are then sorted out.
 * A heading that names a subject (no marker, rule, purpose or aside) owns
 * the text up to the next such heading; it is a candidate section when
 * that text is an outline of its own: a purpose line or a topic marker
 * ("Write about:"), or bullets under "Chapter N".  Nested candidates
 * belong to the outer one (sub-topics with their own "Cover:" lists),
 * except under an unnumbered title over numbered sections, and except
 * numbered ones that carry the outer numbering on (levels mixed by
 * mistake).  Two sections or more make a path, and each section's text
 * is then parsed as one overview (overview.c), with its lines counted
 * in the whole file; fewer make the file one overview, as before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"
#include "ovw_int.h"

#define PSEUDO_LEVELS 7		/* 1..6, and 7 for a bold line */

/* One heading of the file and what it turned out to be. */
struct head {
	int	blk;		/* block index */
	int	level;
	int	number;		/* 0 when none */
	bool	word;		/* "Chapter 2" */
	bool	plain;		/* names a subject */
	bool	section;
	int	next_plain;	/* the next plain heading, or count */
	int	nested_end;	/* past the headings nested under it */
};

struct heads {
	const struct note	*n;
	struct head		*v;
	int			 count;
};

/* --- which headings are sections ----------------------------------------- */

static void
collect_heads(struct heads *hs)
{
	const struct note	*n = hs->n;
	const char		*title;
	char			*text;
	struct head		*h;
	int			 i;

	hs->v = xcalloc(n->nblocks + 1, sizeof *hs->v);
	for (i = 0; i < n->nblocks; i++) {
		if (n->blocks[i].kind != NB_HEADING)
			continue;
		h = &hs->v[hs->count++];
		h->blk = i;
		h->level = n->blocks[i].level;
		h->plain = !ovw_heading_is_marker(n, i);
		text = ovw_clean_text(n->blocks[i].text);
		h->number = ovw_heading_number(text, &title, &h->word);
		free(text);
	}
}

/*
 * For every heading, the next plain one and the end of those nested
 * under it (the next plain one of its level or above), in one pass from
 * the end, so that hostile files with many headings stay linear.
 */
static void
link_heads(struct heads *hs)
{
	int	last[PSEUDO_LEVELS + 1], k, l, next = hs->count;

	for (l = 0; l <= PSEUDO_LEVELS; l++)
		last[l] = hs->count;
	for (k = hs->count - 1; k >= 0; k--) {
		struct head *h = &hs->v[k];
		int lv = h->level < 1 ? 1 : h->level > PSEUDO_LEVELS ?
		    PSEUDO_LEVELS : h->level;

		h->next_plain = next;
		h->nested_end = hs->count;
		for (l = 1; l <= lv; l++)
			if (last[l] < h->nested_end)
				h->nested_end = last[l];
		if (h->plain) {
			next = k;
			last[lv] = k;
		}
	}
}

/* A line that says what follows: "Purpose: x", "Write about:", "Cover: a". */
static bool
outline_line(const char *line, bool heading)
{
	char		*t = ovw_clean_text(line);
	const char	*rest;
	bool		 found;

	found = ovw_purpose_line(t, &rest) || ovw_topic_marker(t, heading) ||
	    ovw_inline_topics(t) != NULL;
	free(t);
	return found;
}

/* Some line of a paragraph is an outline line. */
static bool
outline_paragraph(const char *text)
{
	const char	*p = text, *nl;
	char		*line;
	bool		 found = false;

	while (!found && *p != '\0') {
		nl = strchr(p, '\n');
		line = xstrndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		found = outline_line(line, false);
		free(line);
		p = nl != NULL ? nl + 1 : p + strlen(p);
	}
	return found;
}

/* The text heading k owns is an outline of its own. */
static bool
owns_outline(const struct heads *hs, int k)
{
	const struct note_block	*b;
	int			 end = hs->n->nblocks, i, items = 0;
	bool			 found = false;

	if (hs->v[k].next_plain < hs->count)
		end = hs->v[hs->v[k].next_plain].blk;
	for (i = hs->v[k].blk + 1; i < end && !found; i++) {
		b = &hs->n->blocks[i];
		if (b->kind == NB_HEADING)
			found = outline_line(b->text, true);
		else if (b->kind == NB_PARAGRAPH || b->kind == NB_QUOTE)
			found = outline_paragraph(b->text);
		else if (b->kind == NB_ITEM) {
			items++;
			found = outline_line(b->text, false);
		}
	}
	return found || (hs->v[k].word && hs->v[k].number > 0 && items > 0);
}

/* Settle candidate k against the candidates nested under it. */
static void
settle_nested(struct heads *hs, int k)
{
	struct head	*h = &hs->v[k];
	int		 end = h->nested_end, i, numbered = 0;

	for (i = k + 1; i < end; i++)
		numbered += hs->v[i].section && hs->v[i].number > 0;
	if (h->number == 0 && numbered >= 2) {
		h->section = false;	/* the path's title */
		return;
	}
	for (i = k + 1; i < end; i++)
		if (!(h->number > 0 && hs->v[i].number > h->number))
			hs->v[i].section = false;
}

static int
find_sections(struct heads *hs)
{
	int	k, n = 0;

	link_heads(hs);
	for (k = 0; k < hs->count; k++)
		hs->v[k].section = hs->v[k].plain && owns_outline(hs, k);
	for (k = 0; k < hs->count; k++)
		if (hs->v[k].section)
			settle_nested(hs, k);
	for (k = 0; k < hs->count; k++)
		n += hs->v[k].section;
	return n;
}

/* --- the sections' text -------------------------------------------------- */

/* Last line of section k: before the next section or an outer heading. */
static int
section_end(const struct heads *hs, int k)
{
	const struct note	*n = hs->n;
	const struct head	*h = &hs->v[k];
	int			 i;

	for (i = k + 1; i < hs->count; i++) {
		if (hs->v[i].section || hs->v[i].level < h->level ||
		    (hs->v[i].plain && hs->v[i].level == h->level))
			return n->blocks[hs->v[i].blk].start_line - 1;
	}
	return n->nlines;
}

static bool
blank(const struct note_line *l)
{
	size_t	i;

	for (i = 0; i < l->len; i++)
		if (l->text[i] != ' ' && l->text[i] != '\t' &&
		    l->text[i] != '\r')
			return false;
	return true;
}

/* Topic and rule lines count in the whole file. */
static void
shift_lines(struct overview *o, int by)
{
	int	i;

	for (i = 0; i < o->ntopics; i++)
		o->topics[i].line += by;
	for (i = 0; i < o->nrules; i++)
		o->rules[i].line += by;
}

static void
parse_section(struct ovw_path *p, const struct heads *hs, int k,
    struct ovw_section *s)
{
	const struct note	*n = hs->n;
	const struct note_line	*first, *last;
	char			 err[RN_ERRLEN], what[32];
	size_t			 len;

	ovw_section_name(s, n->blocks[hs->v[k].blk].text);
	s->line = n->blocks[hs->v[k].blk].start_line;
	s->end_line = section_end(hs, k);
	while (s->end_line > s->line && blank(&n->lines[s->end_line - 1]))
		s->end_line--;
	first = &n->lines[s->line - 1];
	last = &n->lines[s->end_line - 1];
	len = (size_t)(last->text + last->len - first->text);
	if (ovw_parse(p->path, first->text, len, &s->ovw, err,
	    sizeof err) == RN_OK) {
		shift_lines(s->ovw, s->line - 1);
		return;
	}
	if (s->number > 0)
		snprintf(what, sizeof what, "%d", s->number);
	else
		snprintf(what, sizeof what, "at line %d", s->line);
	s->error = xasprintf("%s: section %s (%s) has no topics (expected "
	    "a bulleted list)", p->path, what, s->short_title);
}

/* The heading before the first section, as the path's title. */
static char *
path_title(const struct heads *hs)
{
	int	k;

	for (k = 0; k < hs->count && !hs->v[k].section; k++)
		if (hs->v[k].plain)
			return ovw_clean_text(hs->n->blocks[hs->v[k].blk].text);
	return NULL;
}

static void
split_sections(struct ovw_path *p, const struct heads *hs, int count)
{
	int	k, i = 0;

	p->sections = xcalloc(count, sizeof *p->sections);
	p->nsections = count;
	p->title = path_title(hs);
	for (k = 0; k < hs->count; k++)
		if (hs->v[k].section)
			parse_section(p, hs, k, &p->sections[i++]);
}

/* The whole file is one overview, read as ovw_load() reads it. */
static enum rn_status
one_section(struct ovw_path *p, const struct note *n, char *err,
    size_t errlen)
{
	struct ovw_section	*s;
	int			 rc;

	p->single = 1;
	p->sections = xcalloc(1, sizeof *p->sections);
	p->nsections = 1;
	s = &p->sections[0];
	rc = ovw_parse(p->path, n->src, n->src_len, &s->ovw, err, errlen);
	if (rc != RN_OK)
		return rc;
	ovw_section_name(s, s->ovw->title);
	s->line = 1;
	s->end_line = n->nlines;
	return RN_OK;
}

/* --- public -------------------------------------------------------------- */

/* The path out of the parsed file; n is freed. */
static enum rn_status
from_note(struct note *n, struct ovw_path **out, char *err, size_t errlen)
{
	struct heads	 hs = { n, NULL, 0 };
	struct ovw_path	*p = xcalloc(1, sizeof *p);
	int		 count, rc = RN_OK, i;

	p->path = xstrdup(n->path);
	collect_heads(&hs);
	count = find_sections(&hs);
	if (count >= 2)
		split_sections(p, &hs, count);
	else
		rc = one_section(p, n, err, errlen);
	free(hs.v);
	note_free(n);
	if (rc != RN_OK) {
		ovw_path_free(p);
		return rc;
	}
	for (i = 0; i < p->nsections; i++)
		if (p->sections[i].ovw != NULL) {
			p->sections[i].ovw->in_path = p;
			p->sections[i].ovw->section = i;
		}
	*out = p;
	return RN_OK;
}

enum rn_status
ovw_path_parse(const char *name, const char *data, size_t len,
    struct ovw_path **out, char *err, size_t errlen)
{
	struct note	*n;
	int		 rc;

	*out = NULL;
	if ((rc = note_parse(name, data, len, &n, err, errlen)) != RN_OK)
		return rc;
	return from_note(n, out, err, errlen);
}

enum rn_status
ovw_path_load(const char *path, struct ovw_path **out, char *err,
    size_t errlen)
{
	struct note	*n;
	int		 rc;

	*out = NULL;
	if ((rc = note_load(path, &n, err, errlen)) != RN_OK)
		return rc;
	return from_note(n, out, err, errlen);
}

void
ovw_path_free(struct ovw_path *p)
{
	struct ovw_section	*s;
	int			 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsections; i++) {
		s = &p->sections[i];
		ovw_free(s->ovw);
		free(s->title);
		free(s->short_title);
		free(s->anchor);
		free(s->error);
		ovw_strv_free(s->subjects, s->nsubjects);
	}
	free(p->sections);
	free(p->title);
	free(p->path);
	free(p);
}
