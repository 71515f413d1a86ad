/*
 * output.h - reviews for scripts and pipes: --json, --jsonl and --plain.
 *
 * Every string written here has been cleaned (finding_clean), and JSON
 * output escapes everything else, so no control byte reaches the terminal.
 */
#ifndef RUSTNOTE_OUTPUT_H
#define RUSTNOTE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct finding;
struct review;

/* The whole review as one JSON document. */
void out_json(FILE *fp, const char *note_path, const char *overview_path,
    const struct review *r);
/* The review the LLM part of which failed: the findings there are (the
 * offline ones) and "error": {"message": ..., "exit_code": N}. */
void out_json_failed(FILE *fp, const char *note_path,
    const char *overview_path, const struct review *r, const char *message,
    int exit_code);
/* The last line of --jsonl after a failure, in place of "done":
 * {"type": "error", "message": ..., "exit_code": N}. */
void out_jsonl_error(FILE *fp, const char *message, int exit_code);
/* `rustnote prompt --json`: {"system": ..., "user": ...}. */
void out_json_prompt(FILE *fp, const char *system, const char *user);
/* One {"type":"finding",...} line, flushed at once; a dismissed finding
 * (shown with --all) carries "dismissed": true, as in every format. */
void out_jsonl_finding(FILE *fp, const struct finding *f);
/* The closing {"type":"done",...} line. */
void out_jsonl_done(FILE *fp, const struct review *r);
/* A whole review as JSON lines, each carrying the note's path (reviews of
 * several notes): the findings, then {"type":"done",...}. */
void out_jsonl_review(FILE *fp, const char *note_path,
    const struct review *r);
/* {"type": TYPE (left out when NULL), "note": ..., "error": MESSAGE}. */
void out_error_json(FILE *fp, const char *note_path, const char *type,
    const char *message, bool pretty);
/* {"provider": ..., "models": [...]} for `rustnote models --json`. */
void out_models_json(FILE *fp, const char *provider,
    const char *const *models, size_t n);
/* Concise bullets grouped by kind, each with its line and quote. */
/* {"answer": ..., "usage": {...}} of `rustnote ask --json`; counts < 0:
 * unknown (null). */
void out_json_answer(FILE *fp, const char *answer, long input_tokens,
    long output_tokens);
void out_plain(FILE *fp, const char *note_path, const struct review *r);

#endif
