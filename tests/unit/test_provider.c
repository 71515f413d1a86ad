/*
 * test_provider.c - the LLM wire formats without a network: request
 * bodies, stream events, whole replies, error bodies, messages, and the
 * retry timing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "../../src/net/provider.h"
#include "rustnote/sse.h"

#define SCHEMA "{\"type\":\"object\",\"properties\":{\"findings\":" \
	"{\"type\":\"array\"}},\"required\":[\"findings\"]}"
#define KEY "sk-test-0123456789abcdef"

/* --- fixtures ------------------------------------------------------------ */

static struct llm_params
params(enum llm_provider_id id)
{
	struct llm_params p;

	memset(&p, 0, sizeof p);
	p.provider = id;
	p.model = "test-model";
	p.api_key = KEY;
	p.stream = true;
	p.temperature = -1;
	p.json_schema = SCHEMA;
	return p;
}

static const struct llm_request request = {
	.system = "You review notes.",
	.user = "My note",
};

/* What on_text saw. */
struct seen {
	struct buf text;
	int calls;
};

static void
seen_text(void *ud, const char *delta, size_t len)
{
	struct seen *s = ud;

	buf_add(&s->text, delta, len);
	s->calls++;
}

struct rig {
	struct llm_reply reply;
	struct seen seen;
	struct llm_callbacks cb;
	struct llm_sink sink;
};

static void
rig_init(struct rig *r)
{
	memset(r, 0, sizeof *r);
	llm_reply_init(&r->reply);
	buf_init(&r->seen.text, 0);
	r->cb.on_text = seen_text;
	r->cb.ud = &r->seen;
	llm_sink_init(&r->sink, &r->reply, &r->cb, KEY);
}

static void
rig_free(struct rig *r)
{
	llm_sink_free(&r->sink);
	llm_reply_free(&r->reply);
	buf_free(&r->seen.text);
}

static int
feed(struct rig *r, const struct llm_provider *pv, const char *event,
    const char *data)
{
	return pv->on_event(&r->sink, event, data, strlen(data));
}

static cJSON *
build_json(const struct llm_provider *pv, const struct llm_params *p,
    unsigned flags, struct llm_http *h)
{
	char err[RN_ERRLEN];
	cJSON *root;

	assert_int_equal(pv->build(p, &request, flags, h, err, sizeof err),
	    RN_OK);
	root = cJSON_Parse(h->body);
	assert_non_null(root);
	return root;
}

static const char *
header(const struct llm_http *h, const char *prefix)
{
	size_t i;

	for (i = 0; i < h->nheaders; i++) {
		if (strncmp(h->headers[i], prefix, strlen(prefix)) == 0)
			return h->headers[i];
	}
	return NULL;
}

static const cJSON *
path(const cJSON *root, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, a);

	return b != NULL ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

/* --- request bodies ------------------------------------------------------ */

static void
test_openai_body_stream_schema(void **state)
{
	struct llm_params p = params(LLM_OPENAI);
	struct llm_http h;
	const cJSON *msgs, *rf;
	cJSON *root;

	(void)state;
	root = build_json(&llm_openai, &p, 0, &h);
	assert_string_equal(h.url, "https://api.openai.com/v1/chat/completions");
	assert_string_equal(header(&h, "Authorization:"),
	    "Authorization: Bearer " KEY);
	assert_string_equal(path(root, "model", NULL)->valuestring,
	    "test-model");
	msgs = path(root, "messages", NULL);
	assert_int_equal(cJSON_GetArraySize(msgs), 2);
	assert_string_equal(path(cJSON_GetArrayItem(msgs, 0), "role", NULL)
	    ->valuestring, "system");
	assert_string_equal(path(cJSON_GetArrayItem(msgs, 1), "content", NULL)
	    ->valuestring, "My note");
	assert_true(cJSON_IsTrue(path(root, "stream", NULL)));
	assert_true(cJSON_IsTrue(path(root, "stream_options",
	    "include_usage")));
	assert_null(path(root, "max_tokens", NULL));
	assert_null(path(root, "temperature", NULL));
	rf = path(root, "response_format", NULL);
	assert_string_equal(path(rf, "type", NULL)->valuestring, "json_schema");
	assert_string_equal(path(rf, "json_schema", "name")->valuestring,
	    "findings");
	assert_true(cJSON_IsTrue(path(rf, "json_schema", "strict")));
	assert_true(cJSON_IsObject(path(path(rf, "json_schema", NULL),
	    "schema", "properties")));
	cJSON_Delete(root);
	llm_http_free(&h);
}

