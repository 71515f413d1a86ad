/*
 * fuzz_anchor.c - pinning a finding to the note's lines by its quote: the
 * quote (up to the first NUL) and the line the model named (next byte)
 * against a note (the rest).
 */
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/util.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct finding f;
	struct note *n = NULL;
	char err[RN_ERRLEN], *text;
	size_t len;

	memset(&f, 0, sizeof f);
	f.quote = fuzz_take_string(&in, 4096, NULL);
	f.model_line = (int)fuzz_take_byte(&in) - 8;
	f.line = f.end_line = f.model_line;
	f.message = xstrdup("m");
	f.topic = xstrdup("");
	f.suggestion = xstrdup("");
	finding_clean(&f);
	text = fuzz_take_rest(&in, &len);
	if (note_parse("fuzz.md", text, len, &n, err, sizeof err) == RN_OK) {
		(void)finding_anchor(&f, n);
		if (f.line < 0 || f.end_line < f.line ||
		    f.end_line > n->nlines)
			abort();	/* an anchor outside the note */
		note_free(n);
	}
	finding_free(&f);
	free(text);
	return 0;
}
