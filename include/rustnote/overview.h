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

#include "rustnote/err.h"

struct note;

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

struct ovw_path;

struct overview {
	char *path;
	char *src;		/* the file as read (a section: its text), for
				   the prompt */
	char *title;		/* "2. Rust's Memory Model (No Ownership)" */
	char *purpose;		/* may be NULL */
	struct ovw_topic *topics;
	int ntopics;
	struct ovw_rule *rules;
	int nrules;
	/* Set when the overview is a section of a learning path (below). */
	const struct ovw_path *in_path;	/* NULL for ovw_load/ovw_parse */
	int section;			/* its index in in_path->sections */
};

/*
 * Load and parse an overview file, checked as a note is (note_load()).
 * RN_OK, or RN_EINPUT with a message when the file is unusable or holds
 * neither topics nor rules; *out stays NULL then.
 */
enum rn_status ovw_load(const char *path, struct overview **out, char *err,
    size_t errlen);
/* Same, from memory; name is used in messages and as overview.path. */
enum rn_status ovw_parse(const char *name, const char *data, size_t len,
    struct overview **out, char *err, size_t errlen);
void ovw_free(struct overview *o);

/*
 * Find the overview for a note, first match wins:
 *   1. flag (--overview FILE), relative to the current directory;
 *   2. front-matter "overview:" (relative to the note's folder);
 *   3. NOTE.overview.md beside the note (note.md -> note.overview.md);
 *   4. overview.md, then curriculum.md, in the note's folder and then in
 *      each parent folder, up to the repository root (a folder with
 *      .git) or the home folder; only the note's folder when neither
 *      holds it.
 * A "#REF" after the file in 1 and 2 is left out (ovw_ref_of()).
 * Returns RN_OK with a newly allocated path, or RN_EINPUT with a message
 * that lists the options.
 */
enum rn_status ovw_locate(const char *note_path, const char *flag,
    const char *front_matter, char **out, char *err, size_t errlen);

/* --- learning paths -------------------------------------------------------
 *
 * A learning path is one file holding many overviews, one section per note:
 * "## 2. Rust's Memory Model", "## Chapter 2: Title", "### 2) Title", or
 * headings of one level that each carry their own purpose or topic list.
 * A heading is a section when the text it owns has a purpose line or a
 * topic marker ("Write about:"), or it is numbered "Chapter N" (and the
 * like) with bullets under it.  Nested such headings belong to the outer
 * one, unless the outer one is an unnumbered title over numbered
 * sections, or they continue its numbering (levels mixed by mistake).
 * Text before the first section is the introduction and belongs to none.
 * A file with fewer than two sections is one overview, parsed exactly as
 * ovw_load() does, and is a path of one section.
 */

struct ovw_section {
	int number;		/* 2 in "## 2. Title"; 0 when unnumbered */
	char *title;		/* "Rust's Memory Model (No Ownership Yet)":
				   plain text, without the number */
	char *short_title;	/* without asides: "Rust's Memory Model" */
	char *anchor;		/* GitHub-style, of the whole heading:
				   "2-rusts-memory-model-no-ownership-yet" */
	int line, end_line;	/* the lines of the file it spans */
	struct overview *ovw;	/* parsed as one overview; NULL when the
				   section is unusable, error says why */
	char *error;		/* "path.md: section 3 (Ownership) has no
				   topics ..."; NULL when ovw is set */
	char **subjects;	/* main subjects, from the short title:
				   "Borrowing and references" gives
				   "borrowing", "references" */
	int nsubjects;
};

struct ovw_path {
	char *path;		/* the file, as given */
	char *title;		/* heading before the first section, or NULL */
	struct ovw_section *sections;	/* in file order; at least one */
	int nsections;
	int single;		/* 1: the file is one overview, not a path */
};

