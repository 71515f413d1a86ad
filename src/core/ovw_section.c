/*
 * ovw_section.c - the sections of a learning path: the number and anchor
 * of each, finding one by reference, and choosing the one a note is
 * about (ovw_path_choose(): a reference, the front matter, the file
 * name, the note's first heading).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "ovw_int.h"

#define NUMBER_MAX_DIGITS 4
#define LIST_MAX	  12	/* sections named in a message */

/* Words a section number may follow: "Chapter 2: Title". */
static const char *const section_words[] = {
	"chapter", "section", "part", "lesson", "note", "module", "unit",
	"step", "week", "day", "lecture", "topic", "ch.", "ch", "sec.", "sec",
	NULL
};

/* What a file name may start with before its number: "ch02-memory.md". */
static const char *const name_prefixes[] = {
	"chapter", "section", "lesson", "part", "note", "ch", "sec", "s",
	NULL
};

/* Words that say little about which section a heading names. */
static const char *const stop_words[] = {
	"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "with",
	"what", "how", "why", "is", "are", "my", "notes", "note", "about",
	"vs", "yet", "no", "not", NULL
};

/* Words before a subject that are not part of it: "Understanding X". */
static const char *const subject_fillers[] = {
	"the", "a", "an", "understanding", "intro", "introduction", "to",
	"more", "on", "about", "advanced", "basic", "why", "what", "how",
	"rust's", "rust", NULL
};
#define SUBJECT_MAX_FILLERS 8

/* Subjects that name no subject: "Part 2", "Chapter 3", "Basics". */
static const char *const empty_subjects[] = {
	"part", "chapter", "section", "lesson", "step", "unit", "basics",
	"overview", "summary", "recap", "review", "wrap-up", "next steps",
	NULL
};

/* What joins two subjects in a title: "Borrowing and References". */
static const char *const joiners[] = { " or ", " and ", " nor ", " & ",
	NULL };

/* --- naming a section ---------------------------------------------------- */

/* Skip one "-", en or em dash and the spaces around it. */
static void
skip_dash(const char **p)
{
	const char	*q = *p;

	ovw_skip_space(&q);
	if (*q == '-')
		q++;
	else if (strncmp(q, "\xE2\x80\x93", 3) == 0 ||
	    strncmp(q, "\xE2\x80\x94", 3) == 0)
		q += 3;
	else
		return;
	ovw_skip_space(&q);
	*p = q;
}

int
ovw_heading_number(const char *s, const char **title, bool *word)
{
	const char	*p = s, *digits, *q;
	int		 num = 0;

	*word = false;
	*title = s;
	ovw_skip_space(&p);
	if (ovw_eat_any(&p, section_words))
		*word = true;
	for (digits = p; isdigit((unsigned char)*p); p++)
		if (p - digits < NUMBER_MAX_DIGITS)
			num = num * 10 + (*p - '0');
	if (p == digits || p - digits > NUMBER_MAX_DIGITS || num == 0)
		return 0;
	if (*p == '.' && isdigit((unsigned char)p[1]))
		return 0;		/* "2.1": a part of section 2 */
	if (*p == '.' || *p == ')' || *p == ':')
		p++;
	else if (*p == ' ') {
		q = p;
		skip_dash(&q);
		if (q == p && !*word)
			return 0;	/* "2 apples" is no number */
	} else if (*p != '\0' || !*word)
		return 0;
	skip_dash(&p);
	ovw_skip_space(&p);
	if (*p == '\0' && !*word)
		return 0;
	if (*p == '\0')
		p = s;			/* "Chapter 2" is its own title */
	*title = p;
	return num;
}

