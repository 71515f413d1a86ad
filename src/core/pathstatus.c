/*
 * pathstatus.c - gathering a folder's learning-path status: find the path
 * file, list the notes, choose each note's section, read the last review.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/folder.h"
#include "rustnote/history.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/pathstatus.h"
#include "rustnote/util.h"

/*
 * The path file of the folder: what ovw_locate() finds for a note in it
 * with no overview of its own (the name cannot be a real note's).
 */
static struct ovw_path *
find_path(const char *dir, char **file)
{
	char *probe = util_path_join(dir, ".rustnote-status-probe.md");
	struct ovw_path *p = NULL;

	*file = NULL;
	if (ovw_locate(probe, NULL, NULL, file, NULL, 0) == RN_OK &&
	    ovw_path_load(*file, &p, NULL, 0) != RN_OK) {
		free(*file);
		*file = NULL;
	}
	if (*file != NULL && strncmp(*file, "./", 2) == 0)
		memmove(*file, *file + 2, strlen(*file + 2) + 1);
	free(probe);
	return p;
}

static void
take_sections(struct ps_status *s, const struct ovw_path *p)
{
	int i;

	s->nsections = p->nsections;
	s->sections = xcalloc((size_t)p->nsections, sizeof(*s->sections));
	for (i = 0; i < p->nsections; i++) {
		s->sections[i].number = p->sections[i].number > 0 ?
		    p->sections[i].number : i + 1;
		s->sections[i].title = xstrdup(p->sections[i].title);
		s->sections[i].short_title = xstrdup(
		    p->sections[i].short_title != NULL ?
		    p->sections[i].short_title : p->sections[i].title);
	}
}

/* Title and section of one note; an unreadable note keeps its error. */
static void
read_note(struct ps_note *pn, const struct ovw_path *p)
{
	char err[RN_ERRLEN];
	struct note *n = NULL;
	const char *ref;
	int idx;

	pn->section = -1;
	if (note_load(pn->path, &n, err, sizeof(err)) != RN_OK) {
		pn->error = xstrdup(err);
		pn->title = xstrdup(util_base_name(pn->path));
		return;
	}
	pn->title = xstrdup(n->nsections > 0 ? n->sections[0].title :
	    util_base_name(pn->path));
	ref = n->fm_overview != NULL ? ovw_ref_of(n->fm_overview) : NULL;
	if (p != NULL && ovw_path_choose(p, n, NULL, ref, &idx, NULL, NULL,
	    0) == RN_OK)
		pn->section = idx;
	note_free(n);
}

static void
add_to_section(struct ps_section *sec, size_t note)
{
	sec->notes = xreallocarray(sec->notes, sec->nnotes + 1,
	    sizeof(*sec->notes));
	sec->notes[sec->nnotes++] = note;
}

char *
ps_section_of_choice(const struct ovw_choice *c)
{
	int num;

	if (c->path == NULL || c->path->single)
		return NULL;
	num = c->path->sections[c->index].number;
	return xasprintf("%d", num > 0 ? num : c->index + 1);
}

char *
ps_section_of(const struct note *n)
{
	struct ovw_choice c;
	char *s = NULL;

	if (ovw_choose(n, NULL, &c, NULL, 0) == RN_OK)
		s = ps_section_of_choice(&c);
	ovw_choice_free(&c);
	return s;
}

void
ps_refresh(struct ps_status *s, struct hist *h, size_t i)
{
	struct ps_note *pn = &s->notes[i];

	if (pn->reviewed)
		hist_review_free(&pn->last);
	pn->reviewed = false;
	if (h != NULL && hist_last(h, pn->key, &pn->reviewed, &pn->last, NULL,
	    NULL, 0) != RN_OK)
		pn->reviewed = false;
}

int
ps_load(const char *dir, struct hist *h, struct ps_status *out, char *err,
    size_t errlen)
{
	struct folder_list files = { NULL, 0, 0 };
	struct ovw_path *p;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = folder_notes(dir, &files, err, errlen);
	if (rc != RN_OK)
		return rc;
	p = find_path(dir, &out->overview);
	if (p != NULL)
		take_sections(out, p);
	out->notes = xcalloc(files.n != 0 ? files.n : 1, sizeof(*out->notes));
	out->nnotes = files.n;
	for (i = 0; i < files.n; i++) {
		struct ps_note *pn = &out->notes[i];

		pn->path = files.v[i];
		files.v[i] = NULL;
		pn->key = hist_note_key(pn->path);
		read_note(pn, p);
		if (pn->section >= 0)
			add_to_section(&out->sections[pn->section], i);
		ps_refresh(out, h, i);
	}
	ovw_path_free(p);
	folder_list_free(&files);
	return RN_OK;
}

void
ps_free(struct ps_status *s)
{
	size_t i;
	int k;

	for (i = 0; i < s->nnotes; i++) {
		free(s->notes[i].path);
		free(s->notes[i].key);
		free(s->notes[i].title);
		free(s->notes[i].error);
		if (s->notes[i].reviewed)
			hist_review_free(&s->notes[i].last);
	}
	free(s->notes);
	for (k = 0; k < s->nsections; k++) {
		free(s->sections[k].title);
		free(s->sections[k].short_title);
		free(s->sections[k].notes);
	}
	free(s->sections);
	free(s->overview);
	memset(s, 0, sizeof(*s));
}
