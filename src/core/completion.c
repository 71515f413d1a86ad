/*
 * completion.c - one LLM request from the configuration (completion.h).
 */
#include <string.h>

#include "rustnote/completion.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/quirks.h"

const char *
completion_base_url(const struct config *cfg)
{
	return cfg->base_url != NULL ? cfg->base_url :
	    config_default_url(cfg->provider);
}

void
completion_params(const struct config *cfg, const char *schema,
    struct llm_params *lp)
{
	memset(lp, 0, sizeof(*lp));
	lp->provider = cfg->provider;
	lp->base_url = cfg->base_url;
	lp->model = cfg->model;
	lp->api_key = cfg->api_key;
	lp->stream = cfg->stream;
	lp->max_tokens = cfg->max_tokens;
	lp->temperature = cfg->temperature;
	lp->json_schema = schema;
	lp->connect_timeout = cfg->connect_timeout;
	lp->first_byte_timeout = cfg->first_byte_timeout;
	lp->stall_timeout = cfg->stall_timeout;
	lp->total_timeout = cfg->total_timeout;
	lp->max_attempts = cfg->max_attempts;
	lp->num_ctx = cfg->num_ctx;
	lp->auth_header = cfg->auth_header;
	lp->quirks = quirks_get(cfg->provider_name, completion_base_url(cfg), cfg->model);
}

int
completion_run(const struct config *cfg, const struct llm_client *llm,
    const struct llm_request *req, const char *schema,
    const struct llm_callbacks *cb, struct llm_reply *reply,
    char *warn, size_t warnlen, char *err, size_t errlen)
{
	struct llm_params lp;
	int rc;

	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	completion_params(cfg, schema, &lp);
	rc = llm->complete(llm->ud, &lp, req, cb, reply, err, errlen);
	/* A fix the model needed this time is kept for the next run. */
	if (reply->quirks != lp.quirks)
		quirks_put(cfg->provider_name, completion_base_url(cfg),
		    cfg->model, reply->quirks, warn, warnlen);
	return rc;
}
