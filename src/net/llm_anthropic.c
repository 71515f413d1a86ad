/*
 * llm_anthropic.c - the Anthropic Messages wire format.
 *
 * A streamed reply is a sequence of named SSE events: message_start,
 * content_block_start, content_block_delta (text_delta carries the text),
 * content_block_stop, message_delta (stop reason, output tokens) and
 * message_stop; ping and unknown events may come at any time and an
 * error event (overloaded_error, ...) may arrive mid-stream.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "provider.h"
#include "rustnote/util.h"

#define ANTHROPIC_VERSION "2023-06-01"

static enum llm_finish
anthropic_finish(const char *reason)
{
	if (strcmp(reason, "end_turn") == 0 ||
	    strcmp(reason, "stop_sequence") == 0)
		return LLM_FINISH_STOP;
	/* The context window ran out: cut, as by the token limit. */
	if (strcmp(reason, "max_tokens") == 0 ||
	    strcmp(reason, "model_context_window_exceeded") == 0)
		return LLM_FINISH_LENGTH;
	if (strcmp(reason, "refusal") == 0)
		return LLM_FINISH_FILTER;
	return LLM_FINISH_OTHER;
}

/* output_config: {format: {type: "json_schema", schema}}; or nothing. */
static void
anthropic_output_config(cJSON *root, const char *schema_text)
{
	cJSON *schema = cJSON_Parse(schema_text), *oc, *fmt;

	if (!cJSON_IsObject(schema)) {
		/* A broken schema file: ask by instruction only. */
		cJSON_Delete(schema);
		return;
	}
	oc = cJSON_AddObjectToObject(root, "output_config");
	fmt = cJSON_AddObjectToObject(oc, "format");
	cJSON_AddStringToObject(fmt, "type", "json_schema");
	cJSON_AddItemToObject(fmt, "schema", schema);
}

static char *
anthropic_body(const struct llm_params *p, const struct llm_request *req,
    unsigned flags)
{
	cJSON *root = cJSON_CreateObject();

	if (root == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(root, "model", p->model);
	/* Required; a long note's review does not fit in a fixed 4096. */
	cJSON_AddNumberToObject(root, "max_tokens",
	    (double)llm_max_tokens(p, req));
	/* The system prompt is a top-level field, not a message. */
	if (req->system != NULL && *req->system != '\0')
		cJSON_AddStringToObject(root, "system", req->system);
	cJSON_AddItemToObject(root, "messages", llm_json_messages(req, false));
	cJSON_AddBoolToObject(root, "stream", p->stream);
	if (p->temperature >= 0)
		cJSON_AddNumberToObject(root, "temperature", p->temperature);
	if (p->json_schema != NULL && !(flags & LLM_BUILD_NO_SCHEMA))
		anthropic_output_config(root, p->json_schema);
	return llm_json_finish(root);
}

/* A base given with its version ("https://host/v1") gets no second one. */
static char *
anthropic_url(const char *base)
{
	size_t len = strlen(base);
	char *trimmed, *url;

	while (len > 0 && base[len - 1] == '/')
		len--;
	trimmed = xstrndup(base, len);
	if (len >= 3 && strcmp(trimmed + len - 3, "/v1") == 0)
		url = llm_url_join(trimmed, "/messages");
	else
		url = llm_url_join(trimmed, "/v1/messages");
	free(trimmed);
	return url;
}

static enum rn_status
anthropic_build(const struct llm_params *p, const struct llm_request *req,
    unsigned flags, struct llm_http *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->url = anthropic_url(llm_base_url(p, LLM_ANTHROPIC));
	llm_http_header(out, "anthropic-version: " ANTHROPIC_VERSION);
	llm_http_header(out, "content-type: application/json");
	llm_http_header(out, "accept: %s",
	    p->stream ? "text/event-stream" : "application/json");
	out->body = anthropic_body(p, req, flags);
	return llm_key_header(out, "x-api-key: ", p->api_key, &llm_anthropic,
	    err, errlen);
}

/* The "usage" member of a message or of a message_delta event. */
static void
anthropic_usage(struct llm_sink *s, const cJSON *obj)
{
	llm_sink_usage(s, cJSON_GetObjectItemCaseSensitive(obj, "usage"),
	    "input_tokens", "output_tokens");
}

static int
anthropic_delta(struct llm_sink *s, const cJSON *root)
{
	const cJSON *delta = cJSON_GetObjectItemCaseSensitive(root, "delta");
	const char *type = llm_json_str(delta, "type"), *text;

	/* input_json_delta, thinking_delta, ... carry no reply text. */
	if (type != NULL && strcmp(type, "thinking_delta") == 0)
		llm_sink_thinking(s);
	if (type == NULL || strcmp(type, "text_delta") != 0)
		return LLM_EV_MORE;
	if ((text = llm_json_str(delta, "text")) == NULL)
		return LLM_EV_MORE;
	return llm_sink_text(s, text, strlen(text));
}

/* The stop reason of a message or message_delta; "refusal" is one. */
static void
anthropic_stop(struct llm_sink *s, const cJSON *obj)
{
	const char *reason = llm_json_str(obj, "stop_reason");

	llm_sink_reason(s, obj, "stop_reason", anthropic_finish);
	if (reason != NULL && strcmp(reason, "refusal") == 0)
		s->refused = true;
}

static int
anthropic_event(struct llm_sink *s, const char *name, const cJSON *root)
{
	const cJSON *msg;

	if (strcmp(name, "content_block_delta") == 0)
		return anthropic_delta(s, root);
	if (strcmp(name, "message_start") == 0) {
		msg = cJSON_GetObjectItemCaseSensitive(root, "message");
		llm_sink_model(s, llm_json_str(msg, "model"));
		anthropic_usage(s, msg);
	} else if (strcmp(name, "message_delta") == 0) {
		anthropic_stop(s, cJSON_GetObjectItemCaseSensitive(root,
		    "delta"));
		anthropic_usage(s, root);
	} else if (strcmp(name, "message_stop") == 0) {
		s->done = true;
		return LLM_EV_DONE;
	}
	return LLM_EV_MORE;
}

static int
anthropic_on_event(struct llm_sink *s, const char *event, const char *data,
    size_t len)
{
	const char *name = event;
	cJSON *root;
	int rc = LLM_EV_MORE;

	root = cJSON_ParseWithLength(data, len);
	/* Without an "event:" line the data's own type names it. */
	if ((name == NULL || strcmp(name, "message") == 0) &&
	    (name = llm_json_str(root, "type")) == NULL)
		name = "message";
	if (strcmp(name, "error") == 0)
		rc = llm_sink_error_reply(s, data, len);
	else if (cJSON_IsObject(root))
		rc = anthropic_event(s, name, root);
	cJSON_Delete(root);
	return rc;
}

/* Join the text blocks of content[]; other block types are skipped. */
static int
anthropic_content(struct llm_sink *s, const cJSON *content)
{
	const cJSON *block;
	const char *type, *text;
	struct buf all;
	int rc = LLM_EV_DONE;

	buf_init(&all, LLM_MAX_REPLY);
	cJSON_ArrayForEach(block, content) {
		type = llm_json_str(block, "type");
		text = llm_json_str(block, "text");
		if (type == NULL || strcmp(type, "text") != 0 || text == NULL)
			continue;
		if (buf_adds(&all, text) != 0) {
			rc = LLM_EV_TOOBIG;
			goto out;
		}
	}
	if (llm_sink_text(s, all.data, all.len) != LLM_EV_MORE)
		rc = LLM_EV_TOOBIG;
out:
	buf_free(&all);
	return rc;
}

/* Anthropic's error body: {"type": "error", "error": {"type", "message"}}. */
static bool
anthropic_is_error(const cJSON *root)
{
	const char *type = llm_json_str(root, "type");

	return (type != NULL && strcmp(type, "error") == 0) ||
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "error"));
}

