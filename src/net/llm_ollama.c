/*
 * llm_ollama.c - Ollama's native chat API (/api/chat).
 *
 * A streamed reply is NDJSON: one object per line with message.content,
 * the last one with "done": true, done_reason and the token counts.  A
 * key, when one is set, goes as a Bearer token (ollama.com's cloud API);
 * a local Ollama gets none.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "rustnote/err.h"
#include "provider.h"
#include "rustnote/util.h"

#define OLLAMA_CTX_MIN 4096L
#define OLLAMA_CTX_STEP 2048L

static enum llm_finish
ollama_finish(const char *reason)
{
	if (reason == NULL || strcmp(reason, "stop") == 0)
		return LLM_FINISH_STOP;
	if (strcmp(reason, "length") == 0)
		return LLM_FINISH_LENGTH;
	return LLM_FINISH_OTHER;
}

/*
 * Without num_ctx Ollama keeps its default context (4096 tokens on most
 * machines, 2048 on older versions) and silently drops the start of a
 * longer prompt: ask for room for the prompt and the reply.
 */
static void
ollama_options(cJSON *root, const struct llm_params *p,
    const struct llm_request *req)
{
	cJSON *opts = cJSON_AddObjectToObject(root, "options");

	if (p->temperature >= 0)
		cJSON_AddNumberToObject(opts, "temperature", p->temperature);
	if (p->max_tokens > 0)
		cJSON_AddNumberToObject(opts, "num_predict", p->max_tokens);
	cJSON_AddNumberToObject(opts, "num_ctx", (double)llm_ollama_num_ctx(p,
	    req));
}

long
llm_ollama_num_ctx(const struct llm_params *p, const struct llm_request *req)
{
	long need;

	if (p->num_ctx > 0)
		return p->num_ctx;
	need = llm_prompt_tokens(req) + llm_max_tokens(p, req);
	/* Whole steps of 2048, so a note edited a little keeps its size. */
	need = (need + OLLAMA_CTX_STEP - 1) / OLLAMA_CTX_STEP * OLLAMA_CTX_STEP;
	return need > OLLAMA_CTX_MIN ? need : OLLAMA_CTX_MIN;
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
	ollama_options(root, p, req);
	return llm_json_finish(root);
}

static enum rn_status
ollama_build(const struct llm_params *p, const struct llm_request *req,
    unsigned flags, struct llm_http *out, char *err, size_t errlen)
{
	char *base;

	memset(out, 0, sizeof *out);
	base = llm_ollama_base(llm_base_url(p, LLM_OLLAMA));
	out->url = llm_url_join(base, "/api/chat");
	free(base);
	llm_http_header(out, "Content-Type: application/json");
	llm_http_header(out, "Accept: %s",
	    p->stream ? "application/x-ndjson" : "application/json");
	out->body = ollama_body(p, req, flags);
	/* A local Ollama needs no key; ollama.com's API wants one. */
	return llm_key_header(out, "Authorization: Bearer ", p->api_key,
	    &llm_ollama, err, errlen);
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

	const char *thinking = llm_json_str(msg, "thinking");

	llm_sink_model(s, llm_json_str(root, "model"));
	if (thinking != NULL && *thinking != '\0')
		llm_sink_thinking(s);
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

/*
 * Ollama's own words when it cannot use a schema as the format (400, or
 * 500 from older servers): "invalid JSON schema in format" and "invalid
 * format: ...; expected \"json\" or a valid JSON Schema object".  Any
 * other error that happens to mention a format is not a refusal.
 */
static bool
ollama_schema_rejected(long status, const struct llm_error_info *e)
{
	if ((status != 400 && status != 500) || e->message == NULL)
		return false;
	return strcmp(e->message, "invalid JSON schema in format") == 0 ||
	    (strncmp(e->message, "invalid format: ", 16) == 0 &&
	    strstr(e->message, "expected \"json\" or a valid JSON Schema")
	    != NULL);
}

static enum rn_status
ollama_models_request(const struct llm_params *p, struct llm_http *out,
    char *err, size_t errlen)
{
	char *base = llm_ollama_base(llm_base_url(p, LLM_OLLAMA));

	memset(out, 0, sizeof *out);
	out->url = llm_url_join(base, "/api/tags");
	free(base);
	llm_http_header(out, "Accept: application/json");
	return llm_key_header(out, "Authorization: Bearer ", p->api_key,
	    &llm_ollama, err, errlen);
}

/* {"models": [{"name": "llama3.2:latest", "model": ..., ...}]} */
static int
ollama_models_read(const cJSON *root, char ***names, size_t *n)
{
	return llm_models_collect(
	    cJSON_GetObjectItemCaseSensitive(root, "models"), "name", names, n);
}

const struct llm_provider llm_ollama = {
	.id = LLM_OLLAMA,
	.name = "ollama",
	.key_env = "OLLAMA_API_KEY",
	.stream_mode = SSE_NDJSON,
	.build = ollama_build,
	.on_event = ollama_on_event,
	.on_body = ollama_on_body,
	.schema_rejected = ollama_schema_rejected,
	.models_request = ollama_models_request,
	.models_read = ollama_models_read,
};
