/*
 * test_offline_reading.c - the offline review reading a note as a
 * teacher does: coverage from headings, code and identifiers, one gap per
 * missing topic, thin sections; scope terms named word for word, with
 * their inflections and the names an overview lists; notes not in
 * English.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"

static struct rule_set *bundled;

static int
setup(void **state)
{
	static const char *const ups[] = { "", "../", "../../", "../../../" };
	char	 err[RN_ERRLEN] = "", *p;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof ups / sizeof ups[0]; i++) {
		p = xasprintf("%srules", ups[i]);
		if (util_file_exists(p) &&
		    rules_load_dir(&bundled, p, err, sizeof err) == RN_OK) {
			free(p);
			return 0;
		}
		free(p);
	}
	fprintf(stderr, "rules: %s\n", err);
	return -1;
}

static int
teardown(void **state)
{
	(void)state;
	rules_free(bundled);
	return 0;
}

struct result {
	struct note		*n;
	struct overview		*o;
	struct finding_list	 l;
};

static void
review(struct result *r, const char *note, const char *ovw)
{
	char	err[RN_ERRLEN] = "";

	memset(r, 0, sizeof *r);
	if (note_parse("note.md", note, strlen(note), &r->n, err,
	    sizeof err) != RN_OK ||
	    ovw_parse("o.md", ovw, strlen(ovw), &r->o, err,
	    sizeof err) != RN_OK)
		fail_msg("%s", err);
	flist_init(&r->l);
	offline_review(r->n, r->o, bundled, &r->l);
}

static void
done(struct result *r)
{
	flist_free(&r->l);
	ovw_free(r->o);
	note_free(r->n);
}

static size_t
count(const struct result *r, const char *rule, int line)
{
	size_t	i, n = 0;

	for (i = 0; i < r->l.n; i++)
		if (r->l.v[i].rule_id != NULL &&
		    strncmp(r->l.v[i].rule_id, rule, strlen(rule)) == 0 &&
		    (line < 0 || r->l.v[i].line == line))
			n++;
	return n;
}

/* --- coverage ------------------------------------------------------------ */

static void
test_code_covers_topic(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Errors\n\nFailures are values.\n\n```rust\n"
	    "enum Result<T, E> {\n    Ok(T),\n    Err(E),\n}\n```\n\n"
	    "The caller matches on the value it gets back and handles the "
	    "error case explicitly.\n",
	    "- The `Result<T, E>` enum\n- Errors as values\n");
	assert_int_equal(count(&r, "coverage-", -1), 0);
	done(&r);
}

/*
 * A clause or a topic's one gloss explains the topic; only listed items
 * are looked for on their own.
 */
static void
test_gloss_is_no_subpoint(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Rc\n\n`Rc<T>` keeps a count of its clones and frees the "
	    "value when the last one goes.\n\n# The heap\n\nThe heap is "
	    "memory asked for at run time.\n",
	    "- `Rc<T>`: shared ownership through reference counting\n"
	    "- The heap: memory asked for at run time, or that must outlive "
	    "a call\n");
	assert_int_equal(count(&r, "coverage-", -1), 0);
	done(&r);
	/* items of a list are still each looked for */
	review(&r, "# Rc\n\n`Rc<T>` keeps a count of its clones.\n",
	    "- `Rc<T>`: counting, weak pointers and cycles\n"
	    "- Clones of an `Rc`\n");
	assert_int_equal(count(&r, "coverage-subpoint", -1), 2);
	done(&r);
}

/* `&` and `&mut` in code say "reference" and "mutable reference". */
static void
test_reference_written_as_code(void **state)
{
	static const char ovw[] = "- How closures capture (by reference, "
	    "by mutable reference, by value)\n- Closures and their environment\n";
	struct result	r;

	(void)state;
	review(&r, "# Closures\n\nA closure captures its environment: by "
	    "`&` if it only reads, by `&mut` if it mutates, by value if it "
	    "consumes.\n", ovw);
	assert_int_equal(count(&r, "coverage-", -1), 0);
	done(&r);
	/* "a && b" and "x & 1" are not references */
	review(&r, "# Closures\n\nA closure captures its environment: "
	    "`a && b` and `x & 1` read it, by value if it consumes.\n", ovw);
	assert_int_equal(count(&r, "coverage-subpoint", -1), 2);
	done(&r);
}

