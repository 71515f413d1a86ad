/*
 * term.c - the terminal: curses set-up and tear-down, colours, signals.
 *
 * Signal handlers only note the signal and write a byte to a self-pipe
 * that the loop poll()s together with the keyboard, so a resize or a
 * SIGTERM is handled between keys like any other event, and the loop never
 * misses one that arrives just before it goes to sleep.
 *
 * Every way out puts the terminal back: quitting, SIGINT/SIGTERM/SIGHUP
 * (the loop ends and tui_run() cleans up), an allocation failure (the fatal
 * hook) and a crash (a handler that ends curses, then hands the signal to
 * whatever handled it before: the default action, or a sanitizer's report).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rustnote/cancel.h"
#include "rustnote/err.h"
#include "rustnote/util.h"
#include "tui_int.h"

static int wake_pipe[2] = { -1, -1 };
static SCREEN *screen;
static volatile sig_atomic_t curses_active;
static volatile sig_atomic_t pending_signal;
static volatile sig_atomic_t pending_resize;
static attr_t role_attr[R_COUNT];

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
    SIGABRT };
#define NQUIT (sizeof(quit_signals) / sizeof(quit_signals[0]))
#define NCRASH (sizeof(crash_signals) / sizeof(crash_signals[0]))
static struct sigaction saved_quit[NQUIT];
static struct sigaction saved_crash[NCRASH];
static struct sigaction saved_winch;

/*
 * How each role looks: a colour pair plus attributes, and the attributes
 * alone when colour is off (NO_COLOR): only bold and reverse then, so the
 * screen stays readable on any terminal.
 */
static const struct {
	short fg, bg;
	attr_t attr;
	attr_t mono;
} palette[R_COUNT] = {
	[R_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[R_HEADING] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[R_LIST] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[R_CODE] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[R_STRONG] = { -1, -1, A_BOLD, A_BOLD },
	[R_EMPH] = { -1, -1, A_ITALIC, A_NORMAL },
	[R_LINENO] = { -1, -1, A_DIM, A_NORMAL },
	[R_HILITE] = { -1, -1, A_REVERSE, A_REVERSE },
	[R_MATCH] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL,
	    A_REVERSE | A_BOLD },
	[R_GAP] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[R_INCORRECT] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[R_ASSUMPTION] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[R_SCOPE] = { COLOR_BLUE, -1, A_BOLD, A_BOLD },
	[R_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_BOLD },
	[R_TITLE_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD,
	    A_REVERSE | A_BOLD },
	[R_STATUS] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE },
	[R_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[R_FADED] = { -1, -1, A_DIM, A_NORMAL },
	[R_SELECTED] = { -1, -1, A_REVERSE, A_REVERSE },
	[R_KEY] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
};

/* Colour is off with NO_COLOR set to anything (see no-color.org). */
static bool
colour_wanted(void)
{
	const char *v = getenv("NO_COLOR");

	return (v == NULL || v[0] == '\0') && has_colors();
}

static void
setup_roles(struct tui *t)
{
	bool defaults = false;
	short fg, bg;
	int i;

	t->color = colour_wanted();
	if (t->color) {
		start_color();
		defaults = use_default_colors() == OK;
	}
	for (i = 0; i < R_COUNT; i++) {
		role_attr[i] = t->color ? palette[i].attr : palette[i].mono;
		if (!t->color || (palette[i].fg < 0 && palette[i].bg < 0))
			continue;
		fg = palette[i].fg;
		bg = palette[i].bg;
		if (!defaults && fg < 0)
			fg = COLOR_WHITE;
		if (!defaults && bg < 0)
			bg = COLOR_BLACK;
		if (i < COLOR_PAIRS && init_pair((short)i, fg, bg) == OK)
			role_attr[i] |= COLOR_PAIR(i);
	}
}

attr_t
term_attr(enum tui_role role)
{
	return role_attr[role];
}

void
term_wake(void)
{
	int saved = errno;

	if (wake_pipe[1] >= 0)
		(void)!write(wake_pipe[1], "", 1);
	errno = saved;
}

int
term_wake_fd(void)
{
	return wake_pipe[0];
}

void
term_drain_wake(void)
{
	char b[64];

	while (read(wake_pipe[0], b, sizeof(b)) > 0)
		;
}

