/*
 * llm_sink.c - where the wire formats write what they read: text deltas
 * passed on as they come, the finish reason, token counts and errors
 * inside a 2xx reply; whole-body replies; and chunk templates, which read
 * a stream's chunks that differ from the last one only in their text
 * without parsing them.  Pure (no network), unit tested directly.
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
	llm_chunk_tpl_free(&s->tpl);
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

/* --- chunk templates ----------------------------------------------------- */

/*
 * Chunks offered while the template had matched nothing: after that many
 * the chunks all differ (a random "obfuscation" field, a clock), and
 * offering more only costs a second parse each.
 */
#define TPL_MAX_WASTED 4

void
llm_chunk_tpl_free(struct llm_chunk_tpl *t)
{
	int wasted = t->wasted;

	free(t->event);
	free(t->head);
	free(t->tail);
	cJSON_Delete(t->decoded);
	memset(t, 0, sizeof *t);
	t->wasted = wasted;
}

/*
 * Length of the JSON string token at s[0..n) ('"' to its closing '"'), or
 * 0 when s does not start with a complete one.  *escaped tells whether it
 * holds a backslash.
 */
static size_t
string_token(const char *s, size_t n, bool *escaped)
{
	size_t i;

	*escaped = false;
	if (n == 0 || s[0] != '"')
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] == '\\') {
			*escaped = true;
			i++;
		} else if (s[i] == '"')
			return i + 1;
	}
	return 0;
}

static size_t
skip_json_space(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/*
 * Is data[at..at+n) the text string of the chunk?  The chunk is parsed
 * again with "#" (or "##") there: its text must then be that and all
 * else equal to root.  A "key": "value" lookalike inside some other
 * string fails this, so no guess about the bytes is ever trusted.
 */
static bool
tpl_check(const char *data, size_t len, size_t at, size_t n,
    const cJSON *root, const cJSON *text, llm_text_item_fn text_item)
{
	const char *mark = strcmp(text->valuestring, "#") == 0 ? "##" : "#";
	struct buf b;
	cJSON *probe, *item;
	bool ok;

	buf_init(&b, 0);
	buf_add(&b, data, at);
	buf_printf(&b, "\"%s\"", mark);
	buf_add(&b, data + at + n, len - at - n);
	probe = cJSON_ParseWithLength(b.data, b.len);
	buf_free(&b);
	item = probe != NULL ? text_item(probe) : NULL;
	ok = cJSON_IsString(item) && strcmp(item->valuestring, mark) == 0 &&
	    cJSON_SetValuestring(item, text->valuestring) != NULL &&
	    cJSON_Compare(probe, root, true);
	cJSON_Delete(probe);
	return ok;
}

/* Where the text string lies in data: the value of some "key". */
static bool
tpl_find(const char *data, size_t len, const char *key, const cJSON *root,
    const cJSON *text, llm_text_item_fn text_item, size_t *at, size_t *n)
{
	size_t klen = strlen(key), i, off = 0;
	const char *p;
	bool escaped;

	while ((p = memmem(data + off, len - off, key, klen)) != NULL) {
		off = (size_t)(p - data) + 1;
		if (p == data || p[-1] != '"' || (size_t)(p - data) + klen >=
		    len || p[klen] != '"')
			continue;
		i = skip_json_space(data, (size_t)(p - data) + klen + 1, len);
		if (i >= len || data[i] != ':')
			continue;
		i = skip_json_space(data, i + 1, len);
		*at = i;
		*n = string_token(data + i, len - i, &escaped);
		if (*n > 0 && tpl_check(data, len, *at, *n, root, text,
		    text_item))
			return true;
	}
	return false;
}

static char *
copy_bytes(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

void
llm_chunk_tpl_offer(struct llm_chunk_tpl *t, const char *event,
    const char *data, size_t len, cJSON *root, const char *key,
    llm_text_item_fn text_item)
{
	cJSON *text = text_item(root);
	size_t at, n;

	if (!cJSON_IsString(text) || t->wasted >= TPL_MAX_WASTED)
		return;
	if (t->set && t->hits == 0)
		t->wasted++;
	if (t->wasted >= TPL_MAX_WASTED ||
	    !tpl_find(data, len, key, root, text, text_item, &at, &n))
		return;
	llm_chunk_tpl_free(t);
	t->event = event != NULL ? xstrdup(event) : NULL;
	t->headlen = at;
	t->head = copy_bytes(data, at);
	t->taillen = len - at - n;
	t->tail = copy_bytes(data + at + n, t->taillen);
	t->set = true;
}

static bool
same_event(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * The value of the string token s[0..n), as a parse of the chunk gives it:
 * cJSON copies the bytes of a string without a backslash as they are (the
 * C string ends at a NUL, if any), so only one with escapes is parsed.
 */
static bool
tpl_text(struct llm_chunk_tpl *t, const char *s, size_t n, bool escaped,
    const char **text, size_t *len)
{
	if (!escaped) {
		*text = s + 1;
		*len = strnlen(s + 1, n - 2);
		return true;
	}
	cJSON_Delete(t->decoded);
	t->decoded = cJSON_ParseWithLength(s, n);
	if (!cJSON_IsString(t->decoded))
		return false;
	*text = t->decoded->valuestring;
	*len = strlen(*text);
	return true;
}

bool
llm_chunk_tpl_match(struct llm_chunk_tpl *t, const char *event,
    const char *data, size_t len, const char **text, size_t *n)
{
	const char *s;
	size_t slen;
	bool escaped;

	if (!t->set || len < t->headlen + t->taillen ||
	    memcmp(data, t->head, t->headlen) != 0 ||
	    memcmp(data + len - t->taillen, t->tail, t->taillen) != 0 ||
	    !same_event(event, t->event))
		return false;
	s = data + t->headlen;
	slen = len - t->headlen - t->taillen;
	if (string_token(s, slen, &escaped) != slen ||
	    !tpl_text(t, s, slen, escaped, text, n))
		return false;
	t->hits++;
	return true;
}
