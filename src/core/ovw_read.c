/*
 * ovw_read.c - paragraphs and list items of the overview.
 *
 * A paragraph is read line by line: a line may be the purpose, a marker
 * ("Write about:", "Out of scope:") or prose that states rules, sentence
 * by sentence, with a sentence wrapped by hand read whole.  A list item
 * is filed by the mode in force or, nested, by what its parent was filed
 * as: a topic takes sub-points, "Avoid:" takes rules.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/cancel.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"
#include "ovw_int.h"

/* --- paragraphs ---------------------------------------------------------- */

/*
 * The sentence a line of prose leaves open, read with the next line when
 * that goes on in lower case: text wrapped by hand.  Lines are appended
 * to it once and only the new part is searched for the sentence's end,
 * so a paragraph that never ends a sentence costs no more than its size;
 * past CARRY_MAX it is read as it stands and the next line starts anew.
 */
#define CARRY_MAX	4096

struct carry {
	struct buf	text;	/* the open sentence; empty when none */
	int		line;
};

/*
 * The next sentence of s[0..len) at *pos, as s[*start..*end): it ends
 * after ". ", "! ", "? " (not "e.g. ").  No sentence ends before from.
 */
static bool
next_sentence(const char *s, size_t len, size_t *pos, size_t from,
    size_t *start, size_t *end)
{
	static const char *const abbrev[] = { "e.g", "i.e", "eg", "etc", "vs",
	    "ie", NULL };
	size_t	i;
	int	k;
	bool	abbr;

	*start = *pos;
	if (*start >= len)
		return false;
	for (i = from > *start ? from : *start; i < len; i++) {
		if ((s[i] != '.' && s[i] != '!' && s[i] != '?') ||
		    s[i + 1] != ' ')
			continue;
		abbr = false;
		for (k = 0; abbrev[k] != NULL && !abbr; k++)
			abbr = ovw_ends_with_word(s + *start, i - *start,
			    abbrev[k]);
		if (!abbr)
			break;
	}
	if (i < len)
		i++;
	*end = i;
	while (i < len && s[i] == ' ')
		i++;
	*pos = i;
	return true;
}

/* The sentence s[0..len) ends the line: ".", "!", "?" or ":", maybe in
 * quotes. */
static bool
ends_sentence(const char *s, size_t len)
{
	while (len > 0 && strchr(" )\"'*_`", s[len - 1]) != NULL)
		len--;
	return len > 0 && strchr(".!?:", s[len - 1]) != NULL;
}

static bool
continues_sentence(const char *line)
{
	return *line >= 'a' && *line <= 'z';
}

static void
carry_flush(struct ovw_builder *b, struct carry *c)
{
	if (c->text.len > 0)
		ovw_try_rule(b, buf_str(&c->text), c->line);
	buf_reset(&c->text);
}

/* Try s[start..end) as a rule; true when it asks for a list to follow. */
static bool
try_sentence(struct ovw_builder *b, const char *s, size_t start, size_t end,
    int line)
{
	char	*sent = xstrndup(s + start, end - start);
	size_t	 len = end - start;
	bool	 bare;

	/* "Do not mention:" before a list */
	bare = ovw_try_rule(b, sent, line) == RULE_BARE && len > 0 &&
	    sent[len - 1] == ':';
	free(sent);
	return bare;
}

/*
 * Rules anywhere in a line, and in the sentence an earlier line left
 * open; true when one asks for a list to follow.  Unless last, the line's
 * own open sentence is left in c.
 */
static bool
scan_rules(struct ovw_builder *b, const char *line, int lineno,
    struct carry *c, bool last)
{
	size_t		 pos = 0, from = 0, start, end;
	const char	*text;
	int		 sent_line = lineno;
	bool		 any = false;

	if (c->text.len > 0 && c->text.len < CARRY_MAX &&
	    continues_sentence(line)) {
		/* the open sentence has no end inside it */
		from = c->text.len;
		sent_line = c->line;
		buf_addc(&c->text, ' ');
	} else
		carry_flush(b, c);
	buf_adds(&c->text, line);
	text = buf_str(&c->text);
	while (next_sentence(text, c->text.len, &pos, from, &start, &end)) {
		if (pos >= c->text.len && !last &&
		    !ends_sentence(text + start, end - start)) {
			buf_consume(&c->text, start);	/* left open */
			c->line = sent_line;
			return any;
		}
		if (try_sentence(b, text, start, end, sent_line))
			any = true;
		sent_line = lineno;
	}
	buf_reset(&c->text);
	return any;
}

static void
read_line(struct ovw_builder *b, const char *line, int lineno,
    struct carry *c, bool last)
{
	const char	*rest;

	if (lineno == b->title_line || *line == '\0')
		return;
	if (ovw_purpose_line(line, &rest)) {
		if (*rest == '\0')
			ovw_set_mode(b, MODE_PURPOSE, LINE_MARKER);
		else if (b->o->purpose == NULL)
			b->o->purpose = xstrdup(rest);
		return;
	}
	if (scan_rules(b, line, lineno, c, last) ||
	    ovw_rule_list_marker(line)) {
		ovw_set_mode(b, MODE_RULES, LINE_MARKER);
		return;
	}
	if ((rest = ovw_inline_topics(line)) != NULL)
		ovw_add_inline_topics(b, rest, lineno);
	else if (ovw_topic_marker(line, false))
		ovw_set_mode(b, MODE_TOPICS, LINE_MARKER);
}

