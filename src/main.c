/*
 * main.c - the command line: parse arguments, wire the modules, map the
 * result to an exit code.  Everything else lives in the modules.
 */
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/output.h"
#include "rustnote/overview.h"
#include "rustnote/prompt.h"
#include "rustnote/review.h"
#include "rustnote/sanitize.h"
#include "rustnote/tui.h"
#include "rustnote/util.h"

#ifndef RN_VERSION
#define RN_VERSION "0"
#endif

#define EXIT_INTERRUPTED 130

enum out_mode { OUT_AUTO, OUT_TUI, OUT_PLAIN, OUT_JSON, OUT_JSONL };

struct cli {
	const char *command;
	const char *note;
	const char *overview;
	enum out_mode mode;
	struct config_flags flags;
};

static volatile sig_atomic_t interrupted;

static const char usage_line[] =
    "usage: rustnote review|prompt [options] NOTE.md";

static void
usage(FILE *fp)
{
	fprintf(fp, "%s\n\n", usage_line);
	fputs(
"Review a Rust learning note against its topic overview.\n"
"\n"
"Commands:\n"
"  review NOTE.md     show the findings (full screen on a terminal)\n"
"  prompt NOTE.md     print the prompt the reviewer is given\n"
"\n"
"Options:\n"
"  -o, --overview FILE     the overview (default: front matter 'overview:',\n"
"                          NOTE.overview.md, or overview.md beside the note)\n"
"  -p, --provider NAME     openai, anthropic, ollama or offline\n"
"  -m, --model NAME        model name\n"
"  -u, --base-url URL      API base URL (OpenAI-compatible servers, proxies)\n"
"      --offline           only the offline checks; no request is made\n"
"      --plain             bullet list (default when stdout is no terminal)\n"
"      --json              one JSON document\n"
"      --jsonl             one JSON line per finding as it arrives\n"
"      --no-stream         wait for the whole reply\n"
"      --no-cache          ask again even if the note is unchanged\n"
"      --no-offline        LLM findings only\n"
"      --stall-timeout SEC give up when no data arrives for SEC seconds\n"
"      --config FILE       config file (default ~/.config/rustnote/config)\n"
"  -h, --help              this help\n"
"  -V, --version           version\n"
"\n"
"Exit codes: 0 done, 2 usage, 3 note or overview unusable,\n"
"4 provider or network error, 5 reply unusable, 130 interrupted.\n", fp);
}

/* One message on stderr; it may quote a server or a file name, so it
 * passes the sanitiser. */
static void
say(const char *msg)
{
	fputs("rustnote: ", stderr);
	san_fputs(msg, 0, stderr);
	fputc('\n', stderr);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("rustnote: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n", usage_line);
	return RN_EUSAGE;
}

enum {
	OPT_OFFLINE = 256, OPT_PLAIN, OPT_JSON, OPT_JSONL, OPT_NO_STREAM,
	OPT_NO_CACHE, OPT_NO_OFFLINE, OPT_STALL, OPT_CONFIG
};

static const struct option long_opts[] = {
	{ "overview", required_argument, NULL, 'o' },
	{ "provider", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "base-url", required_argument, NULL, 'u' },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "plain", no_argument, NULL, OPT_PLAIN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "jsonl", no_argument, NULL, OPT_JSONL },
	{ "no-stream", no_argument, NULL, OPT_NO_STREAM },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "no-offline", no_argument, NULL, OPT_NO_OFFLINE },
	{ "stall-timeout", required_argument, NULL, OPT_STALL },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* Apply one option; returns -1 to stop with RN_EUSAGE, 1 for help/version. */
static int
apply_option(struct cli *c, int opt, const char *arg)
{
	char *end;

	switch (opt) {
	case 'o': c->overview = arg; break;
	case 'p': c->flags.provider = arg; break;
	case 'm': c->flags.model = arg; break;
	case 'u': c->flags.base_url = arg; break;
	case OPT_OFFLINE: c->flags.offline = true; break;
	case OPT_PLAIN: c->mode = OUT_PLAIN; break;
	case OPT_JSON: c->mode = OUT_JSON; break;
	case OPT_JSONL: c->mode = OUT_JSONL; break;
	case OPT_NO_STREAM: c->flags.no_stream = true; break;
	case OPT_NO_CACHE: c->flags.no_cache = true; break;
	case OPT_NO_OFFLINE: c->flags.no_offline = true; break;
	case OPT_CONFIG: c->flags.config_file = arg; break;
	case OPT_STALL:
		c->flags.stall_timeout = strtol(arg, &end, 10);
		if (*end != '\0' || c->flags.stall_timeout <= 0)
			return usage_error("--stall-timeout: '%s' is not a "
			    "number of seconds", arg), -1;
		break;
	case 'h': usage(stdout); return 1;
	case 'V': printf("rustnote %s\n", RN_VERSION); return 1;
	default: return -1;
	}
	return 0;
}

/* Returns RN_OK, RN_EUSAGE, or -1 when --help/--version was answered. */
static int
parse_args(int argc, char **argv, struct cli *c)
{
	int opt, r;

	memset(c, 0, sizeof(*c));
	c->flags.stall_timeout = -1;
	if (argc >= 2 && argv[1][0] != '-') {
		c->command = argv[1];
		argv++;
		argc--;
	}
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:p:m:u:hV", long_opts,
	    NULL)) != -1) {
		if (opt == '?')
			return usage_error("unknown option '%s'",
			    argv[optind - 1]);
		if (opt == ':')
			return usage_error("option '%s' needs a value",
			    argv[optind - 1]);
		r = apply_option(c, opt, optarg);
		if (r != 0)
			return r > 0 ? -1 : RN_EUSAGE;
	}
	if (c->command == NULL)
		return usage_error("%s", "missing command (review or prompt)");
	if (strcmp(c->command, "review") != 0 &&
	    strcmp(c->command, "prompt") != 0)
		return usage_error("unknown command '%s'", c->command);
	if (optind >= argc)
		return usage_error("%s", "missing NOTE.md");
	if (optind + 1 < argc)
		return usage_error("unexpected argument '%s'", argv[optind + 1]);
	c->note = argv[optind];
	return RN_OK;
}

