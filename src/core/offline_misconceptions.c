/*
 * offline_misconceptions.c - known misconceptions: each rule of the rule
 * files (a block with an "id:") run over the note's prose, at most one
 * finding per line and rule, and one per line and topic: two rules that
 * catch one claim in other words say it once.  A rule looks at headings
 * only when it says so.
 */
#include <string.h>

#include "rustnote/cancel.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "offline_int.h"

/* Has an earlier rule of this topic reported line already? */
static bool
topic_reported(const struct offline *c, const struct rule *r, int line)
{
	const struct finding	*f;
	size_t			 i;

	if (r->topic == NULL)
		return false;
	for (i = 0; i < c->out->n; i++) {
		f = &c->out->v[i];
		if (f->line == line && f->kind == r->kind && f->topic != NULL &&
		    strcmp(f->topic, r->topic) == 0)
			return true;
	}
	return false;
}

static void
on_rule_hit(void *ud, const struct rule_hit *h)
{
	struct offline		*c = ud;
	const struct rule	*r = &c->rs->rules[c->cur];
	const size_t		*src = c->t.src;
	struct finding		 f;
	size_t			 ms = src[h->match.start];
	size_t			 me = src[h->match.end - 1] + 1;
	int			 line = source_line_of(c->n, ms);
	size_t			 tb = rule_text_block_at(&c->t, h->unit.start);

	if (!r->headings && tb < c->t.nblocks &&
	    c->n->blocks[c->tblock[tb]].kind == NB_HEADING)
		return;
	if (c->rule_line[c->cur] == line || offline_list_full(c) ||
	    topic_reported(c, r, line))
		return;			/* one finding per line and rule */
	c->rule_line[c->cur] = line;
	memset(&f, 0, sizeof f);
	f.kind = r->kind;
	f.severity = r->severity;
	f.line = line;
	f.end_line = source_line_of(c->n, me - 1);
	f.quote = source_quote(c->n, src[h->unit.start],
	    src[h->unit.end - 1] + 1, ms, me);
	f.topic = offline_dup_or_empty(r->topic != NULL ? r->topic :
	    offline_section_title(c, line));
	f.message = offline_dup_or_empty(r->message);
	f.suggestion = offline_dup_or_empty(r->suggestion);
	f.rule_id = xstrdup(r->id);
	offline_emit(c, &f);
}

/*
 * A rule whose pattern hit PCRE2's match or depth limit is skipped: its
 * findings of this note are dropped (they may be incomplete) and a
 * warning names it.
 */
static void
skip_rule(struct offline *c, size_t first_finding)
{
	while (c->out->n > first_finding)
		finding_free(&c->out->v[--c->out->n]);
	if (c->nskipped++ == 0)
		c->skipped_id = c->rs->rules[c->cur].id;
}

void
misconceptions_run(struct offline *c)
{
	size_t	i, before, limits;

	c->rule_line = xcalloc(c->rs->nrules + 1, sizeof *c->rule_line);
	for (i = 0; i < c->rs->nrules; i++)
		c->rule_line[i] = -1;
	for (c->cur = 0; c->cur < c->rs->nrules; c->cur++) {
		if (cancel_requested())
			return;
		before = c->out->n;
		limits = c->t.limit_hits;
		rule_run(c->rs, &c->rs->rules[c->cur], &c->t, on_rule_hit, c);
		if (c->t.limit_hits != limits)
			skip_rule(c, before);
	}
}
