/*
 * main.c - the entry point: the table of commands, libcurl set up once,
 * the command's result returned as the exit code (see README).  Options
 * are parsed in src/cli/args.c; each command is a file in src/cli/.
 */
#include <stdio.h>

#include "rustnote/cancel.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"

#include "cli/cli.h"

const struct cli_command *const cli_commands[] = {
	&cli_review,
	&cli_prompt,
	&cli_ask,
	&cli_config,
	&cli_history,
	&cli_models,
	&cli_status,
	NULL
};

int
main(int argc, char **argv)
{
	struct cli c;
	int rc;

	rc = cli_parse(argc, argv, &c);
	if (rc != RN_OK)
		return rc < 0 ? 0 : rc;
	if (llm_global_init() != 0) {
		fputs("rustnote: cannot initialise libcurl\n", stderr);
		return RN_EFAIL;
	}
	/* Ctrl-C and SIGTERM stop long work at the next check, which
	   unwinds with RN_ECANCEL: exit 130, the terminal as it was. */
	cancel_catch_signals();
	rc = c.cmd->run(&c);
	llm_global_cleanup();
	return rc == RN_ECANCEL ? CLI_EXIT_INTERRUPTED : rc;
}
