/*
 * test_meaning.c - the meaning matcher: concepts from the lexicon in any
 * order within one clause, stems and irregular forms, negation and its
 * scope, contrasting "but", rejected alternatives ("instead of", "rather
 * than"), questions, "none:" vetoes and "negated: yes" rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/offline.h"
#include "rustnote/rules.h"

static const char lexicon[] =
    "form: have = has, had, having\n"
    "form: its = their, his, her\n"
    "form: unwind = unwound, unwinding, unwinds\n"
    "concept: NEG = not, no, never, cannot, without\n"
    "concept: NEG_ALL = nothing, nobody, none of\n"
    "concept: BUT = but, whereas, while, though\n"
    "concept: INSTEAD = instead of, rather than\n"
    "concept: BLOCK = block, {}, curly braces, inner scope\n"
    "concept: FRAME = frame, stack frame, activation record\n"
    "concept: CREATE = create, get, push, open, have its own, allocate\n"
    "concept: CALL = call, function call\n"
    "concept: VEC = `Vec`\n"
    "concept: BOX = box\n"
    "concept: SIZED = dynamically sized, unsized\n"
    "concept: FREE = free, deallocat*\n"
    "concept: AUTO = automatic*\n"
    "\n";

static struct rule_set *
load(const char *rules)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";
	char		*text = malloc(strlen(lexicon) + strlen(rules) + 1);

	strcpy(text, lexicon);
	strcat(text, rules);
	if (rules_load_text(&rs, "t.rules", text, err, sizeof err) != RN_OK)
		fail_msg("%s", err);
	free(text);
	return rs;
}

static const char frame_rule[] =
    "id: frame\nkind: incorrect\nall: BLOCK, CREATE, FRAME\n"
    "none: CALL\nmessage: m\n"
    "example+: Every block creates a frame.\n"
    "example-: Every call creates a frame.\n";

static bool
fires(struct rule_set *rs, const char *text)
{
	return rule_fires(rs, &rs->rules[0], text);
}

static void
test_any_order_and_stems(void **state)
{
	struct rule_set	*rs = load(frame_rule);

	(void)state;
	assert_true(fires(rs, "Every block creates a frame."));
	assert_true(fires(rs, "A new stack frame is pushed for each inner "
	    "scope."));
	assert_true(fires(rs, "Frames get created by blocks."));
	assert_true(fires(rs, "Curly braces {} have their own frame."));
	assert_true(fires(rs, "Inside a function, a block also has its own "
	    "little frame."));
	assert_true(fires(rs, "An activation record is allocated for the "
	    "block."));
	assert_false(fires(rs, "A block limits the scope of its variables."));
	assert_false(fires(rs, "The frame holds every local."));
	rules_free(rs);
}

static void
test_negation_scope(void **state)
{
	struct rule_set	*rs = load(frame_rule);

	(void)state;
	assert_false(fires(rs, "A block does not create a frame."));
	assert_false(fires(rs, "A block doesn't get its own frame."));
	assert_false(fires(rs, "Blocks never create frames."));
	assert_false(fires(rs, "No block gets a frame of its own."));
	/* A negation only denies what follows it. */
	assert_true(fires(rs, "Every block creates a frame that is not "
	    "visible."));
	/* A negative pronoun denies its whole clause, unless it opens a
	   statement of its own after a comma. */
	assert_false(fires(rs, "Nothing creates a frame for a block."));
	assert_false(fires(rs, "In a block, nothing creates a frame."));
	assert_true(fires(rs, "Every block creates a frame, nothing else "
	    "does."));
	rules_free(rs);
}

static void
test_contrast_and_rejection(void **state)
{
	struct rule_set	*rs = load(frame_rule);

	(void)state;
	assert_false(fires(rs, "A block limits scope but does not create a "
	    "frame."));
	assert_false(fires(rs, "A frame belongs not to a block but to the "
	    "function."));
	assert_false(fires(rs, "A block ends a scope instead of creating a "
	    "frame."));
	assert_false(fires(rs, "Rather than creating a frame, a block only "
	    "ends a scope."));
	assert_false(fires(rs, "Blocks end scopes; they get no frame."));
	assert_true(fires(rs, "Unlike a loop, a block creates a frame; that "
	    "is wrong."));
	/* "though" before a comma is an adverb, not a new clause */
	assert_true(fires(rs, "A block is small though, it creates a "
	    "frame."));
	assert_false(fires(rs, "A block is small though frames get "
	    "created."));
	/* ... where "it" stands for the block, the claim is made */
	assert_true(fires(rs, "A block is small though it creates a "
	    "frame."));
	rules_free(rs);
}

