/*
 * conv.c - conversations with the tutor in the review screen.
 *
 * `a` on a finding opens a prompt line; Enter sends the question with the
 * earlier turns about that finding (ask.h), and the answer streams into
 * the detail pane under the finding.  Each finding keeps its own
 * conversation for the session, found again by finding_same() after a
 * re-review.  One question is in flight at a time; Esc cancels it, and
 * Esc again closes the conversation.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/ask.h"
#include "rustnote/config.h"
#include "rustnote/history.h"
#include "rustnote/layout.h"
#include "rustnote/mdrows.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define CONV_MAX 200		/* conversations kept in one session */

struct tui_conv {
	struct finding key;	/* the finding asked about (a copy) */
	struct ask_thread thread;	/* finished turns */
	char *question;		/* in flight, or NULL */
	struct buf answer;	/* in flight: the answer so far */
	char *error;		/* why the last question got no answer */
	bool open;		/* shown under the finding */
};

static struct tui_conv *
conv_find(const struct tui *t, const struct finding *f)
{
	size_t i;

	if (f == NULL)
		return NULL;
	for (i = 0; i < t->nconvs; i++)
		if (finding_same(&t->convs[i]->key, f))
			return t->convs[i];
	return NULL;
}

static char *
error_clear(struct tui_conv *c)
{
	char *e = c->error;

	c->error = NULL;
	return e;
}

bool
conv_is_open(const struct tui *t, const struct finding *f)
{
	const struct tui_conv *c = conv_find(t, f);

	return c != NULL && c->open;
}

static struct tui_conv *
conv_add(struct tui *t, const struct finding *f)
{
	struct tui_conv *c;

	if (t->nconvs == CONV_MAX)
		return NULL;
	if (t->nconvs == t->convs_cap) {
		t->convs_cap = t->convs_cap ? t->convs_cap * 2 : 8;
		t->convs = xreallocarray(t->convs, t->convs_cap,
		    sizeof(*t->convs));
	}
	c = xcalloc(1, sizeof(*c));
	finding_copy(&c->key, f);
	ask_thread_init(&c->thread);
	buf_init(&c->answer, 0);
	t->convs[t->nconvs++] = c;
	return c;
}

static void
conv_free(struct tui_conv *c)
{
	finding_free(&c->key);
	ask_thread_free(&c->thread);
	free(c->question);
	buf_free(&c->answer);
	free(c->error);
	free(c);
}

void
conv_free_all(struct tui *t)
{
	char err[RN_ERRLEN];
	size_t i;

	if (t->ask_job != NULL) {
		askjob_cancel(t->ask_job);
		askjob_finish(t->ask_job, err, sizeof(err));
		t->ask_job = NULL;
	}
	for (i = 0; i < t->nconvs; i++)
		conv_free(t->convs[i]);
	free(t->convs);
	t->convs = NULL;
	t->nconvs = t->convs_cap = 0;
	free(t->ask_notice);
	t->ask_notice = NULL;
}

bool
conv_streaming(const struct tui *t)
{
	return t->ask_job != NULL;
}

void
conv_begin(struct tui *t)
{
	const struct finding *f = model_selected(t);

	if (f == NULL) {
		tui_message(t, true, "No finding selected: select one to ask "
		    "about it.");
		return;
	}
	if (t->ask_job != NULL) {
		tui_message(t, true, "An answer is on its way; Esc cancels it.");
		return;
	}
	t->mode = MODE_ASK;
	buf_reset(&t->input);
	buf_add(&t->input, "", 0);
	curs_set(1);
}

/* No LLM: the finding explained from what its rule carries. */
static void
answer_offline(struct tui *t, struct tui_conv *c, const struct ask_subject *s,
    const char *question)
{
	char *text = ask_offline_answer(t->note, s, t->opts->rules);
	char *full = xasprintf("%s\n\n*For an answer from a tutor, set "
	    "ANTHROPIC_API_KEY or OPENAI_API_KEY, or use -p ollama (see "
	    "README).*", text);

	ask_thread_add(&c->thread, question, full);
	free(error_clear(c));
	c->open = true;
	t->show_last_turn = true;
	t->dirty = true;
	free(full);
	free(text);
}

