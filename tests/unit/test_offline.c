/*
 * test_offline.c - the offline review on whole notes: the exact set of
 * findings on the seed and on the notes of tests/notes/offline/ (nothing
 * more may fire), scope precision, coverage, structure, and speed.
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
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"



static struct rule_set *bundled;

/* A file of the source tree: the tests run from the top folder or below. */
static char *
source_path(const char *rel)
{
	static const char *const ups[] = {
		"", "../", "../../", "../../../", "../../../../"
	};
	char	*p;
	size_t	 i;

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
	char	 err[RN_ERRLEN] = "";
	char	*dir = source_path("rules/memory-model.rules"), *slash;

	(void)state;
	slash = strrchr(dir, '/');
	*slash = '\0';
	if (rules_load_dir(&bundled, dir, err, sizeof err) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		free(dir);
		return -1;
	}
	free(dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rules_free(bundled);
	bundled = NULL;
	return 0;
}

struct result {
	struct note		*n;
	struct overview		*o;
	struct finding_list	 l;
};

static void
review_files(struct result *r, const char *note, const char *ovw)
{
	char	 err[RN_ERRLEN] = "";
	char	*np = source_path(note), *op = source_path(ovw);

	memset(r, 0, sizeof *r);
	if (note_load(np, &r->n, err, sizeof err) != RN_OK)
		fail_msg("%s", err);
	if (ovw_load(op, &r->o, err, sizeof err) != RN_OK)
		fail_msg("%s", err);
	free(np);
	free(op);
	flist_init(&r->l);
	offline_review(r->n, r->o, bundled, &r->l);
}

static void
review_text(struct result *r, const char *note, const char *ovw)
{
	char	err[RN_ERRLEN] = "";

	memset(r, 0, sizeof *r);
	if (note_parse("note.md", note, strlen(note), &r->n, err,
	    sizeof err) != RN_OK)
		fail_msg("%s", err);
	if (ovw != NULL && ovw_parse("note.overview.md", ovw, strlen(ovw),
	    &r->o, err, sizeof err) != RN_OK)
		fail_msg("%s", err);
	flist_init(&r->l);
	offline_review(r->n, r->o, bundled, &r->l);
}

static void
review_free(struct result *r)
{
	flist_free(&r->l);
	ovw_free(r->o);
	note_free(r->n);
}

struct want {
	int			 line;
	enum finding_kind	 kind;
	const char		*rule;
};

static void
print_findings(const struct finding_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		print_error("  line %d %s %s \"%s\"\n", l->v[i].line,
		    finding_kind_name(l->v[i].kind),
		    l->v[i].rule_id ? l->v[i].rule_id : "(none)",
		    l->v[i].quote);
}

/* Exactly these findings, each once, and nothing else. */
static void
expect_exactly(const struct finding_list *l, const struct want *w, size_t n)
{
	size_t	i, k, found, bad = 0;
	bool	*used = calloc(l->n + 1, sizeof *used);

	for (k = 0; k < n; k++) {
		for (found = 0, i = 0; i < l->n; i++) {
			if (l->v[i].line != w[k].line ||
			    l->v[i].kind != w[k].kind ||
			    l->v[i].rule_id == NULL ||
			    strcmp(l->v[i].rule_id, w[k].rule) != 0)
				continue;
			used[i] = true;
			found++;
		}
		if (found != 1) {
			print_error("want once, found %zu: line %d %s %s\n",
			    found, w[k].line, finding_kind_name(w[k].kind),
			    w[k].rule);
			bad++;
		}
	}
	for (i = 0; i < l->n; i++) {
		if (used[i])
			continue;
		print_error("unexpected: line %d %s %s \"%s\"\n",
		    l->v[i].line, finding_kind_name(l->v[i].kind),
		    l->v[i].rule_id ? l->v[i].rule_id : "(none)",
		    l->v[i].quote);
		bad++;
	}
	free(used);
	if (bad > 0)
		print_findings(l);
	assert_int_equal(bad, 0);
}

/* Every finding is well formed and quotes its own line verbatim. */
static void
expect_well_formed(const struct result *r)
{
	const struct finding	*f;
	const char		*text;
	char			*line;
	size_t			 i, len;

	for (i = 0; i < r->l.n; i++) {
		f = &r->l.v[i];
		assert_int_equal(f->source, FSRC_OFFLINE);
		assert_non_null(f->rule_id);
		assert_non_null(f->message);
		assert_true(strlen(f->message) > 10);
		assert_non_null(f->suggestion);
		assert_non_null(f->topic);
		assert_non_null(f->quote);
		assert_true(f->end_line >= f->line);
		if (f->line == 0) {
			assert_int_equal(f->end_line, 0);
			continue;
		}
		text = note_line(r->n, f->line, &len);
		assert_non_null(text);
		line = xstrndup(text, len);
		if (strstr(line, f->quote) == NULL)
			fail_msg("line %d: quote \"%s\" not in \"%s\"",
			    f->line, f->quote, line);
		free(line);
	}
}

static const struct finding *
finding_at(const struct finding_list *l, int line, const char *rule)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].line == line && l->v[i].rule_id != NULL &&
		    strcmp(l->v[i].rule_id, rule) == 0)
			return &l->v[i];
	return NULL;
}

