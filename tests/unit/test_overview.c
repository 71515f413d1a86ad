/* test_overview.c - overview parsing on differently written outlines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"

#include "testutil.h"

#define OVW_DIR	"tests/notes/overviews/"

/* --- helpers ------------------------------------------------------------- */

/* "title|sub|sub" for a topic, "term|term" for a rule. */
static char *
join_topic(const struct ovw_topic *t)
{
	struct buf	b;
	int		i;

	buf_init(&b, 0);
	buf_adds(&b, t->title);
	for (i = 0; i < t->nsub; i++)
		buf_printf(&b, "|%s", t->subpoints[i]);
	return buf_steal(&b);
}

static char *
join_rule(const struct ovw_rule *r)
{
	struct buf	b;
	int		i;

	buf_init(&b, 0);
	for (i = 0; i < r->nterms; i++)
		buf_printf(&b, "%s%s", i ? "|" : "", r->terms[i]);
	if (b.data == NULL)
		return xstrdup("");
	return buf_steal(&b);
}

/* want: NULL-terminated list of "title|sub|sub". */
static void
expect_topics(const struct overview *o, const char *const *want)
{
	char	*got;
	int	 i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= o->ntopics)
			fail_msg("missing topic %d: %s", i, want[i]);
		got = join_topic(&o->topics[i]);
		assert_string_equal(got, want[i]);
		free(got);
	}
	assert_int_equal(o->ntopics, i);
}

static void
expect_rules(const struct overview *o, const char *const *want)
{
	char	*got;
	int	 i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= o->nrules)
			fail_msg("missing rule %d: %s", i, want[i]);
		got = join_rule(&o->rules[i]);
		assert_string_equal(got, want[i]);
		free(got);
	}
	assert_int_equal(o->nrules, i);
}

static struct overview *
load_ok(const char *path)
{
	struct overview	*o = NULL;
	char		 err[RN_ERRLEN] = "";

	if (ovw_load(path, &o, err, sizeof err) != RN_OK)
		fail_msg("%s", err);
	assert_non_null(o);
	return o;
}

static struct overview *
parse_ok(const char *text)
{
	struct overview	*o = NULL;
	char		 err[RN_ERRLEN] = "";

	if (ovw_parse("mem.md", text, strlen(text), &o, err, sizeof err) !=
	    RN_OK)
		fail_msg("%s", err);
	assert_non_null(o);
	return o;
}

/* --- the seed and six other ways to write an outline --------------------- */

static void
test_seed_overview(void **state)
{
	static const char *const topics[] = {
		"Stack vs heap|frames|lifetimes|deallocation",
		"Fixed-size vs dynamically-sized data",
		"What going out of scope physically means",
		"What drop actually does",
		"Why heap memory must have one deallocator",
		NULL
	};
	static const char *const rules[] = { "borrow checker|references",
	    NULL };
	struct overview	*o = load_ok("notes/memory-model.overview.md");

	(void)state;
	assert_string_equal(o->title,
	    "2. Rust's Memory Model (No Ownership Yet)");
	assert_string_equal(o->purpose,
	    "describe the battlefield before introducing laws.");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_string_equal(o->topics[0].text,
	    "Stack vs heap (frames, lifetimes, deallocation)");
	assert_string_equal(o->topics[3].text, "What \"drop\" actually does");
	assert_int_equal(o->topics[0].line, 7);
	assert_int_equal(o->topics[4].line, 11);
	assert_int_equal(o->rules[0].line, 13);
	assert_string_equal(o->rules[0].text,
	    "Do not mention borrow checker or references here.");
	assert_non_null(strstr(o->src, "Write about:"));
	assert_string_equal(o->path, "notes/memory-model.overview.md");
	ovw_free(o);
}

/* Headings "What to cover" / "Out of scope", numbered items, nesting. */
static void
test_ownership_sections(void **state)
{
	static const char *const topics[] = {
		"Ownership of values|one owner at a time|"
		    "the owner frees the value",
		"Moves vs copies|Copy types|Clone",
		"What happens to a moved-from variable",
		NULL
	};
	static const char *const rules[] = { "Lifetimes",
	    "Borrowing|references", "unsafe code", NULL };
	struct overview	*o = load_ok(OVW_DIR "ownership-sections.md");

	(void)state;
	assert_string_equal(o->title, "3. Ownership and Moves");
	assert_string_equal(o->purpose, "explain who is responsible for "
	    "freeing a value, before any borrowing.");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[1].line, 10);
	assert_int_equal(o->rules[2].line, 17);
	ovw_free(o);
}

