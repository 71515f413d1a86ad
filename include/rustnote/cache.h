/*
 * cache.h - reviews cached on disk, so an unchanged note is shown again
 * without a request.
 *
 * Entries live in $XDG_CACHE_HOME/rustnote/reviews/<key>.json and hold the
 * raw reply text (re-parsed and re-anchored on every hit) and token usage.
 * The key covers provider, base URL, model, the prompt templates and the
 * exact prompt.  Writes are atomic; a corrupt entry is a miss, not an error.
 * The API key is never part of an entry.
 */
#ifndef RUSTNOTE_CACHE_H
#define RUSTNOTE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

struct prompt;

struct cache_entry {
	char *reply;		/* raw reply text */
	bool truncated;		/* the reply was cut by the token limit */
	long input_tokens, output_tokens;
};

/* 32 hex digits + NUL. */
#define CACHE_KEY_LEN 33

void cache_key(const char *provider, const char *base_url, const char *model,
    const struct prompt *p, char key[CACHE_KEY_LEN]);
/* true on a hit; e is filled and owned by the caller (cache_entry_free). */
bool cache_get(const char *key, struct cache_entry *e);
/*
 * Read an entry's text (as cache_get() does with the file): true when it
 * is one; token counts absent or absurd are -1 ("unknown").
 */
bool cache_entry_parse(const char *text, size_t len, struct cache_entry *e);
/* RN_OK or RN_EFAIL (message in err); failures are worth a warning only. */
enum rn_status cache_put(const char *key, const struct cache_entry *e,
    char *err, size_t errlen);
void cache_entry_free(struct cache_entry *e);
/* Write a cJSON object (a cJSON *) to path in the cache folder, atomically
 * and private to the user (the folder is made when missing). */
enum rn_status cache_write_json(const char *path, const void *json,
    char *err, size_t errlen);

#endif
