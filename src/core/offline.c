/*
 * offline.c - the review that needs no API key.
 *
 * Four checks, each tuned to be precise rather than eager: this is what a
 * newcomer sees first, and one finding on a correct line teaches them to
 * ignore every other one.
 *
 *   coverage   every overview topic and sub-point appears in the note,
 *              compared on word stems so that wording may differ;
 *   scope      the terms the overview rules out, as words and as Rust
 *              syntax (rules/scope.rules), one finding per line;
 *   structure  empty sections, sentences and lists that stop mid-way,
 *              headings written twice;
 *   rules      known misconceptions (the other rule files), per sentence.
 *
 * This file runs them in turn and keeps the findings; offline_int.h lists
 * the file of each check.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/cancel.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "offline_int.h"

bool
offline_list_full(const struct offline *c)
{
	return c->out->n >= FINDING_MAX_COUNT;
}

void
offline_emit(struct offline *c, struct finding *f)
{
	f->source = FSRC_OFFLINE;
	f->state = FST_NONE;
	if (f->end_line < f->line)
		f->end_line = f->line;
	if (f->quote == NULL)
		f->quote = xstrdup("");
	finding_clean(f);	/* note text may hold escape sequences */
	flist_push(c->out, f);
}

char *
offline_dup_or_empty(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

const char *
offline_section_title(const struct offline *c, int line)
{
	int	s = note_section_at(c->n, line);

	return s >= 0 ? c->n->sections[s].title : "";
}

/*
 * All prose goes into one text and all code into another, so that each
 * pattern scans the note once instead of once per paragraph.
 */
static void
gather_text(struct offline *c)
{
	const struct note_block	*b;
	size_t			 before;
	int			 i;

	/* a paragraph per prose block, at most one per line of comments */
	c->tblock = xcalloc((size_t)c->n->nblocks + c->n->nlines + 1,
	    sizeof *c->tblock);
	for (i = 0; i < c->n->nblocks; i++) {
		b = &c->n->blocks[i];
		if (b->kind == NB_CODE) {
			source_add_code(c, b);
			source_add_comments(c, b, i);
		} else if (source_is_prose(b)) {
			/* a table gives a paragraph per row */
			for (before = c->t.nblocks, source_add_prose(c, b);
			    before < c->t.nblocks; before++)
				c->tblock[before] = i;
		}
	}
	rule_text_split(&c->t);		/* code is searched by line */
}

/*
 * Is the note's prose English?  Any English text is about a third stop
 * words; a note with far fewer is in another language, and the checks
 * that read words would only report false gaps.  Say so once; the checks
 * of Rust syntax still run.
 */
#define LANG_MIN_WORDS	30	/* fewer: too short to tell */
#define LANG_MIN_SHARE	0.12	/* of ENGLISH words, below: not English */

static bool
reads_english(struct offline *c)
{
	struct finding	f;
	size_t		words, english;

	english = rule_text_words(c->rs, &c->t, "ENGLISH", &words);
	if (c->rs == NULL || words < LANG_MIN_WORDS ||
	    (double)english >= LANG_MIN_SHARE * (double)words)
		return true;
	memset(&f, 0, sizeof f);
	f.kind = FK_GAP;
	f.severity = FS_LOW;
	f.topic = xstrdup("Language");
	f.rule_id = xstrdup("offline-language");
	f.message = xstrdup("This note is mostly not in English. The offline "
	    "checks read English, so coverage and the word-based checks were "
	    "skipped; the checks of Rust syntax still ran.");
	f.suggestion = xstrdup("Review it with an LLM provider, which reads "
	    "any language, or write the note in English.");
	offline_emit(c, &f);
	return false;
}

static void
offline_free(struct offline *c)
{
	coverage_free(c);
	scope_free(c);
	stems_lexicon_free(&c->lx);
	free(c->rule_line);
	free(c->tblock);
	rule_text_free(&c->t);
	rule_text_free(&c->code);
}

/* The warning for rules skipped at a pattern limit, or "". */
static void
skipped_warning(const struct offline *c, char *warn, size_t warnlen)
{
	size_t	limits = c->t.limit_hits + c->code.limit_hits;

	if (warn == NULL || warnlen == 0)
		return;
	warn[0] = '\0';
	if (c->nskipped == 1)
		snprintf(warn, warnlen, "rule %s skipped: its pattern hit the "
		    "match limit on this note", c->skipped_id);
	else if (c->nskipped > 1)
		snprintf(warn, warnlen, "%zu rules skipped (%s, ...): their "
		    "patterns hit the match limit on this note", c->nskipped,
		    c->skipped_id);
	else if (limits > 0)
		snprintf(warn, warnlen, "a scope pattern hit the match limit "
		    "on this note: some terms may not be reported");
}

/*
 * The checks in turn, asking between them whether to stop.  A note not in
 * English gets the checks that read no words: Rust syntax out of scope,
 * structure.
 */
static void *
coverage_thread(void *arg)
{
	coverage_prepare(arg);
	return NULL;
}

/*
 * The prose is read for its meaning (reads_english() does the first
 * reading) while the coverage check gathers each paragraph's stems: the
 * two share nothing but the note, which neither changes.  For a note of
 * a few pages one thread does both, as a thread costs more than it saves.
 */
#define SPLIT_MIN_PROSE	(32 * 1024)

static void
read_and_prepare(struct offline *c)
{
	pthread_t	second;
	bool		two;

	two = c->t.text.len >= SPLIT_MIN_PROSE &&
	    pthread_create(&second, NULL, coverage_thread, c) == 0;
	c->english = reads_english(c);
	if (two)
		pthread_join(second, NULL);
	else
		coverage_prepare(c);
}

static void
run_checks(struct offline *c)
{
	gather_text(c);
	read_and_prepare(c);
	if (c->o != NULL && !cancel_requested()) {
		if (c->english)
			coverage_check(c);
		scope_prepare(c);
	}
	if (cancel_requested())
		return;
	scope_find(c, false);
	scope_find(c, true);
	if (c->rs != NULL && c->english && !cancel_requested())
		misconceptions_run(c);
	if (cancel_requested())
		return;
	scope_report(c);
	structure_check(c);
}

void
offline_review(const struct note *n, const struct overview *o,
    const struct rule_set *rs, struct finding_list *out)
{
	(void)offline_run(n, o, rs, out, NULL, 0);
}

int
offline_run(const struct note *n, const struct overview *o,
    const struct rule_set *rs, struct finding_list *out, char *warn,
    size_t warnlen)
{
	struct offline	c;

	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	if (n == NULL || out == NULL)
		return RN_OK;
	memset(&c, 0, sizeof c);
	c.n = n;
	c.o = o;
	c.rs = rs;
	c.out = out;
	rule_text_init(&c.t);
	rule_text_init(&c.code);
	stems_lexicon_init(&c.lx, rs);
	run_checks(&c);
	skipped_warning(&c, warn, warnlen);
	offline_free(&c);
	return cancel_requested() ? RN_ECANCEL : RN_OK;
}
