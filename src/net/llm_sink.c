/*
 * llm_sink.c - where the wire formats write what they read: text deltas
 * passed on as they come, the finish reason, token counts and errors
 * inside a 2xx reply, and whole-body replies.  Every stream chunk is
 * parsed whole: at the rates models stream (a fast local one sends about
 * 1,000 tokens a second) that costs a fraction of a percent of a core
 * (make bench prints the figure), so no shortcut is taken around it.
 * Pure (no network), unit tested directly.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/util.h"

#include "provider.h"

void
llm_sink_init(struct llm_sink *s, struct llm_reply *r,
    const struct llm_callbacks *cb, const char *secret)
{
	memset(s, 0, sizeof *s);
	s->reply = r;
	if (cb != NULL) {
		s->on_text = cb->on_text;
		s->ud = cb->ud;
	}
	s->secret = secret;
	buf_init(&s->held, LLM_MAX_REPLY);
	buf_init(&s->refusal, LLM_MAX_ERROR_BODY);
}

void
llm_sink_free(struct llm_sink *s)
{
	llm_error_info_free(&s->error);
	buf_free(&s->held);
	buf_free(&s->refusal);
}

static size_t
count_chars(const char *p, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			c++;
	}
	return c;
}

int
llm_sink_answer(struct llm_sink *s, const char *p, size_t n)
{
	if (n == 0)
		return LLM_EV_MORE;
	if (buf_add(&s->reply->text, p, n) != 0)
		return LLM_EV_TOOBIG;
	s->delivered += n;
	s->chars += count_chars(p, n);
	if (s->on_text != NULL)
		s->on_text(s->ud, p, n);
	return LLM_EV_MORE;
}

void
llm_sink_model(struct llm_sink *s, const char *model)
{
	if (model == NULL || *model == '\0' || s->reply->model != NULL)
		return;
	s->reply->model = llm_clean_message(model, strlen(model), NULL);
}

void
llm_sink_finish(struct llm_sink *s, enum llm_finish f)
{
	s->reply->finish = f;
	s->finished = true;
}

int
llm_sink_error(struct llm_sink *s, int result, const char *message,
    const char *type, const char *code)
{
	llm_error_info_free(&s->error);
	s->error.message = llm_clean_or_null(message, s->secret);
	s->error.type = llm_clean_or_null(type, s->secret);
	s->error.code = llm_clean_or_null(code, s->secret);
	s->error.json = true;
	return result;
}

int
llm_sink_error_reply(struct llm_sink *s, const char *data, size_t len)
{
	llm_error_info_free(&s->error);
	llm_error_parse(data, len, NULL, s->secret, &s->error);
	/* A reply that is an error must still say something. */
	if (s->error.message == NULL)
		s->error.message = xstrdup("(no message)");
	return LLM_EV_ERROR;
}

void
llm_sink_usage(struct llm_sink *s, const cJSON *obj, const char *in_key,
    const char *out_key)
{
	if (!cJSON_IsObject(obj))
		return;
	/* A count the reply leaves out keeps what an earlier part said. */
	s->reply->input_tokens = llm_json_long(obj, in_key,
	    s->reply->input_tokens);
	s->reply->output_tokens = llm_json_long(obj, out_key,
	    s->reply->output_tokens);
}

void
llm_sink_reason(struct llm_sink *s, const cJSON *obj, const char *key,
    llm_finish_fn map)
{
	const char *reason = llm_json_str(obj, key);

	if (reason != NULL)
		llm_sink_finish(s, map(reason));
}

/* --- reading a reply ----------------------------------------------------- */

bool
llm_has_error(const cJSON *root)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");

	if (e == NULL || cJSON_IsNull(e) || cJSON_IsFalse(e))
		return false;
	if (cJSON_IsString(e))
		return e->valuestring[0] != '\0';
	if (cJSON_IsObject(e) || cJSON_IsArray(e))
		return e->child != NULL;
	return true;
}

int
llm_read_body(struct llm_sink *s, const char *body, size_t len,
    llm_is_error_fn is_error, llm_read_fn reader)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	int rc;

	if (!cJSON_IsObject(root))
		rc = llm_sink_error(s, LLM_EV_BAD, "the reply is not JSON",
		    NULL, NULL);
	else if (is_error(root))
		rc = llm_sink_error_reply(s, body, len);
	else
		rc = reader(s, root);
	cJSON_Delete(root);
	return rc;
}

