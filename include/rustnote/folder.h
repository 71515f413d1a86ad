/*
 * folder.h - the notes of a folder: every Markdown file below it that is
 * not an overview (NAME.overview.md, overview.md, curriculum.md), in path
 * order.  Hidden
 * folders (.git, ...) are skipped and symbolic links to folders are not
 * followed, so a link loop cannot trap the walk.
 */
#ifndef RUSTNOTE_FOLDER_H
#define RUSTNOTE_FOLDER_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

struct folder_list {
	char **v;		/* paths, dir joined with the relative name */
	size_t n, cap;
};

/* Is name (a file name or path) an overview rather than a note? */
bool folder_is_overview(const char *path);
/* Is path a Markdown file (".md", ".markdown")? */
bool folder_is_markdown(const char *path);
/*
 * Append the notes below dir to out, sorted.  RN_OK, or RN_EINPUT with a
 * message naming the folder when it cannot be read.
 */
enum rn_status folder_notes(const char *dir, struct folder_list *out, char *err,
    size_t errlen);
void folder_list_add(struct folder_list *l, const char *path);
void folder_list_free(struct folder_list *l);

#endif