/*
 * Load a file as a learning path (checked as ovw_load() checks).  RN_OK,
 * or RN_EINPUT with a message when the file is unusable or, for a single
 * overview, holds neither topics nor rules.  A path loads even when some
 * of its sections are unusable: choosing one of those fails.
 */
enum rn_status ovw_path_load(const char *path, struct ovw_path **out, char *err,
    size_t errlen);
enum rn_status ovw_path_parse(const char *name, const char *data, size_t len,
    struct ovw_path **out, char *err, size_t errlen);
void ovw_path_free(struct ovw_path *p);

/*
 * A section by reference: a number ("2") or an anchor or the words of one
 * ("rusts-memory-model", "memory-model"; a whole anchor first, then any
 * section whose anchor holds the words in order).  RN_OK with its index,
 * else RN_EINPUT with a message naming ref, listing the sections (none
 * matches) or the matches (more than one does).
 */
enum rn_status ovw_path_find(const struct ovw_path *p, const char *ref,
    int *index, char *err, size_t errlen);

/* How a section was chosen for a note: the steps of ovw_path_choose(). */
enum ovw_how {
	OVW_BY_FLAG,		/* --overview FILE#REF */
	OVW_BY_FRONT_MATTER,	/* overview: FILE#REF, or section: REF */
	OVW_BY_FILE_NAME,	/* 02-memory.md, ch2_memory.md */
	OVW_BY_HEADING,		/* the note's first heading names it */
	OVW_ONLY		/* the file is a single overview */
};

/*
 * Choose the section for note n, first match wins:
 *   1. flag_ref, from "--overview FILE#REF" (NULL when none);
 *   2. the front matter: "overview: FILE#REF" (fm_ref, NULL when none),
 *      else "section: REF";
 *   3. the number the note's file name starts with ("02-memory.md",
 *      "2_memory.md", "ch02-memory.md"), when a section has it;
 *   4. the note's first heading matched against the section titles by
 *      words, stems and numbers;
 *   5. else RN_EINPUT, listing the sections and the ways to pick one.
 * A reference that matches no section, or two, is RN_EINPUT naming it; so
 * is a chosen section that is unusable.  A single overview is always
 * chosen unless a reference does not match it.  *how may be NULL.
 */
enum rn_status ovw_path_choose(const struct ovw_path *p, const struct note *n,
    const char *flag_ref, const char *fm_ref, int *index,
    enum ovw_how *how, char *err, size_t errlen);

/*
 * "section 2 of path.md: Rust's Memory Model" (the file's base name, the
 * short title); for a single overview, the file's base name.
 */
char *ovw_section_label(const struct ovw_path *p, int index);

/*
 * "FILE#REF" -> the position of REF in spec, or NULL when spec has no
 * '#' or is itself an existing file.
 */
const char *ovw_ref_of(const char *spec);

/*
 * What a note is reviewed against: its overview file found (ovw_locate()),
 * loaded as a path, and the section chosen (ovw_path_choose()).
 */
struct ovw_choice {
	char *file;			/* the overview file, without #REF */
	struct ovw_path *path;
	int index;			/* the section chosen */
	enum ovw_how how;
	const struct overview *ovw;	/* path->sections[index].ovw */
};

/*
 * All of it for note n with --overview value flag (may be NULL); RN_OK,
 * or RN_EINPUT with the message of the step that failed.  The choice is
 * zeroed first, and freed with ovw_choice_free() either way.
 */
enum rn_status ovw_choose(const struct note *n, const char *flag,
    struct ovw_choice *c, char *err, size_t errlen);
void ovw_choice_free(struct ovw_choice *c);

/*
 * Read o's file again (it may have been edited) and find o's section in
 * it: the same anchor, else the same number, else the same title.  A file
 * that is one overview gives its one section.  RN_OK with the new path
 * in *out and the section in *index, else RN_EINPUT with a message.
 */
enum rn_status ovw_path_reload(const struct overview *o, struct ovw_path **out,
    int *index, char *err, size_t errlen);

#endif
