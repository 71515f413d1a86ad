/* fuzz_note.c - a learner's note: checks, front matter, Markdown. */
#include "rustnote/err.h"
#include "rustnote/note.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct note *n = NULL;
	char err[RN_ERRLEN];
	int i;

	if (note_parse("fuzz.md", (const char *)data, size, &n, err,
	    sizeof err) != RN_OK)
		return 0;
	/* the look-ups a review makes */
	for (i = 0; i <= n->nlines + 1; i += 1 + n->nlines / 16)
		(void)note_section_at(n, i);
	note_free(n);
	return 0;
}
