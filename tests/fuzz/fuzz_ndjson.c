/* fuzz_ndjson.c - Ollama's newline-delimited JSON, in random chunks. */
#include "fuzz_events.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	return fuzz_events(&llm_ollama, &in);
}
