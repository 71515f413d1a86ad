/*
 * overview.c - parse the topic overview a note is reviewed against.
 *
 * The overview is parsed as a note first (same validation, same flattened
 * blocks with their lines), then read block by block.  A heading or a line
 * like "Write about:" switches to topics, "Out of scope:" to rules and
 * "Purpose:" to the purpose; bullets are filed under the mode in force.
 * Scope rules are recognised by their wording wherever they stand, even in
 * a later clause of a sentence, so they never end up as topics.  When no
 * marker says where the topics are, the headings are the topics if every
 * bullet stands under one ("## Stack vs heap" + "- frames"), else the
 * document's bullets are.  Reading lists and summaries give no topics.
 *
 * This file holds the driver: the title, the walk over the blocks and the
 * choice of topics.  ovw_int.h lists the files that do the reading.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/cancel.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"
#include "ovw_int.h"

void
ovw_set_mode(struct ovw_builder *b, enum mode m, int level)
{
	b->mode = m;
	b->mode_level = level;
	b->cur_topic = -1;
}

/* --- the title ----------------------------------------------------------- */

/* A line that is a marker, a rule or the purpose is no title. */
static bool
title_like(const char *s)
{
	const char	*rest;
	size_t		 off, len;

	return *s != '\0' && !ovw_purpose_line(s, &rest) &&
	    !ovw_rule_match(s, &off, &len) && !ovw_topic_marker(s, false) &&
	    !ovw_topic_marker(s, true);
}

/* The raw first line without Markdown markers; keeps "2. ". */
static char *
raw_title(const struct note *n, int lineno)
{
	size_t		 len;
	const char	*s = note_line(n, lineno, &len);
	char		*t, *r, *w;

	t = xstrndup(s, len);
	for (r = w = t; *r != '\0'; r++)
		if (*r != '*' && *r != '_' && *r != '`')
			*w++ = *r;
	*w = '\0';
	str_trim(t);
	r = t + strspn(t, "#");
	r += strspn(r, " ");
	if (strncasecmp(r, "title:", 6) == 0)
		r += 6;
	if ((*r == '-' || *r == '+') && r[1] == ' ')
		r++;
	w = ovw_clean_text(r);
	free(t);
	return w;
}

static char *
path_title(const char *path)
{
	const char	*base = strrchr(path, '/');
	char		*t, *dot;

	t = xstrdup(base != NULL ? base + 1 : path);
	if ((dot = strchr(t, '.')) != NULL && dot != t)
		*dot = '\0';
	return t;
}

/* The first heading that is no marker, as the title; false if none. */
static bool
heading_title(struct ovw_builder *b)
{
	const struct note	*n = b->n;
	char			*t;
	bool			 found;
	int			 i;

	for (i = 0; i < n->nblocks; i++) {
		if (n->blocks[i].kind != NB_HEADING)
			continue;
		t = ovw_heading_text(n->blocks[i].text);
		found = title_like(t);
		free(t);
		if (found) {
			b->o->title = ovw_clean_text(n->blocks[i].text);
			b->title_block = i;
			return true;
		}
	}
	return false;
}

/*
 * The first line as the title, when it is a plain line or a one-item list
 * (as in "2. Memory model"); false if it is not.
 */
static bool
first_line_title(struct ovw_builder *b)
{
	const struct note	*n = b->n;
	const struct note_block	*first;
	char			*t;

	if (n->nblocks == 0)
		return false;
	first = &n->blocks[0];
	if (first->kind != NB_PARAGRAPH && (first->kind != NB_ITEM ||
	    (n->nblocks > 1 && n->blocks[1].kind == NB_ITEM)))
		return false;
	t = raw_title(n, first->start_line);
	if (!title_like(t)) {
		free(t);
		return false;
	}
	b->o->title = t;
	b->title_line = first->start_line;
	return true;
}

