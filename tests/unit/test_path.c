/*
 * test_path.c - learning paths: files of many overviews, one section per
 * note, written in different ways; finding a section and choosing the
 * one a note is about.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"

#include "testutil.h"

#define PATHS	"tests/notes/paths/"
#define SAMPLE	"notes/curriculum.md"

/* --- helpers ------------------------------------------------------------- */

static struct ovw_path *
load_path(const char *file)
{
	struct ovw_path	*p = NULL;
	char		 err[RN_ERRLEN] = "";

	if (ovw_path_load(file, &p, err, sizeof err) != RN_OK)
		fail_msg("%s", err);
	assert_non_null(p);
	return p;
}

static struct ovw_path *
parse_path(const char *text)
{
	struct ovw_path	*p = NULL;
	char		 err[RN_ERRLEN] = "";

	if (ovw_path_parse("path.md", text, strlen(text), &p, err,
	    sizeof err) != RN_OK)
		fail_msg("%s", err);
	return p;
}

/* want: "N|title|first line|last line|number of topics", one a section. */
static void
expect_sections(const struct ovw_path *p, const char *const *want)
{
	const struct ovw_section	*s;
	char				*got;
	int				 i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= p->nsections)
			fail_msg("missing section %d: %s", i, want[i]);
		s = &p->sections[i];
		got = xasprintf("%d|%s|%d|%d|%d", s->number, s->title,
		    s->line, s->end_line, s->ovw != NULL ? s->ovw->ntopics :
		    -1);
		assert_string_equal(got, want[i]);
		free(got);
	}
	assert_int_equal(p->nsections, i);
	assert_int_equal(p->single, 0);
}

static const char *
topic(const struct ovw_path *p, int sec, int t)
{
	assert_non_null(p->sections[sec].ovw);
	assert_true(t < p->sections[sec].ovw->ntopics);
	return p->sections[sec].ovw->topics[t].title;
}

static struct note *
note_of(const char *name, const char *text)
{
	struct note	*n = NULL;
	char		 err[RN_ERRLEN];

	if (note_parse(name, text, strlen(text), &n, err, sizeof err) !=
	    RN_OK)
		fail_msg("%s", err);
	return n;
}

/* Choose for a note with this name and text; returns the index or -1. */
static int
choose(const struct ovw_path *p, const char *name, const char *text,
    const char *flag_ref, enum ovw_how *how, char *err, size_t errlen)
{
	struct note	*n = note_of(name, text);
	int		 index = -2, rc;

	rc = ovw_path_choose(p, n, flag_ref, NULL, &index, how, err, errlen);
	note_free(n);
	assert_true(rc == RN_OK || rc == RN_EINPUT);
	assert_true(rc == RN_OK ? index >= 0 : index == -1);
	return index;
}

/* --- six ways to write a learning path ----------------------------------- */

/* The bundled sample: the seed's section 2 among five others. */
static void
test_numbered(void **state)
{
	static const char *const want[] = {
		"1|Why Rust? (Before Any Code)|7|18|4",
		"2|Rust's Memory Model (No Ownership Yet)|20|32|5",
		"3|Ownership (The Laws)|34|46|5",
		"4|Borrowing and References|48|59|4",
		"5|Lifetimes|61|72|4",
		"6|Smart Pointers (Ownership on the Heap)|74|85|4",
		NULL
	};
	struct ovw_path			*p = load_path(SAMPLE);
	const struct ovw_section	*s = &p->sections[1];

	(void)state;
	expect_sections(p, want);
	assert_string_equal(p->title,
	    "Learning Rust: Memory, Ownership and Borrowing");
	assert_string_equal(s->short_title, "Rust's Memory Model");
	assert_string_equal(s->anchor, "2-rusts-memory-model-no-ownership-yet");
	assert_string_equal(s->ovw->title,
	    "2. Rust's Memory Model (No Ownership Yet)");
	assert_string_equal(s->ovw->purpose,
	    "describe the battlefield before introducing laws.");
	assert_string_equal(topic(p, 1, 0), "Stack vs heap");
	assert_int_equal(s->ovw->topics[0].line, 26);	/* in the whole file */
	assert_int_equal(s->ovw->nrules, 1);
	assert_int_equal(s->ovw->rules[0].line, 32);
	assert_ptr_equal(s->ovw->in_path, p);
	assert_int_equal(s->ovw->section, 1);
	/* its text is the section's only, for the prompt */
	assert_non_null(strstr(s->ovw->src, "one deallocator"));
	assert_null(strstr(s->ovw->src, "Zero-cost"));
	assert_null(strstr(s->ovw->src, "ownership rules"));
	assert_int_equal(p->sections[3].nsubjects, 2);
	assert_string_equal(p->sections[3].subjects[0], "borrowing");
	assert_string_equal(p->sections[3].subjects[1], "references");
	assert_string_equal(p->sections[5].subjects[0], "smart pointers");
	/* "Why Rust?" names no subject; "Rust's" is no part of one */
	assert_int_equal(p->sections[0].nsubjects, 0);
	assert_string_equal(p->sections[1].subjects[0], "memory model");
	ovw_path_free(p);
}

