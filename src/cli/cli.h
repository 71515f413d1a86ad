/*
 * cli.h - what the command-line files share.
 *
 * main.c holds the table of commands; each command is one file here
 * (cmd_review.c, cmd_prompt.c, ...) exporting one struct cli_command.
 * args.c parses the options every command accepts and prints the usage
 * built from the table.  Adding a command is one file and one table row.
 */
#ifndef RUSTNOTE_CLI_H
#define RUSTNOTE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/overview.h"

#define CLI_EXIT_INTERRUPTED 130

struct finding;
struct hist;
struct note;
struct overview;
struct review;
struct rule_set;

enum cli_out { CLI_OUT_AUTO, CLI_OUT_TUI, CLI_OUT_PLAIN, CLI_OUT_JSON,
	CLI_OUT_JSONL };

/* The parsed command line. */
struct cli {
	const struct cli_command *cmd;
	char **args;		/* the operands after the options */
	int nargs;
	const char *note;	/* args[0], or NULL */
	const char *overview;	/* --overview FILE */
	enum cli_out mode;
	bool forget;		/* history --forget */
	bool all;		/* --all: dismissed findings too */
	struct config_flags flags;
};

struct cli_command {
	const char *name;	/* "review" */
	const char *operands;	/* "NOTE.md", shown in the usage */
	const char *help;	/* one line for --help */
	int min_args, max_args;	/* operands accepted */
	/* Returns the exit code; prints its own messages. */
	int (*run)(struct cli *c);
};

/* The commands, in the order --help lists them (main.c), NULL-ended. */
extern const struct cli_command *const cli_commands[];

extern const struct cli_command cli_review;
extern const struct cli_command cli_prompt;
extern const struct cli_command cli_ask;
extern const struct cli_command cli_config;
extern const struct cli_command cli_history;
extern const struct cli_command cli_models;

/*
 * No model set for a server of the learner's own (a base URL, or
 * Ollama): take the server's only model, or fail with RN_EUSAGE naming
 * what it offers.  Anything else leaves cfg as it is.
 */
enum rn_status cli_choose_model(struct config *cfg, char *err, size_t errlen);
extern const struct cli_command cli_status;

/*
 * Parse argv into c.  Returns RN_OK, RN_EUSAGE (message printed), or -1
 * when --help or --version was answered.
 */
int cli_parse(int argc, char **argv, struct cli *c);
/* "rustnote: MESSAGE" and the usage line on stderr; returns RN_EUSAGE. */
int cli_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* "rustnote: MESSAGE" on stderr. */
void cli_error(const char *msg);

/* config_resolve() for c's flags; warnings and errors printed. */
int cli_resolve_config(struct cli *c, struct config *cfg);

/* Ctrl-C and SIGTERM set a flag (interrupt.c); long work polls it. */
void cli_catch_interrupts(void);
bool cli_interrupted(void);

/*
 * Load c->note and its overview: the file found, loaded as a learning
 * path and the note's section chosen (ovw_choose()).  On failure the
 * message is printed and the status returned.  Free with
 * cli_inputs_free().
 */
struct cli_inputs {
	struct note *note;
	const struct overview *ovw;	/* the chosen section's */
	const char *ovw_path;		/* the file, without "#REF" */
	char *section;		/* "section 2 of path.md: Title", or NULL
				   for a file that is one overview */
	struct ovw_choice choice;	/* owns ovw and ovw_path */
};
int cli_load_inputs(const struct cli *c, struct cli_inputs *in);
void cli_inputs_free(struct cli_inputs *in);

/* review of several notes or folders (review_batch.c) */
bool cli_review_is_batch(const struct cli *c);
int cli_review_batch(struct cli *c, const struct config *cfg,
    const struct rule_set *rules);

/*
 * The history database (hist_cli.c), or NULL after one warning on stderr
 * (none when quiet): the command goes on without history.
 */
struct hist *cli_history_open(bool quiet);
/* Keep a question to the tutor and its answer (one warning on failure). */
void cli_history_question(const char *note_path, int line,
    const struct finding *f, const char *question, const char *answer,
    const struct config *cfg);
/* Record review r of note n against a learning-path section (NULL: none);
 * on failure warn, close *h and set it NULL. */
int cli_history_record(struct hist **h, const char *note_path,
    const struct note *n, const char *section, const struct review *r);

#endif
