/* text.c - small plain-text helpers shared by the core's parsers. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "rustnote/text.h"

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

	for (i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == len && strncasecmp(s, list[i], len) == 0)
			return i;
	return -1;
}