/*
 * The section of the sample path is the seed's overview, read the same:
 * same title, purpose, topics, sub-points and rules.
 */
static void
test_sample_section_is_the_seed_overview(void **state)
{
	struct ovw_path	*p = load_path(SAMPLE);
	struct overview	*o = NULL;
	const struct overview *s = p->sections[1].ovw;
	char		 err[RN_ERRLEN];
	int		 i, k;

	(void)state;
	assert_int_equal(ovw_load("notes/memory-model.overview.md", &o, err,
	    sizeof err), RN_OK);
	assert_string_equal(s->title, o->title);
	assert_string_equal(s->purpose, o->purpose);
	assert_int_equal(s->ntopics, o->ntopics);
	for (i = 0; i < o->ntopics; i++) {
		assert_string_equal(s->topics[i].title, o->topics[i].title);
		assert_string_equal(s->topics[i].text, o->topics[i].text);
		assert_int_equal(s->topics[i].nsub, o->topics[i].nsub);
		for (k = 0; k < o->topics[i].nsub; k++)
			assert_string_equal(s->topics[i].subpoints[k],
			    o->topics[i].subpoints[k]);
	}
	assert_int_equal(s->nrules, o->nrules);
	for (i = 0; i < o->nrules; i++) {
		assert_string_equal(s->rules[i].text, o->rules[i].text);
		assert_int_equal(s->rules[i].nterms, o->rules[i].nterms);
	}
	ovw_free(o);
	ovw_path_free(p);
}

static void
test_unnumbered(void **state)
{
	static const char *const want[] = {
		"0|Variables and mutability|3|12|3",
		"0|Control flow|14|20|2",
		"0|Functions|22|30|2",
		NULL
	};
	struct ovw_path	*p = load_path(PATHS "unnumbered.md");

	(void)state;
	expect_sections(p, want);
	assert_string_equal(p->sections[0].anchor, "variables-and-mutability");
	assert_int_equal(p->sections[0].ovw->nrules, 1);
	assert_int_equal(p->sections[1].ovw->nrules, 0);
	assert_string_equal(topic(p, 2, 1), "Statements vs expressions");
	ovw_path_free(p);
}

/* "Chapter N:" with bare bullets, no purpose or marker. */
static void
test_chapters(void **state)
{
	static const char *const want[] = {
		"1|Getting Started|3|6|3",
		"2|Guessing Game|8|11|2",
		"3|Common Concepts|13|16|3",
		"4|Understanding Ownership|18|20|2",
		NULL
	};
	struct ovw_path	*p = load_path(PATHS "chapters.md");

	(void)state;
	expect_sections(p, want);
	assert_string_equal(p->sections[0].anchor, "chapter-1-getting-started");
	assert_string_equal(p->sections[3].anchor,
	    "chapter-4---understanding-ownership");
	assert_int_equal(p->sections[1].ovw->nrules, 1);
	assert_int_equal(p->sections[3].nsubjects, 1);
	assert_string_equal(p->sections[3].subjects[0], "ownership");
	ovw_path_free(p);
	/* "Part 2" and "Basics" are no subjects */
	p = parse_path("## 1. Traits, Part 2\n\nCover:\n- a\n\n"
	    "## 2. Basics & Closures\n\nCover:\n- b\n");
	assert_int_equal(p->sections[0].nsubjects, 1);
	assert_string_equal(p->sections[0].subjects[0], "traits");
	assert_int_equal(p->sections[1].nsubjects, 1);
	assert_string_equal(p->sections[1].subjects[0], "closures");
	ovw_path_free(p);
}

