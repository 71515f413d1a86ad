/*
 * fuzz.h - what the libFuzzer harnesses share.
 *
 * Each fuzz_NAME.c defines LLVMFuzzerTestOneInput() for one parser of
 * outside input.  `make fuzz` links each with clang's libFuzzer
 * (-fsanitize=fuzzer,address,undefined); `make check` links each with
 * replay.c, a main that runs it once over its seed corpus, so a crash
 * once found stays fixed without needing clang.
 *
 * Inputs that drive more than one parameter take them from their first
 * bytes (fuzz_take_*), so every input means the same thing on replay.
 */
#ifndef RUSTNOTE_FUZZ_H
#define RUSTNOTE_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input still to be taken. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline unsigned
fuzz_take_byte(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

/* Up to max bytes, ending at a NUL byte (taken, not kept) if one comes
 * first; a new NUL-terminated copy, its length in *len. */
static inline char *
fuzz_take_string(struct fuzz_in *in, size_t max, size_t *len)
{
	size_t n = 0;
	char *s;

	while (n < in->n && n < max && in->p[n] != 0)
		n++;
	s = malloc(n + 1);
	if (s == NULL)
		abort();
	memcpy(s, in->p, n);
	s[n] = '\0';
	if (len != NULL)
		*len = n;
	if (n < in->n)
		n++;		/* the NUL, or the byte past max */
	in->p += n;
	in->n -= n;
	return s;
}

/* The rest of the input as a NUL-terminated copy (NULs inside kept). */
static inline char *
fuzz_take_rest(struct fuzz_in *in, size_t *len)
{
	char *s = malloc(in->n + 1);

	if (s == NULL)
		abort();
	memcpy(s, in->p, in->n);
	s[in->n] = '\0';
	*len = in->n;
	in->p += in->n;
	in->n = 0;
	return s;
}

/*
 * Chunk sizes for streaming parsers, drawn from a seed so that a replay
 * splits the same way: mostly small (1..16 bytes, where splits inside
 * line ends and UTF-8 sequences happen), sometimes large.
 */
struct fuzz_chunks {
	uint32_t state;
};

static inline size_t
fuzz_next_chunk(struct fuzz_chunks *c, size_t left)
{
	size_t n;

	c->state = c->state * 1103515245u + 12345u;
	n = (c->state >> 16) % 8 == 0 ? 1 + (c->state >> 8) % 4096 :
	    1 + (c->state >> 20) % 16;
	return n < left ? n : left;
}

#endif
