/*
 * pathstatus.h - where a learner stands on a learning path: the notes of
 * a folder, the section of the path each belongs to, the sections with
 * no note yet, and each note's last stored review.  `rustnote status`
 * prints it; the learning-path view (src/tui/pathview.c) shows it.
 *
 * The path is the overview.md or curriculum.md ovw_locate() would find
 * for a note in the folder.  A note's section is chosen by the path's
 * own rules (ovw_path_choose(): front matter, file name number, first
 * heading); a note that matches none has no section.
 */
#ifndef RUSTNOTE_PATHSTATUS_H
#define RUSTNOTE_PATHSTATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/history.h"

struct note;

struct ps_note {
	char *path;		/* the folder joined with the relative name */
	char *key;		/* its history key (hist_note_key()) */
	char *title;		/* first heading, else the file name */
	int section;		/* index into ps_status.sections, or -1 */
	char *error;		/* why the note could not be read, or NULL */
	bool reviewed;		/* last is set */
	struct hist_review last;
};

struct ps_section {
	int number;		/* as numbered in the path, else its place */
	char *title;
	char *short_title;	/* without asides, for narrow columns */
	size_t *notes;		/* indices into ps_status.notes */
	size_t nnotes;
};

struct ps_status {
	char *overview;		/* the path file, or NULL when none */
	struct ps_section *sections;
	int nsections;
	struct ps_note *notes;	/* in path order of the files */
	size_t nnotes;
};

/*
 * Gather the status of dir.  h may be NULL (no history: nothing is
 * reviewed).  RN_OK, or RN_EINPUT when dir cannot be read; a note or a
 * path file that is unusable is reported in it, not as a failure.
 */
int ps_load(const char *dir, struct hist *h, struct ps_status *out,
    char *err, size_t errlen);
/*
 * The learning-path section note n is reviewed against, as history keeps
 * it ("2"; the place for an unnumbered section), or NULL when its
 * overview is a single one or none is found.  New string.
 */
char *ps_section_of(const struct note *n);
/* The same from a choice already made (ovw_choose()). */
struct ovw_choice;
char *ps_section_of_choice(const struct ovw_choice *c);
/* Read note i's last review again (after it was reviewed). */
void ps_refresh(struct ps_status *s, struct hist *h, size_t i);
void ps_free(struct ps_status *s);

#endif