/* --- the seed ------------------------------------------------------------ */

static void
test_seed_exact_findings(void **state)
{
	static const struct want want[] = {
		{ 4, FK_ASSUMPTION, "stack-heap-just-ram" },
		{ 27, FK_SCOPE, "scope-references" },
		{ 35, FK_SCOPE, "scope-references" },
		{ 44, FK_GAP, "unfinished-list" },
		{ 48, FK_INCORRECT, "block-creates-frame" },
		{ 56, FK_ASSUMPTION, "vec-growth-always-copies" },
		{ 58, FK_INCORRECT, "heap-free-explicit" },
		{ 67, FK_INCORRECT, "scope-end-pops-frame" },
	};
	struct result	r;

	(void)state;
	review_files(&r, "notes/02-memory-model.md",
	    "notes/memory-model.overview.md");
	expect_exactly(&r.l, want, sizeof want / sizeof want[0]);
	expect_well_formed(&r);
	review_free(&r);
}

static void
test_seed_details(void **state)
{
	const struct finding	*f;
	struct result		 r;

	(void)state;
	review_files(&r, "notes/02-memory-model.md",
	    "notes/memory-model.overview.md");
	f = finding_at(&r.l, 27, "scope-references");
	assert_non_null(f);
	assert_string_equal(f->quote, "`&T`");
	assert_non_null(strstr(f->message, "references"));
	assert_non_null(strstr(f->suggestion, "*const T"));
	f = finding_at(&r.l, 35, "scope-references");
	assert_non_null(f);
	assert_string_equal(f->quote, "`&str`, `&[T]`");
	f = finding_at(&r.l, 44, "unfinished-list");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "Idependent of where the data is "
	    "stored:"));
	assert_non_null(strstr(f->quote, "other variable,"));
	f = finding_at(&r.l, 48, "block-creates-frame");
	assert_non_null(f);
	assert_int_equal(f->severity, FS_HIGH);
	assert_string_equal(f->quote, "Frame corresponds to function scope, "
	    "code blocks (`{}`).");
	f = finding_at(&r.l, 58, "heap-free-explicit");
	assert_non_null(f);
	assert_string_equal(f->quote, "Heap deallocation is explicit and "
	    "deliberate (via `drop`)");
	f = finding_at(&r.l, 67, "scope-end-pops-frame");
	assert_non_null(f);
	assert_int_equal(f->end_line, 67);
	assert_true(str_starts_with(f->quote, "Variable / frame going out of "
	    "scope"));
	f = finding_at(&r.l, 4, "stack-heap-just-ram");
	assert_non_null(f);
	assert_int_equal(f->severity, FS_LOW);
	review_free(&r);
}

