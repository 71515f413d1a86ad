/*
 * note.c - load, validate and parse a learner's Markdown note.
 *
 * The file is split into the lines an editor shows, then handed to cmark
 * with the front matter blanked out (so cmark's line numbers are the
 * file's), and the tree is flattened into leaf blocks, a section tree and
 * the inline code spans.  Everything is copied out of the cmark tree, which
 * is freed before note_parse() returns.
 */

#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

/* A bold "heading" is a label, not a sentence: keep it short. */
#define PSEUDO_HEADING_MAX	80
#define PSEUDO_HEADING_LEVEL	7

struct builder {
	struct note	*n;
	size_t		 blocks_alloc;
	size_t		 sections_alloc;
	size_t		 spans_alloc;
	int		 cur_section;	/* innermost open section, or -1 */
	int		 list_depth;
	int		 quote_depth;
};

/* Flattened inline text of one block, with the line reached so far. */
struct flat {
	struct builder	*b;
	struct buf	 text;
	int		 line;
};

static const unsigned char utf8_bom[] = { 0xef, 0xbb, 0xbf };

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static bool
only_space(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

static bool
has_bom(const char *data, size_t len)
{
	return len >= sizeof utf8_bom &&
	    memcmp(data, utf8_bom, sizeof utf8_bom) == 0;
}

int
note_check_text(const char *name, const char *data, size_t len, size_t max,
    char *err, size_t errlen)
{
	int	bad_line;
	size_t	bad_off, skip;

	if (len > max)
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s: larger than %zu KiB (%zu bytes)", name, max >> 10,
		    len);
	skip = has_bom(data, len) ? sizeof utf8_bom : 0;
	if (memchr(data, '\0', len) != NULL) {
		if (only_space(data + skip, strnlen(data + skip, len - skip)))
			return rn_fail(err, errlen, RN_EINPUT,
			    "%s: contains NUL bytes (binary file?)", name);
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s: contains NUL bytes (binary file?)", name);
	}
	if (only_space(data + skip, len - skip))
		return rn_fail(err, errlen, RN_EINPUT, "%s: file is empty",
		    name);
	if (!utf8_valid(data, len, &bad_line, &bad_off))
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s: invalid UTF-8 on line %d", name, bad_line);
	return RN_OK;
}
