/*
 * ovw_locate.c - find the overview for a note: the --overview flag, the
 * note's front matter, NOTE.overview.md beside it, or overview.md or
 * curriculum.md in its folder or a parent folder; then load it as a
 * learning path and choose the note's section (ovw_choose()).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"

/* The shared files a folder may hold, in the order they are tried. */
static const char *const shared_names[] = { "overview.md", "curriculum.md",
	NULL };

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

const char *
ovw_ref_of(const char *spec)
{
	const char	*hash = strrchr(spec, '#');

	if (hash == NULL || util_file_exists(spec))
		return NULL;
	return hash + 1;
}

/* spec without its "#REF". */
static char *
file_of(const char *spec)
{
	const char	*ref = ovw_ref_of(spec);

	return ref != NULL ? xstrndup(spec, (size_t)(ref - 1 - spec)) :
	    xstrdup(spec);
}

/*
 * How many folders above dir may be searched: up to the first that is a
 * repository root or the home folder; 0 when there is none.
 */
static int
levels_up(const char *dir)
{
	char		 real[PATH_MAX], *git, *slash;
	const char	*home = getenv("HOME");
	int		 up = 0;

	if (realpath(dir, real) == NULL)
		return 0;
	for (;;) {
		git = util_path_join(real, ".git");
		if (util_file_exists(git) || (home != NULL && *home != '\0' &&
		    strcmp(real, home) == 0)) {
			free(git);
			return up;
		}
		free(git);
		if ((slash = strrchr(real, '/')) == NULL || slash == real)
			return 0;
		*slash = '\0';
		up++;
	}
}

/* overview.md or curriculum.md in dir or up to `up` folders above it. */
static char *
shared_overview(const char *note_path, const char *dir)
{
	char	*rel, *path, *ups = xstrdup("");
	int	 up = levels_up(dir), k, i;

	for (k = 0; k <= up; k++) {
		for (i = 0; shared_names[i] != NULL; i++) {
			rel = xasprintf("%s%s", ups, shared_names[i]);
			path = util_path_join(dir, rel);
			free(rel);
			if (strcmp(path, note_path) != 0 &&
			    util_file_exists(path)) {
				free(ups);
				return path;
			}
			free(path);
		}
		rel = xasprintf("%s../", ups);
		free(ups);
		ups = rel;
	}
	free(ups);
	return NULL;
}

enum rn_status
ovw_locate(const char *note_path, const char *flag,
    const char *front_matter, char **out, char *err, size_t errlen)
{
	char	*dir, *sib, *fm;
	int	 rc = RN_OK;

	*out = NULL;
	if (flag != NULL && *flag != '\0') {
		*out = file_of(flag);
		return RN_OK;
	}
	dir = util_dirname(note_path);
	if (front_matter != NULL && *front_matter != '\0') {
		fm = file_of(front_matter);
		*out = util_path_join(dir, fm);
		free(fm);
		free(dir);
		return RN_OK;
	}
	sib = sibling_overview(note_path);
	if (util_file_exists(sib))
		*out = xstrdup(sib);
	else if ((*out = shared_overview(note_path, dir)) == NULL)
		rc = rn_fail(err, errlen, RN_EINPUT, "no overview for %s: pass "
		    "--overview FILE, add 'overview: FILE' front matter, or "
		    "create %s, or overview.md or curriculum.md in its folder "
		    "or a parent folder", note_path, sib);
	free(sib);
	free(dir);
	return rc;
}

/* The "#REF" of the front matter, resolved as the file was. */
static const char *
fm_ref(const struct note *n, const char *flag)
{
	if (flag != NULL && *flag != '\0')
		return NULL;	/* it names another file's section */
	return n->fm_overview != NULL ? ovw_ref_of(n->fm_overview) : NULL;
}

enum rn_status
ovw_choose(const struct note *n, const char *flag, struct ovw_choice *c,
    char *err, size_t errlen)
{
	const char	*flag_ref = NULL;
	int		 rc;

	memset(c, 0, sizeof *c);
	c->index = -1;
	if (flag != NULL && *flag != '\0')
		flag_ref = ovw_ref_of(flag);
	rc = ovw_locate(n->path, flag, n->fm_overview, &c->file, err, errlen);
	if (rc == RN_OK)
		rc = ovw_path_load(c->file, &c->path, err, errlen);
	if (rc == RN_OK)
		rc = ovw_path_choose(c->path, n, flag_ref, fm_ref(n, flag),
		    &c->index, &c->how, err, errlen);
	if (rc == RN_OK)
		c->ovw = c->path->sections[c->index].ovw;
	return rc;
}

void
ovw_choice_free(struct ovw_choice *c)
{
	ovw_path_free(c->path);
	free(c->file);
	memset(c, 0, sizeof *c);
	c->index = -1;
}

/* The section of p that is the one o was: anchor, number or title. */
static int
same_section(const struct ovw_path *p, const struct ovw_section *was)
{
	int	i, pass;

	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < p->nsections; i++) {
			const struct ovw_section *s = &p->sections[i];

			if ((pass == 0 && strcmp(s->anchor, was->anchor) == 0) ||
			    (pass == 1 && was->number > 0 &&
			    s->number == was->number) ||
			    (pass == 2 && strcmp(s->title, was->title) == 0))
				return i;
		}
	return -1;
}

enum rn_status
ovw_path_reload(const struct overview *o, struct ovw_path **out,
    int *index, char *err, size_t errlen)
{
	const struct ovw_section	*was = NULL;
	struct ovw_path			*p;
	int				 rc;

	*out = NULL;
	*index = -1;
	if (o->in_path != NULL && !o->in_path->single)
		was = &o->in_path->sections[o->section];
	rc = ovw_path_load(o->in_path != NULL ? o->in_path->path : o->path,
	    &p, err, errlen);
	if (rc != RN_OK)
		return rc;
	*index = was == NULL ? (p->single ? 0 : -1) : same_section(p, was);
	if (*index < 0)
		rc = rn_fail(err, errlen, RN_EINPUT, "%s: %s", p->path,
		    was != NULL ? "the section is gone" : "it is a learning "
		    "path now");
	else if (p->sections[*index].ovw == NULL)
		rc = rn_fail(err, errlen, RN_EINPUT, "%s",
		    p->sections[*index].error);
	if (rc != RN_OK) {
		ovw_path_free(p);
		*index = -1;
		return rc;
	}
	*out = p;
	return RN_OK;
}