static void
test_questions_and_vetoes(void **state)
{
	struct rule_set	*rs = load(frame_rule);

	(void)state;
	assert_false(fires(rs, "Does every block create a frame?"));
	assert_false(fires(rs, "Why does every block create a frame, but "
	    "not a loop?"));
	/* a question tacked on to a statement asks only its own clause */
	assert_true(fires(rs, "Every block creates a frame, but what does a "
	    "loop get?"));
	assert_false(fires(rs, "A function body is a block, and each call "
	    "creates a frame."));
	rules_free(rs);
}

/*
 * A negation listed under "none:" vetoes the claim it stands before, not
 * a remark that follows the claim or another clause of the sentence.
 */
static void
test_negation_veto_reach(void **state)
{
	struct rule_set	*rs = load(
	    "id: alive\nkind: incorrect\nall: VEC, FREE, AUTO\n"
	    "none: NEG, CALL\nmessage: m\n"
	    "example+: A Vec is freed automatically.\n"
	    "example-: No one says a Vec is freed automatically.\n");

	(void)state;
	assert_true(fires(rs, "A `Vec` is freed automatically, you cannot "
	    "see it happen."));
	assert_true(fires(rs, "A `Vec` is freed automatically; nothing else "
	    "is."));
	assert_true(fires(rs, "Without doubt, a `Vec` is freed "
	    "automatically."));	/* the negation's reach ends at its comma */
	assert_false(fires(rs, "No `Vec` is freed automatically."));
	assert_false(fires(rs, "A `Vec` is never freed automatically."));
	assert_false(fires(rs, "A `Vec` is freed automatically after the "
	    "call."));		/* other vetoes reach the whole sentence */
	assert_false(fires(rs, "A `Vec` is freed automatically; the call "
	    "does it."));
	rules_free(rs);
}

static void
test_negated_rule(void **state)
{
	struct rule_set	*rs = load(
	    "id: not-auto\nkind: incorrect\nall: FREE, AUTO\nnegated: yes\n"
	    "message: m\n"
	    "example+: Heap memory is not freed automatically.\n"
	    "example-: Heap memory is freed automatically.\n");

	(void)state;
	assert_true(fires(rs, "Rust never deallocates automatically."));
	assert_false(fires(rs, "Deallocation happens automatically."));
	assert_true(fires(rs, "It is freed by hand, never "
	    "automatically."));
	/* after a comma, a negation says something else */
	assert_false(fires(rs, "The memory is freed automatically, no "
	    "`free` call needed."));
	assert_false(fires(rs, "It is freed automatically, never by "
	    "hand."));
	rules_free(rs);
}

static void
test_exact_and_words(void **state)
{
	struct rule_set	*rs = load(
	    "id: vec\nkind: incorrect\nall: VEC, SIZED\nmessage: m\n"
	    "example+: A Vec is dynamically sized.\n"
	    "example-: A vector of bytes is sized.\n");

	(void)state;
	assert_true(fires(rs, "Unsized types such as Vec live on the heap."));
	assert_false(fires(rs, "The vec macro builds an unsized thing."));
	assert_false(fires(rs, "A Vector is unsized."));
	rules_free(rs);
}

static void
test_stems(void **state)
{
	struct rule_set	*rs = load(frame_rule);
	const struct rule_lexicon *lx = rs->lex;

	(void)state;
	assert_true(rule_stem(lx, "frames", 6) == rule_stem(lx, "frame", 5));
	assert_true(rule_stem(lx, "allocated", 9) ==
	    rule_stem(lx, "allocation", 10));
	assert_true(rule_stem(lx, "allocates", 9) ==
	    rule_stem(lx, "allocate", 8));
	assert_true(rule_stem(lx, "popped", 6) == rule_stem(lx, "pop", 3));
	assert_true(rule_stem(lx, "copies", 6) == rule_stem(lx, "copied", 6));
	assert_true(rule_stem(lx, "has", 3) == rule_stem(lx, "have", 4));
	assert_true(rule_stem(lx, "unwound", 7) ==
	    rule_stem(lx, "unwinding", 9));
	assert_true(rule_stem(lx, "Lifetimes", 9) ==
	    rule_stem(lx, "lifetime", 8));
	assert_false(rule_stem(lx, "owner", 5) == rule_stem(lx, "own", 3));
	rules_free(rs);
}

