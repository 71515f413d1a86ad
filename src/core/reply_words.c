/*
 * reply_words.c - reading the loose wording of findings, whether they came
 * as JSON fields or Markdown bullets: line references ("lines 12–14"),
 * quotes and their marks, placeholders that mean "no quote", and the kind
 * a message's words imply.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/buf.h"
#include "rustnote/finding.h"
#include "rustnote/text.h"
#include "rustnote/util.h"

#include "reply_int.h"

bool
reply_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s))
			return false;
	}
	return true;
}

/* Read a number of at most 8 digits at *p; 0 when there is none. */
int
reply_read_number(const char **p)
{
	int n = 0, digits = 0;

	while (isdigit((unsigned char)**p)) {
		if (digits++ < 8)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n <= REPLY_MAX_LINE ? n : 0;
}

/* Skip a range separator: "-", "–", "—", "..", "to", ":"-less only. */
bool
reply_skip_range_dash(const char **p)
{
	const char *s = *p;

	while (*s == ' ')
		s++;
	if (*s == '-')
		s++;
	else if (strncmp(s, "\xe2\x80\x93", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x94", 3) == 0)
		s += 3;
	else if (strncmp(s, "..", 2) == 0)
		s += 2;
	else if (strncasecmp(s, "to ", 3) == 0)
		s += 3;
	else
		return false;
	while (*s == ' ')
		s++;
	if (*s == 'L' || *s == 'l')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	*p = s;
	return true;
}

/* "12", "12-14", "L12", "lines 12–14", "line 7:3" -> start (and end). */
void
reply_line_text(const char *s, int *line, int *end)
{
	*line = *end = 0;
	while (*s != '\0' && !isdigit((unsigned char)*s))
		s++;
	*line = reply_read_number(&s);
	if (*line > 0 && reply_skip_range_dash(&s))
		*end = reply_read_number(&s);
	if (*end < *line)
		*end = 0;
}

/*
 * Strings that mean "no quote": models fill a required field with "N/A",
 * "none", "-" or an ellipsis when a topic is missing.
 */
static bool
quote_is_placeholder(const char *q)
{
	static const char *const none[] = {
		"n/a", "na", "none", "(none)", "null", "-", "--", "...",
		"\xe2\x80\xa6", "(missing)", "missing", "not applicable",
		"\"\"", NULL
	};
	const char *const *p;

	for (p = none; *p != NULL; p++) {
		if (strcasecmp(q, *p) == 0)
			return true;
	}
	return false;
}

/* Length of the quote mark q starts with, or 0. */
static size_t
opening_mark(const char *q)
{
	if (q[0] == '"')
		return 1;
	return strncmp(q, "\xe2\x80\x9c", 3) == 0 ? 3 : 0;
}

/* Length of the quote mark q (of length len) ends with, or 0. */
static size_t
closing_mark(const char *q, size_t len)
{
	if (len >= 1 && q[len - 1] == '"')
		return 1;
	if (len >= 3 && memcmp(q + len - 3, "\xe2\x80\x9d", 3) == 0)
		return 3;
	return 0;
}

/*
 * Tidy a quote: trimmed, one pair of quote marks around it removed, the
 * "12 | " line number the prompt shows removed, placeholders emptied.
 */
char *
reply_quote_tidy(char *q)
{
	size_t len, open, close;
	char *p;

	if (q == NULL)
		return xstrdup("");
	str_trim(q);
	len = strlen(q);
	open = opening_mark(q);
	close = closing_mark(q, len);
	if (open > 0 && close > 0 && len > open + close) {
		memmove(q, q + open, len - open - close);
		q[len - open - close] = '\0';
		str_trim(q);
	}
	for (p = q; isdigit((unsigned char)*p); p++)
		;
	if (p > q && p - q <= 6) {
		while (*p == ' ')
			p++;
		if (*p == '|') {
			p++;
			memmove(q, p, strlen(p) + 1);
			str_trim(q);
		}
	}
	if (quote_is_placeholder(q))
		q[0] = '\0';
	return q;
}

/* ASCII lower-case copy for phrase search; offsets stay those of s. */
char *
reply_fold(const char *s)
{
	char *f = xstrdup(s), *p;

	for (p = f; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return f;
}

/* First word-start match of phrase in text, or NULL. */
static const char *
find_phrase(const char *text, const char *phrase)
{
	const char *p;

	for (p = text; (p = strstr(p, phrase)) != NULL; p++) {
		if (p == text || !isalnum((unsigned char)p[-1]))
			return p;
	}
	return NULL;
}

/* The phrase with its apostrophes typographic: "don’t" for "don't". */
static char *
curly_apostrophes(const char *phrase)
{
	struct buf b;

	buf_init(&b, 0);
	for (; *phrase != '\0'; phrase++) {
		if (*phrase == '\'')
			buf_adds(&b, "\xe2\x80\x99");
		else
			buf_addc(&b, *phrase);
	}
	return buf_steal(&b);
}

/*
 * Offset of the first phrase of list starting a word in (folded) text, or
 * -1.  "doesn't" also matches "doesn’t".
 */
long
reply_first_phrase(const char *text, const char *const *list)
{
	const char *p, *best = NULL;
	char *curly;

	for (; *list != NULL; list++) {
		p = find_phrase(text, *list);
		if (p == NULL && strchr(*list, '\'') != NULL) {
			curly = curly_apostrophes(*list);
			p = find_phrase(text, curly);
			free(curly);
		}
		if (p != NULL && (best == NULL || p < best))
			best = p;
	}
	return best != NULL ? (long)(best - text) : -1;
}

/*
 * The kind of a finding whose reply names none we know.  Only clear words
 * count, and the earliest in the text wins:
 *   missing, not covered, omits, does not mention, lacks...  -> gap
 *   assumes, assumption, implicit, unstated...              -> assumption
 *   out of scope, off-topic, should not mention...          -> scope
 *   wrong, incorrect, untrue, not true, inaccurate, false... -> incorrect
 * With none of them the finding is a gap: calling the learner's statement
 * incorrect needs the reply to say it is wrong.  A bare "scope" is not a
 * clear word, as "going out of scope" is itself a Rust topic.
 */
enum finding_kind
reply_infer_kind(const char *text)
{
	static const char *const gap[] = {
		"missing", "not covered", "omit", "omission",
		"does not mention", "doesn't mention", "never mention",
		"not mentioned", "no mention", "lack", "does not explain",
		"doesn't explain", "not explained", "not discussed", "gap",
		"incomplete", NULL
	};
	static const char *const assumption[] = {
		"assum", "implicit", "unstated", "implied", "taken for granted",
		NULL
	};
	static const char *const scope[] = {
		"out of scope for", "outside the scope", "beyond the scope",
		"off-topic", "off topic", "scope rule", "not in scope",
		"should not mention", "shouldn't mention",
		"should not be mentioned", "must not mention",
		"do not mention", "not supposed to mention", NULL
	};
	static const char *const wrong[] = {
		"wrong", "incorrect", "untrue", "not true", "isn't true",
		"not correct", "isn't correct", "not accurate", "inaccura",
		"false", "mislead", "mistake", "misconception", NULL
	};
	const char *const *lists[] = { gap, assumption, scope, wrong };
	const enum finding_kind kinds[] = { FK_GAP, FK_ASSUMPTION, FK_SCOPE,
	    FK_INCORRECT };
	enum finding_kind kind = FK_GAP;
	long best = -1, at;
	char *f = reply_fold(text != NULL ? text : "");
	size_t i;

	for (i = 0; i < 4; i++) {
		at = reply_first_phrase(f, lists[i]);
		if (at >= 0 && (best < 0 || at < best)) {
			best = at;
			kind = kinds[i];
		}
	}
	free(f);
	return kind;
}

/* --- wording inside a Markdown bullet ----------------------------------- */

static bool
is_quote_edge(const char *t, const char *p)
{
	return p == t || isspace((unsigned char)p[-1]) || p[-1] == '(' ||
	    p[-1] == '[' || p[-1] == ':';
}

/*
 * 'Single quoted' or ‘curly single quoted’: the opening mark starts a
 * word and the closing one ends one, so apostrophes ("don't") do not
 * count.
 */
static char *
find_single_quoted(const char *t)
{
	const char *p, *q, *end;
	size_t olen, clen;
	char *s;

	for (p = t; *p != '\0'; p++) {
		olen = *p == '\'' ? 1 : strncmp(p, "\xe2\x80\x98", 3) == 0 ?
		    3 : 0;
		if (olen == 0 || !is_quote_edge(t, p))
			continue;
		for (q = p + olen; *q != '\0'; q++) {
			clen = *q == '\'' ? 1 : strncmp(q, "\xe2\x80\x99", 3) ==
			    0 ? 3 : 0;
			end = q + clen;
			if (clen == 0 || q == p + olen ||
			    isalnum((unsigned char)*end))
				continue;
			s = xstrndup(p + olen, (size_t)(q - p - olen));
			str_trim(s);
			if (text_count_words(s) >= 2)
				return s;
			free(s);
			break;
		}
	}
	return NULL;
}

/*
 * The first quoted phrase of at least two words: “curly”, "straight",
 * 'single', then `backticked`.  A single quoted word is a term, not a
 * quote.
 */
char *
reply_find_quote(const char *t)
{
	static const struct { const char *open, *close; } marks[] = {
		{ "\xe2\x80\x9c", "\xe2\x80\x9d" }, { "\"", "\"" },
		{ "`", "`" },
	};
	const char *p, *q;
	char *s;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (marks[i].open[0] == '`' &&
		    (s = find_single_quoted(t)) != NULL)
			return s;
		for (p = strstr(t, marks[i].open); p != NULL;
		    p = strstr(q + strlen(marks[i].close), marks[i].open)) {
			p += strlen(marks[i].open);
			q = strstr(p, marks[i].close);
			if (q == NULL)
				break;
			s = xstrndup(p, (size_t)(q - p));
			str_trim(s);
			if (text_count_words(s) >= 2)
				return s;
			free(s);
		}
	}
	return NULL;
}

/*
 * "L12" is a line only as "(L12)", "L12:" or a range "L12-14": in "L1
 * cache" or "(L1, L2)" it is something else.  bracketed: p follows a
 * '(' or '['.
 */
bool
reply_short_line_ref(const char *p, bool bracketed)
{
	const char *s = p + 1;

	if (*p != 'L' || !isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == ')' || *s == ']')
		return bracketed;
	return *s == ':' || *s == '-' ||
	    strncmp(s, "\xe2\x80\x93", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x94", 3) == 0;
}

/* "line 12", "lines 12-14", "(L12)", "L12–L14" -> model line and end. */
void
reply_find_line(const char *t, int *line, int *end)
{
	const char *p;

	*line = *end = 0;
	for (p = t; *p != '\0'; p++) {
		if (p != t && isalnum((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, "line", 4) == 0) {
			p += 4;
			if (*p == 's' || *p == 'S')
				p++;
			while (*p == ' ' || *p == ':' || *p == '#')
				p++;
		} else if (reply_short_line_ref(p, p > t &&
		    (p[-1] == '(' || p[-1] == '[')))
			p++;
		else
			continue;
		if (isdigit((unsigned char)*p)) {
			reply_line_text(p, line, end);
			return;
		}
		if (*p == '\0')
			return;
	}
}

/* A word alone in brackets or first in a list: "(high)", "[low, ...]". */
static bool
paren_word(const char *p)
{
	size_t n = 0;

	while (isalpha((unsigned char)p[n]))
		n++;
	return n > 0 && (p[n] == ')' || p[n] == ']' || p[n] == ',');
}

/* "(high)", "[low]", "severity: high", "high severity" in a bullet. */
enum finding_severity
reply_find_severity(const char *t)
{
	static const char *const after[] = {
		"high severity", "high priority", "medium severity",
		"medium priority", "low severity", "low priority", NULL
	};
	char *f = reply_fold(t);
	long at = reply_first_phrase(f, after);
	const char *p;
	int s;

	free(f);
	if (at >= 0)
		return (enum finding_severity)finding_severity_parse(t + at);
	for (p = t; *p != '\0'; p++) {
		if ((*p == '(' || *p == '[') && paren_word(p + 1) &&
		    (s = finding_severity_parse(p + 1)) >= 0)
			return (enum finding_severity)s;
		if ((strncasecmp(p, "severity", 8) == 0 ||
		    strncasecmp(p, "priority", 8) == 0) &&
		    (p[8] == ':' || p[8] == ' ') &&
		    (s = finding_severity_parse(p + 9)) >= 0)
			return (enum finding_severity)s;
	}
	return FS_MEDIUM;
}