static void
test_openai_body_plain(void **state)
{
	struct llm_params p = params(LLM_OPENAI);
	struct llm_http h;
	cJSON *root;

	(void)state;
	p.stream = false;
	p.max_tokens = 1000;
	p.temperature = 0.2;
	p.api_key = NULL;
	p.base_url = "http://127.0.0.1:8080/v1//";
	root = build_json(&llm_openai, &p, LLM_BUILD_NO_SCHEMA, &h);
	assert_string_equal(h.url, "http://127.0.0.1:8080/v1/chat/completions");
	/* Keyless local servers get no Authorization header. */
	assert_null(header(&h, "Authorization:"));
	assert_true(cJSON_IsFalse(path(root, "stream", NULL)));
	assert_null(path(root, "stream_options", NULL));
	assert_int_equal(path(root, "max_tokens", NULL)->valueint, 1000);
	assert_true(path(root, "temperature", NULL)->valuedouble > 0.19);
	assert_null(path(root, "response_format", NULL));
	cJSON_Delete(root);
	llm_http_free(&h);
}

static void
test_openai_bad_schema_left_out(void **state)
{
	struct llm_params p = params(LLM_OPENAI);
	struct llm_http h;
	cJSON *root;

	(void)state;
	p.json_schema = "{not json";
	root = build_json(&llm_openai, &p, 0, &h);
	assert_null(path(root, "response_format", NULL));
	cJSON_Delete(root);
	llm_http_free(&h);
}

static void
test_key_with_line_break_refused(void **state)
{
	struct llm_params p = params(LLM_OPENAI);
	char err[RN_ERRLEN];
	struct llm_http h;

	(void)state;
	p.api_key = "  sk-abc\ndef  ";
	assert_int_equal(llm_openai.build(&p, &request, 0, &h, err,
	    sizeof err), RN_EUSAGE);
	assert_non_null(strstr(err, "OPENAI_API_KEY"));
	assert_null(strstr(err, "sk-abc"));
	llm_http_free(&h);

	p.api_key = "  " KEY "\n";
	assert_int_equal(llm_openai.build(&p, &request, 0, &h, err,
	    sizeof err), RN_OK);
	assert_string_equal(header(&h, "Authorization:"),
	    "Authorization: Bearer " KEY);
	llm_http_free(&h);
}

static void
test_anthropic_body(void **state)
{
	struct llm_params p = params(LLM_ANTHROPIC);
	struct llm_http h;
	const cJSON *msgs;
	cJSON *root;

	(void)state;
	p.temperature = 0;
	root = build_json(&llm_anthropic, &p, 0, &h);
	assert_string_equal(h.url, "https://api.anthropic.com/v1/messages");
	assert_string_equal(header(&h, "x-api-key:"), "x-api-key: " KEY);
	assert_string_equal(header(&h, "anthropic-version:"),
	    "anthropic-version: 2023-06-01");
	assert_non_null(header(&h, "content-type: application/json"));
	assert_null(header(&h, "Authorization:"));
	/* Chosen from the prompt's size: a short one gets the least. */
	assert_int_equal(path(root, "max_tokens", NULL)->valueint,
	    llm_reply_budget(llm_prompt_tokens(&request)));
	assert_true(path(root, "max_tokens", NULL)->valueint >= 4096);
	assert_string_equal(path(root, "system", NULL)->valuestring,
	    "You review notes.");
	msgs = path(root, "messages", NULL);
	assert_int_equal(cJSON_GetArraySize(msgs), 1);
	assert_string_equal(path(cJSON_GetArrayItem(msgs, 0), "role", NULL)
	    ->valuestring, "user");
	assert_true(cJSON_IsTrue(path(root, "stream", NULL)));
	assert_non_null(path(root, "temperature", NULL));
	assert_null(path(root, "response_format", NULL));
	cJSON_Delete(root);
	llm_http_free(&h);
}

static void
test_anthropic_url_variants(void **state)
{
	struct llm_params p = params(LLM_ANTHROPIC);
	struct llm_http h;
	cJSON *root;

	(void)state;
	p.base_url = "http://127.0.0.1:9000/v1/";
	p.max_tokens = 50;
	root = build_json(&llm_anthropic, &p, 0, &h);
	assert_string_equal(h.url, "http://127.0.0.1:9000/v1/messages");
	assert_int_equal(path(root, "max_tokens", NULL)->valueint, 50);
	cJSON_Delete(root);
	llm_http_free(&h);
}