/* "With no X, the Y ...": the negation ends at the comma. */
static void
test_negation_reach(void **state)
{
	struct rule_set	*rs = load(frame_rule);

	(void)state;
	assert_true(fires(rs, "With no return value, the block creates a "
	    "frame."));
	assert_false(fires(rs, "A block does not create, get or push a "
	    "frame."));
	assert_false(fires(rs, "No block creates a frame, so nothing "
	    "is pushed."));
	/* an opening phrase keeps its negation to itself ... */
	assert_true(fires(rs, "With no loop around it, each block creates "
	    "a frame."));
	assert_true(fires(rs, "The loop may not run, then every "
	    "block creates a frame."));
	/* a reason is stated, not denied */
	assert_true(fires(rs, "It won't compile because every block "
	    "creates a frame."));
	assert_false(fires(rs, "A block does not create a frame because "
	    "it is no call."));
	/* ... and a negation of the main statement still denies it */
	assert_false(fires(rs, "With no loop around it, a block does not "
	    "create a frame."));
	rules_free(rs);
}

/* A '|' inside a /pattern/ belongs to the pattern, not to the item. */
static void
test_pattern_alternatives(void **state)
{
	struct rule_set	*rs = load("id: pat\nkind: incorrect\n"
	    "all: /\\b(?:curly|brace)s?\\b/|scope, FRAME\nmessage: m\n"
	    "example+: Curly braces get a frame.\n"
	    "example-: A call gets a frame.\n");

	(void)state;
	assert_true(fires(rs, "Every brace gets a frame."));
	assert_true(fires(rs, "Each scope gets a frame."));
	assert_false(fires(rs, "Each bracelet gets a frame."));
	rules_free(rs);
}

/*
 * A ',' inside a /pattern/ or inside a wording in backticks belongs to
 * it, not to the list: "{1,3}" and "`Result<Vec<T>, E>`" stay whole; a
 * backtick that closes nothing is a character like any other.
 */
static void
test_commas_inside_wordings(void **state)
{
	struct rule_set	*rs = load("id: pat\nkind: incorrect\n"
	    "all: /\\bab{1,3}c\\b/|`Result<Vec<T>, E>`, FRAME\nmessage: m\n"
	    "example+: An abbc gets a frame.\n"
	    "example-: A call gets a frame.\n\n"
	    "id: tick\nkind: incorrect\n"
	    "all: `impl|impl, FRAME\nmessage: m\n"
	    "example+: An impl gets a frame.\n"
	    "example-: A call gets a frame.\n");

	(void)state;
	assert_true(fires(rs, "A `Result<Vec<T>, E>` gets a frame."));
	assert_true(fires(rs, "An abc gets a frame."));
	assert_false(fires(rs, "An abbbbc gets a frame."));
	assert_false(fires(rs, "A result gets a frame."));
	assert_true(rule_fires(rs, &rs->rules[1], "An impl gets a frame."));
	rules_free(rs);
}

/* A negation or contrast inside inline code steers nothing. */
static void
test_code_words_do_not_steer(void **state)
{
	struct rule_set	*rs = load(frame_rule);

	(void)state;
	assert_true(fires(rs, "Using `expect(\"no\")` means every block "
	    "creates a frame."));
	assert_true(fires(rs, "Every block `while` creates a frame."));
	assert_false(fires(rs, "Every block does not create a frame, as "
	    "`expect(\"frame\")` shows."));
	rules_free(rs);
}

/* "note" keeps its e: "Note: ..." is not "not". */
static void
test_note_is_not_a_negation(void **state)
{
	static const char rules[] = "form: note = note, notes, noted\n\n"
	    "id: frame\nkind: incorrect\nall: BLOCK, CREATE, FRAME\n"
	    "none: CALL\nmessage: m\n"
	    "example+: Note: every block creates a frame.\n"
	    "example-: Every block does not create a frame.\n";
	struct rule_set	*rs = load(rules);

	(void)state;
	assert_true(fires(rs, "Notes: every block creates a frame."));
	assert_false(fires(rs, "Every block does not create a frame."));
	rules_free(rs);
}

static const char label_rule[] =
    "id: vecfree\nkind: incorrect\nall: VEC, FREE\nmessage: m\n"
    "example+: A `Vec` is freed by hand.\n"
    "example-: A box is freed by hand.\n";

