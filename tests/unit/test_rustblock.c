/*
 * test_rustblock.c - the note's Rust blocks: fence attributes, unlabelled
 * blocks, shapes, hidden lines, wrapping with note lines, and the claims
 * a note makes about a block.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/rustblock.h"
#include "rustnote/util.h"

static struct rblk_claims *claims;	/* rules/code-claims.txt */

static int
load_claims(void **state)
{
	char err[RN_ERRLEN], cwd[4096];

	(void)state;
	/* The tests run in the source tree: its rules/ folder. */
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	setenv("RUSTNOTE_DATADIR", cwd, 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	return rblk_claims_load(&claims, err, sizeof(err)) == RN_OK ? 0 : -1;
}

static int
free_claims(void **state)
{
	(void)state;
	rblk_claims_free(claims);
	return 0;
}

static struct note *
parse(const char *text)
{
	struct note *n = NULL;
	char err[RN_ERRLEN];

	assert_int_equal(note_parse("t.md", text, strlen(text), &n, err,
	    sizeof err), RN_OK);
	return n;
}

/* Source line k (1-based) of b. */
static char *
source_line(const struct rblk_block *b, int k)
{
	const char *p = b->source;
	int i;

	for (i = 1; i < k && p != NULL; i++) {
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	assert_non_null(p);
	return xstrndup(p, strcspn(p, "\n"));
}

static void
test_info_attributes(void **state)
{
	struct rblk_attrs a;

	(void)state;
	rblk_parse_info("rust,ignore", &a);
	assert_true(a.rust && a.ignore && !a.other_lang);
	rblk_parse_info("rs", &a);
	assert_true(a.rust);
	rblk_parse_info("compile_fail,E0382", &a);
	assert_true(a.rust && a.compile_fail);
	assert_string_equal(a.code, "E0382");
	rblk_parse_info("rust edition2018 no_run", &a);
	assert_true(a.rust && a.no_run);
	assert_int_equal(a.edition, 2018);
	rblk_parse_info("should_panic (reason here)", &a);
	assert_true(a.rust && a.should_panic && !a.other_lang);
	rblk_parse_info("text", &a);
	assert_false(a.rust);
	rblk_parse_info("sh", &a);
	assert_false(a.rust);
	rblk_parse_info("", &a);
	assert_false(a.rust || a.other_lang);
	rblk_parse_info("E0382", &a);	/* a code without compile_fail */
	assert_string_equal(a.code, "");
}

static void
test_plainly_rust(void **state)
{
	(void)state;
	assert_true(rblk_plainly_rust("let x = 5;\nprintln!(\"{}\", x);\n"));
	assert_true(rblk_plainly_rust("fn add(a: i32) -> i32 {\n    a + 1\n}"));
	assert_false(rblk_plainly_rust("$ cargo run\nhello"));
	assert_false(rblk_plainly_rust("error[E0382]: borrow of moved value\n"
	    " --> src/main.rs:4:20"));
	assert_false(rblk_plainly_rust("+------+\n| ptr  |\n+------+"));
	assert_false(rblk_plainly_rust("let it be\nsaid that we\nlike words"));
	assert_false(rblk_plainly_rust(""));
}

static void
test_shapes(void **state)
{
	(void)state;
	assert_int_equal(rblk_shape_of("fn main() {\n let x = 1;\n}"),
	    RBLK_MAIN);
	assert_int_equal(rblk_shape_of("let x = 1;\nlet y = x;"),
	    RBLK_STATEMENTS);
	assert_int_equal(rblk_shape_of("#[derive(Debug)]\nstruct P { x: i32 }\n"
	    "impl P { fn new() -> P { P { x: 0 } } }\n"
	    "pub(crate) fn f() {}\nuse std::{fmt, io};\nconst N: [u8; 2] = "
	    "[1, 2];\nenum E { A, B }\ntrait T {}\n"), RBLK_ITEMS);
	assert_int_equal(rblk_shape_of("struct S;\nlet s = S;"),
	    RBLK_STATEMENTS);
	assert_int_equal(rblk_shape_of("// only a comment\n/* and */"),
	    RBLK_EMPTY);
	/* Strings, characters and comments do not fool the scanner. */
	assert_int_equal(rblk_shape_of("fn f() -> &'static str { \"}\" }\n"
	    "fn g() -> char { '}' } // let x = 1;\n"), RBLK_ITEMS);
	assert_int_equal(rblk_shape_of("const fn f() {}\nconst X: i32 = 1;"),
	    RBLK_ITEMS);
}

static void
test_comment_claims(void **state)
{
	char code[RBLK_CODE_LEN];

	(void)state;
	assert_int_equal(rblk_comment_claim(claims, "let a = 1;\nlet b = a; // error",
	    code), 1);
	assert_string_equal(code, "");
	assert_int_equal(rblk_comment_claim(claims, "x;\ny;\nv; // error[E0382]: moved",
	    code), 2);
	assert_string_equal(code, "E0382");
	assert_int_equal(rblk_comment_claim(claims, "f(); // ERROR: cannot borrow",
	    code), 0);
	assert_int_equal(rblk_comment_claim(claims, "g(); // does not compile", code),
	    0);
	assert_int_equal(rblk_comment_claim(claims, "// error handling with ?\nh()?;",
	    code), -1);
	assert_int_equal(rblk_comment_claim(claims, "let s = \"// error\";", code), -1);
	assert_int_equal(rblk_comment_claim(claims, "let e = errors(); // errors()",
	    code), -1);
}

static void
test_sentence_claims(void **state)
{
	(void)state;
	assert_true(rblk_sentence_claims_failure(claims, "This does not compile:"));
	assert_true(rblk_sentence_claims_failure(claims, "The next one won't compile "
	    "because `n` was moved."));
	assert_true(rblk_sentence_claims_failure(claims, "The borrow checker rejects "
	    "this:"));
	assert_true(rblk_sentence_claims_failure(claims, "It fails, since v moved:"));
	assert_true(rblk_sentence_claims_failure(claims, "This is rejected:"));
	assert_false(rblk_sentence_claims_failure(claims, "This compiles and prints "
	    "1 1:"));
	assert_false(rblk_sentence_claims_failure(claims, "This panics and fails at "
	    "runtime:"));
	assert_false(rblk_sentence_claims_failure(claims, "It does not fail:"));
	assert_false(rblk_sentence_claims_failure(claims, "A failure of nerve:"));
}

static void
test_statements_wrapped(void **state)
{
	struct note *n = parse("# T\n\nSome text.\n\n```rust\n"
	    "#![allow(dead_code)]\nlet v = vec![1];\n# let hidden = 2;\n"
	    "let w = v;\n```\n");
	struct rblk_list l;
	const struct rblk_block *b;
	char *s;

	(void)state;
	rblk_extract(n, 2021, claims, &l);
	assert_int_equal(l.n, 1);
	b = &l.v[0];
	assert_true(b->compile);
	assert_false(b->expect_fail);
	assert_int_equal(b->shape, RBLK_STATEMENTS);
	assert_int_equal(b->fence_line, 5);
	assert_int_equal(b->first_line, 6);
	assert_int_equal(b->last_line, 9);
	assert_int_equal(b->edition, 2021);
	/* prelude, hoisted crate attribute, fn main, 4 lines, } */
	assert_int_equal(b->nsource_lines, 8);
	s = source_line(b, 2);
	assert_string_equal(s, "#![allow(dead_code)]");
	free(s);
	s = source_line(b, 3);
	assert_string_equal(s, "fn main() {");
	free(s);
	s = source_line(b, 6);
	assert_string_equal(s, "let hidden = 2;");	/* "# " removed */
	free(s);
	assert_int_equal(rblk_note_line(b, 5), 7);	/* let v */
	assert_int_equal(rblk_note_line(b, 7), 9);	/* let w */
	assert_int_equal(rblk_note_line(b, 8), 9);	/* } : last code line */
	assert_int_equal(rblk_note_line(b, 1), 6);	/* prelude: first line */
	rblk_list_free(&l);
	note_free(n);
}

static void
test_blocks_and_claims(void **state)
{
	struct note *n = parse(
	    "# T\n"					/* 1 */
	    "\n"
	    "```rust,ignore\nnot rust\n```\n"		/* 3-5 */
	    "\n"
	    "```text\nlet x = 1;\n```\n"		/* 7-9 */
	    "\n"
	    "This does not compile, because `n` was moved:\n"	/* 11 */
	    "\n"
	    "```\nlet n = String::new();\nlet m = n;\nprintln!(\"{}\", n);\n"
	    "```\n"					/* 13-17 */
	    "\n"
	    "```compile_fail,E0499\nfn main() {}\n```\n"	/* 19-21 */
	    "\n"
	    "```rust\nstruct P;\nimpl P {}\n```\n"	/* 23-26 */
	    "\n"
	    "```rs edition2018\nlet v = 1; // error[E0308]\n```\n"); /* 28-30 */
	struct rblk_list l;

	(void)state;
	rblk_extract(n, 2021, claims, &l);
	assert_int_equal(l.n, 5);	/* text is not Rust */
	assert_true(l.v[0].attrs.ignore);
	assert_false(l.v[0].compile);
	assert_true(l.v[1].expect_fail);	/* the sentence */
	assert_int_equal(l.v[1].claim_line, 11);
	assert_int_equal(l.v[1].first_line, 14);
	assert_true(l.v[2].expect_fail);	/* the fence */
	assert_int_equal(l.v[2].claim_line, 19);
	assert_string_equal(l.v[2].claim_code, "E0499");
	assert_int_equal(l.v[2].shape, RBLK_MAIN);
	assert_false(l.v[3].expect_fail);
	assert_int_equal(l.v[3].shape, RBLK_ITEMS);
	assert_true(l.v[4].expect_fail);	/* the comment */
	assert_int_equal(l.v[4].claim_line, 29);
	assert_string_equal(l.v[4].claim_code, "E0308");
	assert_int_equal(l.v[4].edition, 2018);
	rblk_list_free(&l);
	note_free(n);
}

static void
test_claims_file(void **state)
{
	struct rblk_claims *c;
	char err[RN_ERRLEN];

	(void)state;
	assert_int_equal(rblk_claims_parse("x.txt", "# c\n[fails]\nIs Wrong\n"
	    "[error-follows]\n", &c, err, sizeof err), RN_OK);
	assert_true(rblk_sentence_claims_failure(c, "this is wrong:"));
	assert_false(rblk_sentence_claims_failure(c, "this does not compile"));
	assert_int_equal(rblk_comment_claim(c, "x; // error here", err), -1);
	assert_int_equal(rblk_comment_claim(c, "x; // error: moved", err), 0);
	rblk_claims_free(c);
	assert_int_equal(rblk_claims_parse("x.txt", "fails\n", &c, err,
	    sizeof err), RN_EINPUT);
	assert_null(c);
	assert_string_equal(err, "x.txt:1: expected a [section] of phrases");
	assert_int_equal(rblk_claims_parse("x.txt", "[fails]\n[nope]\n", &c,
	    err, sizeof err), RN_EINPUT);
	assert_string_equal(err, "x.txt:2: expected a [section] of phrases");
}

static void
test_elided(void **state)
{
	(void)state;
	assert_true(rblk_elided("fn main() {\n    ...\n}"));
	assert_true(rblk_elided("let v = vec![1, \xE2\x80\xA6];"));
	assert_false(rblk_elided("let r = 1..=5;\nlet s = &v[..2];"));
	assert_false(rblk_elided("// ... the rest\nlet s = \"...\";"));
}

static void
test_context(void **state)
{
	struct note *n = parse("# T\n\n```rust\nstruct P { x: i32 }\n```\n\n"
	    "```rust\nlet p = P { x: 1 };\nlet q = p;\n```\n");
	struct rblk_list l;
	const struct rblk_block *ctx[1];
	char *s;

	(void)state;
	rblk_extract(n, 2021, claims, &l);
	assert_int_equal(l.n, 2);
	ctx[0] = &l.v[0];
	rblk_add_context(&l.v[1], ctx, 1);
	/* prelude, struct P, fn main {, 2 lines, } */
	assert_int_equal(l.v[1].nsource_lines, 6);
	s = source_line(&l.v[1], 2);
	assert_string_equal(s, "struct P { x: i32 }");
	free(s);
	s = source_line(&l.v[1], 4);
	assert_string_equal(s, "let p = P { x: 1 };");
	free(s);
	assert_int_equal(rblk_note_line(&l.v[1], 2), l.v[1].first_line);
	assert_int_equal(rblk_note_line(&l.v[1], 5), 9);
	rblk_list_free(&l);
	note_free(n);
}

static void
test_indented_and_listed(void **state)
{
	struct note *n = parse("# T\n\n- item:\n\n  ```rust\n  let a = 1;\n"
	    "  ```\n\nText.\n\n    let b = 2;\n    let c = b;\n");
	struct rblk_list l;

	(void)state;
	rblk_extract(n, 2021, claims, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].first_line, 6);
	assert_int_equal(l.v[1].first_line, 11);	/* indented: no fence */
	assert_int_equal(rblk_note_line(&l.v[1], 4), 12);
	rblk_list_free(&l);
	note_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_attributes),
		cmocka_unit_test(test_plainly_rust),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_comment_claims),
		cmocka_unit_test(test_sentence_claims),
		cmocka_unit_test(test_statements_wrapped),
		cmocka_unit_test(test_blocks_and_claims),
		cmocka_unit_test(test_indented_and_listed),
		cmocka_unit_test(test_elided),
		cmocka_unit_test(test_claims_file),
		cmocka_unit_test(test_context),
	};

	return cmocka_run_group_tests(tests, load_claims, free_claims);
}
