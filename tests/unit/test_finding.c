/* test_finding.c - names, kind words, cleaning, the list, same/merge/diff. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rustnote/finding.h"
#include "rustnote/util.h"

/* A finding with the given fields (strings copied). */
static struct finding
mk(enum finding_kind kind, int line, const char *quote, const char *message)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.severity = FS_MEDIUM;
	f.line = line;
	f.end_line = line;
	f.quote = xstrdup(quote);
	f.message = xstrdup(message);
	f.topic = xstrdup("");
	f.suggestion = xstrdup("");
	return f;
}

static void
push(struct finding_list *l, enum finding_kind kind, int line,
    const char *quote, const char *message)
{
	struct finding f = mk(kind, line, quote, message);

	flist_push(l, &f);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(finding_kind_name(FK_GAP), "gap");
	assert_string_equal(finding_kind_name(FK_INCORRECT), "incorrect");
	assert_string_equal(finding_kind_name(FK_ASSUMPTION), "assumption");
	assert_string_equal(finding_kind_name(FK_SCOPE), "scope");
	assert_string_equal(finding_severity_name(FS_HIGH), "high");
	assert_string_equal(finding_severity_name(FS_LOW), "low");
	assert_string_equal(finding_source_name(FSRC_OFFLINE), "offline");
	assert_string_equal(finding_source_name(FSRC_LLM), "llm");
}

static void
test_kind_parse(void **state)
{
	(void)state;
	assert_int_equal(finding_kind_parse("gap"), FK_GAP);
	assert_int_equal(finding_kind_parse("Gaps"), FK_GAP);
	assert_int_equal(finding_kind_parse("Missing topic"), FK_GAP);
	assert_int_equal(finding_kind_parse("GAPS (missing from your note)"),
	    FK_GAP);
	assert_int_equal(finding_kind_parse("Incorrect statement"),
	    FK_INCORRECT);
	assert_int_equal(finding_kind_parse("Untrue statements"), FK_INCORRECT);
	assert_int_equal(finding_kind_parse("Statements that are not true"),
	    FK_INCORRECT);
	assert_int_equal(finding_kind_parse("inaccuracy"), FK_INCORRECT);
	assert_int_equal(finding_kind_parse("Implicit assumption"),
	    FK_ASSUMPTION);
	assert_int_equal(finding_kind_parse("ASSUMPTION"), FK_ASSUMPTION);
	assert_int_equal(finding_kind_parse("Out of scope"), FK_SCOPE);
	assert_int_equal(finding_kind_parse("scope violation"), FK_SCOPE);
	assert_int_equal(finding_kind_parse("off-topic"), FK_SCOPE);
	/* the earliest word decides */
	assert_int_equal(finding_kind_parse("Incorrect assumption"),
	    FK_INCORRECT);
	/* a Rust topic, not a scope violation */
	assert_int_equal(finding_kind_parse(
	    "What going out of scope physically means"), -1);
	assert_int_equal(finding_kind_parse("Summary"), -1);
	assert_int_equal(finding_kind_parse("findings"), -1);
	assert_int_equal(finding_kind_parse(""), -1);
	assert_int_equal(finding_kind_parse(NULL), -1);
	/* word starts only: "telescope" holds no scope */
	assert_int_equal(finding_kind_parse("telescope"), -1);
}

static void
test_severity_parse(void **state)
{
	(void)state;
	assert_int_equal(finding_severity_parse("high"), FS_HIGH);
	assert_int_equal(finding_severity_parse("HIGH"), FS_HIGH);
	assert_int_equal(finding_severity_parse("Critical"), FS_HIGH);
	assert_int_equal(finding_severity_parse("\xf0\x9f\x94\xb4 High"),
	    FS_HIGH);
	assert_int_equal(finding_severity_parse("Moderate"), FS_MEDIUM);
	assert_int_equal(finding_severity_parse("medium"), FS_MEDIUM);
	assert_int_equal(finding_severity_parse("minor"), FS_LOW);
	assert_int_equal(finding_severity_parse("Low severity"), FS_LOW);
	assert_int_equal(finding_severity_parse("???"), -1);
	assert_int_equal(finding_severity_parse("lowly"), -1);
	assert_int_equal(finding_severity_parse(NULL), -1);
}

