/*
 * tui.h - the full-screen review view (ncurses).
 *
 * The note on one side, the findings beside it, a detail area and a status
 * line.  Reviews run on a worker thread and reach the screen as events, so
 * keys are answered while a stream arrives; idle, the loop sleeps in poll().
 * Source files: src/tui/ (one per pane, plus the loop, keymap and editor;
 * pathview.c is the learning-path view).
 */
#ifndef RUSTNOTE_TUI_H
#define RUSTNOTE_TUI_H

#include <stddef.h>

#include "rustnote/err.h"

struct config;
struct overview;
struct llm_client;
struct rule_set;

struct tui_opts {
	const char *note_path;
	const char *overview_path;	/* resolved by the caller */
	const struct config *cfg;
	const struct rule_set *rules;	/* may be NULL */
	const struct overview *ovw;	/* the caller's, or NULL: load
					   overview_path */
	const char *section;	/* "section 2 of path.md: Title" for the
				   status bar, or NULL */
	const struct llm_client *llm;	/* answers the prompt (review.h) */
	/* Set when another view (the learning path) holds the terminal:
	 * it stays set up, and a quit signal is stored here, not raised. */
	int *nested_signal;
};

/* Run until the user quits.  Returns RN_OK, or RN_EINPUT/RN_EFAIL. */
enum rn_status tui_run(const struct tui_opts *o, char *err, size_t errlen);

/*
 * The learning-path view: the notes of dir in curriculum order with their
 * last reviews (pathstatus.h).  Enter opens the review screen for a note
 * and q there comes back; r reviews the selected note offline in place;
 * / searches; q quits.  rules must be set (the offline checks).
 */
struct tui_path_opts {
	const char *dir;
	const struct config *cfg;
	const struct rule_set *rules;
	const struct llm_client *llm;	/* for the review screen */
};
int tui_path_run(const struct tui_path_opts *o, char *err, size_t errlen);

#endif
