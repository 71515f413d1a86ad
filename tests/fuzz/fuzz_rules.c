/* fuzz_rules.c - a rules file (misconceptions, scope terms, lexicon),
 * its examples checked as on every load. */
#include "rustnote/err.h"
#include "rustnote/offline.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rule_set *rs = NULL;
	char err[RN_ERRLEN];
	char *text;
	size_t len;
	struct fuzz_in in = { data, size };

	text = fuzz_take_rest(&in, &len);
	(void)rules_load_text(&rs, "fuzz.rules", text, err, sizeof err);
	rules_free(rs);
	free(text);
	return 0;
}
