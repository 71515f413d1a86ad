/*
 * editor.c - choosing the editor and building its argv (see editor.h).
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/editor.h"
#include "rustnote/util.h"

/* Characters that make git hand the editor value to a shell. */
#define SHELL_CHARS "|&;<>()$`\\\"' \t\n*?[#~=%"
#define BLANKS " \t\n"

static const struct {
	const char *name;
	enum editor_style style;
} editor_styles[] = {
	{ "vi", EDS_PLUS },
	{ "vim", EDS_PLUS },
	{ "nvim", EDS_PLUS },
	{ "gvim", EDS_PLUS },
	{ "view", EDS_PLUS },
	{ "vis", EDS_PLUS },
	{ "nano", EDS_PLUS },
	{ "pico", EDS_PLUS },
	{ "emacs", EDS_PLUS },
	{ "emacsclient", EDS_PLUS },
	{ "micro", EDS_PLUS },
	{ "kak", EDS_PLUS },
	{ "hx", EDS_PLUS },
	{ "helix", EDS_PLUS },
	{ "joe", EDS_PLUS },
	{ "jed", EDS_PLUS },
	{ "mg", EDS_PLUS },
	{ "ne", EDS_PLUS },
	{ "code", EDS_GOTO },
	{ "code-insiders", EDS_GOTO },
	{ "code-oss", EDS_GOTO },
	{ "codium", EDS_GOTO },
	{ "vscodium", EDS_GOTO },
	{ "subl", EDS_COLON },
	{ "zed", EDS_COLON },
	{ "ed", EDS_NONE },	/* would take "+58" for a file name */
	{ "red", EDS_NONE },
};

static bool
is_blank(const char *s)
{
	return s == NULL || s[strspn(s, BLANKS)] == '\0';
}

const char *
editor_choose(const char *visual, const char *editor, const char *term)
{
	bool dumb = term == NULL || strcmp(term, "dumb") == 0;

	if (!dumb && !is_blank(visual))
		return visual;
	if (!is_blank(editor))
		return editor;
	return "vi";
}

const char *
editor_from_env(void)
{
	return editor_choose(getenv("VISUAL"), getenv("EDITOR"),
	    getenv("TERM"));
}

bool
editor_needs_shell(const char *editor)
{
	return editor[strcspn(editor, SHELL_CHARS)] != '\0';
}

/*
 * The program's own name: the first word, without its folder and without
 * a Debian alternatives suffix ("vim.basic", "vim.tiny").
 */
static char *
program_name(const char *editor)
{
	const char *p = editor + strspn(editor, BLANKS), *slash;
	size_t n = strcspn(p, BLANKS);
	char *name, *dot;

	while ((slash = memchr(p, '/', n)) != NULL) {
		n -= (size_t)(slash + 1 - p);
		p = slash + 1;
	}
	name = xstrndup(p, n);
	dot = strchr(name, '.');
	if (dot != NULL && dot != name)
		*dot = '\0';
	return name;
}

enum editor_style
editor_style(const char *editor)
{
	enum editor_style style = EDS_PLUS;	/* tig's default: nearly every
						 * terminal editor takes +N */
	char *name = program_name(editor);
	size_t i;

	for (i = 0; i < sizeof(editor_styles) / sizeof(editor_styles[0]); i++) {
		if (strcmp(name, editor_styles[i].name) == 0) {
			style = editor_styles[i].style;
			break;
		}
	}
	free(name);
	return style;
}

/* argv grows by one; the array always ends in NULL. */
static void
argv_add(char ***argv, size_t *argc, char *arg)
{
	*argv = xreallocarray(*argv, *argc + 2, sizeof(**argv));
	(*argv)[(*argc)++] = arg;
	(*argv)[*argc] = NULL;
}

/* Append the arguments that name the file and the line. */
static void
add_file_args(char ***argv, size_t *argc, enum editor_style style,
    const char *file, int line)
{
	const char *prefix = file[0] == '-' || file[0] == '+' ? "./" : "";

	switch (style) {
	case EDS_PLUS:
		argv_add(argv, argc, xasprintf("+%d", line));
		argv_add(argv, argc, xasprintf("%s%s", prefix, file));
		break;
	case EDS_GOTO:
		argv_add(argv, argc, xstrdup("-g"));
		argv_add(argv, argc, xasprintf("%s%s:%d", prefix, file, line));
		break;
	case EDS_COLON:
		argv_add(argv, argc, xasprintf("%s%s:%d", prefix, file, line));
		break;
	case EDS_NONE:
		argv_add(argv, argc, xasprintf("%s%s", prefix, file));
		break;
	}
}

char **
editor_argv(const char *editor, const char *file, int line)
{
	char **argv = NULL;
	size_t argc = 0;

	if (line < 1)
		line = 1;
	if (editor_needs_shell(editor)) {
		argv_add(&argv, &argc, xstrdup("sh"));
		argv_add(&argv, &argc, xstrdup("-c"));
		argv_add(&argv, &argc, xasprintf("%s \"$@\"", editor));
		argv_add(&argv, &argc, xstrdup(editor));
	} else
		argv_add(&argv, &argc, xstrdup(editor));
	add_file_args(&argv, &argc, editor_style(editor), file, line);
	return argv;
}

void
editor_argv_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* Append the blank-separated words of s. */
static void
add_words(char ***argv, size_t *argc, const char *s)
{
	size_t n;

	for (;;) {
		s += strspn(s, BLANKS);
		if (*s == '\0')
			return;
		n = strcspn(s, BLANKS);
		argv_add(argv, argc, xstrndup(s, n));
		s += n;
	}
}

/* One template word with {file} and {line} replaced. */
static char *
fill_word(const char *w, size_t n, const char *file, int line)
{
	struct buf b;
	size_t i = 0;

	buf_init(&b, 0);
	while (i < n) {
		if (n - i >= 6 && memcmp(w + i, "{file}", 6) == 0) {
			buf_adds(&b, file);
			i += 6;
		} else if (n - i >= 6 && memcmp(w + i, "{line}", 6) == 0) {
			buf_printf(&b, "%d", line);
			i += 6;
		} else
			buf_addc(&b, w[i++]);
	}
	return buf_steal(&b);
}

char **
editor_argv_template(const char *tmpl, const char *editor,
    const char *file, int line)
{
	const char *prefix = file[0] == '-' || file[0] == '+' ? "./" : "";
	char **argv = NULL, *safe;
	const char *w = tmpl;
	size_t argc = 0, n;

	if (strstr(tmpl, "{file}") == NULL)
		return NULL;
	if (line < 1)
		line = 1;
	safe = xasprintf("%s%s", prefix, file);
	for (;;) {
		w += strspn(w, BLANKS);
		if (*w == '\0')
			break;
		n = strcspn(w, BLANKS);
		if (n == 8 && memcmp(w, "{editor}", 8) == 0 && argc == 0 &&
		    editor_needs_shell(editor)) {
			/* as editor_argv(): the shell reads the editor only */
			argv_add(&argv, &argc, xstrdup("sh"));
			argv_add(&argv, &argc, xstrdup("-c"));
			argv_add(&argv, &argc, xasprintf("%s \"$@\"", editor));
			argv_add(&argv, &argc, xstrdup(editor));
		} else if (n == 8 && memcmp(w, "{editor}", 8) == 0)
			add_words(&argv, &argc, editor);
		else
			argv_add(&argv, &argc, fill_word(w, n, safe, line));
		w += n;
	}
	free(safe);
	return argv;
}
