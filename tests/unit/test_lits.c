/*
 * test_lits.c - the literals a pattern cannot match without
 * (rules_lits.c) and how a text is asked for them (rules_grams.c): words,
 * alternatives, optional and counted parts, lookarounds, short literals,
 * case, the characters PCRE2 folds onto ASCII letters, long texts and
 * their ranges, the constructs the reader gives up on, and, over a table
 * of patterns and texts, that no text PCRE2 matches is ever turned away.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rustnote/buf.h"
#include "rustnote/rules.h"
#include "../../src/core/rules_int.h"

/* May re match somewhere in text, as the prefilter sees it? */
static bool
may(const char *re, const char *text)
{
	struct rule_lits	l;
	struct rule_text	t;
	bool			r;

	rule_lits_read(&l, re);
	rule_text_init(&t);
	rule_text_add_raw(&t, text, strlen(text), 0);
	r = rule_lits_may_match(&l, &t, 0, t.text.len);
	rule_text_free(&t);
	rule_lits_free(&l);
	return r;
}

static size_t
branches(const char *re)
{
	struct rule_lits	l;
	size_t			n;

	rule_lits_read(&l, re);
	n = l.nbranch;
	rule_lits_free(&l);
	return n;
}

static void
test_words(void **state)
{
	(void)state;
	assert_int_equal(branches("\\bfree(?:s|d)?\\b"), 1);
	assert_true(may("\\bfree(?:s|d)?\\b", "the heap is freed"));
	assert_true(may("\\bfree(?:s|d)?\\b", "FREE it"));
	assert_false(may("\\bfree(?:s|d)?\\b", "the heap is dropped"));
	assert_false(may("\\bnull\\s+references?\\b", "a pointer to null"));
	/* both words, in the wrong order: left to PCRE2 */
	assert_true(may("\\bnull\\s+references?\\b", "a reference to null"));
	assert_true(may("\\bnull\\s+references?\\b", "no null  references"));
}

/* A joined "match:" and its "or:" lines: each alternative on its own. */
static void
test_branches(void **state)
{
	static const char re[] =
	    "(?:\\bstack\\b[^.;!?]{0,80}\\bcloser\\s+to\\b)|"
	    "(?:\\bheap\\b[^.;!?]{0,50}\\b(?:further|farther)\\b)";

	(void)state;
	assert_int_equal(branches(re), 2);
	assert_false(may(re, "the stack is farther"));
	assert_false(may(re, "the heap is closer to"));
	assert_true(may(re, "the heap is farther"));
	assert_true(may(re, "a stack closer to the CPU"));
	assert_int_equal(branches("(?:(?:abc|def)ghi|jkl)|(?:mno)"), 3);
	assert_false(may("(?:abcx|defx)|(?:ghix)", "abc def ghi"));
	assert_true(may("(?:abcx|defx)|(?:ghix)", "a defx"));
}

static void
test_gives_up(void **state)
{
	static const char *const unread[] = {
		"\\x41bcd", "(?x) a b c d", "\\Qabcd\\E", "(abcd)\\1",
		"[[:alpha:]]abcd", "abcd{,3}", "(?#note)abcd", "abcd|",
		"\\w+\\s+\\w+", "(?(1)abcd|efgh)", "(*UTF)abcd", "ab(?R)cd",
		"\\p{L}abcd", "(?:abcd", "abcd)",
		"[abcd", "a{2,1}bcd", NULL
	};
	size_t	i;

	(void)state;
	for (i = 0; unread[i] != NULL; i++) {
		if (branches(unread[i]) != 0)
			fail_msg("'%s' read", unread[i]);
		assert_true(may(unread[i], "nothing alike"));
	}
}

/* What a lookaround looks at need not be in the text. */
static void
test_lookarounds(void **state)
{
	(void)state;
	assert_true(may("(?<!feel )(?<!for )\\bfree\\b(?!-)", "free"));
	assert_false(may("(?<!feel )(?<!for )\\bfree\\b(?!-)", "feel for"));
	assert_true(may("(?!nothing)\\bsomething", "something"));
	assert_true(may("(?<=[a-z])xyz", "axyz"));
}

static void
test_optional_and_counted(void **state)
{
	(void)state;
	assert_true(may("\\bcolou?r\\b", "color"));
	assert_true(may("\\bcolou?r\\b", "colour"));
	assert_false(may("\\bcolou?r\\b", "colr cols"));
	assert_true(may("(?:ab){2}cd", "xababcd"));
	assert_false(may("(?:ab){2}cd", "abcd"));
	assert_true(may("ab+cde", "abbbcde"));
	assert_false(may("ab+cde", "abcd"));
	assert_true(may("x(?:abc)*yz", "xyz"));
	assert_true(may("[sz]tack", "ztack"));
	assert_false(may("[sz]tack", "track"));
	assert_true(may("[]a]bcd", "]bcd"));
	assert_true(may("\\.(?:map|filter)\\(", "it.filter(x)"));
	assert_false(may("\\.(?:map|filter)\\(", "filter map"));
}

