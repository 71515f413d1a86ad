/* text.c - small plain-text helpers shared by the core's parsers. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "rustnote/text.h"
#include "rustnote/util.h"

size_t
text_count_words(const char *s)
{
	size_t	n = 0;
	bool	in = false;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s))
			in = false;
		else if (!in) {
			in = true;
			n++;
		}
	}
	return n;
}

size_t
text_run_len(const char *s, size_t len, size_t i, char c)
{
	size_t	j = i;

	while (j < len && s[j] == c)
		j++;
	return j - i;
}

size_t
text_closing_ticks(const char *s, size_t len, size_t from, size_t n)
{
	size_t	i = from, r;

	/* A longer or shorter run does not close the span: skip it whole. */
	while (i < len) {
		if (s[i] != '`') {
			i++;
			continue;
		}
		r = text_run_len(s, len, i, '`');
		if (r == n)
			return i;
		i += r;
	}
	return len;
}

int
text_list_index(const char *const *list, const char *s)
{
	int	i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(s, list[i]) == 0)
			return i;
	return -1;
}

int
text_list_index_icase(const char *const *list, const char *s, size_t len)
{
	int	i;

	/* the first bytes, ASCII case folded, are compared before all: two
	   words equal but for case agree on them */
	for (i = 0; list[i] != NULL; i++)
		if ((len == 0 || (list[i][0] | 0x20) == (s[0] | 0x20)) &&
		    strlen(list[i]) == len && strncasecmp(s, list[i], len) == 0)
			return i;
	return -1;
}

/*
 * Lower-cased copy for keyword search; typographic apostrophes become
 * straight ones so "doesn’t" reads like "doesn't".
 */
char *
text_fold(const char *s)
{
	size_t i, o = 0, len = strlen(s);
	char *out = xmalloc(len + 1);

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] == 0xe2 && i + 2 < len &&
		    (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x98 ||
		    (unsigned char)s[i + 2] == 0x99)) {
			out[o++] = '\'';
			i += 2;
			continue;
		}
		out[o++] = (char)tolower((unsigned char)s[i]);
	}
	out[o] = '\0';
	return out;
}

bool
text_is_word_char(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}
