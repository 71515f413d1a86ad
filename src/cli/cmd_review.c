/*
 * cmd_review.c - "rustnote review NOTE.md": the findings, full screen on
 * a terminal, else as a bullet list, JSON or JSON lines on stdout.
 */
#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/config.h"
#include "rustnote/dismiss.h"
#include "rustnote/err.h"
#include "rustnote/history.h"
#include "rustnote/pathstatus.h"
#include "rustnote/llm.h"
#include "rustnote/offline.h"
#include "rustnote/output.h"
#include "rustnote/review.h"
#include "rustnote/rustc.h"
#include "rustnote/tui.h"

#include "cli.h"

/* Where the review goes, and which findings are left out. */
struct to_stdout {
	FILE *fp;
	struct dis_set *dismissed;
	bool all;
};

/* A finding as it arrives: dismissed ones only with --all, marked. */
static void
jsonl_finding(void *ud, const struct finding *f)
{
	const struct to_stdout *x = ud;
	struct finding shown = *f;	/* shares f's texts for the call */

	shown.dismissed = dis_has(x->dismissed, f);
	if (!shown.dismissed || x->all)
		out_jsonl_finding(x->fp, &shown);
}

/*
 * How often a long wait is told: at 1 s, then every 10 s, so a log of a
 * slow model stays short.
 */
static long
wait_step(double waiting)
{
	if (waiting < 10)
		return waiting >= 1 ? 1 : 0;
	return (long)(waiting / 10) * 10;
}

/* Retry notices and the like go to stderr, once each; so does the wait. */
static void
print_notice(void *ud, const struct llm_progress *p)
{
	static char last[RN_ERRLEN];
	static long last_step;
	static bool told_thinking;
	char status[64];

	(void)ud;
	if (p->notice != NULL && strcmp(p->notice, last) != 0) {
		snprintf(last, sizeof(last), "%s", p->notice);
		cli_error(p->notice);
	}
	if (llm_progress_status(p, status, sizeof(status)) == NULL)
		return;
	if (p->thinking ? told_thinking : wait_step(p->waiting) == last_step)
		return;
	if (p->thinking)
		told_thinking = true;
	else
		last_step = wait_step(p->waiting);
	cli_error(status);
}

/* A review never fails because of the history: at most one warning. */
static void
record_history(const struct cli *c, const struct cli_inputs *in,
    const struct review *r)
{
	char *section = ps_section_of_choice(&in->choice);
	struct hist *h = cli_history_open(false);

	cli_history_record(&h, c->note, in->note, section, r);
	hist_close(h);
	free(section);
}

/*
 * The findings, then what went wrong if the LLM part failed: the offline
 * findings are still worth having, and the exit code still says it.
 */
static void
print_review(const struct cli *c, const struct cli_inputs *in,
    const struct review *r, int rc, const char *err)
{
	bool failed = rc != RN_OK;

	if (c->mode == CLI_OUT_JSON && failed)
		out_json_failed(stdout, c->note, in->ovw_path, r, err, rc);
	else if (c->mode == CLI_OUT_JSON)
		out_json(stdout, c->note, in->ovw_path, r);
	else if (c->mode == CLI_OUT_JSONL && failed)
		out_jsonl_error(stdout, err, rc);
	else if (c->mode == CLI_OUT_JSONL)
		out_jsonl_done(stdout, r);
	else
		out_plain(stdout, c->note, r);
	if (failed)
		cli_error(err);
}

