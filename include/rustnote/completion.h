/*
 * completion.h - one request to the configured LLM, the same way for every
 * caller (review, ask, the review screen): the parameters taken from the
 * configuration, the fixes the model is known to need, and what it needed
 * this time remembered for the next run (quirks.h).
 */
#ifndef RUSTNOTE_COMPLETION_H
#define RUSTNOTE_COMPLETION_H

#include <stddef.h>

#include "rustnote/llm.h"

struct config;

/* cfg's base URL, or its provider's default. */
const char *completion_base_url(const struct config *cfg);
/* The request parameters of cfg; schema (JSON text) may be NULL. */
void completion_params(const struct config *cfg, const char *schema,
    struct llm_params *lp);

/*
 * Send req through llm with cfg's parameters.  Returns as llm->complete()
 * does; a parameter fix that could not be remembered is written to warn
 * (else warn is "").
 */
int completion_run(const struct config *cfg, const struct llm_client *llm,
    const struct llm_request *req, const char *schema,
    const struct llm_callbacks *cb, struct llm_reply *reply,
    char *warn, size_t warnlen, char *err, size_t errlen);

#endif
