/*
 * ovw_topics.c - topics: a topic's title and sub-points from the text of
 * its bullet or heading ("Stack vs heap (frames, lifetimes and
 * deallocation)", "Drop: what it runs, when"), and the lines that say
 * where the topics or the purpose are ("Write about:", "Cover: a, b",
 * "Purpose:").
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/overview.h"
#include "rustnote/text.h"
#include "rustnote/util.h"
#include "ovw_int.h"

#define LABEL_MAX_WORDS	 8	/* "Drop: what it runs" splits at the colon */
#define MAX_SUBS	 32	/* per topic */

/* Words that open a list item but are not part of it. */
static const char *const list_fillers[] = {
	"or", "and", "nor", "e.g.", "i.e.", "eg.", "such as", "like",
	"including", "incl.", NULL
};

/* --- the list of topics -------------------------------------------------- */

static struct ovw_topic *
topic_push(struct topic_list *l)
{
	struct ovw_topic	*t;

	if ((size_t)l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 16;
		l->v = xreallocarray(l->v, l->alloc, sizeof *l->v);
	}
	t = &l->v[l->n++];
	memset(t, 0, sizeof *t);
	return t;
}

void
ovw_topic_free(struct ovw_topic *t)
{
	free(t->title);
	free(t->text);
	ovw_strv_free(t->subpoints, t->nsub);
}

