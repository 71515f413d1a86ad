/* rustdiag.c - rustc's JSON diagnostics to a verdict (see rustdiag.h). */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/rustdiag.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

#define RDIAG_FORMAT 1
#define MAX_EXPANSION_DEPTH 16	/* macro expansions followed per span */

static const char *
str_item(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Cleaned and capped: the text reaches the terminal. */
static char *
clean(const char *s)
{
	return san_str(s, SAN_SQUEEZE, RDIAG_MAX_TEXT);
}

static bool
span_in_file(const cJSON *span, const char *file_name)
{
	const char *f = str_item(span, "file_name");

	return f != NULL && strcmp(f, file_name) == 0;
}

/* A span's line_start, or a cache entry's line; 0 when unusable. */
static int
line_item(const cJSON *o, const char *key)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(l) && l->valuedouble >= 1 &&
	    l->valuedouble < 1e7 ? (int)l->valuedouble : 0;
}

/*
 * The line of the primary span in our file; a span inside a macro of the
 * standard library is followed out through its expansion.
 */
static int
primary_line(const cJSON *diag, const char *file_name, const char **label)
{
	const cJSON *spans = cJSON_GetObjectItemCaseSensitive(diag, "spans");
	const cJSON *s, *e;
	int depth, fallback = 0;

	*label = NULL;
	cJSON_ArrayForEach(s, spans) {
		if (span_in_file(s, file_name) && fallback == 0)
			fallback = line_item(s, "line_start");
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s,
		    "is_primary")))
			continue;
		*label = str_item(s, "label");
		for (e = s, depth = 0; e != NULL && depth < MAX_EXPANSION_DEPTH;
		    depth++) {
			if (span_in_file(e, file_name))
				return line_item(e, "line_start");
			e = cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(e, "expansion"),
			    "span");
		}
	}
	return fallback;
}

/* "consider cloning the value: `v.clone()`" from the first help child. */
static char *
first_help(const cJSON *diag)
{
	const cJSON *c, *s;
	const char *msg, *rep;
	char *text, *out;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(diag,
	    "children")) {
		msg = str_item(c, "message");
		if (msg == NULL || !str_iequal(str_item(c, "level") != NULL ?
		    str_item(c, "level") : "", "help"))
			continue;
		rep = NULL;
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(c,
		    "spans")) {
			rep = str_item(s, "suggested_replacement");
			if (rep != NULL)
				break;
		}
		text = rep != NULL && rep[0] != '\0' && strlen(rep) < 200 ?
		    xasprintf("%s: `%s`", msg, rep) : xstrdup(msg);
		out = clean(text);
		free(text);
		return out;
	}
	return xstrdup("");
}

/* A diagnostic that is an error of the code (not the closing notes). */
static bool
is_code_error(const cJSON *diag)
{
	const char *level = str_item(diag, "level");
	const char *msg = str_item(diag, "message");

	if (level == NULL || msg == NULL || strcmp(level, "error") != 0)
		return false;
	return !str_starts_with(msg, "aborting due to");
}

static void
add_error(struct rdiag_verdict *v, const cJSON *diag, const char *file)
{
	struct rdiag_error *e;
	const char *label, *code;

	if (v->nerrors >= RDIAG_MAX_ERRORS)
		return;
	v->errors = xreallocarray(v->errors, v->nerrors + 1,
	    sizeof(*v->errors));
	e = &v->errors[v->nerrors++];
	code = str_item(cJSON_GetObjectItemCaseSensitive(diag, "code"),
	    "code");
	e->code = clean(code);
	e->message = clean(str_item(diag, "message"));
	e->line = primary_line(diag, file, &label);
	e->label = clean(label);
	e->help = first_help(diag);
}

void
rdiag_parse(const char *output, size_t len, const char *file_name,
    int exit_code, struct rdiag_verdict *out)
{
	const char *line = output, *end = output + len, *nl;
	bool ice = false;
	cJSON *diag;

	memset(out, 0, sizeof(*out));
	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		if (*line == '{') {
			diag = cJSON_ParseWithLength(line, (size_t)(nl - line));
			if (is_code_error(diag))
				add_error(out, diag, file_name);
			else if (str_starts_with(str_item(diag, "level") != NULL
			    ? str_item(diag, "level") : "", "error: internal"))
				ice = true;
			cJSON_Delete(diag);
		}
		line = nl + 1;
	}
	if (exit_code == 0)
		out->status = RD_COMPILES;
	else
		out->status = out->nerrors > 0 && !ice ? RD_FAILS : RD_UNKNOWN;
}

void
rdiag_free(struct rdiag_verdict *v)
{
	size_t i;

	for (i = 0; i < v->nerrors; i++) {
		free(v->errors[i].code);
		free(v->errors[i].message);
		free(v->errors[i].label);
		free(v->errors[i].help);
	}
	free(v->errors);
	memset(v, 0, sizeof(*v));
}

static const char *const status_names[] = {
	[RD_COMPILES] = "compiles", [RD_FAILS] = "fails",
	[RD_UNKNOWN] = "unknown"
};

char *
rdiag_to_json(const struct rdiag_verdict *v)
{
	cJSON *root = cJSON_CreateObject(), *arr, *o;
	char *text;
	size_t i;

	cJSON_AddNumberToObject(root, "format", RDIAG_FORMAT);
	cJSON_AddStringToObject(root, "status", status_names[v->status]);
	arr = cJSON_AddArrayToObject(root, "errors");
	for (i = 0; i < v->nerrors; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "code", v->errors[i].code);
		cJSON_AddStringToObject(o, "message", v->errors[i].message);
		cJSON_AddStringToObject(o, "label", v->errors[i].label);
		cJSON_AddStringToObject(o, "help", v->errors[i].help);
		cJSON_AddNumberToObject(o, "line", v->errors[i].line);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (text == NULL)
		fatal("out of memory");
	return text;
}

static bool
status_parse(const char *s, enum rdiag_status *out)
{
	int i;

	for (i = 0; s != NULL && i <= RD_UNKNOWN; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum rdiag_status)i;
			return true;
		}
	}
	return false;
}

bool
rdiag_from_json(const char *text, struct rdiag_verdict *out)
{
	cJSON *root = cJSON_Parse(text), *fmt, *e;
	struct rdiag_error *err;
	bool ok = false;

	memset(out, 0, sizeof(*out));
	fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsNumber(fmt) || fmt->valueint != RDIAG_FORMAT ||
	    !status_parse(str_item(root, "status"), &out->status))
		goto out;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root,
	    "errors")) {
		if (out->nerrors >= RDIAG_MAX_ERRORS)
			break;
		out->errors = xreallocarray(out->errors, out->nerrors + 1,
		    sizeof(*out->errors));
		err = &out->errors[out->nerrors++];
		err->code = clean(str_item(e, "code"));
		err->message = clean(str_item(e, "message"));
		err->label = clean(str_item(e, "label"));
		err->help = clean(str_item(e, "help"));
		err->line = line_item(e, "line");
	}
	ok = out->status != RD_FAILS || out->nerrors > 0;
out:
	cJSON_Delete(root);
	if (!ok)
		rdiag_free(out);
	return ok;
}