/* Short literals count too: a byte or two the prose rarely holds. */
static void
test_short_literals(void **state)
{
	(void)state;
	assert_false(may("\\)\\s*%\\s*\\d", "x) mod 2"));
	assert_true(may("\\)\\s*%\\s*\\d", "(a + b) % 2"));
	assert_false(may("\\b[iu](?:8|16|32|64|128|size)\\b", "no ints"));
	assert_true(may("\\b[iu](?:8|16|32|64|128|size)\\b", "an i8"));
	assert_true(may("\\b[iu](?:8|16|32|64|128|size)\\b", "a USIZE"));
	/* "loads" needs nothing "load" does not: one of many alternatives */
	assert_true(may("\\buse\\s+(?:loads?|includes?|compiles?|copies|"
	    "copy|imports?|pulls?|brings?|reads?|makes?|turns?|exposes?|"
	    "exports?|pastes?|inserts?|adds?|creates?|does)\\b",
	    "use pulls it in"));
	assert_false(may("\\buse\\s+(?:loads?|includes?|compiles?|copies|"
	    "copy|imports?|pulls?|brings?|reads?|makes?|turns?|exposes?|"
	    "exports?|pastes?|inserts?|adds?|creates?|does)\\b",
	    "use it well"));
}

/* The patterns are caseless, and PCRE2 folds some letters onto ASCII. */
static void
test_case_and_folds(void **state)
{
	(void)state;
	assert_true(may("(?-i:\\bString\\b)", "a STRING"));
	assert_true(may("\\bkelvin\\b", "\xe2\x84\xaa" "elvin"));
	assert_true(may("\\bstack\\b", "\xc5\xbf" "tack"));
	assert_false(may("\\bstack\\b", "heap"));
}

/* A text of its own line "filler" n times, then last. */
static void
long_text(struct rule_text *t, size_t n, const char *last)
{
	size_t	i;

	rule_text_init(t);
	for (i = 0; i < n; i++)
		rule_text_add_raw(t, "filler words about the heap", 27, 0);
	rule_text_add_raw(t, last, strlen(last), 0);
}

static void
test_long_text(void **state)
{
	struct rule_lits	l;
	struct rule_text	t;
	size_t			end;

	(void)state;
	rule_lits_read(&l, "\\bstack\\b.*\\bcloser\\b");
	long_text(&t, 200, "a line without it");
	assert_true(t.text.len > 4096);
	assert_false(rule_lits_may_match(&l, &t, 0, t.text.len));
	assert_false(rule_lits_may_match(&l, &t, 28, 55));
	/* what a long text keeps of one pattern is not another's, even
	   read into the same place */
	rule_lits_free(&l);
	rule_lits_read(&l, "\\bfiller\\s+words\\b");
	assert_true(rule_lits_may_match(&l, &t, 0, t.text.len));
	assert_true(rule_lits_may_match(&l, &t, 28, 55));
	rule_lits_free(&l);
	rule_lits_read(&l, "\\bstack\\b.*\\bcloser\\b");
	rule_text_free(&t);
	long_text(&t, 200, "the stack is closer");
	end = t.text.len;
	assert_true(rule_lits_may_match(&l, &t, 0, end));
	assert_true(rule_lits_may_match(&l, &t, end - 19, end));
	/* a sentence of the text without the words: turned away too */
	assert_false(rule_lits_may_match(&l, &t, 0, 27));
	/* the text changes: what was read of it is read again */
	rule_text_reset(&t);
	rule_text_add_raw(&t, "closer stack", 12, 0);
	assert_true(rule_lits_may_match(&l, &t, 0, t.text.len));
	rule_text_reset(&t);
	rule_text_add_raw(&t, "nothing", 7, 0);
	assert_false(rule_lits_may_match(&l, &t, 0, t.text.len));
	rule_text_free(&t);
	rule_lits_free(&l);
}

static bool
pcre2_finds(const char *re, const char *text)
{
	pcre2_code		*code;
	pcre2_match_data	*md;
	PCRE2_SIZE		 off;
	int			 ec, rc;

	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF, &ec, &off, NULL);
	if (code == NULL)
		fail_msg("'%s' does not compile", re);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	rc = pcre2_match(code, (PCRE2_SPTR)text, strlen(text), 0, 0, md,
	    NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	return rc >= 0;
}

