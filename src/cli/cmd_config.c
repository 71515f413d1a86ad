/*
 * cmd_config.c - "rustnote config": the settings in effect and where each
 * came from (flag, environment, file, default).  Keys are masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/sanitize.h"

#include "cli.h"

#define VALUE_WIDTH 28

static void
print_setting(const struct config *cfg, size_t i)
{
	char value[RN_ERRLEN], from[RN_ERRLEN], *shown;

	config_value_text(cfg, i, value, sizeof(value));
	config_origin_text(cfg, i, from, sizeof(from));
	/* No URL set: the provider's own is the one used. */
	if (value[0] == '\0' && cfg->backend == CFG_LLM &&
	    strcmp(config_options[i].name, "base_url") == 0)
		snprintf(value, sizeof(value), "%s",
		    config_default_url(cfg->provider));
	if (value[0] == '\0')
		snprintf(value, sizeof(value), "%s", "(not set)");
	/* Values come from files and the environment: no escapes. */
	shown = san_str(value, 0, 0);
	printf("%-16s %-*s ", config_options[i].name, VALUE_WIDTH, shown);
	san_fputs(from, 0, stdout);
	putchar('\n');
	free(shown);
}

static int
config_run(struct cli *c)
{
	char err[RN_ERRLEN], warn[RN_ERRLEN];
	struct config cfg;
	size_t i, n = config_noptions();
	int rc;

	rc = config_load(&c->flags, &cfg, warn, sizeof(warn), err,
	    sizeof(err));
	if (warn[0] != '\0')
		cli_error(warn);
	if (rc != RN_OK) {
		cli_error(err);
		goto out;
	}
	printf("%-16s %-*s %s\n", "setting", VALUE_WIDTH, "value", "from");
	for (i = 0; i < n; i++)
		print_setting(&cfg, i);
	printf("%-16s ", "config file");
	san_fputs(cfg.file != NULL ? cfg.file : "(none)", 0, stdout);
	putchar('\n');
	/* What a review would stop at, with the same exit code. */
	if ((rc = config_usable(&cfg, err, sizeof(err))) != RN_OK)
		cli_error(err);
out:
	config_free(&cfg);
	return rc;
}

const struct cli_command cli_config = {
	.name = "config",
	.operands = "",
	.help = "the settings in effect and where each came from",
	.min_args = 0,
	.max_args = 0,
	.run = config_run,
};