/* --- the notes of tests/notes/offline/ ----------------------------------- */

static void
test_ownership_note(void **state)
{
	static const struct want want[] = {
		{ 0, FK_GAP, "coverage-topic" },	/* partial moves */
		{ 11, FK_INCORRECT, "move-copies-heap-data" },
		{ 13, FK_INCORRECT, "move-double-drop" },
		{ 19, FK_SCOPE, "scope-references" },	/* `&t` in code */
		{ 27, FK_INCORRECT, "heap-type-is-copy" },
		{ 29, FK_ASSUMPTION, "clone-is-cheap" },
		{ 34, FK_INCORRECT, "dropped-after-last-use" },
		{ 38, FK_INCORRECT, "shadowing-drops-old-value" },
		{ 39, FK_GAP, "todo-marker" },
		{ 41, FK_GAP, "empty-section" },
	};
	const struct finding	*f;
	struct result		 r;

	(void)state;
	review_files(&r, "tests/notes/offline/ownership.md",
	    "tests/notes/offline/ownership.overview.md");
	expect_exactly(&r.l, want, sizeof want / sizeof want[0]);
	expect_well_formed(&r);
	/* A sentence wrapped over two lines points at both. */
	f = finding_at(&r.l, 11, "move-copies-heap-data");
	assert_int_equal(f->end_line, 12);
	assert_string_equal(f->quote, "Moving a `String` copies its");
	assert_string_equal(finding_at(&r.l, 19, "scope-references")->quote,
	    "&t");
	assert_non_null(strstr(finding_at(&r.l, 0, "coverage-topic")->message,
	    "Partial moves out of structs"));
	review_free(&r);
}

/* Correct prose that uses every word the rules look for: no finding. */
static void
test_correct_prose_note(void **state)
{
	struct result	r;

	(void)state;
	review_files(&r, "tests/notes/offline/memory-prose.md",
	    "tests/notes/offline/memory-prose.overview.md");
	if (r.l.n != 0)
		print_findings(&r.l);
	assert_int_equal(r.l.n, 0);
	review_free(&r);
}

static void
test_mixed_note_with_front_matter(void **state)
{
	static const struct want want[] = {
		{ 0, FK_GAP, "coverage-topic" },	/* dangling refs */
		{ 10, FK_INCORRECT, "references-can-be-null" },
		{ 12, FK_INCORRECT, "borrow-copies-value" },
		{ 17, FK_INCORRECT, "many-mutable-references" },
		{ 18, FK_INCORRECT, "mut-ref-means-heap" },
		{ 23, FK_GAP, "unfinished-sentence" },
		{ 25, FK_GAP, "duplicate-heading" },
		{ 26, FK_INCORRECT, "reference-keeps-value-alive" },
		{ 29, FK_SCOPE, "scope-lifetimes" },
		{ 37, FK_GAP, "unfinished-sentence" },
		{ 39, FK_SCOPE, "scope-unsafe" },	/* the keyword as code */
		{ 40, FK_SCOPE, "scope-unsafe" },
	};
	struct result	r;

	(void)state;
	review_files(&r, "tests/notes/offline/mixed.md",
	    "tests/notes/offline/mixed.overview.md");
	expect_exactly(&r.l, want, sizeof want / sizeof want[0]);
	expect_well_formed(&r);
	assert_non_null(strstr(finding_at(&r.l, 23,
	    "unfinished-sentence")->message, "'and'"));
	assert_non_null(strstr(finding_at(&r.l, 25,
	    "duplicate-heading")->message, "line 21"));
	review_free(&r);
}

