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

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/sanitize.h"

#include "cli.h"

#ifndef RN_VERSION
#define RN_VERSION "0"
#endif

/* Options of the command line itself; the settings come from the table. */
enum { OPT_OVERVIEW, OPT_OFFLINE, OPT_PLAIN, OPT_JSON, OPT_JSONL, OPT_ALL,
	OPT_CONFIG, OPT_FORGET, OPT_HELP, OPT_VERSION, OPT_NCLI };

struct cli_option {
	const char *flag;
	char short_flag;
	const char *arg;	/* NULL: takes none */
	const char *help;	/* may go on over lines */
};

static const struct cli_option cli_options[OPT_NCLI] = {
	[OPT_OVERVIEW] = { "overview", 'o', "FILE[#N]", "the overview, or "
	    "section N of a learning path\n(default: front matter "
	    "'overview:', NOTE.overview.md,\nor overview.md or curriculum.md "
	    "in the note's folder or above)" },
	[OPT_OFFLINE] = { "offline", 0, NULL,
	    "only the offline checks; no request is made" },
	[OPT_PLAIN] = { "plain", 0, NULL,
	    "bullet list (default when stdout is no terminal)" },
	[OPT_JSON] = { "json", 0, NULL, "one JSON document" },
	[OPT_JSONL] = { "jsonl", 0, NULL,
	    "one JSON line per finding as it arrives" },
	[OPT_ALL] = { "all", 0, NULL, "also the dismissed findings (marked "
	    "\"dismissed\": true)" },
	[OPT_CONFIG] = { "config", 0, "FILE",
	    "config file (default ~/.config/rustnote/config)" },
	[OPT_FORGET] = { "forget", 0, NULL,
	    "history: delete what is stored about the note" },
	[OPT_HELP] = { "help", 'h', NULL, "this help" },
	[OPT_VERSION] = { "version", 'V', NULL, "version" },
};

/* getopt values: cli_options[] from 256, config_options[] from 512. */
#define VAL_CLI 256
#define VAL_SETTING 512
#define MAX_LONG_OPTS (OPT_NCLI + CONFIG_MAX_OPTIONS + 1)

static const char exit_help[] =
"Exit codes: 0 done, 2 usage, 3 note or overview unusable,\n"
"4 provider or network error, 5 reply unusable, 130 interrupted.\n";

/* "  -m, --model NAME        model name", help lines after the first
 * indented under the first. */
static void
option_help(FILE *fp, char short_flag, const char *flag, const char *arg,
    const char *help)
{
	char left[64];
	const char *nl;

	if (short_flag != 0)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", short_flag, flag,
		    arg != NULL ? " " : "", arg != NULL ? arg : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", flag,
		    arg != NULL ? " " : "", arg != NULL ? arg : "");
	if (strlen(left) > 23)
		fprintf(fp, "  %s\n%26s", left, "");
	else
		fprintf(fp, "  %-23s ", left);
	while ((nl = strchr(help, '\n')) != NULL) {
		fprintf(fp, "%.*s\n%26s", (int)(nl - help), help, "");
		help = nl + 1;
	}
	fprintf(fp, "%s\n", help);
}

static void
cli_option_help(FILE *fp, int id)
{
	const struct cli_option *o = &cli_options[id];

	option_help(fp, o->short_flag, o->flag, o->arg, o->help);
}

static void
options_help(FILE *fp)
{
	const struct config_option *o;
	int id;

	fputs("Options:\n", fp);
	cli_option_help(fp, OPT_OVERVIEW);
	for (o = config_options; o->name != NULL; o++)
		if (o->flag != NULL)
			option_help(fp, o->short_flag, o->flag,
			    o->flag_value == NULL ? o->arg : NULL, o->help);
	for (id = OPT_OFFLINE; id < OPT_NCLI; id++)
		cli_option_help(fp, id);
	fprintf(fp, "\n%s", exit_help);
}

/* "usage: rustnote review|prompt|config [options] [NOTE.md]" */
static void
usage_line(FILE *fp)
{
	const struct cli_command *const *cmd;

	fputs("usage: rustnote ", fp);
	for (cmd = cli_commands; *cmd != NULL; cmd++)
		fprintf(fp, "%s%s", cmd == cli_commands ? "" : "|",
		    (*cmd)->name);
	fputs(" [options] [NOTE.md]\n", fp);
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
		snprintf(left, sizeof(left), "%s%s%s", (*cmd)->name,
		    (*cmd)->operands[0] != '\0' ? " " : "", (*cmd)->operands);
		if (strlen(left) > 18)	/* help on a line of its own */
			fprintf(fp, "  %s\n%21s%s\n", left, "", (*cmd)->help);
		else
			fprintf(fp, "  %-18s %s\n", left, (*cmd)->help);
	}
	fputc('\n', fp);
	options_help(fp);
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