static int
review_to_stdout(const struct cli *c, const struct config *cfg,
    const struct cli_inputs *in, const struct rule_set *rules)
{
	/* Ctrl-C reaches the review through cancel_requested(). */
	struct review_events ev = { NULL, print_notice, NULL, NULL };
	char err[RN_ERRLEN], *path = dis_path(c->note);
	struct to_stdout x = { stdout, dis_load(path), c->all };
	struct review r;
	int rc;

	if (c->mode == CLI_OUT_JSONL) {
		ev.on_finding = jsonl_finding;
		ev.ud = &x;
	}
	review_init(&r);
	rc = review_run(cfg, &llm_curl, in->note, in->ovw, rules, &ev, &r,
	    err, sizeof(err));
	dis_mark(x.dismissed, &r.findings);
	if (rc == RN_OK)
		record_history(c, in, &r);
	if (!c->all)
		dis_drop(&r.findings);
	if (rc == RN_ECANCEL)
		cli_error("interrupted");
	else
		print_review(c, in, &r, rc, err);
	review_free(&r);
	dis_free(x.dismissed);
	free(path);
	return rc == RN_ECANCEL ? CLI_EXIT_INTERRUPTED : rc;
}

/* LLM findings only: the rules would never be used. */
static int
load_rules(const struct config *cfg, struct rule_set **rules)
{
	char err[RN_ERRLEN];
	int rc;

	if (cfg->backend == CFG_LLM && !cfg->with_offline)
		return RN_OK;
	rc = rules_load_default(rules, err, sizeof(err));
	if (rc != RN_OK)
		cli_error(err);
	return rc;
}

static int
review_show(struct cli *c, const struct config *cfg,
    const struct cli_inputs *in, const struct rule_set *rules)
{
	struct tui_opts to = { c->note, in->ovw_path, cfg, rules, in->ovw,
	    in->section, &llm_curl, NULL };
	char err[RN_ERRLEN];
	int rc;

	if (c->mode == CLI_OUT_AUTO)
		c->mode = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) ?
		    CLI_OUT_TUI : CLI_OUT_PLAIN;
	if (cfg->auto_offline && c->mode != CLI_OUT_TUI)
		cli_error("no LLM configured; offline checks only (set "
		    "OPENAI_API_KEY or ANTHROPIC_API_KEY, or use --provider "
		    "ollama)");
	if (c->mode != CLI_OUT_TUI)
		return review_to_stdout(c, cfg, in, rules);
	rc = tui_run(&to, err, sizeof(err));
	if (rc != RN_OK)
		cli_error(err);
	return rc;
}

static int
review_cmd_run(struct cli *c)
{
	char err[RN_ERRLEN];
	struct rule_set *rules = NULL;
	struct cli_inputs in;
	struct config cfg;
	int rc;

	bool batch = cli_review_is_batch(c);

	memset(&cfg, 0, sizeof(cfg));
	memset(&in, 0, sizeof(in));
	if (!batch && (rc = cli_load_inputs(c, &in)) != RN_OK)
		goto out;
	if ((rc = cli_resolve_config(c, &cfg)) != RN_OK)
		goto out;
	if (cfg.backend != CFG_LLM && !cfg.with_offline) {
		rc = cli_usage_error("--no-offline leaves nothing to review "
		    "without an LLM (set ANTHROPIC_API_KEY or OPENAI_API_KEY, or "
		    "-p ollama)");
		goto out;
	}
	if ((rc = cli_choose_model(&cfg, err, sizeof(err))) != RN_OK) {
		cli_error(err);
		goto out;
	}
	if ((rc = load_rules(&cfg, &rules)) != RN_OK)
		goto out;
	if (cfg.compile)
		cfg.compiler = rustc_compiler_new(cfg.rustc);
	rc = batch ? cli_review_batch(c, &cfg, rules) :
	    review_show(c, &cfg, &in, rules);
out:
	if (cfg.compiler != NULL)
		cfg.compiler->destroy(cfg.compiler);
	rules_free(rules);
	config_free(&cfg);
	cli_inputs_free(&in);
	return rc;
}

const struct cli_command cli_review = {
	.name = "review",
	.operands = "NOTE.md...",
	.help = "show the findings (full screen on a terminal)",
	.min_args = 1,
	.max_args = INT_MAX,
	.run = review_cmd_run,
};
