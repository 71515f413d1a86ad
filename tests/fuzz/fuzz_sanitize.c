/*
 * fuzz_sanitize.c - the sanitiser's promises on any bytes: nothing a
 * terminal acts on comes out, the cap holds, and cleaning clean text
 * changes nothing.  Flags and cap come from the first two bytes.
 */
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#include "fuzz.h"

static void
check_clean(const char *s, unsigned flags, size_t cap)
{
	size_t i = 0, len = strlen(s), n;
	unsigned cp;

	if (cap > 0 && len > cap)
		abort();
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == '\n' && (flags & SAN_NEWLINE)) {
			i++;
			continue;
		}
		if (cp == '\t' && (flags & SAN_TAB)) {
			i++;
			continue;
		}
		if ((cp == 0xfffd && n == 1) || san_cp_hidden(cp))
			abort();
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned flags = fuzz_take_byte(&in) & 7;
	size_t cap = fuzz_take_byte(&in);
	char *out, *again;

	out = san_text((const char *)in.p, in.n, flags, cap);
	check_clean(out, flags, cap);
	again = san_str(out, flags, 0);
	if (strcmp(again, out) != 0)
		abort();
	free(again);
	free(out);
	return 0;
}
