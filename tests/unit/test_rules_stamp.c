/*
 * test_rules_stamp.c - a set of rule files that passed its example check
 * is trusted on the next start (its examples not checked again, its
 * patterns compiled when first searched), and only then: an edited file
 * is checked, a damaged stamp is ignored.  And linking on two threads
 * names the same first error as one thread would.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/offline.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "testutil.h"

/* A user's rule with a pattern, a concept line and a wording of its own. */
static const char MINE[] =
    "id: unicorn-heap\nkind: incorrect\n"
    "all: unicorn|unicorns, HEAP\n"
    "message: There are none.\n"
    "example+: Unicorns live on the heap.\n"
    "example+: The heap is where a unicorn lives.\n"
    "example+: Each unicorn gets memory on the heap.\n"
    "example-: Unicorns are not real.\n"
    "example-: The heap holds boxes.\n"
    "example-: A horse lives in a stable.\n"
    "see: https://doc.rust-lang.org/book/\n\n"
    "id: unicorn-pattern\nkind: incorrect\n"
    "match: \\bunicorn\\s+crate\\b\n"
    "message: There is no such crate.\n"
    "example+: Add the unicorn crate to Cargo.toml.\n"
    "example+: The unicorn  crate does it.\n"
    "example+: Use the Unicorn crate.\n"
    "example-: A unicorn is a myth.\n"
    "example-: The serde crate serialises.\n"
    "example-: Unicorns and crates.\n"
    "see: https://doc.rust-lang.org/book/\n";

struct home {
	struct tmp	*tmp;
	char		*stamp, *top;
};

/* The source tree's top folder, which holds rules/. */
static char *
source_top(void)
{
	static const char *const tries[] = {
		"rules/lexicon.rules", "../rules/lexicon.rules",
		"../../rules/lexicon.rules", "../../../rules/lexicon.rules",
		"../../../../rules/lexicon.rules"
	};
	char	*rules, *top;
	size_t	 i;

	for (i = 0; i < sizeof tries / sizeof tries[0]; i++)
		if (util_file_exists(tries[i])) {
			rules = util_dirname(tries[i]);
			top = util_dirname(rules);
			free(rules);
			return top;
		}
	if ((top = util_data_path("rules", false)) != NULL) {
		rules = util_dirname(top);
		free(top);
		return rules;
	}
	return NULL;
}

static void
write_text(const struct home *h, const char *name, const char *text)
{
	free(write_file(h->tmp, name, text, strlen(text)));
}

#define MINE_FILE	"config/rustnote/rules/mine.rules"
#define STAMP_FILE	"cache/rustnote/rules-checked"

static int
setup(void **state)
{
	struct home	*h = xcalloc(1, sizeof *h);
	char		*dir;

	if (tmp_create((void **)&h->tmp, "rustnote-stamp") != 0)
		return -1;
	dir = xasprintf("%s/config/rustnote/rules", h->tmp->dir);
	if (util_mkdirs(dir, 0700) != 0)
		return -1;
	free(dir);
	h->stamp = xasprintf("%s/" STAMP_FILE, h->tmp->dir);
	write_text(h, MINE_FILE, MINE);
	dir = xasprintf("%s/config", h->tmp->dir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	free(dir);
	dir = xasprintf("%s/cache", h->tmp->dir);
	setenv("XDG_CACHE_HOME", dir, 1);
	free(dir);
	if ((h->top = source_top()) == NULL)
		return -1;
	setenv("RUSTNOTE_DATADIR", h->top, 1);
	*state = h;
	return 0;
}

static int
teardown(void **state)
{
	struct home	*h = *state;
	int		 rc = tmp_teardown((void **)&h->tmp);

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("RUSTNOTE_DATADIR");
	free(h->stamp);
	free(h->top);
	free(h);
	return rc;
}

static struct rule_set *
load(void)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";

	if (rules_load_default(&rs, err, sizeof err) != RN_OK)
		fail_msg("%s", err);
	return rs;
}

static size_t
stamp_lines(const char *path)
{
	char	*text = NULL, err[RN_ERRLEN];
	size_t	 len, i, n = 0;

	if (util_read_file(path, 1 << 16, &text, &len, err, sizeof err) !=
	    RN_OK)
		return 0;
	for (i = 0; i < len; i++)
		n += text[i] == '\n';
	free(text);
	return n;
}