static void
test_drop_note_markdown(void **state)
{
	static const struct want want[] = {
		{ 4, FK_GAP, "coverage-subpoint" },	/* destructors */
		{ 11, FK_INCORRECT, "heap-free-explicit" },
		{ 12, FK_INCORRECT, "drop-order" },
		{ 15, FK_INCORRECT, "garbage-collector" },
		{ 17, FK_INCORRECT, "calling-drop-method" },
		{ 27, FK_SCOPE, "scope-ownership" },
	};
	struct result	r;

	(void)state;
	review_files(&r, "tests/notes/offline/drop.md",
	    "tests/notes/offline/drop.overview.md");
	expect_exactly(&r.l, want, sizeof want / sizeof want[0]);
	expect_well_formed(&r);
	review_free(&r);
}

/*
 * A note that is mostly code: its comments are read as prose (but not
 * commented-out code or compiler output), a topic about code is covered
 * where the code is written, and each name of a covered topic's code
 * that the note never writes is a gap of its own.
 */
static void
test_code_comments_and_code_topics(void **state)
{
	static const struct want want[] = {
		{ 0, FK_GAP, "coverage-code" },		/* join */
		{ 0, FK_GAP, "coverage-topic" },	/* match */
		{ 9, FK_INCORRECT, "question-mark-anywhere" },
	};
	struct result	r;

	(void)state;
	review_files(&r, "tests/notes/offline/code-topics.md",
	    "tests/notes/offline/code-topics.overview.md");
	expect_exactly(&r.l, want, sizeof want / sizeof want[0]);
	expect_well_formed(&r);
	assert_non_null(strstr(finding_at(&r.l, 0, "coverage-code")->message,
	    "`join`"));
	assert_non_null(strstr(finding_at(&r.l, 0, "coverage-topic")->message,
	    "exhaustiveness"));
	review_free(&r);
}

/* --- scope --------------------------------------------------------------- */

static size_t
count_rule(const struct finding_list *l, const char *prefix)
{
	size_t	i, n = 0;

	for (i = 0; i < l->n; i++)
		if (l->v[i].rule_id != NULL &&
		    str_starts_with(l->v[i].rule_id, prefix))
			n++;
	return n;
}

/*
 * Review note against ovw and expect `want` findings whose rule starts
 * with prefix; on a miss, print them all.
 */
static void
expect_gaps(const char *note, const char *ovw, const char *prefix,
    size_t want)
{
	struct result	r;

	review_text(&r, note, ovw);
	if (count_rule(&r.l, prefix) != want)
		print_findings(&r.l);
	assert_int_equal(count_rule(&r.l, prefix), want);
	review_free(&r);
}

/* "per" carries no topic: "one frame per function call" is said by "each
   fn call pushes a frame" (frame and call), as "one" and "each" say none. */
static void
test_subpoint_words_that_say_no_topic(void **state)
{
	(void)state;
	expect_gaps(
	    "# The stack\n\n"
	    "- each fn call pushes a frame for its locals\n"
	    "- returning pops it again\n",
	    "# The stack\n\n"
	    "Write about:\n\n"
	    "* The stack: one frame per function call, pushed on call and "
	    "popped on return\n", "coverage-", 0);
}

/* "Once" carries no topic either; a sub-point the bullet writes as code
   ("`where` clauses") is covered by that code, and only by code. */
static void
test_subpoints_in_other_words_and_code(void **state)
{
	static const char ovw[] = "# Traits\n\nWrite about:\n\n"
	    "* Generic functions with trait bounds (`T: Display`, `where` "
	    "clauses)\n"
	    "* Monomorphisation: generic code is compiled once per concrete "
	    "type\n";

	(void)state;
	expect_gaps("# Generics\n\nGeneric functions with trait bounds: "
	    "`fn show<T: Display>(t: T)`, or with `where T: Display + Clone` "
	    "at the end.\n\nGeneric functions get compiled for each "
	    "concrete type.\n", ovw, "coverage-", 0);
	expect_gaps("# Generics\n\nGeneric functions with trait bounds: "
	    "`fn show<T: Display>(t: T)`, where the bound comes first.\n\n"
	    "Generic functions get compiled for each concrete type.\n", ovw,
	    "coverage-subpoint", 1);
}

/* A sub-point's "`..other`" is shown by any "..name"; a type named by an
   English word is said by its plural. */
