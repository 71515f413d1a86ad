/*
 * buf.h - growable byte buffer with a hard size cap (as curl's dynbuf).
 *
 * The data is always NUL-terminated so it can be used as a C string.  Every
 * append fails with -1 instead of growing past cap, so text from the network
 * can never grow memory without bound.
 */
#ifndef RUSTNOTE_BUF_H
#define RUSTNOTE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* NUL-terminated; NULL until the first append */
	size_t len;
	size_t alloc;
	size_t cap;	/* largest len allowed; 0 means BUF_DEFAULT_CAP */
};

#define BUF_DEFAULT_CAP ((size_t)64 << 20)

void buf_init(struct buf *b, size_t cap);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);		/* len = 0, keeps memory */
int buf_add(struct buf *b, const void *p, size_t n);	/* 0 or -1 */
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Drop the first n bytes (consumed input of a stream parser). */
void buf_consume(struct buf *b, size_t n);
/* Hand the data to the caller (who frees it) and reset the buffer. */
char *buf_steal(struct buf *b);
/* Always a valid C string, "" when empty. */
const char *buf_str(const struct buf *b);

#endif
