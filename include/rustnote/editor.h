/*
 * editor.h - which editor to open the note in, and the exact argv that
 * opens it at a line.  Pure: nothing is run here (src/tui/launch.c runs it).
 *
 * The choice is git's: $VISUAL (not on a dumb terminal), then $EDITOR, then
 * vi.  The value may carry arguments ("code -w", "emacs -nw").  As git
 * does, a plain word is executed directly; anything else is run as
 *   sh -c '<editor> "$@"' '<editor>' ARGS...
 * so the editor string is shell text written by the user, while the file
 * name only ever travels as one separate argument: spaces, quotes or
 * "$(...)" in it are never seen by a shell.
 */
#ifndef RUSTNOTE_EDITOR_H
#define RUSTNOTE_EDITOR_H

#include <stdbool.h>

/* How an editor is told the line to start at. */
enum editor_style {
	EDS_NONE,	/* ed: the file alone */
	EDS_PLUS,	/* vi, vim, nano, emacs, micro, kak, hx, and any
			 * editor not known to differ: +N FILE */
	EDS_GOTO,	/* code, codium: -g FILE:N */
	EDS_COLON	/* subl, zed: FILE:N */
};

/*
 * Pick the editor from the given variable values (any may be NULL): VISUAL
 * unless term is NULL or "dumb", then EDITOR, then "vi".  Empty or blank
 * values count as unset.  Returns one of the arguments or "vi".
 */
const char *editor_choose(const char *visual, const char *editor,
    const char *term);
/* editor_choose() with $VISUAL, $EDITOR and $TERM. */
const char *editor_from_env(void);

/* The line style of the editor's program (first word, any folder). */
enum editor_style editor_style(const char *editor);
/* True when the value holds shell syntax or spaces (git's test). */
bool editor_needs_shell(const char *editor);

/*
 * The NULL-terminated argv that opens file at line (1-based; below 1 means
 * line 1).  A file name starting with '-' or '+' gets "./" in front so it
 * is not read as an option.  Free with editor_argv_free().
 */
char **editor_argv(const char *editor, const char *file, int line);
/*
 * The argv of the config's editor_line template, for editors that want
 * neither +N nor -g: words split at blanks; {editor} stands for the
 * editor's words, {file} and {line} are replaced inside a word, and a word
 * holding {file} stays one argument whatever the file name holds.  No
 * shell sees the file name.  NULL when the template has no {file}.
 */
char **editor_argv_template(const char *tmpl, const char *editor,
    const char *file, int line);
void editor_argv_free(char **argv);

#endif
