/*
 * test_codecheck.c - verdicts to findings and the verdict cache, with a
 * fake compiler behind the interface: an error is reported on every line
 * that says FAIL, a line that says SLOW runs out of time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/buf.h"
#include "rustnote/codecheck.h"
#include "rustnote/compiler.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

#include "testutil.h"

static int runs;	/* crates the fake compiler was given */

/* One JSON error per source line holding FAIL (E0382 unless FAIL2). */
static void
fake_run(struct compiler *c, struct compile_job *jobs, size_t n,
    const struct compile_limits *lim, bool (*cancelled)(void *ud), void *ud)
{
	size_t i;

	(void)c;
	(void)lim;
	(void)cancelled;
	(void)ud;
	for (i = 0; i < n; i++) {
		struct buf b;
		const char *p = jobs[i].source;
		int line = 1;

		runs++;
		buf_init(&b, 0);
		jobs[i].outcome = strstr(p, "SLOW") ? CO_TIMEOUT : CO_DONE;
		for (; *p != '\0'; p++) {
			if (strncmp(p, "FAIL", 4) == 0)
				buf_printf(&b, "{\"message\":\"borrow of moved "
				    "value\",\"code\":{\"code\":\"%s\"},\"level\":"
				    "\"error\",\"spans\":[{\"file_name\":\"%s.rs\","
				    "\"line_start\":%d,\"is_primary\":true,"
				    "\"label\":\"moved\"}],\"children\":[{"
				    "\"message\":\"clone it\",\"level\":\"help\","
				    "\"spans\":[]}]}\n", p[4] == '2' ? "E0499" :
				    "E0382", jobs[i].name, line);
			if (*p == '\n')
				line++;
		}
		if (strstr(jobs[i].source, "NEEDP") != NULL &&
		    strstr(jobs[i].source, "struct P") == NULL)
			buf_printf(&b, "{\"message\":\"cannot find struct `P`\","
			    "\"code\":{\"code\":\"E0422\"},\"level\":\"error\","
			    "\"spans\":[]}\n");
		jobs[i].exit_code = b.len > 0 ? 1 : 0;
		jobs[i].output = b.data != NULL ? buf_steal(&b) : xstrdup("");
		jobs[i].output_len = strlen(jobs[i].output);
	}
}

static struct compiler fake = {
	.version = (char *)"rustc 1.63.0", .major = 1, .minor = 63, .run = fake_run,
};

