/*
 * test_endpoints.c - what real endpoints do beyond the plain wire formats:
 * reasoning before the answer, refusals, "error": null, per-model
 * parameter refusals, structured output per provider, key headers for
 * Azure and Ollama's cloud, context and reply budgets, model lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "../../src/net/provider.h"

#define SCHEMA "{\"type\":\"object\",\"properties\":{\"findings\":" \
	"{\"type\":\"array\"}},\"required\":[\"findings\"]}"
#define KEY "sk-test-0123456789abcdef"

static const struct llm_request request = {
	.system = "You review notes.",
	.user = "My note",
};

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

struct rig {
	struct llm_reply reply;
	struct buf seen;
	struct llm_callbacks cb;
	struct llm_sink sink;
};

static void
seen_text(void *ud, const char *delta, size_t len)
{
	buf_add(ud, delta, len);
}

static void
rig_init(struct rig *r)
{
	memset(r, 0, sizeof *r);
	llm_reply_init(&r->reply);
	buf_init(&r->seen, 0);
	r->cb.on_text = seen_text;
	r->cb.ud = &r->seen;
	llm_sink_init(&r->sink, &r->reply, &r->cb, KEY);
}

static void
rig_free(struct rig *r)
{
	llm_sink_free(&r->sink);
	llm_reply_free(&r->reply);
	buf_free(&r->seen);
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

/* --- reasoning ----------------------------------------------------------- */

/* Feed text in pieces of n bytes; return what reached the answer. */
static char *
think_split(const char *text, size_t n)
{
	struct rig r;
	size_t i, len = strlen(text), k;
	char *out;

	rig_init(&r);
	for (i = 0; i < len; i += k) {
		k = len - i < n ? len - i : n;
		assert_int_equal(llm_sink_text(&r.sink, text + i, k),
		    LLM_EV_MORE);
	}
	assert_int_equal(llm_sink_end(&r.sink), LLM_EV_MORE);
	/* What the caller saw is what the reply holds. */
	assert_int_equal(r.seen.len, r.reply.text.len);
	out = strdup(buf_str(&r.reply.text));
	rig_free(&r);
	return out;
}

static void
test_think_blocks(void **state)
{
	static const char *const cases[][2] = {
		{ "<think>The note says {\"findings\": [1]}</think>\n{\"a\":1}",
		  "\n{\"a\":1}" },
		{ "  \n<thinking>x</thinking>{\"a\":1}", "{\"a\":1}" },
		{ "{\"a\":\"<think>kept</think>\"}",
		  "{\"a\":\"<think>kept</think>\"}" },
		{ "<thin", "<thin" },
		{ "   ", "   " },
		{ "<b>bold</b>", "<b>bold</b>" },
		{ "<think>never closed {\"a\":1}", "" },
		{ "plain text", "plain text" },
	};
	size_t i, n;
	char *got;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (n = 1; n <= 12; n++) {
			got = think_split(cases[i][0], n);
			assert_string_equal(got, cases[i][1]);
			free(got);
		}
	}
}

static int
feed(struct rig *r, const struct llm_provider *pv, const char *event,
    const char *data)
{
	return pv->on_event(&r->sink, event, data, strlen(data));
}

static void
test_reasoning_fields(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(feed(&r, &llm_openai, NULL, "{\"choices\":[{\"delta\":"
	    "{\"content\":null,\"reasoning_content\":\"{\\\"findings\\\":[]}\"}"
	    "}]}"), LLM_EV_MORE);
	assert_true(r.sink.thinking);
	assert_int_equal(r.reply.text.len, 0);
	assert_int_equal(feed(&r, &llm_openai, NULL, "{\"choices\":[{\"delta\":"
	    "{\"reasoning\":\"more\"}}]}"), LLM_EV_MORE);
	assert_int_equal(r.reply.text.len, 0);
	rig_free(&r);

	rig_init(&r);
	assert_int_equal(feed(&r, &llm_ollama, NULL, "{\"message\":{\"role\":"
	    "\"assistant\",\"content\":\"\",\"thinking\":\"{}\"},\"done\":"
	    "false}"), LLM_EV_MORE);
	assert_true(r.sink.thinking);
	assert_int_equal(r.reply.text.len, 0);
	rig_free(&r);

	rig_init(&r);
	assert_int_equal(feed(&r, &llm_anthropic, "content_block_delta",
	    "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
	    "\"thinking_delta\",\"thinking\":\"{}\"}}"), LLM_EV_MORE);
	assert_true(r.sink.thinking);
	assert_int_equal(r.reply.text.len, 0);
	rig_free(&r);
}

/* --- refusals and errors ------------------------------------------------- */

