/*
 * fuzz_body.c - a whole (not streamed) reply body of one of the three
 * providers (first byte), and the same bytes read as a server's error
 * body, with a content type taken from the input.
 */
#include "rustnote/llm.h"
#include "../../src/net/provider.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct llm_provider *const providers[] = {
		&llm_openai, &llm_anthropic, &llm_ollama
	};
	struct fuzz_in in = { data, size };
	const struct llm_provider *p = providers[fuzz_take_byte(&in) % 3];
	struct llm_callbacks cb = { NULL, NULL, NULL, NULL };
	struct llm_error_info e;
	struct llm_reply reply;
	struct llm_sink sink;
	char *ctype = fuzz_take_string(&in, 64, NULL), *body;
	size_t len;

	body = fuzz_take_rest(&in, &len);
	llm_reply_init(&reply);
	llm_sink_init(&sink, &reply, &cb, "sk-fuzz-secret-key");
	p->on_body(&sink, body, len);
	llm_sink_free(&sink);
	llm_reply_free(&reply);
	llm_error_parse(body, len, *ctype != '\0' ? ctype : NULL,
	    "sk-fuzz-secret-key", &e);
	if (e.message != NULL && strstr(e.message, "sk-fuzz-secret-key"))
		abort();	/* the key must never be shown */
	llm_error_info_free(&e);
	free(body);
	free(ctype);
	return 0;
}
