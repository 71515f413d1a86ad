/*
 * tui_int.h - what the files of the review view share.
 *
 * One struct tui holds the whole view state; the loop (tui.c) owns it and
 * hands it to the panes.  Only the loop thread touches it.  The review runs
 * on a worker thread (worker.c) that talks to the loop through a job: a
 * mutex-protected queue plus one byte on a pipe the loop poll()s.
 *
 * Drawing goes through draw.c, which clips by display width (layout.c), so
 * no pane can write into another.  Every file prefixes its functions: tui_
 * (loop), term_, draw_, job_, model_, np_ (note pane), fp_ (findings pane),
 * dp_ (detail pane), sb_ (status bar), help_, km_ (keymap), act_ (actions),
 * search_, launch_, since_ (history), watch_ (the note file), conv_
 * (questions to the tutor), askjob_ (their thread), input_ (prompt lines).
 * Dismissals are core's (rustnote/dismiss.h): the CLI leaves them out
 * too.
 */
#ifndef RUSTNOTE_TUI_INT_H
#define RUSTNOTE_TUI_INT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <curses.h>

#include "rustnote/buf.h"
#include "rustnote/dismiss.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/layout.h"
#include "rustnote/tui.h"

struct hist;
struct note;
struct overview;
struct ovw_path;

/* What the note file looked like when it was read (watch.c). */
struct watch_stamp {
	bool valid;
	unsigned long long dev, ino;
	long long size;
	struct timespec mtime;
};
struct review;
struct tui_job;

/* Every action a key can trigger, with its help text. */
#define TUI_ACTIONS(X)							\
	X(UP, "previous finding; in the note: scroll up")		\
	X(DOWN, "next finding; in the note: scroll down")		\
	X(HALF_UP, "half a page up")					\
	X(HALF_DOWN, "half a page down")				\
	X(PAGE_UP, "one page up")					\
	X(PAGE_DOWN, "one page down")					\
	X(HOME, "first finding / top of the note")			\
	X(END, "last finding / end of the note")			\
	X(LEFT, "note pane; unwrapped note: scroll left")		\
	X(RIGHT, "findings pane; unwrapped note: scroll right")	\
	X(PANE_LEFT, "the note pane")					\
	X(PANE_RIGHT, "the findings pane")				\
	X(FOCUS, "switch between findings and note")			\
	X(EDIT, "open the editor at the finding's line")		\
	X(REVIEW, "read the note again and review it")			\
	X(FILTER, "filter: all, gap, incorrect, assumption, scope")	\
	X(SEARCH, "search the note")					\
	X(SEARCH_NEXT, "next match")					\
	X(SEARCH_PREV, "previous match")				\
	X(WRAP, "wrap long note lines, or not")			\
	X(ASK, "ask the tutor about the finding (again: a follow-up)")	\
	X(DISMISS, "dismiss the finding (again: restore it)")		\
	X(SHOW_DISMISSED, "show or hide the dismissed findings")	\
	X(DETAIL_DOWN, "scroll the detail down")			\
	X(DETAIL_UP, "scroll the detail up")				\
	X(CANCEL, "cancel the answer or the review; close the answer")	\
	X(REDRAW, "redraw the screen")					\
	X(HELP, "this help")						\
	X(QUIT, "quit")

enum tui_action {
#define X(name, help) ACT_##name,
	TUI_ACTIONS(X)
#undef X
	ACT_COUNT,
	ACT_NONE = -1
};

/* Roles of text on screen; term.c maps them to colours or to attributes. */
enum tui_role {
	R_NORMAL,
	R_HEADING,
	R_LIST,
	R_CODE,
	R_STRONG,
	R_EMPH,
	R_LINENO,
	R_HILITE,	/* lines of the selected finding */
	R_MATCH,	/* search match */
	R_GAP,		/* the four kinds, in enum finding_kind order */
	R_INCORRECT,
	R_ASSUMPTION,
	R_SCOPE,
	R_TITLE,	/* pane title */
	R_TITLE_FOCUS,
	R_STATUS,
	R_ERROR,
	R_FADED,	/* resolved, fixed, dismissed */
	R_SELECTED,	/* the selected finding's row */
	R_KEY,		/* key names in hints and help */
	R_COUNT
};

