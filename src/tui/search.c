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
	switch (input_key(&t->input, code, fn, 256)) {
	case INPUT_CANCEL:
		search_end(t);
		break;
	case INPUT_SUBMIT:
		search_submit(t);
		break;
	default:
		break;
	}
}
