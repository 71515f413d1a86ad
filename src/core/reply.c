/*
 * reply.c - turn an LLM reply into findings.
 *
 * Models are asked for one JSON object but send many things: the object in
 * a ```json fence with prose around it, other key names and capitalised
 * values, a bare array, a reply cut off by the token limit, or no JSON at
 * all but a Markdown list under headings such as "Gaps" and "Incorrect
 * statements".  finding_from_json() reads one finding object whatever its
 * key names; finding_parse_reply() gets the findings out of the JSON with
 * the same stream extractor used while the reply arrives (so streamed and
 * final findings are alike), and falls back to reading the Markdown
 * (reply_md.c).  The wording both read is in reply_words.c.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/sanitize.h"
#include "rustnote/text.h"
#include "rustnote/util.h"

#include "reply_int.h"

#define MAX_JSON_TRIES	200		/* '{' tried as JSON starts */

/* --- one finding object -------------------------------------------------- */

static const char *const kind_keys[] = {
	"kind", "type", "category", "finding_type", "issue_type", "class",
	"label", NULL
};
static const char *const severity_keys[] = {
	"severity", "priority", "importance", "level", NULL
};
static const char *const quote_keys[] = {
	"quote", "excerpt", "text_quote", "quoted_text", "note_quote",
	"original", "original_text", "snippet", "statement", "note_text",
	"evidence", NULL
};
static const char *const line_keys[] = {
	"line", "line_number", "lineno", "line_no", "lines", "line_range",
	"start_line", "line_start", "location", NULL
};
static const char *const end_line_keys[] = {
	"end_line", "line_end", NULL
};
static const char *const topic_keys[] = {
	"topic", "section", "area", "subject", "overview_topic", "heading",
	NULL
};
static const char *const message_keys[] = {
	"message", "description", "text", "explanation", "issue", "problem",
	"detail", "details", "comment", "reason", "finding", "summary", NULL
};
static const char *const suggestion_keys[] = {
	"suggestion", "fix", "recommendation", "suggested_fix", "correction",
	"improvement", "action", "suggested_change", "how_to_fix", "rewrite",
	NULL
};
static const char *const title_keys[] = {
	"title", "name", "headline", NULL
};

/* First item of obj named by one of keys (case-insensitive), or NULL. */
static const cJSON *
json_item(const cJSON *obj, const char *const *keys)
{
	const cJSON *it;

	for (; *keys != NULL; keys++) {
		it = cJSON_GetObjectItem(obj, *keys);
		if (it != NULL && !cJSON_IsNull(it))
			return it;
	}
	return NULL;
}

/* A value as text: strings, numbers, and arrays of them one a line. */
static char *
json_text(const cJSON *it)
{
	const cJSON *el;
	struct buf b;
	char *s;

	if (it == NULL)
		return NULL;
	if (cJSON_IsString(it))
		return xstrdup(it->valuestring);
	if (cJSON_IsNumber(it))
		return xasprintf("%g", it->valuedouble);
	if (!cJSON_IsArray(it))
		return NULL;
	buf_init(&b, 0);
	cJSON_ArrayForEach(el, it) {
		s = cJSON_IsString(el) || cJSON_IsNumber(el) ? json_text(el) :
		    NULL;
		if (s == NULL)
			continue;
		if (b.len > 0)
			buf_addc(&b, '\n');
		buf_adds(&b, s);
		free(s);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static char *
json_field(const cJSON *obj, const char *const *keys)
{
	return json_text(json_item(obj, keys));
}

static int
json_int(const cJSON *it)
{
	if (it == NULL || !cJSON_IsNumber(it) || it->valuedouble < 1 ||
	    it->valuedouble > REPLY_MAX_LINE)
		return 0;
	return (int)it->valuedouble;
}

static void json_line(const cJSON *, int *, int *);

/* {"start": 3, "end": 5} or {"line": 3} as a location. */
static void
json_line_object(const cJSON *it, int *line, int *end)
{
	static const char *const start_keys[] = { "start", "from", "line",
	    "start_line", NULL };
	static const char *const stop_keys[] = { "end", "to", "end_line",
	    NULL };
	int dummy;

	json_line(json_item(it, start_keys), line, &dummy);
	json_line(json_item(it, stop_keys), end, &dummy);
}

static void
json_line(const cJSON *it, int *line, int *end)
{
	const cJSON *last;

	*line = *end = 0;
	if (it == NULL)
		return;
	if (cJSON_IsNumber(it))
		*line = json_int(it);
	else if (cJSON_IsString(it))
		reply_line_text(it->valuestring, line, end);
	else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) > 0) {
		*line = json_int(cJSON_GetArrayItem(it, 0));
		last = cJSON_GetArrayItem(it, cJSON_GetArraySize(it) - 1);
		*end = json_int(last);
	} else if (cJSON_IsObject(it))
		json_line_object(it, line, end);
	if (*end < *line)
		*end = 0;
}

