/*
 * test_anchor.c - the quote decides the line: quotes as models really copy
 * them from the seed note, other notes, and a large note for speed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

static int
setup_seed(void **state)
{
	char err[RN_ERRLEN];
	struct note *n = NULL;

	if (note_load("notes/02-memory-model.md", &n, err, sizeof(err)) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = n;
	return 0;
}

static int
teardown_seed(void **state)
{
	note_free(*state);
	return 0;
}

static struct note *
parse(const char *text)
{
	char err[RN_ERRLEN];
	struct note *n = NULL;

	if (note_parse("test.md", text, strlen(text), &n, err, sizeof(err)) !=
	    RN_OK)
		fail_msg("%s", err);
	return n;
}

/* The 1-based line of the first line of n that contains s. */
static int
line_of(const struct note *n, const char *s)
{
	int i;

	for (i = 1; i <= n->nlines; i++) {
		if (memmem(n->lines[i - 1].text, n->lines[i - 1].len, s,
		    strlen(s)) != NULL)
			return i;
	}
	fail_msg("the note has no line with \"%s\"", s);
	return 0;
}

struct where {
	bool found;
	int line, end_line;
};

static struct where
anchor(const struct note *n, const char *quote, int model_line)
{
	struct finding f;
	struct where w;

	memset(&f, 0, sizeof(f));
	f.quote = xstrdup(quote);
	f.message = xstrdup("m");
	f.model_line = model_line;
	f.line = model_line;
	w.found = finding_anchor(&f, n);
	w.line = f.line;
	w.end_line = f.end_line;
	finding_free(&f);
	return w;
}

static void
assert_at(const struct note *n, const char *quote, int model_line,
    int line, int end_line)
{
	struct where w = anchor(n, quote, model_line);

	if (w.line != line || w.end_line != end_line)
		fail_msg("\"%s\" (model %d): got %d-%d, want %d-%d", quote,
		    model_line, w.line, w.end_line, line, end_line);
	/* without a quote nothing is "found", whatever the line */
	if (quote[strspn(quote, " ")] != '\0')
		assert_int_equal(w.found, line != 0);
	else
		assert_false(w.found);
}

static void
test_exact(void **state)
{
	const struct note *n = *state;
	int l = line_of(n, "Heap does not know who points to it.");

	assert_at(n, "Heap does not know who points to it.", 0, l, l);
	assert_at(n, "Heap does not know who points to it.", 40, l, l);
	/* a list item quoted without its "- " */
	l = line_of(n, "Deallocation is automatic and implicit.");
	assert_at(n, "Deallocation is automatic and implicit.", 12, l, l);
	assert_at(n, "- Deallocation is automatic and implicit.", 0, l, l);
}

static void
test_backticks_dropped(void **state)
{
	const struct note *n = *state;
	int l = line_of(n, "Frame corresponds to function scope");

	assert_int_equal(l, 48);
	assert_at(n, "Frame corresponds to function scope, code blocks ({})",
	    0, l, l);
	assert_at(n, "Heap deallocation is explicit and deliberate (via drop)",
	    58, 58, 58);
	assert_at(n, "Heap deallocation is **explicit** and deliberate", 3,
	    58, 58);
	assert_at(n, "`Box` allocates some number of bytes on the heap", 0,
	    line_of(n, "`Box` allocates"), line_of(n, "`Box` allocates"));
}

static void
test_quote_marks_and_spaces(void **state)
{
	const struct note *n = *state;
	int l = line_of(n, "There is no \"points to\" action");

	assert_at(n, "There is no \xe2\x80\x9cpoints to\xe2\x80\x9d action, "
	    "there is just a number.", 0, l, l);
	assert_at(n, "There  is no \"points to\"\taction", 0, l, l);
	l = line_of(n, "freeing memory you don't own");
	assert_at(n, "Freeing memory twice \xe2\x86\x92 freeing memory you "
	    "don\xe2\x80\x99t own", 0, l, l);
	/* case as a last resort */
	l = line_of(n, "Heap memory must be freed exactly once");
	assert_at(n, "heap memory must be freed EXACTLY once", 0, l, l);
	/* the prompt's "NNN | " copied into the quote */
	assert_at(n, "76 | Heap memory must be freed exactly once", 0, l, l);
	/* wrong trailing punctuation */
	assert_at(n, "Heap memory must be freed exactly once to keep allocator "
	    "state consistent.", 0, l, l);
}