static void
test_ollama_body(void **state)
{
	struct llm_params p = params(LLM_OLLAMA);
	struct llm_http h;
	cJSON *root;

	(void)state;
	p.base_url = "0.0.0.0:11434";
	p.max_tokens = 300;
	p.temperature = 0.5;
	root = build_json(&llm_ollama, &p, 0, &h);
	assert_string_equal(h.url, "http://127.0.0.1:11434/api/chat");
	/* A key (ollama.com's cloud) goes as a Bearer token. */
	assert_string_equal(header(&h, "Authorization:"),
	    "Authorization: Bearer " KEY);
	assert_true(cJSON_IsObject(path(root, "format", "properties")));
	assert_true(cJSON_IsTrue(path(root, "stream", NULL)));
	assert_int_equal(path(root, "options", "num_predict")->valueint, 300);
	assert_non_null(path(root, "options", "temperature"));
	assert_int_equal(cJSON_GetArraySize(path(root, "messages", NULL)), 2);
	cJSON_Delete(root);
	llm_http_free(&h);

	p.stream = false;
	p.max_tokens = 0;
	p.temperature = -1;
	root = build_json(&llm_ollama, &p, LLM_BUILD_NO_SCHEMA, &h);
	assert_true(cJSON_IsFalse(path(root, "stream", NULL)));
	assert_null(path(root, "format", NULL));
	assert_null(path(root, "options", "temperature"));
	assert_null(path(root, "options", "num_predict"));
	/* The context always fits the prompt and the reply. */
	assert_true(path(root, "options", "num_ctx")->valueint >= 4096);
	cJSON_Delete(root);
	llm_http_free(&h);
}

static void
test_ollama_base(void **state)
{
	static const char *const cases[][2] = {
		{ "", "http://127.0.0.1:11434" },
		{ "0.0.0.0:11434", "http://127.0.0.1:11434" },
		{ "0.0.0.0", "http://127.0.0.1:11434" },
		{ "localhost", "http://localhost:11434" },
		{ ":9999", "http://127.0.0.1:9999" },
		{ "http://host", "http://host:80" },
		{ "https://host/prefix/", "https://host:443/prefix" },
		{ "http://127.0.0.1:11434", "http://127.0.0.1:11434" },
		{ "[::]:11434", "http://[::1]:11434" },
		{ "[::1]", "http://[::1]:11434" },
		{ " example.org:1234 ", "http://example.org:1234" },
		{ "ollama.com", "https://ollama.com:443" },
		{ "https://ollama.com", "https://ollama.com:443" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = llm_ollama_base(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

static void
test_url_join(void **state)
{
	char *s;

	(void)state;
	s = llm_url_join("http://h/v1/", "/chat/completions");
	assert_string_equal(s, "http://h/v1/chat/completions");
	free(s);
	s = llm_url_join("http://h/v1/chat/completions/", "/chat/completions");
	assert_string_equal(s, "http://h/v1/chat/completions");
	free(s);
	/* Azure: the path goes before the query, which is kept. */
	s = llm_url_join("https://r.openai.azure.com/openai/deployments/d?"
	    "api-version=2024-10-21", "/chat/completions");
	assert_string_equal(s, "https://r.openai.azure.com/openai/deployments/"
	    "d/chat/completions?api-version=2024-10-21");
	free(s);
	s = llm_url_join("http://h/d/?v=1", "/chat/completions");
	assert_string_equal(s, "http://h/d/chat/completions?v=1");
	free(s);
}

/* --- stream events ------------------------------------------------------- */

static void
test_openai_stream(void **state)
{
	const struct llm_provider *pv = &llm_openai;
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, pv, "message", "{\"model\":\"gpt-x\","
	    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},"
	    "\"finish_reason\":null}]}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", "{\"choices\":[{\"delta\":"
	    "{\"content\":\"{\\\"sum\"}}]}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", "{\"choices\":[{\"delta\":"
	    "{\"content\":\"mary\\\"\"},\"finish_reason\":\"length\"}]}"),
	    LLM_EV_MORE);
	assert_true(r.sink.finished);
	assert_int_equal(feed(&r, pv, "message", "{\"choices\":[],\"usage\":"
	    "{\"prompt_tokens\":120,\"completion_tokens\":7}}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", "{\"choices\":null,"
	    "\"usage\":null}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", "not json"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", "[DONE]"), LLM_EV_DONE);
	assert_string_equal(buf_str(&r.reply.text), "{\"summary\"");
	assert_string_equal(buf_str(&r.seen.text), "{\"summary\"");
	assert_int_equal(r.seen.calls, 2);
	assert_int_equal(r.reply.finish, LLM_FINISH_LENGTH);
	assert_int_equal(r.reply.input_tokens, 120);
	assert_int_equal(r.reply.output_tokens, 7);
	assert_string_equal(r.reply.model, "gpt-x");
	assert_true(r.sink.done);
	rig_free(&r);
}

static void
test_openai_stream_error(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, &llm_openai, "message", "{\"error\":"
	    "{\"message\":\"The server had an error\",\"type\":"
	    "\"server_error\"}}"), LLM_EV_ERROR);
	assert_string_equal(r.sink.error.message, "The server had an error");
	assert_true(llm_stream_error_retryable(&r.sink.error));
	rig_free(&r);
}

/* A whole stream fed through the SSE parser one byte at a time. */
struct pipe {
	struct rig *r;
	const struct llm_provider *pv;
};

static int
pipe_event(void *ud, const char *event, const char *data, size_t len)
{
	struct pipe *pp = ud;

	return pp->pv->on_event(&pp->r->sink, event, data, len);
}

static void
test_openai_stream_bytewise(void **state)
{
	const char *wire =
	    ": keep-alive\r\n\r\n"
	    "data: {\"choices\":[{\"delta\":{\"content\":\"caf\xc3\xa9 \"}}]}"
	    "\r\n\r\n"
	    "data: {\"choices\":[{\"delta\":{\"content\":\"ok\"},"
	    "\"finish_reason\":\"stop\"}]}\n\n"
	    "data: [DONE]\n\n";
	struct sse_parser sp;
	struct pipe pp;
	struct rig r;
	size_t i;
	int rc = 0;

	(void)state;
	rig_init(&r);
	pp.r = &r;
	pp.pv = &llm_openai;
	sse_init(&sp, SSE_EVENTS, LLM_MAX_EVENT, pipe_event, &pp);
	for (i = 0; wire[i] != '\0' && rc == 0; i++)
		rc = sse_feed(&sp, wire + i, 1);
	assert_int_equal(rc, LLM_EV_DONE);
	assert_string_equal(buf_str(&r.reply.text), "caf\xc3\xa9 ok");
	assert_int_equal(r.sink.chars, 7);
	assert_int_equal(r.reply.finish, LLM_FINISH_STOP);
	sse_free(&sp);
	rig_free(&r);
}

/* An OpenAI chunk with this JSON value as its text, and a lookalike. */
#define CHUNK(text) "{\"id\":\"c1\",\"model\":\"gpt-x\",\"logprobs\":" \
	"{\"content\":\"zz\"},\"choices\":[{\"index\":0,\"delta\":" \
	"{\"content\":" text "},\"finish_reason\":null}]}"

/* Chunks that differ only in their text, escapes and odd values among them. */
static void
test_openai_repeated_chunks(void **state)
{
	const struct llm_provider *pv = &llm_openai;
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, pv, "message", CHUNK("\"a\"")), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", CHUNK("\"bc\"")), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", CHUNK("\"\\\"q\\n\"")),
	    LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", CHUNK("\"x\\u0000y\"")),
	    LLM_EV_MORE);
	/* not one string: parsed whole, where the first "content" counts */
	assert_int_equal(feed(&r, pv, "message", CHUNK("\"a\",\"content\":"
	    "\"b\"")), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", CHUNK("\"bad \\x\"")),
	    LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message", CHUNK("null")), LLM_EV_MORE);
	/* a lookalike member elsewhere is not the text */
	assert_int_equal(feed(&r, pv, "message", "{\"id\":\"c1\",\"model\":"
	    "\"gpt-x\",\"logprobs\":{\"content\":\"QQ\"},\"choices\":"
	    "[{\"index\":0,\"delta\":{\"content\":\"d\"},"
	    "\"finish_reason\":null}]}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "error", CHUNK("\"e\"")),
	    LLM_EV_ERROR);
	assert_string_equal(buf_str(&r.reply.text), "abc\"q\nxad");
	assert_string_equal(r.reply.model, "gpt-x");
	assert_false(r.sink.finished);
	rig_free(&r);
}