static int
setup(void **state)
{
	char cwd[4096];
	struct tmp *t;

	if (tmp_create(state, "rn-codecheck") != 0)
		return -1;
	t = *state;
	setenv("XDG_CACHE_HOME", t->dir, 1);
	/* The claims file of the source tree the tests run in. */
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	setenv("RUSTNOTE_DATADIR", cwd, 1);
	setenv("XDG_CONFIG_HOME", t->dir, 1);
	runs = 0;
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

static const char note_text[] =
    "# Moves\n"						/* 1 */
    "\n"
    "This compiles and prints 1:\n"			/* 3 */
    "\n"
    "```rust\nlet v = vec![1];\nlet w = v; FAIL\n```\n"	/* 5-8 */
    "\n"
    "This does not compile:\n"				/* 10 */
    "\n"
    "```rust\nlet a = 1;\n```\n"			/* 12-14 */
    "\n"
    "```rust\nlet b = 2; FAIL // error[E0382]\n```\n"	/* 16-18 */
    "\n"
    "```rust\nlet c = 3; FAIL2 // error[E0382]\n```\n"	/* 20-22 */
    "\n"
    "```rust,ignore\nFAIL\n```\n";			/* 24-26 */

static const struct ccheck_opts opts = { 2021, true, 10000, 60000 };

static const struct finding *
at_line(const struct ccheck_result *r, int line)
{
	size_t i;

	for (i = 0; i < r->findings.n; i++) {
		if (r->findings.v[i].line == line)
			return &r->findings.v[i];
	}
	return NULL;
}

static void
test_findings(void **state)
{
	struct note *n = parse(note_text);
	struct ccheck_result r;
	const struct finding *f;

	(void)state;
	ccheck_result_init(&r);
	ccheck_run(&fake, n, &opts, NULL, NULL, &r);
	assert_int_equal(r.blocks, 5);
	assert_int_equal(r.compiled, 4);	/* ignore is not compiled */
	assert_int_equal(r.findings.n, 3);
	/* presented as working, fails: at the error's note line */
	f = at_line(&r, 7);
	assert_non_null(f);
	assert_int_equal(f->source, FSRC_RUSTC);
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_int_equal(f->severity, FS_HIGH);
	assert_string_equal(f->message,
	    "error[E0382]: borrow of moved value (moved)");
	assert_string_equal(f->suggestion, "clone it");
	assert_string_equal(f->quote, "let w = v; FAIL");
	assert_string_equal(f->rule_id, "E0382");
	/* said not to compile, compiles: at the sentence */
	f = at_line(&r, 10);
	assert_non_null(f);
	assert_true(strstr(f->message, "this compiles") == f->message);
	assert_non_null(strstr(f->message, "rustc 1.63.0"));
	/* fails as said, same code: nothing at 17; another code: at 21 */
	assert_null(at_line(&r, 17));
	f = at_line(&r, 21);
	assert_non_null(f);
	assert_int_equal(f->severity, FS_MEDIUM);
	assert_non_null(strstr(f->message, "E0499"));
	assert_non_null(strstr(f->message, "not E0382"));
	assert_non_null(strstr(r.verdicts, "lines 6-7 (the note presents it "
	    "as working): does not compile with rustc 1.63.0: line 7: "
	    "error[E0382]"));
	assert_non_null(strstr(r.verdicts, "lines 13-13 (the note says it "
	    "does not compile): compiles with rustc 1.63.0"));
	assert_non_null(strstr(r.verdicts, "not compiled (ignore)"));
	assert_int_equal(r.nwarnings, 0);
	ccheck_result_free(&r);
	note_free(n);
}

static void
test_cache(void **state)
{
	struct note *n = parse(note_text);
	struct ccheck_result r;
	struct ccheck_opts nocache = opts;

	(void)state;
	ccheck_result_init(&r);
	ccheck_run(&fake, n, &opts, NULL, NULL, &r);
	ccheck_result_free(&r);
	assert_int_equal(runs, 4);
	/* Unchanged: nothing compiled, same findings. */
	ccheck_run(&fake, n, &opts, NULL, NULL, &r);
	assert_int_equal(runs, 4);
	assert_int_equal(r.cached, 4);
	assert_int_equal(r.compiled, 0);
	assert_int_equal(r.findings.n, 3);
	assert_non_null(at_line(&r, 7));
	ccheck_result_free(&r);
	/* Another compiler version is another key. */
	fake.version = (char *)"rustc 1.64.0";
	ccheck_run(&fake, n, &opts, NULL, NULL, &r);
	fake.version = (char *)"rustc 1.63.0";
	assert_int_equal(runs, 8);
	ccheck_result_free(&r);
	/* The cache can be bypassed. */
	nocache.use_cache = false;
	ccheck_run(&fake, n, &nocache, NULL, NULL, &r);
	assert_int_equal(runs, 12);
	ccheck_result_free(&r);
	note_free(n);
}

/* The compiler is asked its version only once a note has code to check. */
static int probes;

static void
probe_old(struct compiler *c)
{
	probes++;
	c->problem = (char *)"rustc 1.50.0 is too old (needs 1.63 or later)";
}

static void
test_probe_only_with_code(void **state)
{
	struct note *n = parse("# T\n\n```rust\nlet a = 1;\n```\n");
	struct note *plain = parse("# T\n\nNo code here.\n");
	struct compiler lazy = fake;
	struct ccheck_result r;

	(void)state;
	lazy.probe = probe_old;
	probes = 0;
	ccheck_result_init(&r);
	ccheck_run(&lazy, plain, &opts, NULL, NULL, &r);
	assert_int_equal(probes, 0);
	ccheck_result_free(&r);
	ccheck_run(&lazy, n, &opts, NULL, NULL, &r);
	assert_int_equal(probes, 1);
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "too old"));
	ccheck_result_free(&r);
	note_free(plain);
	note_free(n);
}