static void
test_subpoint_rest_syntax_and_plural_names(void **state)
{
	(void)state;
	expect_gaps("# Structs\n\n## Building values\n\n"
	    "Shorthand: write a field once when a variable has its name, "
	    "`Player { name, hp }`.\n\n"
	    "`Player { hp: 5, ..old }` takes the remaining fields from old.\n",
	    "# Structs\n\nWrite about:\n\n* Creating instances: field init "
	    "shorthand and struct update syntax (`..other`)\n", "coverage-",
	    0);
	expect_gaps("# Closures\n\n## Iterators\n\nA trait with one "
	    "required method, `next`, which gives `Some(item)` until "
	    "`None`.\n",
	    "# Closures\n\nWrite about:\n\n* The `Iterator` trait and its "
	    "`next` method\n", "coverage-", 0);
	/* "while" in prose is no `while let` */
	expect_gaps("# Patterns\n\n`if let Some(x) = f() { }` matches "
	    "one variant, while `match` needs them all.\n",
	    "# Patterns\n\nWrite about:\n\n* `if let` and `while let`\n",
	    "coverage-", 1);
}

/* The name after ".." in "`..other`" stands for any instance. */
static void
test_code_name_after_rest_syntax(void **state)
{
	static const char ovw[] = "# Structs\n\nWrite about:\n\n"
	    "* Creating instances: struct update syntax (`..other`)\n";

	(void)state;
	expect_gaps("# Structs\n\nCreating instances with the struct "
	    "update syntax copies the rest:\n\n"
	    "```rust\nlet p2 = Point { x: 1, ..p1 };\n```\n", ovw,
	    "coverage-code", 0);
	expect_gaps("# Structs\n\nCreating instances with the struct "
	    "update syntax copies the rest of the fields.\n", ovw,
	    "coverage-code", 1);
}

/* What the overview asks for is never out of scope. */
static void
test_scope_term_the_overview_asks_for(void **state)
{
	struct result	r;

	(void)state;
	review_text(&r,
	    "# Memory\n\nHeap data has no inherent lifetime.\n\n"
	    "```rust\nfn f<'a>(x: &'a i32) {}\n```\n",
	    "# Memory model\n\n"
	    "- Stack vs heap (frames, lifetimes, deallocation)\n"
	    "- What drop does\n\n"
	    "Do not mention lifetimes here.\n");
	assert_int_equal(count_rule(&r.l, "scope-"), 0);
	review_free(&r);
}

/* Mentions on one line are one finding; "later" sentences do not count. */
static void
test_scope_precision_and_merging(void **state)
{
	const struct finding	*f;
	struct result		 r;

	(void)state;
	review_text(&r,
	    "# Pointers\n\n"
	    "A pointer holds an address, like `&'a T` does.\n"
	    "We will cover references and lifetimes in a later note.\n"
	    "Dereferencing a raw pointer reads the value.\n"
	    "The preferences are stored elsewhere.\n"
	    "More on borrowing in the next note.\n\n"
	    "```rust\nlet both = a && b;\nlet bits = x & 0xff;\n```\n",
	    "# Pointers\n\n- Raw pointers\n- Addresses\n\n"
	    "Do not mention borrowing, references or lifetimes here.\n");
	assert_int_equal(count_rule(&r.l, "scope-"), 1);
	f = finding_at(&r.l, 3, "scope-references");
	assert_non_null(f);
	assert_string_equal(f->quote, "`&'a T`");
	assert_non_null(strstr(f->message, "references and lifetimes"));
	review_free(&r);
}

/* Putting a subject off excuses its name, not its syntax. */
static void
test_scope_deferred_syntax(void **state)
{
	struct result	r;

	(void)state;
	review_text(&r,
	    "# Moves\n\nPassing a `String` moves it.\n"
	    "References come in the next note.\n"
	    "`&String` lets a function look without taking (next note).\n",
	    "# Ownership\n\n- Moves\n- Dropping\n\n"
	    "Do not mention references here.\n");
	assert_int_equal(count_rule(&r.l, "scope-"), 1);
	assert_non_null(finding_at(&r.l, 5, "scope-references"));
	review_free(&r);
}

