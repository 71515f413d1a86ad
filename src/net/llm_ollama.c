/*
 * llm_ollama.c - Ollama's native chat API (/api/chat).
 *
 * A streamed reply is NDJSON: one object per line with message.content,
 * the last one with "done": true, done_reason and the token counts.  No
 * key is sent: Ollama runs on the learner's own machine.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "rustnote/err.h"
#include "provider.h"
#include "rustnote/util.h"

static enum llm_finish
ollama_finish(const char *reason)
{
	if (reason == NULL || strcmp(reason, "stop") == 0)
		return LLM_FINISH_STOP;
	if (strcmp(reason, "length") == 0)
		return LLM_FINISH_LENGTH;
	return LLM_FINISH_OTHER;
}

static void
ollama_options(cJSON *root, const struct llm_params *p)
{
	cJSON *opts;

	if (p->temperature < 0 && p->max_tokens <= 0)
		return;
	opts = cJSON_AddObjectToObject(root, "options");
	if (p->temperature >= 0)
		cJSON_AddNumberToObject(opts, "temperature", p->temperature);
	if (p->max_tokens > 0)
		cJSON_AddNumberToObject(opts, "num_predict", p->max_tokens);
}

static char *
ollama_body(const struct llm_params *p, const struct llm_request *req,
    unsigned flags)
{
	cJSON *root = cJSON_CreateObject(), *schema;

	if (root == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(root, "model", p->model);
	cJSON_AddItemToObject(root, "messages", llm_json_messages(req, true));
	/* Ollama streams unless told otherwise. */
	cJSON_AddBoolToObject(root, "stream", p->stream);
	if (p->json_schema != NULL && !(flags & LLM_BUILD_NO_SCHEMA)) {
		schema = cJSON_Parse(p->json_schema);
		if (cJSON_IsObject(schema))
			cJSON_AddItemToObject(root, "format", schema);
		else
			cJSON_Delete(schema);
	}
	ollama_options(root, p);
	return llm_json_finish(root);
}

static int
ollama_build(const struct llm_params *p, const struct llm_request *req,
    unsigned flags, struct llm_http *out, char *err, size_t errlen)
{
	char *base;

	(void)err;
	(void)errlen;
	memset(out, 0, sizeof *out);
	base = llm_ollama_base(llm_base_url(p, LLM_OLLAMA));
	out->url = llm_url_join(base, "/api/chat");
	free(base);
	llm_http_header(out, "Content-Type: application/json");
	llm_http_header(out, "Accept: %s",
	    p->stream ? "application/x-ndjson" : "application/json");
	out->body = ollama_body(p, req, flags);
	return RN_OK;
}

static int
ollama_done(struct llm_sink *s, const cJSON *root)
{
	llm_sink_finish(s, ollama_finish(llm_json_str(root, "done_reason")));
	llm_sink_usage(s, root, "prompt_eval_count", "eval_count");
	s->done = true;
	return LLM_EV_DONE;
}

/* One object of the stream, or the whole reply. */
static int
ollama_object(struct llm_sink *s, const cJSON *root)
{
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "message");
	const char *text = llm_json_str(msg, "content");
	int rc;

	llm_sink_model(s, llm_json_str(root, "model"));
	if (text != NULL && (rc = llm_sink_text(s, text, strlen(text))) != 0)
		return rc;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "done")))
		return ollama_done(s, root);
	return LLM_EV_MORE;
}

static int
ollama_on_event(struct llm_sink *s, const char *event, const char *data,
    size_t len)
{
	cJSON *root = cJSON_ParseWithLength(data, len);
	int rc;

	(void)event;
	if (!cJSON_IsObject(root))
		rc = LLM_EV_MORE;	/* not an object: skip the line */
	else if (llm_has_error(root))
		rc = llm_sink_error_reply(s, data, len);
	else
		rc = ollama_object(s, root);
	cJSON_Delete(root);
	return rc;
}

/* A whole reply: one object as the stream's last, "done" or not. */
static int
ollama_reply(struct llm_sink *s, const cJSON *root)
{
	int rc;

	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "message")))
		return llm_sink_error(s, LLM_EV_BAD,
		    "the reply has no message", NULL, NULL);
	rc = ollama_object(s, root);
	if (rc == LLM_EV_MORE)	/* a reply without "done" */
		rc = ollama_done(s, root);
	return rc;
}

static int
ollama_on_body(struct llm_sink *s, const char *body, size_t len)
{
	return llm_read_body(s, body, len, llm_has_error, ollama_reply);
}

static bool
ollama_schema_rejected(const struct llm_error_info *e)
{
	return e->message != NULL && (strcasestr(e->message, "format") != NULL ||
	    strcasestr(e->message, "schema") != NULL);
}

const struct llm_provider llm_ollama = {
	.id = LLM_OLLAMA,
	.name = "ollama",
	.key_env = NULL,
	.stream_mode = SSE_NDJSON,
	.build = ollama_build,
	.on_event = ollama_on_event,
	.on_body = ollama_on_body,
	.schema_rejected = ollama_schema_rejected,
};
