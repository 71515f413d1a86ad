/*
 * sanitize.c - cleaning outside text before it is shown (see sanitize.h).
 *
 * One pass over the input.  Escape sequences are skipped whole, so their
 * payloads (a window title, a DCS string, a hyperlink target) never show
 * as text.  White space is held back until the next visible character,
 * which trims both ends and every line end without a second pass.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

struct san_out {
	struct buf b;
	struct buf blanks;	/* pending spaces and tabs */
	size_t newlines;	/* pending line ends */
	size_t limit;		/* stop once the text grows past this */
	unsigned flags;
};

/* Code points that are never shown, beyond C0, DEL and C1. */
static const struct {
	unsigned lo, hi;
} hidden_ranges[] = {
	{ 0x061c, 0x061c },	/* arabic letter mark */
	{ 0x180e, 0x180e },	/* mongolian vowel separator */
	{ 0x200b, 0x200f },	/* zero-width space, (non-)joiner, LRM, RLM */
	{ 0x202a, 0x202e },	/* bidi embeddings and overrides */
	{ 0x2060, 0x2064 },	/* word joiner, invisible operators */
	{ 0x2066, 0x2069 },	/* bidi isolates */
	{ 0x206a, 0x206f },	/* deprecated format characters */
	{ 0xfeff, 0xfeff },	/* BOM, zero-width no-break space */
	{ 0xfff9, 0xfffb },	/* interlinear annotation controls */
};

bool
san_cp_hidden(unsigned cp)
{
	size_t i;

	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true;
	if (cp < 0x061c)
		return false;
	for (i = 0; i < sizeof(hidden_ranges) / sizeof(hidden_ranges[0]); i++)
		if (cp >= hidden_ranges[i].lo && cp <= hidden_ranges[i].hi)
			return true;
	return false;
}

/* --- output -------------------------------------------------------------- */

static void
out_put(struct san_out *o, const char *p, size_t n)
{
	size_t i;

	if (o->b.len > 0) {
		for (i = 0; i < o->newlines && i < 2; i++)
			buf_addc(&o->b, '\n');
		if (o->blanks.len > 0 && o->b.len + o->blanks.len <= o->limit)
			buf_add(&o->b, o->blanks.data, o->blanks.len);
	}
	o->newlines = 0;
	buf_reset(&o->blanks);
	buf_add(&o->b, p, n);
}

static void
out_blank(struct san_out *o, char c)
{
	if (!(o->flags & SAN_TAB))
		c = ' ';
	if ((o->flags & SAN_SQUEEZE) && o->blanks.len > 0)
		return;
	if (o->blanks.len <= o->limit)
		buf_addc(&o->blanks, c);
}

static void
out_newline(struct san_out *o)
{
	if (!(o->flags & SAN_NEWLINE)) {
		out_blank(o, ' ');
		return;
	}
	buf_reset(&o->blanks);
	o->newlines++;
}

/* --- escape sequences ---------------------------------------------------- */

/* CSI: parameter and intermediate bytes, then one final byte.  Any other
 * byte ends it unconsumed, as a terminal would then act on that byte. */
static size_t
skip_csi(const unsigned char *s, size_t i, size_t len)
{
	while (i < len && s[i] >= 0x20 && s[i] <= 0x3f)
		i++;
	if (i < len && s[i] >= 0x40 && s[i] <= 0x7e)
		i++;
	return i;
}

/* OSC, DCS, SOS, PM and APC run to BEL, ESC \ or C1 ST, or to the end.
 * Another ESC ends the string and starts a sequence of its own. */
static size_t
skip_string(const unsigned char *s, size_t i, size_t len)
{
	for (; i < len; i++) {
		if (s[i] == 0x07)
			return i + 1;
		if (s[i] == 0x1b)
			return i + 1 < len && s[i + 1] == '\\' ? i + 2 : i;
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] == 0x9c)
			return i + 2;
	}
	return len;
}

