/*
 * note.c - load and validate a learner's Markdown note, split it into the
 * lines an editor shows and read its front matter; note_walk.c parses the
 * Markdown.  Look-ups of lines, sections and blocks by line number.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

#include "note_int.h"

static const char utf8_bom[] = "\xef\xbb\xbf";
#define BOM_LEN	(sizeof utf8_bom - 1)

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

bool
note_only_space(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

static size_t
bom_len(const char *data, size_t len)
{
	if (len >= BOM_LEN && memcmp(data, utf8_bom, BOM_LEN) == 0)
		return BOM_LEN;
	return 0;
}

enum rn_status
note_check_text(const char *name, const char *data, size_t len, size_t max,
    char *err, size_t errlen)
{
	int	bad_line = 0;
	size_t	bad_off = 0, skip;

	if (len > max)
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s: larger than %zu MiB (%zu bytes)", name, max >> 20,
		    len);
	skip = bom_len(data, len);
	if (note_only_space(data + skip, len - skip))
		return rn_fail(err, errlen, RN_EINPUT, "%s: file is empty",
		    name);
	if (memchr(data, '\0', len) != NULL)
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s: contains NUL bytes (binary file?)", name);
	if (!utf8_valid(data, len, &bad_line, &bad_off))
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s: invalid UTF-8 on line %d", name, bad_line);
	return RN_OK;
}

/* --- lines and front matter ---------------------------------------------- */

static void
split_lines(struct note *n)
{
	const char	*p = n->src, *end = n->src + n->src_len, *nl;
	size_t		 count = 0;
	int		 i = 0;

	for (nl = p; (nl = memchr(nl, '\n', end - nl)) != NULL; nl++)
		count++;
	if (n->src_len > 0 && end[-1] != '\n')
		count++;		/* a last line without newline */
	n->lines = xcalloc(count ? count : 1, sizeof *n->lines);
	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (nl == NULL)
			nl = end;
		n->lines[i].text = p;
		n->lines[i].len = nl - p;
		if (nl > p && nl[-1] == '\r' && nl < end)
			n->lines[i].len--;
		i++;
		p = nl + 1;
	}
	n->nlines = i;
}

/* Line idx (0-based) is exactly word, trailing white space allowed. */
static bool
line_is(const struct note *n, int idx, const char *word)
{
	const struct note_line	*l = &n->lines[idx];
	size_t			 wlen = strlen(word);

	if (l->len < wlen || memcmp(l->text, word, wlen) != 0)
		return false;
	return note_only_space(l->text + wlen, l->len - wlen);
}

/* "overview: PATH" with optional quotes; NULL when the line is another key. */
static char *
fm_value(const struct note_line *l, const char *key)
{
	size_t	klen = strlen(key), i, j;
	const char *s = l->text;

	if (l->len <= klen || strncasecmp(s, key, klen) != 0)
		return NULL;
	for (i = klen; i < l->len && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == l->len || s[i] != ':')
		return NULL;
	for (i++; i < l->len && is_space(s[i]); i++)
		;
	for (j = l->len; j > i && is_space(s[j - 1]); j--)
		;
	if (j - i >= 2 && (s[i] == '"' || s[i] == '\'') && s[j - 1] == s[i]) {
		i++;
		j--;
	}
	if (j == i)
		return NULL;
	return xstrndup(s + i, j - i);
}

/* Front matter: "---" on the first line up to the next "---" or "...". */
static void
read_front_matter(struct note *n)
{
	int	close, i;
	char	*v;

	n->body_line = 1;
	if (n->nlines < 2 || !line_is(n, 0, "---"))
		return;
	for (close = 1; close < n->nlines; close++)
		if (line_is(n, close, "---") || line_is(n, close, "..."))
			break;
	if (close == n->nlines)
		return;			/* not closed: ordinary Markdown */
	n->body_line = close + 2;
	for (i = 1; i < close; i++) {
		if ((v = fm_value(&n->lines[i], "overview")) == NULL)
			continue;
		free(n->fm_overview);
		n->fm_overview = v;
	}
}

/* --- public -------------------------------------------------------------- */

enum rn_status
note_parse(const char *name, const char *data, size_t len,
    struct note **out, char *err, size_t errlen)
{
	struct note	*n;
	size_t		 skip;
	int		 rc;

	*out = NULL;
	if ((rc = note_check_text(name, data, len, NOTE_MAX_BYTES, err,
	    errlen)) != RN_OK)
		return rc;
	skip = bom_len(data, len);
	n = xcalloc(1, sizeof *n);
	n->path = xstrdup(name);
	n->src_len = len - skip;
	n->src = xstrndup(data + skip, n->src_len);
	split_lines(n);
	read_front_matter(n);
	if ((rc = note_walk(n, err, errlen)) != RN_OK) {
		note_free(n);
		return rc;
	}
	*out = n;
	return RN_OK;
}

enum rn_status
note_load(const char *path, struct note **out, char *err, size_t errlen)
{
	char	*data = NULL;
	size_t	 len = 0;
	int	 rc;

	*out = NULL;
	rc = util_read_file(path, NOTE_MAX_BYTES, &data, &len, err, errlen);
	if (rc != RN_OK)
		goto out;
	rc = note_parse(path, data, len, out, err, errlen);
out:
	free(data);
	return rc;
}

void
note_free(struct note *n)
{
	int	i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nblocks; i++) {
		free(n->blocks[i].text);
		free(n->blocks[i].info);
	}
	for (i = 0; i < n->nsections; i++)
		free(n->sections[i].title);
	for (i = 0; i < n->nspans; i++)
		free(n->spans[i].text);
	free(n->blocks);
	free(n->sections);
	free(n->spans);
	free(n->lines);
	free(n->fm_overview);
	free(n->src);
	free(n->path);
	free(n);
}

const char *
note_line(const struct note *n, int lineno, size_t *len)
{
	if (n == NULL || lineno < 1 || lineno > n->nlines) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = n->lines[lineno - 1].len;
	return n->lines[lineno - 1].text;
}

int
note_section_at(const struct note *n, int lineno)
{
	int	lo = 0, hi, mid, s = -1;

	if (n == NULL)
		return -1;
	hi = n->nsections - 1;
	while (lo <= hi) {		/* last section starting at or before */
		mid = lo + (hi - lo) / 2;
		if (n->sections[mid].line <= lineno) {
			s = mid;
			lo = mid + 1;
		} else
			hi = mid - 1;
	}
	while (s >= 0 && n->sections[s].end_line < lineno)
		s = n->sections[s].parent;
	return s;
}

int
note_block_at(const struct note *n, int lineno)
{
	int	lo = 0, hi, mid, b = -1;

	if (n == NULL)
		return -1;
	hi = n->nblocks - 1;
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (n->blocks[mid].start_line <= lineno) {
			b = mid;
			lo = mid + 1;
		} else
			hi = mid - 1;
	}
	if (b >= 0 && n->blocks[b].end_line < lineno)
		return -1;
	return b;
}