static int
anthropic_message(struct llm_sink *s, const cJSON *root)
{
	const cJSON *content;

	content = cJSON_GetObjectItemCaseSensitive(root, "content");
	if (!cJSON_IsArray(content))
		return llm_sink_error(s, LLM_EV_BAD,
		    "the reply has no content", NULL, NULL);
	llm_sink_model(s, llm_json_str(root, "model"));
	anthropic_usage(s, root);
	anthropic_stop(s, root);
	s->done = true;
	return anthropic_content(s, content);
}

static int
anthropic_on_body(struct llm_sink *s, const char *body, size_t len)
{
	return llm_read_body(s, body, len, anthropic_is_error,
	    anthropic_message);
}

/*
 * Older models and gateways refuse output_config: "output_config: Extra
 * inputs are not permitted", "... does not support structured outputs".
 */
static bool
anthropic_schema_rejected(long status, const struct llm_error_info *e)
{
	static const char *const words[] = {
		"output_config", "output_format", "structured output",
		"output format"
	};
	size_t i;

	if (status != 400 || e->message == NULL)
		return false;
	for (i = 0; i < sizeof words / sizeof *words; i++) {
		if (strcasestr(e->message, words[i]) != NULL)
			return true;
	}
	return false;
}

static enum rn_status
anthropic_models_request(const struct llm_params *p, struct llm_http *out,
    char *err, size_t errlen)
{
	char *url = anthropic_url(llm_base_url(p, LLM_ANTHROPIC));
	size_t n = strlen(url);

	memset(out, 0, sizeof *out);
	/* .../v1/messages -> .../v1/models */
	out->url = xasprintf("%.*s/models", (int)(n - strlen("/messages")),
	    url);
	free(url);
	llm_http_header(out, "anthropic-version: " ANTHROPIC_VERSION);
	llm_http_header(out, "accept: application/json");
	return llm_key_header(out, "x-api-key: ", p->api_key, &llm_anthropic,
	    err, errlen);
}

/* {"data": [{"type": "model", "id": "claude-sonnet-4-5", ...}], ...} */
static int
anthropic_models_read(const cJSON *root, char ***names, size_t *n)
{
	return llm_models_collect(
	    cJSON_GetObjectItemCaseSensitive(root, "data"), "id", names, n);
}

const struct llm_provider llm_anthropic = {
	.id = LLM_ANTHROPIC,
	.name = "anthropic",
	.key_env = "ANTHROPIC_API_KEY",
	.stream_mode = SSE_EVENTS,
	.build = anthropic_build,
	.on_event = anthropic_on_event,
	.on_body = anthropic_on_body,
	.schema_rejected = anthropic_schema_rejected,
	.models_request = anthropic_models_request,
	.models_read = anthropic_models_read,
};