void
ovw_read_paragraph(struct ovw_builder *b, const struct note_block *blk)
{
	struct carry	 c;
	char		*lines, *text, *p, *nl;
	int		 lineno = blk->start_line;

	if (b->mode == MODE_PURPOSE) {
		if (b->o->purpose == NULL)
			b->o->purpose = ovw_clean_text(blk->text);
		ovw_set_mode(b, MODE_NONE, b->mode_level);
		return;
	}
	/* A rule list announced by a line ends with the list: prose after
	   it is no longer part of what is out of scope. */
	if (b->mode == MODE_RULES && b->mode_level == LINE_MARKER)
		ovw_set_mode(b, MODE_NONE, LINE_MARKER);
	buf_init(&c.text, 0);
	c.line = 0;
	lines = xstrdup(blk->text);	/* one line at a time */
	for (p = lines;; p = nl + 1, lineno++) {
		if (lineno % 1024 == 0 && cancel_requested())
			break;
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		text = ovw_clean_text(p);
		read_line(b, text, lineno, &c, nl == NULL);
		free(text);
		if (nl == NULL)
			break;
	}
	carry_flush(b, &c);
	buf_free(&c.text);
	free(lines);
}

/* --- list items ---------------------------------------------------------- */

/*
 * The rules an item states, as ovw_take_rules(); true when that settles
 * it, with its role in *role.
 */
static bool
item_is_rule(struct ovw_builder *b, char *text, int line, enum role *role)
{
	enum rule_found	found = ovw_take_rules(b, text, line);

	*role = found == RULE_BARE ? ROLE_RULE_LIST : ROLE_NONE;
	return found == RULE_ADDED || found == RULE_BARE || *text == '\0';
}

/* An item in no marked list: a fallback topic, or a heading's sub-point. */
static enum role
add_unmarked_item(struct ovw_builder *b, const char *text, int line,
    int depth)
{
	if (b->head_topic >= 0 && depth == 1)
		ovw_add_heading_subpoint(b, text);
	else if (b->head_topic < 0 && !b->aside && b->mode == MODE_NONE)
		b->loose = true;
	b->role_topic[depth] = ovw_add_topic(&b->unmarked, text, line);
	return ROLE_UNMARKED;
}

/* An item that is a marker: "- Avoid:", "- Cover: a, b", "- Topics:". */
static bool
item_is_marker(struct ovw_builder *b, const char *text, int line,
    enum role *role)
{
	const char	*rest;

	*role = ROLE_NONE;
	if (ovw_rule_list_marker(text))
		*role = ROLE_RULE_LIST;
	else if ((rest = ovw_inline_topics(text)) != NULL)
		ovw_add_inline_topics(b, rest, line);
	else if (ovw_topic_marker(text, false))
		*role = ROLE_TOPIC_LIST;
	else
		return false;
	return true;
}

/*
 * An item on its own (top level, or under an item that is no topic).  A
 * rule in a later clause leaves the text before it (cut in place).
 */
static enum role
read_top_item(struct ovw_builder *b, char *text, int line, int depth)
{
	const char	*rest;
	enum role	 role;

	if (ovw_purpose_line(text, &rest)) {
		if (*rest != '\0' && b->o->purpose == NULL)
			b->o->purpose = xstrdup(rest);
		return ROLE_NONE;
	}
	if (item_is_rule(b, text, line, &role) ||
	    item_is_marker(b, text, line, &role))
		return role;
	if (b->mode == MODE_IGNORE)
		return ROLE_NONE;
	if (b->mode == MODE_RULES) {
		ovw_add_rule_item(b, text, line);
		return ROLE_NONE;
	}
	if (b->mode == MODE_TOPICS && b->cur_topic >= 0) {
		if (depth == 1)
			ovw_add_subpoint(&b->marked.v[b->cur_topic], text);
		return ROLE_NONE;
	}
	if (b->mode == MODE_TOPICS) {
		b->role_topic[depth] = ovw_add_topic(&b->marked, text, line);
		return ROLE_TOPIC;
	}
	return add_unmarked_item(b, text, line, depth);
}

/* An item nested under one whose role says where it goes. */
static enum role
read_nested_item(struct ovw_builder *b, char *text, int line, int depth)
{
	int		parent = b->role_topic[depth - 1];
	enum role	role;

	if (item_is_rule(b, text, line, &role))
		return role;
	switch (b->role[depth - 1]) {
	case ROLE_TOPIC:
		ovw_add_subpoint(&b->marked.v[parent], text);
		return ROLE_NONE;
	case ROLE_UNMARKED:
		ovw_add_subpoint(&b->unmarked.v[parent], text);
		return ROLE_NONE;
	case ROLE_RULE_LIST:
		ovw_add_rule_item(b, text, line);
		return ROLE_NONE;
	case ROLE_TOPIC_LIST:
		b->role_topic[depth] = ovw_add_topic(&b->marked, text, line);
		return ROLE_TOPIC;
	default:
		return ROLE_NONE;
	}
}

void
ovw_read_item(struct ovw_builder *b, const struct note_block *blk)
{
	int	depth = blk->level < 1 ? 1 : blk->level;
	char	*text;

	if (depth > MAX_DEPTH || blk->start_line == b->title_line)
		return;
	text = ovw_clean_text(blk->text);
	if (*text == '\0')
		b->role[depth] = ROLE_NONE;
	else if (depth == 1 || b->role[depth - 1] == ROLE_NONE)
		b->role[depth] = read_top_item(b, text, blk->start_line,
		    depth);
	else
		b->role[depth] = read_nested_item(b, text, blk->start_line,
		    depth);
	free(text);
}