/* Bold title line, "Cover:", sub-points after a colon or a dash. */
static void
test_colon_subpoints(void **state)
{
	static const char *const topics[] = {
		"Traits|definition|implementation|default methods",
		"Drop|what it runs|when",
		"Trait objects|dyn Trait|vtables",
		"Generic functions with trait bounds",
		NULL
	};
	static const char *const rules[] = { "lifetimes|borrowing", "async",
	    NULL };
	struct overview	*o = load_ok(OVW_DIR "colon-subpoints.md");

	(void)state;
	assert_string_equal(o->title, "Note 5: Traits and Drop");
	assert_string_equal(o->purpose,
	    "show how behaviour is attached to types.");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->rules[1].line, 12);
	ovw_free(o);
}

/* No marker at all: the bullets are the topics; rules inside prose. */
static void
test_plain_bullets(void **state)
{
	static const char *const topics[] = {
		"The Result type and the ? operator",
		"Recoverable vs unrecoverable errors",
		"Custom error types|implementing std::error::Error|"
		    "converting with From",
		NULL
	};
	static const char *const rules[] = { "panics", "unwrap|expect",
	    NULL };
	struct overview	*o = load_ok(OVW_DIR "plain-bullets.md");

	(void)state;
	assert_string_equal(o->title, "Error handling in Rust");
	assert_null(o->purpose);
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_string_equal(o->topics[0].text,
	    "The `Result` type and the `?` operator");
	assert_int_equal(o->rules[0].line, 9);
	assert_int_equal(o->rules[1].line, 9);
	ovw_free(o);
}

/* Topics as numbered sub-headings with bullets; "Don't mention" heading. */
static void
test_llm_verbose(void **state)
{
	static const char *const topics[] = {
		"Box<T>|heap allocation|recursive types",
		"Rc<T>|reference counting|shared ownership",
		NULL
	};
	static const char *const rules[] = { "Arc|threads", "RefCell",
	    "Weak pointers|cycles|interior mutability", NULL };
	struct overview	*o = load_ok(OVW_DIR "llm-verbose.md");

	(void)state;
	assert_string_equal(o->title,
	    "Note 4 \xe2\x80\x94 Smart Pointers (Heap Ownership)");
	assert_string_equal(o->purpose,
	    "Understand how pointer types own heap memory.");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[1].line, 11);
	ovw_free(o);
}

/* First line "2. Collections", "1)" items, "Not yet:", "Out of scope:". */
static void
test_numbered_paren(void **state)
{
	static const char *const topics[] = {
		"Vectors|push|indexing|capacity",
		"Strings as UTF-8 bytes",
		"Hash maps|insertion|lookup",
		NULL
	};
	static const char *const rules[] = {
		"iterators|closures",
		"HashMap internals|hashing algorithms",
		"slices|string formatting|Vec<T> growth strategy",
		NULL
	};
	struct overview	*o = load_ok(OVW_DIR "numbered-paren.md");

	(void)state;
	assert_string_equal(o->title, "2. Collections");
	expect_topics(o, topics);
	expect_rules(o, rules);
	ovw_free(o);
}

/* Bold markers, front matter, curly quotes, a rule among the topics. */
static void
test_bold_markers(void **state)
{
	static const char *const topics[] = {
		"What a move really copies",
		"Why Copy types are special",
		"Stack vs heap storage of a String",
		NULL
	};
	static const char *const rules[] = { "smart pointers",
	    "borrow checker", "lifetimes|traits", NULL };
	struct overview	*o = load_ok(OVW_DIR "bold-markers.md");

	(void)state;
	assert_string_equal(o->title, "bold-markers");	/* no heading */
	assert_string_equal(o->topics[0].text,
	    "What a \"move\" really copies");
	assert_string_equal(o->topics[1].text,
	    "Why `Copy` types are 'special'");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[0].line, 7);
	assert_int_equal(o->rules[0].line, 10);
	ovw_free(o);
}