/* finding_clean() caps every field and repairs the numbers. */
static void
test_clean_huge(void **state)
{
	const char *unit = "Heap memory is freed when its owner is dropped. ";
	size_t ulen = strlen(unit), n = (1 << 20) / ulen + 1, i;
	char *in = xmalloc(n * ulen + 1);
	struct finding f;

	(void)state;
	for (i = 0; i < n; i++)
		memcpy(in + i * ulen, unit, ulen);
	in[n * ulen] = '\0';
	memset(&f, 0, sizeof(f));
	f.message = in;
	f.quote = xstrdup("a\x1b]0;t\x07\xe2\x80\xae" "b");
	f.kind = (enum finding_kind)42;
	f.severity = (enum finding_severity)9;
	f.line = 5;
	f.end_line = 2;
	finding_clean(&f);
	assert_true(strlen(f.message) <= FINDING_MAX_FIELD);
	assert_true(strlen(f.message) > FINDING_MAX_FIELD - 64);
	assert_true(str_starts_with(f.message, "Heap memory is freed"));
	assert_string_equal(f.quote, "ab");
	assert_string_equal(f.topic, "");
	assert_string_equal(f.suggestion, "");
	assert_null(f.rule_id);
	assert_int_equal(f.kind, FK_GAP);
	assert_int_equal(f.severity, FS_MEDIUM);
	assert_int_equal(f.end_line, 5);
	finding_free(&f);
}

static void
test_push_cap(void **state)
{
	struct finding_list l;
	int i;

	(void)state;
	flist_init(&l);
	for (i = 0; i < FINDING_MAX_COUNT + 20; i++)
		push(&l, FK_GAP, i, "", "m");
	assert_int_equal(l.n, FINDING_MAX_COUNT);
	flist_clear(&l);
	assert_int_equal(l.n, 0);
	push(&l, FK_GAP, 1, "", "again");
	assert_int_equal(l.n, 1);
	flist_free(&l);
	assert_null(l.v);
}

static void
test_copy(void **state)
{
	struct finding a = mk(FK_SCOPE, 3, "q", "m"), b;

	(void)state;
	a.rule_id = xstrdup("scope.refs");
	finding_copy(&b, &a);
	assert_ptr_not_equal(a.quote, b.quote);
	assert_string_equal(b.quote, "q");
	assert_string_equal(b.rule_id, "scope.refs");
	assert_int_equal(b.kind, FK_SCOPE);
	finding_free(&a);
	assert_null(a.quote);
	assert_string_equal(b.message, "m");
	finding_free(&b);
}

static void
test_sort(void **state)
{
	struct finding_list l;

	(void)state;
	flist_init(&l);
	push(&l, FK_SCOPE, 10, "", "a");
	push(&l, FK_GAP, 0, "", "b");
	push(&l, FK_INCORRECT, 10, "", "c");
	push(&l, FK_INCORRECT, 3, "", "d");
	push(&l, FK_GAP, 0, "", "e");
	push(&l, FK_INCORRECT, 10, "", "f");
	l.v[5].severity = FS_HIGH;
	flist_sort(&l);
	assert_string_equal(l.v[0].message, "b");	/* line 0, stable */
	assert_string_equal(l.v[1].message, "e");
	assert_string_equal(l.v[2].message, "d");
	assert_string_equal(l.v[3].message, "f");	/* high first */
	assert_string_equal(l.v[4].message, "c");
	assert_string_equal(l.v[5].message, "a");	/* scope after */
	flist_free(&l);
}

