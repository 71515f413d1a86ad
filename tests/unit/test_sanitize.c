/* test_sanitize.c - the one sanitiser of outside text, as a table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#define NL	SAN_NEWLINE
#define TAB	SAN_TAB
#define SQ	SAN_SQUEEZE
#define FFFD	"\xef\xbf\xbd"

struct row {
	const char *in;
	unsigned flags;
	const char *want;
};

static const struct row rows[] = {
	/* CSI, with and without parameters and intermediates */
	{ "a\x1b[31mred\x1b[0m b", NL, "ared b" },
	{ "a\x1b[?1049hb", NL, "ab" },
	{ "a\x1b[2 qb", NL, "ab" },
	{ "a\x1b[", NL, "a" },			/* cut at the end */
	/* OSC: title, hyperlink, clipboard; ended by BEL, ST, C1 ST */
	{ "x\x1b]0;pwned\x07y", NL, "xy" },
	{ "x\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\y", NL, "xlinky" },
	{ "x\x1b]52;c;cm0gLXJmIH4=\x07y", NL, "xy" },
	{ "x\x1b]2;never ended", NL, "x" },
	/* DCS, SOS, PM, APC with their payloads */
	{ "x\x1bPq#0;2;0;0;0#0~~@@vv@@~~\x1b\\y", NL, "xy" },
	{ "x\x1bP$qm\x1b\\y", NL, "xy" },
	{ "x\x1bXsos payload\x1b\\y", NL, "xy" },
	{ "x\x1b^pm payload\x1b\\y", NL, "xy" },
	{ "x\x1b_apc payload\x07y", NL, "xy" },
	/* an ESC inside a string ends it and starts its own sequence */
	{ "x\x1bPabc\x1b[31my", NL, "xy" },
	/* short forms */
	{ "lone\x1b", NL, "lone" },
	{ "a\x1b" "cb", NL, "ab" },		/* ESC c: reset */
	{ "a\x1b(Bb", NL, "ab" },		/* ESC ( B: charset */
	{ "a\x1b#8b", NL, "ab" },		/* DECALN */
	{ "a\x1b" "7b\x1b" "8", NL, "ab" },	/* save, restore cursor */
	/* C1 spellings in UTF-8 */
	{ "a\xc2\x9b" "31mb", NL, "ab" },		/* CSI */
	{ "a\xc2\x9d" "0;t\xc2\x9c" "b", NL, "ab" },	/* OSC..ST */
	{ "a\xc2\x90q#0\xc2\x9c" "b", NL, "ab" },	/* DCS..ST */
	{ "a\xc2\x98s\xc2\x9c\xc2\x9ep\xc2\x9c\xc2\x9f" "a\x07" "b", NL, "ab" },
	{ "a\xc2\x84" "b", NL, "ab" },		/* IND */
	{ "a\xc2\x85" "b", NL, "a\nb" },	/* NEL ends a line */
	{ "a\xc2\x85" "b", 0, "a b" },
	/* C0 and DEL */
	{ "a\x7f" "b\x01\x08" "c\x07", NL, "abc" },
	{ "a\x00" "b", NL, "a" },		/* strlen stops (table is C) */
	/* bidi embeddings, overrides, isolates, marks */
	{ "\xe2\x80\xae" "evil\xe2\x80\xac" "x\xe2\x81\xa6y", NL, "evilxy" },
	{ "a\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xad" "b", NL, "ab" },
	{ "a\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9" "b", NL, "ab" },
	{ "a\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c" "b", NL, "ab" },
	/* zero-width characters and the BOM */
	{ "\xef\xbb\xbf" "a\xe2\x80\x8b" "b\xe2\x80\x8c\xe2\x80\x8d" "c", NL,
	  "abc" },
	{ "a\xe2\x81\xa0" "b\xe1\xa0\x8e" "c", NL, "abc" },
	/* invalid UTF-8: one U+FFFD per bad byte */
	{ "caf\xc3\xa9", NL, "caf\xc3\xa9" },
	{ "a\xff" "b", NL, "a" FFFD "b" },
	{ "a\xc3", NL, "a" FFFD },
	{ "\xc0\xaf", NL, FFFD FFFD },			/* overlong */
	{ "\xed\xa0\x80", NL, FFFD FFFD FFFD },		/* surrogate */
	{ "\xf4\x90\x80\x80", NL, FFFD FFFD FFFD FFFD },	/* > U+10FFFF */
	{ "a\x9b" "31mb", NL, "a" FFFD "31mb" },	/* raw C1 byte */
	/* emoji and wide text pass */
	{ "\xf0\x9f\xa6\x80 \xe4\xb8\xad", NL, "\xf0\x9f\xa6\x80 \xe4\xb8\xad" },
	/* white space: tabs, line ends, trimming */
	{ "a\tb", NL, "a b" },
	{ "a\tb", NL | TAB, "a\tb" },
	{ "  a  \n\n\n\n  b  ", NL, "a\n\n  b" },
	{ "a\r\nb\rc", NL, "a\nb\nc" },
	{ "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", NL, "a\nb\nc" },
	{ "a   \nb", NL, "a\nb" },
	{ "\n \t\n", NL, "" },
	{ "fn f() {\n    x\n}", NL, "fn f() {\n    x\n}" },
	{ "a\n\tb", NL | TAB, "a\n\tb" },
	{ "a\r\n\tb  c \x1b[1m d", 0, "a  b  c  d" },
	{ "a\r\n\tb  c \x1b[1m d ", SQ, "a b c d" },
	{ "bad\x1b[31m red\x1b]0;title\a\r\n\tline\x7f\xff end  ", SQ,
	  "bad red line" FFFD " end" },
	{ "", NL, "" },
	/* cleaning clean text changes nothing */
	{ "Ownership moves; `&T` borrows.", NL, "Ownership moves; `&T` borrows." },
};

