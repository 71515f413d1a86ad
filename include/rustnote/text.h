/*
 * text.h - small helpers for plain text that more than one parser in the
 * core needs: counting words, and looking a word up in a fixed list.
 */
#ifndef RUSTNOTE_TEXT_H
#define RUSTNOTE_TEXT_H

#include <stddef.h>

/* Number of words in s: runs of anything but white space. */
size_t text_count_words(const char *s);

/* Index of s in list (ended by NULL), or -1 when it is not there. */
int text_list_index(const char *const *list, const char *s);
/* The same for s[0..len), which need not end in NUL, ignoring ASCII case. */
int text_list_index_icase(const char *const *list, const char *s,
    size_t len);

#endif
