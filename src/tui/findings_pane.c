/*
 * findings_pane.c - one row per finding: how it compares with the last
 * review, its kind in the kind's colour, severity, line and what tells it
 * apart from the others: the words it quotes, the topic a gap misses, or
 * else its message.  Two findings of one kind on one line that quote the
 * same words show their messages; should those agree too, a number.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
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

/* Printable text on one line: white-space runs become one space, code
 * span backticks go (the row shows "&str, &[T]" for "`&str`, `&[T]`"). */
static char *
one_line(const char *s)
{
	char *p = layout_printable(s != NULL ? s : "", s != NULL ?
	    strlen(s) : 0, true), *q, *w;
	bool space = false;

	for (q = w = p; *q != '\0'; q++) {
		if (*q == '`')
			continue;
		if (*q == '\n' || *q == ' ' || *q == '\t') {
			space = w != p;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *q;
	}
	*w = '\0';
	return p;
}

static const char *
row_subject(const struct finding *f)
{
	if (f->quote != NULL && f->quote[0] != '\0')
		return f->quote;
	if (f->kind == FK_GAP && f->topic != NULL && f->topic[0] != '\0')
		return f->topic;
	return f->message;
}

static const struct finding *
row_finding(const struct tui *t, size_t row)
{
	return &t->all.v[t->view[row]];
}

/* Rows a and b would read the same. */
static bool
rows_collide(const struct tui *t, size_t a, size_t b)
{
	const struct finding *fa = row_finding(t, a), *fb = row_finding(t, b);

	return fa->kind == fb->kind && fa->severity == fb->severity &&
	    model_line(fa) == model_line(fb) &&
	    strcmp(t->row_text[a], t->row_text[b]) == 0;
}

/* Rows from i on that read like row i get text from pick(), numbered when
 * that is not enough. */
static void
relabel(struct tui *t, size_t i, bool number)
{
	size_t j, k = 1;
	bool any = false;
	char *s;

	for (j = i + 1; j < t->nview; j++) {
		if (!rows_collide(t, i, j))
			continue;
		any = true;
		s = number ? xasprintf("(%zu) %s", ++k, t->row_text[j]) :
		    one_line(row_finding(t, j)->message);
		free(t->row_text[j]);
		t->row_text[j] = s;
	}
	if (!any)
		return;
	s = number ? xasprintf("(1) %s", t->row_text[i]) :
	    one_line(row_finding(t, i)->message);
	free(t->row_text[i]);
	t->row_text[i] = s;
}

void
fp_free_rows(struct tui *t)
{
	size_t i;

	for (i = 0; i < t->nrow_text; i++)
		free(t->row_text[i]);
	free(t->row_text);
	t->row_text = NULL;
	t->nrow_text = 0;
}

void
fp_label_rows(struct tui *t)
{
	size_t i, j;

	fp_free_rows(t);
	t->row_text = xcalloc(t->nview + 1, sizeof(*t->row_text));
	t->nrow_text = t->nview;
	for (i = 0; i < t->nview; i++)
		t->row_text[i] = one_line(row_subject(row_finding(t, i)));
	for (i = 0; i < t->nview; i++)
		relabel(t, i, false);
	for (i = 0; i < t->nview; i++) {
		for (j = i + 1; j < t->nview; j++) {
			if (rows_collide(t, i, j)) {
				relabel(t, i, true);
				break;
			}
		}
	}
}

/* "M   48 ", "M  all " or "M was 48 " after an edit took its quote. */
static char *
row_head(const struct finding *f)
{
	char sev = severity_letter(f->severity);

	if (f->line > 0)
		return xasprintf("%c %4d ", sev, f->line);
	if (f->was_line > 0)
		return xasprintf("%c was %d ", sev, f->was_line);
	return xasprintf("%c  all ", sev);
}

static void
draw_row(const struct lay_rect *r, int y, const struct finding *f,
    const char *text, bool selected)
{
	bool wide = r->w >= WIDE_PANE, faded = model_is_faded(f);
	attr_t sel = selected ? term_attr(R_SELECTED) : 0;
	attr_t base = term_attr(faded ? R_FADED : R_NORMAL) | sel;
	const char *kind = wide ? filter_name[f->kind] : short_kind[f->kind];
	char *head;
	int x = r->x, right = r->x + r->w;

	if (selected)
		draw_fill(y, r->x, r->w, R_SELECTED);
	x += draw_text_attr(y, x, state_mark(f), strlen(state_mark(f)), 1,
	    base);
	x += 1;
	draw_text_attr(y, x, kind, strlen(kind), right - x, faded ? base :
	    term_attr((enum tui_role)(R_GAP + f->kind)) | sel);
	x += wide ? 11 : 4;
	head = row_head(f);
	x += draw_text_attr(y, x, head, strlen(head), right - x, base);
	if (f->source == FSRC_RUSTC)	/* the compiler's word, not a guess */
		x += draw_text_attr(y, x, "rustc ", 6, right - x, faded ? base :
		    term_attr(R_CODE) | sel);
	draw_text_attr(y, x, text, strlen(text), right - x, base);
	free(head);
}

static size_t
count_dismissed(const struct tui *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->all.n; i++)
		n += t->all.v[i].dismissed;
	return n;
}

