/*
 * launch.c - open the note in the user's editor and come back.
 *
 * Curses lets go of the terminal first (def_prog_mode, endwin) and takes
 * it back after (reset_prog_mode, a full redraw).  While the editor runs,
 * Ctrl-C belongs to it, so we ignore SIGINT and SIGQUIT until it exits.
 * The argv comes from editor.c (the config's editor_line template when
 * set); the note's name travels as one argument and never through a
 * shell.  Afterwards the note is read again.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rustnote/config.h"
#include "rustnote/editor.h"
#include "tui_int.h"

#define EXIT_NOT_FOUND 127	/* what a shell returns for "not found" */

/* In the child: only async-signal-safe calls until exec. */
static void
run_child(char **argv)
{
	sigset_t none;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	_exit(EXIT_NOT_FOUND);
}

/* Returns the wait status, or -1 with *error set when fork failed. */
static int
run_editor(char **argv, int *error)
{
	int status = -1;
	pid_t pid, r;

	pid = fork();
	if (pid < 0) {
		*error = errno;
		return -1;
	}
	if (pid == 0)
		run_child(argv);
	do {
		r = waitpid(pid, &status, 0);
	} while (r < 0 && errno == EINTR);
	*error = errno;
	return r < 0 ? -1 : status;
}

static void
report_status(struct tui *t, const char *editor, int status, int error)
{
	if (status == -1)
		tui_message(t, true, "cannot start the editor: %s",
		    strerror(error));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NOT_FOUND)
		tui_message(t, true, "cannot run the editor '%s' (set VISUAL "
		    "or EDITOR)", editor);
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		tui_message(t, true, "the editor '%s' exited with status %d",
		    editor, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		tui_message(t, true, "the editor '%s' was killed by signal %d",
		    editor, WTERMSIG(status));
}

void
launch_editor(struct tui *t, int line)
{
	const char *editor = editor_from_env();
	const char *tmpl = t->opts->cfg->editor_line;
	char **argv = tmpl != NULL ? editor_argv_template(tmpl, editor,
	    t->opts->note_path, line) : NULL;
	int status, error = 0;

	if (argv == NULL)	/* no editor_line: +N FILE, or the known form */
		argv = editor_argv(editor, t->opts->note_path, line);
	def_prog_mode();
	endwin();
	term_ignore_interrupts(true);
	status = run_editor(argv, &error);
	term_ignore_interrupts(false);
	reset_prog_mode();
	term_resize(t);
	editor_argv_free(argv);
	tui_reload_note(t);
	report_status(t, editor, status, error);
}
