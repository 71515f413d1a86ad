/*
 * findings_pane.c - one row per finding: how it compares with the last
 * review, its kind in the kind's colour, severity, line and the first
 * words of its message.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/layout.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define WIDE_PANE 50	/* from this width on, kinds are spelled out */

static const char *const short_kind[FK_COUNT] = {
	"gap", "inc", "asm", "scp"
};

static const char *const filter_name[FK_COUNT] = {
	"gap", "incorrect", "assumption", "scope"
};

/* One column that says where the finding stands. */
static const char *
state_mark(const struct finding *f)
{
	if (f->dismissed)
		return "x";
	switch (f->state) {
	case FST_NEW:
		return "+";
	case FST_PERSIST:
		return "=";
	case FST_RESOLVED:
		return "\xE2\x9C\x93";	/* U+2713 check mark */
	case FST_FIXED:
		return "~";
	default:
		return " ";
	}
}

static char
severity_letter(enum finding_severity s)
{
	return s == FS_HIGH ? 'H' : s == FS_MEDIUM ? 'M' : 'L';
}

int
fp_rows(const struct tui *t)
{
	return t->lay.findings.h > 1 ? t->lay.findings.h - 1 : 1;
}

/* Keep the selected row inside the pane. */
static void
fp_scroll(struct tui *t)
{
	size_t rows = (size_t)fp_rows(t);

	if (t->sel < t->ftop)
		t->ftop = t->sel;
	if (t->sel >= t->ftop + rows)
		t->ftop = t->sel - rows + 1;
	if (t->ftop + rows > t->nview)
		t->ftop = t->nview > rows ? t->nview - rows : 0;
}

/* The message on one line: newlines become spaces. */
static char *
one_line(const char *s)
{
	char *p = layout_printable(s != NULL ? s : "", s != NULL ?
	    strlen(s) : 0, true), *q;

	for (q = p; *q != '\0'; q++) {
		if (*q == '\n')
			*q = ' ';
	}
	return p;
}

static void
draw_row(const struct lay_rect *r, int y, const struct finding *f,
    bool selected)
{
	bool wide = r->w >= WIDE_PANE, faded = model_is_faded(f);
	attr_t sel = selected ? term_attr(R_SELECTED) : 0;
	attr_t base = term_attr(faded ? R_FADED : R_NORMAL) | sel;
	const char *kind = wide ? filter_name[f->kind] : short_kind[f->kind];
	char *head, *msg;
	int x = r->x, right = r->x + r->w;

	if (selected)
		draw_fill(y, r->x, r->w, R_SELECTED);
	x += draw_text_attr(y, x, state_mark(f), strlen(state_mark(f)), 1,
	    base);
	x += 1;
	draw_text_attr(y, x, kind, strlen(kind), right - x, faded ? base :
	    term_attr((enum tui_role)(R_GAP + f->kind)) | sel);
	x += wide ? 11 : 4;
	if (f->line > 0)
		head = xasprintf("%c %4d ", severity_letter(f->severity),
		    f->line);
	else
		head = xasprintf("%c  all ", severity_letter(f->severity));
	x += draw_text_attr(y, x, head, strlen(head), right - x, base);
	msg = one_line(f->message);
	draw_text_attr(y, x, msg, strlen(msg), right - x, base);
	free(msg);
	free(head);
}

static const char *
empty_text(const struct tui *t)
{
	if (t->job != NULL)
		return "Reviewing; findings appear as they arrive.";
	if (t->all.n > 0)
		return "No finding of this kind (f changes the filter).";
	if (t->state != NULL && !t->state_error)
		return "No findings.";
	return "No findings yet.";
}

void
fp_draw(struct tui *t, const struct lay_rect *r)
{
	int rows = r->h - 1, i;
	char *title;
	size_t idx;

	title = xasprintf("Findings %zu%s%s", t->nview, t->filter >= 0 ?
	    " - only " : "", t->filter >= 0 ? filter_name[t->filter] : "");
	draw_title(r, t->focus == FOCUS_FINDINGS, title);
	free(title);
	if (t->nview == 0) {
		draw_text(r->y + 1, r->x + 1, empty_text(t),
		    strlen(empty_text(t)), r->w - 1, R_FADED);
		return;
	}
	fp_scroll(t);
	for (i = 0; i < rows; i++) {
		idx = t->ftop + (size_t)i;
		if (idx >= t->nview)
			break;
		draw_row(r, r->y + 1 + i, &t->all.v[t->view[idx]],
		    idx == t->sel);
	}
}
