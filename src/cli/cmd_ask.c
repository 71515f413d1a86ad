/*
 * cmd_ask.c - "rustnote ask NOTE.md LINE QUESTION...": ask the tutor about
 * the finding(s) at a line of the note, or about the line itself.
 *
 * The answer is printed as it streams, a line at a time, each line through
 * the sanitiser; --json prints it whole with the token counts.  Without an
 * LLM the offline findings at the line are explained instead (exit 0).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/ask.h"
#include "rustnote/buf.h"
#include "rustnote/completion.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/output.h"
#include "rustnote/prompt.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#include "cli.h"

/* What the streamed answer needs while it arrives. */
struct answer_out {
	struct buf pending;	/* text after the last complete line */
	bool print;		/* stream to stdout (not --json) */
};

/* One line of the answer, cleaned; its indentation is kept (code). */
static void
print_line(const char *s, size_t len)
{
	size_t lead = 0;
	char *clean;

	while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
		lead++;
	clean = san_text(s + lead, len - lead, 0, 0);
	if (clean[0] != '\0')
		printf("%*s", (int)(lead > 40 ? 40 : lead), "");
	printf("%s\n", clean);
	fflush(stdout);
	free(clean);
}

static void
answer_text(void *ud, const char *delta, size_t len)
{
	struct answer_out *a = ud;
	const char *nl;
	size_t used = 0;

	if (!a->print)
		return;
	buf_add(&a->pending, delta, len);
	while ((nl = memchr(a->pending.data + used, '\n',
	    a->pending.len - used)) != NULL) {
		print_line(a->pending.data + used,
		    (size_t)(nl - (a->pending.data + used)));
		used = (size_t)(nl - a->pending.data) + 1;
	}
	buf_consume(&a->pending, used);
}

static void
answer_progress(void *ud, const struct llm_progress *p)
{
	static char last[RN_ERRLEN];

	(void)ud;
	if (p->notice == NULL || strcmp(p->notice, last) == 0)
		return;
	snprintf(last, sizeof(last), "%s", p->notice);
	cli_error(p->notice);
}

static bool
answer_cancelled(void *ud)
{
	(void)ud;
	return cli_interrupted();
}

/* The words after LINE, joined by spaces. */
static char *
question_of(const struct cli *c)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	for (i = 2; i < c->nargs; i++)
		buf_printf(&b, "%s%s", i > 2 ? " " : "", c->args[i]);
	return buf_steal(&b);
}

static int
parse_line(const struct cli *c, const struct note *n, int *line)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(c->args[1], &end, 10);
	if (c->args[1][0] == '\0' || *end != '\0' || errno == ERANGE ||
	    v < 0 || v > INT_MAX)
		return cli_usage_error("ask: LINE must be a line number of "
		    "the note, not '%s'", c->args[1]);
	if (v > n->nlines)
		return cli_usage_error("ask: line %ld is past the end of %s "
		    "(%d lines)", v, c->note, n->nlines);
	*line = (int)v;
	return RN_OK;
}

static int
answer_offline(const struct cli *c, const struct cli_inputs *in,
    const struct ask_subject *s, const struct rule_set *rules)
{
	char *text = ask_offline_answer(in->note, s, rules);

	if (c->mode == CLI_OUT_JSON) {
		out_json_answer(stdout, text, -1, -1);
	} else {
		san_fputs(text, SAN_NEWLINE | SAN_TAB, stdout);
		fputs("\n\nFor an answer from a tutor, set ANTHROPIC_API_KEY or "
		    "OPENAI_API_KEY, or use --provider ollama (see README).\n",
		    stdout);
	}
	free(text);
	return RN_OK;
}

static int
answer_llm(const struct cli *c, const struct config *cfg,
    const struct cli_inputs *in, const struct ask_subject *s,
    const char *question)
{
	struct answer_out a = { .print = c->mode != CLI_OUT_JSON };
	struct llm_callbacks cb = { answer_text, answer_progress,
	    answer_cancelled, &a };
	struct ask_thread none;
	struct llm_reply reply;
	struct prompt p;
	char err[RN_ERRLEN], warn[RN_ERRLEN];
	int rc;

	ask_thread_init(&none);
	llm_reply_init(&reply);
	buf_init(&a.pending, 0);
	rc = ask_prompt(in->note, in->ovw, s, &none, question, &p, err,
	    sizeof(err));
	if (rc != RN_OK) {
		cli_error(err);
		goto out;
	}
	rc = completion_run(cfg, &llm_curl, &(struct llm_request){ p.system,
	    p.user }, NULL, &cb, &reply, warn, sizeof(warn), err, sizeof(err));
	if (warn[0] != '\0')
		cli_error(warn);
	prompt_free(&p);
	if (rc == RN_OK && a.print && !cfg->stream)
		answer_text(&a, buf_str(&reply.text), reply.text.len);
	if (a.print && a.pending.len > 0)
		print_line(a.pending.data, a.pending.len);
	if (rc == RN_ECANCEL) {
		cli_error("interrupted");
		rc = CLI_EXIT_INTERRUPTED;
	} else if (rc != RN_OK) {
		cli_error(err);
	} else {
		cli_history_question(c->note, s->line, s->nfindings > 0 ?
		    s->findings[0] : NULL, question, buf_str(&reply.text), cfg);
	}
	if (rc == RN_OK && !a.print) {
		out_json_answer(stdout, buf_str(&reply.text),
		    reply.input_tokens, reply.output_tokens);
	}
out:
	buf_free(&a.pending);
	llm_reply_free(&reply);
	ask_thread_free(&none);
	return rc;
}

static int
ask_run(struct cli *c)
{
	struct rule_set *rules = NULL;
	struct finding_list found;
	struct ask_subject s = { 0 };
	struct cli_inputs in = { 0 };
	struct config cfg = { 0 };
	char *question = NULL;
	char err[RN_ERRLEN];
	int line = 0, rc;

	flist_init(&found);
	if (c->nargs < 3) {
		rc = cli_usage_error("ask: missing the %s", c->nargs < 2 ?
		    "line number and the question" : "question");
		goto out;
	}
	if ((rc = cli_load_inputs(c, &in)) != RN_OK)
		goto out;
	if ((rc = parse_line(c, in.note, &line)) != RN_OK)
		goto out;
	if ((rc = cli_resolve_config(c, &cfg)) != RN_OK)
		goto out;
	if ((rc = rules_load_default(&rules, err, sizeof(err))) != RN_OK) {
		cli_error(err);
		goto out;
	}
	offline_review(in.note, in.ovw, rules, &found);
	ask_subject_at(&found, line, &s);
	question = question_of(c);
	cli_catch_interrupts();
	if (cfg.backend == CFG_OFFLINE)
		rc = answer_offline(c, &in, &s, rules);
	else
		rc = answer_llm(c, &cfg, &in, &s, question);
out:
	free(question);
	ask_subject_free(&s);
	flist_free(&found);
	rules_free(rules);
	config_free(&cfg);
	cli_inputs_free(&in);
	return rc;
}

const struct cli_command cli_ask = {
	.name = "ask",
	.operands = "NOTE.md LINE QUESTION...",
	.help = "ask the tutor about the finding at LINE",
	.min_args = 1,
	.max_args = 1000,
	.run = ask_run,
};