static void
test_refusals(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	feed(&r, &llm_openai, NULL, "{\"choices\":[{\"delta\":{\"role\":"
	    "\"assistant\",\"content\":null,\"refusal\":\"I can\"}}]}");
	feed(&r, &llm_openai, NULL, "{\"choices\":[{\"delta\":{\"refusal\":"
	    "\"'t help.\"}}]}");
	assert_string_equal(buf_str(&r.sink.refusal), "I can't help.");
	assert_int_equal(r.reply.text.len, 0);
	rig_free(&r);

	rig_init(&r);
	feed(&r, &llm_anthropic, "message_delta", "{\"type\":\"message_delta\","
	    "\"delta\":{\"stop_reason\":\"refusal\"},\"usage\":{}}");
	assert_true(r.sink.refused);
	assert_int_equal(r.reply.finish, LLM_FINISH_FILTER);
	rig_free(&r);

	rig_init(&r);
	feed(&r, &llm_anthropic, "message_delta", "{\"type\":\"message_delta\","
	    "\"delta\":{\"stop_reason\":\"model_context_window_exceeded\"}}");
	assert_false(r.sink.refused);
	assert_int_equal(r.reply.finish, LLM_FINISH_LENGTH);
	rig_free(&r);
}

static void
test_error_null(void **state)
{
	static const char *const no[] = {
		"{\"error\":null}", "{\"error\":false}", "{\"error\":\"\"}",
		"{\"error\":{}}", "{}"
	};
	static const char *const yes[] = {
		"{\"error\":{\"message\":\"m\"}}", "{\"error\":\"model gone\"}",
		"{\"error\":true}"
	};
	struct rig r;
	cJSON *root;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof no / sizeof no[0]; i++) {
		root = cJSON_Parse(no[i]);
		assert_false(llm_has_error(root));
		cJSON_Delete(root);
	}
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		root = cJSON_Parse(yes[i]);
		assert_true(llm_has_error(root));
		cJSON_Delete(root);
	}
	rig_init(&r);
	assert_int_equal(feed(&r, &llm_openai, NULL, "{\"error\":null,"
	    "\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}"), LLM_EV_MORE);
	assert_int_equal(feed(&r, &llm_ollama, NULL, "{\"error\":null,"
	    "\"message\":{\"content\":\" there\"},\"done\":false}"),
	    LLM_EV_MORE);
	assert_string_equal(buf_str(&r.reply.text), "hi there");
	rig_free(&r);
}

/* --- what a 400 names ---------------------------------------------------- */

static void
error_of(const char *body, struct llm_error_info *e)
{
	llm_error_parse(body, strlen(body), NULL, NULL, e);
}

static void
test_param_fix(void **state)
{
	struct llm_error_info e;

	(void)state;
	error_of("{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens'"
	    " is not supported with this model. Use 'max_completion_tokens' "
	    "instead.\",\"type\":\"invalid_request_error\",\"param\":"
	    "\"max_tokens\",\"code\":\"unsupported_parameter\"}}", &e);
	assert_int_equal(llm_openai.param_fix(&e), LLM_BUILD_MAX_COMPLETION);
	assert_false(llm_openai.schema_rejected(400, &e));
	llm_error_info_free(&e);
	error_of("{\"error\":{\"message\":\"Unsupported value: 'temperature' "
	    "does not support 0.2 with this model. Only the default (1) value "
	    "is supported.\",\"type\":\"invalid_request_error\",\"param\":"
	    "\"temperature\",\"code\":\"unsupported_value\"}}", &e);
	assert_int_equal(llm_openai.param_fix(&e), LLM_BUILD_NO_TEMPERATURE);
	llm_error_info_free(&e);
	error_of("{\"error\":{\"message\":\"bad\",\"param\":\"messages\"}}",
	    &e);
	assert_int_equal(llm_openai.param_fix(&e), 0);
	llm_error_info_free(&e);
	assert_null(llm_anthropic.param_fix);
	assert_null(llm_ollama.param_fix);
}

static void
test_openai_token_names(void **state)
{
	struct llm_params p = params(LLM_OPENAI);
	struct llm_http h;
	cJSON *root;

	(void)state;
	p.max_tokens = 900;
	p.temperature = 0.2;
	p.base_url = "http://127.0.0.1:11434/v1";
	root = build_json(&llm_openai, &p, 0, &h);
	assert_int_equal(path(root, "max_tokens", NULL)->valueint, 900);
	assert_null(path(root, "max_completion_tokens", NULL));
	assert_non_null(path(root, "temperature", NULL));
	cJSON_Delete(root);
	llm_http_free(&h);

	root = build_json(&llm_openai, &p, LLM_BUILD_MAX_COMPLETION |
	    LLM_BUILD_NO_TEMPERATURE, &h);
	assert_null(path(root, "max_tokens", NULL));
	assert_int_equal(path(root, "max_completion_tokens", NULL)->valueint,
	    900);
	assert_null(path(root, "temperature", NULL));
	cJSON_Delete(root);
	llm_http_free(&h);

	/* The official API has deprecated max_tokens. */
	p.base_url = NULL;
	root = build_json(&llm_openai, &p, 0, &h);
	assert_null(path(root, "max_tokens", NULL));
	assert_non_null(path(root, "max_completion_tokens", NULL));
	cJSON_Delete(root);
	llm_http_free(&h);
}