/* Objectives, "Key concepts to cover", rules under "## Constraints". */
static void
test_objectives_constraints(void **state)
{
	static const char *const topics[] = {
		"explain what a reference is",
		"describe the two borrowing rules",
		"Shared references|&T",
		"Mutable references|&mut T",
		"The borrowing rules|one &mut or many &",
		NULL
	};
	static const char *const rules[] = { "lifetime annotations",
	    "smart pointers", NULL };
	struct overview	*o = load_ok(OVW_DIR "objectives-constraints.md");

	(void)state;
	assert_string_equal(o->title, "Lesson 6: Borrowing");
	assert_null(o->purpose);
	expect_topics(o, topics);
	expect_rules(o, rules);
	ovw_free(o);
}

/* "Title:" line, "In this note, explain:", "Things to skip for now:". */
static void
test_explain_skip(void **state)
{
	static const char *const topics[] = {
		"The Iterator trait and next()",
		"Adapters|map|filter|collect",
		"Laziness",
		NULL
	};
	static const char *const rules[] = { "closures capturing rules",
	    "impl Trait", NULL };
	struct overview	*o = load_ok(OVW_DIR "explain-skip.md");

	(void)state;
	assert_string_equal(o->title, "Iterators");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->rules[1].line, 11);
	ovw_free(o);
}

static void
test_crlf_bom(void **state)
{
	static const char *const topics[] = { "Capturing the environment",
	    "Fn, FnMut and FnOnce", NULL };
	static const char *const rules[] = { "iterators", NULL };
	struct overview	*o = load_ok(OVW_DIR "crlf-bom.md");

	(void)state;
	assert_string_equal(o->title, "Closures");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[1].line, 6);
	assert_int_equal(o->rules[0].line, 8);
	ovw_free(o);
}

/* --- headings as topics ------------------------------------------------- */

/* Headings with bullets under them and no marker: the headings are topics. */
static void
test_heading_topics(void **state)
{
	static const char *const topics[] = {
		"Stack vs heap|frames|lifetimes",
		"Drop|what it runs",
		NULL
	};
	static const char *const rules[] = { "borrow checker", NULL };
	struct overview	*o = load_ok(OVW_DIR "heading-topics.md");

	(void)state;
	assert_string_equal(o->title, "Drop and scope");
	assert_null(o->purpose);
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[0].line, 3);
	assert_int_equal(o->topics[1].line, 7);
	assert_string_equal(o->topics[1].text, "Drop");
	assert_int_equal(o->rules[0].line, 10);
	assert_string_equal(o->rules[0].text, "Explain what drop does without "
	    "mentioning the borrow checker.");
	ovw_free(o);
}

/* "Goals", "Summary", a reading list: headings that are no topics. */
static void
test_heading_asides(void **state)
{
	static const char *const topics[] = {
		"Result<T, E>|Ok and Err|the ? operator",
		"Option<T>|Some and None|when to prefer Option over Result",
		"Panics|when a panic is fine",
		NULL
	};
	static const char *const rules[] = { "async",
	    "Custom error crates|anyhow|thiserror", NULL };
	struct overview	*o = load_ok(OVW_DIR "heading-asides.md");

	(void)state;
	assert_string_equal(o->title, "7. Error Handling");
	assert_null(o->purpose);
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[0].line, 7);
	assert_int_equal(o->topics[2].line, 15);
	assert_int_equal(o->rules[0].line, 5);
	assert_int_equal(o->rules[1].line, 16);	/* the sentence wraps */
	ovw_free(o);
}

/* Headings that only group deeper ones; "References" as a topic. */
static void
test_heading_groups(void **state)
{
	static const char *const topics[] = {
		"References|&T and &mut T|dereferencing with *",
		"Slices|string slices|array slices",
		"One writer or many readers|why the rule prevents data races",
		NULL
	};
	static const char *const rules[] = { "lifetimes", "unsafe", NULL };
	struct overview	*o = load_ok(OVW_DIR "heading-groups.md");

	(void)state;
	assert_string_equal(o->title, "Borrowing, part 2");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[0].line, 12);
	assert_int_equal(o->rules[1].line, 8);
	ovw_free(o);
}

