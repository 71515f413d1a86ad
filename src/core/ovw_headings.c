/*
 * ovw_headings.c - what a heading of the overview says about the bullets
 * under it: a marker ("## Topics", "## Out of scope", "## Purpose"), a
 * rule of its own, a topic whose bullets are its sub-points ("## Stack vs
 * heap" + "- frames"), a reading list or summary that holds no topics, or
 * an aside ("## Overview") whose bullets may still be the topics.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "ovw_int.h"

/* Headings whose bullets are no topics: reading lists, summaries, notes. */
static const char *const ignored_headings[] = {
	"resources", "further reading", "reading", "reading list", "links",
	"see also", "sources", "bibliography", "summary", "recap", "notes",
	"note", "constraints", "tips", "exercises", "questions", "quiz",
	"style", "format", "guidelines", "instructions", NULL
};

/* Last words that make a heading a reading list: "Useful links". */
static const char *const reading_words[] = {
	"resources", "reading", "links", NULL
};

/*
 * Headings that are no topic, though their bullets may be the topics
 * ("Goals" and "Objectives" are purpose headings already).
 */
static const char *const aside_headings[] = {
	"learning objectives", "learning goals", "learning outcomes",
	"outcomes", "overview", "introduction", "intro", "background",
	"context", "prerequisites", NULL
};

/* What a reading list entry has: a link, or the name of a source. */
static const char *const reading_marks[] = {
	"http://", "https://", "www.", "](", "book", "chapter", "docs",
	"documentation", "blog", "article", "video", "rfc", "by example",
	"nomicon", "tutorial", NULL
};

/* Strip the colon a heading or label may end with: "Out of scope:". */
char *
ovw_heading_text(const char *s)
{
	char	*t = ovw_clean_text(s);
	size_t	 len = strlen(t);

	if (len > 0 && t[len - 1] == ':')
		t[len - 1] = '\0';
	str_trim(t);
	return t;
}

/* A heading below "## Topics" is a topic; below "## Avoid", a rule. */
static bool
heading_in_list(struct ovw_builder *b, const struct note_block *blk,
    const char *text)
{
	if (b->mode_level == LINE_MARKER || blk->level <= b->mode_level)
		return false;
	if (b->mode == MODE_IGNORE)
		return true;		/* "### Books" under "## Resources" */
	if (b->mode == MODE_TOPICS && !ovw_rule_heading(text) &&
	    !ovw_topic_marker(text, true)) {
		b->cur_topic = ovw_add_topic(&b->marked, text,
		    blk->start_line);
		return true;
	}
	if (b->mode == MODE_RULES) {
		ovw_add_rule_item(b, text, blk->start_line);
		return true;
	}
	return false;
}

/* --- reading lists and asides -------------------------------------------- */

/* "1. Further reading:" -> "Further reading" (the caller frees it). */
static char *
heading_key(const char *text)
{
	char	*k = xstrdup(text);

	ovw_strip_enumerator(k);
	ovw_trim_punct(k);
	return k;
}

static bool
item_cites(const struct note *n, const struct note_block *blk)
{
	const char	*line;
	char		*raw;
	size_t		 len;
	int		 l, i;
	bool		 found = false;

	for (l = blk->start_line; l <= blk->end_line && !found; l++) {
		if ((line = note_line(n, l, &len)) == NULL)
			break;
		raw = xstrndup(line, len);
		for (i = 0; reading_marks[i] != NULL && !found; i++)
			found = str_icase_find(raw, reading_marks[i]) != NULL;
		free(raw);
	}
	return found;
}

/* "## References" is a reading list when a bullet under it cites one. */
static bool
reading_list_follows(const struct note *n, int idx)
{
	const struct note_block	*blk;
	int			 i;

	for (i = idx + 1; i < n->nblocks; i++) {
		blk = &n->blocks[i];
		if (blk->kind == NB_HEADING)
			break;
		if (blk->kind == NB_ITEM && item_cites(n, blk))
			return true;
	}
	return false;
}

static bool
in_list_icase(const char *s, const char *const *list)
{
	return text_list_index_icase(list, s, strlen(s)) >= 0;
}

static bool
ignored_heading(const struct note *n, const char *text, int idx)
{
	char	*k = heading_key(text);
	size_t	 w = ovw_last_word_start(k, strlen(k));
	bool	 ignored;

	ignored = in_list_icase(k, ignored_headings) ||
	    (text_count_words(k) <= 3 && in_list_icase(k + w, reading_words)) ||
	    (strcasecmp(k, "references") == 0 &&
	    reading_list_follows(n, idx));
	free(k);
	return ignored;
}

