/*
 * rustdiag.h - rustc's verdict on one block, read from its JSON
 * diagnostics (--error-format=json: one object per line with message,
 * code.code, level, spans[] with is_primary, line_start, label and
 * expansion, and children[] of level "help").  Warnings are dropped; so
 * are the closing "aborting due to" and "For more information" lines.
 * A verdict also goes to and from the small JSON kept in the cache.
 */
#ifndef RUSTNOTE_RUSTDIAG_H
#define RUSTNOTE_RUSTDIAG_H

#include <stdbool.h>
#include <stddef.h>

#define RDIAG_MAX_ERRORS 8	/* kept per block: later ones mostly follow */
#define RDIAG_MAX_TEXT 1000	/* bytes per message, label or help */

enum rdiag_status {
	RD_COMPILES,
	RD_FAILS,
	RD_UNKNOWN	/* rustc failed without saying why (or crashed) */
};

struct rdiag_error {
	char *code;		/* "E0382", or "" */
	char *message;		/* "borrow of moved value: `v`" */
	char *label;		/* the primary span's label, or "" */
	char *help;		/* the first help, with its replacement, or "" */
	int line;		/* primary span's line in the compiled file, 0 */
};

struct rdiag_verdict {
	enum rdiag_status status;
	struct rdiag_error *errors;
	size_t nerrors;
};

/*
 * Read rustc's output (JSON lines; others ignored) for the file named
 * file_name; exit_code is rustc's (0: compiled).  Never fails: unreadable
 * output with a failing exit code gives RD_UNKNOWN.
 */
void rdiag_parse(const char *output, size_t len, const char *file_name,
    int exit_code, struct rdiag_verdict *out);
void rdiag_free(struct rdiag_verdict *v);

/* The verdict as cache JSON (caller frees), and back (false: unusable). */
char *rdiag_to_json(const struct rdiag_verdict *v);
bool rdiag_from_json(const char *text, struct rdiag_verdict *out);

#endif
