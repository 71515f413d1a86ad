/*
 * err.h - status codes shared by every module.
 *
 * Functions that can fail return one of these and, when they are given one,
 * write a one-line, human-readable reason into a caller-owned message buffer
 * (char *err, size_t errlen).  The numeric values are also the process exit
 * codes, so the CLI can return them unchanged.
 */
#ifndef RUSTNOTE_ERR_H
#define RUSTNOTE_ERR_H

#include <stddef.h>

enum rn_status {
	RN_OK = 0,
	RN_EFAIL = 1,	/* internal failure (out of memory, I/O on our own files) */
	RN_EUSAGE = 2,	/* bad command line */
	RN_EINPUT = 3,	/* note or overview unusable */
	RN_ENET = 4,	/* provider or network error */
	RN_EREPLY = 5,	/* the reply could not be turned into findings */
	RN_ECANCEL = 6	/* cancelled by the user (Ctrl-C, Esc) */
};

/* Size for message buffers on the stack; messages longer than this are cut. */
#define RN_ERRLEN 512

/* printf into err (if non-NULL), always NUL-terminated; returns status. */
enum rn_status rn_fail(char *err, size_t errlen, int status, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

#endif
