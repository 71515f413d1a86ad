/*
 * fuzz_stream.c - findings pulled out of a reply as it streams in, the
 * text split into chunks at random points (first 4 bytes: the seed).
 */
#include "rustnote/finding.h"

#include "fuzz.h"

static void
on_finding(void *ud, struct finding *f)
{
	(*(size_t *)ud)++;
	(void)f;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fuzz_chunks ch = { 0 };
	struct finding_stream *fs;
	size_t found = 0, n;
	int i;

	for (i = 0; i < 4; i++)
		ch.state = ch.state << 8 | fuzz_take_byte(&in);
	fs = fstream_new(on_finding, &found);
	while (in.n > 0) {
		n = fuzz_next_chunk(&ch, in.n);
		fstream_feed(fs, (const char *)in.p, n);
		in.p += n;
		in.n -= n;
	}
	if (fstream_count(fs) != found)
		abort();
	(void)fstream_truncated(fs);
	fstream_free(fs);
	return 0;
}
