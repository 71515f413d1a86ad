/* Unit tests: a tutor's Markdown answer laid out as styled rows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/mdrows.h"
#include "rustnote/util.h"

/* Row i as text, the bullet drawn as "* " or "N. ". */
static char *
row_text(const struct mdr_doc *d, size_t i)
{
	const struct mdr_row *r = &d->rows[i];
	const struct mdr_block *b;

	if (r->block == MDR_NO_BLOCK)
		return xstrdup("");
	b = &d->blocks[r->block];
	return xasprintf("%*s%s%.*s", b->indent, "",
	    b->bullet == 0 ? "" : r->first ? "* " : "  ", (int)r->len,
	    b->text + r->off);
}

static int
style_at(const struct mdr_doc *d, const char *word)
{
	size_t i;
	const char *p;

	for (i = 0; i < d->nblocks; i++) {
		p = strstr(d->blocks[i].text, word);
		if (p != NULL)
			return d->blocks[i].style[p - d->blocks[i].text];
	}
	return -1;
}

static void
test_paragraphs_wrap_with_a_blank_row_between(void **state)
{
	static const char md[] = "A frame belongs to a call, not to a block "
	    "of code.\n\nSecond paragraph.\n";
	struct mdr_doc d;
	char *s;

	(void)state;
	mdr_layout(md, strlen(md), 20, &d);
	assert_int_equal(d.nblocks, 2);
	assert_true(d.nrows >= 4);
	s = row_text(&d, 0);
	assert_string_equal(s, "A frame belongs to a");
	free(s);
	s = row_text(&d, d.nrows - 2);
	assert_string_equal(s, "");
	free(s);
	s = row_text(&d, d.nrows - 1);
	assert_string_equal(s, "Second paragraph.");
	free(s);
	mdr_free(&d);
}

static void
test_styles_of_inline_code_emphasis_and_code_blocks(void **state)
{
	static const char md[] = "Use `Box<T>` for **owned** data, *often*.\n\n"
	    "```rust\nfn main() {\n    let b = Box::new(1);\n}\n```\n";
	struct mdr_doc d;
	char *s;
	size_t i;

	(void)state;
	mdr_layout(md, strlen(md), 40, &d);
	assert_int_equal(style_at(&d, "Box<T>"), MDR_CODE);
	assert_int_equal(style_at(&d, "owned"), MDR_STRONG);
	assert_int_equal(style_at(&d, "often"), MDR_EMPH);
	assert_int_equal(style_at(&d, "Use"), MDR_TEXT);
	assert_int_equal(style_at(&d, "fn main"), MDR_CODEBLOCK);
	for (i = 0; i < d.nrows; i++) {
		s = row_text(&d, i);
		if (strstr(s, "let b") != NULL)
			assert_string_equal(s, "    let b = Box::new(1);");
		free(s);
	}
	mdr_free(&d);
}

static void
test_bullets_hang_and_nest(void **state)
{
	static const char md[] = "- one two three four five six\n"
	    "  - inner\n- last\n\n1. first\n2. second\n";
	struct mdr_doc d;
	char *s;

	(void)state;
	mdr_layout(md, strlen(md), 16, &d);
	s = row_text(&d, 0);
	assert_string_equal(s, "  * one two");
	free(s);
	s = row_text(&d, 1);
	assert_string_equal(s, "    three four");
	free(s);
	assert_int_equal(d.blocks[1].indent, 4);
	assert_int_equal(d.blocks[2].indent, 2);
	assert_int_equal(d.blocks[3].bullet, 1);
	assert_int_equal(d.blocks[4].bullet, 2);
	mdr_free(&d);
}

static void
test_hostile_bytes_and_deep_nesting(void **state)
{
	size_t n = 50000, i;
	char *md = xmalloc(n * 2 + 64);
	struct mdr_doc d;

	(void)state;
	for (i = 0; i < n; i++) {
		md[2 * i] = '>';
		md[2 * i + 1] = ' ';
	}
	strcpy(md + 2 * n, "x\x1b]0;title\x07 \xe2\x80\xae y\n");
	mdr_layout(md, strlen(md), 30, &d);
	for (i = 0; i < d.nblocks; i++) {
		assert_null(strchr(d.blocks[i].text, '\x1b'));
		assert_null(strstr(d.blocks[i].text, "title"));
		assert_null(strstr(d.blocks[i].text, "\xe2\x80\xae"));
		assert_true(d.blocks[i].indent <= 16);
	}
	mdr_free(&d);
	free(md);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs_wrap_with_a_blank_row_between),
		cmocka_unit_test(test_styles_of_inline_code_emphasis_and_code_blocks),
		cmocka_unit_test(test_bullets_hang_and_nest),
		cmocka_unit_test(test_hostile_bytes_and_deep_nesting),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