static bool
aside_heading(const char *text)
{
	char	*k = heading_key(text);
	bool	 aside = in_list_icase(k, aside_headings);

	free(k);
	return aside;
}

/* --- headings as topics -------------------------------------------------- */

/*
 * A heading that may be a topic, its bullets the sub-points: the outline
 * "## Stack vs heap" + "- frames".  Whether the headings or the bullets
 * are the topics is settled at the end (see pick_topics()).  A heading
 * over deeper ones, with no bullets of its own, only groups them.
 */
static void
open_heading_topic(struct ovw_builder *b, const char *text,
    const struct note_block *blk)
{
	struct topic_list	*l = &b->headed;

	if (b->last_head >= 0 && b->last_head == l->n - 1 &&
	    !b->last_head_list && blk->level > b->last_head_level)
		ovw_topic_free(&l->v[--l->n]);
	b->head_topic = ovw_add_topic(l, text, blk->start_line);
	b->last_head = b->head_topic;
	b->last_head_level = blk->level;
	b->last_head_list = false;
}

void
ovw_add_heading_subpoint(struct ovw_builder *b, const char *text)
{
	ovw_add_subpoint(&b->headed.v[b->head_topic], text);
	if (!b->last_head_list)
		b->head_lists++;
	b->last_head_list = true;
}

/* --- reading a heading --------------------------------------------------- */

/* "## Purpose" (the purpose follows) or "## Goal: x". */
static bool
purpose_heading(struct ovw_builder *b, const struct note_block *blk,
    const char *text)
{
	const char	*rest;

	if (!ovw_purpose_line(text, &rest))
		return false;
	ovw_set_mode(b, *rest ? MODE_NONE : MODE_PURPOSE, blk->level);
	if (*rest && b->o->purpose == NULL)
		b->o->purpose = xstrdup(rest);
	b->aside = true;
	return true;
}

/*
 * A heading that is a rule: "## Do not mention X" (its bullets are no
 * rules), or a bare "## Avoid" (they are).  A rule in a later clause cuts
 * the text to what comes before it, which is read on.
 */
static bool
rule_in_heading(struct ovw_builder *b, const struct note_block *blk,
    char *text)
{
	enum rule_found	found = ovw_take_rules(b, text, blk->start_line);

	if (found != RULE_ADDED && found != RULE_BARE)
		return false;
	ovw_set_mode(b, found == RULE_BARE ? MODE_RULES : MODE_NONE,
	    blk->level);
	return true;
}

/* Any other heading: a marker, a reading list, an aside or a topic. */
static void
plain_heading(struct ovw_builder *b, const struct note_block *blk,
    const char *text, int idx)
{
	if (*text == '\0')
		ovw_set_mode(b, MODE_NONE, blk->level);
	else if (ovw_rule_heading(text))
		ovw_set_mode(b, MODE_RULES, blk->level);
	else if (ovw_topic_marker(text, true))
		ovw_set_mode(b, MODE_TOPICS, blk->level);
	else if (ignored_heading(b->n, text, idx))
		ovw_set_mode(b, MODE_IGNORE, blk->level);
	else {
		ovw_set_mode(b, MODE_NONE, blk->level);
		if (aside_heading(text))
			b->aside = true;
		else
			open_heading_topic(b, text, blk);
	}
}

void
ovw_read_heading(struct ovw_builder *b, const struct note_block *blk,
    int idx)
{
	char	*text = ovw_heading_text(blk->text);

	b->head_topic = -1;
	b->aside = false;
	if (idx == b->title_block)
		ovw_set_mode(b, MODE_NONE, blk->level);
	else if (!heading_in_list(b, blk, text) &&
	    !purpose_heading(b, blk, text) && !rule_in_heading(b, blk, text))
		plain_heading(b, blk, text, idx);
	free(text);
}

/*
 * A heading that says what the text under it is (a marker, a rule, the
 * purpose, a reading list, an aside) rather than naming a subject.
 */
bool
ovw_heading_is_marker(const struct note *n, int idx)
{
	char		*text = ovw_heading_text(n->blocks[idx].text);
	const char	*rest;
	size_t		 off, len;
	bool		 marker;

	marker = *text == '\0' || ovw_purpose_line(text, &rest) ||
	    ovw_rule_match(text, &off, &len) || ovw_rule_heading(text) ||
	    ovw_topic_marker(text, true) || ignored_heading(n, text, idx) ||
	    aside_heading(text);
	free(text);
	return marker;
}
