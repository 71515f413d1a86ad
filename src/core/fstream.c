/*
 * fstream.c - pick findings out of a reply while it streams in.
 *
 * The reply arrives as text deltas of any size, cut anywhere (inside a
 * string, an escape, a multi-byte character).  A small state machine looks
 * at each byte once: it tracks JSON strings and escapes and the stack of
 * open objects and arrays, remembers which arrays hold findings (the value
 * of "findings" or one of its variants, an array named after a kind such as
 * "gaps", or an array at the top level) and copies only the element being
 * read.  When an element's closing brace arrives it is parsed with cJSON
 * and reported at once.  Prose and Markdown fences around the JSON are
 * skipped: JSON starts at a '{' or at a '[' that opens a line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/finding.h"
#include "rustnote/util.h"

#define FS_MAX_DEPTH	64	/* deeper containers are not tracked */
#define FS_MAX_ELEMENT	((size_t)16 << 20)	/* one finding's JSON */
#define FS_MAX_KEY	48

/* What an open array holds; values >= 0 are findings of that kind. */
#define ROLE_KEY	(-3)	/* pending only: key_role() of the key read */
#define ROLE_PLAIN	(-2)
#define ROLE_FINDINGS	(-1)

struct finding_stream {
	finding_stream_cb cb;
	void *ud;
	size_t count;

	bool in_json;
	int depth;			/* open containers */
	char open[FS_MAX_DEPTH];	/* '{' or '[' */
	int role[FS_MAX_DEPTH];		/* arrays: ROLE_* or a kind */
	bool in_string, escaped;
	bool expect_key;		/* next string in an object: a key */
	bool line_start;		/* prose: only blanks on this line */

	bool key_string;		/* the current string is a key */
	struct buf key;			/* that key's text (short) */
	int pending_role;		/* role of an array after "key": */

	/* the element of a findings array being read */
	int elem_depth;			/* its depth, 0: none */
	int elem_role;			/* role of the array holding it */
	bool elem_string;		/* the element is a bare string */
	bool elem_lost;			/* too big: dropped */
	struct buf elem;
};

/* Names of the array of findings, besides names of kinds ("gaps"). */
static const char *const list_keys[] = {
	"findings", "issues", "items", "problems", "results", "feedback",
	"comments", "observations", "review", "reviews", "corrections",
};

/* Role of an array found as the value of key. */
static int
key_role(const char *key)
{
	char *words, *p;
	size_t i;
	int kind;

	for (i = 0; i < sizeof(list_keys) / sizeof(list_keys[0]); i++) {
		if (strcasecmp(key, list_keys[i]) == 0)
			return ROLE_FINDINGS;
	}
	/* "incorrect_statements", "implicitAssumptions", "out-of-scope" */
	words = xstrdup(key);
	for (p = words; *p != '\0'; p++) {
		if (*p == '_' || *p == '-')
			*p = ' ';
	}
	kind = finding_kind_parse(words);
	free(words);
	return kind >= 0 ? kind : ROLE_PLAIN;
}

struct finding_stream *
fstream_new(finding_stream_cb cb, void *ud)
{
	struct finding_stream *s = xcalloc(1, sizeof(*s));

	s->cb = cb;
	s->ud = ud;
	s->line_start = true;
	s->pending_role = ROLE_PLAIN;
	buf_init(&s->key, FS_MAX_KEY);
	buf_init(&s->elem, FS_MAX_ELEMENT);
	return s;
}

void
fstream_free(struct finding_stream *s)
{
	if (s == NULL)
		return;
	buf_free(&s->key);
	buf_free(&s->elem);
	free(s);
}

size_t
fstream_count(const struct finding_stream *s)
{
	return s->count;
}

bool
fstream_truncated(const struct finding_stream *s)
{
	return s->in_json && (s->depth > 0 || s->in_string);
}

static int
top_role(const struct finding_stream *s)
{
	if (s->depth == 0 || s->depth > FS_MAX_DEPTH ||
	    s->open[s->depth - 1] != '[')
		return ROLE_PLAIN;
	return s->role[s->depth - 1];
}