enum tui_focus { FOCUS_FINDINGS, FOCUS_NOTE };

/* The modal states the keys are read in. */
enum tui_mode { MODE_NORMAL, MODE_SEARCH, MODE_HELP, MODE_ASK_QUIT,
	MODE_ASK };

/* Latest progress of the running review, copied out of the job. */
struct tui_progress {
	size_t bytes, chars;
	double elapsed, retry_in, waiting;
	int attempt;
	bool thinking;
	char *notice;
};

struct tui {
	const struct tui_opts *opts;
	struct note *note;
	const struct overview *ovw;	/* opts->ovw, or own_path's */
	struct ovw_path *own_path;	/* loaded here: no opts->ovw, or
					   the overview read again */
	unsigned char *line_role;	/* per line (1-based): enum tui_role */
	signed char *line_kind;		/* per line: a finding's kind or -1 */
	struct note *retired;		/* old note the running job reads */
	struct watch_stamp stamp;	/* of the note on screen */
	int watch_fd;			/* inotify, or -1 */
	bool disk_changed;		/* the file differs from the screen */

	/* findings */
	struct finding_list all;	/* sorted; includes resolved ones */
	struct finding_list prev;	/* the last review, for the diff */
	bool have_prev;
	size_t *view;			/* indices into all, filtered */
	size_t nview;
	char **row_text;		/* per view row: what tells it apart */
	size_t nrow_text;
	bool show_dismissed;		/* D: list the dismissed ones too */
	int filter;			/* -1 = all, else enum finding_kind */
	size_t sel;			/* index into view */
	bool sel_chosen;		/* moved by the learner */
	size_t ftop;			/* first row shown of the findings */
	int dtop;			/* first row shown in the detail */
	char *dismiss_path;		/* the note's key in that store */
	struct dis_set *dismissed;

	/* history (since.c) */
	struct hist *hist;		/* NULL when history is off */
	char *hist_key;
	time_t last_at;			/* the last stored review, 0: none */

	/* note pane */
	enum tui_focus focus;
	int ntop;			/* first note line shown (1-based) */
	int nsub;			/* rows of line ntop scrolled past */
	bool nowrap;			/* w: long lines cut, not wrapped */
	int hscroll;			/* unwrapped: columns scrolled right */
	char *search;			/* last search, or NULL */
	int match;			/* line of the match, 0 if none */

	/* review */
	struct tui_job *job;		/* the running review or NULL */
	struct timespec started;
	struct tui_progress prog;
	char *state;			/* "done", "cancelled", "error: ..." */
	bool state_error;
	bool reviewed;			/* a review has finished */
	char *summary;

	/* screen */
	struct layout lay;
	enum tui_mode mode;
	struct buf input;		/* the search or question prompt's text */

	/* questions to the tutor (conv.c) */
	struct tui_conv **convs;	/* one per finding asked about */
	size_t nconvs, convs_cap;
	struct tui_ask_job *ask_job;	/* the question in flight, or NULL */
	struct tui_conv *ask_conv;	/* the conversation it belongs to */
	char *ask_notice;		/* retry notice of that question */
	bool show_last_turn;		/* scroll the detail to the new question */
	int help_top;
	char *msg;			/* one-shot message for the keys line */
	bool msg_error;
	bool color;
	bool dirty;
	bool quit;
	int quit_signal;
	bool painted;
	struct timespec t0;		/* when tui_run() began */
};