void
ovw_topic_list_free(struct topic_list *l)
{
	int	i;

	for (i = 0; i < l->n; i++)
		ovw_topic_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* --- sub-points ---------------------------------------------------------- */

struct sub_sink {
	struct ovw_topic	*t;
	int			 pieces;
	int			 seen;
};

/*
 * "Data races (prevented) vs deadlocks (not prevented)": a participle,
 * perhaps denied, says something of the words before it; it is not a
 * point the note must make in those words.
 */
static bool
is_qualifier(const char *sub)
{
	const char	*w = sub, *sp;
	size_t		 n;

	if (strncasecmp(w, "not ", 4) == 0)
		w += 4;
	else if (strncasecmp(w, "never ", 6) == 0)
		w += 6;
	if ((sp = strchr(w, ' ')) != NULL || strchr(w, '`') != NULL)
		return false;
	n = strlen(w);
	return n > 4 && strcmp(w + n - 2, "ed") == 0;
}

static void
push_sub(struct ovw_topic *t, const char *s, size_t len)
{
	char	*sub = xstrndup(s, len);

	ovw_strip_quotes(sub);
	ovw_strip_fillers(sub, list_fillers);
	ovw_collapse_spaces(sub);
	if (*sub == '\0' || t->nsub >= MAX_SUBS || is_qualifier(sub)) {
		free(sub);
		return;
	}
	ovw_strv_push(&t->subpoints, &t->nsub, sub);
}

/*
 * One comma-separated sub-point.  The last of several may hold two joined
 * by "and" ("frames, lifetimes and deallocation"); a lone one keeps its
 * "and" ("stack and heap frames").
 */
static void
add_sub_piece(void *ud, const char *s, size_t len)
{
	struct sub_sink	*sink = ud;
	const char	*c;
	size_t		 wl = 0;

	sink->seen++;
	if (sink->seen == sink->pieces && sink->pieces > 1 &&
	    (c = ovw_find_conjunction(s, len, &wl)) != NULL && c > s) {
		push_sub(sink->t, s, c - s);
		push_sub(sink->t, c + wl, len - ((c + wl) - s));
		return;
	}
	push_sub(sink->t, s, len);
}

static void
count_piece(void *ud, const char *s, size_t len)
{
	(void)ud;
	(void)s;
	(void)len;
}

static void
split_subs(struct ovw_topic *t, const char *s)
{
	struct sub_sink	sink = { t, 0, 0 };

	sink.pieces = ovw_split_commas(s, count_piece, NULL);
	ovw_split_commas(s, add_sub_piece, &sink);
}

void
ovw_add_subpoint(struct ovw_topic *t, const char *text)
{
	char	*s = ovw_clean_text(text);

	push_sub(t, s, strlen(s));
	free(s);
}

/* --- a topic's title ----------------------------------------------------- */

/* Position of a label separator (": ", " - ", " — ") ending a short label. */
static const char *
label_end(const char *s, size_t *seplen)
{
	static const char *const seps[] = { ": ", " - ", " \xe2\x80\x94 ",
	    " \xe2\x80\x93 ", NULL };
	const char	*p, *best = NULL;
	char		*label;
	size_t		 words;
	int		 i;

	for (i = 0; seps[i] != NULL; i++) {
		p = strstr(s, seps[i]);
		if (p != NULL && p > s && (best == NULL || p < best)) {
			best = p;
			*seplen = strlen(seps[i]);
		}
	}
	if (best == NULL || memchr(s, '(', best - s) != NULL ||
	    best[*seplen] == '\0')
		return NULL;
	label = xstrndup(s, best - s);
	words = text_count_words(label);
	free(label);
	return words <= LABEL_MAX_WORDS ? best : NULL;
}

/* A final "(...)" aside: "Stack vs heap (frames, lifetimes)". */
static char *
trailing_paren(char *s)
{
	size_t	len = strlen(s);
	int	depth = 0;
	char	*p;

	if (len < 3 || s[len - 1] != ')')
		return NULL;
	for (p = s + len - 1; p >= s; p--) {
		if (*p == ')')
			depth++;
		else if (*p == '(' && --depth == 0)
			break;
	}
	if (p <= s)
		return NULL;
	s[len - 1] = '\0';
	*p = '\0';
	return p + 1;
}

/* The numbering of a topic heading is no title. */
void
ovw_strip_enumerator(char *s)
{
	size_t	digits = strspn(s, "0123456789");

	if (digits == 0 || digits > 3 || (s[digits] != '.' &&
	    s[digits] != ')') || s[digits + 1] != ' ')
		return;
	memmove(s, s + digits + 2, strlen(s + digits + 2) + 1);
	str_trim(s);
}

/* Title and sub-points from a topic's text. */
static void
fill_topic(struct ovw_topic *t)
{
	char		*work = xstrdup(t->text), *inner;
	const char	*sep;
	size_t		 seplen = 0;

	if ((sep = label_end(work, &seplen)) != NULL) {
		split_subs(t, sep + seplen);
		work[sep - work] = '\0';
	} else if ((inner = trailing_paren(work)) != NULL)
		split_subs(t, inner);
	ovw_strip_quotes(work);
	ovw_strip_enumerator(work);
	ovw_trim_punct(work);
	ovw_collapse_spaces(work);
	if (*work == '\0') {
		free(work);
		work = xstrdup(t->text);
		ovw_strip_quotes(work);
	}
	t->title = work;
}

/* Add a topic to l; returns its index. */
int
ovw_add_topic(struct topic_list *l, const char *text, int line)
{
	struct ovw_topic	*t = topic_push(l);

	t->text = ovw_clean_text(text);
	t->line = line;
	fill_topic(t);
	return l->n - 1;
}

/* --- markers: purpose, topic lists --------------------------------------- */

static const char *const purpose_words[] = {
	"purpose", "goal", "goals", "aim", "objective", "objectives",
	"intent", "why", NULL
};

static const char *const topic_words[] = {
	"write about", "cover", "covers", "topics", "topic", "include",
	"discuss", "explain", "address", "describe", "outline", "key points",
	"points", "what to", "sections", "talk about", "touch on",
	"focus on", "contents", "content", "subtopics", "structure",
	"agenda", "should", "must", NULL
};

/* Markers that may carry the topics on the same line: "Cover: a, b". */
static const char *const inline_topic_words[] = {
	"write about", "cover", "topics", "include", "discuss", "explain",
	NULL
};

bool
ovw_purpose_line(const char *s, const char **rest)
{
	const char	*p = s;

	if (!ovw_eat_any(&p, purpose_words))
		return false;
	if (*p != ':' && *p != '\0')
		return false;
	if (*p == ':')
		p++;
	ovw_skip_space(&p);
	*rest = p;
	return true;
}

static bool
has_topic_word(const char *s)
{
	const char	*p;
	int		 i;

	for (i = 0; topic_words[i] != NULL; i++) {
		p = str_icase_find(s, topic_words[i]);
		if (p != NULL && (p == s || !ovw_is_word_char(p[-1])) &&
		    !ovw_is_word_char(p[strlen(topic_words[i])]))
			return true;
	}
	return false;
}

bool
ovw_topic_marker(const char *s, bool heading)
{
	size_t	len = strlen(s);

	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (!heading && (len == 0 || s[len - 1] != ':'))
		return false;
	return text_count_words(s) <= MARKER_MAX_WORDS && has_topic_word(s);
}

const char *
ovw_inline_topics(const char *s)
{
	const char	*p = s, *colon;

	if (!ovw_eat_any(&p, inline_topic_words) ||
	    (colon = strchr(s, ':')) == NULL || colon < p - 1)
		return NULL;
	colon++;
	while (isspace((unsigned char)*colon))
		colon++;
	return *colon != '\0' ? colon : NULL;
}

struct inline_sink {
	struct ovw_builder	*b;
	int			 line;
};

static void
add_inline_topic(void *ud, const char *s, size_t len)
{
	struct inline_sink	*sink = ud;
	char			*t = xstrndup(s, len);

	str_trim(t);
	ovw_strip_leading_filler(t, list_fillers);
	ovw_trim_punct(t);
	if (*t != '\0')
		ovw_add_topic(&sink->b->marked, t, sink->line);
	free(t);
}

void
ovw_add_inline_topics(struct ovw_builder *b, const char *list, int line)
{
	struct inline_sink	sink = { b, line };

	ovw_split_commas(list, add_inline_topic, &sink);
}
