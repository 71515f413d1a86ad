/* fuzz_config.c - the config file. */
#include "rustnote/config.h"
#include "rustnote/err.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct config cfg;
	char err[RN_ERRLEN];
	char *text;
	size_t len;

	text = fuzz_take_rest(&in, &len);
	memset(&cfg, 0, sizeof cfg);
	(void)config_parse(text, "config", &cfg, err, sizeof err);
	config_free(&cfg);
	free(text);
	return 0;
}