/* Every example of every rule, read by a set as loaded: bad ones. */
static size_t
misbehaving(const struct rule_set *rs)
{
	size_t	i, k, bad = 0;

	for (i = 0; i < rs->nrules; i++)
		for (k = 0; k < rs->rules[i].nex; k++)
			bad += rule_fires(rs, &rs->rules[i],
			    rs->rules[i].ex[k].text) != rs->rules[i].ex[k].fire;
	for (i = 0; i < rs->nterms; i++)
		for (k = 0; k < rs->terms[i].nex; k++)
			bad += rule_term_fires(rs, &rs->terms[i],
			    rs->terms[i].ex[k].text) != rs->terms[i].ex[k].fire;
	return bad;
}

/* Checked once, stamped, then trusted: and the trusted set reads alike. */
static void
test_second_start_is_trusted(void **state)
{
	struct home	*h = *state;
	struct rule_set	*rs;
	size_t		 n;

	rs = load();
	assert_false(rs->stamped);
	n = rs->nrules;
	rules_free(rs);
	/* one line for the bundled set, one for it with the user's */
	assert_int_equal(stamp_lines(h->stamp), 2);

	rs = load();
	assert_true(rs->stamped);
	assert_int_equal(rs->nrules, n);
	/* patterns compiled on first search, entries linked on two
	   threads: every example still gives its rule's answer */
	assert_int_equal(misbehaving(rs), 0);
	rules_free(rs);
	assert_int_equal(stamp_lines(h->stamp), 2);
}

/* An edit is checked whatever the stamp holds, and reported each time. */
static void
test_edited_file_is_checked(void **state)
{
	struct home	*h = *state;
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "", *broken;
	int		 i;

	rules_free(load());
	broken = xstrdup(MINE);
	memcpy(strstr(broken, "Use the Unicorn crate"), "Use the Unicorn cart.",
	    21);
	write_text(h, MINE_FILE, broken);
	for (i = 0; i < 2; i++) {
		assert_int_equal(rules_load_default(&rs, err, sizeof err),
		    RN_EINPUT);
		assert_null(rs);
		assert_non_null(strstr(err, "mine.rules:"));
		assert_non_null(strstr(err, "'unicorn-pattern' does not fire "
		    "on its example"));
	}
	/* the bundled set alone passed; the failing one is not kept */
	assert_int_equal(stamp_lines(h->stamp), 2);
	/* back to the bytes that passed: trusted again */
	write_text(h, MINE_FILE, MINE);
	rs = load();
	assert_true(rs->stamped);
	rules_free(rs);
	free(broken);
}

/* A stamp file that holds anything else is no stamp, and is mended. */
static void
test_damaged_stamp_is_ignored(void **state)
{
	struct home	*h = *state;
	struct rule_set	*rs;
	struct buf	 junk;
	int		 i;

	rules_free(load());
	write_text(h, STAMP_FILE, "not a digest\n0123\n\n");
	rs = load();
	assert_false(rs->stamped);
	rules_free(rs);
	assert_int_equal(stamp_lines(h->stamp), 2);
	rs = load();
	assert_true(rs->stamped);
	rules_free(rs);

	buf_init(&junk, 0);		/* too long to be one: not read */
	for (i = 0; i < 4096; i++)
		buf_adds(&junk, "0123456789abcdef0123456789abcdef\n");
	write_text(h, STAMP_FILE, buf_str(&junk));
	buf_free(&junk);
	rs = load();
	assert_false(rs->stamped);
	assert_int_equal(misbehaving(rs), 0);
	rules_free(rs);
	assert_int_equal(stamp_lines(h->stamp), 2);
}

/* --- the stamp the build leaves ------------------------------------------ */

/* A copy of the bundled rule files in data/rules/, the data folder. */
static void
copy_bundled(const struct home *h)
{
	char		*from = xasprintf("%s/rules", h->top), *to, *text = NULL;
	char		 err[RN_ERRLEN];
	struct dirent	*e;
	size_t		 len, n = 0;
	DIR		*d;

	to = xasprintf("%s/data/rules", h->tmp->dir);
	assert_int_equal(util_mkdirs(to, 0700), 0);
	assert_non_null(d = opendir(from));
	while ((e = readdir(d)) != NULL) {
		char	*src, *dst;

		if (strstr(e->d_name, ".rules") == NULL)
			continue;
		src = xasprintf("%s/%s", from, e->d_name);
		dst = xasprintf("data/rules/%s", e->d_name);
		assert_int_equal(util_read_file(src, 1 << 24, &text, &len, err,
		    sizeof err), RN_OK);
		write_text(h, dst, text);
		free(text);
		free(src);
		free(dst);
		n++;
	}
	closedir(d);
	assert_true(n > 10);
	free(from);
	free(to);
	to = xasprintf("%s/data", h->tmp->dir);
	setenv("RUSTNOTE_DATADIR", to, 1);
	free(to);
}

static void
move_cache_stamp_to(const struct home *h, const char *name)
{
	char	*to = xasprintf("%s/%s", h->tmp->dir, name);

	assert_int_equal(rename(h->stamp, to), 0);
	free(to);
}

