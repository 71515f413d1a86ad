/*
 * folder.c - finding the notes of a folder with fts(3): one walk, no
 * recursion of our own, physical (links to folders are not entered).
 */
#include <errno.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/folder.h"
#include "rustnote/util.h"

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

bool
folder_is_markdown(const char *path)
{
	return ends_with(path, ".md") || ends_with(path, ".markdown");
}

bool
folder_is_overview(const char *path)
{
	const char *b = util_base_name(path);

	return strcasecmp(b, "overview.md") == 0 ||
	    strcasecmp(b, "curriculum.md") == 0 ||
	    ends_with(b, ".overview.md");
}

void
folder_list_add(struct folder_list *l, const char *path)
{
	if (l->n == l->cap) {
		l->cap = l->cap != 0 ? l->cap * 2 : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(path);
}

void
folder_list_free(struct folder_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

enum rn_status
folder_notes(const char *dir, struct folder_list *out, char *err,
    size_t errlen)
{
	char *roots[2] = { (char *)dir, NULL };
	FTSENT *e;
	FTS *fts;
	int rc = RN_OK;

	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
	if (fts == NULL)
		return rn_fail(err, errlen, RN_EINPUT, "%s: %s", dir,
		    strerror(errno));
	while ((e = fts_read(fts)) != NULL) {
		if (e->fts_info == FTS_D && e->fts_level > 0 &&
		    e->fts_name[0] == '.') {
			fts_set(fts, e, FTS_SKIP);
			continue;
		}
		if (e->fts_info == FTS_DNR || ((e->fts_info == FTS_ERR ||
		    e->fts_info == FTS_NS) && e->fts_level == 0)) {
			rc = rn_fail(err, errlen, RN_EINPUT, "%s: %s",
			    e->fts_path, strerror(e->fts_errno));
			break;
		}
		if (e->fts_info == FTS_F && e->fts_name[0] != '.' &&
		    folder_is_markdown(e->fts_name) &&
		    !folder_is_overview(e->fts_name))
			folder_list_add(out, strncmp(e->fts_path, "./", 2) ==
			    0 && strcmp(dir, ".") == 0 ? e->fts_path + 2 :
			    e->fts_path);
	}
	fts_close(fts);
	return rc;
}