/* "Title: message", unless the message already starts with "Title:". */
static char *
join_title(char *title, char *message)
{
	char *s;

	if (reply_blank(title)) {
		free(title);
		return message;
	}
	if (reply_blank(message)) {
		free(message);
		return title;
	}
	str_trim(title);
	str_trim(message);
	if (strncasecmp(message, title, strlen(title)) == 0 &&
	    message[strlen(title)] == ':') {
		free(title);
		return message;
	}
	s = xasprintf("%s: %s", title, message);
	free(title);
	free(message);
	return s;
}

static int
json_kind(const cJSON *obj, const char *message)
{
	char *word = json_field(obj, kind_keys);
	int k = word != NULL ? finding_kind_parse(word) : -1;

	free(word);
	return k >= 0 ? k : (int)reply_infer_kind(message);
}

static enum finding_severity
json_severity(const cJSON *obj)
{
	char *word = json_field(obj, severity_keys);
	int s = word != NULL ? finding_severity_parse(word) : -1;

	free(word);
	return s >= 0 ? (enum finding_severity)s : FS_MEDIUM;
}

static void
json_lines(const cJSON *obj, struct finding *f)
{
	int line, end, dummy;

	json_line(json_item(obj, line_keys), &line, &end);
	if (end == 0)
		json_line(json_item(obj, end_line_keys), &end, &dummy);
	f->model_line = line;
	f->line = line;
	f->end_line = line > 0 ? (end >= line ? end : line) : 0;
}

int
finding_from_json(const void *cjson_obj, struct finding *out)
{
	const cJSON *obj = cjson_obj;
	struct finding f;

	memset(out, 0, sizeof(*out));
	if (obj == NULL || !cJSON_IsObject(obj))
		return -1;
	memset(&f, 0, sizeof(f));
	f.source = FSRC_LLM;
	f.quote = reply_quote_tidy(json_field(obj, quote_keys));
	f.topic = json_field(obj, topic_keys);
	f.message = join_title(json_field(obj, title_keys),
	    json_field(obj, message_keys));
	f.suggestion = json_field(obj, suggestion_keys);
	if (reply_blank(f.message) && !reply_blank(f.topic)) {
		free(f.message);
		f.message = xstrdup(f.topic);
	}
	if (reply_blank(f.message) && reply_blank(f.quote) && reply_blank(f.suggestion)) {
		finding_free(&f);
		return -1;
	}
	f.kind = (enum finding_kind)json_kind(obj, f.message);
	f.severity = json_severity(obj);
	json_lines(obj, &f);
	finding_clean(&f);
	*out = f;
	return 0;
}

/* --- summary of a JSON reply --------------------------------------------- */

static const char *const summary_keys[] = {
	"summary", "overall", "assessment", "overall_assessment", NULL
};
/* The usual names of the list; fstream.c knows them all. */
static const char *const list_keys[] = {
	"findings", "issues", "items", "problems", "results", NULL
};

/* The reply's document, not a finding nor some JSON quoted in prose. */
static bool
is_reply_document(const cJSON *root)
{
	const cJSON *list;

	if (root == NULL || !cJSON_IsObject(root) ||
	    json_item(root, kind_keys) != NULL)
		return false;
	list = json_item(root, list_keys);
	return json_item(root, summary_keys) != NULL ||
	    (list != NULL && cJSON_IsArray(list));
}

/*
 * Parse the first complete JSON object that is the reply's document.
 * Returns its summary (NULL when none) and sets *found.
 */
