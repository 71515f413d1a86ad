/*
 * dismiss.c - findings the learner dismissed, remembered per note.
 *
 * The file is $XDG_CACHE_HOME/rustnote/dismissed/<hash of the note's
 * absolute path>, one "kind<TAB>hash" line per finding, where the hash is
 * of the quote (of the message for a finding without one).  A finding
 * stays dismissed until its quote changes.  Written atomically.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/util.h"
#include "tui_int.h"

#define DISMISS_MAX_BYTES ((size_t)1 << 20)

struct dis_entry {
	int kind;
	unsigned long long hash;
};

struct dis_set {
	struct dis_entry *v;
	size_t n, cap;
};

static unsigned long long
finding_hash(const struct finding *f)
{
	const char *s = f->quote != NULL && f->quote[0] != '\0' ? f->quote :
	    f->message != NULL ? f->message : "";

	return fnv64(FNV64_INIT, s, strlen(s));
}

char *
dis_path(const char *note_path)
{
	char *abs = realpath(note_path, NULL), *dir, *path;
	const char *p = abs != NULL ? abs : note_path;

	dir = util_cache_dir();
	path = xasprintf("%s/dismissed/%016llx", dir,
	    fnv64(FNV64_INIT, p, strlen(p)));
	free(dir);
	free(abs);
	return path;
}

static void
set_add(struct dis_set *d, int kind, unsigned long long hash)
{
	if (d->n == d->cap) {
		d->cap = d->cap != 0 ? d->cap * 2 : 16;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n].kind = kind;
	d->v[d->n].hash = hash;
	d->n++;
}

/* One "kind<TAB>hash" line; anything else is skipped. */
static void
parse_line(struct dis_set *d, char *line)
{
	char *tab = strchr(line, '\t'), *end;
	unsigned long long hash;
	int kind;

	if (tab == NULL)
		return;
	*tab = '\0';
	kind = finding_kind_parse(line);
	errno = 0;
	hash = strtoull(tab + 1, &end, 16);
	if (kind < 0 || errno != 0 || end == tab + 1 || *end != '\0')
		return;
	set_add(d, kind, hash);
}

/* A missing or unreadable file is an empty set: nothing was dismissed. */
struct dis_set *
dis_load(const char *path)
{
	struct dis_set *d = xcalloc(1, sizeof(*d));
	char *data = NULL, *line, *next;

	if (path == NULL || util_read_file(path, DISMISS_MAX_BYTES, &data,
	    NULL, NULL, 0) != RN_OK)
		return d;
	for (line = data; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		parse_line(d, line);
	}
	free(data);
	return d;
}

static ssize_t
set_find(const struct dis_set *d, int kind, unsigned long long hash)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->v[i].kind == kind && d->v[i].hash == hash)
			return (ssize_t)i;
	}
	return -1;
}

bool
dis_has(const struct dis_set *d, const struct finding *f)
{
	return d != NULL && set_find(d, (int)f->kind, finding_hash(f)) >= 0;
}

static int
dis_save(const struct dis_set *d, const char *path, char *err,
    size_t errlen)
{
	char *dir = util_dirname(path);
	struct buf b;
	size_t i;
	int rc;

	if (util_mkdirs(dir, 0700) != 0) {
		rc = rn_fail(err, errlen, RN_EFAIL, "%s: %s", dir,
		    strerror(errno));
		free(dir);
		return rc;
	}
	free(dir);
	buf_init(&b, 0);
	for (i = 0; i < d->n; i++)
		buf_printf(&b, "%s\t%016llx\n",
		    finding_kind_name((enum finding_kind)d->v[i].kind),
		    d->v[i].hash);
	rc = util_write_file_atomic(path, buf_str(&b), b.len, 0600, err,
	    errlen);
	buf_free(&b);
	return rc;
}

int
dis_set(struct dis_set *d, const char *path, const struct finding *f,
    bool on, char *err, size_t errlen)
{
	unsigned long long hash = finding_hash(f);
	ssize_t at = set_find(d, (int)f->kind, hash);

	if (on && at < 0)
		set_add(d, (int)f->kind, hash);
	else if (!on && at >= 0)
		d->v[at] = d->v[--d->n];
	else
		return RN_OK;
	if (path == NULL)
		return RN_OK;
	return dis_save(d, path, err, errlen);
}

void
dis_free(struct dis_set *d)
{
	if (d == NULL)
		return;
	free(d->v);
	free(d);
}
