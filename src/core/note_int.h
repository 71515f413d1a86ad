/*
 * note_int.h - what the files of the note module share.
 */
#ifndef RUSTNOTE_NOTE_INT_H
#define RUSTNOTE_NOTE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

struct note;

/*
 * Parse n's lines (split, front matter read) as Markdown into its blocks,
 * sections and code spans (note_walk.c).  RN_OK or RN_EFAIL.
 */
enum rn_status note_walk(struct note *n, char *err, size_t errlen);

/* s[0..len) holds nothing but white space (note.c). */
bool note_only_space(const char *s, size_t len);

#endif