static char *
json_document_summary(const char *text, size_t len, bool *found)
{
	const char *p = text, *end = text + len, *stop;
	char *summary = NULL;
	cJSON *root;
	int tries;

	*found = false;
	for (tries = 0; tries < MAX_JSON_TRIES && p < end; tries++) {
		p = memchr(p, '{', (size_t)(end - p));
		if (p == NULL)
			break;
		stop = NULL;
		root = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &stop,
		    0);
		if (is_reply_document(root)) {
			summary = json_text(json_item(root, summary_keys));
			*found = true;
		}
		cJSON_Delete(root);
		if (*found)
			break;
		/* skip a value that parsed but was not ours */
		p = root != NULL && stop != NULL && stop > p ? stop : p + 1;
	}
	return summary;
}

/*
 * The summary of a reply cut off mid-way: the string after the first
 * "summary" key, when that string is complete.
 */
static char *
scan_summary(const char *text, size_t len)
{
	const char *p, *end = text + len, *q;
	cJSON *str;
	char *s = NULL;

	p = memmem(text, len, "\"summary\"", 9);
	if (p == NULL)
		return NULL;
	p += 9;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p >= end || *p++ != ':')
		return NULL;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p >= end || *p != '"')
		return NULL;
	for (q = p + 1; q < end && *q != '"'; q++) {
		if (*q == '\\' && q + 1 < end)
			q++;
	}
	if (q >= end)
		return NULL;
	str = cJSON_ParseWithLength(p, (size_t)(q - p + 1));
	if (str != NULL && cJSON_IsString(str))
		s = xstrdup(str->valuestring);
	cJSON_Delete(str);
	return s;
}

/* --- the whole reply ----------------------------------------------------- */

static void
collect(void *ud, struct finding *f)
{
	flist_push(ud, f);
}

static void
set_summary(struct finding_reply *out, char *s)
{
	free(out->summary);
	out->summary = san_str(s, SAN_NEWLINE, FINDING_MAX_FIELD);
	free(s);
}

/*
 * The JSON part of finding_parse_reply(), once an fstream over the text
 * said whether it found findings and whether the text was cut: fills
 * out's summary and truncated flag and returns true when the reply is
 * read as JSON.
 */
static bool
json_reply(const char *text, size_t len, bool found, bool cut,
    struct finding_reply *out)
{
	bool doc = false;
	char *summary;

	summary = len > 0 ? json_document_summary(text, len, &doc) : NULL;
	if (summary == NULL && (found || cut) && len > 0)
		summary = scan_summary(text, len);
	if (found || doc || (cut && summary != NULL)) {
		set_summary(out, summary);
		out->truncated = cut && !doc;
		return true;
	}
	free(summary);
	return false;
}

static void
reply_init(struct finding_reply *out)
{
	memset(out, 0, sizeof(*out));
	flist_init(&out->findings);
	out->summary = xstrdup("");
}

enum rn_status
finding_parse_reply(const char *text, size_t len, struct finding_reply *out,
    char *err, size_t errlen)
{
	struct finding_stream *fs;
	bool cut;
	size_t n;

	reply_init(out);
	if (text == NULL)
		len = 0;
	fs = fstream_new(collect, &out->findings);
	fstream_feed(fs, text, len);
	n = fstream_count(fs);
	cut = fstream_truncated(fs);
	fstream_free(fs);

	if (json_reply(text, len, n > 0, cut, out))
		return RN_OK;
	flist_clear(&out->findings);
	if (len > 0 && reply_markdown(text, len, out) > 0) {
		out->markdown = true;
		return RN_OK;
	}
	finding_reply_free(out);
	if (cut)
		return rn_fail(err, errlen, RN_EREPLY, "reply has no findings: "
		    "it was cut off before the first finding was complete");
	return rn_fail(err, errlen, RN_EREPLY, "reply has no findings: "
	    "neither JSON nor a bulleted list");
}

void
finding_reply_streamed(const char *text, size_t len, bool cut,
    struct finding_reply *out)
{
	reply_init(out);
	json_reply(text, len, true, cut, out);
}

void
finding_reply_free(struct finding_reply *r)
{
	free(r->summary);
	r->summary = NULL;
	flist_free(&r->findings);
	r->truncated = false;
	r->markdown = false;
}