/* Bullets are the topics; rules inside sentences, fillers trimmed. */
static void
test_mid_sentence_rules(void **state)
{
	static const char *const topics[] = {
		"Box<T> and recursive types",
		"Rc<T>|shared ownership|reference counts",
		"The Deref trait",
		NULL
	};
	static const char *const rules[] = { "unsafe", "Interior mutability",
	    "Weak", "Thread-safe types|Arc|Mutex", "custom allocators", NULL };
	struct overview	*o = load_ok(OVW_DIR "mid-sentence-rules.md");

	(void)state;
	assert_string_equal(o->title, "Smart pointers, part 1");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->rules[0].line, 9);
	assert_int_equal(o->rules[1].line, 10);
	assert_int_equal(o->rules[2].line, 10);
	assert_int_equal(o->rules[3].line, 11);
	assert_int_equal(o->rules[4].line, 11);
	assert_string_equal(o->rules[0].text, "Explain each type with a short "
	    "example, without going into `unsafe` in depth.");
	ovw_free(o);
}

/* When the headings are not the topics, and what their bullets are. */
static void
test_headings_or_bullets(void **state)
{
	static const char *const loose[] = { "stack", "allocation", NULL };
	static const char *const reading[] = { "Capturing", "Fn traits",
	    NULL };
	static const char *const refs[] = { "References|&T|&mut T",
	    "Slices|ranges", NULL };
	static const char *const aside[] = { "Key ideas|a|b", NULL };
	static const char *const clause[] = { "What drop does",
	    "Stack frames|push and pop", NULL };
	static const char *const clause_rules[] = { "lifetimes", "heap",
	    NULL };
	struct overview	*o;

	(void)state;
	/* A bullet under no heading: the bullets stay the topics. */
	o = parse_ok("# T\n\n- stack\n\n## Heap\n- allocation\n");
	expect_topics(o, loose);
	ovw_free(o);

	/* A reading list gives no topics, even as a fallback. */
	o = parse_ok("# Closures\n\n- Capturing\n- Fn traits\n\n"
	    "## Resources\n\n- The Book, chapter 13\n");
	expect_topics(o, reading);
	ovw_free(o);

	/* "References" is a topic, unless its bullets cite sources. */
	o = parse_ok("# Borrowing\n\n## References\n- `&T`\n- `&mut T`\n\n"
	    "## Slices\n- ranges\n\n## References\n"
	    "- https://doc.rust-lang.org/book/ch04-02-references-and-"
	    "borrowing.html\n");
	expect_topics(o, refs);
	ovw_free(o);

	/* "Overview" with prose is no topic; its neighbours still are. */
	o = parse_ok("# T\n\n## Overview\nSome prose.\n\n## Key ideas\n"
	    "- a\n- b\n");
	expect_topics(o, aside);
	assert_int_equal(o->topics[0].line, 6);
	ovw_free(o);

	/* A rule in a bullet's later clause leaves the topic before it. */
	o = parse_ok("# T\n\n- What drop does, without mentioning lifetimes\n"
	    "- Stack frames\n  - push and pop, but no heap yet\n");
	expect_topics(o, clause);
	expect_rules(o, clause_rules);
	assert_int_equal(o->rules[1].line, 5);
	ovw_free(o);
}

/* --- rule wording, one sentence at a time -------------------------------- */