static void
test_two_lines(void **state)
{
	const struct note *n = *state;
	int l = line_of(n, "Stack does not know it points to the heap.");

	assert_at(n, "Stack does not know it points to the heap.\nHeap does "
	    "not know who points to it.", 0, l, l + 1);
	assert_at(n, "Stack does not know it points to the heap. Heap does "
	    "not know who points to it.", 0, l, l + 1);
	/* across two list items */
	l = line_of(n, "When function finishes its execution");
	assert_at(n, "the frame is deallocated.\n- Deallocation is automatic",
	    0, l, l + 1);
	/* heading and first sentence */
	l = line_of(n, "### Stack vs heap");
	assert_at(n, "Stack vs heap Data is stored either on stack", 0, l,
	    l + 1);
}

static void
test_ellipsis(void **state)
{
	const struct note *n = *state;
	int l = line_of(n, "Vec, String also allocate on the heap");

	assert_at(n, "Vec, String also allocate on the heap, when the capacity "
	    "... freed from current memory space.", 50, l, l);
	assert_at(n, "Vec, String also allocate on the heap...", 0, l, l);
	l = line_of(n, "Heap data has no inherent lifetime");
	assert_at(n, "Heap data has no inherent lifetime\xe2\x80\xa6 gets "
	    "dropped", 0, l, l);
	/* parts on two lines */
	l = line_of(n, "Stack contains plain bytes.");
	assert_at(n, "Stack contains plain bytes ... integer-sized value", 0,
	    l, l + 1);
	/* parts out of order do not match */
	assert_at(n, "gets dropped ... Heap data has no inherent lifetime", 57,
	    0, 0);
}

static void
test_not_found(void **state)
{
	const struct note *n = *state;

	assert_at(n, "Rust frees stack memory with a garbage collector.", 50,
	    0, 0);
	assert_at(n, "The borrow checker prevents this.", 5, 0, 0);
	assert_at(n, "\xe2\x80\xa6", 5, 0, 0);
}

static void
test_duplicates_by_model_line(void **state)
{
	const struct note *n = *state;
	const char *q = "| ptr = 0x7ffd1234 |  <-- just a number";

	assert_at(n, q, 0, 17, 17);		/* first one */
	assert_at(n, q, 38, 38, 38);
	assert_at(n, q, 29, 30, 30);		/* nearest */
	assert_at(n, q, 34, 30, 30);		/* tie: the earlier */
	assert_at(n, q, 200, 38, 38);
	/* normalised matches choose the same way */
	assert_at(n, "ptr = 0x7ffd1234 | <-- just a number", 39, 38, 38);
}

static void
test_no_quote(void **state)
{
	const struct note *n = *state;
	struct finding f;

	assert_at(n, "", 73, 73, 73);
	assert_at(n, "   ", 12, 12, 12);
	assert_at(n, "", 999, 0, 0);
	assert_at(n, "", 0, 0, 0);
	assert_at(n, "", -4, 0, 0);

	/* the end hint of "73-76" is kept when it fits */
	memset(&f, 0, sizeof(f));
	f.model_line = 73;
	f.line = 73;
	f.end_line = 76;
	assert_false(finding_anchor(&f, n));
	assert_int_equal(f.line, 73);
	assert_int_equal(f.end_line, 76);
	f.end_line = 500;
	finding_anchor(&f, n);
	assert_int_equal(f.end_line, 73);
}

static void
test_front_matter_and_crlf(void **state)
{
	struct note *n;

	(void)state;
	n = parse("---\ntitle: Stack\noverview: x.md\n---\n# Stack\r\n"
	    "- The stack grows down.\r\n- title: Stack\r\n");
	assert_int_equal(n->body_line, 5);
	/* "title: Stack" is in the front matter too: only the body counts */
	assert_at(n, "title: Stack", 2, 7, 7);
	assert_at(n, "The stack grows down.", 0, 6, 6);
	assert_at(n, "the stack grows down. title: Stack", 0, 6, 7);
	/* a model line inside the front matter is not a body line */
	assert_at(n, "", 2, 0, 0);
	note_free(n);

	n = parse("Heap memory is freed by drop.\n\nOther text.\n");
	assert_at(n, "Heap memory is freed by *drop*", 0, 1, 1);
	assert_at(n, "Other text. Heap", 0, 0, 0);
	note_free(n);
}

