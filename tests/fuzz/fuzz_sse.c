/* fuzz_sse.c - Server-Sent Events of OpenAI or Anthropic (first byte),
 * in random chunks. */
#include "fuzz_events.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	return fuzz_events(fuzz_take_byte(&in) & 1 ? &llm_anthropic :
	    &llm_openai, &in);
}