/*
 * Parts over numbered sections; a sub-heading with its own "Write
 * about:" stays in its section.
 */
static void
test_nested_levels(void **state)
{
	static const char *const want[] = {
		"1|Values and Types|7|13|2",
		"2|Memory|15|26|3",
		"3|Ownership|30|38|2",
		"4|Borrowing|40|45|1",
		NULL
	};
	struct ovw_path	*p = load_path(PATHS "nested.md");

	(void)state;
	expect_sections(p, want);
	assert_string_equal(topic(p, 1, 2), "Sized and unsized types");
	assert_null(strstr(p->sections[1].ovw->src, "Part II"));
	assert_string_equal(p->title, "Rust from scratch");
	ovw_path_free(p);
}

/* An introduction and a how-to before section 1 belong to no section. */
static void
test_introduction_first(void **state)
{
	static const char *const want[] = {
		"1|Why Rust|14|20|2",
		"2|Memory Model|22|30|2",
		"3|Ownership|32|38|2",
		NULL
	};
	struct ovw_path	*p = load_path(PATHS "intro.md");

	(void)state;
	expect_sections(p, want);
	assert_string_equal(topic(p, 0, 0), "Memory safety");
	ovw_path_free(p);
}

/* CRLF line ends, a BOM and "### N)" headings. */
static void
test_crlf(void **state)
{
	static const char *const want[] = {
		"1|Vectors|3|9|2",
		"2|Strings|11|19|2",
		"3|Hash Maps|21|27|2",
		NULL
	};
	struct ovw_path	*p = load_path(PATHS "crlf.md");

	(void)state;
	expect_sections(p, want);
	assert_string_equal(topic(p, 1, 0), "String vs &str");
	assert_string_equal(p->sections[1].ovw->rules[0].terms[0],
	    "formatting");
	assert_null(strchr(p->sections[2].title, '\r'));
	assert_string_equal(p->sections[2].anchor, "3-hash-maps");
	ovw_path_free(p);
}

/* "### 2." between "## 1." and "## 3.": the numbers say they are peers. */
static void
test_mixed_levels(void **state)
{
	static const char *const want[] = {
		"1|Basics|3|8|1",
		"2|Memory|10|15|1",
		"3|Ownership|17|22|1",
		NULL
	};
	struct ovw_path	*p = load_path(PATHS "mixed-levels.md");

	(void)state;
	expect_sections(p, want);
	ovw_path_free(p);
}

/* Every outline of the overview tests is one overview, read as before. */
static void
test_single_overviews_stay(void **state)
{
	static const char *const files[] = {
		"tests/notes/overviews/bold-markers.md",
		"tests/notes/overviews/colon-subpoints.md",
		"tests/notes/overviews/crlf-bom.md",
		"tests/notes/overviews/explain-skip.md",
		"tests/notes/overviews/heading-asides.md",
		"tests/notes/overviews/heading-groups.md",
		"tests/notes/overviews/heading-topics.md",
		"tests/notes/overviews/llm-verbose.md",
		"tests/notes/overviews/mid-sentence-rules.md",
		"tests/notes/overviews/numbered-paren.md",
		"tests/notes/overviews/objectives-constraints.md",
		"tests/notes/overviews/ownership-sections.md",
		"tests/notes/overviews/plain-bullets.md",
		"tests/notes/offline/mixed.overview.md",
		"tests/notes/offline/ownership.overview.md",
		"notes/memory-model.overview.md",
		NULL
	};
	struct ovw_path	*p;
	struct overview	*o;
	char		 err[RN_ERRLEN];
	int		 i, k;

	(void)state;
	for (i = 0; files[i] != NULL; i++) {
		p = load_path(files[i]);
		assert_int_equal(ovw_load(files[i], &o, err, sizeof err),
		    RN_OK);
		if (!p->single || p->nsections != 1)
			fail_msg("%s: read as %d sections", files[i],
			    p->nsections);
		assert_string_equal(p->sections[0].ovw->title, o->title);
		assert_string_equal(p->sections[0].ovw->src, o->src);
		assert_int_equal(p->sections[0].ovw->ntopics, o->ntopics);
		for (k = 0; k < o->ntopics; k++)
			assert_string_equal(p->sections[0].ovw->topics[k].title,
			    o->topics[k].title);
		assert_int_equal(p->sections[0].ovw->nrules, o->nrules);
		ovw_free(o);
		ovw_path_free(p);
	}
	p = load_path("tests/notes/overviews/heading-asides.md");
	assert_int_equal(p->sections[0].number, 7);
	assert_string_equal(p->sections[0].title, "Error Handling");
	ovw_path_free(p);
}