static void
test_table(void **state)
{
	size_t i;
	char *got, *again;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		got = san_str(rows[i].in, rows[i].flags, 0);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: got \"%s\"", i, got);
		again = san_str(got, rows[i].flags, 0);
		assert_string_equal(again, got);
		free(again);
		free(got);
	}
}

static void
test_nul_inside_length(void **state)
{
	char *s;

	(void)state;
	s = san_text("a\0b", 3, NL, 0);
	assert_string_equal(s, "ab");
	free(s);
	s = san_text(NULL, 0, NL, 0);
	assert_string_equal(s, "");
	free(s);
	s = san_str(NULL, 0, 10);
	assert_string_equal(s, "");
	free(s);
}

static const struct {
	unsigned cp;
	bool hidden;
} cps[] = {
	{ 0x00, true }, { 0x09, true }, { 0x0a, true }, { 0x1b, true },
	{ 0x1f, true }, { 0x20, false }, { 0x7e, false }, { 0x7f, true },
	{ 0x80, true }, { 0x9b, true }, { 0x9f, true }, { 0xa0, false },
	{ 0xe9, false }, { 0x061b, false }, { 0x061c, true },
	{ 0x200a, false }, { 0x200b, true }, { 0x200f, true },
	{ 0x2010, false }, { 0x2029, false }, { 0x202a, true },
	{ 0x202e, true }, { 0x202f, false }, { 0x2060, true },
	{ 0x2066, true }, { 0x2069, true }, { 0x206f, true },
	{ 0x2070, false }, { 0xfeff, true }, { 0xfffd, false },
	{ 0x1f980, false },
};

static void
test_cp_hidden(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++)
		if (san_cp_hidden(cps[i].cp) != cps[i].hidden)
			fail_msg("U+%04X", cps[i].cp);
}