static void
conv_send(struct tui *t, const char *question)
{
	const struct finding *f = model_selected(t);
	struct tui_conv *c = conv_find(t, f);
	struct ask_subject s = { 0 };
	const struct finding *one[1];
	struct prompt p;
	char err[RN_ERRLEN];

	if (f == NULL)
		return;
	if (c == NULL && (c = conv_add(t, f)) == NULL) {
		tui_message(t, true, "Too many conversations in this session.");
		return;
	}
	one[0] = f;
	s.line = f->line;
	s.findings = one;
	s.nfindings = 1;
	if (t->opts->cfg->backend == CFG_OFFLINE) {
		answer_offline(t, c, &s, question);
		return;
	}
	if (ask_prompt(t->note, t->ovw, &s, &c->thread, question, &p, err,
	    sizeof(err)) != RN_OK) {
		tui_message(t, true, "%s", err);
		return;
	}
	t->ask_job = askjob_start(t->opts, &p, err, sizeof(err));
	if (t->ask_job == NULL) {
		prompt_free(&p);
		tui_message(t, true, "%s", err);
		return;
	}
	free(error_clear(c));
	free(c->question);
	c->question = xstrdup(question);
	buf_reset(&c->answer);
	c->open = true;
	t->ask_conv = c;
	t->show_last_turn = true;
	t->dirty = true;
}

static void
conv_end_input(struct tui *t)
{
	t->mode = MODE_NORMAL;
	curs_set(0);
	t->dirty = true;
}

void
conv_key(struct tui *t, int code, bool fn)
{
	char *q;

	switch (input_key(&t->input, code, fn, ASK_MAX_QUESTION)) {
	case INPUT_CANCEL:
		conv_end_input(t);
		break;
	case INPUT_SUBMIT:
		conv_end_input(t);
		q = str_trim(xstrdup(buf_str(&t->input)));
		if (q[0] != '\0')
			conv_send(t, q);
		free(q);
		break;
	default:
		t->dirty = true;
		break;
	}
}

/* Keep the question and its answer with the note's history. */
static void
record(struct tui *t, const struct tui_conv *c)
{
	struct hist_question_in in = { 0 };
	char err[RN_ERRLEN];

	if (t->hist == NULL)
		return;
	in.note_key = t->hist_key;
	in.line = c->key.line;
	in.finding = &c->key;
	in.question = c->question;
	in.answer = buf_str(&c->answer);
	in.provider = t->opts->cfg->provider_name;
	in.model = t->opts->cfg->model;
	if (hist_add_question(t->hist, &in, err, sizeof(err)) != RN_OK)
		tui_message(t, true, "history: %s", err);
}

/* The loop was woken: take the answer text that came. */
void
conv_pump(struct tui *t)
{
	struct tui_conv *c = t->ask_conv;
	char err[RN_ERRLEN];
	int rc;

	if (t->ask_job == NULL)
		return;
	if (!askjob_poll(t->ask_job, &c->answer, &t->ask_notice)) {
		t->dirty = true;
		return;
	}
	rc = askjob_finish(t->ask_job, err, sizeof(err));
	t->ask_job = NULL;
	if (rc == RN_OK) {
		ask_thread_add(&c->thread, c->question, buf_str(&c->answer));
		record(t, c);
	} else
		c->error = xstrdup(rc == RN_ECANCEL ? "Cancelled." : err);
	free(c->question);
	c->question = NULL;
	buf_reset(&c->answer);
	free(t->ask_notice);
	t->ask_notice = NULL;
	t->dirty = true;
}

/*
 * Esc: cancel the answer on its way, else close the selected finding's
 * conversation.  Returns false when there was neither.
 */
bool
conv_escape(struct tui *t)
{
	struct tui_conv *c = conv_find(t, model_selected(t));

	if (t->ask_job != NULL) {
		askjob_cancel(t->ask_job);
		tui_message(t, false, "Cancelling the answer.");
		return true;
	}
	if (c != NULL && c->open) {
		c->open = false;
		t->dirty = true;
		return true;
	}
	return false;
}

/* --- rows under the finding ---------------------------------------------- */

static void
add_line(struct conv_lines *l, const char *text, size_t len,
    const unsigned char *style, int role, int indent)
{
	struct conv_line *c;
	size_t i;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	c = &l->v[l->n++];
	c->text = xstrndup(text, len);
	c->role = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		c->role[i] = style != NULL ? (unsigned char)style[i] :
		    (unsigned char)role;
	c->len = len;
	c->indent = indent;
}

