/*
 * test_wcache.c - the table of what was worked out per word: a key is
 * found again with its value and flags, keys of one hash stay apart, the
 * table grows past its first size, clearing forgets every key, and keys
 * too long to keep are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rustnote/util.h"
#include "rustnote/wcache.h"

static uint64_t
hash_of(const char *s)
{
	return fnv64(FNV64_INIT, s, strlen(s));
}

static void
put(struct wcache *c, const char *key, uint64_t value, unsigned flags)
{
	wcache_put(c, key, strlen(key), hash_of(key), value, flags);
}

static bool
get(const struct wcache *c, const char *key, uint64_t *value,
    unsigned *flags)
{
	return wcache_get(c, key, strlen(key), hash_of(key), value, flags);
}

static void
test_found_again(void **state)
{
	struct wcache	c;
	uint64_t	v = 0;
	unsigned	f = 0;

	(void)state;
	wcache_init(&c);
	assert_false(get(&c, "stack", &v, &f));
	put(&c, "stack", 42, 1);
	put(&c, "heap", 7, 2);
	assert_true(get(&c, "stack", &v, &f));
	assert_int_equal(v, 42);
	assert_int_equal(f, 1);
	assert_true(get(&c, "heap", &v, &f));
	assert_int_equal(v, 7);
	assert_int_equal(f, 2);
	assert_false(get(&c, "stac", &v, &f));
	assert_false(get(&c, "stacks", &v, &f));
	wcache_free(&c);
}

/* Two words given one hash (the caller's) are two keys. */
static void
test_same_hash(void **state)
{
	struct wcache	c;
	uint64_t	v = 0;
	unsigned	f = 0;

	(void)state;
	wcache_init(&c);
	wcache_put(&c, "frame", 5, 99, 1, 0);
	wcache_put(&c, "frames", 6, 99, 2, 0);
	wcache_put(&c, "fram", 4, 99, 3, 0);
	assert_true(wcache_get(&c, "frames", 6, 99, &v, &f));
	assert_int_equal(v, 2);
	assert_true(wcache_get(&c, "frame", 5, 99, &v, &f));
	assert_int_equal(v, 1);
	assert_true(wcache_get(&c, "fram", 4, 99, &v, &f));
	assert_int_equal(v, 3);
	assert_false(wcache_get(&c, "frame", 5, 98, &v, &f));
	wcache_free(&c);
}

static void
test_grows(void **state)
{
	struct wcache	c;
	char		key[32];
	uint64_t	v = 0;
	unsigned	f = 0;
	int		i;

	(void)state;
	wcache_init(&c);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "word%d", i);
		put(&c, key, (uint64_t)i * 3, (unsigned)i & 0xff);
	}
	assert_int_equal(c.n, 5000);
	assert_true(c.cap >= 10000);
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof key, "word%d", i);
		assert_true(get(&c, key, &v, &f));
		assert_int_equal(v, (uint64_t)i * 3);
		assert_int_equal(f, (unsigned)i & 0xff);
	}
	assert_false(get(&c, "word5000", &v, &f));
	wcache_free(&c);
}

static void
test_clear(void **state)
{
	struct wcache	c;
	uint64_t	v = 0;
	unsigned	f = 0;

	(void)state;
	wcache_init(&c);
	put(&c, "borrow", 1, 0);
	wcache_clear(&c);
	assert_false(get(&c, "borrow", &v, &f));
	put(&c, "borrow", 2, 0);
	assert_true(get(&c, "borrow", &v, &f));
	assert_int_equal(v, 2);
	wcache_clear(&c);
	wcache_clear(&c);
	assert_int_equal(c.n, 0);
	wcache_free(&c);
	wcache_clear(&c);		/* a freed table is an empty one */
	assert_false(get(&c, "borrow", &v, &f));
}

static void
test_keys_kept_or_refused(void **state)
{
	struct wcache	c;
	char		longest[WCACHE_KEY_MAX + 2];
	uint64_t	v = 0;
	unsigned	f = 0;

	(void)state;
	wcache_init(&c);
	memset(longest, 'a', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	put(&c, longest, 1, 0);			/* one byte too long */
	assert_false(get(&c, longest, &v, &f));
	longest[WCACHE_KEY_MAX] = '\0';
	put(&c, longest, 2, 0);
	assert_true(get(&c, longest, &v, &f));
	assert_int_equal(v, 2);
	wcache_put(&c, "", 0, 0, 3, 0);		/* empty: never kept */
	assert_false(wcache_get(&c, "", 0, 0, &v, &f));
	assert_int_equal(c.n, 1);
	wcache_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_again),
		cmocka_unit_test(test_same_hash),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_keys_kept_or_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