int
term_take_signal(void)
{
	int sig = pending_signal;

	pending_signal = 0;
	return sig;
}

bool
term_take_resize(void)
{
	bool r = pending_resize != 0;

	pending_resize = 0;
	return r;
}

/* Safe to call more than once, and from a signal handler. */
void
term_restore(void)
{
	if (curses_active) {
		curses_active = 0;
		endwin();
	}
}

static void
on_quit_signal(int sig)
{
	pending_signal = sig;
	cancel_request();	/* a review in the worker stops too */
	term_wake();
}

static void
on_resize_signal(int sig)
{
	(void)sig;
	pending_resize = 1;
	term_wake();
}

static void
on_crash_signal(int sig)
{
	size_t i;

	term_restore();
	for (i = 0; i < NCRASH; i++) {
		if (crash_signals[i] == sig)
			sigaction(sig, &saved_crash[i], NULL);
	}
	raise(sig);
}

static void
catch_signal(int sig, void (*handler)(int), int flags,
    struct sigaction *saved)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, saved);
}

static void
install_handlers(void)
{
	size_t i;

	for (i = 0; i < NQUIT; i++)
		catch_signal(quit_signals[i], on_quit_signal, SA_RESTART,
		    &saved_quit[i]);
	for (i = 0; i < NCRASH; i++)
		catch_signal(crash_signals[i], on_crash_signal, 0,
		    &saved_crash[i]);
	catch_signal(SIGWINCH, on_resize_signal, SA_RESTART, &saved_winch);
}

static void
remove_handlers(void)
{
	size_t i;

	for (i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &saved_quit[i], NULL);
	for (i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &saved_crash[i], NULL);
	sigaction(SIGWINCH, &saved_winch, NULL);
}

/* While the editor owns the terminal, Ctrl-C is the editor's business. */
void
term_ignore_interrupts(bool ignore)
{
	if (ignore) {
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
		return;
	}
	signal(SIGQUIT, SIG_DFL);
	catch_signal(SIGINT, on_quit_signal, SA_RESTART, NULL);
}

/* The worker thread must never run a handler: the loop thread owns them. */
void
term_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGCONT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/*
 * Home and End as terminals actually send them: tmux and rxvt send the
 * VT220 forms whatever terminfo says, xterm its own without keypad mode.
 */
static void
define_extra_keys(void)
{
	static const struct {
		const char *seq;
		int key;
	} keys[] = {
		{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
		{ "\033[7~", KEY_HOME }, { "\033[8~", KEY_END },
		{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },
		{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (key_defined(keys[i].seq) == 0)
			define_key(keys[i].seq, keys[i].key);
	}
}

static enum rn_status
open_wake_pipe(char *err, size_t errlen)
{
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		wake_pipe[0] = wake_pipe[1] = -1;
		return rn_fail(err, errlen, RN_EFAIL, "pipe: %s",
		    strerror(errno));
	}
	return RN_OK;
}

static void
close_wake_pipe(void)
{
	if (wake_pipe[0] >= 0)
		close(wake_pipe[0]);
	if (wake_pipe[1] >= 0)
		close(wake_pipe[1]);
	wake_pipe[0] = wake_pipe[1] = -1;
}

enum rn_status
term_init(struct tui *t, char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	int rc;

	rc = open_wake_pipe(err, errlen);
	if (rc != RN_OK)
		return rc;
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL) {
		close_wake_pipe();
		return rn_fail(err, errlen, RN_EFAIL, "cannot use the terminal "
		    "(TERM=%s); try --plain", term != NULL ? term : "");
	}
	curses_active = 1;
	util_set_fatal_hook(term_restore);
	install_handlers();
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	define_extra_keys();
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	setup_roles(t);
	return RN_OK;
}

void
term_done(void)
{
	term_restore();
	remove_handlers();
	util_set_fatal_hook(NULL);
	if (screen != NULL)
		delscreen(screen);
	screen = NULL;
	close_wake_pipe();
}

/* Take the terminal's size from the kernel and lay the panes out again. */
void
term_resize(struct tui *t)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	layout_compute(COLS, LINES, &t->lay);
	clearok(curscr, TRUE);
	t->dirty = true;
}