/* A term no rule file knows is still found, as a word. */
static void
test_scope_unknown_term(void **state)
{
	struct result	r;

	(void)state;
	review_text(&r,
	    "# Loops\n\nA `for` loop walks a range.\n"
	    "An iterator yields one item at a time.\n",
	    "# Control flow\n\n- Loops\n- Ranges\n\n"
	    "Do not mention iterators here.\n");
	assert_int_equal(count_rule(&r.l, "scope-"), 1);
	assert_non_null(finding_at(&r.l, 4, "scope-iterators"));
	review_free(&r);
}

/* --- coverage and structure ---------------------------------------------- */

static void
test_coverage_wording(void **state)
{
	struct result	r;

	(void)state;
	/* Stems, plurals, hyphens and a paraphrasing heading all count. */
	review_text(&r,
	    "# Notes\n\n## What dropping a value really does\n"
	    "It runs the destructor and frees what the value holds.\n\n"
	    "## Fixed size\nAn `i32` has a fixed size. A `str` is dynamically "
	    "sized.\n\n## Frames\nEach call pushes a frame; its lifetime ends "
	    "when the call returns, and the frame is deallocated.\n",
	    "* Stack vs heap (frames, lifetimes, deallocation)\n"
	    "* Fixed-size vs dynamically-sized data\n"
	    "* What \"drop\" actually does\n"
	    "* Why heap memory must have **one deallocator**\n");
	assert_int_equal(count_rule(&r.l, "coverage-"), 1);
	assert_non_null(finding_at(&r.l, 0, "coverage-topic"));
	assert_non_null(strstr(finding_at(&r.l, 0, "coverage-topic")->message,
	    "one deallocator"));
	review_free(&r);
}

/*
 * A heading for the topic with nothing under it: one finding, there.  A
 * heading over one short line is a thin section: a low gap at it.
 */
static void
test_coverage_heading_only(void **state)
{
	const struct finding	*f;
	struct result		 r;

	(void)state;
	review_text(&r,
	    "# Notes\n\n## What drop does\n\n## Other things\nText here.\n",
	    "# Drop\n\n- What drop does\n- Other things\n");
	assert_int_equal(r.l.n, 2);
	f = finding_at(&r.l, 3, "coverage-heading-only");
	assert_non_null(f);
	assert_string_equal(f->quote, "What drop does");
	f = finding_at(&r.l, 5, "coverage-thin");
	assert_non_null(f);
	assert_int_equal(f->severity, FS_LOW);
	assert_string_equal(f->quote, "Other things");
	review_free(&r);
}

static void
test_structure_checks(void **state)
{
	static const struct want want[] = {
		{ 3, FK_GAP, "unfinished-sentence" },	/* ends with ',' */
		{ 5, FK_GAP, "empty-section" },
		{ 9, FK_GAP, "unfinished-list" },	/* last item, ',' */
		{ 11, FK_GAP, "todo-marker" },
	};
	struct result	r;

	(void)state;
	review_text(&r,
	    "# Title\n\n"			/* 1 */
	    "When the function returns,\n\n"	/* 3 */
	    "## Empty\n\n"			/* 5 */
	    "## Lists\n"			/* 7 */
	    "- first,\n"			/* 8: the list goes on */
	    "- second,\n\n"			/* 9 */
	    "FIXME\n\n"				/* 11 */
	    "For example:\n\n"			/* 13: code follows */
	    "```\nlet x = 1,\n```\n\n"
	    "Rules, in short:\n"		/* 19: a list follows */
	    "- one owner\n",
	    NULL);
	expect_exactly(&r.l, want, sizeof want / sizeof want[0]);
	expect_well_formed(&r);
	review_free(&r);
}

