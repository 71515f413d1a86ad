/*
 * search.c - "/" searches the note, n and N go to the next and previous
 * match, wrapping around with a notice; the keys line says "match 2/7"
 * and every match on screen is highlighted.  Matching ignores case (per character, not only
 * ASCII) and works on the text as it is shown.
 */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "rustnote/layout.h"
#include "rustnote/note.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define ESC 0x1b
#define CTRL_U 0x15

void
search_begin(struct tui *t)
{
	t->mode = MODE_SEARCH;
	buf_reset(&t->input);
	buf_add(&t->input, "", 0);
	curs_set(1);
}

static void
search_end(struct tui *t)
{
	t->mode = MODE_NORMAL;
	curs_set(0);
}

/* Length of the match of needle at s, ignoring case, or 0. */
static size_t
match_at(const char *s, size_t len, const char *needle, size_t nlen)
{
	size_t i = 0, j = 0;
	unsigned a, b;

	while (j < nlen) {
		if (i >= len)
			return 0;
		i += utf8_decode(s + i, len - i, &a);
		j += utf8_decode(needle + j, nlen - j, &b);
		if (a != b && towlower((wint_t)a) != towlower((wint_t)b))
			return 0;
	}
	return i;
}

bool
search_in_line(const struct tui *t, const char *s, size_t len, size_t *off,
    size_t *mlen)
{
	size_t i = 0, n, nlen;

	if (t->search == NULL || t->search[0] == '\0')
		return false;
	nlen = strlen(t->search);
	while (i < len) {
		n = match_at(s + i, len - i, t->search, nlen);
		if (n > 0) {
			*off = i;
			*mlen = n;
			return true;
		}
		i += utf8_seqlen(s + i, len - i);
	}
	return false;
}

static bool
line_matches(const struct tui *t, int line)
{
	size_t len, off, mlen;
	const char *raw = note_line(t->note, line, &len);
	char *p;
	bool found;

	if (raw == NULL)
		return false;
	p = layout_printable(raw, len, false);
	found = search_in_line(t, p, strlen(p), &off, &mlen);
	free(p);
	return found;
}

/* Which match line is at, and how many lines match: "match 2/7". */
static void
count_matches(const struct tui *t, int at, int *index, int *total)
{
	int line;

	*index = *total = 0;
	for (line = 1; line <= t->note->nlines; line++) {
		if (!line_matches(t, line))
			continue;
		(*total)++;
		if (line == at)
			*index = *total;
	}
}

void
search_next(struct tui *t, int dir)
{
	int n = t->note->nlines, line, start, i, index, total;
	bool wrapped;

	if (t->search == NULL) {
		tui_message(t, false, "no search yet: / searches the note");
		return;
	}
	start = t->match > 0 ? t->match : (dir > 0 ? t->ntop - 1 :
	    t->ntop + 1);
	for (i = 1; i <= n; i++) {
		line = ((start - 1 + dir * i) % n + n) % n + 1;
		if (!line_matches(t, line))
			continue;
		wrapped = (dir > 0 && line <= start) ||
		    (dir < 0 && line >= start);
		t->match = line;
		np_show_line(t, line, line);
		count_matches(t, line, &index, &total);
		tui_message(t, false, "match %d/%d%s", index, total,
		    !wrapped ? "" : dir > 0 ? "; search wrapped around to the "
		    "top" : "; search wrapped around to the bottom");
		return;
	}
	t->match = 0;
	tui_message(t, true, "not found: %s", t->search);
}

static void
delete_last_char(struct buf *b)
{
	size_t n = b->len;

	while (n > 0 && ((unsigned char)b->data[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	b->len = n;
	b->data[n] = '\0';
}

static void
add_char(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/* Enter searches (an empty line repeats the last search), Esc gives up. */
static void
search_submit(struct tui *t)
{
	search_end(t);
	if (t->input.len > 0) {
		free(t->search);
		t->search = xstrdup(buf_str(&t->input));
		t->match = 0;
	}
	search_next(t, 1);
}

void
search_key(struct tui *t, int code, bool fn)
{
	if (!fn && code == ESC)
		search_end(t);
	else if ((!fn && (code == '\r' || code == '\n')) ||
	    (fn && code == KEY_ENTER))
		search_submit(t);
	else if (((fn && code == KEY_BACKSPACE) ||
	    (!fn && (code == 0x7f || code == '\b'))) && t->input.len == 0)
		search_end(t);	/* as in less and vim: nothing left to delete */
	else if ((fn && code == KEY_BACKSPACE) ||
	    (!fn && (code == 0x7f || code == '\b')))
		delete_last_char(&t->input);
	else if (!fn && code == CTRL_U)
		buf_reset(&t->input);
	else if (!fn && code >= ' ' && code != 0x7f &&
	    layout_cp_width((unsigned)code) >= 0 && t->input.len < 256)
		add_char(&t->input, (unsigned)code);
}