/* --- bad input ----------------------------------------------------------- */

static void
test_section_without_topics(void **state)
{
	struct ovw_path	*p = load_path(PATHS "bad.md");
	char		 err[RN_ERRLEN];
	enum ovw_how	 how;

	(void)state;
	assert_int_equal(p->nsections, 4);
	assert_null(p->sections[3].ovw);
	assert_string_equal(p->sections[3].error, PATHS "bad.md: section 3 "
	    "(Summary so far) has no topics (expected a bulleted list)");
	/* the path loads; choosing that section fails, with the message */
	assert_int_equal(choose(p, "n.md", "# x\n", "3", &how, err,
	    sizeof err), -1);
	assert_string_equal(err, p->sections[3].error);
	assert_int_equal(choose(p, "n.md", "# x\n", "1", &how, err,
	    sizeof err), 0);
	ovw_path_free(p);
}

static void
test_duplicate_numbers(void **state)
{
	struct ovw_path	*p = load_path(PATHS "bad.md");
	char		 err[RN_ERRLEN];
	int		 index;

	(void)state;
	assert_int_equal(ovw_path_find(p, "2", &index, err, sizeof err),
	    RN_EINPUT);
	assert_int_equal(index, -1);
	assert_string_equal(err, PATHS "bad.md#2 matches 2 sections: "
	    "2. Ownership and functions (line 10), 2. Borrowing (line 17); "
	    "use the number or the whole anchor");
	/* the anchor still tells them apart */
	assert_int_equal(ovw_path_find(p, "2-borrowing", &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 2);
	/* a file name number that two sections have is no choice either */
	assert_int_equal(choose(p, "02-x.md", "# Borrowing\n", NULL, NULL,
	    err, sizeof err), -1);
	assert_non_null(strstr(err, "matches 2 sections"));
	ovw_path_free(p);
}

static void
test_anchor_matching_two(void **state)
{
	struct ovw_path	*p = load_path(PATHS "bad.md");
	char		 err[RN_ERRLEN];
	int		 index;

	(void)state;
	assert_int_equal(ovw_path_find(p, "ownership", &index, err,
	    sizeof err), RN_EINPUT);
	assert_string_equal(err, PATHS "bad.md#ownership matches 2 sections: "
	    "1. Ownership basics (line 3), 2. Ownership and functions "
	    "(line 10); use the number or the whole anchor");
	assert_int_equal(ovw_path_find(p, "ownership-basics", &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 0);
	ovw_path_free(p);
}

static void
test_unknown_reference(void **state)
{
	struct ovw_path	*p = load_path(SAMPLE);
	char		 err[RN_ERRLEN];
	int		 index;

	(void)state;
	assert_int_equal(ovw_path_find(p, "9", &index, err, sizeof err),
	    RN_EINPUT);
	assert_string_equal(err, SAMPLE " has no section '9' (sections: "
	    "1. Why Rust, 2. Rust's Memory Model, 3. Ownership, 4. Borrowing "
	    "and References, 5. Lifetimes, 6. Smart Pointers)");
	assert_int_equal(ovw_path_find(p, "traits", &index, err, sizeof err),
	    RN_EINPUT);
	assert_non_null(strstr(err, "has no section 'traits'"));
	ovw_path_free(p);
}

/* 200 sections: all found, numbered in order (the time is in make bench). */
static void
test_two_hundred_sections(void **state)
{
	struct ovw_path	*p;
	struct buf	 b;
	char		 err[RN_ERRLEN];
	int		 i, index;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "# A long path\n\n");
	for (i = 1; i <= 200; i++)
		buf_printf(&b, "## %d. Subject %d\n\n**Purpose:** part %d.\n\n"
		    "Write about:\n\n* Topic %d (a, b)\n* Another\n\n"
		    "Do not mention thing%d here.\n\n", i, i, i, i, i);
	p = parse_path(buf_str(&b));
	buf_free(&b);
	assert_int_equal(p->nsections, 200);
	for (i = 0; i < 200; i++) {
		assert_int_equal(p->sections[i].number, i + 1);
		assert_int_equal(p->sections[i].ovw->ntopics, 2);
		assert_int_equal(p->sections[i].ovw->nrules, 1);
	}
	assert_int_equal(ovw_path_find(p, "150", &index, err, sizeof err),
	    RN_OK);
	assert_int_equal(index, 149);
	assert_int_equal(ovw_path_find(p, "subject-150", &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 149);
	ovw_path_free(p);
}

/* --- finding and choosing ------------------------------------------------ */

static void
test_find(void **state)
{
	struct ovw_path	*p = load_path(SAMPLE);
	char		 err[RN_ERRLEN];
	int		 index;

	(void)state;
	assert_int_equal(ovw_path_find(p, "2", &index, err, sizeof err),
	    RN_OK);
	assert_int_equal(index, 1);
	assert_int_equal(ovw_path_find(p,
	    "2-rusts-memory-model-no-ownership-yet", &index, err, sizeof err),
	    RN_OK);
	assert_int_equal(index, 1);
	/* the title's anchor without the number, and words of it */
	assert_int_equal(ovw_path_find(p, "lifetimes", &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 4);
	assert_int_equal(ovw_path_find(p, "memory-model", &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 1);
	assert_int_equal(ovw_path_find(p, "Smart Pointers", &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 5);
	ovw_path_free(p);
}

static void
test_choose_by_reference(void **state)
{
	struct ovw_path	*p = load_path(SAMPLE);
	char		 err[RN_ERRLEN];
	enum ovw_how	 how;
	struct note	*n;
	int		 index;

	(void)state;
	/* 1. the flag wins over everything the note says */
	assert_int_equal(choose(p, "02-memory.md", "---\nsection: 5\n---\n"
	    "# Rust's memory model\n", "4", &how, err, sizeof err), 3);
	assert_int_equal(how, OVW_BY_FLAG);
	/* 2. front matter "section:", then "overview: FILE#REF" */
	assert_int_equal(choose(p, "02-memory.md", "---\nsection: 5\n---\n"
	    "# Rust's memory model\n", NULL, &how, err, sizeof err), 4);
	assert_int_equal(how, OVW_BY_FRONT_MATTER);
	assert_int_equal(choose(p, "x.md", "---\ntitle: x\nsection: "
	    "\"#lifetimes\"\n---\n# x\n", NULL, &how, err, sizeof err), 4);
	n = note_of("x.md", "---\nsection: 1\n---\n# x\n");
	assert_int_equal(ovw_path_choose(p, n, NULL, "smart-pointers", &index,
	    &how, err, sizeof err), RN_OK);
	assert_int_equal(index, 5);
	assert_int_equal(how, OVW_BY_FRONT_MATTER);
	note_free(n);
	/* a reference that names nothing is an error, not a fall-through */
	assert_int_equal(choose(p, "02-memory.md", "# Rust's memory model\n",
	    "9", &how, err, sizeof err), -1);
	assert_non_null(strstr(err, "has no section '9'"));
	assert_int_equal(choose(p, "02-memory.md", "---\nsection: 9\n---\n"
	    "# x\n", NULL, &how, err, sizeof err), -1);
	ovw_path_free(p);
}

static void
test_choose_by_file_name(void **state)
{
	static const char *const names[] = {
		"02-memory.md", "2_memory.md", "ch02-memory.md",
		"notes/ch2_memory.md", "chapter-2-memory.md", "002.md",
		"lesson02 memory.md", NULL
	};
	struct ovw_path	*p = load_path(SAMPLE);
	char		 err[RN_ERRLEN];
	enum ovw_how	 how;
	int		 i;

	(void)state;
	for (i = 0; names[i] != NULL; i++) {
		if (choose(p, names[i], "# Lifetimes\n", NULL, &how, err,
		    sizeof err) != 1)
			fail_msg("%s: %s", names[i], err);
		assert_int_equal(how, OVW_BY_FILE_NAME);
	}
	/* no such section: the heading decides */
	assert_int_equal(choose(p, "12-x.md", "# Lifetimes\n", NULL, &how,
	    err, sizeof err), 4);
	assert_int_equal(how, OVW_BY_HEADING);
	/* numbers that are not at the start or not alone */
	assert_int_equal(choose(p, "memory2.md", "# Lifetimes\n", NULL, &how,
	    err, sizeof err), 4);
	assert_int_equal(choose(p, "2024rust.md", "# Lifetimes\n", NULL, &how,
	    err, sizeof err), 4);
	ovw_path_free(p);
}

static void
test_choose_by_heading(void **state)
{
	struct ovw_path	*p = load_path(SAMPLE);
	char		 err[RN_ERRLEN];
	enum ovw_how	 how;

	(void)state;
	/* the seed note's own first heading */
	assert_int_equal(choose(p, "memory-model.md",
	    "## Rust's memory model\n### Stack vs heap\ntext\n", NULL, &how,
	    err, sizeof err), 1);
	assert_int_equal(how, OVW_BY_HEADING);
	assert_int_equal(choose(p, "x.md", "# Smart pointer\n", NULL, &how,
	    err, sizeof err), 5);
	assert_int_equal(choose(p, "x.md", "# Borrowing & references\n",
	    NULL, &how, err, sizeof err), 3);
	assert_int_equal(choose(p, "x.md", "# 3. My ownership notes\n", NULL,
	    &how, err, sizeof err), 2);
	assert_int_equal(choose(p, "x.md", "# Why Rust?\n", NULL, &how, err,
	    sizeof err), 0);
	ovw_path_free(p);
}

static void
test_choose_fails_listing_sections(void **state)
{
	struct ovw_path	*p = load_path(SAMPLE);
	char		 err[RN_ERRLEN];

	(void)state;
	assert_int_equal(choose(p, "notes/traits.md", "# Traits\n", NULL, NULL,
	    err, sizeof err), -1);
	assert_string_equal(err, "notes/traits.md: which section of " SAMPLE
	    " is this note? It has 6: 1. Why Rust, 2. Rust's Memory Model, "
	    "3. Ownership, 4. Borrowing and References, 5. Lifetimes, "
	    "6. Smart Pointers. Pick one with --overview " SAMPLE "#N, front "
	    "matter 'section: N', a file name that starts with the number "
	    "(02-name.md) or a first heading that names the section");
	/* no heading at all */
	assert_int_equal(choose(p, "x.md", "text only\n", NULL, NULL, err,
	    sizeof err), -1);
	assert_non_null(strstr(err, "which section"));
	ovw_path_free(p);
}

static void
test_single_overview_choice(void **state)
{
	struct ovw_path	*p = load_path("notes/memory-model.overview.md");
	char		 err[RN_ERRLEN];
	enum ovw_how	 how;
	char		*label;

	(void)state;
	assert_int_equal(choose(p, "07-x.md", "# Other\n", NULL, &how, err,
	    sizeof err), 0);
	assert_int_equal(how, OVW_ONLY);
	assert_int_equal(choose(p, "x.md", "# x\n", "2", &how, err,
	    sizeof err), 0);
	assert_int_equal(how, OVW_BY_FLAG);
	assert_int_equal(choose(p, "x.md", "# x\n", "5", &how, err,
	    sizeof err), -1);
	label = ovw_section_label(p, 0);
	assert_string_equal(label, "memory-model.overview.md");
	free(label);
	ovw_path_free(p);
}

static void
test_labels(void **state)
{
	struct ovw_path	*p = load_path(SAMPLE);
	char		*label;

	(void)state;
	label = ovw_section_label(p, 1);
	assert_string_equal(label,
	    "section 2 of curriculum.md: Rust's Memory Model");
	free(label);
	ovw_path_free(p);
	p = load_path(PATHS "unnumbered.md");
	label = ovw_section_label(p, 1);
	assert_string_equal(label, "section 'Control flow' of unnumbered.md");
	free(label);
	ovw_path_free(p);
}

static void
test_ref_of(void **state)
{
	(void)state;
	assert_string_equal(ovw_ref_of("path.md#2"), "2");
	assert_string_equal(ovw_ref_of("a#b/path.md#memory-model"),
	    "memory-model");
	assert_null(ovw_ref_of("path.md"));
	assert_null(ovw_ref_of(SAMPLE));
}

/* --- finding the file ---------------------------------------------------- */

static int
tmp_setup(void **state)
{
	return tmp_create(state, "rn-path");
}

static void
test_locate_in_parents(void **state)
{
	struct tmp	*t = *state;
	char		*dir, *note, *out = NULL, *want, *root;
	char		 err[RN_ERRLEN];

	dir = xasprintf("%s/repo/notes/week1", t->dir);
	assert_int_equal(util_mkdirs(dir, 0755), 0);
	note = xasprintf("%s/02-memory.md", dir);
	root = xasprintf("%s/repo/curriculum.md", t->dir);
	free(write_file(t, "repo/curriculum.md", "- a\n", 4));
	/* no repository root above: only the note's folder is searched */
	assert_int_equal(ovw_locate(note, NULL, NULL, &out, err, sizeof err),
	    RN_EINPUT);
	assert_non_null(strstr(err, "curriculum.md in its folder or a parent"));
	/* with one, the parents up to it */
	want = xasprintf("%s/repo/.git", t->dir);
	assert_int_equal(util_mkdirs(want, 0755), 0);
	free(want);
	assert_int_equal(ovw_locate(note, NULL, NULL, &out, err, sizeof err),
	    RN_OK);
	want = xasprintf("%s/../../curriculum.md", dir);
	assert_string_equal(out, want);
	assert_true(util_file_exists(out));
	free(want);
	free(out);
	/* a nearer overview.md wins, and overview.md before curriculum.md */
	free(write_file(t, "repo/notes/curriculum.md", "- a\n", 4));
	free(write_file(t, "repo/notes/overview.md", "- a\n", 4));
	assert_int_equal(ovw_locate(note, NULL, NULL, &out, err, sizeof err),
	    RN_OK);
	want = xasprintf("%s/../overview.md", dir);
	assert_string_equal(out, want);
	free(want);
	free(out);
	/* the flag and the front matter lose their "#REF" */
	assert_int_equal(ovw_locate(note, "p.md#2", NULL, &out, err,
	    sizeof err), RN_OK);
	assert_string_equal(out, "p.md");
	free(out);
	assert_int_equal(ovw_locate(note, NULL, "../p.md#memory", &out, err,
	    sizeof err), RN_OK);
	want = xasprintf("%s/../p.md", dir);
	assert_string_equal(out, want);
	free(want);
	free(out);
	free(root);
	free(note);
	free(dir);
}

/* ovw_choose(): the file found, loaded and the section chosen. */
static void
test_choose_all_steps(void **state)
{
	struct tmp		*t = *state;
	struct ovw_choice	 c;
	struct note		*n;
	char			 err[RN_ERRLEN], *path;
	const char		*data;
	char			*copy = NULL;
	size_t			 len;

	assert_int_equal(util_read_file(SAMPLE, 1 << 20, &copy, &len, err,
	    sizeof err), RN_OK);
	free(write_file(t, "curriculum.md", copy, len));
	free(copy);
	path = write_file(t, "03-own.md", "# Notes\n", 8);
	assert_int_equal(note_load(path, &n, err, sizeof err), RN_OK);
	assert_int_equal(ovw_choose(n, NULL, &c, err, sizeof err), RN_OK);
	assert_int_equal(c.index, 2);
	assert_int_equal(c.how, OVW_BY_FILE_NAME);
	assert_ptr_equal(c.ovw, c.path->sections[2].ovw);
	assert_string_equal(c.ovw->title, "3. Ownership (The Laws)");
	ovw_choice_free(&c);
	free(path);
	/* the flag's file and reference */
	path = xasprintf("%s/curriculum.md#5", t->dir);
	assert_int_equal(ovw_choose(n, path, &c, err, sizeof err), RN_OK);
	assert_int_equal(c.index, 4);
	assert_int_equal(c.how, OVW_BY_FLAG);
	ovw_choice_free(&c);
	free(path);
	note_free(n);
	/* front matter "overview: FILE#REF" */
	data = "---\noverview: curriculum.md#lifetimes\n---\n# x\n";
	path = write_file(t, "x.md", data, strlen(data));
	assert_int_equal(note_load(path, &n, err, sizeof err), RN_OK);
	assert_int_equal(ovw_choose(n, NULL, &c, err, sizeof err), RN_OK);
	assert_int_equal(c.index, 4);
	assert_int_equal(c.how, OVW_BY_FRONT_MATTER);
	ovw_choice_free(&c);
	note_free(n);
	free(path);
}

/* The file read again after an edit: the same section, found anew. */
static void
test_reload(void **state)
{
	struct tmp	*t = *state;
	struct ovw_path	*p, *q;
	char		 err[RN_ERRLEN], *file, *data = NULL, *edited;
	size_t		 len;
	int		 index;

	assert_int_equal(util_read_file(SAMPLE, 1 << 20, &data, &len, err,
	    sizeof err), RN_OK);
	file = write_file(t, "path.md", data, len);
	p = load_path(file);
	/* a section put before it: found by its anchor */
	edited = xasprintf("## 0. Setup\n\nPurpose: install.\n\nWrite "
	    "about:\n- rustup\n\n%s", data);
	free(write_file(t, "path.md", edited, strlen(edited)));
	free(edited);
	assert_int_equal(ovw_path_reload(p->sections[1].ovw, &q, &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 2);
	assert_string_equal(q->sections[index].ovw->title,
	    "2. Rust's Memory Model (No Ownership Yet)");
	ovw_path_free(q);
	/* its title edited: found by its number */
	edited = xstrdup(data);
	memcpy(strstr(edited, "(No Ownership Yet)"), "(No Ownership Now)", 18);
	free(write_file(t, "path.md", edited, strlen(edited)));
	free(edited);
	assert_int_equal(ovw_path_reload(p->sections[1].ovw, &q, &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 1);
	assert_string_equal(q->sections[1].title,
	    "Rust's Memory Model (No Ownership Now)");
	ovw_path_free(q);
	/* the file is one overview now: the section is gone */
	free(write_file(t, "path.md", "# Other\n\n- a\n", 13));
	assert_int_equal(ovw_path_reload(p->sections[1].ovw, &q, &index, err,
	    sizeof err), RN_EINPUT);
	assert_null(q);
	assert_int_equal(index, -1);
	assert_non_null(strstr(err, "the section is gone"));
	ovw_path_free(p);
	/* a single overview reads again as itself */
	p = load_path(file);
	assert_int_equal(ovw_path_reload(p->sections[0].ovw, &q, &index, err,
	    sizeof err), RN_OK);
	assert_int_equal(index, 0);
	assert_int_equal(q->single, 1);
	ovw_path_free(q);
	ovw_path_free(p);
	free(file);
	free(data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbered),
		cmocka_unit_test(test_sample_section_is_the_seed_overview),
		cmocka_unit_test(test_unnumbered),
		cmocka_unit_test(test_chapters),
		cmocka_unit_test(test_nested_levels),
		cmocka_unit_test(test_introduction_first),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_mixed_levels),
		cmocka_unit_test(test_single_overviews_stay),
		cmocka_unit_test(test_section_without_topics),
		cmocka_unit_test(test_duplicate_numbers),
		cmocka_unit_test(test_anchor_matching_two),
		cmocka_unit_test(test_unknown_reference),
		cmocka_unit_test(test_two_hundred_sections),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_choose_by_reference),
		cmocka_unit_test(test_choose_by_file_name),
		cmocka_unit_test(test_choose_by_heading),
		cmocka_unit_test(test_choose_fails_listing_sections),
		cmocka_unit_test(test_single_overview_choice),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_ref_of),
		cmocka_unit_test_setup_teardown(test_locate_in_parents,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_choose_all_steps,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_reload, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
