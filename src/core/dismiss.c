/*
 * dismiss.c - findings the learner dismissed, remembered per note.
 *
 * They are the learner's data, so they live in the history database
 * (history.h), as (kind, hash) pairs where the hash is of the quote (of
 * the message for a finding without one): a finding stays dismissed until
 * its quote changes.  The set is kept in memory too, so drawing never
 * asks the database.  Files of the old store (one per note under
 * $XDG_CACHE_HOME/rustnote/dismissed/) are moved into the database the
 * first time their note is opened.
 */
#include <errno.h>
#include <limits.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/history.h"
#include "rustnote/util.h"
#include "rustnote/dismiss.h"

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
	return hist_note_key(note_path);
}

/* Where the old store kept the note's file. */
static char *
legacy_path(const char *key)
{
	char *dir = util_cache_dir(), *path;

	path = xasprintf("%s/dismissed/%016llx", dir,
	    fnv64(FNV64_INIT, key, strlen(key)));
	free(dir);
	return path;
}

static enum rn_status
open_history(struct hist **h, char *err, size_t errlen)
{
	char *path = hist_default_path();
	int rc = hist_open(path, h, err, errlen);

	free(path);
	return rc;
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

/* One "kind<TAB>hash" line of an old file; anything else is skipped. */
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

/* Move the old file's pairs into the database, then drop the file. */
static void
import_legacy(struct hist *h, const char *key)
{
	struct dis_set old = { NULL, 0, 0 };
	char *path = legacy_path(key), *data = NULL, *line, *next;
	size_t i;
	int rc = RN_OK;

	if (util_read_file(path, DISMISS_MAX_BYTES, &data, NULL, NULL, 0) !=
	    RN_OK) {
		free(path);
		return;
	}
	for (line = data; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		parse_line(&old, line);
	}
	for (i = 0; rc == RN_OK && i < old.n; i++)
		rc = hist_dismiss(h, key, old.v[i].kind, old.v[i].hash, true,
		    NULL, 0);
	if (rc == RN_OK)
		unlink(path);
	free(old.v);
	free(data);
	free(path);
}

static void
add_pair(void *ud, int kind, unsigned long long hash)
{
	set_add(ud, kind, hash);
}

/* Without a usable database the set is empty: nothing was dismissed (the
 * review screen has said why history is off). */
struct dis_set *
dis_load(const char *path)
{
	struct dis_set *d = xcalloc(1, sizeof(*d));
	struct hist *h;

	if (path == NULL || open_history(&h, NULL, 0) != RN_OK)
		return d;
	import_legacy(h, path);
	hist_dismissed(h, path, add_pair, d, NULL, 0);
	hist_close(h);
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

static enum rn_status
dis_save(const char *key, const struct finding *f, bool on, char *err,
    size_t errlen)
{
	struct hist *h;
	int rc;

	rc = open_history(&h, err, errlen);
	if (rc == RN_OK)
		rc = hist_dismiss(h, key, (int)f->kind, finding_hash(f), on,
		    err, errlen);
	hist_close(h);
	return rc;
}

enum rn_status
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
	return dis_save(path, f, on, err, errlen);
}

void
dis_mark(const struct dis_set *d, struct finding_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		l->v[i].dismissed = dis_has(d, &l->v[i]);
}

void
dis_drop(struct finding_list *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].dismissed)
			finding_free(&l->v[i]);
		else
			l->v[n++] = l->v[i];
	}
	l->n = n;
}

void
dis_free(struct dis_set *d)
{
	if (d == NULL)
		return;
	free(d->v);
	free(d);
}
