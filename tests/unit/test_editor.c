/* test_editor.c - choosing the editor and the argv that opens a line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rustnote/editor.h"

/* Compare a NULL-terminated argv with the expected words. */
static void
assert_argv(char **argv, const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
}

#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
expect_argv(const char *editor, const char *file, int line,
    const char *const *want)
{
	char **argv = editor_argv(editor, file, line);

	assert_argv(argv, want);
	editor_argv_free(argv);
}

static void
test_choose(void **state)
{
	(void)state;
	assert_string_equal(editor_choose("nvim", "nano", "xterm"), "nvim");
	assert_string_equal(editor_choose(NULL, "nano", "xterm"), "nano");
	assert_string_equal(editor_choose("", "nano", "xterm"), "nano");
	assert_string_equal(editor_choose("  ", "nano", "xterm"), "nano");
	/* git skips VISUAL on a dumb terminal, or with no TERM at all */
	assert_string_equal(editor_choose("nvim", "nano", "dumb"), "nano");
	assert_string_equal(editor_choose("nvim", "nano", NULL), "nano");
	assert_string_equal(editor_choose(NULL, NULL, "xterm"), "vi");
	assert_string_equal(editor_choose("nvim", "", "dumb"), "vi");
}

static void
test_style(void **state)
{
	(void)state;
	assert_int_equal(editor_style("vim"), EDS_PLUS);
	assert_int_equal(editor_style("/usr/bin/nvim"), EDS_PLUS);
	assert_int_equal(editor_style("vim.basic"), EDS_PLUS);
	assert_int_equal(editor_style("emacs -nw"), EDS_PLUS);
	assert_int_equal(editor_style("nano"), EDS_PLUS);
	assert_int_equal(editor_style("hx"), EDS_PLUS);
	assert_int_equal(editor_style("kak"), EDS_PLUS);
	assert_int_equal(editor_style("micro"), EDS_PLUS);
	assert_int_equal(editor_style("code -w"), EDS_GOTO);
	assert_int_equal(editor_style("/snap/bin/codium --wait"), EDS_GOTO);
	assert_int_equal(editor_style("subl -w"), EDS_COLON);
	assert_int_equal(editor_style("ed"), EDS_NONE);
	assert_int_equal(editor_style("myeditor"), EDS_PLUS);
	assert_int_equal(editor_style("vimx"), EDS_PLUS);
}

static void
test_needs_shell(void **state)
{
	(void)state;
	assert_false(editor_needs_shell("vim"));
	assert_false(editor_needs_shell("/usr/bin/vim"));
	assert_false(editor_needs_shell("/opt/my-editor_2.0/bin/ed"));
	assert_true(editor_needs_shell("code -w"));
	assert_true(editor_needs_shell("vim;rm"));
	assert_true(editor_needs_shell("$HOME/bin/vim"));
	assert_true(editor_needs_shell("~/bin/vim"));
	assert_true(editor_needs_shell("'/my editors/vim'"));
}

static void
test_argv_plain_word(void **state)
{
	(void)state;
	expect_argv("vim", "note.md", 12, ARGV("vim", "+12", "note.md"));
	expect_argv("/usr/bin/nano", "/tmp/a b.md", 3,
	    ARGV("/usr/bin/nano", "+3", "/tmp/a b.md"));
	/* the whole-note finding opens the first line */
	expect_argv("vi", "n.md", 0, ARGV("vi", "+1", "n.md"));
	expect_argv("vi", "n.md", -4, ARGV("vi", "+1", "n.md"));
	expect_argv("myeditor", "n.md", 7, ARGV("myeditor", "+7", "n.md"));
	expect_argv("ed", "n.md", 7, ARGV("ed", "n.md"));
	expect_argv("codium", "n.md", 7, ARGV("codium", "-g", "n.md:7"));
	expect_argv("subl", "n.md", 7, ARGV("subl", "n.md:7"));
}

static void
test_argv_with_arguments_uses_sh(void **state)
{
	(void)state;
	expect_argv("code -w", "my note.md", 5,
	    ARGV("sh", "-c", "code -w \"$@\"", "code -w", "-g",
	    "my note.md:5"));
	expect_argv("emacs -nw", "n.md", 9,
	    ARGV("sh", "-c", "emacs -nw \"$@\"", "emacs -nw", "+9", "n.md"));
}

static void
test_argv_hostile_file_names(void **state)
{
	(void)state;
	/* the file name is one argument, never part of the shell text */
	expect_argv("vim", "$(touch pwned).md", 2,
	    ARGV("vim", "+2", "$(touch pwned).md"));
	expect_argv("emacs -nw", "a'b\"c $(x) `y`;z.md", 2,
	    ARGV("sh", "-c", "emacs -nw \"$@\"", "emacs -nw", "+2",
	    "a'b\"c $(x) `y`;z.md"));
	/* a name that looks like an option is not taken for one */
	expect_argv("vim", "-rf.md", 1, ARGV("vim", "+1", "./-rf.md"));
	expect_argv("vim", "+5.md", 1, ARGV("vim", "+1", "./+5.md"));
	expect_argv("code", "-x.md", 3, ARGV("code", "-g", "./-x.md:3"));
}

static void
expect_template(const char *tmpl, const char *editor, const char *file,
    int line, const char *const *want)
{
	char **argv = editor_argv_template(tmpl, editor, file, line);

	assert_non_null(argv);
	assert_argv(argv, want);
	editor_argv_free(argv);
}

/* editor_line: placeholders, the file one argument whatever it holds. */
static void
test_argv_template(void **state)
{
	(void)state;
	expect_template("{editor} --goto {file}:{line}", "myed", "n.md", 7,
	    ARGV("myed", "--goto", "n.md:7"));
	/* arguments in the editor: a shell reads it, as git does */
	expect_template("{editor} {file} --line={line}", "kate -n", "a b.md",
	    3, ARGV("sh", "-c", "kate -n \"$@\"", "kate -n", "a b.md",
	    "--line=3"));
	/* not first: its words, no shell */
	expect_template("env {editor} {file}", "kate -n", "a.md", 3,
	    ARGV("env", "kate", "-n", "a.md"));
	expect_template("{editor} -l {line} {file}", "ed", "$(x) `y`.md", 0,
	    ARGV("ed", "-l", "1", "$(x) `y`.md"));
	expect_template("{editor} {file}", "myed", "-rf", 2,
	    ARGV("myed", "./-rf"));
	expect_template("{editor} {file}:{line}", "$HOME/bin/ed", "n.md", 4,
	    ARGV("sh", "-c", "$HOME/bin/ed \"$@\"", "$HOME/bin/ed",
	    "n.md:4"));
	assert_null(editor_argv_template("{editor} --goto", "ed", "n.md", 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_style),
		cmocka_unit_test(test_needs_shell),
		cmocka_unit_test(test_argv_plain_word),
		cmocka_unit_test(test_argv_with_arguments_uses_sh),
		cmocka_unit_test(test_argv_hostile_file_names),
		cmocka_unit_test(test_argv_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
