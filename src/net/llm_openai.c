/*
 * llm_openai.c - the OpenAI Chat Completions wire format, also spoken by
 * most local servers (llama.cpp, vLLM, LM Studio, Ollama's /v1).
 *
 * Streamed replies are SSE "data: {chunk}" events ending with
 * "data: [DONE]"; with stream_options.include_usage the last chunk before
 * it has no choices, only usage.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "rustnote/err.h"
#include "provider.h"
#include "rustnote/util.h"

static enum llm_finish
openai_finish(const char *reason)
{
	if (strcmp(reason, "stop") == 0)
		return LLM_FINISH_STOP;
	if (strcmp(reason, "length") == 0)
		return LLM_FINISH_LENGTH;
	if (strcmp(reason, "content_filter") == 0)
		return LLM_FINISH_FILTER;
	return LLM_FINISH_OTHER;
}

/* response_format asking for the findings schema; NULL when unusable. */
static cJSON *
openai_response_format(const char *schema_text)
{
	cJSON *schema, *rf, *js;

	schema = cJSON_Parse(schema_text);
	if (!cJSON_IsObject(schema)) {
		/* A broken schema file: ask by instruction only. */
		cJSON_Delete(schema);
		return NULL;
	}
	rf = cJSON_CreateObject();
	cJSON_AddStringToObject(rf, "type", "json_schema");
	js = cJSON_AddObjectToObject(rf, "json_schema");
	cJSON_AddStringToObject(js, "name", "findings");
	cJSON_AddItemToObject(js, "schema", schema);
	cJSON_AddBoolToObject(js, "strict", 1);
	return rf;
}

