/*
 * ovw_text.c - the text tools the overview parser reads outlines with:
 * one-line clean text, trimming punctuation, asides and filler words,
 * splitting lists at commas and conjunctions, and consuming words at a
 * cursor.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rustnote/util.h"
#include "ovw_int.h"

bool
ovw_is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

/*
 * Curly quotes, guillemets and non-breaking spaces become ASCII, in place:
 * LLM outlines are full of them, learners' notes mostly are not.
 */
static void
straighten_quotes(char *s)
{
	unsigned char	*r = (unsigned char *)s, *w = r;

	while (*r != '\0') {
		if (r[0] == 0xe2 && r[1] == 0x80 &&
		    (r[2] == 0x98 || r[2] == 0x99)) {
			*w++ = '\'';
			r += 3;
		} else if (r[0] == 0xe2 && r[1] == 0x80 &&
		    (r[2] == 0x9c || r[2] == 0x9d)) {
			*w++ = '"';
			r += 3;
		} else if (r[0] == 0xc2 && (r[1] == 0xab || r[1] == 0xbb)) {
			*w++ = '"';
			r += 2;
		} else if (r[0] == 0xc2 && r[1] == 0xa0) {
			*w++ = ' ';
			r += 2;
		} else
			*w++ = *r++;
	}
	*w = '\0';
}

/* A single quote that opens or closes a quotation, not an apostrophe. */
static bool
quote_mark(const char *s, size_t i)
{
	bool	before = i > 0 && ovw_is_word_char(s[i - 1]);
	bool	after = ovw_is_word_char(s[i + 1]);

	return before != after;
}

/* "drop" -> drop. */
void
ovw_strip_quotes(char *s)
{
	char	*orig = xstrdup(s);
	size_t	 i, j = 0;

	for (i = 0; orig[i] != '\0'; i++) {
		if (orig[i] == '"' || orig[i] == '`')
			continue;
		if (orig[i] == '\'' && quote_mark(orig, i))
			continue;
		s[j++] = orig[i];
	}
	s[j] = '\0';
	free(orig);
}

void
ovw_collapse_spaces(char *s)
{
	char	*r = s, *w = s;
	bool	 space = false;

	for (; *r != '\0'; r++) {
		if (isspace((unsigned char)*r)) {
			space = true;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

char *
ovw_clean_text(const char *s)
{
	char	*t = xstrdup(s);

	straighten_quotes(t);
	ovw_collapse_spaces(t);
	return t;
}

/* "lifetimes (next chapter)" -> "lifetimes". */
void
ovw_strip_parens(char *s)
{
	char	*r = s, *w = s;
	int	 depth = 0;

	for (; *r != '\0'; r++) {
		if (*r == '(')
			depth++;
		else if (*r == ')' && depth > 0)
			depth--;
		else if (depth == 0)
			*w++ = *r;
	}
	*w = '\0';
	ovw_collapse_spaces(s);
}

void
ovw_trim_punct(char *s)
{
	size_t	len;

	str_trim(s);
	len = strlen(s);
	while (len > 0 && strchr(".,;:!?", s[len - 1]) != NULL)
		s[--len] = '\0';
	str_trim(s);
}

bool
ovw_ends_with_word(const char *s, size_t len, const char *word)
{
	size_t	wl = strlen(word);

	if (len < wl || strncasecmp(s + len - wl, word, wl) != 0)
		return false;
	return len == wl || !ovw_is_word_char(s[len - wl - 1]);
}

size_t
ovw_last_word_start(const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (len > 0 && s[len - 1] != ' ')
		len--;
	return len;
}

/* --- filler words -------------------------------------------------------- */

/*
 * Words that qualify a rule but are not part of its terms; a phrase comes
 * before any shorter one it ends with ("just yet" before "yet").
 */
static const char *const trailing_fillers[] = {
	"here", "just yet", "yet", "for now", "right now", "now", "at all",
	"in this note", "in this section", "in this chapter", "in this part",
	"at this point", "at this stage", "for later", "until later",
	"in any depth", "in depth", "in any detail", "in great detail",
	"in detail", "explicitly", "either", "please", "etc", NULL
};

static bool
strip_trailing_filler(char *s)
{
	size_t	len = strlen(s);
	int	i;

	for (i = 0; trailing_fillers[i] != NULL; i++) {
		if (!ovw_ends_with_word(s, len, trailing_fillers[i]))
			continue;
		s[len - strlen(trailing_fillers[i])] = '\0';
		ovw_trim_punct(s);
		return true;
	}
	return false;
}

bool
ovw_strip_leading_filler(char *s, const char *const *fillers)
{
	size_t	wl;
	int	i;

	for (i = 0; fillers[i] != NULL; i++) {
		wl = strlen(fillers[i]);
		if (strncasecmp(s, fillers[i], wl) != 0 ||
		    (s[wl] != ' ' && s[wl] != '\0'))
			continue;
		memmove(s, s + wl, strlen(s + wl) + 1);
		str_trim(s);
		return true;
	}
	return false;
}

void
ovw_strip_fillers(char *s, const char *const *leading)
{
	ovw_trim_punct(s);
	while (strip_trailing_filler(s) ||
	    ovw_strip_leading_filler(s, leading))
		;
}

/* --- lists --------------------------------------------------------------- */

int
ovw_split_commas(const char *s, ovw_piece_fn fn, void *ud)
{
	const char	*start = s;
	int		 depth = 0, pieces = 0;

	for (;; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (*s == '\0' || (depth == 0 && (*s == ',' ||
		    *s == ';'))) {
			fn(ud, start, s - start);
			pieces++;
			if (*s == '\0')
				break;
			start = s + 1;
		}
	}
	return pieces;
}

const char *
ovw_find_conjunction(const char *s, size_t len, size_t *wlen)
{
	static const char *const conj[] = { " or ", " and ", " nor ", " & ",
	    NULL };
	const char	*best = NULL, *p;
	size_t		 i, cl;

	for (i = 0; conj[i] != NULL; i++) {
		cl = strlen(conj[i]);
		for (p = s; p + cl <= s + len; p++) {
			if (strncasecmp(p, conj[i], cl) != 0)
				continue;
			if (best == NULL || p < best) {
				best = p;
				*wlen = cl;
			}
			break;
		}
	}
	return best;
}

void
ovw_strv_push(char ***v, int *n, char *s)
{
	*v = xreallocarray(*v, (size_t)*n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

void
ovw_strv_free(char **v, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* --- consuming words ----------------------------------------------------- */

void
ovw_skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

bool
ovw_eat(const char **p, const char *word)
{
	size_t	wl = strlen(word);

	if (strncasecmp(*p, word, wl) != 0 ||
	    (ovw_is_word_char(word[wl - 1]) && ovw_is_word_char((*p)[wl])))
		return false;
	*p += wl;
	ovw_skip_space(p);
	return true;
}

bool
ovw_eat_any(const char **p, const char *const *words)
{
	int	i;

	for (i = 0; words[i] != NULL; i++)
		if (ovw_eat(p, words[i]))
			return true;
	return false;
}
