/* test_note.c - the note model: loading errors, lines, blocks, sections. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

#include "testutil.h"

#define SEED_NOTE	"notes/02-memory-model.md"
#define KINDS_NOTE	"tests/notes/model/kinds.md"

/* --- helpers ------------------------------------------------------------- */

static int
tmp_setup(void **state)
{
	return tmp_create(state, "rn-note");
}

/* Load path, expect RN_EINPUT and a message "<path>: <what>". */
static void
expect_load_error(const char *path, const char *what)
{
	struct note	*n = (struct note *)1;
	char		 err[RN_ERRLEN], *want;

	err[0] = '\0';
	assert_int_equal(note_load(path, &n, err, sizeof err), RN_EINPUT);
	assert_null(n);
	want = xasprintf("%s: %s", path, what);
	assert_string_equal(err, want);
	free(want);
}

static struct note *
load_ok(const char *path)
{
	struct note	*n = NULL;
	char		 err[RN_ERRLEN] = "";
	int		 rc;

	rc = note_load(path, &n, err, sizeof err);
	if (rc != RN_OK)
		fail_msg("%s", err);
	assert_non_null(n);
	return n;
}

static struct note *
parse_ok(const char *text)
{
	struct note	*n = NULL;
	char		 err[RN_ERRLEN] = "";

	if (note_parse("mem.md", text, strlen(text), &n, err, sizeof err) !=
	    RN_OK)
		fail_msg("%s", err);
	assert_non_null(n);
	return n;
}

static int
find_section(const struct note *n, const char *title)
{
	int	i;

	for (i = 0; i < n->nsections; i++)
		if (strcmp(n->sections[i].title, title) == 0)
			return i;
	fail_msg("no section \"%s\"", title);
	return -1;
}

static const struct note_block *
block_at_line(const struct note *n, int line)
{
	int	i = note_block_at(n, line);

	if (i < 0)
		fail_msg("no block on line %d", line);
	return &n->blocks[i];
}

static void
expect_line(const struct note *n, int lineno, const char *text)
{
	size_t		 len = 99;
	const char	*s = note_line(n, lineno, &len);

	assert_non_null(s);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(s, text, len);
}

/* --- load errors --------------------------------------------------------- */

static void
test_error_missing(void **state)
{
	struct tmp	*t = *state;
	char		*path = xasprintf("%s/absent.md", t->dir);

	expect_load_error(path, "no such file");
	free(path);
}

static void
test_error_directory(void **state)
{
	struct tmp	*t = *state;

	expect_load_error(t->dir, "is a directory");
}

/* The words each errno becomes, whoever runs the test. */
static void
test_open_error_words(void **state)
{
	char	err[RN_ERRLEN];

	(void)state;
	assert_int_equal(util_open_error("n.md", EACCES, err, sizeof err),
	    RN_EINPUT);
	assert_string_equal(err, "n.md: permission denied");
	util_open_error("n.md", EPERM, err, sizeof err);
	assert_string_equal(err, "n.md: permission denied");
	util_open_error("n.md", ENOENT, err, sizeof err);
	assert_string_equal(err, "n.md: no such file");
	util_open_error("n.md", ELOOP, err, sizeof err);
	assert_string_equal(err, "n.md: Too many levels of symbolic links");
}

/*
 * A file we may not read.  Root reads any file, so as root the load runs
 * in a child that has dropped to nobody first.
 */
