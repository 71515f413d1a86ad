/*
 * ovw_locate.c - find the overview for a note: the --overview flag, the
 * note's front matter, NOTE.overview.md beside it, or overview.md in its
 * folder.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"

/* note.md -> note.overview.md (any extension is replaced). */
static char *
sibling_overview(const char *note_path)
{
	const char	*slash = strrchr(note_path, '/');
	const char	*base = slash != NULL ? slash + 1 : note_path;
	const char	*dot = strrchr(base, '.');
	size_t		 stem;

	stem = (dot != NULL && dot != base) ? (size_t)(dot - note_path) :
	    strlen(note_path);
	return xasprintf("%.*s.overview.md", (int)stem, note_path);
}

int
ovw_locate(const char *note_path, const char *flag,
    const char *front_matter, char **out, char *err, size_t errlen)
{
	char	*dir, *sib, *shared;
	int	 rc = RN_OK;

	*out = NULL;
	if (flag != NULL && *flag != '\0') {
		*out = xstrdup(flag);
		return RN_OK;
	}
	dir = util_dirname(note_path);
	if (front_matter != NULL && *front_matter != '\0') {
		*out = util_path_join(dir, front_matter);
		free(dir);
		return RN_OK;
	}
	sib = sibling_overview(note_path);
	shared = util_path_join(dir, "overview.md");
	free(dir);
	if (util_file_exists(sib))
		*out = xstrdup(sib);
	else if (strcmp(shared, note_path) != 0 && util_file_exists(shared))
		*out = xstrdup(shared);
	else
		rc = rn_fail(err, errlen, RN_EINPUT, "no overview for %s: pass "
		    "--overview FILE, add 'overview: FILE' front matter, or "
		    "create %s or %s", note_path, sib, shared);
	free(sib);
	free(shared);
	return rc;
}
