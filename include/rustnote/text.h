/*
 * text.h - small helpers for plain text that more than one parser needs:
 * counting words, looking a word up in a fixed list, and finding where a
 * Markdown code span ends (the rules read the note's spans, and the note
 * pane colours them, alike).
 */
#ifndef RUSTNOTE_TEXT_H
#define RUSTNOTE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Number of words in s: runs of anything but white space. */
size_t text_count_words(const char *s);

/* Length of the run of c starting at s[i] (0 when s[i] is not c). */
size_t text_run_len(const char *s, size_t len, size_t i, char c);
/*
 * Start of the first run of exactly n backticks at or after from in
 * s[0..len): where a code span opened by n backticks closes.  len when
 * none does, and the opening run is then literal text.
 */
size_t text_closing_ticks(const char *s, size_t len, size_t from, size_t n);

/* Index of s in list (ended by NULL), or -1 when it is not there. */
int text_list_index(const char *const *list, const char *s);
/* The same for s[0..len), which need not end in NUL, ignoring ASCII case. */
int text_list_index_icase(const char *const *list, const char *s,
    size_t len);

/*
 * Lower-cased copy of s (the caller frees it) with typographic apostrophes
 * made straight, for keyword search.
 */
char *text_fold(const char *s);
/* A letter, digit or any byte of a non-ASCII character. */
bool text_is_word_char(char c);

#endif