/* Chunks that all differ (a random field) are read alike. */
static void
test_openai_chunks_all_differ(void **state)
{
	const struct llm_provider *pv = &llm_openai;
	char data[160];
	struct rig r;
	int i;

	(void)state;
	rig_init(&r);
	for (i = 0; i < 20; i++) {
		snprintf(data, sizeof data, "{\"choices\":[{\"delta\":"
		    "{\"content\":\"%c\"}}],\"obfuscation\":\"%d\"}",
		    'a' + i, i * 7919);
		assert_int_equal(feed(&r, pv, "message", data), LLM_EV_MORE);
	}
	assert_string_equal(buf_str(&r.reply.text), "abcdefghijklmnopqrst");
	rig_free(&r);
}

static void
test_anthropic_stream(void **state)
{
	const struct llm_provider *pv = &llm_anthropic;
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, pv, "message_start", "{\"type\":"
	    "\"message_start\",\"message\":{\"model\":\"claude-x\",\"usage\":"
	    "{\"input_tokens\":25,\"output_tokens\":1}}}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "ping", "{\"type\":\"ping\"}"),
	    LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "content_block_start", "{\"type\":"
	    "\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
	    "\"text\",\"text\":\"\"}}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	    "\"text_delta\",\"text\":\"Hello\"}}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
	    "\"input_json_delta\",\"partial_json\":\"{}\"}}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "something_new", "{\"type\":"
	    "\"something_new\"}"), LLM_EV_MORE);
	/* No event line: the data's type names it. */
	assert_int_equal(feed(&r, pv, "message", "{\"type\":"
	    "\"content_block_delta\",\"delta\":{\"type\":\"text_delta\","
	    "\"text\":\" world\"}}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message_delta", "{\"type\":"
	    "\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\","
	    "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}"),
	    LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, "message_stop", "{\"type\":"
	    "\"message_stop\"}"), LLM_EV_DONE);
	assert_string_equal(buf_str(&r.reply.text), "Hello world");
	assert_int_equal(r.seen.calls, 2);
	assert_int_equal(r.reply.finish, LLM_FINISH_LENGTH);
	assert_int_equal(r.reply.input_tokens, 25);
	assert_int_equal(r.reply.output_tokens, 15);
	assert_string_equal(r.reply.model, "claude-x");
	rig_free(&r);
}

