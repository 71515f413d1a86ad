/*
 * args.c - the options every command accepts, the usage built from the
 * command table, and loading the note a command is given.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/sanitize.h"

#include "cli.h"

#ifndef RN_VERSION
#define RN_VERSION "0"
#endif

static const char options_help[] =
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
"4 provider or network error, 5 reply unusable, 130 interrupted.\n";

/* "usage: rustnote review|prompt [options] NOTE.md" */
static void
usage_line(FILE *fp)
{
	const struct cli_command *const *cmd;

	fputs("usage: rustnote ", fp);
	for (cmd = cli_commands; *cmd != NULL; cmd++)
		fprintf(fp, "%s%s", cmd == cli_commands ? "" : "|",
		    (*cmd)->name);
	fputs(" [options] NOTE.md\n", fp);
}

static void
usage(FILE *fp)
{
	const struct cli_command *const *cmd;
	char left[64];

	usage_line(fp);
	fputs("\nReview a Rust learning note against its topic overview.\n"
	    "\nCommands:\n", fp);
	for (cmd = cli_commands; *cmd != NULL; cmd++) {
		snprintf(left, sizeof(left), "%s %s", (*cmd)->name,
		    (*cmd)->operands);
		fprintf(fp, "  %-18s %s\n", left, (*cmd)->help);
	}
	fprintf(fp, "\n%s", options_help);
}

int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("rustnote: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_line(stderr);
	return RN_EUSAGE;
}

/* A message may quote a server or a file name: it passes the sanitiser. */
void
cli_error(const char *msg)
{
	fputs("rustnote: ", stderr);
	san_fputs(msg, 0, stderr);
	fputc('\n', stderr);
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
	case OPT_PLAIN: c->mode = CLI_OUT_PLAIN; break;
	case OPT_JSON: c->mode = CLI_OUT_JSON; break;
	case OPT_JSONL: c->mode = CLI_OUT_JSONL; break;
	case OPT_NO_STREAM: c->flags.no_stream = true; break;
	case OPT_NO_CACHE: c->flags.no_cache = true; break;
	case OPT_NO_OFFLINE: c->flags.no_offline = true; break;
	case OPT_CONFIG: c->flags.config_file = arg; break;
	case OPT_STALL:
		c->flags.stall_timeout = strtol(arg, &end, 10);
		if (*end != '\0' || c->flags.stall_timeout <= 0)
			return cli_usage_error("--stall-timeout: '%s' is not a "
			    "number of seconds", arg), -1;
		break;
	case 'h': usage(stdout); return 1;
	case 'V': printf("rustnote %s\n", RN_VERSION); return 1;
	default: return -1;
	}
	return 0;
}

static const struct cli_command *
find_command(const char *name)
{
	const struct cli_command *const *cmd;

	for (cmd = cli_commands; *cmd != NULL; cmd++)
		if (strcmp((*cmd)->name, name) == 0)
			return *cmd;
	return NULL;
}

/* "review or prompt", "review, prompt or config" */
static void
command_names(char *out, size_t len)
{
	const struct cli_command *const *cmd;
	size_t used = 0;

	out[0] = '\0';
	for (cmd = cli_commands; *cmd != NULL && used < len; cmd++)
		used += snprintf(out + used, len - used, "%s%s",
		    cmd == cli_commands ? "" : cmd[1] == NULL ? " or " : ", ",
		    (*cmd)->name);
}

/* The operands left after the options, checked against the command's. */
static int
take_operands(struct cli *c, int argc, char **argv)
{
	const struct cli_command *cmd = c->cmd;

	c->args = argv + optind;
	c->nargs = argc - optind;
	if (c->nargs < cmd->min_args)
		return cli_usage_error("missing %s", cmd->operands);
	if (c->nargs > cmd->max_args)
		return cli_usage_error("unexpected argument '%s'",
		    c->args[cmd->max_args]);
	c->note = c->nargs > 0 ? c->args[0] : NULL;
	return RN_OK;
}

int
cli_parse(int argc, char **argv, struct cli *c)
{
	const char *name = NULL;
	char names[256];
	int opt, r;

	memset(c, 0, sizeof(*c));
	c->flags.stall_timeout = -1;
	if (argc >= 2 && argv[1][0] != '-') {
		name = argv[1];
		argv++;
		argc--;
	}
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":o:p:m:u:hV", long_opts,
	    NULL)) != -1) {
		if (opt == '?')
			return cli_usage_error("unknown option '%s'",
			    argv[optind - 1]);
		if (opt == ':')
			return cli_usage_error("option '%s' needs a value",
			    argv[optind - 1]);
		r = apply_option(c, opt, optarg);
		if (r != 0)
			return r > 0 ? -1 : RN_EUSAGE;
	}
	command_names(names, sizeof(names));
	if (name == NULL)
		return cli_usage_error("missing command (%s)", names);
	if ((c->cmd = find_command(name)) == NULL)
		return cli_usage_error("unknown command '%s'", name);
	return take_operands(c, argc, argv);
}

int
cli_resolve_config(struct cli *c, struct config *cfg)
{
	char err[RN_ERRLEN], warn[RN_ERRLEN];
	int rc;

	rc = config_resolve(&c->flags, cfg, warn, sizeof(warn), err,
	    sizeof(err));
	if (warn[0] != '\0')
		cli_error(warn);
	if (rc != RN_OK)
		cli_error(err);
	return rc;
}

int
cli_load_inputs(const struct cli *c, struct cli_inputs *in)
{
	char err[RN_ERRLEN];
	int rc;

	memset(in, 0, sizeof(*in));
	rc = note_load(c->note, &in->note, err, sizeof(err));
	if (rc == RN_OK)
		rc = ovw_locate(c->note, c->overview, in->note->fm_overview,
		    &in->ovw_path, err, sizeof(err));
	if (rc == RN_OK)
		rc = ovw_load(in->ovw_path, &in->ovw, err, sizeof(err));
	if (rc != RN_OK)
		cli_error(err);
	return rc;
}

void
cli_inputs_free(struct cli_inputs *in)
{
	ovw_free(in->ovw);
	note_free(in->note);
	free(in->ovw_path);
	memset(in, 0, sizeof(*in));
}