/* A list label of a few words is the subject of each clause after it. */
static void
test_label_is_subject(void **state)
{
	struct rule_set	*rs = load(label_rule);

	(void)state;
	assert_true(fires(rs, "`Vec`: grows on the heap; freed by hand."));
	assert_true(fires(rs, "The `Vec` type: grows; freed by hand."));
	assert_false(fires(rs, "Grows on the heap; freed by hand."));
	/* a statement before a colon is not a label */
	assert_false(fires(rs, "I wrote a long note about `Vec` today: "
	    "grows; freed by hand."));
	/* the label is not denied by a negation after it */
	assert_false(fires(rs, "`Vec`: grows; never freed by hand."));
	rules_free(rs);
}

/* "without" denies its object, not what the sentence says of its subject. */
static void
test_without_denies_its_object(void **state)
{
	struct rule_set	*rs = load(label_rule);

	(void)state;
	assert_true(fires(rs, "A `Vec` without a capacity is freed by hand."));
	assert_true(fires(rs, "Without a capacity the `Vec` is freed by hand."));
	/* a negation after the object has a reach of its own */
	assert_false(fires(rs, "A `Vec` without a capacity is not freed by "
	    "hand."));
	/* a verb's object runs on: "without being freed" */
	assert_false(fires(rs, "A `Vec` is dropped without being freed by "
	    "hand."));
	assert_false(fires(rs, "A `Vec` is dropped without the memory being "
	    "freed by hand."));
	rules_free(rs);
}

/* "It" and "they" as a subject stand for the subject before them. */
static void
test_pronoun_stands_for_subject(void **state)
{
	struct rule_set	*rs = load(label_rule), *fr = load(frame_rule);

	(void)state;
	assert_true(fires(rs, "A `Vec` grows on the heap. It is freed by "
	    "hand."));
	assert_true(fires(rs, "A `Vec` grows on the heap, but it is freed by "
	    "hand."));
	assert_true(fires(rs, "A `Vec` grows on the heap. And they are freed "
	    "by hand."));
	assert_false(fires(rs, "A box grows on the heap. It is freed by "
	    "hand."));
	/* the subject alone, not the rest of the sentence before */
	assert_false(fires(rs, "A box grows like a `Vec`. It is freed by "
	    "hand."));
	assert_false(fires(rs, "A `Vec` grows. Then you free it by hand."));
	assert_false(fires(rs, "A `Vec` grows. It is never freed by hand."));
	/* the vetoes of the sentence the subject comes from count */
	assert_true(fires(fr, "A block is a scope. It creates a frame."));
	assert_false(fires(fr, "A block is part of a call. It creates a "
	    "frame."));
	rules_free(rs);
	rules_free(fr);
}

/* "nothing" denies its verb and what follows, not what comes before. */
static void
test_nothing_denies_its_verb(void **state)
{
	struct rule_set	*rs = load(label_rule);

	(void)state;
	assert_true(fires(rs, "A `Vec` is freed by hand and does nothing "
	    "else."));
	assert_false(fires(rs, "A `Vec` frees nothing by hand."));
	assert_false(fires(rs, "A `Vec` is dropped and nothing is freed by "
	    "hand."));
	rules_free(rs);
	/* a wording that holds the pronoun is not denied by it */
	rs = load("id: vecfree\nkind: incorrect\nall: VEC, costs nothing\n"
	    "message: m\nexample+: A `Vec` costs nothing.\n"
	    "example-: A box costs nothing.\n");
	assert_true(fires(rs, "Using a `Vec` costs nothing at run time."));
	assert_false(fires(rs, "A `Vec` never costs nothing."));
	rules_free(rs);
}

/* "..., but only ..." narrows the clause before: one claim. */
static void
test_but_only_narrows(void **state)
{
	struct rule_set	*rs = load(label_rule);

	(void)state;
	assert_true(fires(rs, "A `Vec` is released, but only freed by "
	    "hand."));
	assert_false(fires(rs, "A box is released, but only freed by hand."));
	assert_false(fires(rs, "A `Vec` grows, but a box is freed by hand."));
	rules_free(rs);
}

/* "x -> y": an arrow ends a clause, and what follows is about x. */
static void
test_arrow_ends_clause(void **state)
{
	struct rule_set	*rs = load(label_rule);

	(void)state;
	assert_true(fires(rs, "a `Vec` -> freed by hand"));
	assert_true(fires(rs, "a `Vec` is not small \xe2\x86\x92 freed by "
	    "hand"));
	assert_false(fires(rs, "a box -> freed by hand"));
	assert_false(fires(rs, "a `Vec` -> never freed by hand"));
	rules_free(rs);
}