static void
test_error_unreadable(void **state)
{
	struct tmp	*t = *state;
	char		*path = write_file(t, "locked.md", "# x\n", 4);
	char		 err[RN_ERRLEN] = "";
	struct note	*n = NULL;
	int		 status;
	pid_t		 pid;

	assert_int_equal(chmod(path, 0), 0);
	if (geteuid() != 0) {
		expect_load_error(path, "permission denied");
		free(path);
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		_exit(note_load(path, &n, err, sizeof err) == RN_EINPUT &&
		    strstr(err, "permission denied") != NULL ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	free(path);
}

static void
test_error_empty(void **state)
{
	struct tmp	*t = *state;
	char		*path = write_file(t, "empty.md", "", 0);

	expect_load_error(path, "file is empty");
	free(path);
}

static void
test_error_whitespace_only(void **state)
{
	struct tmp	*t = *state;
	char		*path = write_file(t, "blank.md", " \n\t\r\n\n", 6);
	char		*bom = write_file(t, "bom.md", "\xef\xbb\xbf\n", 4);

	expect_load_error(path, "file is empty");
	expect_load_error(bom, "file is empty");
	free(path);
	free(bom);
}

static void
test_error_nul(void **state)
{
	struct tmp	*t = *state;
	char		*path = write_file(t, "bin.md", "# a\n\0b\n", 7);

	expect_load_error(path, "contains NUL bytes (binary file?)");
	free(path);
}

static void
test_error_too_large(void **state)
{
	struct tmp	*t = *state;
	size_t		 len = NOTE_MAX_BYTES + 1;
	char		*data = xmalloc(len), *path, *want;
	struct note	*n = NULL;
	char		 err[RN_ERRLEN];

	memset(data, 'a', len);
	path = write_file(t, "big.md", data, len);
	assert_int_equal(note_load(path, &n, err, sizeof err), RN_EINPUT);
	assert_null(n);
	want = xasprintf("%s: larger than ", path);
	assert_true(str_starts_with(err, want));
	assert_non_null(strstr(err, "(1048577 bytes)"));
	free(want);
	/* From memory the limit and the message are the same. */
	assert_int_equal(note_parse("big.md", data, len, &n, err, sizeof err),
	    RN_EINPUT);
	assert_string_equal(err, "big.md: larger than 1 MiB (1048577 bytes)");
	/* Exactly at the limit is fine. */
	assert_int_equal(note_parse("big.md", data, len - 1, &n, err,
	    sizeof err), RN_OK);
	assert_int_equal(n->nlines, 1);
	note_free(n);
	free(data);
	free(path);
}

static void
test_error_bad_utf8(void **state)
{
	struct tmp	*t = *state;
	static const char bad[] = "# ok\r\nfine \xc3\xa9\n\nbad \xff here\n";
	char		*path = write_file(t, "bad.md", bad, sizeof bad - 1);
	static const char trunc[] = "a\nb\nc\nd\ne\nf\ng \xe2\x80\n";
	char		*path2 = write_file(t, "trunc.md", trunc,
			    sizeof trunc - 1);

	expect_load_error(path, "invalid UTF-8 on line 4");
	expect_load_error(path2, "invalid UTF-8 on line 7");
	free(path);
	free(path2);
}

static void
test_parse_error_leaves_out_null(void **state)
{
	struct note	*n = (struct note *)1;
	char		 err[RN_ERRLEN];

	(void)state;
	assert_int_equal(note_parse("x.md", "", 0, &n, err, sizeof err),
	    RN_EINPUT);
	assert_null(n);
	assert_string_equal(err, "x.md: file is empty");
	assert_int_equal(note_check_text("o.md", "a\0", 2, 10, err,
	    sizeof err), RN_EINPUT);
	assert_string_equal(err, "o.md: contains NUL bytes (binary file?)");
	assert_int_equal(note_check_text("o.md", "ok\n", 3, 10, err,
	    sizeof err), RN_OK);
}

/* --- lines --------------------------------------------------------------- */

static void
test_crlf_and_bom(void **state)
{
	struct tmp		*t = *state;
	static const char	 text[] = "\xef\xbb\xbf# Title\r\n\r\n"
	    "First line\r\nsecond `code`\r\n\r\n- item\r\n";
	char			*path = write_file(t, "crlf.md", text,
				    sizeof text - 1);
	struct note		*n = load_ok(path);
	const struct note_block	*b;

	assert_int_equal(n->nlines, 6);
	assert_int_equal(n->body_line, 1);
	assert_int_equal((unsigned char)n->src[0], '#');	/* no BOM */
	expect_line(n, 1, "# Title");
	expect_line(n, 2, "");
	expect_line(n, 4, "second `code`");
	expect_line(n, 6, "- item");
	assert_null(note_line(n, 7, NULL));
	assert_null(note_line(n, 0, NULL));
	assert_int_equal(n->nsections, 1);
	assert_string_equal(n->sections[0].title, "Title");
	assert_int_equal(n->sections[0].line, 1);
	assert_int_equal(n->sections[0].end_line, 6);
	b = block_at_line(n, 3);
	assert_int_equal(b->kind, NB_PARAGRAPH);
	assert_int_equal(b->start_line, 3);
	assert_int_equal(b->end_line, 4);
	assert_string_equal(b->text, "First line\nsecond `code`");
	assert_int_equal(n->nspans, 1);
	assert_int_equal(n->spans[0].line, 4);
	b = block_at_line(n, 6);
	assert_int_equal(b->kind, NB_ITEM);
	assert_string_equal(b->text, "item");
	note_free(n);
	free(path);
}

static void
test_line_counting(void **state)
{
	struct note	*n;

	(void)state;
	n = parse_ok("a\nb\n");
	assert_int_equal(n->nlines, 2);
	note_free(n);
	n = parse_ok("a\nb");		/* last line without newline */
	assert_int_equal(n->nlines, 2);
	expect_line(n, 2, "b");
	note_free(n);
	n = parse_ok("a\n\n\n");
	assert_int_equal(n->nlines, 3);
	expect_line(n, 3, "");
	note_free(n);
	/* A lone CR is no line end: it must not shift later lines. */
	n = parse_ok("one\rstill one\ntwo\n");
	assert_int_equal(n->nlines, 2);
	assert_int_equal(n->nblocks, 1);
	assert_int_equal(n->blocks[0].end_line, 2);
	note_free(n);
}

/* --- front matter -------------------------------------------------------- */

static void
test_front_matter(void **state)
{
	struct note	*n;

	(void)state;
	n = parse_ok("---\ntitle: x\noverview: 'o v.md'\n---\n# Head\ntext\n");
	assert_int_equal(n->body_line, 5);
	assert_string_equal(n->fm_overview, "o v.md");
	assert_int_equal(n->nsections, 1);
	assert_int_equal(n->sections[0].line, 5);
	assert_int_equal(n->blocks[0].start_line, 5);
	assert_int_equal(n->blocks[1].start_line, 6);
	expect_line(n, 1, "---");
	note_free(n);

	/* "..." closes too; no overview key; Markdown inside is not parsed. */
	n = parse_ok("---\n# not a heading\n...\n\npara\n");
	assert_int_equal(n->body_line, 4);
	assert_null(n->fm_overview);
	assert_int_equal(n->nsections, 0);
	assert_int_equal(n->nblocks, 1);
	assert_int_equal(n->blocks[0].start_line, 5);
	note_free(n);

	/* Never closed: ordinary Markdown. */
	n = parse_ok("---\noverview: x.md\n# Real\n");
	assert_int_equal(n->body_line, 1);
	assert_null(n->fm_overview);
	assert_int_equal(n->nsections, 1);
	assert_int_equal(n->sections[0].line, 3);
	note_free(n);

	/* Only a "---" first line opens front matter. */
	n = parse_ok("text\n---\noverview: x.md\n---\n");
	assert_int_equal(n->body_line, 1);
	assert_null(n->fm_overview);
	note_free(n);
}

/* --- blocks of every kind ------------------------------------------------ */

static void
test_kinds_fixture(void **state)
{
	struct note		*n = load_ok(KINDS_NOTE);
	const struct note_block	*b;

	(void)state;
	assert_int_equal(n->nlines, 36);
	assert_int_equal(n->body_line, 5);
	assert_string_equal(n->fm_overview, "../overviews/plain-bullets.md");
	assert_int_equal(n->nblocks, 14);

	b = &n->blocks[0];
	assert_int_equal(b->kind, NB_HEADING);
	assert_string_equal(b->text, "Kinds of blocks");
	assert_int_equal(b->level, 1);
	assert_false(b->pseudo_heading);

	b = &n->blocks[1];
	assert_int_equal(b->kind, NB_PARAGRAPH);
	assert_int_equal(b->start_line, 7);
	assert_int_equal(b->end_line, 8);
	assert_string_equal(b->text,
	    "Intro with emphasis, strong and `code`\non two lines.");

	b = &n->blocks[2];	/* starts bold, goes on: no heading */
	assert_int_equal(b->kind, NB_PARAGRAPH);
	assert_int_equal(b->start_line, 10);
	assert_string_equal(b->text, "Note: a bold start is not a heading.");

	b = &n->blocks[3];
	assert_int_equal(b->kind, NB_HEADING);
	assert_true(b->pseudo_heading);
	assert_int_equal(b->level, 7);
	assert_int_equal(b->start_line, 12);
	assert_string_equal(b->text, "Heap");

	assert_int_equal(n->blocks[4].kind, NB_ITEM);
	assert_int_equal(n->blocks[4].start_line, 13);
	assert_int_equal(n->blocks[4].level, 1);
	assert_string_equal(n->blocks[4].text, "item one");
	assert_int_equal(n->blocks[5].start_line, 14);
	assert_int_equal(n->blocks[5].level, 2);
	assert_string_equal(n->blocks[5].text, "nested `Box<T>`");
	assert_int_equal(n->blocks[6].level, 1);
	assert_string_equal(n->blocks[6].text, "item two");

	b = &n->blocks[7];
	assert_int_equal(b->kind, NB_CODE);
	assert_int_equal(b->start_line, 17);
	assert_int_equal(b->end_line, 19);
	assert_string_equal(b->info, "rust");
	assert_string_equal(b->text, "let x = 1;");

	b = &n->blocks[8];
	assert_int_equal(b->kind, NB_CODE);
	assert_int_equal(b->start_line, 21);
	assert_int_equal(b->end_line, 22);
	assert_string_equal(b->info, "");
	assert_string_equal(b->text, "indented code\nsecond line");

	b = &n->blocks[9];
	assert_int_equal(b->kind, NB_HEADING);
	assert_int_equal(b->level, 2);
	assert_int_equal(b->start_line, 24);
	assert_int_equal(b->end_line, 25);

	b = &n->blocks[10];
	assert_int_equal(b->kind, NB_QUOTE);
	assert_int_equal(b->start_line, 27);
	assert_int_equal(b->end_line, 28);
	assert_string_equal(b->text, "quoted `q` text\nsecond quoted line");

	b = &n->blocks[11];
	assert_int_equal(b->kind, NB_HTML);
	assert_int_equal(b->start_line, 30);
	assert_int_equal(b->end_line, 32);
	assert_string_equal(b->text, "<div>\nhtml\n</div>");

	b = &n->blocks[12];
	assert_int_equal(b->kind, NB_RULE);
	assert_int_equal(b->start_line, 34);
	assert_int_equal(b->end_line, 34);
	assert_string_equal(b->text, "");
	assert_null(b->info);

	b = &n->blocks[13];
	assert_int_equal(b->kind, NB_PARAGRAPH);
	assert_int_equal(b->start_line, 36);
	assert_string_equal(b->text, "Last line without newline");

	assert_int_equal(n->nspans, 3);
	assert_string_equal(n->spans[1].text, "Box<T>");
	assert_int_equal(n->spans[1].line, 14);
	assert_string_equal(n->spans[2].text, "q");
	assert_int_equal(n->spans[2].line, 27);

	assert_int_equal(n->nsections, 3);
	assert_string_equal(n->sections[1].title, "Heap");
	assert_int_equal(n->sections[1].level, 7);
	assert_int_equal(n->sections[1].end_line, 23);
	assert_int_equal(n->sections[1].parent, 0);
	assert_int_equal(n->sections[1].nblocks, 5);
	assert_string_equal(n->sections[2].title, "Setext heading");
	assert_int_equal(n->sections[2].parent, 0);
	assert_int_equal(n->sections[2].end_line, 36);
	note_free(n);
}

static void
test_pseudo_headings(void **state)
{
	struct note	*n;

	(void)state;
	n = parse_ok("**Stack**\n\n__Heap__\n\n**Stack:**\n\n"
	    "**A whole bold sentence that ends with a period.**\n\n"
	    "- **bold item**\n\n> **quoted bold**\n");
	assert_int_equal(n->nsections, 3);
	assert_string_equal(n->sections[0].title, "Stack");
	assert_string_equal(n->sections[1].title, "Heap");
	assert_string_equal(n->sections[2].title, "Stack");
	assert_int_equal(n->sections[2].line, 5);
	assert_int_equal(n->blocks[3].kind, NB_PARAGRAPH);
	assert_int_equal(n->blocks[4].kind, NB_ITEM);
	assert_int_equal(n->blocks[5].kind, NB_QUOTE);
	/* A sibling pseudo heading closes the previous one. */
	assert_int_equal(n->sections[0].end_line, 2);
	assert_int_equal(n->sections[1].parent, -1);
	note_free(n);

	n = parse_ok("## Real\n**Label**  \nhard break then `code`\n");
	assert_int_equal(n->nsections, 2);
	assert_int_equal(n->sections[1].parent, 0);
	assert_int_equal(n->blocks[2].start_line, 3);
	assert_string_equal(n->blocks[2].text, "hard break then `code`");
	assert_int_equal(n->spans[0].line, 3);
	note_free(n);
}

static void
test_code_block_lines(void **state)
{
	struct note	*n;

	(void)state;
	/* Indented code ends on its last line, not on the blank ones. */
	n = parse_ok("    code\n    more\n\n\npara\n");
	assert_int_equal(n->blocks[0].kind, NB_CODE);
	assert_int_equal(n->blocks[0].end_line, 2);
	assert_int_equal(n->blocks[1].start_line, 5);
	note_free(n);

	/* A fence in a list item is not closed by an unindented fence. */
	n = parse_ok("- ```rust\n  let x;\n\n```\nafter\n```\n");
	assert_int_equal(n->nblocks, 2);
	assert_int_equal(n->blocks[0].level, 1);
	assert_string_equal(n->blocks[0].info, "rust");
	assert_int_equal(n->blocks[0].end_line, 2);
	assert_int_equal(n->blocks[1].start_line, 4);
	assert_int_equal(n->blocks[1].end_line, 6);
	assert_string_equal(n->blocks[1].text, "after");
	note_free(n);

	/* Fences inside quotes and items close with their prefix. */
	n = parse_ok("> ~~~~\n> in quote\n> ~~~~\n\n- item\n\n  ```\n"
	    "  code\n  ```\n- next\n");
	assert_int_equal(n->blocks[0].end_line, 3);
	assert_string_equal(n->blocks[0].text, "in quote");
	assert_int_equal(n->blocks[2].kind, NB_CODE);
	assert_int_equal(n->blocks[2].start_line, 7);
	assert_int_equal(n->blocks[2].end_line, 9);
	assert_int_equal(n->blocks[3].start_line, 10);
	note_free(n);

	/* Indented code whose text starts like a fence stays indented. */
	n = parse_ok("para\n\n    ```not a fence\n");
	assert_int_equal(n->blocks[1].kind, NB_CODE);
	assert_string_equal(n->blocks[1].info, "");
	assert_string_equal(n->blocks[1].text, "```not a fence");
	assert_int_equal(n->blocks[1].end_line, 3);
	note_free(n);
}

/* Block text maps to lines: the k-th newline starts start_line + k. */
static void
test_text_newlines_match_lines(void **state)
{
	struct note		*n = load_ok(SEED_NOTE);
	const struct note_block	*b;
	const char		*p;
	int			 i, nl;

	(void)state;
	for (i = 0; i < n->nblocks; i++) {
		b = &n->blocks[i];
		for (nl = 0, p = b->text; (p = strchr(p, '\n')) != NULL; p++)
			nl++;
		if (b->kind == NB_CODE)
			nl += 2;	/* every code block here is fenced */
		assert_int_equal(b->end_line - b->start_line, nl);
	}
	note_free(n);
}

/* --- inline code spans across lines ------------------------------------- */

/*
 * Each line of a block's text is on start_line + k: it reads (backticks
 * and all) in that line of the file.
 */
static void
expect_text_on_lines(const struct note *n, const struct note_block *b)
{
	const char	*p = b->text, *nl, *line;
	char		*piece, *raw;
	size_t		 len;
	int		 k = 0;

	for (;; p = nl + 1, k++) {
		nl = strchr(p, '\n');
		piece = xstrndup(p, nl != NULL ? (size_t)(nl - p) : strlen(p));
		line = note_line(n, b->start_line + k, &len);
		if (line == NULL)
			fail_msg("text line %d \"%s\" past the file", k, piece);
		raw = xstrndup(line, len);
		if (strstr(raw, piece) == NULL)
			fail_msg("\"%s\" is not on line %d \"%s\"", piece,
			    b->start_line + k, raw);
		free(raw);
		free(piece);
		if (nl == NULL)
			break;
	}
	assert_int_equal(b->end_line - b->start_line, k);
}

/* cmark turns the line break inside a code span into a space. */
static void
test_code_span_across_lines(void **state)
{
	struct note		*n;
	const struct note_block	*b;

	(void)state;
	n = parse_ok("# T\n\nA `multi\nline` span and `z`\nend.\n");
	assert_int_equal(n->nspans, 2);
	assert_string_equal(n->spans[0].text, "multi line");
	assert_int_equal(n->spans[0].line, 3);
	assert_string_equal(n->spans[1].text, "z");
	assert_int_equal(n->spans[1].line, 4);
	b = block_at_line(n, 5);
	assert_int_equal(b->start_line, 3);
	assert_int_equal(b->end_line, 5);
	assert_string_equal(b->text, "A `multi\nline` span and `z`\nend.");
	expect_text_on_lines(n, b);
	note_free(n);

	/* Three lines, and the indent cmark strips. */
	n = parse_ok("A `one\n   two  \n  three` x `w`\n");
	assert_int_equal(n->nspans, 2);
	assert_string_equal(n->spans[0].text, "one two   three");
	assert_int_equal(n->spans[1].line, 3);
	assert_string_equal(n->blocks[0].text, "A `one\ntwo  \nthree` x `w`");
	expect_text_on_lines(n, &n->blocks[0]);
	note_free(n);

	/* The space cmark strips inside the backticks. */
	n = parse_ok("x ` y\nz ` `w`\n");
	assert_string_equal(n->spans[0].text, "y z");
	assert_int_equal(n->spans[1].line, 2);
	assert_string_equal(n->blocks[0].text, "x `y\nz` `w`");
	note_free(n);

	/* In a list in a block quote, and after a lazy line. */
	n = parse_ok("> - a `b\n>   c\n>   d` e `f`\n\n> q\n`r\ns` `t`\n");
	assert_int_equal(n->nspans, 4);
	assert_int_equal(n->spans[1].line, 3);
	assert_int_equal(n->spans[2].line, 6);
	assert_int_equal(n->spans[3].line, 7);
	assert_string_equal(n->blocks[0].text, "a `b\nc\nd` e `f`");
	expect_text_on_lines(n, &n->blocks[0]);
	expect_text_on_lines(n, &n->blocks[1]);
	note_free(n);

	/* Breaks cmark drops at both ends of a span. */
	n = parse_ok("`\nx\n` y `q`\n");
	assert_string_equal(n->blocks[0].text, "`\nx\n` y `q`");
	assert_int_equal(n->spans[1].line, 3);
	note_free(n);
}

/* cmark's inline lines miss a backslash break and breaks inside a link. */
static void
test_inline_lines_cmark_misses(void **state)
{
	struct note	*n;

	(void)state;
	n = parse_ok("a\\\nb  \nc `d`\n");
	assert_int_equal(n->spans[0].line, 3);
	assert_int_equal(n->blocks[0].end_line, 3);
	expect_text_on_lines(n, &n->blocks[0]);
	note_free(n);

	n = parse_ok("x [a](\n/url\n\"t\") after\n\nnext\n");
	assert_int_equal(n->blocks[0].end_line, 3);
	assert_int_equal(note_block_at(n, 3), 0);
	assert_int_equal(n->blocks[1].start_line, 5);
	note_free(n);
}

/* --- the seed note ------------------------------------------------------- */

static void
test_seed_sections(void **state)
{
	static const struct {
		const char	*title;
		int		 line, end_line, level, parent;
	} want[] = {
		{ "Rust's memory model", 1, 76, 2, -1 },
		{ "Stack vs heap", 2, 65, 3, 0 },
		{ "Mental model", 6, 25, 7, 1 },
		{ "Thin pointer", 26, 33, 7, 1 },
		{ "Fat pointer", 34, 45, 7, 1 },
		{ "Stack", 46, 52, 7, 1 },
		{ "Heap", 53, 59, 7, 1 },
		{ "Fixed-size data", 60, 62, 7, 1 },
		{ "Dynamically-sized data", 63, 65, 7, 1 },
		{ "What going out of scope physically means", 66, 68, 3, 0 },
		{ "What drop actually does", 69, 72, 3, 0 },
		{ "Why heap memory must have one deallocator", 73, 76, 3, 0 },
	};
	struct note	*n = load_ok(SEED_NOTE);
	size_t		 i;

	(void)state;
	assert_int_equal(n->nlines, 76);
	assert_int_equal(n->body_line, 1);
	assert_null(n->fm_overview);
	assert_int_equal(n->nsections, sizeof want / sizeof want[0]);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(n->sections[i].title, want[i].title);
		assert_int_equal(n->sections[i].line, want[i].line);
		assert_int_equal(n->sections[i].end_line, want[i].end_line);
		assert_int_equal(n->sections[i].level, want[i].level);
		assert_int_equal(n->sections[i].parent, want[i].parent);
	}
	assert_int_equal(n->sections[find_section(n, "Heap")].nblocks, 5);
	assert_true(n->blocks[3].pseudo_heading);
	assert_string_equal(n->blocks[3].text, "Mental model");
	note_free(n);
}

static void
test_seed_lookup(void **state)
{
	struct note	*n = load_ok(SEED_NOTE);

	(void)state;
	assert_int_equal(note_section_at(n, 1), 0);
	assert_int_equal(note_section_at(n, 3), 1);
	assert_int_equal(note_section_at(n, 20), find_section(n,
	    "Mental model"));
	assert_int_equal(note_section_at(n, 55), find_section(n, "Heap"));
	assert_int_equal(note_section_at(n, 67), find_section(n,
	    "What going out of scope physically means"));
	assert_int_equal(note_section_at(n, 76), n->nsections - 1);
	assert_int_equal(note_section_at(n, 0), -1);
	assert_int_equal(note_section_at(n, 77), -1);

	assert_int_equal(note_block_at(n, 5), -1);	/* blank line */
	assert_int_equal(block_at_line(n, 8)->start_line, 7);
	assert_int_equal(block_at_line(n, 20)->kind, NB_CODE);
	assert_int_equal(block_at_line(n, 55)->start_line, 55);
	assert_int_equal(note_block_at(n, 0), -1);
	assert_int_equal(note_block_at(n, 1000), -1);

	expect_line(n, 1, "## Rust's memory model");
	expect_line(n, 46, "**Stack**");
	note_free(n);
}

static void
test_seed_paragraph_after_bold_line(void **state)
{
	struct note		*n = load_ok(SEED_NOTE);
	const struct note_block	*b = block_at_line(n, 7);

	(void)state;
	assert_int_equal(b->kind, NB_PARAGRAPH);
	assert_int_equal(b->start_line, 7);
	assert_int_equal(b->end_line, 12);
	assert_true(str_starts_with(b->text,
	    "Stack contains plain bytes. Sometimes, those bytes encode an "
	    "address.\nPointer is integer-sized value"));
	assert_int_equal(b->section, find_section(n, "Mental model"));
	b = block_at_line(n, 27);
	assert_string_equal(b->text,
	    "Just address, eg. `*mut T`, `&T` (for sized T)");
	assert_int_equal(b->section, find_section(n, "Thin pointer"));
	note_free(n);
}

static void
test_seed_code_blocks(void **state)
{
	static const struct {
		int		 start, end;
		const char	*first;
	} want[] = {
		{ 14, 24, "Stack frame:\n+---" },
		{ 28, 32, "+------------------+\n| ptr = 0x7ffd1234 |" },
		{ 36, 41, "+------------------+\n| ptr = 0x7ffd1234 |" },
	};
	struct note	*n = load_ok(SEED_NOTE);
	int		 i, found = 0;

	(void)state;
	for (i = 0; i < n->nblocks; i++) {
		if (n->blocks[i].kind != NB_CODE)
			continue;
		assert_true(found < 3);
		assert_int_equal(n->blocks[i].start_line, want[found].start);
		assert_int_equal(n->blocks[i].end_line, want[found].end);
		assert_string_equal(n->blocks[i].info, "");
		assert_true(str_starts_with(n->blocks[i].text,
		    want[found].first));
		found++;
	}
	assert_int_equal(found, 3);
	assert_non_null(strstr(n->blocks[5].text,
	    "0x7ffd1234 \xe2\x86\x92 [ A | B | C |"));
	note_free(n);
}

static void
test_seed_code_spans(void **state)
{
	static const struct {
		int		 line;
		const char	*text;
	} want[] = {
		{ 27, "*mut T" }, { 27, "&T" }, { 35, "&str" }, { 35, "&[T]" },
		{ 48, "{}" }, { 55, "Box" }, { 58, "drop" }, { 61, "i32" },
		{ 61, "[u8; 32]" }, { 64, "str" }, { 64, "[T]" },
		{ 70, "Drop::drop" },
	};
	struct note	*n = load_ok(SEED_NOTE);
	size_t		 i;

	(void)state;
	assert_int_equal(n->nspans, sizeof want / sizeof want[0]);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(n->spans[i].line, want[i].line);
		assert_string_equal(n->spans[i].text, want[i].text);
	}
	/* Kept with backticks in block text, for scope checks. */
	assert_non_null(strstr(block_at_line(n, 35)->text, "`&str`"));
	note_free(n);
}