/* Without rules or an overview the structure checks still run. */
static void
test_no_rules_no_overview(void **state)
{
	struct finding_list	 l;
	struct note		*n = NULL;
	char			 err[RN_ERRLEN];
	const char		*text = "# A\n\n# A\nThe heap is a binary tree,\n";

	(void)state;
	assert_int_equal(note_parse("x.md", text, strlen(text), &n, err,
	    sizeof err), RN_OK);
	flist_init(&l);
	offline_review(n, NULL, NULL, &l);
	assert_int_equal(l.n, 3);	/* empty, duplicate, unfinished */
	assert_non_null(finding_at(&l, 1, "empty-section"));
	assert_non_null(finding_at(&l, 3, "duplicate-heading"));
	assert_non_null(finding_at(&l, 4, "unfinished-sentence"));
	flist_free(&l);
	offline_review(NULL, NULL, NULL, &l);
	assert_int_equal(l.n, 0);
	note_free(n);
}

/* --- a big note (its speed is measured by make bench) ------------------ */

/* A 10 000-line note made of the seed's lines, renumbered headings. */
static char *
big_note(size_t *len)
{
	struct buf	 b;
	char		*seed = NULL, *path = source_path("notes/02-memory-model.md");
	char		 err[RN_ERRLEN];
	const char	*p, *nl;
	size_t		 slen;
	int		 lines = 0, copy = 0;

	assert_int_equal(util_read_file(path, NOTE_MAX_BYTES, &seed, &slen,
	    err, sizeof err), RN_OK);
	free(path);
	buf_init(&b, NOTE_MAX_BYTES);
	while (lines < 10000) {
		for (p = seed; *p != '\0' && lines < 10000; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			if (str_starts_with(p, "## "))
				assert_int_equal(buf_printf(&b, "## Part %d\n",
				    copy), 0);
			else
				assert_int_equal(buf_add(&b, p, nl - p + 1),
				    0);
			lines++;
		}
		copy++;
	}
	free(seed);
	*len = b.len;
	return buf_steal(&b);
}

static void
test_big_note(void **state)
{
	struct result	 r;
	char		 err[RN_ERRLEN];
	char		*text, *op = source_path("notes/memory-model.overview.md");
	size_t		 len;

	(void)state;
	text = big_note(&len);
	memset(&r, 0, sizeof r);
	assert_int_equal(note_parse("big.md", text, len, &r.n, err,
	    sizeof err), RN_OK);
	assert_int_equal(r.n->nlines, 10000);
	assert_int_equal(ovw_load(op, &r.o, err, sizeof err), RN_OK);
	flist_init(&r.l);
	offline_review(r.n, r.o, bundled, &r.l);
	assert_int_equal(r.l.n, FINDING_MAX_COUNT);
	free(text);
	free(op);
	review_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_exact_findings),
		cmocka_unit_test(test_seed_details),
		cmocka_unit_test(test_ownership_note),
		cmocka_unit_test(test_correct_prose_note),
		cmocka_unit_test(test_mixed_note_with_front_matter),
		cmocka_unit_test(test_drop_note_markdown),
		cmocka_unit_test(test_code_comments_and_code_topics),
		cmocka_unit_test(test_scope_term_the_overview_asks_for),
		cmocka_unit_test(test_subpoint_words_that_say_no_topic),
		cmocka_unit_test(test_subpoints_in_other_words_and_code),
		cmocka_unit_test(test_subpoint_rest_syntax_and_plural_names),
		cmocka_unit_test(test_code_name_after_rest_syntax),
		cmocka_unit_test(test_scope_precision_and_merging),
		cmocka_unit_test(test_scope_deferred_syntax),
		cmocka_unit_test(test_scope_unknown_term),
		cmocka_unit_test(test_coverage_wording),
		cmocka_unit_test(test_coverage_heading_only),
		cmocka_unit_test(test_structure_checks),
		cmocka_unit_test(test_no_rules_no_overview),
		cmocka_unit_test(test_big_note),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
