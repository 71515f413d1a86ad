/* fuzz_reply.c - a whole reply: JSON in any wrapping, or Markdown. */
#include "rustnote/err.h"
#include "rustnote/finding.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct finding_reply r;
	char err[RN_ERRLEN];

	if (finding_parse_reply((const char *)data, size, &r, err,
	    sizeof err) == RN_OK)
		finding_reply_free(&r);
	return 0;
}