static const char *
empty_text(const struct tui *t)
{
	if (t->job != NULL)
		return "Reviewing; findings appear as they arrive.";
	if (t->filter >= 0 && t->all.n > 0)
		return "No finding of this kind; f shows the next kind.";
	if (t->all.n > 0 && count_dismissed(t) > 0)
		return "Every finding is dismissed; D shows them.";
	if (t->state != NULL && !t->state_error)
		return "No findings.";
	return "No findings yet.";
}

/* The empty list's text, wrapped to the pane. */
static void
draw_empty(const struct tui *t, const struct lay_rect *r)
{
	const char *s = empty_text(t);
	struct lay_lines lines = { 0 };
	size_t i;

	layout_wrap(s, strlen(s), r->w - 2, &lines);
	for (i = 0; i < lines.n && (int)i < r->h - 1; i++)
		draw_text(r->y + 1 + (int)i, r->x + 1, s + lines.v[i].off,
		    lines.v[i].len, r->w - 2, R_FADED);
	layout_lines_free(&lines);
}

static char *
fp_title(const struct tui *t)
{
	size_t hidden = t->show_dismissed ? 0 : count_dismissed(t);
	struct buf b;

	buf_init(&b, 0);
	buf_printf(&b, "Findings %zu", t->nview);
	if (t->filter >= 0)
		buf_printf(&b, " - only %s", filter_name[t->filter]);
	if (hidden > 0)
		buf_printf(&b, " (%zu dismissed)", hidden);
	return buf_steal(&b);
}

void
fp_draw(struct tui *t, const struct lay_rect *r)
{
	int rows = r->h - 1, i;
	char *title;
	size_t idx;

	title = fp_title(t);
	draw_title(r, t->focus == FOCUS_FINDINGS, title);
	free(title);
	if (t->nview == 0) {
		draw_empty(t, r);
		return;
	}
	fp_scroll(t);
	for (i = 0; i < rows; i++) {
		idx = t->ftop + (size_t)i;
		if (idx >= t->nview)
			break;
		draw_row(r, r->y + 1 + i, row_finding(t, idx),
		    t->row_text[idx], idx == t->sel);
	}
}

static void
move_selection(struct tui *t, long delta)
{
	long s = (long)t->sel + delta;

	if (t->nview == 0)
		return;
	t->sel_chosen = true;
	if (s < 0)
		s = 0;
	if (s >= (long)t->nview)
		s = (long)t->nview - 1;
	model_select(t, (size_t)s);
}

/* Movement keys move the selection while the list has the focus. */
static bool
fp_request(struct tui *t, enum tui_action a)
{
	if (!tui_is_move(a))
		return false;
	move_selection(t, tui_step(a, fp_rows(t), (long)t->nview));
	return true;
}

const struct tui_pane_ops fp_ops = {
	.name = "findings",
	.draw = fp_draw,
	.rows = fp_rows,
	.request = fp_request,
};
