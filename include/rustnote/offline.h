/*
 * offline.h - the reviewer that needs no API key: coverage of the overview's
 * topics, its scope rules, the note's structure, and a data-driven set of
 * known misconceptions (the rules folder, plus the user's own in
 * $XDG_CONFIG_HOME/rustnote/rules/).  Patterns are PCRE2, compiled once.
 */
#ifndef RUSTNOTE_OFFLINE_H
#define RUSTNOTE_OFFLINE_H

#include <stddef.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"

struct note;
struct overview;
struct rule_set;

/* Load the bundled rule files and then the user's.  RN_OK or RN_EINPUT. */
enum rn_status rules_load_default(struct rule_set **out, char *err,
    size_t errlen);
/* Load every *.rules file of one folder into rs (created when *rs NULL). */
enum rn_status rules_load_dir(struct rule_set **rs, const char *dir, char *err,
    size_t errlen);
/* Load one rule file's text; name is used in messages. */
enum rn_status rules_load_text(struct rule_set **rs, const char *name,
    const char *text, char *err, size_t errlen);
size_t rules_count(const struct rule_set *rs);
void rules_free(struct rule_set *rs);

/* Run every offline check; appends findings (source FSRC_OFFLINE) to out. */
void offline_review(const struct note *n, const struct overview *o,
    const struct rule_set *rs, struct finding_list *out);
/*
 * The same, stopping early when cancel_requested() (RN_ECANCEL; the
 * findings so far are kept), else RN_OK.  warn (may be NULL) gets "" or
 * one line: rules skipped because a pattern hit PCRE2's match or depth
 * limit on this note.
 */
int offline_run(const struct note *n, const struct overview *o,
    const struct rule_set *rs, struct finding_list *out, char *warn,
    size_t warnlen);

#endif
