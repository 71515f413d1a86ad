/*
 * codecheck.h - check the note's Rust code blocks with a compiler and
 * turn the verdicts into findings (source "rustc"):
 *  - a block the note presents as working that does not compile:
 *    incorrect, at the note line of the error's primary span;
 *  - a block the note says does not compile that compiles: incorrect, at
 *    the line of that claim;
 *  - a block expected to fail that fails with another error code than the
 *    one the note names: incorrect (medium), at the claim.
 * Verdicts are cached by block text + compiler version + edition, so an
 * unchanged note costs no compiler run.
 */
#ifndef RUSTNOTE_CODECHECK_H
#define RUSTNOTE_CODECHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/finding.h"

struct compiler;
struct config;
struct note;
struct rblk_block;
struct rdiag_verdict;

#define CCHECK_MAX_PER_BLOCK 3	/* errors reported for one block */

struct ccheck_opts {
	int edition;		/* default edition (2021) */
	bool use_cache;
	long block_ms, total_ms;
};

struct ccheck_result {
	struct finding_list findings;
	char **warnings;
	size_t nwarnings;
	char *verdicts;		/* one line per block, for the LLM prompt;
				   NULL when no block was checked */
	size_t blocks, compiled, cached;
	bool cancelled;
};

/* The options a configuration asks for: edition 2021, its cache setting,
 * compile_timeout per block and six times that per review. */
void ccheck_opts_from(const struct config *cfg, struct ccheck_opts *o);

void ccheck_result_init(struct ccheck_result *r);
void ccheck_result_free(struct ccheck_result *r);

/*
 * Check every Rust block of n with cc; when cc has a problem (no rustc),
 * a note with Rust blocks gets one warning "code blocks not checked: ...".
 * cancelled (may be NULL) ends the compiler runs early.
 */
void ccheck_run(struct compiler *cc, const struct note *n,
    const struct ccheck_opts *o, bool (*cancelled)(void *ud), void *ud,
    struct ccheck_result *out);

/* The findings for one block's verdict (appended to out). */
void ccheck_findings(const struct note *n, const struct rblk_block *b,
    const struct rdiag_verdict *v, const char *version,
    struct finding_list *out);

#endif