static void
test_rule_phrasings(void **state)
{
	static const struct {
		const char	*line;
		const char	*terms;
	} cases[] = {
		{ "Do **not** mention borrow checker or references here.",
		    "borrow checker|references" },
		{ "Avoid: lifetimes, borrowing", "lifetimes|borrowing" },
		{ "Don't discuss traits yet", "traits" },
		{ "Do not cover X, Y, or Z.", "X|Y|Z" },
		{ "Not yet: closures", "closures" },
		{ "Out of scope: Send and Sync", "Send|Sync" },
		{ "No mention of the heap allocator.", "heap allocator" },
		{ "Leave lifetimes for later.", "lifetimes" },
		{ "Avoid mentioning `Rc` or `Arc` for now.", "Rc|Arc" },
		{ "Do not mention the borrow checker; it comes in note 4.",
		    "borrow checker" },
		{ "Lifetimes are out of scope.", "Lifetimes" },
		{ "No generics yet.", "generics" },
		{ "Please never bring up `unsafe`, `Pin` nor async here!",
		    "unsafe|Pin|async" },
		{ "Don't mention or discuss references in this note.",
		    "references" },
		{ "Do not go into detail about traits.", "traits" },
		{ "Do not use the words \xe2\x80\x9c" "borrow\xe2\x80\x9d or "
		    "'reference'.", "borrow|reference" },
		{ "Keep it short. Do not introduce macros (later).", "macros" },
		{ "Explain what drop does without mentioning the borrow "
		    "checker.", "borrow checker" },
		{ "Describe frames without going into lifetimes in depth.",
		    "lifetimes" },
		{ "Focus on frames; heap allocation is out of scope.",
		    "heap allocation" },
		{ "Traits will come later.", "Traits" },
		{ "Generics come later.", "Generics" },
		{ "Explain moves, but leave lifetimes for later.",
		    "lifetimes" },
		{ "Save closures for a later note.", "closures" },
		{ "Do not mention custom error crates like `anyhow` or "
		    "`thiserror`.", "custom error crates|anyhow|thiserror" },
		{ "Avoid things like lifetimes or traits.",
		    "lifetimes|traits" },
		{ "Don't cover ownership in detail yet.", "ownership" },
		{ "Do not discuss traits at this point.", "traits" },
		{ "Lifetimes are out of scope for now.", "Lifetimes" },
		{ "Explain moves, and note that async comes later.",
		    "async" },
		{ "Cover the stack; do not mention the heap just yet.",
		    "heap" },
		{ "Smart pointers, which come later, are not covered here.",
		    "Smart pointers" },
	};
	char		*text, *got;
	struct overview	*o;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text = xasprintf("# T\n\n- a topic\n\n%s\n", cases[i].line);
		o = parse_ok(text);
		if (o->nrules != 1)
			fail_msg("\"%s\": %d rules", cases[i].line, o->nrules);
		got = join_rule(&o->rules[0]);
		assert_string_equal(got, cases[i].terms);
		assert_int_equal(o->rules[0].line, 5);
		assert_int_equal(o->ntopics, 1);
		free(got);
		ovw_free(o);
		free(text);
	}
}

/* Sentences that only look like rules stay out of the rules. */
static void
test_not_rules(void **state)
{
	static const char *const lines[] = {
		"Keep examples short.",
		"Leave room for a diagram.",
		"Explain why the stack is fast.",
		"There is no garbage collector in Rust.",
		"Avoiding double frees matters.",
		"Keep the note short, and skip nothing important.",
		"Explain moves, then show an example.",
		"Cover drop without jargon.",
		"Why Rust has no garbage collector, and what it does instead.",
		"How `String` owns heap memory, while `&str` may not.",
	};
	struct overview	*o;
	char		*text;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		text = xasprintf("# T\n\n- a topic\n\n%s\n", lines[i]);
		o = parse_ok(text);
		if (o->nrules != 0)
			fail_msg("\"%s\" taken as a rule", lines[i]);
		ovw_free(o);
		free(text);
	}
}

/* --- more layouts -------------------------------------------------------- */

static void
test_inline_topics_and_nested_markers(void **state)
{
	static const char *const topics[] = {
		"stack frames", "heap|allocation", "Drop order", "moves",
		"copies", NULL
	};
	static const char *const numbered[] = {
		"Drop order|fields|locals", "moves", "copies", NULL
	};
	static const char *const rules[] = { "lifetimes", "traits", NULL };
	struct overview	*o;

	(void)state;
	o = parse_ok("# Title\n\nCover: stack frames, heap (allocation), "
	    "Drop order\n\n- Write about:\n  - moves\n  - copies\n"
	    "- Avoid:\n  - lifetimes\n  - traits\n");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->topics[0].line, 3);
	assert_int_equal(o->topics[3].line, 6);
	assert_int_equal(o->rules[1].line, 10);
	ovw_free(o);

	o = parse_ok("# T\n\n## Topics\n\n1. Drop order (fields, locals)\n"
	    "2. moves\n3. copies\n");
	expect_topics(o, numbered);
	ovw_free(o);
}

