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
