/*
 * review.h - one review of a note: offline checks, then (when configured)
 * the LLM, with the cache in front of it.  Used alike by the plain/JSON
 * output and the TUI; knows nothing of either.
 *
 * Events arrive in order: every offline finding first (instantly), then
 * each LLM finding the moment the stream completes it, already anchored to
 * the note.  review_run() returns the final, merged and sorted list.
 */
#ifndef RUSTNOTE_REVIEW_H
#define RUSTNOTE_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/llm.h"

struct config;
struct note;
struct overview;
struct rule_set;

struct review {
	char *provider;		/* "openai", ..., or "offline" */
	char *model;		/* NULL when offline */
	char *summary;		/* "" when none */
	struct finding_list findings;	/* sorted by line, 0 first */
	char **warnings;
	size_t nwarnings;
	long input_tokens, output_tokens;	/* -1 when unknown */
	bool cached;
	char *section;		/* "section 2 of path.md: Title" when the
				   overview is a section of a learning path,
				   else NULL */
};

struct review_events {
	/* A finding is ready (anchored, cleaned).  f is only lent. */
	void (*on_finding)(void *ud, const struct finding *f);
	void (*on_progress)(void *ud, const struct llm_progress *p);
	bool (*cancelled)(void *ud);
	void *ud;
};

void review_init(struct review *r);
void review_free(struct review *r);
void review_warn(struct review *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Review note n against overview o.  rules may be NULL (no offline checks).
 * llm answers the prompt when cfg picks an LLM (the caller's choice: the
 * libcurl client llm_curl, or a fake); it may be NULL when offline.
 * Returns RN_OK, RN_ENET, RN_EREPLY or RN_ECANCEL (message in err); on
 * failure r still holds the offline findings.
 */
enum rn_status review_run(const struct config *cfg,
    const struct llm_client *llm,
    const struct note *n, const struct overview *o,
    const struct rule_set *rules, const struct review_events *ev,
    struct review *r, char *err, size_t errlen);

#endif