/* "Do not mention these:" takes the list after it, and no more. */
static void
test_rule_list_then_prose(void **state)
{
	static const char *const topics[] = { "topic one", "another topic",
	    NULL };
	static const char *const rules[] = { "lifetimes", "traits", "Rc",
	    NULL };
	struct overview	*o;

	(void)state;
	o = parse_ok("# T\n\n- topic one\n\nDo not mention these here:\n\n"
	    "- lifetimes\n- traits\n\nDon't mention it.\n\n"
	    "- another topic\n\n## Don't mention\n- `Rc`\n");
	expect_topics(o, topics);
	expect_rules(o, rules);
	assert_int_equal(o->rules[2].line, 15);
	ovw_free(o);
}

static void
test_title_fallbacks(void **state)
{
	struct overview	*o;

	(void)state;
	o = parse_ok("Memory basics\n\n- stack\n- heap\n");
	assert_string_equal(o->title, "Memory basics");
	assert_int_equal(o->ntopics, 2);
	ovw_free(o);

	o = parse_ok("# *Emphasised* \xe2\x80\x9cTitle\xe2\x80\x9d\n\n- a\n");
	assert_string_equal(o->title, "Emphasised \"Title\"");
	ovw_free(o);

	o = parse_ok("- only\n- bullets\n");
	assert_string_equal(o->title, "mem");
	assert_int_equal(o->ntopics, 2);
	ovw_free(o);
}

static void
test_purpose_variants(void **state)
{
	struct overview	*o;

	(void)state;
	o = parse_ok("# T\n\n## Goal\n\nUnderstand frames.\n\n- a\n");
	assert_string_equal(o->purpose, "Understand frames.");
	assert_int_equal(o->ntopics, 1);
	ovw_free(o);

	o = parse_ok("# T\n\n**Purpose:** build intuition.\nWrite about:\n\n"
	    "- a\n");
	assert_string_equal(o->purpose, "build intuition.");
	assert_int_equal(o->ntopics, 1);
	ovw_free(o);
}

/* --- errors -------------------------------------------------------------- */

static int
tmp_setup(void **state)
{
	return tmp_create(state, "rn-ovw");
}

static void
expect_error(const char *path, const char *what)
{
	struct overview	*o = (struct overview *)1;
	char		 err[RN_ERRLEN], *want;

	assert_int_equal(ovw_load(path, &o, err, sizeof err), RN_EINPUT);
	assert_null(o);
	want = xasprintf("%s: %s", path, what);
	assert_string_equal(err, want);
	free(want);
}

static void
test_load_errors(void **state)
{
	struct tmp	*t = *state;
	char		*missing = xasprintf("%s/none.md", t->dir);
	char		*empty = write_file(t, "empty.md", "", 0);
	char		*blank = write_file(t, "blank.md", "\n  \n", 4);
	char		*bin = write_file(t, "bin.md", "- a\0", 4);
	char		*bad = write_file(t, "bad.md", "# t\n\n- a\xc3\n", 9);

	expect_error(missing, "no such file");
	expect_error(t->dir, "is a directory");
	expect_error(empty, "file is empty");
	expect_error(blank, "file is empty");
	expect_error(bin, "contains NUL bytes (binary file?)");
	expect_error(bad, "invalid UTF-8 on line 3");
	expect_error(OVW_DIR "no-topics.md",
	    "no topics found (expected a bulleted list)");
	free(missing);
	free(empty);
	free(blank);
	free(bin);
	free(bad);
}

static void
test_rules_only_is_fine(void **state)
{
	struct overview	*o = parse_ok("# T\n\nDo not mention traits.\n");

	(void)state;
	assert_int_equal(o->ntopics, 0);
	assert_int_equal(o->nrules, 1);
	ovw_free(o);
}

/* --- locating the overview ----------------------------------------------- */