/* Plain text (already clean) word-wrapped in one role. */
static void
add_wrapped(struct conv_lines *l, const char *s, int role, int cols)
{
	struct lay_lines w = { 0 };
	char *p = layout_printable(s, strlen(s), true);
	size_t k;

	layout_wrap(p, strlen(p), cols, &w);
	for (k = 0; k < w.n; k++)
		add_line(l, p + w.v[k].off, w.v[k].len, NULL, role, 0);
	layout_lines_free(&w);
	free(p);
}

static int
mdr_role(unsigned char style)
{
	static const int roles[] = { R_NORMAL, R_STRONG, R_EMPH, R_CODE,
	    R_CODE, R_HEADING, R_FADED };

	return style < sizeof(roles) / sizeof(roles[0]) ? roles[style] :
	    R_NORMAL;
}

static void
add_answer(struct conv_lines *l, const char *md, int cols)
{
	struct mdr_doc d;
	struct buf text, role;
	size_t i, k;

	mdr_layout(md, strlen(md), cols, &d);
	buf_init(&text, 0);
	buf_init(&role, 0);
	for (i = 0; i < d.nrows; i++) {
		const struct mdr_row *r = &d.rows[i];
		const struct mdr_block *b;

		if (r->block == MDR_NO_BLOCK) {
			add_line(l, "", 0, NULL, R_NORMAL, 0);
			continue;
		}
		b = &d.blocks[r->block];
		buf_reset(&text);
		buf_reset(&role);
		if (b->bullet != 0)
			buf_adds(&text, r->first ? "\xE2\x80\xA2 " : "  ");
		while (role.len < text.len)
			buf_addc(&role, (char)R_LIST);
		buf_add(&text, b->text + r->off, r->len);
		for (k = 0; k < r->len; k++)
			buf_addc(&role, (char)mdr_role(b->style[r->off + k]));
		add_line(l, text.data, text.len,
		    (const unsigned char *)role.data, 0, b->indent);
	}
	buf_free(&text);
	buf_free(&role);
	mdr_free(&d);
}

static void
add_turn(struct conv_lines *l, const char *q, const char *a, int cols)
{
	char *ask = xasprintf("You asked: %s", q);

	add_line(l, "", 0, NULL, R_NORMAL, 0);
	l->last_turn = l->n;
	add_wrapped(l, ask, R_STRONG, cols);
	free(ask);
	if (a != NULL && a[0] != '\0') {
		add_line(l, "", 0, NULL, R_NORMAL, 0);
		add_answer(l, a, cols);
	}
}

void
conv_layout(const struct tui *t, const struct finding *f, int cols,
    struct conv_lines *out)
{
	const struct tui_conv *c = conv_find(t, f);
	size_t i;

	memset(out, 0, sizeof(*out));
	if (c == NULL || !c->open)
		return;
	for (i = 0; i < c->thread.n; i++)
		add_turn(out, c->thread.turns[i].question,
		    c->thread.turns[i].answer, cols);
	if (c->question != NULL) {
		add_turn(out, c->question, buf_str(&c->answer), cols);
		add_wrapped(out, c->answer.len == 0 ?
		    "Waiting for the tutor... (Esc cancels)" :
		    "... (Esc cancels)", R_FADED, cols);
	}
	if (c->error != NULL) {
		add_line(out, "", 0, NULL, R_NORMAL, 0);
		add_wrapped(out, c->error, R_ERROR, cols);
	}
	add_line(out, "", 0, NULL, R_NORMAL, 0);
	add_wrapped(out, c->question != NULL ? "" :
	    "a asks a follow-up question; Esc closes the conversation.",
	    R_FADED, cols);
}

void
conv_lines_free(struct conv_lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].role);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* One row: runs of one role drawn together. */
void
conv_draw_line(const struct conv_line *l, int y, int x, int cols)
{
	size_t i = 0, j;
	int used = l->indent < cols ? l->indent : cols;

	while (i < l->len && used < cols) {
		for (j = i + 1; j < l->len && l->role[j] == l->role[i]; j++)
			;
		used += draw_text(y, x + used, l->text + i, j - i,
		    cols - used, (enum tui_role)l->role[i]);
		i = j;
	}
}
