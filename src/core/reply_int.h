/*
 * reply_int.h - what the files that read a whole reply share: reply.c
 * (JSON, the entry points), reply_md.c (the Markdown fallback) and
 * reply_words.c (wording both of them read).
 */
#ifndef RUSTNOTE_REPLY_INT_H
#define RUSTNOTE_REPLY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/finding.h"

#define REPLY_MAX_LINE	10000000	/* above any note's line count */

/* NULL, empty or only white space. */
bool reply_blank(const char *s);
/* Read a number of at most 8 digits at *p; 0 when there is none. */
int reply_read_number(const char **p);
/* Skip a range separator at *p ("-", "–", "..", "to"); false when none. */
bool reply_skip_range_dash(const char **p);
/* "12", "12-14", "L12", "lines 12–14", "line 7:3" -> start (and end). */
void reply_line_text(const char *s, int *line, int *end);
/* Quote marks and placeholders ("N/A") removed; q freed, NULL for none. */
char *reply_quote_tidy(char *q);
/* ASCII lower-case copy for phrase search; offsets stay those of s. */
char *reply_fold(const char *s);
/* Offset of the earliest phrase of list (NULL-ended) in text, or -1. */
long reply_first_phrase(const char *text, const char *const *list);
/* The kind the words of a message imply (FK_GAP when they say nothing). */
enum finding_kind reply_infer_kind(const char *text);

/* Inside a bullet's text. */
/* A bare line reference ("L12", "12-14") at p; bracketed: after '(' or '['. */
bool reply_short_line_ref(const char *p, bool bracketed);
/* The first quoted phrase of at least two words, or NULL. */
char *reply_find_quote(const char *t);
/* "line 12", "lines 12-14", "(L12)", "L12–L14" -> line and end (0: none). */
void reply_find_line(const char *t, int *line, int *end);
/* "(high)", "severity: low", "high severity" ...; FS_MEDIUM when none. */
enum finding_severity reply_find_severity(const char *t);

/* Findings of a Markdown reply appended to out; returns how many. */
size_t reply_markdown(const char *text, size_t len,
    struct finding_reply *out);

#endif