/* tui.c */
void tui_message(struct tui *t, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tui_start_review(struct tui *t);
/* r: read the note and its overview from disk again, then review. */
void tui_review_again(struct tui *t);
void tui_reload_note(struct tui *t);
void tui_redraw_all(struct tui *t);

/* term.c: the terminal, colours and signals */
enum rn_status term_init(struct tui *t, char *err, size_t errlen);
void term_restore(void);
void term_done(void);
int term_wake_fd(void);		/* read end of the self-pipe */
void term_wake(void);		/* async-signal-safe */
void term_drain_wake(void);
int term_take_signal(void);	/* SIGINT/SIGTERM/SIGHUP seen, or 0 */
bool term_take_resize(void);
void term_resize(struct tui *t);
attr_t term_attr(enum tui_role role);
void term_block_signals(sigset_t *old);
void term_ignore_interrupts(bool ignore);

/* draw.c: clipped, width-aware output */
int draw_text(int y, int x, const char *s, size_t len, int cols,
    enum tui_role role);
int draw_text_attr(int y, int x, const char *s, size_t len, int cols,
    attr_t attr);
void draw_fill(int y, int x, int cols, enum tui_role role);
void draw_title(const struct lay_rect *r, bool focused, const char *text);
void draw_too_small(const struct layout *l);

/* worker.c: the review thread */
struct tui_job *job_start(const struct tui_opts *o, struct note *n,
    const struct overview *ovw, char *err, size_t errlen);
/* Move queued findings to out and the newest progress to p.  Returns
 * true once the review has finished. */
bool job_poll(struct tui_job *j, struct finding_list *out,
    struct tui_progress *p);
void job_cancel(struct tui_job *j);
const struct note *job_note(const struct tui_job *j);
/* Join the thread; rc, err and the final review are handed over. */
enum rn_status job_finish(struct tui_job *j, struct review *r, char *err,
    size_t errlen);
void tui_progress_clear(struct tui_progress *p);

/* model.c: the findings list, filter and selection */
void model_add(struct tui *t, struct finding *f);
void model_commit(struct tui *t);
void model_replace(struct tui *t, struct finding_list *l);
void model_finish(struct tui *t, struct finding_list *l, bool complete);
void model_rebuild_view(struct tui *t);
struct finding *model_selected(const struct tui *t);
void model_select(struct tui *t, size_t idx);
void model_reanchor(struct tui *t);
void model_count(const struct tui *t, int counts[FK_COUNT], int *faded);
void model_mark_lines(struct tui *t);
bool model_is_faded(const struct finding *f);
/* The line a finding is about, or the line its quote was on before an
 * edit removed it; 0 for the whole note. */
int model_line(const struct finding *f);

/*
 * panes: each fills an ops table, as tig's views do.  A key's action goes
 * to the focused pane first (request() says whether it took it), then to
 * the detail pane, then to the actions every pane shares (actions.c).
 */
struct tui_pane_ops {
	const char *name;
	void (*draw)(struct tui *t, const struct lay_rect *r);
	int (*rows)(const struct tui *t);	/* rows of content shown */
	bool (*request)(struct tui *t, enum tui_action a);
};
extern const struct tui_pane_ops np_ops;	/* note_pane.c */
extern const struct tui_pane_ops fp_ops;	/* findings_pane.c */
extern const struct tui_pane_ops dp_ops;	/* detail_pane.c */
const struct tui_pane_ops *tui_focused(const struct tui *t);
/* Rows a page key moves in a pane that shows rows rows. */
int tui_page(int rows);
/* How far movement action a goes in such a pane; all: to either end. */
long tui_step(enum tui_action a, int rows, long all);
/* Up, down, half page, page, home or end. */
bool tui_is_move(enum tui_action a);

/* note_pane.c */
void np_prepare(struct tui *t);
void np_draw(struct tui *t, const struct lay_rect *r);

/* note_scroll.c: rows of the note pane, wrapped or scrolled sideways */
int np_rows(const struct tui *t);
int np_gutter(const struct tui *t);	/* line numbers and the mark */
int np_text_cols(const struct tui *t);
char *np_line_text(const struct tui *t, int line);	/* printable */
/* The rows (byte ranges of p) that line text p takes on screen. */
void np_wrap_text(const struct tui *t, const char *p, struct lay_lines *out);
void np_show_line(struct tui *t, int line, int end_line);
/* Bring f's lines, and the words it quotes, into view. */
void np_show_finding(struct tui *t, const struct finding *f);
void np_scroll(struct tui *t, int delta);	/* by screen rows */
void np_scroll_to_end(struct tui *t, bool end);
void np_hscroll(struct tui *t, int dir);

/* panes */
void fp_draw(struct tui *t, const struct lay_rect *r);
int fp_rows(const struct tui *t);
/* Fill t->row_text for the rows of t->view, each one distinct. */
void fp_label_rows(struct tui *t);
void fp_free_rows(struct tui *t);
void dp_draw(struct tui *t, const struct lay_rect *r);
void sb_draw(struct tui *t);
void sb_draw_keys(struct tui *t);
void help_draw(struct tui *t);

/* keymap.c */
enum tui_action km_lookup(int code, bool fn);
const char *km_help(enum tui_action a);
/* Key names of an action joined by " ", e.g. "Up k". */
void km_keys(enum tui_action a, struct buf *out);
/* The short hints for the keys line: "Enter edit", "r review", ... */
size_t km_hints(const char *const **keys, const char *const **words);

/* actions.c */
void act_run(struct tui *t, enum tui_action a);
void act_key(struct tui *t, int code, bool fn);

/* search.c */
void search_begin(struct tui *t);
void search_key(struct tui *t, int code, bool fn);
void search_next(struct tui *t, int dir);
/* Byte range of the search match in a printable line, or false. */
bool search_in_line(const struct tui *t, const char *s, size_t len,
    size_t *off, size_t *mlen);

/* launch.c */
void launch_editor(struct tui *t, int line);

/* input.c: editing a prompt line */
enum input_result { INPUT_EDITED, INPUT_SUBMIT, INPUT_CANCEL };
/* Apply one key to in (at most max bytes). */
enum input_result input_key(struct buf *in, int code, bool fn, size_t max);

/* conv.c: conversations with the tutor, shown under their finding */
struct tui_conv;
struct conv_line {
	char *text;
	unsigned char *role;	/* enum tui_role of each byte */
	size_t len;
	int indent;
};
struct conv_lines {
	struct conv_line *v;
	size_t n, cap;
	size_t last_turn;	/* first row of the newest question */
};
void conv_begin(struct tui *t);		/* `a`: open the prompt */
void conv_key(struct tui *t, int code, bool fn);	/* MODE_ASK */
void conv_pump(struct tui *t);		/* take what the answer brought */
bool conv_escape(struct tui *t);	/* cancel, else close; false: neither */
bool conv_streaming(const struct tui *t);
bool conv_is_open(const struct tui *t, const struct finding *f);
/* The conversation's rows under finding f, for cols columns. */
void conv_layout(const struct tui *t, const struct finding *f, int cols,
    struct conv_lines *out);
void conv_lines_free(struct conv_lines *l);
void conv_draw_line(const struct conv_line *l, int y, int x, int cols);
void conv_free_all(struct tui *t);

/* ask_job.c: one question on its own thread */
struct prompt;
struct tui_ask_job;
/* Start answering p (taken over); NULL with err on failure. */
struct tui_ask_job *askjob_start(const struct tui_opts *o, struct prompt *p,
    char *err, size_t errlen);
/* Append the answer text that came to answer, the newest notice to
 * *notice; returns true once the answer is complete or failed. */
bool askjob_poll(struct tui_ask_job *j, struct buf *answer, char **notice);
void askjob_cancel(struct tui_ask_job *j);
/* Join the thread; RN_OK or the failure (message in err). */
int askjob_finish(struct tui_ask_job *j, char *err, size_t errlen);

/* since.c: the last stored review as the base; record each review */
void since_open(struct tui *t);
void since_record(struct tui *t, const struct note *n, int rc,
    const struct review *r);
void since_close(struct tui *t);

/* watch.c: the note file changing under the screen */
int watch_open(const char *note_path);	/* an fd to poll, or -1 */
void watch_close(int fd);
void watch_drain(int fd);
void watch_stamp(const char *path, struct watch_stamp *s);
bool watch_changed(const char *path, const struct watch_stamp *was);

#endif
