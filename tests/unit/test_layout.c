/* test_layout.c - pane geometry, widths, clipping, printable text, wrap. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rustnote/layout.h"

#define CJK "\xE4\xB8\xAD\xE6\x96\x87"	/* 中文: 2 chars, 4 columns */
#define CRAB "\xF0\x9F\xA6\x80"		/* U+1F980, 2 columns */
#define BOX "\xE2\x94\x8C"		/* U+250C, 1 column */
#define ARROW "\xE2\x86\x92"		/* U+2192, 1 column */
#define ACUTE "\xCC\x81"		/* U+0301 combining, 0 columns */

static int
setup_locale(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL &&
	    setlocale(LC_ALL, "en_US.UTF-8") == NULL)
		return -1;
	return 0;
}

/* Two rectangles share no cell. */
static int
overlap(const struct lay_rect *a, const struct lay_rect *b)
{
	if (a->h == 0 || a->w == 0 || b->h == 0 || b->w == 0)
		return 0;
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	    a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Every pane inside the screen, none overlapping, all rows used. */
static void
assert_sane(const struct layout *l)
{
	const struct lay_rect *r[] = { &l->note, &l->findings, &l->detail,
	    &l->sep, &l->status, &l->keys };
	size_t i, j, n = sizeof(r) / sizeof(r[0]);
	long area = 0;

	for (i = 0; i < n; i++) {
		assert_true(r[i]->x >= 0 && r[i]->y >= 0);
		assert_true(r[i]->x + r[i]->w <= l->cols);
		assert_true(r[i]->y + r[i]->h <= l->rows);
		area += (long)r[i]->w * r[i]->h;
		for (j = i + 1; j < n; j++)
			assert_false(overlap(r[i], r[j]));
	}
	assert_int_equal(area, (long)l->cols * l->rows);
	/* a title row and at least three rows of content each */
	assert_true(l->note.h >= 4 && l->findings.h >= 4 && l->detail.h >= 4);
}

static void
test_geometry_80x24(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(80, 24, &l);
	assert_false(l.too_small);
	assert_false(l.stacked);
	assert_sane(&l);
	assert_int_equal(l.note.x, 0);
	assert_int_equal(l.note.w, 48);
	assert_int_equal(l.note.h, 22);
	assert_int_equal(l.sep.x, 48);
	assert_int_equal(l.findings.x, 49);
	assert_int_equal(l.findings.w, 31);
	assert_int_equal(l.findings.h + l.detail.h, 22);
	assert_int_equal(l.detail.y, l.findings.h);
	assert_int_equal(l.status.y, 22);
	assert_int_equal(l.keys.y, 23);
	assert_int_equal(l.keys.w, 80);
}

static void
test_geometry_60x20_stacked(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(60, 20, &l);
	assert_false(l.too_small);
	assert_true(l.stacked);
	assert_sane(&l);
	assert_int_equal(l.note.w, 60);
	assert_int_equal(l.findings.w, 60);
	assert_int_equal(l.detail.w, 60);
	assert_int_equal(l.sep.w, 0);
	assert_true(l.note.y < l.findings.y && l.findings.y < l.detail.y);
	assert_int_equal(l.note.h + l.findings.h + l.detail.h, 18);
	assert_int_equal(l.note.h, 10);
}

static void
test_geometry_200x60(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(200, 60, &l);
	assert_false(l.too_small);
	assert_false(l.stacked);
	assert_sane(&l);
	assert_int_equal(l.note.w, 120);
	assert_int_equal(l.findings.w, 79);
	assert_int_equal(l.detail.h, 16);
	assert_int_equal(l.findings.h, 42);
	assert_int_equal(l.status.y, 58);
}

static void
test_geometry_minimum_and_too_small(void **state)
{
	struct layout l;

	(void)state;
	layout_compute(LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, &l);
	assert_false(l.too_small);
	assert_sane(&l);
	layout_compute(LAYOUT_MIN_COLS - 1, 40, &l);
	assert_true(l.too_small);
	assert_int_equal(l.note.w, 0);
	layout_compute(120, LAYOUT_MIN_ROWS - 1, &l);
	assert_true(l.too_small);
	layout_compute(0, 0, &l);
	assert_true(l.too_small);
	/* the switch between stacked and side by side */
	layout_compute(LAYOUT_WIDE_COLS - 1, 30, &l);
	assert_true(l.stacked);
	assert_sane(&l);
	layout_compute(LAYOUT_WIDE_COLS, 30, &l);
	assert_false(l.stacked);
	assert_sane(&l);
}

static void
test_widths(void **state)
{
	(void)state;
	assert_int_equal(layout_width("abc", 3), 3);
	assert_int_equal(layout_width(CJK, strlen(CJK)), 4);
	assert_int_equal(layout_width(CRAB, strlen(CRAB)), 2);
	assert_int_equal(layout_width(BOX ARROW, strlen(BOX ARROW)), 2);
	assert_int_equal(layout_width("e" ACUTE, strlen("e" ACUTE)), 1);
	/* a bad byte is drawn as one replacement character */
	assert_int_equal(layout_width("a\xFFz", 3), 3);
	assert_int_equal(layout_cp_width(0x1B), -1);
	assert_int_equal(layout_cp_width(0x9B), -1);
	assert_int_equal(layout_cp_width(0x202E), -1);
}

static void
test_clip_ascii(void **state)
{
	int used = -1;

	(void)state;
	assert_int_equal(layout_clip("hello", 5, 3, &used), 3);
	assert_int_equal(used, 3);
	assert_int_equal(layout_clip("hello", 5, 10, &used), 5);
	assert_int_equal(used, 5);
	assert_int_equal(layout_clip("hello", 5, 0, &used), 0);
	assert_int_equal(used, 0);
}

static void
test_clip_wide_boundary(void **state)
{
	const char *s = "a" CJK "b";	/* columns: a=1, 中=2, 文=2, b=1 */
	int used = -1;

	(void)state;
	/* 2 columns: "a" fits, 中 would straddle the limit */
	assert_int_equal(layout_clip(s, strlen(s), 2, &used), 1);
	assert_int_equal(used, 1);
	assert_int_equal(layout_clip(s, strlen(s), 3, &used), 4);
	assert_int_equal(used, 3);
	assert_int_equal(layout_clip(s, strlen(s), 4, &used), 4);
	assert_int_equal(used, 3);
	assert_int_equal(layout_clip(s, strlen(s), 5, &used), 7);
	assert_int_equal(used, 5);
	/* an emoji in one column does not fit at all */
	assert_int_equal(layout_clip(CRAB, strlen(CRAB), 1, &used), 0);
	assert_int_equal(used, 0);
	/* a combining mark stays with its letter */
	assert_int_equal(layout_clip("e" ACUTE "x", 4, 1, &used), 3);
	assert_int_equal(used, 1);
}

static void
test_printable_controls(void **state)
{
	char *p;

	(void)state;
	p = layout_printable("a\x1b[31mb\x7f", 8, false);
	assert_string_equal(p, "a^[[31mb^?");
	free(p);
	p = layout_printable("x\ny", 3, false);
	assert_string_equal(p, "x^Jy");
	free(p);
	p = layout_printable("x\ny", 3, true);
	assert_string_equal(p, "x\ny");
	free(p);
	/* C1 CSI, a bidi override and a bad byte all become U+FFFD */
	p = layout_printable("\xC2\x9B" "a\xE2\x80\xAE" "b\xFF", 8, false);
	assert_string_equal(p, "\xEF\xBF\xBD" "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	free(p);
	p = layout_printable(BOX ARROW CJK, strlen(BOX ARROW CJK), false);
	assert_string_equal(p, BOX ARROW CJK);
	free(p);
	p = layout_printable("", 0, false);
	assert_string_equal(p, "");
	free(p);
}

static void
test_printable_tabs(void **state)
{
	char *p;

	(void)state;
	p = layout_printable("\tx", 2, false);
	assert_string_equal(p, "        x");
	free(p);
	p = layout_printable("ab\tc", 4, false);
	assert_string_equal(p, "ab      c");
	free(p);
	/* tab stops count columns, not bytes */
	p = layout_printable(CJK "\tc", strlen(CJK "\tc"), false);
	assert_string_equal(p, CJK "    c");
	free(p);
}

/* Wrap s to cols; return the lines joined by '|'. */
static char *
wrapped(const char *s, int cols)
{
	struct lay_lines l = { 0 };
	size_t i, n = 0;
	char *out = malloc(strlen(s) * 2 + 64);

	layout_wrap(s, strlen(s), cols, &l);
	for (i = 0; i < l.n; i++) {
		if (i > 0)
			out[n++] = '|';
		memcpy(out + n, s + l.v[i].off, l.v[i].len);
		n += l.v[i].len;
		assert_true(layout_width(s + l.v[i].off, l.v[i].len) <= cols ||
		    cols < 2);
	}
	out[n] = '\0';
	layout_lines_free(&l);
	return out;
}

static void
assert_wrap(const char *s, int cols, const char *want)
{
	char *got = wrapped(s, cols);

	assert_string_equal(got, want);
	free(got);
}

static void
test_wrap_words(void **state)
{
	(void)state;
	assert_wrap("the quick brown fox", 10, "the quick|brown fox");
	assert_wrap("the quick brown fox", 9, "the quick|brown fox");
	assert_wrap("the quick brown fox", 8, "the|quick|brown|fox");
	assert_wrap("the quick brown fox", 80, "the quick brown fox");
	assert_wrap("one\n\ntwo three", 5, "one||two|three");
	assert_wrap("", 10, "");
	assert_wrap("a   b", 10, "a   b");
	assert_wrap("  indented text", 10, "  indented|text");
	assert_wrap("trailing   ", 20, "trailing");
}

static void
test_wrap_long_word(void **state)
{
	(void)state;
	assert_wrap("abcdefghij", 4, "abcd|efgh|ij");
	assert_wrap("xy abcdefghij z", 4, "xy|abcd|efgh|ij z");
	/* a one-column pane still makes progress through wide text */
	assert_wrap(CJK, 1, "\xE4\xB8\xAD|\xE6\x96\x87");
}

static void
test_wrap_wide(void **state)
{
	(void)state;
	/* 中文中文中 is 10 columns: 3 columns hold one wide char */
	assert_wrap(CJK CJK "\xE4\xB8\xAD", 3,
	    "\xE4\xB8\xAD|\xE6\x96\x87|\xE4\xB8\xAD|\xE6\x96\x87|\xE4\xB8\xAD");
	assert_wrap(CJK CJK, 4, CJK "|" CJK);
	assert_wrap("ab " CRAB CRAB " cd", 5, "ab|" CRAB CRAB "|cd");
	assert_wrap("ab " CRAB CRAB " cd", 8, "ab " CRAB CRAB "|cd");
	assert_wrap(CRAB "x" CRAB, 3, CRAB "x|" CRAB);
}

static void
test_wrap_spans_are_exact(void **state)
{
	const char *s = "Heap data has no inherent lifetime: it is freed";
	struct lay_lines l = { 0 };
	size_t i;

	(void)state;
	layout_wrap(s, strlen(s), 12, &l);
	assert_int_equal(l.n, 5);
	for (i = 0; i < l.n; i++) {
		assert_true(l.v[i].off + l.v[i].len <= strlen(s));
		assert_true(layout_width(s + l.v[i].off, l.v[i].len) <= 12);
		assert_true(l.v[i].len == 0 || s[l.v[i].off] != ' ');
	}
	assert_int_equal(l.v[0].off, 0);
	assert_int_equal(l.v[0].len, 9);	/* "Heap data" */
	layout_lines_free(&l);
	assert_null(l.v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_80x24),
		cmocka_unit_test(test_geometry_60x20_stacked),
		cmocka_unit_test(test_geometry_200x60),
		cmocka_unit_test(test_geometry_minimum_and_too_small),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_clip_ascii),
		cmocka_unit_test(test_clip_wide_boundary),
		cmocka_unit_test(test_printable_controls),
		cmocka_unit_test(test_printable_tabs),
		cmocka_unit_test(test_wrap_words),
		cmocka_unit_test(test_wrap_long_word),
		cmocka_unit_test(test_wrap_wide),
		cmocka_unit_test(test_wrap_spans_are_exact),
	};

	return cmocka_run_group_tests(tests, setup_locale, NULL);
}