static void
test_anchor_all(void **state)
{
	const struct note *n = *state;
	struct finding_list l;
	struct finding f;

	flist_init(&l);
	memset(&f, 0, sizeof(f));
	f.quote = xstrdup("Frame corresponds to function scope, code blocks "
	    "({})");
	f.model_line = 3;
	flist_push(&l, &f);
	f.quote = xstrdup("not in the note at all");
	f.model_line = 3;
	flist_push(&l, &f);
	f.quote = xstrdup("");
	f.model_line = 66;
	flist_push(&l, &f);
	finding_anchor_all(&l, n);
	assert_int_equal(l.v[0].line, 48);
	assert_int_equal(l.v[1].line, 0);
	assert_int_equal(l.v[1].end_line, 0);
	assert_int_equal(l.v[2].line, 66);
	flist_free(&l);
}

/* Mangled quotes never give a line outside the note. */
static void
test_random_quotes(void **state)
{
	static const char *const pieces[] = {
		"Heap", " data", "...", "\xe2\x80\xa6", "\n", "*", "`", "12 | ",
		"- ", "\xe2\x80\x9c", "\"", " ", "just a number", "|", "#",
		"ptr = 0x7ffd1234", "> ", "1. ", "\xc2\xa0", "x",
	};
	const struct note *n = *state;
	unsigned seed = 7;
	struct finding f;
	struct buf b;
	int it, k, parts;

	buf_init(&b, 0);
	for (it = 0; it < 3000; it++) {
		buf_reset(&b);
		parts = rand_r(&seed) % 8;
		for (k = 0; k < parts; k++)
			buf_adds(&b, pieces[rand_r(&seed) %
			    (sizeof(pieces) / sizeof(pieces[0]))]);
		memset(&f, 0, sizeof(f));
		f.quote = xstrdup(buf_str(&b));
		f.model_line = rand_r(&seed) % 100 - 10;
		f.end_line = rand_r(&seed) % 100 - 10;
		finding_anchor(&f, n);
		assert_true(f.line >= 0 && f.line <= n->nlines);
		if (f.line == 0)
			assert_int_equal(f.end_line, 0);
		else
			assert_true(f.end_line >= f.line &&
			    f.end_line <= n->nlines);
		finding_free(&f);
	}
	buf_free(&b);
}

/* 100 findings against a 10 000-line note (make bench times it). */
static void
test_big_note(void **state)
{
	struct finding_list l;
	struct finding f;
	struct note *n;
	struct buf b;
	int i;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "# Big note\n");
	for (i = 2; i <= 10000; i++)
		buf_printf(&b, "- Item %d: the *stack* frame of call %d holds "
		    "`x` and the heap block %d.\n", i, i, i);
	n = parse(buf_str(&b));
	flist_init(&l);
	for (i = 0; i < 100; i++) {
		memset(&f, 0, sizeof(f));
		if (i % 4 == 0)		/* exact */
			f.quote = xasprintf("the stack frame of call %d holds",
			    i * 97 + 2);
		else if (i % 4 == 1)	/* normalised */
			f.quote = xasprintf("Item %d: the stack  frame of call "
			    "%d holds x", i * 97 + 2, i * 97 + 2);
		else if (i % 4 == 2)	/* not there */
			f.quote = xasprintf("a sentence the note does not "
			    "hold %d", i);
		else			/* ellipsis */
			f.quote = xasprintf("Item %d: the ... heap block %d",
			    i * 97 + 2, i * 97 + 2);
		f.model_line = i;
		flist_push(&l, &f);
	}
	finding_anchor_all(&l, n);
	for (i = 0; i < 100; i++) {
		if (i % 4 == 2)
			assert_int_equal(l.v[i].line, 0);
		else
			assert_int_equal(l.v[i].line, i * 97 + 2);
	}
	flist_free(&l);
	note_free(n);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_backticks_dropped),
		cmocka_unit_test(test_quote_marks_and_spaces),
		cmocka_unit_test(test_two_lines),
		cmocka_unit_test(test_ellipsis),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_duplicates_by_model_line),
		cmocka_unit_test(test_no_quote),
		cmocka_unit_test(test_anchor_all),
		cmocka_unit_test(test_front_matter_and_crlf),
		cmocka_unit_test(test_random_quotes),
		cmocka_unit_test(test_big_note),
	};

	return cmocka_run_group_tests(tests, setup_seed, teardown_seed);
}