/* Whatever PCRE2 finds, the prefilter lets through. */
static void
test_never_turns_away_a_match(void **state)
{
	static const char *const res[] = {
		"\\bfree(?:s|d|ing)?\\b", "(?-i:\\bString's\\b)",
		"\\b(?:is|gives|returns|==)\\s*1\\b",
		"\\b(?:length|len) (?:of )?(?:n|[1-9]\\d*)\\b",
		"\\bfor\\s+(?:\\w\\w?|item|line)\\s+in\\s+(?!the\\b)\\w+",
		"&(?:Ref)?Cell\\b", "\\.(?:copied|cloned)\\(",
		"\\b(?:i|u)(?:8|16|32|64|128|size)::MAX\\s*\\+\\s*\\d",
		"\\bself\\.[a-z_]\\w*\\b(?!\\s*\\()", "\\bvec!\\[",
		"(?:a|b)(?:cd|ef)(?:gh)?ij", "x[ab][cd]yz", "\\bOption<(?!&)\\w+>",
		"(?:(?:abc|abd)e)|(?:xyz)", "\\bcop(?:ied|ies)\\b",
		NULL
	};
	static const char *const texts[] = {
		"the heap is freed by drop", "String's buffer", "it is 1",
		"len of 3 items", "for x in v.iter()", "a &RefCell<T>",
		"v.iter().cloned()", "u8::MAX + 1", "self.count += 1",
		"let v = vec![1, 2];", "bdefij and acdghij", "xbdyz",
		"an Option<T> here", "abde", "XYZ", "it copies the value",
		"nothing to see", "\xc5\xbf" "elf.x", "COPIED", "", NULL
	};
	size_t	i, k;

	(void)state;
	for (i = 0; res[i] != NULL; i++)
		for (k = 0; texts[k] != NULL; k++)
			if (pcre2_finds(res[i], texts[k]) &&
			    !may(res[i], texts[k]))
				fail_msg("'%s' turned away \"%s\"", res[i],
				    texts[k]);
}

/*
 * Joined alternatives searched one by one over a long text find what the
 * joined pattern finds: the leftmost match, the first alternative's at a
 * tie; with a group named by number, the pattern stays whole.
 */
static void
expect_same(const char *const *alt, size_t n, bool split, bool trusted)
{
	struct rule_pat		*whole, *parts;
	struct rule_text	 t;
	struct rule_range	 a, b;
	struct buf		 re;
	size_t			 i, pos;
	bool			 fa, fb;

	buf_init(&re, 0);
	for (i = 0; i < n; i++)
		buf_printf(&re, "%s(?:%s)", i ? "|" : "", alt[i]);
	whole = rule_pat_compile(buf_str(&re), NULL, 0);
	parts = rule_pat_compile(buf_str(&re), NULL, 0);
	assert_non_null(whole);
	assert_non_null(parts);
	rule_pat_set_parts(parts, alt, n, trusted);
	assert_int_equal(rule_pat_parts(parts), split ? n : 0);
	/* the places to find come first, a long text after them */
	rule_text_init(&t);
	rule_text_add_raw(&t, "first: heaps; the heap frees it, a box holds "
	    "x + &y", 52, 0);
	for (i = 0; i < 300; i++)
		rule_text_add_raw(&t, "filler words about the heap", 27, 0);
	assert_true(t.text.len > 8000);
	/* from each byte of the first line, then from far off */
	for (pos = 0; pos < t.text.len; pos += pos < 50 ? 1 : 997) {
		fa = rule_pat_find(whole, &t, pos, t.text.len, &a);
		fb = rule_pat_find(parts, &t, pos, t.text.len, &b);
		assert_int_equal(fa, fb);
		if (fa) {
			assert_int_equal(a.start, b.start);
			assert_int_equal(a.end, b.end);
		}
	}
	rule_text_free(&t);
	rule_pat_free(whole);
	rule_pat_free(parts);
	buf_free(&re);
}

static void
test_alternatives_alone(void **state)
{
	static const char *const tie[] = { "\\bheap\\b", "\\bheap\\s+frees",
	    "\\bbox\\b" };
	static const char *const later[] = { "\\bbox\\b", "\\bfrees\\b",
	    "(\\w+)\\s*\\+\\s*&\\w+" };
	static const char *const rel[] = { "\\b(\\w+)\\s+\\g{-1}\\b",
	    "\\bfiller\\s+(words)" };
	static const char *const numbered[] = { "\\b(heap)\\b", "\\b\\1s\\b",
	    "\\bwords\\b" };
	static const char *const none[] = { "\\bstack\\b", "\\bcloser\\b" };
	/* calls the group of the alternative before it ((?-1)): alone it
	   does not compile, so it is kept whole, or (trusted) each search
	   over a long text is left to the whole ("heaps" is found only so) */
	static const char *const back[] = { "\\b(heap)\\b", "(?-1)s\\b" };

	(void)state;
	expect_same(tie, 3, true, false);
	expect_same(tie, 3, true, true);
	expect_same(later, 3, true, false);
	expect_same(rel, 2, true, true);
	expect_same(numbered, 3, false, false);
	expect_same(none, 2, true, false);
	expect_same(back, 2, false, false);
	expect_same(back, 2, true, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_branches),
		cmocka_unit_test(test_gives_up),
		cmocka_unit_test(test_lookarounds),
		cmocka_unit_test(test_optional_and_counted),
		cmocka_unit_test(test_short_literals),
		cmocka_unit_test(test_case_and_folds),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_never_turns_away_a_match),
		cmocka_unit_test(test_alternatives_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
