/*
 * ask.c - the request for a question to the tutor, and the answer given
 * without an LLM.
 *
 * A conversation is sent back whole with each follow-up (the last
 * ASK_MAX_TURNS turns), written into the user message by the template, so
 * every provider sees the same request and users can reword it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/ask.h"
#include "rustnote/buf.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/prompt.h"
#include "rustnote/rules.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

void
ask_thread_init(struct ask_thread *t)
{
	memset(t, 0, sizeof(*t));
}

void
ask_thread_free(struct ask_thread *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->turns[i].question);
		free(t->turns[i].answer);
	}
	free(t->turns);
	ask_thread_init(t);
}

void
ask_thread_add(struct ask_thread *t, const char *question, const char *answer)
{
	struct ask_turn *turn;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->turns = xreallocarray(t->turns, t->cap, sizeof(*t->turns));
	}
	turn = &t->turns[t->n++];
	turn->question = san_str(question, SAN_SQUEEZE, ASK_MAX_QUESTION);
	turn->answer = san_str(answer, SAN_NEWLINE | SAN_TAB, ASK_MAX_ANSWER);
}

static bool
covers(const struct finding *f, int line)
{
	if (line == 0)
		return f->line == 0;
	return f->line > 0 && f->line <= line &&
	    line <= (f->end_line > f->line ? f->end_line : f->line);
}

size_t
ask_subject_at(const struct finding_list *l, int line, struct ask_subject *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->line = line;
	s->findings = xcalloc(l->n + 1, sizeof(*s->findings));
	for (i = 0; i < l->n; i++) {
		if (covers(&l->v[i], line) && l->v[i].state != FST_RESOLVED &&
		    l->v[i].state != FST_FIXED)
			s->findings[s->nfindings++] = &l->v[i];
	}
	return s->nfindings;
}

void
ask_subject_free(struct ask_subject *s)
{
	free(s->findings);
	memset(s, 0, sizeof(*s));
}

/* One finding as the prompt and the offline answer show it. */
static void
describe_finding(struct buf *b, const struct finding *f)
{
	buf_printf(b, "- %s (%s severity)", finding_kind_name(f->kind),
	    finding_severity_name(f->severity));
	if (f->line > 0)
		buf_printf(b, ", line %d", f->line);
	buf_adds(b, "\n");
	if (f->quote[0] != '\0')
		buf_printf(b, "  quote: %s\n", f->quote);
	if (f->topic[0] != '\0')
		buf_printf(b, "  topic: %s\n", f->topic);
	buf_printf(b, "  message: %s\n", f->message);
	if (f->suggestion[0] != '\0')
		buf_printf(b, "  suggestion: %s\n", f->suggestion);
}

static char *
findings_text(const struct note *n, const struct ask_subject *s)
{
	struct buf b;
	const char *text;
	size_t i, len;

	buf_init(&b, 0);
	if (s->line > 0 && (text = note_line(n, s->line, &len)) != NULL)
		buf_printf(&b, "The line: %.*s\n\n", (int)len, text);
	if (s->nfindings == 0)
		buf_adds(&b, "The review raised no finding here; the learner "
		    "asks about the line itself.\n");
	else
		buf_adds(&b, s->nfindings == 1 ? "The finding:\n" :
		    "The findings:\n");
	for (i = 0; i < s->nfindings; i++)
		describe_finding(&b, s->findings[i]);
	return buf_steal(&b);
}

static char *
conversation_text(const struct ask_thread *t)
{
	struct buf b;
	size_t i = t->n > ASK_MAX_TURNS ? t->n - ASK_MAX_TURNS : 0;

	buf_init(&b, 0);
	if (t->n == 0)
		return buf_steal(&b);
	buf_adds(&b, "# The conversation so far\n\n");
	for (; i < t->n; i++)
		buf_printf(&b, "Learner: %s\n\nTutor: %s\n\n",
		    t->turns[i].question, t->turns[i].answer);
	return buf_steal(&b);
}

enum rn_status
ask_prompt(const struct note *n, const struct overview *o,
    const struct ask_subject *s, const struct ask_thread *t,
    const char *question, struct prompt *out, char *err, size_t errlen)
{
	static const char *const names[] = { "overview", "note", "note_name",
	    "overview_name", "line", "findings", "conversation", "question" };
	const char *values[8];
	char *sys = NULL, *user = NULL, *numbered, *found, *conv, *q, line[16];
	enum rn_status rc;

	memset(out, 0, sizeof(*out));
	out->template_hash = FNV64_INIT;
	rc = prompt_load("ask.md", &sys, &out->template_hash, err, errlen);
	if (rc == RN_OK)
		rc = prompt_load("ask-user.md", &user, &out->template_hash,
		    err, errlen);
	if (rc != RN_OK)
		goto out;
	numbered = prompt_number_lines(n);
	found = findings_text(n, s);
	conv = conversation_text(t);
	q = san_str(question, SAN_SQUEEZE, ASK_MAX_QUESTION);
	snprintf(line, sizeof(line), "%d", s->line);
	values[0] = o->src;
	values[1] = numbered;
	values[2] = util_base_name(n->path);
	values[3] = util_base_name(o->path);
	values[4] = line;
	values[5] = found;
	values[6] = conv;
	values[7] = q;
	out->system = prompt_expand(sys, names, values, 8);
	out->user = prompt_expand(user, names, values, 8);
	free(numbered);
	free(found);
	free(conv);
	free(q);
out:
	free(sys);
	free(user);
	return rc;
}

/* Where the finding's rule comes from, and what to read about it. */
static void
rule_references(struct buf *b, const struct rule *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->nsee > 0)
		buf_adds(b, "\nRead more:\n");
	for (i = 0; i < r->nsee; i++)
		buf_printf(b, "- %s\n", r->see[i]);
	buf_printf(b, "\nRule %s (%s:%d).\n", r->id, r->file, r->line);
}

static const struct rule *
rule_by_id(const struct rule_set *rules, const char *id)
{
	size_t i;

	if (rules == NULL || id == NULL)
		return NULL;
	for (i = 0; i < rules->nrules; i++) {
		if (strcmp(rules->rules[i].id, id) == 0)
			return &rules->rules[i];
	}
	return NULL;
}

char *
ask_offline_answer(const struct note *n, const struct ask_subject *s,
    const struct rule_set *rules)
{
	struct buf b;
	const struct finding *f;
	const struct rule *r;
	size_t i;

	const char *text;
	size_t len;

	buf_init(&b, 0);
	if (s->line > 0 && (text = note_line(n, s->line, &len)) != NULL)
		buf_printf(&b, "Line %d: %.*s\n\n", s->line, (int)len, text);
	if (s->nfindings == 0) {
		buf_printf(&b, "The offline checks raised nothing on %s%d.\n",
		    s->line > 0 ? "line " : "", s->line);
		return buf_steal(&b);
	}
	for (i = 0; i < s->nfindings; i++) {
		f = s->findings[i];
		if (i > 0)
			buf_adds(&b, "\n");
		buf_printf(&b, "%s%s", f->topic[0] ? f->topic : "",
		    f->topic[0] ? "\n\n" : "");
		buf_printf(&b, "%s\n", f->message);
		if (f->suggestion[0] != '\0')
			buf_printf(&b, "\nWhat to write: %s\n", f->suggestion);
		r = rule_by_id(rules, f->rule_id);
		rule_references(&b, r);
	}
	return buf_steal(&b);
}
