/*
 * cmd_prompt.c - "rustnote prompt NOTE.md": print the prompt the reviewer
 * is given, system part and user part, after the section of the learning
 * path it was chosen for.
 */
#include <stdio.h>

#include "rustnote/err.h"
#include "rustnote/prompt.h"

#include "cli.h"

/* How the section was chosen, by enum ovw_how. */
static const char *const how_chosen[] = {
	[OVW_BY_FLAG] = "chosen by --overview",
	[OVW_BY_FRONT_MATTER] = "chosen by the front matter",
	[OVW_BY_FILE_NAME] = "chosen by the note's file name",
	[OVW_BY_HEADING] = "chosen by the note's first heading",
	[OVW_ONLY] = "the only overview",
};

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
	if (in.section != NULL)
		printf("=== section ===\n%s (%s)\n", in.section,
		    how_chosen[in.choice.how]);
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
