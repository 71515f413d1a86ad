/*
 * test_worst.c - inputs of the worst shapes: each once took seconds (or
 * crashed) at the size used here.  The tests check that the work ends and
 * what it found; `make bench` shows the times.  Also: stopping on request,
 * and rules skipped at PCRE2's match limit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/cancel.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"

#define SEED_OVERVIEW "## Memory\n\nWrite about:\n\n* Stack vs heap\n" \
	"* What drop actually does\n\n" \
	"Do **not** mention borrow checker or references here.\n"

static struct rule_set *bundled;

/* unit repeated n times, then tail; a new string. */
static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = xmalloc(hl + ul * n + tl + 1);

	memcpy(s, head, hl);
	for (i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + ul * n, tail, tl + 1);
	return s;
}

static char *
source_path(const char *rel)
{
	static const char *const ups[] = { "", "../", "../../", "../../../" };
	char *p;
	size_t i;

	for (i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		p = xasprintf("%s%s", ups[i], rel);
		if (util_file_exists(p))
			return p;
		free(p);
	}
	fail_msg("cannot find %s", rel);
	return NULL;
}

static int
setup(void **state)
{
	char err[RN_ERRLEN] = "";
	char *dir = source_path("rules/memory-model.rules"), *slash;
	int rc;

	(void)state;
	slash = strrchr(dir, '/');
	*slash = '\0';
	rc = rules_load_dir(&bundled, dir, err, sizeof err);
	free(dir);
	if (rc != RN_OK)
		fprintf(stderr, "%s\n", err);
	return rc == RN_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	rules_free(bundled);
	return 0;
}

static struct overview *
parse_overview(const char *text)
{
	struct overview *o = NULL;
	char err[RN_ERRLEN];

	if (ovw_parse("o.md", text, strlen(text), &o, err, sizeof err) !=
	    RN_OK)
		fail_msg("%s", err);
	return o;
}

static bool
has_rule_term(const struct overview *o, const char *term)
{
	int i, k;

	for (i = 0; i < o->nrules; i++)
		for (k = 0; k < o->rules[i].nterms; k++)
			if (strcmp(o->rules[i].terms[k], term) == 0)
				return true;
	return false;
}

/* 40 000 lines that never end a sentence: each was appended to the
 * carried sentence and all of it scanned again (4 s; 1 MiB: minutes). */
static void
test_overview_open_sentence(void **state)
{
	char *text = repeat("# T\n\n- Stack vs heap\n\n", "a\n", 40000,
	    "Do not mention references.\n");
	struct overview *o = parse_overview(text);

	(void)state;
	assert_int_equal(o->ntopics, 1);
	assert_true(has_rule_term(o, "references"));
	ovw_free(o);
	free(text);
}

/* One sentence of 14 000 rules: each rule kept a copy of the whole
 * sentence (gigabytes), and each part was searched to the end. */
static void
test_overview_many_rules(void **state)
{
	char *text = repeat("# T\n\n- Stack vs heap\n\n", "do not mention x; ",
	    14000, "\n");
	struct overview *o = parse_overview(text);
	int i;

	(void)state;
	assert_true(o->nrules > 100);
	assert_true(o->nrules <= 1000);
	for (i = 0; i < o->nrules; i++)
		assert_true(strlen(o->rules[i].text) <= 1000);
	ovw_free(o);
	free(text);
}

static size_t
count_kind(const struct finding_list *l, enum finding_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->v[i].kind == k;
	return n;
}

/* The offline review of note (with the seed's scope rules): findings. */
static void
offline(const char *note, struct finding_list *l, char *warn, size_t wl)
{
	struct overview *o = parse_overview(SEED_OVERVIEW);
	struct note *n = NULL;
	char err[RN_ERRLEN];

	if (note_parse("n.md", note, strlen(note), &n, err, sizeof err) !=
	    RN_OK)
		fail_msg("%s", err);
	flist_init(l);
	assert_int_equal(offline_run(n, o, bundled, l, warn, wl), RN_OK);
	note_free(n);
	ovw_free(o);
}

/* One sentence naming a ruled-out subject 8 000 times: each mention
 * searched the whole sentence for its vetoes again (8 s). */
static void
test_scope_long_sentence(void **state)
{
	char *note = repeat("# Note\n\n", "a reference here ", 8000, "\n");
	struct finding_list l;

	(void)state;
	offline(note, &l, NULL, 0);
	assert_true(count_kind(&l, FK_SCOPE) >= 1);
	flist_free(&l);
	free(note);
}

/* 8 000 code spans of ruled-out syntax in one sentence (21 s). */
static void
test_scope_code_spans(void **state)
{
	char *note = repeat("# Note\n\n", "`&mut x` ", 8000, "\n");
	struct finding_list l;

	(void)state;
	offline(note, &l, NULL, 0);
	assert_true(count_kind(&l, FK_SCOPE) >= 1);
	flist_free(&l);
	free(note);
}