static void
test_locate(void **state)
{
	struct tmp	*t = *state;
	char		 err[RN_ERRLEN];
	char		*note, *out = NULL, *want, *sib, *shared;

	note = xasprintf("%s/ch1.md", t->dir);
	sib = xasprintf("%s/ch1.overview.md", t->dir);
	shared = xasprintf("%s/overview.md", t->dir);

	/* Nothing there: one line naming all four ways. */
	assert_int_equal(ovw_locate(note, NULL, NULL, &out, err, sizeof err),
	    RN_EINPUT);
	assert_null(out);
	want = xasprintf("no overview for %s: pass --overview FILE, add "
	    "'overview: FILE' front matter, or create %s, or overview.md or "
	    "curriculum.md in its folder or a parent folder", note, sib);
	assert_string_equal(err, want);
	free(want);

	/* 1. the flag, as given. */
	assert_int_equal(ovw_locate(note, "x/flag.md", "fm.md", &out, err,
	    sizeof err), RN_OK);
	assert_string_equal(out, "x/flag.md");
	free(out);

	/* 2. front matter, relative to the note's folder. */
	assert_int_equal(ovw_locate(note, NULL, "o/fm.md", &out, err,
	    sizeof err), RN_OK);
	want = xasprintf("%s/o/fm.md", t->dir);
	assert_string_equal(out, want);
	free(want);
	free(out);

	/* 4. overview.md in the folder, then 3. the sibling wins over it. */
	free(write_file(t, "overview.md", "- a\n", 4));
	assert_int_equal(ovw_locate(note, NULL, NULL, &out, err, sizeof err),
	    RN_OK);
	assert_string_equal(out, shared);
	free(out);
	free(write_file(t, "ch1.overview.md", "- a\n", 4));
	assert_int_equal(ovw_locate(note, NULL, NULL, &out, err, sizeof err),
	    RN_OK);
	assert_string_equal(out, sib);
	free(out);

	/* A note without a folder or an extension. */
	assert_int_equal(ovw_locate("README", NULL, "o.md", &out, err,
	    sizeof err), RN_OK);
	assert_string_equal(out, "./o.md");
	free(out);
	assert_int_equal(ovw_locate("nowhere/README", NULL, NULL, &out, err,
	    sizeof err), RN_EINPUT);
	assert_non_null(strstr(err, "create nowhere/README.overview.md, or "
	    "overview.md or curriculum.md in its folder"));
	free(note);
	free(sib);
	free(shared);
}

/* "(prevented)", "(not prevented)" qualify the words before them. */
static void
test_qualifiers_are_not_subpoints(void **state)
{
	static const char *const want[] = {
		"Data races (prevented) vs deadlocks",
		"Capture|by reference|by value",
		NULL
	};
	struct overview	*o;

	(void)state;
	o = parse_ok("# Threads\n\n- Data races (prevented) vs deadlocks "
	    "(not prevented)\n- Capture (by reference, by value)\n");
	expect_topics(o, want);
	ovw_free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_overview),
		cmocka_unit_test(test_qualifiers_are_not_subpoints),
		cmocka_unit_test(test_ownership_sections),
		cmocka_unit_test(test_colon_subpoints),
		cmocka_unit_test(test_plain_bullets),
		cmocka_unit_test(test_llm_verbose),
		cmocka_unit_test(test_numbered_paren),
		cmocka_unit_test(test_bold_markers),
		cmocka_unit_test(test_objectives_constraints),
		cmocka_unit_test(test_explain_skip),
		cmocka_unit_test(test_crlf_bom),
		cmocka_unit_test(test_heading_topics),
		cmocka_unit_test(test_heading_asides),
		cmocka_unit_test(test_heading_groups),
		cmocka_unit_test(test_mid_sentence_rules),
		cmocka_unit_test(test_headings_or_bullets),
		cmocka_unit_test(test_rule_phrasings),
		cmocka_unit_test(test_not_rules),
		cmocka_unit_test(test_inline_topics_and_nested_markers),
		cmocka_unit_test(test_rule_list_then_prose),
		cmocka_unit_test(test_title_fallbacks),
		cmocka_unit_test(test_purpose_variants),
		cmocka_unit_test_setup_teardown(test_load_errors, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(test_rules_only_is_fine),
		cmocka_unit_test_setup_teardown(test_locate, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