static void
test_seed_heap_items(void **state)
{
	static const char *const want[] = {
		"Heap is a big pool of bytes in RAM.",
		"`Box` allocates some number of bytes on the heap",
		"Vec, String also allocate on the heap",
		"Heap data has no inherent lifetime",
		"Heap deallocation is explicit and deliberate (via `drop`)",
	};
	struct note		*n = load_ok(SEED_NOTE);
	const struct note_block	*b;
	int			 heap = find_section(n, "Heap"), i;

	(void)state;
	for (i = 0; i < 5; i++) {
		b = block_at_line(n, 54 + i);
		assert_int_equal(b->kind, NB_ITEM);
		assert_int_equal(b->start_line, 54 + i);
		assert_int_equal(b->end_line, 54 + i);
		assert_int_equal(b->level, 1);
		assert_int_equal(b->section, heap);
		assert_true(str_starts_with(b->text, want[i]));
	}
	note_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_error_missing, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_error_directory,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_error_unreadable,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_open_error_words),
		cmocka_unit_test_setup_teardown(test_error_empty, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_error_whitespace_only,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_error_nul, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(test_error_too_large,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_error_bad_utf8,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_parse_error_leaves_out_null),
		cmocka_unit_test_setup_teardown(test_crlf_and_bom, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(test_line_counting),
		cmocka_unit_test(test_front_matter),
		cmocka_unit_test(test_kinds_fixture),
		cmocka_unit_test(test_pseudo_headings),
		cmocka_unit_test(test_code_block_lines),
		cmocka_unit_test(test_text_newlines_match_lines),
		cmocka_unit_test(test_code_span_across_lines),
		cmocka_unit_test(test_inline_lines_cmark_misses),
		cmocka_unit_test(test_seed_sections),
		cmocka_unit_test(test_seed_lookup),
		cmocka_unit_test(test_seed_paragraph_after_bold_line),
		cmocka_unit_test(test_seed_code_blocks),
		cmocka_unit_test(test_seed_code_spans),
		cmocka_unit_test(test_seed_heap_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
