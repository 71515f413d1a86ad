/* fuzz_overview.c - a topic overview: title, purpose, topics, rules. */
#include "rustnote/err.h"
#include "rustnote/overview.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct overview *o = NULL;
	char err[RN_ERRLEN];

	if (ovw_parse("fuzz.overview.md", (const char *)data, size, &o, err,
	    sizeof err) == RN_OK)
		ovw_free(o);
	return 0;
}