static void
test_each_missing_topic_own_gap(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Closures\n\nA closure is an anonymous function that "
	    "can use the variables around it in its body.\n",
	    "- The `Iterator` trait and its `next` method\n"
	    "- The `Fn`, `FnMut` and `FnOnce` traits\n"
	    "- `iter()`, `iter_mut()` and `into_iter()`\n");
	assert_int_equal(count(&r, "coverage-topic", 0), 3);
	done(&r);
}

static void
test_identifiers_as_written(void **state)
{
	struct result	r;

	(void)state;
	/* RefCell does not name Cell; Send and Sync name their topic. */
	review(&r, "# Pointers\n\nA `RefCell<T>` checks borrows at run time. "
	    "`Send` types move between threads and `Sync` types are shared "
	    "between them safely.\n",
	    "- `Cell<T>` for `Copy` values\n"
	    "- The `Send` and `Sync` marker traits\n");
	assert_int_equal(count(&r, "coverage-topic", 0), 1);
	assert_non_null(strstr(r.l.v[0].message, "Cell<T>"));
	done(&r);
}

/* --- scope --------------------------------------------------------------- */

static void
test_scope_multiword_and_keywords(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Traits\n\nA trait lists methods that types implement.\n"
	    "The vector grows dynamically.\n"
	    "A `Box<dyn Shape>` holds any shape.\n",
	    "- Traits\n\nDo not mention trait objects here.\n");
	/* not dropped for the topic "Traits", not found in "dynamically" */
	assert_int_equal(count(&r, "scope-", -1), 1);
	assert_int_equal(count(&r, "scope-trait-objects", 5), 1);
	done(&r);
}

static void
test_scope_listed_names_in_code(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Errors\n\nErrors are values of type Result.\n\n"
	    "```rust\nuse anyhow::Result;\n```\n",
	    "- Errors as values\n\n"
	    "Do not mention crates such as anyhow or thiserror.\n");
	assert_int_equal(count(&r, "scope-anyhow", 6), 1);
	done(&r);
}

static void
test_scope_inflections_each_line(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Drop\n\nThe stack is unwound after an error.\n"
	    "Unwinding runs the destructors.\n"
	    "A value is dropped at the end of its scope.\n",
	    "- Drop\n\nDo not mention unwinding here.\n");
	assert_int_equal(count(&r, "scope-", 3), 1);
	assert_int_equal(count(&r, "scope-", 4), 1);
	assert_int_equal(count(&r, "scope-", -1), 2);
	done(&r);
}

/*
 * "More on ownership later" only names the subject; a deferral in
 * parentheses excuses what they hold, not the explanation before them.
 */
static void
test_scope_deferral_reach(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Heap\n\nThe heap part is freed once the owner of the "
	    "Box goes out of scope (details in the next note).\n\n"
	    "More on ownership in the next note.\n\n"
	    "A Box points to the heap (ownership is for the next note).\n\n"
	    "Side note for later: the Box frees its buffer when it goes out "
	    "of scope, because the Box is the owner of that heap memory.\n",
	    "- The heap\n\nDo not mention ownership yet.\n");
	assert_int_equal(count(&r, "scope-ownership", 3), 1);
	assert_int_equal(count(&r, "scope-ownership", 5), 0);
	assert_int_equal(count(&r, "scope-ownership", 7), 0);
	assert_int_equal(count(&r, "scope-ownership", 9), 1);
	done(&r);
}

/* --- tables -------------------------------------------------------------- */

/*
 * A table row's first cell is what the row is about, and no sentence runs
 * from one row into the next.
 */
static void
test_table_rows(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Collections\n\n| thing | note |\n|---|:--|\n"
	    "| iterating a HashMap | comes out in insertion order |\n"
	    "| `BTreeMap` | keys kept sorted |\n"
	    "| len == capacity | the next push reallocates: bigger buffer, "
	    "elements moved over, old buffer freed |\n"
	    "| `v[10]` on a short Vec | panics at run time (index out of "
	    "bounds) |\n| `a \\| b` | a pipe inside code, escaped |\n",
	    "- Vec and its capacity\n- HashMap and its order\n");
	assert_int_equal(count(&r, "hashmap-ordered", 5), 1);
	assert_int_equal(count(&r, "panic", -1), 0);
	done(&r);
}

/*
 * Each further cell is a sentence about the row's label: a vetoing word in
 * the next cell ("random" hashing) does not hide the claim in this one.
 */