/* Text deltas repeat but for their text; other events carry none. */
static void
test_anthropic_repeated_deltas(void **state)
{
	const struct llm_provider *pv = &llm_anthropic;
	static const char *const texts[] = { "\"a\"", "\"b\\n\"", "\"c\"" };
	char data[200];
	struct rig r;
	size_t i;

	(void)state;
	rig_init(&r);
	for (i = 0; i < 3; i++) {
		snprintf(data, sizeof data, "{\"type\":\"content_block_delta\","
		    "\"index\":0,\"delta\":{\"type\":\"text_delta\","
		    "\"text\":%s}}", texts[i]);
		assert_int_equal(feed(&r, pv, "content_block_delta", data),
		    LLM_EV_MORE);
		/* the same bytes under another event name are another event */
		assert_int_equal(feed(&r, pv, "ping", data), LLM_EV_MORE);
	}
	assert_int_equal(feed(&r, pv, "content_block_delta", "{\"type\":"
	    "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	    "\"thinking_delta\",\"text\":\"hmm\"}}"), LLM_EV_MORE);
	assert_string_equal(buf_str(&r.reply.text), "ab\nc");
	rig_free(&r);
}

static void
test_anthropic_overloaded_event(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, &llm_anthropic, "error", "{\"type\":"
	    "\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
	    "\"Overloaded\"}}"), LLM_EV_ERROR);
	assert_string_equal(r.sink.error.type, "overloaded_error");
	assert_string_equal(r.sink.error.message, "Overloaded");
	assert_true(llm_stream_error_retryable(&r.sink.error));
	assert_int_equal(r.sink.delivered, 0);
	rig_free(&r);
}

static void
test_ollama_stream(void **state)
{
	const struct llm_provider *pv = &llm_ollama;
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, pv, NULL, "{\"model\":\"llama3.2\","
	    "\"message\":{\"role\":\"assistant\",\"content\":\"The\"},"
	    "\"done\":false}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, NULL, "{\"message\":{\"content\":"
	    "\" end\"},\"done\":false}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, pv, NULL, "{\"message\":{\"content\":\"\"},"
	    "\"done\":true,\"done_reason\":\"length\",\"prompt_eval_count\":26,"
	    "\"eval_count\":298}"), LLM_EV_DONE);
	assert_string_equal(buf_str(&r.reply.text), "The end");
	assert_int_equal(r.reply.finish, LLM_FINISH_LENGTH);
	assert_int_equal(r.reply.input_tokens, 26);
	assert_int_equal(r.reply.output_tokens, 298);
	assert_string_equal(r.reply.model, "llama3.2");
	rig_free(&r);
}

static void
test_ollama_error_line(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, &llm_ollama, NULL,
	    "{\"error\":\"model 'x' not found\"}"), LLM_EV_ERROR);
	assert_string_equal(r.sink.error.message, "model 'x' not found");
	assert_false(llm_stream_error_retryable(&r.sink.error));
	rig_free(&r);
}

