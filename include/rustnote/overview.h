/*
 * overview.h - the topic overview a note is reviewed against.
 *
 * An overview is an outline, often written by an LLM: a title, a purpose,
 * the topics to write about (each with optional sub-points, as in
 * "Stack vs heap (frames, lifetimes, deallocation)") and scope rules
 * ("Do **not** mention borrow checker or references here").  The parser is
 * tolerant of the many ways such outlines are written.
 */
#ifndef RUSTNOTE_OVERVIEW_H
#define RUSTNOTE_OVERVIEW_H

#include <stddef.h>

struct ovw_topic {
	char *title;		/* "Stack vs heap": no emphasis, no quotes */
	char *text;		/* the bullet as written, plain text */
	char **subpoints;	/* "frames", "lifetimes", "deallocation" */
	int nsub;
	int line;		/* line in the overview file */
};

struct ovw_rule {
	char *text;		/* the sentence as written, plain text */
	char **terms;		/* "borrow checker", "references" */
	int nterms;
	int line;
};

struct overview {
	char *path;
	char *src;		/* the file as read, for the prompt */
	char *title;		/* "2. Rust's Memory Model (No Ownership)" */
	char *purpose;		/* may be NULL */
	struct ovw_topic *topics;
	int ntopics;
	struct ovw_rule *rules;
	int nrules;
};

/*
 * Load and parse an overview file, checked as a note is (note_load()).
 * RN_OK, or RN_EINPUT with a message when the file is unusable or holds
 * neither topics nor rules; *out stays NULL then.
 */
int ovw_load(const char *path, struct overview **out, char *err,
    size_t errlen);
/* Same, from memory; name is used in messages and as overview.path. */
int ovw_parse(const char *name, const char *data, size_t len,
    struct overview **out, char *err, size_t errlen);
void ovw_free(struct overview *o);

/*
 * Find the overview for a note, first match wins:
 *   1. flag (--overview FILE), relative to the current directory;
 *   2. front-matter "overview:" (relative to the note's folder);
 *   3. NOTE.overview.md beside the note (note.md -> note.overview.md);
 *   4. overview.md in the note's folder.
 * Returns RN_OK with a newly allocated path, or RN_EINPUT with a message
 * that lists the four options.
 */
int ovw_locate(const char *note_path, const char *flag,
    const char *front_matter, char **out, char *err, size_t errlen);

#endif