/* The title: a heading, else the first line, else the file name. */
static void
find_title(struct ovw_builder *b)
{
	b->title_block = -1;
	if (!heading_title(b) && !first_line_title(b))
		b->o->title = path_title(b->o->path);
}

/* --- reading the blocks -------------------------------------------------- */

static void
read_blocks(struct ovw_builder *b)
{
	const struct note_block	*blk;
	int			 i;

	for (i = 0; i < b->n->nblocks; i++) {
		if (i % 256 == 0 && cancel_requested())
			return;
		blk = &b->n->blocks[i];
		switch (blk->kind) {
		case NB_HEADING:
			ovw_read_heading(b, blk, i);
			break;
		case NB_PARAGRAPH:
		case NB_QUOTE:
			ovw_read_paragraph(b, blk);
			break;
		case NB_ITEM:
			ovw_read_item(b, blk);
			break;
		default:
			break;
		}
	}
}

/*
 * The topics: those a marker names ("Write about:", "## Topics"), else
 * the headings when bullets stand under them and under nothing else, else
 * the bullets.
 */
static struct topic_list *
pick_topics(struct ovw_builder *b)
{
	if (b->marked.n > 0)
		return &b->marked;
	if (b->head_lists > 0 && !b->loose)
		return &b->headed;
	return &b->unmarked;
}

static void
take_topics(struct overview *o, struct topic_list *l)
{
	o->topics = l->v;
	o->ntopics = l->n;
	memset(l, 0, sizeof *l);
}

/* --- public -------------------------------------------------------------- */

/* Read the overview out of its parsed text; n is freed. */
static enum rn_status
from_note(struct note *n, struct overview **out, char *err, size_t errlen)
{
	struct ovw_builder	 b;
	struct overview		*o;

	o = xcalloc(1, sizeof *o);
	o->path = xstrdup(n->path);
	o->src = xstrdup(n->src);
	memset(&b, 0, sizeof b);
	b.o = o;
	b.n = n;
	b.cur_topic = -1;
	b.head_topic = -1;
	b.last_head = -1;
	find_title(&b);
	read_blocks(&b);
	take_topics(o, pick_topics(&b));
	ovw_topic_list_free(&b.marked);
	ovw_topic_list_free(&b.unmarked);
	ovw_topic_list_free(&b.headed);
	note_free(n);
	if (cancel_requested()) {
		ovw_free(o);
		return rn_fail(err, errlen, RN_ECANCEL, "interrupted");
	}
	if (o->ntopics == 0 && o->nrules == 0) {
		rn_fail(err, errlen, RN_EINPUT, "%s: no topics found "
		    "(expected a bulleted list)", o->path);
		ovw_free(o);
		return RN_EINPUT;
	}
	*out = o;
	return RN_OK;
}

enum rn_status
ovw_parse(const char *name, const char *data, size_t len,
    struct overview **out, char *err, size_t errlen)
{
	struct note	*n;
	int		 rc;

	*out = NULL;
	if ((rc = note_parse(name, data, len, &n, err, errlen)) != RN_OK)
		return rc;
	return from_note(n, out, err, errlen);
}

/* An overview is read with the same checks and limits as a note. */
enum rn_status
ovw_load(const char *path, struct overview **out, char *err, size_t errlen)
{
	struct note	*n;
	int		 rc;

	*out = NULL;
	if ((rc = note_load(path, &n, err, errlen)) != RN_OK)
		return rc;
	return from_note(n, out, err, errlen);
}

void
ovw_free(struct overview *o)
{
	int	i;

	if (o == NULL)
		return;
	for (i = 0; i < o->ntopics; i++)
		ovw_topic_free(&o->topics[i]);
	for (i = 0; i < o->nrules; i++) {
		free(o->rules[i].text);
		ovw_strv_free(o->rules[i].terms, o->rules[i].nterms);
	}
	free(o->topics);
	free(o->rules);
	free(o->purpose);
	free(o->title);
	free(o->src);
	free(o->path);
	free(o);
}
