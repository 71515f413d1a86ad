/*
 * detail_pane.c - everything about the selected finding, word-wrapped to
 * the pane: message, quoted text, suggestion, topic, where it came from
 * and how it compares with the last review.  J and K scroll it.
 *
 * With nothing selected it shows the review's summary or what to do next.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/config.h"
#include "rustnote/layout.h"
#include "rustnote/util.h"
#include "tui_int.h"

/* A paragraph: an optional bold label, then text. */
struct para {
	const char *label;	/* "Quote: " or NULL */
	char *text;		/* printable, owned */
	enum tui_role role;
};

#define MAX_PARAS 10

struct detail {
	struct para p[MAX_PARAS];
	int n;
};

static void
add_para(struct detail *d, const char *label, const char *text,
    enum tui_role role)
{
	char *body;

	if (text == NULL || text[0] == '\0' || d->n == MAX_PARAS)
		return;
	body = xasprintf("%s%s", label != NULL ? label : "", text);
	d->p[d->n].label = label;
	d->p[d->n].text = layout_printable(body, strlen(body), true);
	d->p[d->n].role = role;
	d->n++;
	free(body);
}

static const char *
state_text(const struct finding *f)
{
	if (f->dismissed)
		return "Dismissed: d brings it back.";
	switch (f->state) {
	case FST_NEW:
		return "New: not in the previous review.";
	case FST_PERSIST:
		return "Also in the previous review.";
	case FST_RESOLVED:
		return "Resolved: the new review no longer reports it.";
	case FST_FIXED:
		return "Probably fixed: its quote is no longer in the note "
		    "(it was on the line shown). r reviews again.";
	default:
		return NULL;
	}
}

/* "offline rule scope-references", "openai gpt-4o-mini" */
static char *
source_text(const struct tui *t, const struct finding *f)
{
	const struct config *c = t->opts->cfg;

	if (f->source == FSRC_OFFLINE)
		return xasprintf("offline rule %s", f->rule_id != NULL ?
		    f->rule_id : "(unnamed)");
	if (f->source == FSRC_RUSTC)
		return xstrdup("rustc, compiling the code block");
	if (c->model != NULL)
		return xasprintf("%s %s", c->provider_name, c->model);
	return xasprintf("%s (default model)", c->provider_name);
}

static void
finding_paras(const struct tui *t, const struct finding *f,
    struct detail *d)
{
	char *quote = NULL, *src;

	add_para(d, NULL, state_text(f), R_STRONG);
	/* rustc's own words are shown as code, as a terminal shows them. */
	add_para(d, NULL, f->message, f->source == FSRC_RUSTC ? R_CODE :
	    R_NORMAL);
	if (f->quote != NULL && f->quote[0] != '\0')
		quote = xasprintf("\xE2\x80\x9C%s\xE2\x80\x9D", f->quote);
	add_para(d, "Quote: ", quote, R_CODE);
	add_para(d, "Suggestion: ", f->suggestion, R_NORMAL);
	add_para(d, "Topic: ", f->topic, R_NORMAL);
	src = source_text(t, f);
	add_para(d, "From: ", src, R_FADED);
	if (!conv_is_open(t, f))
		add_para(d, NULL, "a asks the tutor about this finding.",
		    R_FADED);
	free(src);
	free(quote);
}

static void
empty_paras(const struct tui *t, struct detail *d)
{
	if (t->summary != NULL && t->summary[0] != '\0')
		add_para(d, "Summary: ", t->summary, R_NORMAL);
	if (t->job != NULL)
		add_para(d, NULL, "The review is running; Esc cancels it.",
		    R_FADED);
	else if (t->state != NULL && !t->state_error && t->all.n == 0)
		add_para(d, NULL, "Nothing to report: the note covers the "
		    "overview as far as the checks can tell.", R_NORMAL);
	if (t->opts->cfg->auto_offline)
		add_para(d, NULL, "Offline checks only. For a deeper review "
		    "set ANTHROPIC_API_KEY or OPENAI_API_KEY, or use -p "
		    "ollama; see README.", R_FADED);
}

