/* err.c - filling the caller's message buffer. */
#include <stdarg.h>
#include <stdio.h>

#include "rustnote/err.h"

enum rn_status
rn_fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}