static char
top_open(const struct finding_stream *s)
{
	if (s->depth == 0 || s->depth > FS_MAX_DEPTH)
		return '\0';
	return s->open[s->depth - 1];
}

/* A kind-named array ("gaps": [...]) gives its kind to findings lacking one. */
static void
add_default_kind(cJSON *obj, int role)
{
	if (role < 0 || cJSON_GetObjectItem(obj, "kind") != NULL ||
	    cJSON_GetObjectItem(obj, "type") != NULL ||
	    cJSON_GetObjectItem(obj, "category") != NULL)
		return;
	cJSON_AddStringToObject(obj, "kind",
	    finding_kind_name((enum finding_kind)role));
}

/* A bare string in a list of findings is the message of one. */
static cJSON *
string_to_object(cJSON *str)
{
	cJSON *obj = cJSON_CreateObject();

	cJSON_AddStringToObject(obj, "message", str->valuestring);
	cJSON_Delete(str);
	return obj;
}

static void
report(struct finding_stream *s, struct finding *f)
{
	if (s->count >= FINDING_MAX_COUNT) {
		finding_free(f);
		return;
	}
	s->count++;
	if (s->cb != NULL)
		s->cb(s->ud, f);
	/* cb may have taken the fields (flist_push zeroes f) */
	finding_free(f);
}

/*
 * Remove commas just before a closing brace or bracket, which smaller
 * models often leave ({"a": 1,}); strict JSON parsers refuse them.
 */
static void
drop_trailing_commas(struct buf *b)
{
	bool in_string = false, escaped = false;
	size_t i, o = 0, j;
	char c;

	for (i = 0; i < b->len; i++) {
		c = b->data[i];
		if (in_string) {
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == ',') {
			for (j = i + 1; j < b->len &&
			    isspace((unsigned char)b->data[j]); j++)
				;
			if (j < b->len && (b->data[j] == '}' ||
			    b->data[j] == ']'))
				continue;
		}
		b->data[o++] = c;
	}
	b->len = o;
	if (b->data != NULL)
		b->data[o] = '\0';
}

/* The element's text is complete: parse it and report the finding. */
static void
element_done(struct finding_stream *s)
{
	struct finding f;
	cJSON *obj;

	if (s->elem_lost || s->count >= FINDING_MAX_COUNT)
		goto out;
	obj = cJSON_ParseWithLength(s->elem.data, s->elem.len);
	if (obj == NULL) {
		drop_trailing_commas(&s->elem);
		obj = cJSON_ParseWithLength(s->elem.data, s->elem.len);
	}
	if (obj != NULL && cJSON_IsString(obj))
		obj = string_to_object(obj);
	if (obj == NULL || !cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		goto out;
	}
	add_default_kind(obj, s->elem_role);
	memset(&f, 0, sizeof(f));
	if (finding_from_json(obj, &f) == 0) {
		finding_clean(&f);
		report(s, &f);
	}
	cJSON_Delete(obj);
out:
	buf_reset(&s->elem);
	s->elem_depth = 0;
	s->elem_string = false;
	s->elem_lost = false;
}

static void
element_start(struct finding_stream *s, bool is_string)
{
	buf_reset(&s->elem);
	s->elem_role = top_role(s);
	s->elem_string = is_string;
	s->elem_lost = false;
	s->elem_depth = is_string ? s->depth : s->depth + 1;
}

static void
element_add(struct finding_stream *s, char c)
{
	if (!s->elem_lost && buf_addc(&s->elem, c) != 0)
		s->elem_lost = true;
}

static bool
reading_element(const struct finding_stream *s)
{
	return s->elem_depth > 0;
}

static void
string_byte(struct finding_stream *s, char c)
{
	if (reading_element(s))
		element_add(s, c);
	if (s->escaped) {
		s->escaped = false;
	} else if (c == '\\') {
		s->escaped = true;
	} else if (c == '"') {
		s->in_string = false;
		if (s->elem_string)
			element_done(s);
		return;
	}
	if (s->key_string && buf_addc(&s->key, c) != 0) {
		s->key_string = false;	/* too long to be a key we know */
		buf_reset(&s->key);
	}
}