static void
test_same(void **state)
{
	struct finding a, b;

	(void)state;
	a = mk(FK_INCORRECT, 58, "Heap deallocation is explicit",
	    "Deallocation is automatic when the owner goes out of scope.");
	b = mk(FK_INCORRECT, 58, "heap  deallocation is `explicit`",
	    "Something else entirely.");
	assert_true(finding_same(&a, &b));	/* quote equal, loosely */
	b.kind = FK_ASSUMPTION;
	assert_false(finding_same(&a, &b));	/* kind differs */
	b.kind = FK_INCORRECT;
	b.line = b.end_line = 59;
	assert_true(finding_same(&a, &b));	/* adjacent */
	b.line = b.end_line = 61;
	assert_false(finding_same(&a, &b));	/* too far */
	finding_free(&b);

	/* whole-note gaps: messages decide */
	finding_free(&a);
	a = mk(FK_GAP, 0, "", "The note never explains lifetimes of stack "
	    "values compared with heap allocations.");
	b = mk(FK_GAP, 0, "", "Lifetimes of stack values vs heap allocations "
	    "are not explained.");
	assert_true(finding_same(&a, &b));
	free(b.message);
	b.message = xstrdup("Nothing on why heap memory needs one "
	    "deallocator.");
	assert_false(finding_same(&a, &b));
	b.line = b.end_line = 3;
	assert_false(finding_same(&a, &b));	/* one whole-note, one not */
	finding_free(&a);
	finding_free(&b);

	/* identical findings are always the same */
	a = mk(FK_GAP, 0, "", "x");
	b = mk(FK_GAP, 0, "", "x");
	assert_true(finding_same(&a, &b));
	finding_free(&a);
	finding_free(&b);

	/* two gaps about the same overview topic */
	a = mk(FK_GAP, 0, "", "Drop order is missing.");
	b = mk(FK_GAP, 0, "", "Nothing on when destructors run.");
	free(a.topic);
	free(b.topic);
	a.topic = xstrdup("What \"drop\" actually does");
	b.topic = xstrdup("what “drop” actually does");
	assert_true(finding_same(&a, &b));
	/* ... unless both come from the offline checks, which report each
	   missing sub-point on its own */
	a.rule_id = xstrdup("coverage-subpoint");
	b.rule_id = xstrdup("coverage-subpoint");
	assert_false(finding_same(&a, &b));
	finding_free(&a);
	finding_free(&b);

	/* an offline check's mentions on neighbouring lines stay apart */
	a = mk(FK_SCOPE, 39, "`unsafe`", "Out of scope here.");
	b = mk(FK_SCOPE, 40, "`unsafe`", "Out of scope here.");
	assert_true(finding_same(&a, &b));	/* from a model: adjacent */
	a.rule_id = xstrdup("scope-unsafe");
	b.rule_id = xstrdup("scope-unsafe");
	assert_false(finding_same(&a, &b));
	b.line = b.end_line = 39;
	assert_true(finding_same(&a, &b));
	finding_free(&a);
	finding_free(&b);
}

static void
test_merge(void **state)
{
	struct finding_list dst, src;

	(void)state;
	flist_init(&dst);
	flist_init(&src);
	push(&dst, FK_SCOPE, 27, "`&T` (for sized T)", "References are "
	    "mentioned although the overview says not to.");
	push(&src, FK_SCOPE, 27, "&T (for sized T)", "Mentions references.");
	push(&src, FK_GAP, 0, "", "Lifetimes are not covered.");
	push(&src, FK_GAP, 0, "", "Lifetimes are not covered at all.");
	flist_merge(&dst, &src);
	assert_int_equal(dst.n, 2);
	assert_int_equal(dst.v[1].kind, FK_GAP);
	assert_int_equal(src.n, 3);		/* src untouched */
	flist_free(&dst);
	flist_free(&src);
}

static void
test_diff(void **state)
{
	struct finding_list cur, prev;

	(void)state;
	flist_init(&cur);
	flist_init(&prev);
	push(&prev, FK_INCORRECT, 58, "Heap deallocation is explicit", "x");
	push(&prev, FK_GAP, 0, "", "Lifetimes are not covered.");
	push(&prev, FK_SCOPE, 27, "`&T`", "References.");
	prev.v[2].state = FST_RESOLVED;		/* already gone before */
	/* the note was edited: the same quote moved down two lines */
	push(&cur, FK_INCORRECT, 60, "Heap deallocation is explicit", "y");
	push(&cur, FK_ASSUMPTION, 9, "Stack does not know", "z");
	flist_diff(&cur, &prev);
	assert_int_equal(cur.n, 3);
	assert_int_equal(cur.v[0].state, FST_PERSIST);
	assert_int_equal(cur.v[1].state, FST_NEW);
	assert_int_equal(cur.v[2].state, FST_RESOLVED);
	assert_string_equal(cur.v[2].message, "Lifetimes are not covered.");
	assert_int_equal(prev.n, 3);
	flist_free(&cur);
	flist_free(&prev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_kind_parse),
		cmocka_unit_test(test_severity_parse),
		cmocka_unit_test(test_clean_huge),
		cmocka_unit_test(test_push_cap),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
