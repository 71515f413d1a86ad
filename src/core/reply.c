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
 * final findings are alike), and falls back to reading the Markdown with
 * cmark.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <cmark.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/sanitize.h"
#include "rustnote/text.h"
#include "rustnote/util.h"

#define MAX_LINE_NUMBER	10000000	/* above any note's line count */
#define MAX_JSON_TRIES	200		/* '{' tried as JSON starts */
#define MD_TEXT_CAP	((size_t)1 << 20)

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

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s))
			return false;
	}
	return true;
}

/* Read a number of at most 8 digits at *p; 0 when there is none. */
static int
read_number(const char **p)
{
	int n = 0, digits = 0;

	while (isdigit((unsigned char)**p)) {
		if (digits++ < 8)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n <= MAX_LINE_NUMBER ? n : 0;
}

/* Skip a range separator: "-", "–", "—", "..", "to", ":"-less only. */
static bool
skip_range_dash(const char **p)
{
	const char *s = *p;

	while (*s == ' ')
		s++;
	if (*s == '-')
		s++;
	else if (strncmp(s, "\xe2\x80\x93", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x94", 3) == 0)
		s += 3;
	else if (strncmp(s, "..", 2) == 0)
		s += 2;
	else if (strncasecmp(s, "to ", 3) == 0)
		s += 3;
	else
		return false;
	while (*s == ' ')
		s++;
	if (*s == 'L' || *s == 'l')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	*p = s;
	return true;
}

/* "12", "12-14", "L12", "lines 12–14", "line 7:3" -> start (and end). */
static void
parse_line_text(const char *s, int *line, int *end)
{
	*line = *end = 0;
	while (*s != '\0' && !isdigit((unsigned char)*s))
		s++;
	*line = read_number(&s);
	if (*line > 0 && skip_range_dash(&s))
		*end = read_number(&s);
	if (*end < *line)
		*end = 0;
}

static int
json_int(const cJSON *it)
{
	if (it == NULL || !cJSON_IsNumber(it) || it->valuedouble < 1 ||
	    it->valuedouble > MAX_LINE_NUMBER)
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
		parse_line_text(it->valuestring, line, end);
	else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) > 0) {
		*line = json_int(cJSON_GetArrayItem(it, 0));
		last = cJSON_GetArrayItem(it, cJSON_GetArraySize(it) - 1);
		*end = json_int(last);
	} else if (cJSON_IsObject(it))
		json_line_object(it, line, end);
	if (*end < *line)
		*end = 0;
}

/*
 * Strings that mean "no quote": models fill a required field with "N/A",
 * "none", "-" or an ellipsis when a topic is missing.
 */
static bool
quote_is_placeholder(const char *q)
{
	static const char *const none[] = {
		"n/a", "na", "none", "(none)", "null", "-", "--", "...",
		"\xe2\x80\xa6", "(missing)", "missing", "not applicable",
		"\"\"", NULL
	};
	const char *const *p;

	for (p = none; *p != NULL; p++) {
		if (strcasecmp(q, *p) == 0)
			return true;
	}
	return false;
}

/* Length of the quote mark q starts with, or 0. */
static size_t
opening_mark(const char *q)
{
	if (q[0] == '"')
		return 1;
	return strncmp(q, "\xe2\x80\x9c", 3) == 0 ? 3 : 0;
}

/* Length of the quote mark q (of length len) ends with, or 0. */
static size_t
closing_mark(const char *q, size_t len)
{
	if (len >= 1 && q[len - 1] == '"')
		return 1;
	if (len >= 3 && memcmp(q + len - 3, "\xe2\x80\x9d", 3) == 0)
		return 3;
	return 0;
}

/*
 * Tidy a quote: trimmed, one pair of quote marks around it removed, the
 * "12 | " line number the prompt shows removed, placeholders emptied.
 */
static char *
quote_tidy(char *q)
{
	size_t len, open, close;
	char *p;

	if (q == NULL)
		return xstrdup("");
	str_trim(q);
	len = strlen(q);
	open = opening_mark(q);
	close = closing_mark(q, len);
	if (open > 0 && close > 0 && len > open + close) {
		memmove(q, q + open, len - open - close);
		q[len - open - close] = '\0';
		str_trim(q);
	}
	for (p = q; isdigit((unsigned char)*p); p++)
		;
	if (p > q && p - q <= 6) {
		while (*p == ' ')
			p++;
		if (*p == '|') {
			p++;
			memmove(q, p, strlen(p) + 1);
			str_trim(q);
		}
	}
	if (quote_is_placeholder(q))
		q[0] = '\0';
	return q;
}

/* ASCII lower-case copy for phrase search; offsets stay those of s. */
static char *
fold(const char *s)
{
	char *f = xstrdup(s), *p;

	for (p = f; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return f;
}

/* First word-start match of phrase in text, or NULL. */
static const char *
find_phrase(const char *text, const char *phrase)
{
	const char *p;

	for (p = text; (p = strstr(p, phrase)) != NULL; p++) {
		if (p == text || !isalnum((unsigned char)p[-1]))
			return p;
	}
	return NULL;
}

/* The phrase with its apostrophes typographic: "don’t" for "don't". */
static char *
curly_apostrophes(const char *phrase)
{
	struct buf b;

	buf_init(&b, 0);
	for (; *phrase != '\0'; phrase++) {
		if (*phrase == '\'')
			buf_adds(&b, "\xe2\x80\x99");
		else
			buf_addc(&b, *phrase);
	}
	return buf_steal(&b);
}

/*
 * Offset of the first phrase of list starting a word in (folded) text, or
 * -1.  "doesn't" also matches "doesn’t".
 */
static long
first_phrase(const char *text, const char *const *list)
{
	const char *p, *best = NULL;
	char *curly;

	for (; *list != NULL; list++) {
		p = find_phrase(text, *list);
		if (p == NULL && strchr(*list, '\'') != NULL) {
			curly = curly_apostrophes(*list);
			p = find_phrase(text, curly);
			free(curly);
		}
		if (p != NULL && (best == NULL || p < best))
			best = p;
	}
	return best != NULL ? (long)(best - text) : -1;
}

/*
 * The kind of a finding whose reply names none we know.  Only clear words
 * count, and the earliest in the text wins:
 *   missing, not covered, omits, does not mention, lacks...  -> gap
 *   assumes, assumption, implicit, unstated...              -> assumption
 *   out of scope, off-topic, should not mention...          -> scope
 *   wrong, incorrect, untrue, not true, inaccurate, false... -> incorrect
 * With none of them the finding is a gap: calling the learner's statement
 * incorrect needs the reply to say it is wrong.  A bare "scope" is not a
 * clear word, as "going out of scope" is itself a Rust topic.
 */
static enum finding_kind
infer_kind(const char *text)
{
	static const char *const gap[] = {
		"missing", "not covered", "omit", "omission",
		"does not mention", "doesn't mention", "never mention",
		"not mentioned", "no mention", "lack", "does not explain",
		"doesn't explain", "not explained", "not discussed", "gap",
		"incomplete", NULL
	};
	static const char *const assumption[] = {
		"assum", "implicit", "unstated", "implied", "taken for granted",
		NULL
	};
	static const char *const scope[] = {
		"out of scope for", "outside the scope", "beyond the scope",
		"off-topic", "off topic", "scope rule", "not in scope",
		"should not mention", "shouldn't mention",
		"should not be mentioned", "must not mention",
		"do not mention", "not supposed to mention", NULL
	};
	static const char *const wrong[] = {
		"wrong", "incorrect", "untrue", "not true", "isn't true",
		"not correct", "isn't correct", "not accurate", "inaccura",
		"false", "mislead", "mistake", "misconception", NULL
	};
	const char *const *lists[] = { gap, assumption, scope, wrong };
	const enum finding_kind kinds[] = { FK_GAP, FK_ASSUMPTION, FK_SCOPE,
	    FK_INCORRECT };
	enum finding_kind kind = FK_GAP;
	long best = -1, at;
	char *f = fold(text != NULL ? text : "");
	size_t i;

	for (i = 0; i < 4; i++) {
		at = first_phrase(f, lists[i]);
		if (at >= 0 && (best < 0 || at < best)) {
			best = at;
			kind = kinds[i];
		}
	}
	free(f);
	return kind;
}

/* "Title: message", unless the message already starts with "Title:". */
static char *
join_title(char *title, char *message)
{
	char *s;

	if (blank(title)) {
		free(title);
		return message;
	}
	if (blank(message)) {
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
	return k >= 0 ? k : (int)infer_kind(message);
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
	f.quote = quote_tidy(json_field(obj, quote_keys));
	f.topic = json_field(obj, topic_keys);
	f.message = join_title(json_field(obj, title_keys),
	    json_field(obj, message_keys));
	f.suggestion = json_field(obj, suggestion_keys);
	if (blank(f.message) && !blank(f.topic)) {
		free(f.message);
		f.message = xstrdup(f.topic);
	}
	if (blank(f.message) && blank(f.quote) && blank(f.suggestion)) {
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

/* --- Markdown replies ---------------------------------------------------- */

static bool pure_label(const char *, bool);

/* Where a bullet is in the reply's outline. */
struct md_ctx {
	int kind;		/* from the heading, -1 when none */
	bool skip;		/* under "Summary" or "Strengths" */
	bool summary;		/* paragraphs here are the summary */
	const char *topic;	/* of a grouping bullet ("Stack vs heap:") */
};

struct md_reader {
	struct finding_list *out;
	struct buf summary;
	bool seen_finding;
};

static void
md_flatten_into(struct buf *b, cmark_node *node)
{
	cmark_node *c;
	const char *lit;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(node);
		buf_adds(b, lit != NULL ? lit : "");
		return;
	case CMARK_NODE_CODE:
		lit = cmark_node_get_literal(node);
		buf_addc(b, '`');
		buf_adds(b, lit != NULL ? lit : "");
		buf_addc(b, '`');
		return;
	case CMARK_NODE_SOFTBREAK:
		buf_addc(b, ' ');
		return;
	case CMARK_NODE_LINEBREAK:
		buf_addc(b, '\n');
		return;
	case CMARK_NODE_CODE_BLOCK:
		lit = cmark_node_get_literal(node);
		buf_adds(b, lit != NULL ? lit : "");
		return;
	default:
		break;
	}
	for (c = cmark_node_first_child(node); c != NULL;
	    c = cmark_node_next(c)) {
		if (b->len > 0 &&
		    cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH)
			buf_addc(b, '\n');
		md_flatten_into(b, c);
	}
}

/* Plain text of a node: emphasis markers dropped, code spans kept. */
static char *
md_text(cmark_node *node)
{
	struct buf b;

	buf_init(&b, MD_TEXT_CAP);
	if (node != NULL)
		md_flatten_into(&b, node);
	return str_trim(buf_steal(&b));
}

/* Headings whose bullets are not findings. */
static bool
heading_not_findings(const char *text)
{
	static const char *const words[] = {
		"summary", "overall", "strength", "what you got right",
		"what's good", "what is good", "good", "well done", "positive",
		"praise", "next step", "suggestion", "recommendation",
		"conclusion", "verdict", "tl;dr", "tldr", "action item",
		"quick win", "checklist", "revised", "rewrite", "example",
		"what works", "nice", NULL
	};
	char *f = fold(text);
	long at = first_phrase(f, words);

	free(f);
	return at >= 0;
}

static bool
heading_is_summary(const char *text)
{
	static const char *const words[] = {
		"summary", "overall", "tl;dr", "tldr", "verdict", NULL
	};
	char *f = fold(text);
	long at = first_phrase(f, words);

	free(f);
	return at >= 0;
}

/*
 * A heading sets the kind of the bullets under it.  Its words are not used
 * as their topic: headings are as often a title ("Review of your note") as
 * a section of the note.
 */
static void
md_heading(cmark_node *node, struct md_ctx *ctx)
{
	char *text = md_text(node);
	int k = finding_kind_parse(text);

	ctx->kind = k;
	ctx->summary = k < 0 && heading_is_summary(text);
	ctx->skip = k < 0 && heading_not_findings(text);
	ctx->topic = NULL;
	free(text);
}

/* Remove one trailing ':' (a label's), then white space. */
static char *
strip_colon(char *s)
{
	size_t n;

	str_trim(s);
	n = strlen(s);
	if (n > 0 && s[n - 1] == ':')
		s[n - 1] = '\0';
	return str_trim(s);
}

/* First inline child is bold: its text, else NULL. */
static char *
md_bold_lead(cmark_node *para)
{
	cmark_node *c = para != NULL ? cmark_node_first_child(para) : NULL;

	if (c == NULL || cmark_node_get_type(c) != CMARK_NODE_STRONG)
		return NULL;
	return md_text(c);
}

/* A paragraph that is only bold text (and maybe a colon). */
static bool
md_bold_only(cmark_node *para)
{
	cmark_node *c = cmark_node_first_child(para), *next;
	const char *lit;

	if (c == NULL || cmark_node_get_type(c) != CMARK_NODE_STRONG)
		return false;
	next = cmark_node_next(c);
	if (next == NULL)
		return true;
	if (cmark_node_get_type(next) != CMARK_NODE_TEXT ||
	    cmark_node_next(next) != NULL)
		return false;
	lit = cmark_node_get_literal(next);
	return lit != NULL && strspn(lit, ": ") == strlen(lit);
}

/*
 * A short line that labels what follows ("**Gaps**", "Incorrect
 * statements:", "Stack vs heap:") rather than saying something itself.
 */
static bool
md_is_label(cmark_node *para, const char *text)
{
	size_t n = strlen(text);

	if (n == 0 || n > 80 || text_count_words(text) > 8)
		return false;
	return text[n - 1] == ':' || (para != NULL && md_bold_only(para)) ||
	    pure_label(text, true);
}

/*
 * Words of a pure label ("Incorrect statement", "Out of scope", "Gap
 * (high)", or with need_kind false also "High"): a bullet starting with one
 * is labelled, and the label is not part of its message.
 */
static bool
pure_label(const char *s, bool need_kind)
{
	static const char *const vocab[] = {
		"gap", "gaps", "missing", "topic", "topics", "incorrect",
		"untrue", "wrong", "inaccurate", "inaccuracy", "false", "error",
		"errors", "statement", "statements", "claim", "claims",
		"implicit", "hidden", "unstated", "assumption", "assumptions",
		"out", "of", "scope", "violation", "violations", "off",
		"offtopic", "issue", "minor", "major", "high", "medium", "low",
		"severity", "misleading", "factual", "not", "true",
		"incomplete", "omission", "and", "or", "a", "an", "the",
		"critical", "priority", NULL
	};
	const char *p = s, *const *v;
	size_t n;
	bool known;

	if (strlen(s) > 60 || (finding_kind_parse(s) < 0 &&
	    (need_kind || finding_severity_parse(s) < 0)))
		return false;
	while (*p != '\0') {
		while (*p != '\0' && !isalnum((unsigned char)*p)) {
			if ((unsigned char)*p >= 0x80)
				return false;
			p++;
		}
		for (n = 0; isalnum((unsigned char)p[n]); n++)
			;
		if (n == 0)
			break;
		known = false;
		for (v = vocab; *v != NULL && !known; v++)
			known = strlen(*v) == n && strncasecmp(p, *v, n) == 0;
		if (!known)
			return false;
		p += n;
	}
	return true;
}

/* Drop the first n bytes of s and the separator after them. */
static void
drop_prefix(char *s, size_t n)
{
	char *p = s + n;

	while (*p == ':' || *p == ' ' || *p == '-' || *p == '.' ||
	    *p == ')' || *p == ']')
		p++;
	if (strncmp(p, "\xe2\x80\x94", 3) == 0 ||
	    strncmp(p, "\xe2\x80\x93", 3) == 0)
		p += 3;
	while (*p == ' ')
		p++;
	memmove(s, p, strlen(p) + 1);
}

/*
 * A label at the start of a bullet: bold ("**Incorrect:** ...", "**Gap**:
 * ..."), bracketed ("[Assumption] ...", "[High] ..."), or plain up to a
 * colon ("Out of scope: ...").  Removes the label from text and returns
 * the kind it names, or -1.
 */
static int
take_label(char *text, const char *bold)
{
	char *label = NULL, *colon;
	size_t n = 0;
	int kind = -1;

	if (bold != NULL) {
		label = xstrdup(bold);
		if ((colon = strchr(label, ':')) != NULL)
			*colon = '\0';
		n = strlen(label);
	} else if (text[0] == '[' || text[0] == '(') {
		n = strcspn(text, text[0] == '[' ? "]" : ")");
		if (text[n] != '\0') {
			label = xstrndup(text + 1, n - 1);
			n++;
		}
	} else if ((colon = strchr(text, ':')) != NULL && colon - text <= 40) {
		n = (size_t)(colon - text);
		label = xstrndup(text, n);
	}
	/* a bold label must really open the text */
	if (label != NULL && bold != NULL && strncmp(text, label, n) != 0)
		n = 0;
	if (label != NULL && n > 0 && pure_label(label, false)) {
		kind = finding_kind_parse(label);
		drop_prefix(text, n);
	}
	free(label);
	return kind;
}

static bool
is_quote_edge(const char *t, const char *p)
{
	return p == t || isspace((unsigned char)p[-1]) || p[-1] == '(' ||
	    p[-1] == '[' || p[-1] == ':';
}

/*
 * 'Single quoted' or ‘curly single quoted’: the opening mark starts a
 * word and the closing one ends one, so apostrophes ("don't") do not
 * count.
 */
static char *
find_single_quoted(const char *t)
{
	const char *p, *q, *end;
	size_t olen, clen;
	char *s;

	for (p = t; *p != '\0'; p++) {
		olen = *p == '\'' ? 1 : strncmp(p, "\xe2\x80\x98", 3) == 0 ?
		    3 : 0;
		if (olen == 0 || !is_quote_edge(t, p))
			continue;
		for (q = p + olen; *q != '\0'; q++) {
			clen = *q == '\'' ? 1 : strncmp(q, "\xe2\x80\x99", 3) ==
			    0 ? 3 : 0;
			end = q + clen;
			if (clen == 0 || q == p + olen ||
			    isalnum((unsigned char)*end))
				continue;
			s = xstrndup(p + olen, (size_t)(q - p - olen));
			str_trim(s);
			if (text_count_words(s) >= 2)
				return s;
			free(s);
			break;
		}
	}
	return NULL;
}

/*
 * The first quoted phrase of at least two words: “curly”, "straight",
 * 'single', then `backticked`.  A single quoted word is a term, not a
 * quote.
 */
static char *
find_quote(const char *t)
{
	static const struct { const char *open, *close; } marks[] = {
		{ "\xe2\x80\x9c", "\xe2\x80\x9d" }, { "\"", "\"" },
		{ "`", "`" },
	};
	const char *p, *q;
	char *s;
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if (marks[i].open[0] == '`' &&
		    (s = find_single_quoted(t)) != NULL)
			return s;
		for (p = strstr(t, marks[i].open); p != NULL;
		    p = strstr(q + strlen(marks[i].close), marks[i].open)) {
			p += strlen(marks[i].open);
			q = strstr(p, marks[i].close);
			if (q == NULL)
				break;
			s = xstrndup(p, (size_t)(q - p));
			str_trim(s);
			if (text_count_words(s) >= 2)
				return s;
			free(s);
		}
	}
	return NULL;
}

/*
 * "L12" is a line only as "(L12)", "L12:" or a range "L12-14": in "L1
 * cache" or "(L1, L2)" it is something else.  bracketed: p follows a
 * '(' or '['.
 */
static bool
is_short_line_ref(const char *p, bool bracketed)
{
	const char *s = p + 1;

	if (*p != 'L' || !isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == ')' || *s == ']')
		return bracketed;
	return *s == ':' || *s == '-' ||
	    strncmp(s, "\xe2\x80\x93", 3) == 0 ||
	    strncmp(s, "\xe2\x80\x94", 3) == 0;
}

/* "line 12", "lines 12-14", "(L12)", "L12–L14" -> model line and end. */
static void
find_line(const char *t, int *line, int *end)
{
	const char *p;

	*line = *end = 0;
	for (p = t; *p != '\0'; p++) {
		if (p != t && isalnum((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, "line", 4) == 0) {
			p += 4;
			if (*p == 's' || *p == 'S')
				p++;
			while (*p == ' ' || *p == ':' || *p == '#')
				p++;
		} else if (is_short_line_ref(p, p > t &&
		    (p[-1] == '(' || p[-1] == '[')))
			p++;
		else
			continue;
		if (isdigit((unsigned char)*p)) {
			parse_line_text(p, line, end);
			return;
		}
		if (*p == '\0')
			return;
	}
}

/* A word alone in brackets or first in a list: "(high)", "[low, ...]". */
static bool
paren_word(const char *p)
{
	size_t n = 0;

	while (isalpha((unsigned char)p[n]))
		n++;
	return n > 0 && (p[n] == ')' || p[n] == ']' || p[n] == ',');
}

/* "(high)", "[low]", "severity: high", "high severity" in a bullet. */
static enum finding_severity
find_severity(const char *t)
{
	static const char *const after[] = {
		"high severity", "high priority", "medium severity",
		"medium priority", "low severity", "low priority", NULL
	};
	char *f = fold(t);
	long at = first_phrase(f, after);
	const char *p;
	int s;

	free(f);
	if (at >= 0)
		return (enum finding_severity)finding_severity_parse(t + at);
	for (p = t; *p != '\0'; p++) {
		if ((*p == '(' || *p == '[') && paren_word(p + 1) &&
		    (s = finding_severity_parse(p + 1)) >= 0)
			return (enum finding_severity)s;
		if ((strncasecmp(p, "severity", 8) == 0 ||
		    strncasecmp(p, "priority", 8) == 0) &&
		    (p[8] == ':' || p[8] == ' ') &&
		    (s = finding_severity_parse(p + 9)) >= 0)
			return (enum finding_severity)s;
	}
	return FS_MEDIUM;
}

/* "Fix:", "Suggestion:"... where the advice starts, or NULL. */
static char *
find_suggestion(char *t)
{
	static const char *const labels[] = {
		"suggested fix:", "suggestion:", "suggest:", "fix:",
		"recommendation:", "recommend:", "rewrite:", "better:",
		"instead:", "try:", "consider:", NULL
	};
	char *f = fold(t), *at = NULL;
	long off = first_phrase(f, labels);

	if (off >= 0)
		at = t + off;
	free(f);
	return at;
}

static void
append_line(char **dst, const char *text)
{
	char *s;

	if (blank(text))
		return;
	if (blank(*dst)) {
		free(*dst);
		*dst = xstrdup(text);
		return;
	}
	s = xasprintf("%s\n%s", *dst, text);
	free(*dst);
	*dst = s;
}

/* Split "message. Fix: advice" into the message and the suggestion. */
static void
split_suggestion(struct finding *f)
{
	char *at = find_suggestion(f->message), *advice;

	if (at == NULL || at == f->message)
		return;
	advice = xstrdup(at + strcspn(at, ":") + 1);
	*at = '\0';
	str_trim(f->message);
	str_trim(advice);
	append_line(&f->suggestion, advice);
	free(advice);
}

/*
 * Text of an item's blocks after its first paragraph: more paragraphs and
 * code, and sub-bullets that belong to it ("Fix: ..." ones become the
 * suggestion).  A block quote in the item is what the bullet quotes.
 */
static void
md_item_details(cmark_node *item, cmark_node *first, struct finding *f,
    char **block_quote)
{
	cmark_node *c, *sub;
	char *text;

	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (c == first)
			continue;
		if (cmark_node_get_type(c) == CMARK_NODE_BLOCK_QUOTE &&
		    *block_quote == NULL) {
			*block_quote = md_text(c);
			continue;
		}
		if (cmark_node_get_type(c) != CMARK_NODE_LIST) {
			text = md_text(c);
			append_line(&f->message, text);
			free(text);
			continue;
		}
		for (sub = cmark_node_first_child(c); sub != NULL;
		    sub = cmark_node_next(sub)) {
			text = md_text(sub);
			if (find_suggestion(text) == text)
				append_line(&f->suggestion,
				    text + strcspn(text, ":") + 1);
			else
				append_line(&f->message, text);
			free(text);
		}
	}
}

/*
 * Skip "line 12", "lines 3-5", "L12:" or "L3–L5" at p (just after a '('
 * when bracketed); p when there is none.
 */
static const char *
skip_line_ref(const char *p, bool bracketed)
{
	const char *s = p;

	if (strncasecmp(s, "line", 4) == 0) {
		s += 4;
		if (*s == 's' || *s == 'S')
			s++;
		while (*s == ' ' || *s == '#')
			s++;
	} else if (is_short_line_ref(s, bracketed))
		s++;
	if (s == p || !isdigit((unsigned char)*s))
		return p;
	while (isdigit((unsigned char)*s))
		s++;
	if (skip_range_dash(&s))
		(void)read_number(&s);
	return s;
}

/* Skip the quote, in quote marks or backticks, at p; p when not there. */
static const char *
skip_quoted(const char *p, const char *quote)
{
	static const char *const marks[] = {
		"\"", "\xe2\x80\x9c", "\xe2\x80\x9d", "'", "\xe2\x80\x98",
		"\xe2\x80\x99", "`", NULL
	};
	const char *s = p, *const *m;
	size_t qlen = strlen(quote);
	bool opened = false;

	for (m = marks; *m != NULL && !opened; m++) {
		if (strncmp(s, *m, strlen(*m)) == 0) {
			s += strlen(*m);
			opened = true;
		}
	}
	while (*s == ' ')
		s++;
	if (!opened || qlen == 0 || strncmp(s, quote, qlen) != 0)
		return p;
	s += qlen;
	while (*s == ' ' || *s == '.')
		s++;
	for (m = marks; *m != NULL; m++) {
		if (strncmp(s, *m, strlen(*m)) == 0)
			return s + strlen(*m);
	}
	return p;
}

/* Skip separators: " - ", " — ", ": ", ", " and "(line 12)". */
static const char *
skip_separators(const char *p)
{
	const char *s;

	for (;;) {
		while (*p == ' ' || *p == '-' || *p == ':' || *p == ',' ||
		    *p == ';' || *p == '.')
			p++;
		if (strncmp(p, "\xe2\x80\x94", 3) == 0 ||
		    strncmp(p, "\xe2\x80\x93", 3) == 0) {
			p += 3;
			continue;
		}
		if (*p == '(' && (s = skip_line_ref(p + 1, true)) != p + 1 &&
		    *s == ')') {
			p = s + 1;
			continue;
		}
		return p;
	}
}

/*
 * A bullet often opens with its anchor: "Line 58: \"quote\" - why it is
 * wrong".  The line and quote are kept apart; the message is the
 * explanation after them.
 */
static void
strip_anchor(char *msg, const char *quote)
{
	const char *p = msg, *next;

	for (;;) {
		next = skip_line_ref(p, false);
		if (next == p)
			next = skip_quoted(p, quote);
		if (next == p)
			break;
		p = skip_separators(next);
	}
	if (p == msg || *p == '\0')
		return;
	memmove(msg, p, strlen(p) + 1);
	msg[0] = (char)toupper((unsigned char)msg[0]);
}

/*
 * One bullet (item, with para its first paragraph) or a paragraph (item
 * NULL) that says something: a finding, unless it is praise.
 */
static void
md_finding(struct md_reader *r, cmark_node *item, cmark_node *para,
    const struct md_ctx *ctx)
{
	struct finding f;
	char *bold = md_bold_lead(para), *text = md_text(para), *bq = NULL;
	enum finding_severity sev = find_severity(text);
	int kind = take_label(text, bold);

	if (kind < 0 && ctx->skip)
		goto out;
	memset(&f, 0, sizeof(f));
	f.source = FSRC_LLM;
	f.message = text;
	text = NULL;
	if (item != NULL)
		md_item_details(item, para, &f, &bq);
	split_suggestion(&f);
	if (kind < 0)
		kind = ctx->kind >= 0 ? ctx->kind : (int)infer_kind(f.message);
	f.kind = (enum finding_kind)kind;
	f.severity = sev;
	f.quote = find_quote(f.message);
	if (f.quote == NULL && bq != NULL) {
		f.quote = bq;
		bq = NULL;
	}
	f.quote = quote_tidy(f.quote);
	find_line(f.message, &f.model_line, &f.end_line);
	f.line = f.model_line;
	strip_anchor(f.message, f.quote);
	if (ctx->topic != NULL)
		f.topic = xstrdup(ctx->topic);
	else if (bold != NULL && !pure_label(bold, false))
		f.topic = strip_colon(xstrdup(bold));
	finding_clean(&f);
	if (f.message[0] == '\0' && f.quote[0] == '\0')
		finding_free(&f);
	else {
		flist_push(r->out, &f);
		r->seen_finding = true;
	}
out:
	free(bold);
	free(text);
	free(bq);
}

static void md_blocks(struct md_reader *, cmark_node *, struct md_ctx *);

/* The first paragraph or heading of a list item: its own text. */
static cmark_node *
md_item_para(cmark_node *item)
{
	cmark_node *c;

	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH ||
		    cmark_node_get_type(c) == CMARK_NODE_HEADING)
			return c;
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return NULL;
	}
	return NULL;
}

static bool
md_has_sublist(cmark_node *item)
{
	cmark_node *c;

	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return true;
	}
	return false;
}