static int
parse_reply(const char *text, struct finding_reply *r)
{
	char err[RN_ERRLEN];
	int rc = finding_parse_reply(text, strlen(text), r, err, sizeof err);

	assert_true(rc == RN_OK || rc == RN_EREPLY);
	return rc;
}

/* Nesting the model chooses: the Markdown fallback walked it by
 * recursion (a 200 KB reply of "> " overflowed the stack). */
static void
test_reply_deep_nesting(void **state)
{
	static const struct {
		const char *head, *unit, *tail;
		size_t n;
	} shapes[] = {
		{ "", "> ", "- Stack vs heap is missing\n", 100000 },
		{ "", "[", "", 300000 },
		{ "", "- ", "Stack vs heap is missing\n", 50000 },
		{ "", "[{", "", (size_t)4 << 20 },	/* 8 MiB for cmark */
		{ "", "*a ", "b\n", 100000 },
		{ "", "<div>", "\n", 100000 },
	};
	struct finding_reply r;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		text = repeat(shapes[i].head, shapes[i].unit, shapes[i].n,
		    shapes[i].tail);
		if (parse_reply(text, &r) == RN_OK)
			finding_reply_free(&r);
		free(text);
	}
}

/* Within the bound, nested quotes and lists are read as before. */
static void
test_reply_nesting_read(void **state)
{
	char *text = repeat("## Gaps\n\n", "> ", 40,
	    "- The note never says what the heap is.\n");
	struct finding_reply r;

	(void)state;
	assert_int_equal(parse_reply(text, &r), RN_OK);
	assert_int_equal(r.findings.n, 1);
	assert_int_equal(r.findings.v[0].kind, FK_GAP);
	finding_reply_free(&r);
	free(text);
}

/* Asked to stop, parsing and the offline checks unwind at once. */
static void
test_cancel(void **state)
{
	char *note = repeat("# Note\n\n", "- The stack holds frames.\n",
	    20000, "\n");
	struct overview *o = parse_overview(SEED_OVERVIEW), *o2 = NULL;
	struct finding_list l;
	struct note *n = NULL;
	char err[RN_ERRLEN];

	(void)state;
	assert_int_equal(note_parse("n.md", note, strlen(note), &n, err,
	    sizeof err), RN_OK);
	cancel_request();
	flist_init(&l);
	assert_int_equal(offline_run(n, o, bundled, &l, NULL, 0),
	    RN_ECANCEL);
	note_free(n);
	n = NULL;
	assert_int_equal(note_parse("n.md", note, strlen(note), &n, err,
	    sizeof err), RN_ECANCEL);
	assert_null(n);
	assert_string_equal(err, "interrupted");
	assert_int_equal(ovw_parse("o.md", note, strlen(note), &o2, err,
	    sizeof err), RN_ECANCEL);
	cancel_clear();
	assert_int_equal(note_parse("n.md", note, strlen(note), &n, err,
	    sizeof err), RN_OK);
	note_free(n);
	flist_free(&l);
	ovw_free(o);
	free(note);
}

/* A pattern that backtracks without end on a long sentence hits the
 * match limit: the rule is skipped and named, the review goes on. */
static void
test_match_limit_skips_rule(void **state)
{
	static const char rules[] =
	    "id: runaway\n"
	    "kind: incorrect\n"
	    "match: (a+)+b\n"
	    "message: Runaway backtracking.\n"
	    "example+: aab\n"
	    "example-: c\n";
	struct rule_set *rs = NULL;
	struct finding_list l;
	struct note *n = NULL;
	char err[RN_ERRLEN], warn[RN_ERRLEN];
	char *note = repeat("# N\n\n", "a", 5000, "c and then aab.\n");

	(void)state;
	if (rules_load_text(&rs, "runaway.rules", rules, err, sizeof err) !=
	    RN_OK)
		fail_msg("%s", err);
	assert_int_equal(note_parse("n.md", note, strlen(note), &n, err,
	    sizeof err), RN_OK);
	flist_init(&l);
	assert_int_equal(offline_run(n, NULL, rs, &l, warn, sizeof warn),
	    RN_OK);
	assert_non_null(strstr(warn, "runaway"));
	assert_non_null(strstr(warn, "match limit"));
	assert_int_equal(l.n, 0);
	flist_free(&l);
	note_free(n);
	rules_free(rs);
	free(note);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overview_open_sentence),
		cmocka_unit_test(test_overview_many_rules),
		cmocka_unit_test(test_scope_long_sentence),
		cmocka_unit_test(test_scope_code_spans),
		cmocka_unit_test(test_reply_deep_nesting),
		cmocka_unit_test(test_reply_nesting_read),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_match_limit_skips_rule),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
