/* fuzz_cache.c - a cache entry as read back from disk. */
#include "rustnote/cache.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cache_entry e;

	if (cache_entry_parse((const char *)data, size, &e)) {
		if (e.input_tokens < -1 || e.output_tokens < -1)
			abort();
		cache_entry_free(&e);
	}
	return 0;
}