static void
test_link_errors(void **state)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";

	(void)state;
	assert_int_equal(rules_load_text(&rs, "x.rules",
	    "id: x\nkind: incorrect\nall: NOSUCH, frame\nmessage: m\n", err,
	    sizeof err), RN_EINPUT);
	assert_non_null(strstr(err, "x.rules:3"));
	assert_non_null(strstr(err, "NOSUCH"));
	rules_free(rs);
	rs = NULL;
	assert_int_equal(rules_load_text(&rs, "y.rules",
	    "concept: lower = a, b\n", err, sizeof err), RN_EINPUT);
	assert_non_null(strstr(err, "y.rules:1"));
	rules_free(rs);
	rs = NULL;
	assert_int_equal(rules_load_text(&rs, "z.rules",
	    "concept: BAD = /(/\n", err, sizeof err), RN_EINPUT);
	assert_non_null(strstr(err, "z.rules:1"));
	rules_free(rs);
	rs = NULL;
	/* "move ||" would quietly mean "move": an empty alternative is refused */
	assert_int_equal(rules_load_text(&rs, "v.rules",
	    "concept: FRAME = frame\n\nid: v\nkind: incorrect\n"
	    "all: FRAME, move ||\nmessage: m\n", err, sizeof err), RN_EINPUT);
	assert_non_null(strstr(err, "v.rules:5"));
	assert_non_null(strstr(err, "empty alternative"));
	rules_free(rs);
	rs = NULL;
	/* A rule's own example is checked against the meaning rule. */
	assert_int_equal(rules_load_text(&rs, "w.rules", frame_rule, err,
	    sizeof err), RN_EINPUT);
	assert_non_null(strstr(err, "BLOCK"));
	rules_free(rs);
}

/*
 * A rule's examples are read for its own concepts only, which are looked
 * up by the bytes and stems they start with: each kind of wording, in
 * either case, is still found there, as in a reading for every concept.
 */
static void
test_reading_for_one_rule(void **state)
{
	static const char rules[] =
	    "concept: OWNED = `Box<T>`, `Rc`, &mut, alloc*, stack frame, "
	    "heap block\n"
	    "concept: OTHER = bolt, rack, &, stacks of, allocator's\n"
	    "\n"
	    "id: owned\nkind: incorrect\nall: OWNED, CREATE\n"
	    "message: m\n"
	    "example+: A Box<T> gets created.\n"
	    "example+: Each Rc is created anew.\n"
	    "example+: We create a &mut here.\n"
	    "example+: Allocations get created.\n"
	    "example+: A new stack frame is created.\n"
	    "example+: A heap block gets created.\n"
	    "example-: A box<t> gets created.\n"
	    "example-: Each RC is created anew.\n"
	    "example-: A bolt and a rack get created.\n";
	struct rule_set	*rs = load(rules);

	(void)state;
	assert_true(fires(rs, "A Box<T> gets created."));
	assert_true(fires(rs, "ALLOCATING gets created."));
	assert_false(fires(rs, "Stacks of frames get created."));
	rules_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_any_order_and_stems),
		cmocka_unit_test(test_negation_scope),
		cmocka_unit_test(test_note_is_not_a_negation),
		cmocka_unit_test(test_pattern_alternatives),
		cmocka_unit_test(test_commas_inside_wordings),
		cmocka_unit_test(test_code_words_do_not_steer),
		cmocka_unit_test(test_contrast_and_rejection),
		cmocka_unit_test(test_questions_and_vetoes),
		cmocka_unit_test(test_negated_rule),
		cmocka_unit_test(test_negation_veto_reach),
		cmocka_unit_test(test_negation_reach),
		cmocka_unit_test(test_label_is_subject),
		cmocka_unit_test(test_without_denies_its_object),
		cmocka_unit_test(test_pronoun_stands_for_subject),
		cmocka_unit_test(test_arrow_ends_clause),
		cmocka_unit_test(test_nothing_denies_its_verb),
		cmocka_unit_test(test_but_only_narrows),
		cmocka_unit_test(test_exact_and_words),
		cmocka_unit_test(test_stems),
		cmocka_unit_test(test_link_errors),
		cmocka_unit_test(test_reading_for_one_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
