/*
 * quirks.h - what a model refused once, remembered so later runs send
 * the right request at once.
 *
 * A model that answers 400 to max_tokens or to a temperature (gpt-5, the
 * o-series) is asked again without it; the fix (LLM_QUIRK_* bits) is kept
 * per provider, base URL and model in $XDG_CACHE_HOME/rustnote/models/.
 * A missing or corrupt entry is no quirk, never an error.
 */
#ifndef RUSTNOTE_QUIRKS_H
#define RUSTNOTE_QUIRKS_H

#include <stddef.h>

#include "rustnote/err.h"

/* LLM_QUIRK_* bits known for the model, 0 when none. */
unsigned quirks_get(const char *provider, const char *base_url,
    const char *model);
/* Remember them; RN_OK or RN_EFAIL (message in err, worth a warning). */
enum rn_status quirks_put(const char *provider, const char *base_url,
    const char *model, unsigned quirks, char *err, size_t errlen);

#endif
