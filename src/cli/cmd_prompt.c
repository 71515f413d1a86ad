/*
 * cmd_prompt.c - "rustnote prompt NOTE.md": print the prompt the reviewer
 * is given, system part and user part.
 */
#include <stdio.h>

#include "rustnote/err.h"
#include "rustnote/prompt.h"

#include "cli.h"

static int
prompt_run(struct cli *c)
{
	char err[RN_ERRLEN];
	struct cli_inputs in;
	struct prompt p;
	int rc;

	if ((rc = cli_load_inputs(c, &in)) != RN_OK)
		goto out;
	rc = prompt_build(in.note, in.ovw, &p, err, sizeof(err));
	if (rc != RN_OK) {
		cli_error(err);
		rc = RN_EFAIL;
		goto out;
	}
	printf("=== system ===\n%s\n=== user ===\n%s", p.system, p.user);
	prompt_free(&p);
out:
	cli_inputs_free(&in);
	return rc;
}

const struct cli_command cli_prompt = {
	.name = "prompt",
	.operands = "NOTE.md",
	.help = "print the prompt the reviewer is given",
	.min_args = 1,
	.max_args = 1,
	.run = prompt_run,
};
