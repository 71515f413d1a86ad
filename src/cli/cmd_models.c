/*
 * cmd_models.c - "rustnote models": the models the configured provider
 * offers (GET /v1/models; Ollama's /api/tags), one a line or as JSON.
 * Also the choice of model when none is set for a server of the
 * learner's own, which the review command makes before it asks.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/output.h"
#include "rustnote/util.h"

#include "cli.h"

#define MODELS_NAMED 8		/* names a message lists */

/* The request parameters that reach the server, for a model list. */
static void
list_params(const struct config *cfg, struct llm_params *lp)
{
	memset(lp, 0, sizeof(*lp));
	lp->provider = cfg->provider;
	lp->base_url = cfg->base_url;
	lp->model = cfg->model;
	lp->api_key = cfg->api_key;
	lp->connect_timeout = cfg->connect_timeout;
	lp->first_byte_timeout = cfg->first_byte_timeout;
	lp->stall_timeout = cfg->stall_timeout;
	lp->total_timeout = cfg->total_timeout;
	lp->max_attempts = cfg->max_attempts;
	lp->auth_header = cfg->auth_header;
}

/* Is name one of the list ("llama3.1" matches "llama3.1:latest")? */
static bool
offered(char **models, size_t n, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < n; i++) {
		if (strcmp(models[i], name) == 0 ||
		    (strncmp(models[i], name, len) == 0 &&
		    strcmp(models[i] + len, ":latest") == 0))
			return true;
	}
	return false;
}

/* "a, b, c" (the first few), for a message. */
static void
join_models(char **models, size_t n, char *out, size_t len)
{
	size_t i, used = 0;
	int w;

	out[0] = '\0';
	for (i = 0; i < n && i < MODELS_NAMED; i++) {
		w = snprintf(out + used, len - used, "%s%s", i > 0 ? ", " : "",
		    models[i]);
		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
	if (n > MODELS_NAMED)
		snprintf(out + used, len - used, ", ... (%zu in all)", n);
}

enum rn_status
cli_choose_model(struct config *cfg, char *err, size_t errlen)
{
	struct llm_params lp;
	char **models = NULL, names[RN_ERRLEN / 2], lerr[RN_ERRLEN];
	size_t n = 0;
	int rc = RN_OK;

	if (cfg->backend != CFG_LLM || !cfg->model_default ||
	    (cfg->base_url == NULL && cfg->provider != LLM_OLLAMA))
		return RN_OK;
	list_params(cfg, &lp);
	lp.max_attempts = 1;
	/* A server that lists nothing (or cannot) keeps the default. */
	if (llm_list_models(&lp, &models, &n, lerr, sizeof(lerr)) != RN_OK ||
	    n == 0 || offered(models, n, cfg->model))
		goto out;
	if (n == 1) {
		free(cfg->model);
		cfg->model = xstrdup(models[0]);
		cfg->model_default = false;
		goto out;
	}
	join_models(models, n, names, sizeof(names));
	rc = rn_fail(err, errlen, RN_EUSAGE, "%s: no model set and the server "
	    "offers several: %s; set RUSTNOTE_MODEL or --model",
	    cfg->provider_name, names);
out:
	llm_models_free(models, n);
	return rc;
}

static int
models_list(const struct cli *c, const struct config *cfg)
{
	char err[RN_ERRLEN];
	struct llm_params lp;
	char **models = NULL;
	size_t n = 0, i;
	int rc;

	list_params(cfg, &lp);
	rc = llm_list_models(&lp, &models, &n, err, sizeof(err));
	if (rc != RN_OK)
		cli_error(err);
	else if (c->mode == CLI_OUT_JSON)
		out_models_json(stdout, cfg->provider_name,
		    (const char *const *)models, n);
	else
		for (i = 0; i < n; i++)
			printf("%s\n", models[i]);
	llm_models_free(models, n);
	return rc;
}

static int
models_cmd_run(struct cli *c)
{
	struct config cfg;
	int rc;

	rc = cli_resolve_config(c, &cfg);
	if (rc == RN_OK && cfg.backend != CFG_LLM) {
		cli_error("no LLM provider configured; set RUSTNOTE_PROVIDER "
		    "or --provider");
		rc = RN_EUSAGE;
	}
	if (rc == RN_OK)
		rc = models_list(c, &cfg);
	config_free(&cfg);
	return rc;
}

const struct cli_command cli_models = {
	.name = "models",
	.operands = "",
	.help = "list the models the configured provider offers",
	.min_args = 0,
	.max_args = 0,
	.run = models_cmd_run,
};