static char *
openai_body(const struct llm_params *p, const struct llm_request *req,
    unsigned flags)
{
	cJSON *root = cJSON_CreateObject(), *opts, *rf;

	if (root == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(root, "model", p->model);
	cJSON_AddItemToObject(root, "messages", llm_json_messages(req, true));
	cJSON_AddBoolToObject(root, "stream", p->stream);
	if (p->stream) {
		opts = cJSON_AddObjectToObject(root, "stream_options");
		cJSON_AddBoolToObject(opts, "include_usage", 1);
	}
	/*
	 * The official API has deprecated max_tokens (reasoning models refuse
	 * it); compatible servers may know only max_tokens (Ollama's /v1).
	 */
	if (p->max_tokens > 0)
		cJSON_AddNumberToObject(root, (flags & LLM_BUILD_MAX_COMPLETION) ?
		    "max_completion_tokens" : "max_tokens", p->max_tokens);
	if (p->temperature >= 0 && !(flags & LLM_BUILD_NO_TEMPERATURE))
		cJSON_AddNumberToObject(root, "temperature", p->temperature);
	if (p->json_schema != NULL && !(flags & LLM_BUILD_NO_SCHEMA) &&
	    (rf = openai_response_format(p->json_schema)) != NULL)
		cJSON_AddItemToObject(root, "response_format", rf);
	return llm_json_finish(root);
}

static enum rn_status
openai_build(const struct llm_params *p, const struct llm_request *req,
    unsigned flags, struct llm_http *out, char *err, size_t errlen)
{
	const char *base = llm_base_url(p, LLM_OPENAI);

	(void)req;
	memset(out, 0, sizeof *out);
	out->url = llm_url_join(base, "/chat/completions");
	if (llm_is_openai_com(base))
		flags |= LLM_BUILD_MAX_COMPLETION;
	llm_http_header(out, "Content-Type: application/json");
	llm_http_header(out, "Accept: %s",
	    p->stream ? "text/event-stream" : "application/json");
	out->body = openai_body(p, req, flags);
	/* Keyless local servers get no Authorization header at all. */
	return llm_auth_header(out, p, base, &llm_openai, err, errlen);
}

static void
openai_usage(struct llm_sink *s, const cJSON *root)
{
	llm_sink_usage(s, cJSON_GetObjectItemCaseSensitive(root, "usage"),
	    "prompt_tokens", "completion_tokens");
}

/*
 * What a delta or message holds besides its content: a refusal, or the
 * reasoning of DeepSeek (reasoning_content), vLLM or OpenRouter (reasoning).
 */
static void
openai_aside(struct llm_sink *s, const cJSON *msg)
{
	const char *text;

	if ((text = llm_json_str(msg, "refusal")) != NULL)
		llm_sink_refusal(s, text, strlen(text));
	if ((text = llm_json_str(msg, "reasoning_content")) != NULL ||
	    (text = llm_json_str(msg, "reasoning")) != NULL) {
		if (*text != '\0')
			llm_sink_thinking(s);
	}
}

static int
openai_chunk(struct llm_sink *s, const cJSON *root)
{
	const cJSON *choices, *choice, *delta, *content;

	llm_sink_model(s, llm_json_str(root, "model"));
	openai_usage(s, root);
	/* The usage chunk has "choices": [] (or null on vLLM). */
	choices = cJSON_GetObjectItemCaseSensitive(root, "choices");
	choice = cJSON_IsArray(choices) ? cJSON_GetArrayItem(choices, 0) : NULL;
	if (!cJSON_IsObject(choice))
		return LLM_EV_MORE;
	llm_sink_reason(s, choice, "finish_reason", openai_finish);
	delta = cJSON_GetObjectItemCaseSensitive(choice, "delta");
	openai_aside(s, delta);
	content = cJSON_GetObjectItemCaseSensitive(delta, "content");
	if (!cJSON_IsString(content))
		return LLM_EV_MORE;
	return llm_sink_text(s, content->valuestring,
	    strlen(content->valuestring));
}

static int
openai_on_event(struct llm_sink *s, const char *event, const char *data,
    size_t len)
{
	cJSON *root;
	int rc;

	if (strcmp(data, "[DONE]") == 0) {
		s->done = true;
		return LLM_EV_DONE;
	}
	if (event != NULL && strcmp(event, "error") == 0)
		return llm_sink_error_reply(s, data, len);
	root = cJSON_ParseWithLength(data, len);
	if (!cJSON_IsObject(root))
		rc = LLM_EV_MORE;	/* not a chunk: skip it */
	else if (llm_has_error(root))	/* {"error": ...} mid-stream */
		rc = llm_sink_error_reply(s, data, len);
	else
		rc = openai_chunk(s, root);
	cJSON_Delete(root);
	return rc;
}

static int
openai_message(struct llm_sink *s, const cJSON *root)
{
	const cJSON *choices, *choice, *msg;
	const char *text;

	choices = cJSON_GetObjectItemCaseSensitive(root, "choices");
	choice = cJSON_GetArrayItem(choices, 0);
	msg = cJSON_GetObjectItemCaseSensitive(choice, "message");
	if (!cJSON_IsObject(msg))
		return llm_sink_error(s, LLM_EV_BAD,
		    "the reply has no choices[0].message", NULL, NULL);
	llm_sink_model(s, llm_json_str(root, "model"));
	openai_usage(s, root);
	llm_sink_reason(s, choice, "finish_reason", openai_finish);
	openai_aside(s, msg);
	text = llm_json_str(msg, "content");
	s->done = true;
	if (text != NULL && llm_sink_text(s, text, strlen(text)) != 0)
		return LLM_EV_TOOBIG;
	return LLM_EV_DONE;
}

static int
openai_on_body(struct llm_sink *s, const char *body, size_t len)
{
	return llm_read_body(s, body, len, llm_has_error, openai_message);
}

static bool
openai_schema_rejected(long status, const struct llm_error_info *e)
{
	static const char *const words[] = {
		"response_format", "json_schema", "json schema",
		"structured output"
	};
	size_t i;

	if (status != 400)
		return false;
	if (e->param != NULL && strcmp(e->param, "response_format") == 0)
		return true;
	for (i = 0; e->message != NULL && i < sizeof words / sizeof *words;
	    i++) {
		if (strcasestr(e->message, words[i]) != NULL)
			return true;
	}
	return false;
}

/*
 * gpt-5 and the o-series refuse max_tokens ("Use 'max_completion_tokens'
 * instead", param max_tokens) and a temperature other than the default
 * (code unsupported_value, param temperature).
 */
static unsigned
openai_param_fix(const struct llm_error_info *e)
{
	const char *param = e->param != NULL ? e->param : "";

	if (strcmp(param, "max_tokens") == 0 || (e->message != NULL &&
	    strstr(e->message, "max_completion_tokens") != NULL))
		return LLM_BUILD_MAX_COMPLETION;
	if (strcmp(param, "temperature") == 0)
		return LLM_BUILD_NO_TEMPERATURE;
	return 0;
}

static enum rn_status
openai_models_request(const struct llm_params *p, struct llm_http *out,
    char *err, size_t errlen)
{
	const char *base = llm_base_url(p, LLM_OPENAI);

	memset(out, 0, sizeof *out);
	out->url = llm_url_join(base, "/models");
	llm_http_header(out, "Accept: application/json");
	return llm_auth_header(out, p, base, &llm_openai, err, errlen);
}

/* {"object": "list", "data": [{"id": "gpt-4.1-mini", ...}, ...]} */
static int
openai_models_read(const cJSON *root, char ***names, size_t *n)
{
	return llm_models_collect(
	    cJSON_GetObjectItemCaseSensitive(root, "data"), "id", names, n);
}

const struct llm_provider llm_openai = {
	.id = LLM_OPENAI,
	.name = "openai",
	.key_env = "OPENAI_API_KEY",
	.stream_mode = SSE_EVENTS,
	.build = openai_build,
	.on_event = openai_on_event,
	.on_body = openai_on_body,
	.schema_rejected = openai_schema_rejected,
	.param_fix = openai_param_fix,
	.models_request = openai_models_request,
	.models_read = openai_models_read,
};