static void
test_ollama_schema_words(void **state)
{
	struct llm_error_info e;

	(void)state;
	error_of("{\"error\":\"invalid JSON schema in format\"}", &e);
	assert_true(llm_ollama.schema_rejected(400, &e));
	assert_true(llm_ollama.schema_rejected(500, &e));
	assert_false(llm_ollama.schema_rejected(404, &e));
	llm_error_info_free(&e);
	error_of("{\"error\":\"invalid format: \\\"yaml\\\"; expected \\\"json"
	    "\\\" or a valid JSON Schema object\"}", &e);
	assert_true(llm_ollama.schema_rejected(400, &e));
	llm_error_info_free(&e);
	/* Mentions a format or a schema, but is no refusal of it. */
	error_of("{\"error\":\"unexpected format of the chat template\"}", &e);
	assert_false(llm_ollama.schema_rejected(400, &e));
	llm_error_info_free(&e);
	error_of("{\"error\":\"model 'x' not found, try pulling it; schema "
	    "v2\"}", &e);
	assert_false(llm_ollama.schema_rejected(400, &e));
	llm_error_info_free(&e);
}

/* --- Anthropic ----------------------------------------------------------- */

static void
test_anthropic_output_config(void **state)
{
	struct llm_params p = params(LLM_ANTHROPIC);
	struct llm_error_info e;
	struct llm_http h;
	cJSON *root;

	(void)state;
	root = build_json(&llm_anthropic, &p, 0, &h);
	assert_string_equal(path(path(root, "output_config", NULL), "format",
	    "type")->valuestring, "json_schema");
	assert_true(cJSON_IsObject(path(path(root, "output_config", NULL),
	    "format", "schema")));
	cJSON_Delete(root);
	llm_http_free(&h);
	root = build_json(&llm_anthropic, &p, LLM_BUILD_NO_SCHEMA, &h);
	assert_null(path(root, "output_config", NULL));
	cJSON_Delete(root);
	llm_http_free(&h);

	error_of("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_"
	    "error\",\"message\":\"output_config: Extra inputs are not "
	    "permitted\"}}", &e);
	assert_true(llm_anthropic.schema_rejected(400, &e));
	assert_false(llm_anthropic.schema_rejected(500, &e));
	llm_error_info_free(&e);
	error_of("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_"
	    "error\",\"message\":\"max_tokens: must be positive\"}}", &e);
	assert_false(llm_anthropic.schema_rejected(400, &e));
	llm_error_info_free(&e);
}

static void
test_budgets(void **state)
{
	struct llm_params p = params(LLM_OLLAMA);
	struct llm_request big;
	char *user;

	(void)state;
	assert_int_equal(llm_reply_budget(0), 4096);
	assert_int_equal(llm_reply_budget(8000), 8096);
	assert_int_equal(llm_reply_budget(1000000), 16384);
	user = malloc(70001);
	memset(user, 'x', 70000);
	user[70000] = '\0';
	big.system = "";
	big.user = user;
	/* 70000 bytes: about 20000 tokens, and a reply of 14000. */
	assert_true(llm_prompt_tokens(&big) >= 20000);
	assert_true(llm_ollama_num_ctx(&p, &big) >= llm_prompt_tokens(&big) +
	    llm_max_tokens(&p, &big));
	assert_int_equal(llm_ollama_num_ctx(&p, &big) % 2048, 0);
	assert_int_equal(llm_ollama_num_ctx(&p, &request), 6144);
	p.num_ctx = 2048;
	assert_int_equal(llm_ollama_num_ctx(&p, &big), 2048);
	p.max_tokens = 100;
	assert_int_equal(llm_max_tokens(&p, &big), 100);
	free(user);
}

/* --- key headers --------------------------------------------------------- */