/*
 * A bullet that labels nested bullets ("1. **Gaps**", "- Stack vs heap:")
 * sets their kind or topic; any other bullet is a finding.
 */
static void
md_item(struct md_reader *r, cmark_node *item, const struct md_ctx *ctx)
{
	cmark_node *para = md_item_para(item), *c;
	struct md_ctx sub = *ctx;
	char *text = md_text(para), *topic = NULL;
	int k;

	if (para != NULL &&
	    !(md_has_sublist(item) && md_is_label(para, text))) {
		md_finding(r, item, para, ctx);
		goto out;
	}
	strip_colon(text);
	k = finding_kind_parse(text);
	if (k >= 0 && text_count_words(text) <= 6) {
		sub.kind = k;
		sub.skip = false;
	} else if (heading_not_findings(text)) {
		sub.skip = true;
	} else if (text[0] != '\0') {
		topic = xstrdup(text);
		sub.topic = topic;
	}
	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			md_blocks(r, c, &sub);
	}
out:
	free(topic);
	free(text);
}

/*
 * A paragraph just before a list that names a kind ("**Gaps**", "Here are
 * the gaps:") works as a heading; "Here is my review:" does not.
 */
static bool
md_paragraph_is_heading(cmark_node *para, const char *text)
{
	cmark_node *next = cmark_node_next(para);
	size_t n = strlen(text);

	if (next == NULL || cmark_node_get_type(next) != CMARK_NODE_LIST ||
	    n == 0 || n > 80)
		return false;
	if (md_bold_only(para))
		return true;
	return text[n - 1] == ':' && text_count_words(text) <= 8 &&
	    (finding_kind_parse(text) >= 0 || heading_not_findings(text));
}