/* s[i] is ESC: the index just past the whole sequence. */
static size_t
skip_escape(const unsigned char *s, size_t i, size_t len)
{
	i++;
	if (i >= len)
		return i;
	switch (s[i]) {
	case '[':
		return skip_csi(s, i + 1, len);
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		return skip_string(s, i + 1, len);
	}
	/* nF: intermediates, then one final byte; Fp, Fe, Fs: one byte */
	while (i < len && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	if (i < len && s[i] >= 0x30 && s[i] <= 0x7e)
		i++;
	return i;
}

/* --- one step ------------------------------------------------------------ */

/* A decoded non-ASCII code point of n bytes at s[i]. */
static size_t
step_unicode(struct san_out *o, const unsigned char *s, size_t i, size_t len)
{
	unsigned cp;
	size_t n = utf8_decode((const char *)s + i, len - i, &cp);

	if (cp == 0xfffd && n == 1) {
		out_put(o, "\xef\xbf\xbd", 3);
		return i + 1;
	}
	switch (cp) {
	case 0x9b:			/* C1 CSI */
		return skip_csi(s, i + n, len);
	case 0x90: case 0x98: case 0x9d: case 0x9e: case 0x9f:
		return skip_string(s, i + n, len);	/* DCS SOS OSC PM APC */
	case 0x85: case 0x2028: case 0x2029:	/* NEL, line/para separator */
		out_newline(o);
		return i + n;
	}
	if (!san_cp_hidden(cp))
		out_put(o, (const char *)s + i, n);
	return i + n;
}

static size_t
step(struct san_out *o, const unsigned char *s, size_t i, size_t len)
{
	unsigned char c = s[i];

	if (c >= 0x80)
		return step_unicode(o, s, i, len);
	switch (c) {
	case 0x1b:
		return skip_escape(s, i, len);
	case '\r':			/* CR LF, or a lone CR, ends a line */
		if (i + 1 < len && s[i + 1] == '\n')
			return i + 1;
		/* FALLTHROUGH */
	case '\n':
		out_newline(o);
		return i + 1;
	case '\t':
		out_blank(o, '\t');
		return i + 1;
	case ' ': case '\v': case '\f':
		out_blank(o, ' ');
		return i + 1;
	}
	if (c >= 0x20 && c != 0x7f)
		out_put(o, (const char *)s + i, 1);
	return i + 1;
}

/* Length of the run at the start of s[0..n) of visible ASCII, with single
 * spaces between words: it goes out as it is. */
static size_t
plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0, end = 0;

	while (i < n) {
		if (s[i] > ' ' && s[i] < 0x7f)
			end = ++i;
		else if (s[i] == ' ' && i > 0 && s[i - 1] != ' ')
			i++;
		else
			break;
	}
	return end;
}

/* --- cutting ------------------------------------------------------------- */

/* The longest prefix of s[0..len), at most max bytes, that does not end
 * inside a UTF-8 sequence. */
static size_t
utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t i = 0, n;

	while (i < len) {
		n = utf8_seqlen(s + i, len - i);
		if (i + n > max)
			break;
		i += n;
	}
	return i;
}

static void
cut(struct buf *b, size_t cap)
{
	size_t keep = cap >= SAN_ELLIPSIS_LEN ? cap - SAN_ELLIPSIS_LEN : cap;

	keep = utf8_prefix(b->data, b->len, keep);
	while (keep > 0 && (b->data[keep - 1] == ' ' ||
	    b->data[keep - 1] == '\t' || b->data[keep - 1] == '\n'))
		keep--;
	b->len = keep;
	b->data[keep] = '\0';
	if (cap >= SAN_ELLIPSIS_LEN)
		buf_add(b, SAN_ELLIPSIS, SAN_ELLIPSIS_LEN);
}

char *
san_text(const char *s, size_t len, unsigned flags, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	struct san_out o;
	size_t i = 0, run, room;

	memset(&o, 0, sizeof(o));
	buf_init(&o.b, 0);
	buf_init(&o.blanks, 0);
	o.flags = flags;
	o.limit = cap > 0 ? cap + 8 : (size_t)-1 / 2;
	if (s == NULL)
		len = 0;
	while (i < len && o.b.len <= o.limit) {
		room = o.limit + 1 - o.b.len;
		run = plain_run(u + i, len - i < room ? len - i : room);
		if (run > 0) {
			out_put(&o, s + i, run);
			i += run;
		} else
			i = step(&o, u, i, len);
	}
	buf_free(&o.blanks);
	if (cap > 0 && o.b.len > cap)
		cut(&o.b, cap);
	if (o.b.data == NULL)
		return xstrdup("");
	return buf_steal(&o.b);
}

char *
san_str(const char *s, unsigned flags, size_t cap)
{
	return san_text(s, s != NULL ? strlen(s) : 0, flags, cap);
}

void
san_fputs(const char *s, unsigned flags, FILE *fp)
{
	char *t = san_str(s, flags, 0);

	fputs(t, fp);
	free(t);
}