char *
ovw_anchor(const char *s)
{
	struct buf	b;
	const char	*p;

	buf_init(&b, 0);
	for (p = s; *p != '\0'; p++) {
		unsigned char	c = (unsigned char)*p;

		if (c == ' ')
			buf_addc(&b, '-');
		else if (isalnum(c) || c == '-' || c == '_')
			buf_addc(&b, (char)tolower(c));
		else if (c >= 0x80 && strncmp(p, "\xE2\x80", 2) != 0)
			buf_addc(&b, (char)c);	/* letters of other scripts */
		else if (c >= 0x80)
			p += 2;			/* dashes, curly quotes */
	}
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

struct subject_sink {
	struct ovw_section	*s;
};

static void
add_subject(void *ud, const char *s, size_t len)
{
	struct ovw_section	*sec = ((struct subject_sink *)ud)->s;
	char			*t = xstrndup(s, len), *p;
	int			 n;

	for (p = t; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	ovw_strip_quotes(t);
	ovw_trim_punct(t);
	for (n = 0; n < SUBJECT_MAX_FILLERS &&
	    ovw_strip_leading_filler(t, subject_fillers); n++)
		;
	len = strcspn(t, "0123456789");
	while (len > 0 && t[len - 1] == ' ')
		len--;		/* "part 2" -> "part" */
	if (*t != '\0' && t[strspn(t, "0123456789 ")] != '\0' &&
	    text_list_index_icase(empty_subjects, t, len) < 0)
		ovw_strv_push(&sec->subjects, &sec->nsubjects, t);
	else
		free(t);
}

/* "Borrowing and References" -> "borrowing", "references". */
static void
find_subjects(struct ovw_section *s)
{
	struct subject_sink	 sink = { s };
	char			*t = xstrdup(s->short_title), *p;
	size_t			 wl;
	int			 i;

	for (p = t; *p != '\0'; p++) {
		if (*p == ':' || *p == '/')
			*p = ',';
		for (i = 0; joiners[i] != NULL; i++) {
			wl = strlen(joiners[i]);
			if (strncasecmp(p, joiners[i], wl) == 0) {
				*p = ',';	/* " and " -> ",    " */
				memset(p + 1, ' ', wl - 2);
				p += wl - 2;
				break;
			}
		}
	}
	ovw_collapse_spaces(t);
	ovw_split_commas(t, add_subject, &sink);
	free(t);
}

void
ovw_section_name(struct ovw_section *s, const char *heading)
{
	char		*clean = ovw_clean_text(heading);
	const char	*title;
	bool		 word;

	s->number = ovw_heading_number(clean, &title, &word);
	s->title = xstrdup(title);
	ovw_trim_punct(s->title);
	s->short_title = xstrdup(s->title);
	ovw_strip_parens(s->short_title);
	ovw_trim_punct(s->short_title);
	if (*s->short_title == '\0') {
		free(s->short_title);
		s->short_title = xstrdup(s->title);
	}
	s->anchor = ovw_anchor(clean);
	find_subjects(s);
	free(clean);
}

/* --- finding a section ------------------------------------------------- */

/* "2. Rust's Memory Model (line 12)" into b. */
static void
add_section_name(struct buf *b, const struct ovw_section *s)
{
	if (s->number > 0)
		buf_printf(b, "%d. ", s->number);
	buf_adds(b, s->short_title);
}

/* "1. Why Rust, 2. Memory Model, ..." of the sections marked in pick. */
static char *
section_list(const struct ovw_path *p, const bool *pick, bool lines)
{
	struct buf	b;
	int		i, shown = 0, total = 0;

	buf_init(&b, 0);
	for (i = 0; i < p->nsections; i++) {
		if (pick != NULL && !pick[i])
			continue;
		if (shown++ >= LIST_MAX) {
			total++;
			continue;
		}
		if (shown > 1)
			buf_adds(&b, ", ");
		add_section_name(&b, &p->sections[i]);
		if (lines)
			buf_printf(&b, " (line %d)", p->sections[i].line);
	}
	if (total > 0)
		buf_printf(&b, " and %d more", total);
	return buf_steal(&b);
}

/* The anchor's words, '-' between them, hold ref's words in order. */
static bool
anchor_holds(const char *anchor, const char *ref)
{
	size_t		 rl = strlen(ref);
	const char	*p = anchor;

	if (rl == 0)
		return false;
	for (; (p = strstr(p, ref)) != NULL; p++)
		if ((p == anchor || p[-1] == '-') &&
		    (p[rl] == '\0' || p[rl] == '-'))
			return true;
	return false;
}

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Mark the sections ref names; returns how many. */
static int
mark_matches(const struct ovw_path *p, const char *ref, bool *pick)
{
	char	*want = ovw_anchor(ref), *own;
	int	 i, n = 0, pass;

	for (pass = 0; pass < 2 && n == 0; pass++) {
		for (i = 0; i < p->nsections; i++) {
			const struct ovw_section *s = &p->sections[i];

			if (all_digits(ref))
				pick[i] = pass == 0 && s->number == atoi(ref);
			else if (pass == 0) {
				own = ovw_anchor(s->title);
				pick[i] = strcmp(want, s->anchor) == 0 ||
				    strcmp(want, own) == 0;
				free(own);
			} else
				pick[i] = anchor_holds(s->anchor, want);
			n += pick[i];
		}
	}
	free(want);
	return n;
}

enum rn_status
ovw_path_find(const struct ovw_path *p, const char *ref, int *index,
    char *err, size_t errlen)
{
	bool	*pick = xcalloc(p->nsections, sizeof *pick);
	char	*list;
	int	 n, i, rc = RN_OK;

	*index = -1;
	n = mark_matches(p, ref, pick);
	if (n == 1) {
		for (i = 0; !pick[i]; i++)
			;
		*index = i;
	} else if (n > 1) {
		list = section_list(p, pick, true);
		rc = rn_fail(err, errlen, RN_EINPUT, "%s#%s matches %d "
		    "sections: %s; use the number or the whole anchor",
		    p->path, ref, n, list);
		free(list);
	} else {
		list = section_list(p, NULL, false);
		rc = rn_fail(err, errlen, RN_EINPUT, "%s has no section '%s' "
		    "(%s: %s)", p->path, ref, p->nsections == 1 ?
		    "its one overview is" : "sections", list);
		free(list);
	}
	free(pick);
	return rc;
}

/* --- choosing the section for a note ------------------------------------- */

/* "section: 2" in the note's front matter, or NULL; the caller frees. */
static char *
front_matter_section(const struct note *n)
{
	const char	*s, *p;
	size_t		 len;
	char		*v;
	int		 l;

	for (l = 2; l < n->body_line - 1; l++) {
		s = note_line(n, l, &len);
		if (s == NULL || len < 8 || strncasecmp(s, "section:", 8) != 0)
			continue;
		v = xstrndup(s + 8, len - 8);
		str_trim(v);
		len = strlen(v);
		if (len >= 2 && (v[0] == '"' || v[0] == '\'') &&
		    v[len - 1] == v[0]) {
			memmove(v, v + 1, len - 2);
			v[len - 2] = '\0';
		}
		p = v;
		if (*p == '#')
			memmove(v, v + 1, strlen(v));
		if (*v != '\0')
			return v;
		free(v);
	}
	return NULL;
}

/* The number the note's file name starts with, or 0. */
static int
file_name_number(const char *path)
{
	const char	*p = util_base_name(path);
	int		 i, num = 0, digits = 0;
	size_t		 wl;

	for (i = 0; name_prefixes[i] != NULL; i++) {
		wl = strlen(name_prefixes[i]);
		if (strncasecmp(p, name_prefixes[i], wl) == 0 &&
		    (isdigit((unsigned char)p[wl]) ||
		    ((p[wl] == '-' || p[wl] == '_') &&
		    isdigit((unsigned char)p[wl + 1])))) {
			p += wl + !isdigit((unsigned char)p[wl]);
			break;
		}
	}
	for (; isdigit((unsigned char)*p); p++, digits++)
		if (digits < NUMBER_MAX_DIGITS)
			num = num * 10 + (*p - '0');
	if (digits == 0 || digits > NUMBER_MAX_DIGITS ||
	    (*p != '-' && *p != '_' && *p != '.' && *p != ' ' && *p != '\0'))
		return 0;
	return num;
}

/* Lower-case word stems: "Rust's" -> "rust", "lifetimes" -> "lifetime". */
static void
word_stems(const char *s, char ***out, int *n)
{
	const char	*p = s, *w;
	char		*t;
	size_t		 len;

	while (*p != '\0') {
		while (*p != '\0' && !isalnum((unsigned char)*p) &&
		    (unsigned char)*p < 0x80)
			p++;
		for (w = p; isalnum((unsigned char)*p) ||
		    (unsigned char)*p >= 0x80; p++)
			;
		if (p == w)
			continue;
		t = xstrndup(w, (size_t)(p - w));
		for (len = 0; t[len] != '\0'; len++)
			t[len] = (char)tolower((unsigned char)t[len]);
		if (*p == '\'' && (p[1] == 's' || p[1] == 'S') &&
		    !isalnum((unsigned char)p[2]))
			p += 2;			/* "Rust's" */
		if (len > 4 && strcmp(t + len - 3, "ing") == 0)
			t[len - 3] = '\0';
		else if (len > 3 && t[len - 1] == 's' && t[len - 2] != 's')
			t[len - 1] = '\0';
		if (text_list_index(stop_words, t) >= 0)
			free(t);
		else
			ovw_strv_push(out, n, t);
	}
}

static int
count_shared(char **a, int na, char **b, int nb)
{
	int	i, k, n = 0;

	for (i = 0; i < na; i++)
		for (k = 0; k < nb; k++)
			if (strcmp(a[i], b[k]) == 0) {
				n++;
				break;
			}
	return n;
}

/* The note's first heading, or NULL. */
static const char *
first_heading(const struct note *n)
{
	int	i;

	for (i = 0; i < n->nblocks; i++)
		if (n->blocks[i].kind == NB_HEADING)
			return n->blocks[i].text;
	return NULL;
}

/*
 * The section whose title shares the most of the heading's words, all of
 * them or at least two thirds; a tie goes to the title with fewer other
 * words (asides left out).  A number the heading starts with names the section outright.
 */
static int
heading_match(const struct ovw_path *p, const char *heading)
{
	char		**hw = NULL, **tw, *clean = ovw_clean_text(heading);
	const char	 *title;
	int		  nh = 0, nt, i, shared, best = -1, best_n = 0;
	int		  best_t = 0, ties = 0, num;
	bool		  word;

	num = ovw_heading_number(clean, &title, &word);
	for (i = 0; num > 0 && i < p->nsections; i++)
		if (p->sections[i].number == num) {
			free(clean);
			return i;
		}
	word_stems(title, &hw, &nh);
	for (i = 0; i < p->nsections && nh > 0; i++) {
		tw = NULL;
		nt = 0;
		word_stems(p->sections[i].title, &tw, &nt);
		shared = count_shared(hw, nh, tw, nt);
		ovw_strv_free(tw, nt);
		tw = NULL;
		nt = 0;		/* the tie-break: words beside the asides */
		word_stems(p->sections[i].short_title, &tw, &nt);
		if (shared == nh || (shared >= 2 && 3 * shared >= 2 * nh)) {
			if (shared > best_n || (shared == best_n &&
			    nt < best_t)) {
				best = i;
				best_n = shared;
				best_t = nt;
				ties = 0;
			} else if (shared == best_n && nt == best_t)
				ties++;
		}
		ovw_strv_free(tw, nt);
	}
	ovw_strv_free(hw, nh);
	free(clean);
	return ties > 0 ? -1 : best;
}

static enum rn_status
no_choice(const struct ovw_path *p, const struct note *n, char *err,
    size_t errlen)
{
	char	*list = section_list(p, NULL, false);
	int	 rc;

	rc = rn_fail(err, errlen, RN_EINPUT, "%s: which section of %s is "
	    "this note? It has %d: %s. Pick one with --overview %s#N, front "
	    "matter 'section: N', a file name that starts with the number "
	    "(02-name.md) or a first heading that names the section",
	    n->path, p->path, p->nsections, list, p->path);
	free(list);
	return rc;
}

/* Steps 1 and 2: a reference given with the file, or beside it. */
static int
choose_by_ref(const struct ovw_path *p, const struct note *n,
    const char *flag_ref, const char *fm_ref, int *index, enum ovw_how *how,
    char *err, size_t errlen)
{
	char	*fm = NULL;
	int	 rc;

	if (flag_ref != NULL) {
		*how = OVW_BY_FLAG;
		return ovw_path_find(p, flag_ref, index, err, errlen);
	}
	*how = OVW_BY_FRONT_MATTER;
	if (fm_ref != NULL)
		return ovw_path_find(p, fm_ref, index, err, errlen);
	if ((fm = front_matter_section(n)) == NULL)
		return -1;
	rc = ovw_path_find(p, fm, index, err, errlen);
	free(fm);
	return rc;
}

/* Steps 3 to 5, for a path of many sections. */
static enum rn_status
choose_by_note(const struct ovw_path *p, const struct note *n, int *index,
    enum ovw_how *how, char *err, size_t errlen)
{
	const char	*heading;
	char		 num[16];
	int		 number = file_name_number(n->path), i, found = 0;

	for (i = 0; number > 0 && i < p->nsections; i++)
		found += p->sections[i].number == number;
	if (found > 0) {
		*how = OVW_BY_FILE_NAME;
		snprintf(num, sizeof num, "%d", number);
		return ovw_path_find(p, num, index, err, errlen);
	}
	heading = first_heading(n);
	if (heading != NULL && (*index = heading_match(p, heading)) >= 0) {
		*how = OVW_BY_HEADING;
		return RN_OK;
	}
	return no_choice(p, n, err, errlen);
}

enum rn_status
ovw_path_choose(const struct ovw_path *p, const struct note *n,
    const char *flag_ref, const char *fm_ref, int *index,
    enum ovw_how *how, char *err, size_t errlen)
{
	enum ovw_how	 dummy;
	int		 rc;

	if (how == NULL)
		how = &dummy;
	*index = -1;
	rc = choose_by_ref(p, n, flag_ref, fm_ref, index, how, err, errlen);
	if (rc < 0 && p->single) {
		*index = 0;
		*how = OVW_ONLY;
		rc = RN_OK;
	} else if (rc < 0)
		rc = choose_by_note(p, n, index, how, err, errlen);
	if (rc == RN_OK && p->sections[*index].ovw == NULL)
		rc = rn_fail(err, errlen, RN_EINPUT, "%s",
		    p->sections[*index].error);
	if (rc != RN_OK)
		*index = -1;
	return rc;
}

char *
ovw_section_label(const struct ovw_path *p, int index)
{
	const struct ovw_section	*s = &p->sections[index];
	struct buf			 b;

	if (p->single)
		return xstrdup(util_base_name(p->path));
	buf_init(&b, 0);
	if (s->number > 0)
		buf_printf(&b, "section %d of %s: %s", s->number,
		    util_base_name(p->path), s->short_title);
	else
		buf_printf(&b, "section '%s' of %s", s->short_title,
		    util_base_name(p->path));
	return buf_steal(&b);
}
