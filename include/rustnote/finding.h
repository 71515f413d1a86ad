/*
 * finding.h - review findings: the model, tolerant parsing of LLM replies,
 * text cleaning, anchoring to note lines, merging and diffing.
 *
 * The reply format asked of the LLM is
 *   {"summary": "...", "findings": [{"kind": "gap|incorrect|assumption|scope",
 *     "severity": "high|medium|low", "quote": "...", "line": N,
 *     "topic": "...", "message": "...", "suggestion": "..."}]}
 * but parsing accepts what real models send instead (see finding.c).
 */
#ifndef RUSTNOTE_FINDING_H
#define RUSTNOTE_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

struct note;

enum finding_kind { FK_GAP, FK_INCORRECT, FK_ASSUMPTION, FK_SCOPE, FK_COUNT };
enum finding_severity { FS_HIGH, FS_MEDIUM, FS_LOW };
enum finding_source { FSRC_LLM, FSRC_OFFLINE, FSRC_RUSTC };

/* Where a finding stands compared with the previous review (TUI). */
enum finding_state {
	FST_NONE,	/* first review */
	FST_NEW,	/* not in the previous review */
	FST_PERSIST,	/* also in the previous review */
	FST_RESOLVED,	/* in the previous review, gone now */
	FST_FIXED	/* its quote vanished after an edit: probably fixed */
};

/* Caps applied by finding_clean(): a hostile reply cannot flood the screen. */
#define FINDING_MAX_FIELD 4000	/* bytes per text field */
#define FINDING_MAX_COUNT 500	/* findings per review */

struct finding {
	enum finding_kind kind;
	enum finding_severity severity;
	enum finding_source source;
	enum finding_state state;
	int line;		/* 1-based; 0 = the whole note */
	int end_line;		/* == line for one line; 0 when line is 0 */
	int model_line;		/* the line the model claimed, 0 if none */
	int was_line;		/* line 0 after an edit: where it was, else 0 */
	char *quote;		/* "" when none; never NULL after cleaning */
	char *topic;
	char *message;
	char *suggestion;
	char *rule_id;		/* offline rule id or rustc's error code;
				   NULL for LLM findings */
	bool dismissed;
};

struct finding_list {
	struct finding *v;
	size_t n, cap;
};

const char *finding_kind_name(enum finding_kind k);	 /* "gap" ... */
const char *finding_severity_name(enum finding_severity s);
const char *finding_source_name(enum finding_source s);
/* Parse a kind/severity word loosely ("Gap", "gaps", "untrue", "Out of
 * scope", "HIGH"...).  Return -1 when unknown. */
int finding_kind_parse(const char *s);
int finding_severity_parse(const char *s);

void finding_free(struct finding *f);	/* frees the fields, not f */
void finding_copy(struct finding *dst, const struct finding *src);

void flist_init(struct finding_list *l);
void flist_free(struct finding_list *l);
/* Takes ownership of f's fields (f is zeroed).  Drops it past the count cap. */
void flist_push(struct finding_list *l, struct finding *f);
void flist_clear(struct finding_list *l);
/* Sort: line 0 first, then by line (was_line for one whose quote went),
 * then kind, severity (stable). */
void flist_sort(struct finding_list *l);

/*
 * Clean every text field: strip escape sequences and control characters
 * (keeps newlines and tabs), replace invalid UTF-8, cap the length, turn
 * NULL into "".  Safe on any bytes.
 */
void finding_clean(struct finding *f);

/*
 * Build a finding from one parsed JSON object (a cJSON *), accepting key
 * variants.  Returns 0, or -1 when the object holds no usable text.
 */
int finding_from_json(const void *cjson_obj, struct finding *out);

/* Result of parsing a whole reply. */
struct finding_reply {
	char *summary;			/* cleaned, may be "" */
	struct finding_list findings;
	bool truncated;			/* reply was cut; complete ones kept */
	bool markdown;			/* parsed from prose, not JSON */
};

/*
 * Parse a complete LLM reply: JSON (bare, fenced, with prose around it, or
 * cut off), else Markdown headings + bullets.  Returns RN_OK, or RN_EREPLY
 * when nothing usable was found (message in err).
 */
enum rn_status finding_parse_reply(const char *text, size_t len,
    struct finding_reply *out, char *err, size_t errlen);
void finding_reply_free(struct finding_reply *r);
/*
 * finding_parse_reply() less the findings, for a reply from which an
 * fstream fed the same text already reported some: out gets the summary
 * and the truncated flag (cut: fstream_truncated()) and no findings, as
 * the parse would find just those the stream reported.
 */
void finding_reply_streamed(const char *text, size_t len, bool cut,
    struct finding_reply *out);

/*
 * Incremental extraction for streaming: feed reply text as it arrives;
 * each finding object is reported the moment its closing brace arrives.
 * The finding passed to cb is cleaned but not anchored; cb may take its
 * fields (flist_push), whatever it leaves is freed when cb returns.
 */
struct finding_stream;
typedef void (*finding_stream_cb)(void *ud, struct finding *f);
struct finding_stream *fstream_new(finding_stream_cb cb, void *ud);
void fstream_feed(struct finding_stream *s, const char *p, size_t n);
/* Number of findings reported so far. */
size_t fstream_count(const struct finding_stream *s);
/* The text fed so far ends inside an unfinished JSON value (a cut reply). */
bool fstream_truncated(const struct finding_stream *s);
void fstream_free(struct finding_stream *s);

/*
 * Anchor f to the note by its quote: exact match, then ignoring white-space
 * runs, curly vs straight quotes, Markdown emphasis and backticks, a quote
 * split by "..." or U+2026, a quote spanning lines.  The model's line only
 * breaks ties.  A quote found nowhere gives line 0.  A finding without a
 * quote keeps a valid model line (else 0).  Returns true when the quote
 * was found.
 */
bool finding_anchor(struct finding *f, const struct note *n);
void finding_anchor_all(struct finding_list *l, const struct note *n);

/*
 * Two findings say the same thing: same kind, overlapping lines (or both
 * whole-note) and similar quote or message.
 */
bool finding_same(const struct finding *a, const struct finding *b);
/*
 * finding_same() for checking many findings against many: a signature
 * keeps the comparable forms of a finding's texts, made once when first
 * needed.  It borrows the texts: keep the finding's fields alive and
 * unchanged while the signature is used.
 */
struct finding_sig;
struct finding_sig *finding_sig_new(const struct finding *f);
void finding_sig_free(struct finding_sig *s);
/* finding_same() of the two findings; a and b may be one signature. */
bool finding_sig_same(struct finding_sig *a, struct finding_sig *b);
/* finding_sig_same(v[i], f) for some i < n, cheap pairs first. */
bool finding_sig_any_same(struct finding_sig *const *v, size_t n,
    struct finding_sig *f);
/* Append the findings of src not already in dst (copies). */
void flist_merge(struct finding_list *dst, const struct finding_list *src);
/*
 * Compare a new review with the previous one: marks each finding in cur
 * FST_NEW or FST_PERSIST and appends copies of the old ones that are gone,
 * marked FST_RESOLVED.
 */
void flist_diff(struct finding_list *cur, const struct finding_list *prev);

#endif
