/*
 * wcache.h - what was worked out for a word, kept by the word.  Most
 * words of a note come back again and again, and each time their stem
 * would be worked out anew (lower case, irregular forms, endings): a
 * review asks this table first.  Keys are byte strings of 1 to
 * WCACHE_KEY_MAX bytes, hashed by the caller (who has hashed the word
 * already); each holds a 64-bit value and a few bits of flags.
 */
#ifndef RUSTNOTE_WCACHE_H
#define RUSTNOTE_WCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WCACHE_KEY_MAX	255	/* longer keys are not kept */

struct wcache_slot {
	uint64_t	hash;
	uint64_t	value;
	uint32_t	key;		/* offset of the key in keys */
	uint8_t		len;		/* 0: empty */
	uint8_t		flags;
};

struct wcache {
	struct wcache_slot	*slot;
	size_t			 cap;	/* a power of two, or 0 */
	size_t			 n;
	char			*keys;	/* the keys, one after another */
	size_t			 keys_len, keys_alloc;
};

void wcache_init(struct wcache *c);
void wcache_free(struct wcache *c);
/* Forget every key; the memory is kept for the next ones. */
void wcache_clear(struct wcache *c);
/* The value and flags kept for key (of hash h): false if none. */
bool wcache_get(const struct wcache *c, const char *key, size_t len,
    uint64_t h, uint64_t *value, unsigned *flags);
/* Keep value and flags (low 8 bits) for a key not kept yet. */
void wcache_put(struct wcache *c, const char *key, size_t len, uint64_t h,
    uint64_t value, unsigned flags);

#endif