static void
test_reply_cap(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	r.reply.text.cap = 8;
	assert_int_equal(feed(&r, &llm_ollama, NULL, "{\"message\":"
	    "{\"content\":\"12345\"}}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, &llm_ollama, NULL, "{\"message\":"
	    "{\"content\":\"67890\"}}"), LLM_EV_TOOBIG);
	assert_string_equal(buf_str(&r.reply.text), "12345");
	rig_free(&r);
}

/* --- whole replies ------------------------------------------------------- */

static int
body(struct rig *r, const struct llm_provider *pv, const char *text)
{
	return pv->on_body(&r->sink, text, strlen(text));
}

static void
test_openai_body_reply(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(body(&r, &llm_openai, "{\"model\":\"gpt-x\","
	    "\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":"
	    "\"whole text\"},\"finish_reason\":\"stop\"}],\"usage\":"
	    "{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"),
	    LLM_EV_DONE);
	assert_string_equal(buf_str(&r.reply.text), "whole text");
	assert_int_equal(r.seen.calls, 1);
	assert_int_equal(r.reply.finish, LLM_FINISH_STOP);
	assert_int_equal(r.reply.input_tokens, 3);
	assert_int_equal(r.reply.output_tokens, 2);
	rig_free(&r);

	rig_init(&r);
	assert_int_equal(body(&r, &llm_openai, "<html>oops</html>"),
	    LLM_EV_BAD);
	assert_non_null(r.sink.error.message);
	rig_free(&r);

	rig_init(&r);
	assert_int_equal(body(&r, &llm_openai, "{\"choices\":[{\"message\":"
	    "{\"content\":null,\"refusal\":\"I can't\"},\"finish_reason\":"
	    "\"stop\"}]}"), LLM_EV_DONE);
	assert_string_equal(buf_str(&r.sink.refusal), "I can't");
	assert_int_equal(r.reply.text.len, 0);
	rig_free(&r);
}

static void
test_anthropic_body_reply(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(body(&r, &llm_anthropic, "{\"id\":\"m\",\"type\":"
	    "\"message\",\"role\":\"assistant\",\"model\":\"claude-x\","
	    "\"content\":[{\"type\":\"text\",\"text\":\"part one, \"},"
	    "{\"type\":\"thinking\",\"thinking\":\"hmm\"},"
	    "{\"type\":\"text\",\"text\":\"part two\"}],\"stop_reason\":"
	    "\"max_tokens\",\"usage\":{\"input_tokens\":10,\"output_tokens\":"
	    "4096}}"), LLM_EV_DONE);
	assert_string_equal(buf_str(&r.reply.text), "part one, part two");
	assert_int_equal(r.seen.calls, 1);
	assert_int_equal(r.reply.finish, LLM_FINISH_LENGTH);
	assert_int_equal(r.reply.output_tokens, 4096);
	rig_free(&r);

	rig_init(&r);
	assert_int_equal(body(&r, &llm_anthropic, "{\"type\":\"error\","
	    "\"error\":{\"type\":\"overloaded_error\",\"message\":"
	    "\"Overloaded\"}}"), LLM_EV_ERROR);
	assert_true(llm_error_is(&r.sink.error, "overloaded_error"));
	rig_free(&r);
}

static void
test_ollama_body_reply(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(body(&r, &llm_ollama, "{\"model\":\"m\",\"message\":"
	    "{\"role\":\"assistant\",\"content\":\"all\"},\"done\":true,"
	    "\"done_reason\":\"stop\",\"eval_count\":3}"), LLM_EV_DONE);
	assert_string_equal(buf_str(&r.reply.text), "all");
	assert_int_equal(r.reply.output_tokens, 3);
	assert_int_equal(r.reply.input_tokens, -1);
	rig_free(&r);
}

/* --- error bodies and messages ------------------------------------------- */

static void
test_error_shapes(void **state)
{
	struct llm_error_info e;
	const char *oa = "{\"error\":{\"message\":\"Incorrect API key "
	    "provided: " KEY "\",\"type\":\"invalid_request_error\","
	    "\"param\":null,\"code\":\"invalid_api_key\"}}";
	const char *an = "{\"type\":\"error\",\"error\":{\"type\":"
	    "\"not_found_error\",\"message\":\"model: claude-nope\"}}";

	(void)state;
	llm_error_parse(oa, strlen(oa), "application/json", KEY, &e);
	assert_true(e.json);
	assert_string_equal(e.message, "Incorrect API key provided: ***");
	assert_string_equal(e.code, "invalid_api_key");
	assert_true(llm_error_is(&e, "invalid_request_error"));
	llm_error_info_free(&e);

	llm_error_parse(an, strlen(an), NULL, NULL, &e);
	assert_string_equal(e.type, "not_found_error");
	assert_string_equal(e.message, "model: claude-nope");
	llm_error_info_free(&e);

	llm_error_parse("{\"error\":\"model 'q' not found\"}", 31, NULL, NULL,
	    &e);
	assert_string_equal(e.message, "model 'q' not found");
	llm_error_info_free(&e);

	llm_error_parse("{\"detail\":\"Not Found\"}", 22, NULL, NULL, &e);
	assert_string_equal(e.message, "Not Found");
	llm_error_info_free(&e);

	llm_error_parse("\n<!DOCTYPE html><html>502</html>", 32, NULL, NULL,
	    &e);
	assert_true(e.html);
	assert_null(e.message);
	llm_error_info_free(&e);

	llm_error_parse("upstream connect error", 22, "text/plain", NULL, &e);
	assert_false(e.json);
	assert_string_equal(e.message, "upstream connect error");
	llm_error_info_free(&e);
}

static void
test_clean_message(void **state)
{
	const char *hostile = "bad\x1b[31m red\x1b]0;title\a\r\n\tline\x7f"
	    "\xff end  ";
	const char *masked = "key sk-abc\x1b[0mdef12 and sk-abcdef12.";
	const char *bidi = "a\xe2\x80\xae" "b\xe2\x80\x8b" "c\x1bPq#0\x1b\\d";
	char long_text[600], *s;

	(void)state;
	s = llm_clean_message(hostile, strlen(hostile), NULL);
	assert_string_equal(s, "bad red line\xef\xbf\xbd end");
	free(s);

	memset(long_text, 'a', sizeof long_text);
	/* A two-byte character straddles the cut: it must not be split. */
	long_text[196] = '\xc3';
	long_text[197] = '\xa9';
	s = llm_clean_message(long_text, sizeof long_text, NULL);
	assert_int_equal(strlen(s), 196 + 3);
	assert_string_equal(s + 196, "\xe2\x80\xa6");
	free(s);

	/* the key is masked, even when removed bytes split it */
	s = llm_clean_message(masked, strlen(masked), "sk-abcdef12");
	assert_string_equal(s, "key *** and ***.");
	free(s);
	/* bidi overrides, zero-width characters and a DCS payload go */
	s = llm_clean_message(bidi, strlen(bidi), NULL);
	assert_string_equal(s, "abcd");
	free(s);
}

static void
test_status_messages(void **state)
{
	struct llm_params p = params(LLM_OPENAI);
	struct llm_error_info e;
	char err[RN_ERRLEN];
	const char *q = "{\"error\":{\"message\":\"You exceeded your current "
	    "quota\",\"type\":\"insufficient_quota\",\"code\":"
	    "\"insufficient_quota\"}}";

	(void)state;
	memset(&e, 0, sizeof e);
	e.message = (char *)"Incorrect API key provided: ***";
	assert_int_equal(llm_status_message(&llm_openai, &p, 401, &e, 1, err,
	    sizeof err), RN_ENET);
	assert_string_equal(err, "openai: the API key was rejected (401): "
	    "Incorrect API key provided: ***; check RUSTNOTE_API_KEY or "
	    "OPENAI_API_KEY");
	assert_null(strstr(err, KEY));

	e.message = (char *)"The model `test-model` does not exist";
	llm_status_message(&llm_openai, &p, 404, &e, 1, err, sizeof err);
	assert_string_equal(err, "openai: unknown model 'test-model' (404): "
	    "The model `test-model` does not exist");

	e.message = (char *)"Rate limit reached";
	llm_status_message(&llm_openai, &p, 429, &e, 4, err, sizeof err);
	assert_string_equal(err, "openai: rate limited (429) after 4 "
	    "attempts: Rate limit reached");

	e.message = (char *)"Unrecognized request argument: foo";
	llm_status_message(&llm_anthropic, &p, 400, &e, 1, err, sizeof err);
	assert_string_equal(err, "anthropic: bad request (400): "
	    "Unrecognized request argument: foo");

	e.message = NULL;
	e.html = true;
	llm_status_message(&llm_openai, &p, 502, &e, 4, err, sizeof err);
	assert_string_equal(err, "openai: server error (502) after 4 "
	    "attempts: the server returned an HTML error page");

	llm_error_parse(q, strlen(q), NULL, NULL, &e);
	assert_false(llm_status_retryable(429, &e, NULL));
	assert_false(llm_status_retryable(429, &e, "true"));
	llm_status_message(&llm_openai, &p, 429, &e, 1, err, sizeof err);
	assert_non_null(strstr(err, "quota exhausted (429)"));
	llm_error_info_free(&e);

	p.api_key = NULL;
	llm_status_message(&llm_anthropic, &p, 401, &e, 1, err, sizeof err);
	assert_string_equal(err, "anthropic: the server wants an API key "
	    "(401); set RUSTNOTE_API_KEY or ANTHROPIC_API_KEY");
}

static void
test_retryable_statuses(void **state)
{
	/* As openai-python: 408, 409, 429 and every 5xx (Cloudflare's too). */
	static const long yes[] = {
		408, 409, 429, 500, 501, 502, 503, 504, 520, 521, 522, 523,
		524, 529, 599
	};
	static const long no[] = { 200, 400, 401, 403, 404, 413, 422, 600 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		assert_true(llm_status_retryable(yes[i], NULL, NULL));
		assert_false(llm_status_retryable(yes[i], NULL, "false"));
	}
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		assert_false(llm_status_retryable(no[i], NULL, NULL));
		assert_true(llm_status_retryable(no[i], NULL, "true"));
	}
}