/* The long options of getopt_long and its short option string. */
static void
build_options(struct option *lo, char *shorts, size_t slen)
{
	const struct config_option *co;
	const struct cli_option *o;
	size_t n = 0, k = 1, i;

	shorts[0] = ':';
	for (i = 0; i < OPT_NCLI; i++) {
		o = &cli_options[i];
		lo[n++] = (struct option){ o->flag, o->arg != NULL ?
		    required_argument : no_argument, NULL, VAL_CLI + (int)i };
		if (o->short_flag != 0 && k + 3 < slen) {
			shorts[k++] = o->short_flag;
			if (o->arg != NULL)
				shorts[k++] = ':';
		}
	}
	for (i = 0; (co = &config_options[i])->name != NULL; i++) {
		if (co->flag == NULL)
			continue;
		lo[n++] = (struct option){ co->flag, co->flag_value == NULL ?
		    required_argument : no_argument, NULL,
		    VAL_SETTING + (int)i };
		if (co->short_flag != 0 && k + 3 < slen) {
			shorts[k++] = co->short_flag;
			if (co->flag_value == NULL)
				shorts[k++] = ':';
		}
	}
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	shorts[k] = '\0';
}

/* A short option's getopt value is its character: map it to ours. */
static int
long_value(int opt)
{
	size_t i;

	for (i = 0; i < OPT_NCLI; i++)
		if (cli_options[i].short_flag == opt)
			return VAL_CLI + (int)i;
	for (i = 0; config_options[i].name != NULL; i++)
		if (config_options[i].short_flag == opt)
			return VAL_SETTING + (int)i;
	return opt;
}

/* A setting's flag, checked by the table as the config file would be. */
static int
apply_setting(struct cli *c, size_t i, const char *arg)
{
	const struct config_option *o = &config_options[i];
	char why[RN_ERRLEN];

	if (config_flag(&c->flags, o->name, o->flag_value != NULL ?
	    o->flag_value : arg, why, sizeof(why)) != RN_OK)
		return cli_usage_error("--%s: %s", o->flag, why), -1;
	return 0;
}

/* Apply one option; returns -1 to stop with RN_EUSAGE, 1 for help/version. */
static int
apply_option(struct cli *c, int opt, const char *arg)
{
	opt = long_value(opt);
	if (opt >= VAL_SETTING)
		return apply_setting(c, (size_t)(opt - VAL_SETTING), arg);
	switch (opt - VAL_CLI) {
	case OPT_OVERVIEW: c->overview = arg; break;
	case OPT_OFFLINE: c->flags.offline = true; break;
	case OPT_PLAIN: c->mode = CLI_OUT_PLAIN; break;
	case OPT_JSON: c->mode = CLI_OUT_JSON; break;
	case OPT_JSONL: c->mode = CLI_OUT_JSONL; break;
	case OPT_ALL: c->all = true; break;
	case OPT_CONFIG: c->flags.config_file = arg; break;
	case OPT_FORGET: c->forget = true; break;
	case OPT_HELP: usage(stdout); return 1;
	case OPT_VERSION: printf("rustnote %s\n", RN_VERSION); return 1;
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
	struct option long_opts[MAX_LONG_OPTS];
	const char *name = NULL;
	char names[256], shorts[64];
	int opt, r;

	memset(c, 0, sizeof(*c));
	build_options(long_opts, shorts, sizeof(shorts));
	if (argc >= 2 && argv[1][0] != '-') {
		name = argv[1];
		argv++;
		argc--;
	}
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shorts, long_opts,
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
		rc = ovw_choose(in->note, c->overview, &in->choice, err,
		    sizeof(err));
	if (rc != RN_OK) {
		cli_error(err);
		return rc;
	}
	in->ovw = in->choice.ovw;
	in->ovw_path = in->choice.file;
	if (!in->choice.path->single)
		in->section = ovw_section_label(in->choice.path,
		    in->choice.index);
	return RN_OK;
}

void
cli_inputs_free(struct cli_inputs *in)
{
	ovw_choice_free(&in->choice);
	note_free(in->note);
	free(in->section);
	memset(in, 0, sizeof(*in));
}
