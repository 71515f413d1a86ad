/*
 * sanitize.h - the one gate outside text passes before it is shown.
 *
 * Text from a model, a server, a note or a file name may hold bytes a
 * terminal acts on.  san_text() removes all of them in one linear pass:
 * C0 and C1 controls (line ends and tabs only where the flags allow),
 * whole escape sequences with their payloads (CSI, OSC, DCS, APC, PM,
 * SOS, the short ESC forms, and their C1 spellings), bidi embeddings,
 * overrides, isolates and marks, zero-width characters and the BOM.
 * Invalid UTF-8 becomes U+FFFD.  Blanks at both ends and at the end of
 * each line are trimmed.  The result is safe on any input and
 * idempotent: cleaning clean text changes nothing.
 */
#ifndef RUSTNOTE_SANITIZE_H
#define RUSTNOTE_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Keep line ends (CR LF, CR, NEL, U+2028/9 become "\n"; at most one empty
 * line in a row).  Without it a line end is a blank. */
#define SAN_NEWLINE	0x1u
/* Keep tabs.  Without it a tab (and VT, FF) is a space. */
#define SAN_TAB		0x2u
/* A run of blanks becomes one space. */
#define SAN_SQUEEZE	0x4u

/* "…": the mark at the end of cut text. */
#define SAN_ELLIPSIS	"\xe2\x80\xa6"
#define SAN_ELLIPSIS_LEN 3

/*
 * Clean s[0..len) (s may be NULL when len is 0; NUL bytes are dropped).
 * cap > 0 bounds the result in bytes: longer text is cut on a character
 * boundary and ends in SAN_ELLIPSIS; work stops soon after cap, so a huge
 * input costs no more than its first cap bytes.  cap 0: no bound.
 * Returns a new string.
 */
char *san_text(const char *s, size_t len, unsigned flags, size_t cap);
/* The same for a C string (NULL gives ""). */
char *san_str(const char *s, unsigned flags, size_t cap);
/* Write s cleaned (SAN_* flags) to fp. */
void san_fputs(const char *s, unsigned flags, FILE *fp);

/* Is cp a code point san_text() never lets through (controls, bidi
 * controls, zero-width characters, BOM)? */
bool san_cp_hidden(unsigned cp);

#endif
