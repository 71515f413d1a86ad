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
#define ANTHROPIC_MAX_TOKENS 4096	/* the API requires a value */

static enum llm_finish
anthropic_finish(const char *reason)
{
	if (strcmp(reason, "end_turn") == 0 ||
	    strcmp(reason, "stop_sequence") == 0)
		return LLM_FINISH_STOP;
	if (strcmp(reason, "max_tokens") == 0)
		return LLM_FINISH_LENGTH;
	if (strcmp(reason, "refusal") == 0)
		return LLM_FINISH_FILTER;
	return LLM_FINISH_OTHER;
}

static char *
anthropic_body(const struct llm_params *p, const struct llm_request *req)
{
	cJSON *root = cJSON_CreateObject();

	if (root == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(root, "model", p->model);
	cJSON_AddNumberToObject(root, "max_tokens",
	    p->max_tokens > 0 ? p->max_tokens : ANTHROPIC_MAX_TOKENS);
	/* The system prompt is a top-level field, not a message. */
	if (req->system != NULL && *req->system != '\0')
		cJSON_AddStringToObject(root, "system", req->system);
	cJSON_AddItemToObject(root, "messages", llm_json_messages(req, false));
	cJSON_AddBoolToObject(root, "stream", p->stream);
	if (p->temperature >= 0)
		cJSON_AddNumberToObject(root, "temperature", p->temperature);
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

static int
anthropic_build(const struct llm_params *p, const struct llm_request *req,
    unsigned flags, struct llm_http *out, char *err, size_t errlen)
{
	(void)flags;		/* no schema is sent: nothing to leave out */
	memset(out, 0, sizeof *out);
	out->url = anthropic_url(llm_base_url(p, LLM_ANTHROPIC));
	llm_http_header(out, "anthropic-version: " ANTHROPIC_VERSION);
	llm_http_header(out, "content-type: application/json");
	llm_http_header(out, "accept: %s",
	    p->stream ? "text/event-stream" : "application/json");
	out->body = anthropic_body(p, req);
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
	if (type == NULL || strcmp(type, "text_delta") != 0)
		return LLM_EV_MORE;
	if ((text = llm_json_str(delta, "text")) == NULL)
		return LLM_EV_MORE;
	return llm_sink_text(s, text, strlen(text));
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
		llm_sink_reason(s, cJSON_GetObjectItemCaseSensitive(root,
		    "delta"), "stop_reason", anthropic_finish);
		anthropic_usage(s, root);
	} else if (strcmp(name, "message_stop") == 0) {
		s->done = true;
		return LLM_EV_DONE;
	}
	return LLM_EV_MORE;
}

/* delta.text of a chunk, or NULL. */
static cJSON *
anthropic_text_item(cJSON *root)
{
	return cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(root, "delta"), "text");
}

/* A text delta says nothing but its text. */
static bool
anthropic_text_only(const char *name, cJSON *root)
{
	const cJSON *delta = cJSON_GetObjectItemCaseSensitive(root, "delta");
	const char *type = llm_json_str(delta, "type");

	return strcmp(name, "content_block_delta") == 0 && type != NULL &&
	    strcmp(type, "text_delta") == 0 &&
	    cJSON_IsString(anthropic_text_item(root));
}

static int
anthropic_on_event(struct llm_sink *s, const char *event, const char *data,
    size_t len)
{
	const char *name = event, *text;
	cJSON *root;
	int rc = LLM_EV_MORE;
	size_t n;

	/* Most deltas are the last one with other text: no parse needed. */
	if (llm_chunk_tpl_match(&s->tpl, event, data, len, &text, &n))
		return llm_sink_text(s, text, n);
	root = cJSON_ParseWithLength(data, len);
	/* Without an "event:" line the data's own type names it. */
	if ((name == NULL || strcmp(name, "message") == 0) &&
	    (name = llm_json_str(root, "type")) == NULL)
		name = "message";
	if (strcmp(name, "error") == 0)
		rc = llm_sink_error_reply(s, data, len);
	else if (cJSON_IsObject(root)) {
		rc = anthropic_event(s, name, root);
		if (anthropic_text_only(name, root))
			llm_chunk_tpl_offer(&s->tpl, event, data, len, root,
			    "text", anthropic_text_item);
	}
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
	llm_sink_reason(s, root, "stop_reason", anthropic_finish);
	s->done = true;
	return anthropic_content(s, content);
}

static int
anthropic_on_body(struct llm_sink *s, const char *body, size_t len)
{
	return llm_read_body(s, body, len, anthropic_is_error,
	    anthropic_message);
}

static bool
anthropic_schema_rejected(const struct llm_error_info *e)
{
	(void)e;		/* no schema is ever sent */
	return false;
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
};
