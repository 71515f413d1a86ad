/*
 * history.h - what rustnote remembers of a note across sessions: every
 * review with its findings (each marked new, persisting or resolved
 * against the note's previous review) and the findings the learner
 * dismissed.  SQLite, in $XDG_DATA_HOME/rustnote/history.db.
 *
 * The database is in WAL mode with a busy timeout, so several rustnote
 * processes can read and write it at once; writes take the write lock up
 * front (BEGIN IMMEDIATE).  The schema is versioned (PRAGMA user_version)
 * and older files are migrated step by step when opened.  A file that is
 * corrupt, locked for too long or from a newer rustnote is refused with one
 * message; callers warn once and go on without history.  Nothing here
 * touches the note itself, and no secret (API key) is ever passed in.
 *
 * Notes are keyed by their absolute path (hist_note_key()).
 */
#ifndef RUSTNOTE_HISTORY_H
#define RUSTNOTE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"

struct note;
struct review;

#define HIST_SCHEMA_VERSION 3
#define HIST_BUSY_TIMEOUT_MS 3000

struct hist;

/* $XDG_DATA_HOME/rustnote/history.db (~/.local/share/...), new string. */
char *hist_default_path(void);
/* The key a note is stored under: its absolute path, new string. */
char *hist_note_key(const char *note_path);

/*
 * Open (creating the file and its folder when needed) and migrate to
 * HIST_SCHEMA_VERSION.  Returns RN_OK, or RN_EFAIL with a one-line
 * message naming the file and the cause; *out is NULL then.
 */
enum rn_status hist_open(const char *path, struct hist **out, char *err,
    size_t errlen);
void hist_close(struct hist *h);	/* NULL is fine */
/* The schema version of the open file (for tests and `history`). */
int hist_schema_version(struct hist *h);

/* One review as recorded. */
struct hist_review {
	long long id;
	time_t at;			/* UTC seconds */
	char *section;			/* learning-path section or NULL */
	char *provider;			/* "offline", "openai", ... */
	char *model;			/* NULL when offline */
	bool llm;			/* the LLM took part */
	int counts[FK_COUNT];		/* findings by kind, resolved left out */
	int nnew, npersist, nresolved;
	unsigned long long content_hash;	/* of the note as reviewed */
};

/* What to record; strings are only lent. */
struct hist_record_in {
	const char *note_key;
	unsigned long long content_hash;
	const char *section;		/* may be NULL */
	const char *provider;
	const char *model;		/* may be NULL */
	bool llm;
	time_t at;			/* 0: now */
};

/* What to record of review r of note n (strings lent from the three). */
void hist_record_in_of(struct hist_record_in *in, const char *note_key,
    const struct note *n, const char *section, const struct review *r);

/*
 * Store a review of a note.  Each finding is compared with the note's last
 * stored review: new or persisting; those of the last review that are
 * gone are stored as resolved.  findings is not changed.  *out (may be
 * NULL) gets the recorded summary; free it with hist_review_free().
 */
enum rn_status hist_record(struct hist *h, const struct hist_record_in *in,
    const struct finding_list *findings, struct hist_review *out,
    char *err, size_t errlen);

/*
 * The note's last stored review: RN_OK with *found set (false when the
 * note has none).  findings (may be NULL) gets its findings, resolved ones
 * left out, states cleared: the base to compare the next review with.
 */
enum rn_status hist_last(struct hist *h, const char *note_key, bool *found,
    struct hist_review *out, struct finding_list *findings,
    char *err, size_t errlen);

/* Every review of the note, oldest first; *v is freed with
 * hist_reviews_free(). */
enum rn_status hist_reviews(struct hist *h, const char *note_key,
    struct hist_review **v, size_t *n, char *err, size_t errlen);
/* The findings of one review in a state (FST_RESOLVED: what it fixed). */
enum rn_status hist_review_findings(struct hist *h, long long review_id,
    enum finding_state state, struct finding_list *out,
    char *err, size_t errlen);
void hist_review_free(struct hist_review *r);
void hist_reviews_free(struct hist_review *v, size_t n);

/* Delete everything stored about a note (reviews and dismissals);
 * *removed (may be NULL) gets the number of reviews deleted. */
enum rn_status hist_forget(struct hist *h, const char *note_key, int *removed,
    char *err, size_t errlen);

/*
 * Dismissed findings of a note, as (kind, hash of the finding's quote)
 * pairs.  hist_dismissed() calls cb once per pair.
 */
enum rn_status hist_dismissed(struct hist *h, const char *note_key,
    void (*cb)(void *ud, int kind, unsigned long long hash), void *ud,
    char *err, size_t errlen);
enum rn_status hist_dismiss(struct hist *h, const char *note_key, int kind,
    unsigned long long hash, bool on, char *err, size_t errlen);

/* "2 days ago", "just now", ... for at seen from now; new string. */
/*
 * Questions to the tutor about a note (ask, `a` in the review screen):
 * what was asked about (a line, and the finding there, if any), the
 * question, the answer, and who answered.  Kept with the note's history;
 * --forget removes them with it.
 */
struct hist_question {
	time_t at;
	int line;			/* 0: the note as a whole */
	char *kind;			/* the finding's kind, or NULL */
	char *quote, *message;		/* the finding's, or NULL */
	char *question, *answer;
	char *provider, *model;		/* model may be NULL */
};

struct hist_question_in {
	const char *note_key;
	int line;
	const struct finding *finding;	/* may be NULL */
	const char *question, *answer;
	const char *provider, *model;
	time_t at;			/* 0: now */
};

enum rn_status hist_add_question(struct hist *h,
    const struct hist_question_in *in, char *err, size_t errlen);
/* The note's questions, oldest first (*v allocated; free with
 * hist_questions_free()). */
enum rn_status hist_questions(struct hist *h, const char *note_key,
    struct hist_question **v, size_t *n, char *err, size_t errlen);
void hist_questions_free(struct hist_question *v, size_t n);

char *hist_ago(time_t at, time_t now);
/* ISO-8601 UTC, "2026-12-02T15:04:05Z", into buf (at least 21 bytes). */
void hist_iso8601(time_t at, char *buf, size_t len);

#endif