/* Load the note and its overview; messages already printed on failure. */
static int
load_inputs(const struct cli *c, struct note **n, struct overview **o,
    char **ovw_path)
{
	char err[RN_ERRLEN];
	int rc;

	rc = note_load(c->note, n, err, sizeof(err));
	if (rc == RN_OK)
		rc = ovw_locate(c->note, c->overview, (*n)->fm_overview,
		    ovw_path, err, sizeof(err));
	if (rc == RN_OK)
		rc = ovw_load(*ovw_path, o, err, sizeof(err));
	if (rc != RN_OK)
		say(err);
	return rc;
}

static int
cmd_prompt(const struct note *n, const struct overview *o)
{
	char err[RN_ERRLEN];
	struct prompt p;

	if (prompt_build(n, o, &p, err, sizeof(err)) != RN_OK) {
		say(err);
		return RN_EFAIL;
	}
	printf("=== system ===\n%s\n=== user ===\n%s", p.system, p.user);
	prompt_free(&p);
	return RN_OK;
}

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static bool
is_interrupted(void *ud)
{
	(void)ud;
	return interrupted != 0;
}

static void
jsonl_finding(void *ud, const struct finding *f)
{
	out_jsonl_finding(ud, f);
}

/* Retry notices and the like go to stderr, once each. */
static void
print_notice(void *ud, const struct llm_progress *p)
{
	static char last[RN_ERRLEN];

	(void)ud;
	if (p->notice == NULL || strcmp(p->notice, last) == 0)
		return;
	snprintf(last, sizeof(last), "%s", p->notice);
	say(p->notice);
}

static int
review_to_stdout(const struct cli *c, const struct config *cfg,
    const struct note *n, const struct overview *o, const char *ovw_path,
    const struct rule_set *rules)
{
	struct review_events ev = { NULL, print_notice, is_interrupted, NULL };
	char err[RN_ERRLEN];
	struct review r;
	int rc;

	if (c->mode == OUT_JSONL) {
		ev.on_finding = jsonl_finding;
		ev.ud = stdout;
	}
	review_init(&r);
	rc = review_run(cfg, n, o, rules, &ev, &r, err, sizeof(err));
	if (rc == RN_OK) {
		if (c->mode == OUT_JSON)
			out_json(stdout, c->note, ovw_path, &r);
		else if (c->mode == OUT_JSONL)
			out_jsonl_done(stdout, &r);
		else
			out_plain(stdout, c->note, &r);
	} else if (rc == RN_ECANCEL)
		fputs("rustnote: interrupted\n", stderr);
	else
		say(err);
	review_free(&r);
	return rc == RN_ECANCEL ? EXIT_INTERRUPTED : rc;
}

static void
catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int
cmd_review(struct cli *c, const struct note *n, const struct overview *o,
    const char *ovw_path)
{
	char err[RN_ERRLEN], warn[RN_ERRLEN];
	struct rule_set *rules = NULL;
	struct config cfg;
	int rc;

	rc = config_resolve(&c->flags, &cfg, warn, sizeof(warn), err,
	    sizeof(err));
	if (warn[0] != '\0')
		say(warn);
	if (rc != RN_OK) {
		say(err);
		goto out;
	}
	/* LLM findings only: the rules would never be used. */
	if (cfg.backend == CFG_LLM && !cfg.with_offline)
		rc = RN_OK;
	else
		rc = rules_load_default(&rules, err, sizeof(err));
	if (rc != RN_OK) {
		say(err);
		goto out;
	}
	if (c->mode == OUT_AUTO)
		c->mode = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) ?
		    OUT_TUI : OUT_PLAIN;
	if (cfg.auto_offline && c->mode != OUT_TUI)
		fputs("rustnote: no LLM configured; offline checks only (set "
		    "OPENAI_API_KEY or ANTHROPIC_API_KEY, or use --provider "
		    "ollama)\n", stderr);
	if (c->mode == OUT_TUI) {
		struct tui_opts to = { c->note, ovw_path, &cfg, rules };

		rc = tui_run(&to, err, sizeof(err));
		if (rc != RN_OK)
			say(err);
	} else {
		catch_interrupts();
		rc = review_to_stdout(c, &cfg, n, o, ovw_path, rules);
	}
out:
	rules_free(rules);
	config_free(&cfg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct overview *o = NULL;
	struct note *n = NULL;
	char *ovw_path = NULL;
	struct cli c;
	int rc;

	rc = parse_args(argc, argv, &c);
	if (rc != RN_OK)
		return rc < 0 ? 0 : rc;
	if (llm_global_init() != 0) {
		fputs("rustnote: cannot initialise libcurl\n", stderr);
		return RN_EFAIL;
	}
	rc = load_inputs(&c, &n, &o, &ovw_path);
	if (rc == RN_OK)
		rc = strcmp(c.command, "prompt") == 0 ? cmd_prompt(n, o) :
		    cmd_review(&c, n, o, ovw_path);
	ovw_free(o);
	note_free(n);
	free(ovw_path);
	llm_global_cleanup();
	return rc;
}