static void
test_auth_headers(void **state)
{
	struct llm_params p = params(LLM_OPENAI);
	char err[RN_ERRLEN];
	struct llm_http h;
	cJSON *root;

	(void)state;
	assert_true(llm_is_azure("https://res.openai.azure.com/openai/"
	    "deployments/d?api-version=2024-10-21"));
	assert_true(llm_is_azure("https://RES.OpenAI.Azure.com/openai/v1/"));
	assert_false(llm_is_azure("https://openai.azure.com.evil.org/"));
	assert_false(llm_is_azure("http://127.0.0.1:8080/v1"));
	assert_true(llm_is_openai_com("https://api.openai.com/v1"));
	assert_false(llm_is_openai_com("http://127.0.0.1/v1"));

	p.base_url = "https://res.openai.azure.com/openai/deployments/d"
	    "?api-version=2024-10-21";
	root = build_json(&llm_openai, &p, 0, &h);
	assert_string_equal(h.url, "https://res.openai.azure.com/openai/"
	    "deployments/d/chat/completions?api-version=2024-10-21");
	assert_string_equal(header(&h, "api-key:"), "api-key: " KEY);
	assert_null(header(&h, "Authorization:"));
	cJSON_Delete(root);
	llm_http_free(&h);

	p.base_url = "http://127.0.0.1:9/v1";
	p.auth_header = "api-key";
	root = build_json(&llm_openai, &p, 0, &h);
	assert_string_equal(header(&h, "api-key:"), "api-key: " KEY);
	cJSON_Delete(root);
	llm_http_free(&h);

	p.auth_header = "bad header\r\nX-Evil";
	assert_int_equal(llm_openai.build(&p, &request, 0, &h, err,
	    sizeof err), RN_EUSAGE);
	assert_null(strstr(err, KEY));
	llm_http_free(&h);

	p = params(LLM_OLLAMA);
	p.api_key = NULL;
	root = build_json(&llm_ollama, &p, 0, &h);
	assert_null(header(&h, "Authorization:"));
	cJSON_Delete(root);
	llm_http_free(&h);
}

/* --- model lists --------------------------------------------------------- */

static void
list_of(const struct llm_provider *pv, const char *body, size_t want,
    const char *first)
{
	char **names;
	size_t n;

	assert_int_equal(llm_models_parse(pv, body, strlen(body), &names, &n),
	    RN_OK);
	assert_int_equal(n, want);
	if (first != NULL)
		assert_string_equal(names[0], first);
	assert_null(names[n]);
	llm_models_free(names, n);
}

static void
test_model_lists(void **state)
{
	struct llm_params p = params(LLM_ANTHROPIC);
	char err[RN_ERRLEN], **names;
	struct llm_http h;
	size_t n;

	(void)state;
	list_of(&llm_openai, "{\"object\":\"list\",\"data\":[{\"id\":\"a\","
	    "\"object\":\"model\"},{\"id\":\"b\"},{\"x\":1}]}", 2, "a");
	list_of(&llm_anthropic, "{\"data\":[{\"type\":\"model\",\"id\":"
	    "\"claude-x\"}],\"has_more\":false}", 1, "claude-x");
	list_of(&llm_ollama, "{\"models\":[{\"name\":\"llama3.2:latest\"}]}",
	    1, "llama3.2:latest");
	/* A hostile name is cleaned before it is ever shown. */
	list_of(&llm_openai, "{\"data\":[{\"id\":\"m\\u001b[31m\"}]}", 1, NULL);
	assert_int_equal(llm_models_parse(&llm_openai, "[]", 2, &names, &n),
	    RN_EREPLY);

	assert_int_equal(llm_anthropic.models_request(&p, &h, err, sizeof err),
	    RN_OK);
	assert_string_equal(h.url, "https://api.anthropic.com/v1/models");
	assert_null(h.body);
	assert_string_equal(header(&h, "x-api-key:"), "x-api-key: " KEY);
	llm_http_free(&h);
	p = params(LLM_OLLAMA);
	p.base_url = "ollama.com";
	assert_int_equal(llm_ollama.models_request(&p, &h, err, sizeof err),
	    RN_OK);
	assert_string_equal(h.url, "https://ollama.com:443/api/tags");
	llm_http_free(&h);
}

static void
test_progress_status(void **state)
{
	struct llm_progress pr;
	char b[64];

	(void)state;
	memset(&pr, 0, sizeof pr);
	assert_null(llm_progress_status(&pr, b, sizeof b));
	pr.waiting = 12.7;
	assert_string_equal(llm_progress_status(&pr, b, sizeof b),
	    "waiting for the model (12 s)");
	pr.thinking = true;
	assert_string_equal(llm_progress_status(&pr, b, sizeof b),
	    "thinking\u2026");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_think_blocks),
		cmocka_unit_test(test_reasoning_fields),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_error_null),
		cmocka_unit_test(test_param_fix),
		cmocka_unit_test(test_openai_token_names),
		cmocka_unit_test(test_ollama_schema_words),
		cmocka_unit_test(test_anthropic_output_config),
		cmocka_unit_test(test_budgets),
		cmocka_unit_test(test_auth_headers),
		cmocka_unit_test(test_model_lists),
		cmocka_unit_test(test_progress_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