static void
test_schema_rejected(void **state)
{
	struct llm_error_info e;
	const char *a = "{\"error\":{\"message\":\"Invalid parameter: "
	    "'response_format' of type 'json_schema' is not supported with "
	    "this model.\",\"type\":\"invalid_request_error\",\"param\":"
	    "\"response_format\"}}";
	const char *b = "{\"error\":{\"message\":\"max_tokens is too large\","
	    "\"type\":\"invalid_request_error\",\"param\":\"max_tokens\"}}";

	(void)state;
	llm_error_parse(a, strlen(a), NULL, NULL, &e);
	assert_true(llm_openai.schema_rejected(400, &e));
	llm_error_info_free(&e);
	llm_error_parse(b, strlen(b), NULL, NULL, &e);
	assert_false(llm_openai.schema_rejected(400, &e));
	assert_false(llm_anthropic.schema_rejected(400, &e));
	llm_error_info_free(&e);
}

/* --- retry timing -------------------------------------------------------- */

static void
test_retry_after(void **state)
{
	time_t now = 1700000000;

	(void)state;
	assert_int_equal(llm_parse_retry_after("2", NULL, now), 2000);
	assert_int_equal(llm_parse_retry_after(" 1.5 ", NULL, now), 1500);
	assert_int_equal(llm_parse_retry_after("2", "250", now), 250);
	assert_int_equal(llm_parse_retry_after(NULL, "12.3", now), 13);
	assert_int_equal(llm_parse_retry_after("120", NULL, now), 60000);
	assert_int_equal(llm_parse_retry_after("-1", NULL, now), -1);
	assert_int_equal(llm_parse_retry_after("soon", NULL, now), -1);
	assert_int_equal(llm_parse_retry_after("3s", NULL, now), -1);
	assert_int_equal(llm_parse_retry_after(NULL, NULL, now), -1);
	/* 1700000000 is Tue, 14 Nov 2023 22:13:20 GMT. */
	assert_int_equal(llm_parse_retry_after(
	    "Tue, 14 Nov 2023 22:13:25 GMT", NULL, now), 5000);
	assert_int_equal(llm_parse_retry_after(
	    "Tue, 14 Nov 2023 22:13:00 GMT", NULL, now), 0);
}

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(llm_backoff_ms(2, -1, 0.0, -1), 0);
	assert_int_equal(llm_backoff_ms(2, -1, 0.5, -1), 250);
	assert_int_equal(llm_backoff_ms(3, -1, 0.5, -1), 500);
	assert_int_equal(llm_backoff_ms(4, -1, 0.5, -1), 1000);
	assert_int_equal(llm_backoff_ms(20, -1, 0.5, -1), 4000);
	assert_true(llm_backoff_ms(20, -1, 0.9999, -1) < 8000);
	assert_int_equal(llm_backoff_ms(2, 3000, 0.1, -1), 3000);
	assert_int_equal(llm_backoff_ms(2, 90000, 0.1, -1), 60000);
	assert_int_equal(llm_backoff_ms(2, 3000, 0.1, 20), 20);
	assert_int_equal(llm_backoff_ms(5, -1, 0.9, 0), 0);
}