/*
 * A first start (nothing in the cache) trusts the bundled files by the
 * stamp the build left beside them, but never the user's files by it,
 * and never an edited bundled file.
 */
static void
test_build_stamp_is_trusted(void **state)
{
	struct home	*h = *state;
	struct rule_set	*rs;
	char		*mine = xasprintf("%s/" MINE_FILE, h->tmp->dir);
	char		*mydir = util_dirname(mine);

	copy_bundled(h);
	rules_free(load());
	/* both digests, the bundled set's and the one with mine */
	assert_int_equal(stamp_lines(h->stamp), 2);
	move_cache_stamp_to(h, "data/rules/checked.stamp");

	assert_int_equal(unlink(mine), 0);
	assert_int_equal(rmdir(mydir), 0);
	rs = load();
	assert_true(rs->stamped);
	assert_int_equal(misbehaving(rs), 0);
	rules_free(rs);
	assert_int_equal(stamp_lines(h->stamp), 0);

	/* mine's digest is in the build's stamp too, but that stamp speaks
	   for the bundled folder only: mine is checked, and kept */
	assert_int_equal(util_mkdirs(mydir, 0700), 0);
	write_text(h, MINE_FILE, MINE);
	rs = load();
	assert_false(rs->stamped);
	rules_free(rs);
	assert_int_equal(stamp_lines(h->stamp), 1);

	/* an edited bundled file is checked, the build's stamp whatever */
	assert_int_equal(unlink(mine), 0);
	assert_int_equal(rmdir(mydir), 0);
	assert_int_equal(unlink(h->stamp), 0);
	write_text(h, "data/rules/zz-edit.rules", "# a file of my own\n");
	rs = load();
	assert_false(rs->stamped);
	rules_free(rs);
	assert_int_equal(stamp_lines(h->stamp), 1);
	free(mydir);
	free(mine);
}

/* --- linking on two threads ---------------------------------------------- */

/* n rules; rule bad_entry has a wording that is no entry, rule
   bad_link an unknown concept (-1: none). */
static char *
many_rules(int n, int bad_entry, int bad_link)
{
	struct buf	b;
	int		i;

	buf_init(&b, 0);
	buf_adds(&b, "concept: THING = thing, object\n\n");
	for (i = 0; i < n; i++)
		buf_printf(&b, "id: r%d\nkind: incorrect\nall: word%d|%s, %s\n"
		    "message: m\n\n", i, i, i == bad_entry ? "foo-bar*" :
		    "other", i == bad_link ? "NOSUCH" : "THING");
	return buf_steal(&b);
}

static void
expect_error(int bad_entry, int bad_link, const char *want)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "", *text;

	text = many_rules(200, bad_entry, bad_link);
	assert_int_equal(rules_load_text(&rs, "many.rules", text, err,
	    sizeof err), RN_EINPUT);
	if (strstr(err, want) == NULL)
		fail_msg("wanted \"%s\" in \"%s\"", want, err);
	rules_free(rs);
	free(text);
}

/* Whichever half a fault is in, the first in the file is named. */
static void
test_two_thread_link_names_first_error(void **state)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "", *text;

	(void)state;
	/* each rule is 5 lines after the 2 of the concept: rule i's "all:"
	   is on line 5 * i + 5 */
	expect_error(10, 150, "many.rules:55: 'foo-bar*'");
	expect_error(150, 10, "many.rules:55: unknown concept 'NOSUCH'");
	expect_error(150, 170, "many.rules:755: 'foo-bar*'");
	expect_error(170, 150, "many.rules:755: unknown concept 'NOSUCH'");
	expect_error(20, -1, "many.rules:105: 'foo-bar*'");
	expect_error(-1, 190, "many.rules:955: unknown concept 'NOSUCH'");
	/* and without a fault, wordings shared across the halves are one
	   concept: rule 0's and rule 199's "other" */
	text = many_rules(200, -1, -1);
	assert_int_equal(rules_load_text(&rs, "many.rules", text, err,
	    sizeof err), RN_OK);
	assert_true(rule_fires(rs, &rs->rules[0], "The other thing."));
	assert_true(rule_fires(rs, &rs->rules[199], "Some other object."));
	assert_true(rule_fires(rs, &rs->rules[199], "word199 and things"));
	assert_false(rule_fires(rs, &rs->rules[199], "word198 and things"));
	rules_free(rs);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_second_start_is_trusted,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_edited_file_is_checked,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_stamp_is_ignored,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_build_stamp_is_trusted,
		    setup, teardown),
		cmocka_unit_test(test_two_thread_link_names_first_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
