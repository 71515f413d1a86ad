/*
 * testutil.h - helpers more than one unit test needs: a temporary folder
 * per test, files written into it, and the reply fixtures.
 *
 * Each test is a program of its own, so the helpers are static inline:
 * a test uses those it needs and the rest cost nothing.  Include it after
 * <cmocka.h>, whose assertions it uses.
 */
#ifndef RUSTNOTE_TESTUTIL_H
#define RUSTNOTE_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

#include "rustnote/err.h"
#include "rustnote/util.h"

/* A folder of its own for one test, removed when the test ends. */
struct tmp {
	char	dir[64];
};

/*
 * The cmocka setup of a test that writes files: *state gets a new folder
 * /tmp/<name>-XXXXXX, the name telling which test left one behind.
 */
static inline int
tmp_create(void **state, const char *name)
{
	struct tmp	*t = xcalloc(1, sizeof *t);

	snprintf(t->dir, sizeof t->dir, "/tmp/%s-XXXXXX", name);
	if (mkdtemp(t->dir) == NULL) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

/* The matching teardown: the folder and all in it go. */
static inline int
tmp_teardown(void **state)
{
	struct tmp	*t = *state;
	char		*cmd = xasprintf("rm -rf '%s'", t->dir);
	int		 rc = system(cmd);

	free(cmd);
	free(t);
	return rc == 0 ? 0 : -1;
}

/* Write len bytes into dir/name; returns the path (caller frees). */
static inline char *
write_file(const struct tmp *t, const char *name, const void *data,
    size_t len)
{
	char	*path = xasprintf("%s/%s", t->dir, name);
	FILE	*f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* A reply as a model sent it, from tests/replies/ (caller frees). */
static inline char *
load_reply(const char *name, size_t *len)
{
	char	*path = xasprintf("tests/replies/%s", name), *data = NULL;
	char	 err[RN_ERRLEN];

	if (util_read_file(path, 1 << 20, &data, len, err, sizeof err) !=
	    RN_OK)
		fail_msg("%s", err);
	free(path);
	return data;
}

#endif