static void
test_problem_and_limits(void **state)
{
	struct note *n = parse("# T\n\n```rust\nlet a = 1; SLOW\n```\n\n"
	    "```rust,edition2024\nlet b = 1;\n```\n");
	struct note *plain = parse("# T\n\nNo code here.\n");
	struct compiler missing = fake;
	struct ccheck_result r;

	(void)state;
	ccheck_result_init(&r);
	ccheck_run(&fake, n, &opts, NULL, NULL, &r);
	assert_int_equal(r.findings.n, 0);
	assert_int_equal(r.nwarnings, 2);
	assert_non_null(strstr(r.warnings[0], "does not know edition 2024"));
	assert_non_null(strstr(r.warnings[1], "line 4 not checked: rustc took "
	    "too long"));
	ccheck_result_free(&r);
	missing.problem = (char *)"rustc not found";
	ccheck_run(&missing, n, &opts, NULL, NULL, &r);
	assert_int_equal(r.nwarnings, 1);
	assert_string_equal(r.warnings[0],
	    "code blocks not checked: rustc not found");
	assert_int_equal(r.findings.n, 0);
	assert_null(r.verdicts);
	ccheck_result_free(&r);
	/* No Rust in the note: nothing to say. */
	ccheck_run(&missing, plain, &opts, NULL, NULL, &r);
	assert_int_equal(r.nwarnings, 0);
	ccheck_result_free(&r);
	note_free(plain);
	note_free(n);
}

static void
test_names_from_earlier_blocks(void **state)
{
	struct note *n = parse("# T\n\n```rust\nstruct P;\n```\n\n"	/* 3-5 */
	    "```rust\nlet p = P; // NEEDP\nlet q = p; FAIL\n```\n\n"	/* 7-10 */
	    "```rust\nuse rand::Rng; // NEEDP\n```\n"			/* 12-14 */
	    "\n```rust\nlet z = 1; ...\n```\n");			/* 16-18 */
	struct note *alone = parse("# T\n\n```rust\nlet p = P; // NEEDP\n"
	    "FAIL\n```\n");
	struct ccheck_result r;

	(void)state;
	ccheck_result_init(&r);
	ccheck_run(&fake, n, &opts, NULL, NULL, &r);
	/* Compiled after block 1, block 2's own error shows on its line;
	 * block 3 is an item block with nothing before it to borrow from
	 * but block 1: it compiles then. */
	assert_int_equal(r.findings.n, 1);
	assert_int_equal(r.findings.v[0].line, 9);
	assert_non_null(strstr(r.verdicts, "not compiled (code left out "
	    "with ...)"));
	assert_int_equal(runs, 3 + 2);
	ccheck_result_free(&r);
	/* Nothing to borrow from: no finding, and the verdict says why. */
	ccheck_run(&fake, alone, &opts, NULL, NULL, &r);
	assert_int_equal(r.findings.n, 0);
	assert_non_null(strstr(r.verdicts, "on its own (it uses names defined "
	    "elsewhere)"));
	ccheck_result_free(&r);
	note_free(alone);
	note_free(n);
}

static void
test_claims_file_missing(void **state)
{
	struct note *n = parse("# T\n\nThis does not compile:\n\n```rust\n"
	    "let a = 1;\n```\n\n```compile_fail\nlet b = 2;\n```\n");
	struct ccheck_result r;

	(void)state;
	setenv("RUSTNOTE_DATADIR", "/nonexistent", 1);
	ccheck_result_init(&r);
	ccheck_run(&fake, n, &opts, NULL, NULL, &r);
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "rules/code-claims.txt"));
	/* Only the fence still says the second block fails. */
	assert_int_equal(r.findings.n, 1);
	assert_int_equal(r.findings.v[0].line, 9);
	ccheck_result_free(&r);
	note_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_findings, setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_cache, setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_probe_only_with_code, setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_problem_and_limits, setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_names_from_earlier_blocks,
		    setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_claims_file_missing,
		    setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