static void
test_cap(void **state)
{
	char *in, *out;
	size_t i, n = 5000;
	char long_text[600];

	(void)state;
	/* 2-byte characters: the cut must not split one */
	in = xmalloc(n * 2 + 1);
	for (i = 0; i < n; i++)
		memcpy(in + i * 2, "\xc3\xa9", 2);
	in[n * 2] = '\0';
	out = san_text(in, n * 2, NL, 101);
	assert_int_equal(strlen(out), 98 + 3);
	assert_memory_equal(out + 98, SAN_ELLIPSIS, 3);
	free(out);
	free(in);

	out = san_str("short", NL, 10);
	assert_string_equal(out, "short");
	free(out);
	out = san_str("exactly10!", NL, 10);
	assert_string_equal(out, "exactly10!");
	free(out);
	/* no blank left before the mark */
	out = san_str("abc     defgh", NL, 10);
	assert_string_equal(out, "abc" SAN_ELLIPSIS);
	free(out);

	memset(long_text, 'a', sizeof long_text);
	long_text[196] = '\xc3';
	long_text[197] = '\xa9';
	out = san_text(long_text, sizeof long_text, SQ, 200);
	assert_int_equal(strlen(out), 196 + 3);
	assert_string_equal(out + 196, SAN_ELLIPSIS);
	free(out);
}

/* A huge input costs no more than its first cap bytes. */
static void
test_huge(void **state)
{
	const char *unit = "Heap memory is freed when its owner is dropped. ";
	size_t ulen = strlen(unit), n = (8 << 20) / ulen + 1, i;
	char *in = xmalloc(n * ulen + 1), *out;

	(void)state;
	for (i = 0; i < n; i++)
		memcpy(in + i * ulen, unit, ulen);
	in[n * ulen] = '\0';
	out = san_text(in, n * ulen, NL, 4000);
	assert_true(strlen(out) <= 4000);
	assert_true(strlen(out) > 4000 - 64);
	free(out);
	/* an unterminated string swallows the rest, in one pass */
	in[0] = '\x1b';
	in[1] = ']';
	out = san_text(in, n * ulen, NL, 0);
	assert_string_equal(out, "");
	free(out);
	free(in);
}

/* No byte a terminal would act on: C0 (but \n and \t), DEL, C1, hidden. */
static void
assert_terminal_safe(const char *s, size_t cap)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, len = strlen(s), n;
	unsigned cp;

	if (cap > 0)
		assert_true(len <= cap);
	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		assert_true(n >= 1);
		if (u[i] == '\n' || u[i] == '\t')
			continue;
		assert_false(cp == 0xfffd && n == 1);
		assert_false(san_cp_hidden(cp));
	}
}

/* Random bytes, biased towards the interesting ones; fixed seed. */
static void
test_random(void **state)
{
	static const unsigned char pick[] = {
		0x1b, '[', ']', 'P', '_', 0x07, '\\', '\n', '\r', '\t', 0x7f,
		0xc2, 0x9b, 0x9c, 0x9d, 0x90, 0xe2, 0x80, 0x81, 0xae, 0xa6,
		0xff, 0xef, 0xbb, 0xbf, 0xf0, 0x9f, 'a', ' ', 0x00,
	};
	unsigned seed = 12345, flags;
	unsigned char buf[300];
	size_t i, len, cap;
	char *out, *again;
	int it;

	(void)state;
	for (it = 0; it < 5000; it++) {
		len = (size_t)(rand_r(&seed) % sizeof(buf));
		for (i = 0; i < len; i++)
			buf[i] = rand_r(&seed) % 2 ? pick[rand_r(&seed) %
			    sizeof(pick)] : (unsigned char)rand_r(&seed);
		cap = (size_t)(rand_r(&seed) % 200);
		flags = (unsigned)rand_r(&seed) % 8;
		out = san_text((const char *)buf, len, flags, cap);
		assert_terminal_safe(out, cap);
		if (!(flags & NL))
			assert_null(strchr(out, '\n'));
		if (!(flags & TAB))
			assert_null(strchr(out, '\t'));
		again = san_str(out, flags, 0);
		assert_string_equal(again, out);
		free(again);
		free(out);
	}
}

static void
test_fputs(void **state)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&mem, &len);

	(void)state;
	assert_non_null(fp);
	san_fputs("err \x1b]0;x\x07" "at\n\xe2\x80\xae" "line", 0, fp);
	fclose(fp);
	assert_string_equal(mem, "err at line");
	free(mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_nul_inside_length),
		cmocka_unit_test(test_cp_hidden),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_fputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
