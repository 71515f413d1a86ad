/*
 * util.h - small helpers used across the core: allocation that never returns
 * NULL, strings, files, UTF-8.
 */
#ifndef RUSTNOTE_UTIL_H
#define RUSTNOTE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

/* Allocation wrappers: on out-of-memory they call the fatal hook and exit. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called before exiting on a fatal error (the TUI restores the terminal). */
void util_set_fatal_hook(void (*hook)(void));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * The message for failing to open path with errno e: "PATH: no such
 * file", "PATH: permission denied", else strerror's words.  RN_EINPUT.
 */
enum rn_status util_open_error(const char *path, int e, char *err,
    size_t errlen);
/*
 * Read a whole regular file.  Refuses directories, files larger than
 * maxlen and unreadable files with a message naming the file and the cause.
 * Returns RN_OK or RN_EINPUT; *out is NUL-terminated and owned by the caller.
 */
enum rn_status util_read_file(const char *path, size_t maxlen, char **out,
    size_t *outlen, char *err, size_t errlen);
/* Write a file atomically: temp file in the same folder, fsync, rename. */
enum rn_status util_write_file_atomic(const char *path, const void *data,
    size_t len, int mode, char *err, size_t errlen);
/* mkdir -p; 0 or -1 with errno. */
int util_mkdirs(const char *path, int mode);

/* Directory of path ("." when there is none), newly allocated. */
char *util_dirname(const char *path);
/* The last component of path (a pointer into it). */
const char *util_base_name(const char *path);
/* Join a directory and a relative name; an absolute name is returned as is. */
char *util_path_join(const char *dir, const char *name);
bool util_file_exists(const char *path);
/* Directory that holds the running executable, or NULL. */
char *util_exe_dir(void);

/*
 * Find a data file or folder shipped with rustnote ("prompts/system.md",
 * "rules"): the user's copy under util_config_dir() when user_first, then
 * $RUSTNOTE_DATADIR, the executable's own folder (a source-tree build),
 * ../share/rustnote beside the executable, and the compiled-in RN_DATADIR.
 * Returns a new path, or NULL when none exists.
 */
char *util_data_path(const char *rel, bool user_first);

/* $XDG_CONFIG_HOME/rustnote or ~/.config/rustnote (likewise for cache,
 * and for data: ~/.local/share/rustnote). */
char *util_config_dir(void);
char *util_cache_dir(void);
char *util_data_dir(void);

/*
 * Check that s[0..len) is valid UTF-8.  Returns true, or false with the
 * 1-based line and byte offset of the first bad sequence.
 */
bool utf8_valid(const char *s, size_t len, int *bad_line, size_t *bad_off);
/* Length in bytes of the UTF-8 sequence starting at s (1 for bad bytes). */
size_t utf8_seqlen(const char *s, size_t avail);
/* Decode one code point; returns bytes used (>=1); bad bytes give U+FFFD. */
size_t utf8_decode(const char *s, size_t avail, unsigned *cp);

bool str_starts_with(const char *s, const char *prefix);
bool str_iequal(const char *a, const char *b);
/* Trim ASCII white space in place; returns s. */
char *str_trim(char *s);
/* Case-insensitive substring search (ASCII folding). */
const char *str_icase_find(const char *hay, const char *needle);

/* 64-bit FNV-1a, continued from h (start with FNV64_INIT). */
#define FNV64_INIT 0xcbf29ce484222325ULL
unsigned long long fnv64(unsigned long long h, const void *p, size_t n);

#endif
