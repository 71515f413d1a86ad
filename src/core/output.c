/*
 * output.c - --json, --jsonl and --plain renderings of a review.
 *
 * Findings and summaries were cleaned when they were read; every string
 * still passes the sanitiser here, as names of files, models and warnings
 * come from outside too and a terminal shows whatever the output holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/finding.h"
#include "rustnote/output.h"
#include "rustnote/review.h"
#include "rustnote/sanitize.h"
#include "rustnote/util.h"

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/* JSON escapes controls, but bidi and zero-width characters pass it. */
static void
add_text(cJSON *o, const char *key, const char *s)
{
	char *t = san_str(s, SAN_NEWLINE | SAN_TAB, 0);

	cJSON_AddStringToObject(o, key, t);
	free(t);
}

static cJSON *
text_item(const char *s)
{
	char *t = san_str(s, SAN_NEWLINE | SAN_TAB, 0);
	cJSON *item = cJSON_CreateString(t);

	free(t);
	return item;
}

static cJSON *
finding_json(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", finding_kind_name(f->kind));
	cJSON_AddStringToObject(o, "severity",
	    finding_severity_name(f->severity));
	cJSON_AddNumberToObject(o, "line", f->line);
	cJSON_AddNumberToObject(o, "end_line", f->end_line);
	add_text(o, "quote", f->quote);
	add_text(o, "topic", f->topic);
	add_text(o, "message", f->message);
	add_text(o, "suggestion", f->suggestion);
	cJSON_AddStringToObject(o, "source", finding_source_name(f->source));
	if (f->rule_id != NULL)
		add_text(o, "rule", f->rule_id);
	if (f->dismissed)
		cJSON_AddTrueToObject(o, "dismissed");
	return o;
}

static void
add_usage_and_warnings(cJSON *o, const struct review *r)
{
	cJSON *usage = cJSON_AddObjectToObject(o, "usage");
	cJSON *warnings = cJSON_AddArrayToObject(o, "warnings");
	size_t i;

	for (i = 0; i < r->nwarnings; i++)
		cJSON_AddItemToArray(warnings, text_item(r->warnings[i]));
	if (r->input_tokens >= 0)
		cJSON_AddNumberToObject(usage, "input_tokens",
		    (double)r->input_tokens);
	else
		cJSON_AddNullToObject(usage, "input_tokens");
	if (r->output_tokens >= 0)
		cJSON_AddNumberToObject(usage, "output_tokens",
		    (double)r->output_tokens);
	else
		cJSON_AddNullToObject(usage, "output_tokens");
	cJSON_AddBoolToObject(o, "cached", r->cached);
}

/* Print o on one line (or indented) and free it. */
static void
emit(FILE *fp, cJSON *o, bool pretty)
{
	char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);

	if (s == NULL)
		fatal("out of memory");
	fputs(s, fp);
	fputc('\n', fp);
	fflush(fp);
	free(s);
	cJSON_Delete(o);
}

static cJSON *
review_doc(const char *note_path, const char *overview_path,
    const struct review *r)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	size_t i;

	add_text(o, "note", note_path);
	add_text(o, "overview", overview_path);
	if (r->section != NULL)
		add_text(o, "section", r->section);
	add_text(o, "provider", r->provider);
	if (r->model != NULL)
		add_text(o, "model", r->model);
	else
		cJSON_AddNullToObject(o, "model");
	add_text(o, "summary", r->summary);
	arr = cJSON_AddArrayToObject(o, "findings");
	for (i = 0; i < r->findings.n; i++)
		cJSON_AddItemToArray(arr, finding_json(&r->findings.v[i]));
	add_usage_and_warnings(o, r);
	return o;
}

void
out_json(FILE *fp, const char *note_path, const char *overview_path,
    const struct review *r)
{
	emit(fp, review_doc(note_path, overview_path, r), true);
}

static cJSON *
error_item(const char *message, int exit_code)
{
	cJSON *e = cJSON_CreateObject();

	add_text(e, "message", message);
	cJSON_AddNumberToObject(e, "exit_code", exit_code);
	return e;
}

void
out_json_failed(FILE *fp, const char *note_path, const char *overview_path,
    const struct review *r, const char *message, int exit_code)
{
	cJSON *o = review_doc(note_path, overview_path, r);

	cJSON_AddItemToObject(o, "error", error_item(message, exit_code));
	emit(fp, o, true);
}

void
out_jsonl_error(FILE *fp, const char *message, int exit_code)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", "error");
	add_text(o, "message", message);
	cJSON_AddNumberToObject(o, "exit_code", exit_code);
	emit(fp, o, false);
}

void
out_json_prompt(FILE *fp, const char *system, const char *user)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "system", system);
	cJSON_AddStringToObject(o, "user", user);
	emit(fp, o, true);
}

void
out_models_json(FILE *fp, const char *provider, const char *const *models,
    size_t n)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	size_t i;

	cJSON_AddStringToObject(o, "provider", provider);
	arr = cJSON_AddArrayToObject(o, "models");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(models[i]));
	emit(fp, o, true);
}

void
out_jsonl_finding(FILE *fp, const struct finding *f)
{
	cJSON *o = cJSON_CreateObject(), *fj = finding_json(f), *item;

	cJSON_AddStringToObject(o, "type", "finding");
	while ((item = fj->child) != NULL) {
		cJSON_DetachItemViaPointer(fj, item);
		cJSON_AddItemToObject(o, item->string, item);
	}
	cJSON_Delete(fj);
	emit(fp, o, false);
}