/* A list between the headings around node. */
static bool
md_section_has_list(cmark_node *node)
{
	cmark_node *c;

	for (c = cmark_node_previous(node); c != NULL &&
	    cmark_node_get_type(c) != CMARK_NODE_HEADING;
	    c = cmark_node_previous(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return true;
	}
	for (c = cmark_node_next(node); c != NULL &&
	    cmark_node_get_type(c) != CMARK_NODE_HEADING;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return true;
	}
	return false;
}

/*
 * Paragraphs are the summary before the first finding.  Under a kind
 * heading without any list, each paragraph is a finding: some models
 * answer in prose section by section.
 */
static void
md_paragraph(struct md_reader *r, cmark_node *para, struct md_ctx *ctx)
{
	char *text = md_text(para);
	size_t n = strlen(text);

	if (md_paragraph_is_heading(para, text)) {
		md_heading(para, ctx);
	} else if (ctx->kind >= 0 && !ctx->summary && n > 0 &&
	    text[n - 1] != ':' && !md_section_has_list(para)) {
		md_finding(r, NULL, para, ctx);
	} else if (ctx->summary || (!r->seen_finding && ctx->kind < 0 &&
	    !ctx->skip)) {
		if (r->summary.len > 0)
			buf_adds(&r->summary, "\n\n");
		buf_adds(&r->summary, text);
	}
	free(text);
}

/* Walk sibling blocks; headings and label paragraphs set the context. */
static void
md_blocks(struct md_reader *r, cmark_node *parent, struct md_ctx *ctx)
{
	struct md_ctx local = *ctx;
	cmark_node *c;

	for (c = cmark_node_first_child(parent); c != NULL;
	    c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_HEADING:
			md_heading(c, &local);
			break;
		case CMARK_NODE_PARAGRAPH:
			md_paragraph(r, c, &local);
			break;
		case CMARK_NODE_ITEM:
			md_item(r, c, &local);
			break;
		case CMARK_NODE_LIST:
		case CMARK_NODE_BLOCK_QUOTE:
			md_blocks(r, c, &local);
			break;
		default:
			break;
		}
	}
}

/* Findings from a Markdown reply; returns how many. */
static size_t
parse_markdown(const char *text, size_t len, struct finding_reply *out)
{
	struct md_ctx ctx = { -1, false, false, NULL };
	struct md_reader r;
	cmark_node *doc;

	memset(&r, 0, sizeof(r));
	r.out = &out->findings;
	buf_init(&r.summary, MD_TEXT_CAP);
	doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
	if (doc != NULL)
		md_blocks(&r, doc, &ctx);
	cmark_node_free(doc);
	if (out->findings.n > 0) {
		free(out->summary);
		out->summary = san_text(buf_str(&r.summary), r.summary.len,
		    SAN_NEWLINE, FINDING_MAX_FIELD);
	}
	buf_free(&r.summary);
	return out->findings.n;
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

int
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
	if (len > 0 && parse_markdown(text, len, out) > 0) {
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
