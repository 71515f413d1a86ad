/*
 * wcache.c - a table from words to what was worked out for them (see
 * wcache.h): open addressing with linear probing, at most half full, the
 * keys' bytes in one growing buffer so that a word costs no allocation
 * of its own.
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/util.h"
#include "rustnote/wcache.h"

#define WCACHE_FIRST_CAP	256
#define WCACHE_KEYS_MAX		((size_t)UINT32_MAX)	/* offsets are 32-bit */

void
wcache_init(struct wcache *c)
{
	memset(c, 0, sizeof *c);
}

void
wcache_free(struct wcache *c)
{
	free(c->slot);
	free(c->keys);
	memset(c, 0, sizeof *c);
}

void
wcache_clear(struct wcache *c)
{
	if (c->cap > 0)
		memset(c->slot, 0, c->cap * sizeof *c->slot);
	c->n = 0;
	c->keys_len = 0;
}

/* a[0, n) == b[0, n), eight bytes at a time: most words are short */
static bool
same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t	x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
	}
	while (n > 0 && *a == *b)
		a++, b++, n--;
	return n == 0;
}

static bool
slot_is(const struct wcache *c, const struct wcache_slot *sl,
    const char *key, size_t len, uint64_t h)
{
	return sl->hash == h && sl->len == len &&
	    same_bytes(c->keys + sl->key, key, len);
}

bool
wcache_get(const struct wcache *c, const char *key, size_t len, uint64_t h,
    uint64_t *value, unsigned *flags)
{
	size_t	i;

	if (c->n == 0 || len == 0 || len > WCACHE_KEY_MAX)
		return false;
	for (i = h & (c->cap - 1); c->slot[i].len != 0; i = (i + 1) &
	    (c->cap - 1))
		if (slot_is(c, &c->slot[i], key, len, h)) {
			*value = c->slot[i].value;
			*flags = c->slot[i].flags;
			return true;
		}
	return false;
}

/* A free slot for hash h; the table has room. */
static struct wcache_slot *
free_slot(struct wcache *c, uint64_t h)
{
	size_t	i;

	for (i = h & (c->cap - 1); c->slot[i].len != 0; i = (i + 1) &
	    (c->cap - 1))
		;
	return &c->slot[i];
}

static void
grow(struct wcache *c)
{
	struct wcache_slot	*old = c->slot;
	size_t			 cap = c->cap, i;

	c->cap = cap ? cap * 2 : WCACHE_FIRST_CAP;
	c->slot = xcalloc(c->cap, sizeof *c->slot);
	for (i = 0; i < cap; i++)
		if (old[i].len != 0)
			*free_slot(c, old[i].hash) = old[i];
	free(old);
}

void
wcache_put(struct wcache *c, const char *key, size_t len, uint64_t h,
    uint64_t value, unsigned flags)
{
	struct wcache_slot	*sl;

	if (len == 0 || len > WCACHE_KEY_MAX ||
	    c->keys_len + len > WCACHE_KEYS_MAX)
		return;
	if ((c->n + 1) * 2 > c->cap)
		grow(c);
	if (c->keys_len + len > c->keys_alloc) {
		c->keys_alloc = (c->keys_len + len) * 2;
		c->keys = xrealloc(c->keys, c->keys_alloc);
	}
	memcpy(c->keys + c->keys_len, key, len);
	sl = free_slot(c, h);
	sl->hash = h;
	sl->value = value;
	sl->key = (uint32_t)c->keys_len;
	sl->len = (uint8_t)len;
	sl->flags = (uint8_t)flags;
	c->keys_len += len;
	c->n++;
}