static char *
detail_title(const struct finding *f)
{
	const char *kind = finding_kind_name(f->kind);
	const char *sev = finding_severity_name(f->severity);

	if (f->line <= 0 && f->was_line > 0)
		return xasprintf("%s - %s - was line %d", kind, sev,
		    f->was_line);
	if (f->line <= 0)
		return xasprintf("%s - %s - whole note", kind, sev);
	if (f->end_line > f->line)
		return xasprintf("%s - %s - lines %d-%d", kind, sev, f->line,
		    f->end_line);
	return xasprintf("%s - %s - line %d", kind, sev, f->line);
}

/*
 * Wrap every paragraph, with a blank row between two; ends[i] is the
 * number of rows up to the end of paragraph i.
 */
static void
wrap_all(const struct detail *d, int cols, struct lay_lines *lines,
    size_t *ends)
{
	int i;

	for (i = 0; i < d->n; i++) {
		if (i > 0)
			layout_wrap("", 0, cols, lines);
		layout_wrap(d->p[i].text, strlen(d->p[i].text), cols, lines);
		ends[i] = lines->n;
	}
}

/* One wrapped row; the label at the start of a paragraph is bold. */
static void
draw_row(const struct lay_rect *r, int y, const struct para *p,
    const struct lay_span *s)
{
	size_t lablen = p->label != NULL ? strlen(p->label) : 0;
	int used = 0;

	if (s->off == 0 && lablen > 0 && s->len >= lablen) {
		used = draw_text(y, r->x + 1, p->text, lablen, r->w - 2,
		    R_STRONG);
		draw_text(y, r->x + 1 + used, p->text + lablen,
		    s->len - lablen, r->w - 2 - used, p->role);
		return;
	}
	draw_text(y, r->x + 1, p->text + s->off, s->len, r->w - 2, p->role);
}

/*
 * The finding's paragraphs, then its conversation with the tutor (conv.c),
 * scrolled as one: J and K move through both.
 */
static void
draw_body(struct tui *t, const struct lay_rect *r, const struct detail *d,
    const struct finding *f)
{
	struct lay_lines lines = { 0 };
	struct conv_lines conv;
	size_t ends[MAX_PARAS], k, total;
	int rows = r->h - 1, row = 0, pi = 0;

	wrap_all(d, r->w - 2, &lines, ends);
	conv_layout(t, f, r->w - 2, &conv);
	total = lines.n + conv.n;
	if (t->show_last_turn && conv.n > 0) {
		t->dtop = (int)(lines.n + conv.last_turn);
		t->show_last_turn = false;
	}
	if (t->dtop > (int)total - rows)
		t->dtop = (int)total - rows;
	if (t->dtop < 0)
		t->dtop = 0;
	for (k = (size_t)t->dtop; k < total && row < rows; k++, row++) {
		if (k >= lines.n) {
			conv_draw_line(&conv.v[k - lines.n], r->y + 1 + row,
			    r->x + 1, r->w - 2);
			continue;
		}
		while (pi < d->n && k >= ends[pi])
			pi++;
		if (pi < d->n && lines.v[k].len > 0)
			draw_row(r, r->y + 1 + row, &d->p[pi], &lines.v[k]);
	}
	conv_lines_free(&conv);
	layout_lines_free(&lines);
}

void
dp_draw(struct tui *t, const struct lay_rect *r)
{
	const struct finding *f = model_selected(t);
	struct detail d;
	char *title;
	int i;

	memset(&d, 0, sizeof(d));
	if (f != NULL)
		finding_paras(t, f, &d);
	else
		empty_paras(t, &d);
	title = f != NULL ? detail_title(f) : xstrdup("Detail");
	draw_title(r, false, title);
	free(title);
	draw_body(t, r, &d, f);
	for (i = 0; i < d.n; i++)
		free(d.p[i].text);
}

static int
dp_rows(const struct tui *t)
{
	return t->lay.detail.h > 1 ? t->lay.detail.h - 1 : 1;
}

/* J and K scroll the details whichever pane has the focus. */
static bool
dp_request(struct tui *t, enum tui_action a)
{
	if (a == ACT_DETAIL_DOWN)
		t->dtop += 3;
	else if (a == ACT_DETAIL_UP)
		t->dtop = t->dtop > 3 ? t->dtop - 3 : 0;
	else
		return false;
	return true;
}

const struct tui_pane_ops dp_ops = {
	.name = "detail",
	.draw = dp_draw,
	.rows = dp_rows,
	.request = dp_request,
};
