/*
 * cmd_prompt.c - "rustnote prompt NOTE.md": print the prompt the reviewer
 * is given, system part and user part, after the section of the learning
 * path it was chosen for, with rustc's verdicts on the note's code blocks
 * as a review would give them (--json: {"system", "user"}).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/codecheck.h"
#include "rustnote/compiler.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/output.h"
#include "rustnote/prompt.h"
#include "rustnote/rustc.h"

#include "cli.h"

/* How the section was chosen, by enum ovw_how. */
static const char *const how_chosen[] = {
	[OVW_BY_FLAG] = "chosen by --overview",
	[OVW_BY_FRONT_MATTER] = "chosen by the front matter",
	[OVW_BY_FILE_NAME] = "chosen by the note's file name",
	[OVW_BY_HEADING] = "chosen by the note's first heading",
	[OVW_ONLY] = "the only overview",
};

/* The verdicts for {{rustc}}, or NULL; warnings go to stderr. */
static char *
verdicts(const struct cli *c, const struct cli_inputs *in)
{
	char err[RN_ERRLEN], warn[RN_ERRLEN], *v = NULL;
	struct ccheck_result res;
	struct ccheck_opts o;
	struct compiler *cc;
	struct config cfg;
	size_t i;

	/* Only the settings matter here: no provider needs to be usable. */
	if (config_load(&c->flags, &cfg, warn, sizeof(warn), err,
	    sizeof(err)) != RN_OK) {
		cli_error(err);
		config_free(&cfg);
		return NULL;
	}
	if (!cfg.compile) {
		config_free(&cfg);
		return NULL;
	}
	cc = rustc_compiler_new(cfg.rustc);
	ccheck_opts_from(&cfg, &o);
	ccheck_result_init(&res);
	ccheck_run(cc, in->note, &o, NULL, NULL, &res);
	for (i = 0; i < res.nwarnings; i++)
		cli_error(res.warnings[i]);
	v = res.verdicts;
	res.verdicts = NULL;
	ccheck_result_free(&res);
	cc->destroy(cc);
	config_free(&cfg);
	return v;
}

static int
prompt_run(struct cli *c)
{
	char err[RN_ERRLEN], *v = NULL;
	struct cli_inputs in;
	struct prompt p;
	int rc;

	if ((rc = cli_load_inputs(c, &in)) != RN_OK)
		goto out;
	v = verdicts(c, &in);
	rc = prompt_build_with(in.note, in.ovw, v, &p, err, sizeof(err));
	if (rc != RN_OK) {
		cli_error(err);
		rc = RN_EFAIL;
		goto out;
	}
	if (c->mode == CLI_OUT_JSON)
		out_json_prompt(stdout, p.system, p.user);
	else {
		if (in.section != NULL)
			printf("=== section ===\n%s (%s)\n", in.section,
			    how_chosen[in.choice.how]);
		printf("=== system ===\n%s\n=== user ===\n%s", p.system,
		    p.user);
	}
	prompt_free(&p);
out:
	free(v);
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