static void
test_table_cells_apart(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Collections\n\n| type | inside | iterating |\n"
	    "|---|---|---|\n"
	    "| a HashMap | random hashing of keys | comes out in insertion "
	    "order |\n"
	    "| a HashSet | fast lookups | comes out in any order |\n",
	    "- HashMap and its order\n- HashSet\n");
	assert_int_equal(count(&r, "hashmap-ordered", 5), 1);
	assert_int_equal(count(&r, "hashmap-ordered", 6), 0);
	done(&r);
}

/* A comment that quotes code in backticks is prose, not code left out. */
static void
test_comment_quoting_code(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Errors\n\n```rust\nfn main() {\n"
	    "    // leaving a Result unused, like `parse(\"80\");`, is a "
	    "compile error\n    // let x = parse(\"80\"); is a compile error\n"
	    "}\n```\n",
	    "- Result and its variants\n- Handling errors\n");
	assert_int_equal(count(&r, "unused-result-compile-error", 5), 1);
	assert_int_equal(count(&r, "unused-result-compile-error", 6), 0);
	done(&r);
}

/* --- language ------------------------------------------------------------ */

static void
test_not_english(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Napisy\n\nW Ruście są dwa główne typy napisów: `String` "
	    "i `&str`. `String` jest właścicielem swoich danych i może rosnąć, "
	    "a `&str` to tylko widok na tekst, który należy do kogoś innego. "
	    "Wszystkie napisy są zapisane w UTF-8. Znak zajmuje dwa bajty, "
	    "dlatego metoda liczy bajty, a nie znaki. Nie można napisać "
	    "indeksu, bo indeks bajtu mógłby wypaść w środku znaku. Napisy "
	    "są zawsze niezmienne, a znak ma jeden bajt.\n\n"
	    "Czas życia: `fn f<'a>(x: &'a str)`.\n",
	    "- Strings are UTF-8 encoded\n- Slicing on character boundaries\n\n"
	    "Do not mention lifetimes here.\n");
	assert_int_equal(count(&r, "offline-language", 0), 1);
	assert_int_equal(count(&r, "coverage-", -1), 0);
	/* Rust syntax is still read: the lifetime in code */
	assert_int_equal(count(&r, "scope-lifetimes", 5), 1);
	assert_int_equal(r.l.n, 2);
	done(&r);
}

/* In a note not in English, a term written as inline code is syntax. */
static void
test_not_english_inline_code(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Wskaźniki\n\n`Rc<T>` to wskaźnik ze zliczaniem "
	    "referencji, który pozwala mieć wielu właścicieli tej samej "
	    "wartości w jednym wątku. Dla wielu wątków bierze się `Arc`, "
	    "ale to już jest temat na następny raz. Arc jest wolniejszy, bo "
	    "liczy atomowo, i dlatego nie używa się go zawsze.\n",
	    "- Rc and shared ownership\n- Weak references\n\n"
	    "Do not mention `Arc` here.\n");
	assert_int_equal(count(&r, "offline-language", 0), 1);
	assert_int_equal(count(&r, "scope-", 3), 1);
	assert_int_equal(count(&r, "scope-", -1), 1);
	done(&r);
}

static void
test_english_with_foreign_words(void **state)
{
	struct result	r;

	(void)state;
	review(&r, "# Threads (Nebenläufigkeit)\n\n- `thread::spawn` startet "
	    "einen neuen Thread and returns a `JoinHandle`.\n- `join()` waits "
	    "until the thread is finished; without it, main may end first and "
	    "the spawned thread is killed.\n- The closure needs move when it "
	    "uses variables from main, otherwise the thread could outlive "
	    "them.\n",
	    "- Spawning threads and joining them\n- Moving values into "
	    "threads\n");
	assert_int_equal(count(&r, "offline-language", -1), 0);
	done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_covers_topic),
		cmocka_unit_test(test_reference_written_as_code),
		cmocka_unit_test(test_each_missing_topic_own_gap),
		cmocka_unit_test(test_identifiers_as_written),
		cmocka_unit_test(test_scope_multiword_and_keywords),
		cmocka_unit_test(test_scope_listed_names_in_code),
		cmocka_unit_test(test_scope_inflections_each_line),
		cmocka_unit_test(test_scope_deferral_reach),
		cmocka_unit_test(test_gloss_is_no_subpoint),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_table_cells_apart),
		cmocka_unit_test(test_comment_quoting_code),
		cmocka_unit_test(test_not_english),
		cmocka_unit_test(test_not_english_inline_code),
		cmocka_unit_test(test_english_with_foreign_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
