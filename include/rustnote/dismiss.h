/*
 * dismiss.h - findings the learner dismissed, remembered per note.
 *
 * A dismissed finding is hidden from the review screen (D shows it) and
 * left out of --plain, --json and --jsonl unless --all is given.  It is
 * known by its kind and a hash of its quote (of its message when it has
 * none), so it stays dismissed across reviews until its quote changes.
 * Where the set is kept is this module's business alone.
 */
#ifndef RUSTNOTE_DISMISS_H
#define RUSTNOTE_DISMISS_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

struct finding;
struct finding_list;
struct dis_set;

/* Where the set of the note at note_path is kept; new string. */
char *dis_path(const char *note_path);
/* The set kept at path; a missing or unreadable store is an empty set. */
struct dis_set *dis_load(const char *path);
bool dis_has(const struct dis_set *d, const struct finding *f);
/* Dismiss f (on) or bring it back, and save the set to path. */
enum rn_status dis_set(struct dis_set *d, const char *path,
    const struct finding *f, bool on, char *err, size_t errlen);
/* Set each finding's dismissed flag from the set. */
void dis_mark(const struct dis_set *d, struct finding_list *l);
/* Remove (and free) the findings marked dismissed. */
void dis_drop(struct finding_list *l);
void dis_free(struct dis_set *d);

#endif