void
out_jsonl_done(FILE *fp, const struct review *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "type", "done");
	add_text(o, "summary", r->summary);
	add_usage_and_warnings(o, r);
	emit(fp, o, false);
}

void
out_jsonl_review(FILE *fp, const char *note_path, const struct review *r)
{
	cJSON *o, *fj, *item;
	size_t i;

	for (i = 0; i < r->findings.n; i++) {
		o = cJSON_CreateObject();
		fj = finding_json(&r->findings.v[i]);
		cJSON_AddStringToObject(o, "type", "finding");
		add_text(o, "note", note_path);
		while ((item = fj->child) != NULL) {
			cJSON_DetachItemViaPointer(fj, item);
			cJSON_AddItemToObject(o, item->string, item);
		}
		cJSON_Delete(fj);
		emit(fp, o, false);
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "done");
	add_text(o, "note", note_path);
	add_text(o, "provider", r->provider);
	add_text(o, "summary", r->summary);
	add_usage_and_warnings(o, r);
	emit(fp, o, false);
}

void
out_error_json(FILE *fp, const char *note_path, const char *type,
    const char *message, bool pretty)
{
	cJSON *o = cJSON_CreateObject();

	if (type != NULL)
		cJSON_AddStringToObject(o, "type", type);
	add_text(o, "note", note_path);
	add_text(o, "error", message);
	emit(fp, o, pretty);
}

static const char *const plain_titles[FK_COUNT] = {
	[FK_GAP] = "Gaps",
	[FK_INCORRECT] = "Untrue statements",
	[FK_ASSUMPTION] = "Implicit assumptions",
	[FK_SCOPE] = "Out of scope",
};

/* Print s cleaned, with every line after the first indented by indent
 * spaces. */
static void
print_indented(FILE *fp, const char *s, int indent)
{
	char *t = san_str(s, SAN_NEWLINE, 0);
	const char *p;

	for (p = t; *p != '\0'; p++) {
		fputc(*p, fp);
		if (*p == '\n' && p[1] != '\0')
			fprintf(fp, "%*s", indent, "");
	}
	free(t);
}

/* Print s cleaned to one line. */
static void
print_line(FILE *fp, const char *s)
{
	san_fputs(s, 0, fp);
}

static void
plain_finding(FILE *fp, const struct finding *f)
{
	if (f->line > 0 && f->end_line > f->line)
		fprintf(fp, "- lines %d-%d", f->line, f->end_line);
	else if (f->line > 0)
		fprintf(fp, "- line %d", f->line);
	else
		fputs("- whole note", fp);
	fprintf(fp, " [%s%s%s]", finding_severity_name(f->severity),
	    f->source == FSRC_OFFLINE ? ", offline" : "",
	    f->dismissed ? ", dismissed" : "");
	if (f->quote != NULL && f->quote[0] != '\0') {
		fputs(": \"", fp);
		print_indented(fp, f->quote, 4);
		fputc('"', fp);
	}
	fputs("\n  ", fp);
	print_indented(fp, nz(f->message), 2);
	fputc('\n', fp);
	if (f->suggestion != NULL && f->suggestion[0] != '\0') {
		fputs("  Fix: ", fp);
		print_indented(fp, f->suggestion, 2);
		fputc('\n', fp);
	}
}

void
out_plain(FILE *fp, const char *note_path, const struct review *r)
{
	size_t i, count[FK_COUNT] = { 0 };
	int k;

	print_line(fp, note_path);
	fprintf(fp, ": %zu finding%s (", r->findings.n,
	    r->findings.n == 1 ? "" : "s");
	print_line(fp, r->provider);
	if (r->model != NULL) {
		fputs(", ", fp);
		print_line(fp, r->model);
	}
	fprintf(fp, "%s)\n", r->cached ? ", cached" : "");
	if (r->section != NULL) {
		print_line(fp, r->section);
		fputc('\n', fp);
	}
	if (r->summary != NULL && r->summary[0] != '\0') {
		fputc('\n', fp);
		print_indented(fp, r->summary, 0);
		fputc('\n', fp);
	}
	for (i = 0; i < r->findings.n; i++)
		count[r->findings.v[i].kind]++;
	for (k = 0; k < FK_COUNT; k++) {
		if (count[k] == 0)
			continue;
		fprintf(fp, "\n%s (%zu)\n", plain_titles[k], count[k]);
		for (i = 0; i < r->findings.n; i++) {
			if ((int)r->findings.v[i].kind == k)
				plain_finding(fp, &r->findings.v[i]);
		}
	}
	for (i = 0; i < r->nwarnings; i++) {
		fputs("\nwarning: ", fp);
		print_line(fp, r->warnings[i]);
		fputc('\n', fp);
	}
	fflush(fp);
}

void
out_json_answer(FILE *fp, const char *answer, long input_tokens,
    long output_tokens)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *usage;
	char *s;

	add_text(o, "answer", answer);
	usage = cJSON_AddObjectToObject(o, "usage");
	if (input_tokens >= 0)
		cJSON_AddNumberToObject(usage, "input_tokens", input_tokens);
	else
		cJSON_AddNullToObject(usage, "input_tokens");
	if (output_tokens >= 0)
		cJSON_AddNumberToObject(usage, "output_tokens", output_tokens);
	else
		cJSON_AddNullToObject(usage, "output_tokens");
	s = cJSON_Print(o);
	fprintf(fp, "%s\n", s);
	free(s);
	cJSON_Delete(o);
}