static void
test_provider_names(void **state)
{
	(void)state;
	assert_ptr_equal(llm_provider_get(LLM_OLLAMA), &llm_ollama);
	assert_string_equal(llm_provider_get(LLM_ANTHROPIC)->name,
	    config_provider(LLM_ANTHROPIC)->name);
	assert_string_equal(llm_provider_get(LLM_OPENAI)->key_env,
	    config_provider(LLM_OPENAI)->key_env);
	assert_null(llm_provider_get(LLM_OLLAMA + 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openai_body_stream_schema),
		cmocka_unit_test(test_openai_body_plain),
		cmocka_unit_test(test_openai_bad_schema_left_out),
		cmocka_unit_test(test_key_with_line_break_refused),
		cmocka_unit_test(test_anthropic_body),
		cmocka_unit_test(test_anthropic_url_variants),
		cmocka_unit_test(test_ollama_body),
		cmocka_unit_test(test_ollama_base),
		cmocka_unit_test(test_url_join),
		cmocka_unit_test(test_openai_stream),
		cmocka_unit_test(test_openai_stream_error),
		cmocka_unit_test(test_openai_stream_bytewise),
		cmocka_unit_test(test_openai_repeated_chunks),
		cmocka_unit_test(test_openai_chunks_all_differ),
		cmocka_unit_test(test_anthropic_stream),
		cmocka_unit_test(test_anthropic_repeated_deltas),
		cmocka_unit_test(test_anthropic_overloaded_event),
		cmocka_unit_test(test_ollama_stream),
		cmocka_unit_test(test_ollama_error_line),
		cmocka_unit_test(test_reply_cap),
		cmocka_unit_test(test_openai_body_reply),
		cmocka_unit_test(test_anthropic_body_reply),
		cmocka_unit_test(test_ollama_body_reply),
		cmocka_unit_test(test_error_shapes),
		cmocka_unit_test(test_clean_message),
		cmocka_unit_test(test_status_messages),
		cmocka_unit_test(test_retryable_statuses),
		cmocka_unit_test(test_schema_rejected),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_provider_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