static void
open_string(struct finding_stream *s)
{
	bool is_key = top_open(s) == '{' && s->expect_key;

	if (!reading_element(s) && top_role(s) != ROLE_PLAIN)
		element_start(s, true);
	if (reading_element(s))
		element_add(s, '"');
	s->in_string = true;
	s->escaped = false;
	s->key_string = is_key;
	buf_reset(&s->key);
	if (!is_key)
		s->pending_role = ROLE_PLAIN;
}

static void
open_container(struct finding_stream *s, char c)
{
	int role = ROLE_PLAIN;

	if (c == '{' && !reading_element(s) && top_role(s) != ROLE_PLAIN)
		element_start(s, false);
	if (reading_element(s))
		element_add(s, c);
	if (c == '[' && s->depth == 0)
		role = ROLE_FINDINGS;
	else if (c == '[' && s->pending_role == ROLE_KEY)
		role = key_role(buf_str(&s->key));
	else if (c == '[')
		role = s->pending_role;
	if (s->depth < FS_MAX_DEPTH) {
		s->open[s->depth] = c;
		s->role[s->depth] = reading_element(s) ? ROLE_PLAIN : role;
	}
	s->depth++;
	s->expect_key = c == '{';
	s->pending_role = ROLE_PLAIN;
}

static void
close_container(struct finding_stream *s, char c)
{
	if (reading_element(s))
		element_add(s, c);
	if (s->depth > 0)
		s->depth--;
	if (reading_element(s) && s->depth < s->elem_depth)
		element_done(s);
	s->expect_key = false;
	s->pending_role = ROLE_PLAIN;
	if (s->depth == 0) {
		s->in_json = false;
		s->line_start = false;
	}
}

static void
json_byte(struct finding_stream *s, char c)
{
	if (s->in_string) {
		string_byte(s, c);
		return;
	}
	switch (c) {
	case '"':
		open_string(s);
		return;
	case '{':
	case '[':
		open_container(s, c);
		return;
	case '}':
	case ']':
		close_container(s, c);
		return;
	}
	if (reading_element(s))
		element_add(s, c);
	if (isspace((unsigned char)c))
		return;
	if (c == ':' && top_open(s) == '{') {
		/* Only an array value needs the key's role: worked out then. */
		s->expect_key = false;
		s->pending_role = s->key.len > 0 ? ROLE_KEY : ROLE_PLAIN;
		return;
	}
	if (c == ',')
		s->expect_key = top_open(s) == '{';
	s->pending_role = ROLE_PLAIN;
}

/* Outside JSON: wait for a '{', or a '[' at the start of a line. */
static void
prose_byte(struct finding_stream *s, char c)
{
	if (c == '{' || (c == '[' && s->line_start)) {
		s->in_json = true;
		s->depth = 0;
		s->in_string = false;
		json_byte(s, c);
		return;
	}
	if (c == '\n')
		s->line_start = true;
	else if (c != ' ' && c != '\t' && c != '\r')
		s->line_start = false;
}

/* Length of the run of p[0..n) that holds no '"' nor '\\'. */
static size_t
plain_run(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i] != '"' && p[i] != '\\'; i++)
		;
	return i;
}

/*
 * Bytes inside a string that end nothing and escape nothing: what
 * string_byte() does with each, done for the run at once.
 */
static void
string_run(struct finding_stream *s, const char *p, size_t n)
{
	if (reading_element(s) && !s->elem_lost &&
	    buf_add(&s->elem, p, n) != 0)
		s->elem_lost = true;
	if (s->key_string && buf_add(&s->key, p, n) != 0) {
		s->key_string = false;	/* too long to be a key we know */
		buf_reset(&s->key);
	}
}

/*
 * Most of a reply is the text inside strings: runs of it are taken
 * whole, the rest byte by byte.
 */
void
fstream_feed(struct finding_stream *s, const char *p, size_t n)
{
	size_t i = 0, run;

	while (i < n) {
		if (s->in_json && s->in_string && !s->escaped &&
		    (run = plain_run(p + i, n - i)) > 0) {
			string_run(s, p + i, run);
			i += run;
			continue;
		}
		if (s->in_json)
			json_byte(s, p[i]);
		else
			prose_byte(s, p[i]);
		i++;
	}
}
