/*
 * compiler.h - what the review needs from a Rust compiler: its version
 * (part of the cache key) and a way to check many crates at once, each
 * within a time limit.  The rustc adapter (src/rustc, rustc.h) provides
 * one; the core only ever calls through this table, so it links without
 * the adapter and tests can bring their own.
 */
#ifndef RUSTNOTE_COMPILER_H
#define RUSTNOTE_COMPILER_H

#include <stdbool.h>
#include <stddef.h>

enum compile_outcome {
	CO_DONE,	/* the compiler ran to its end: see exit_code */
	CO_TIMEOUT,	/* killed at the block's or the review's limit */
	CO_CANCELLED,	/* killed because the review was cancelled */
	CO_ERROR	/* could not be run (message in output) */
};

struct compile_job {
	/* Given: */
	const char *name;	/* crate name, also the file name: NAME.rs */
	const char *source;
	int edition;		/* 2015, 2018, 2021, 2024 */
	bool lib;		/* a library, not a program */
	/* Filled by run(): */
	enum compile_outcome outcome;
	int exit_code;
	char *output;		/* JSON diagnostics; the caller frees it */
	size_t output_len;
	long elapsed_ms;
};

struct compile_limits {
	long block_ms;		/* one crate */
	long total_ms;		/* all of them together */
};

struct compiler {
	/* Asking a compiler its version runs it, which takes a while, so
	 * the review asks once it has code to check (may be NULL): the
	 * fields below are set when probe() returns. */
	void (*probe)(struct compiler *c);
	char *version;		/* "rustc 1.63.0": part of the cache key */
	int major, minor;
	char *problem;		/* why it cannot be used (not found, too
				   old), or NULL */
	/* Check jobs[0..n), as many at once as the machine has cores.
	 * cancelled (may be NULL) is polled while they run. */
	void (*run)(struct compiler *c, struct compile_job *jobs, size_t n,
	    const struct compile_limits *lim, bool (*cancelled)(void *ud),
	    void *ud);
	void (*destroy)(struct compiler *c);	/* frees c too */
	void *impl;
};

/* Frees what run() left in the jobs. */
void compile_jobs_free(struct compile_job *jobs, size_t n);

#endif
