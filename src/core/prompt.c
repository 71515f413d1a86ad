/*
 * prompt.c - the reviewer prompt: templates from prompts/ with the overview
 * and the numbered note filled in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"

#define TEMPLATE_MAX ((size_t)256 << 10)

enum rn_status
prompt_load(const char *name, char **out, unsigned long long *hash,
    char *err, size_t errlen)
{
	char *rel = xasprintf("prompts/%s", name), *path;
	size_t len = 0;
	int rc;

	path = util_data_path(rel, true);
	if (path == NULL) {
		rc = rn_fail(err, errlen, RN_EFAIL,
		    "cannot find the prompt template %s (set RUSTNOTE_DATADIR "
		    "to the folder that holds prompts/)", rel);
		goto out;
	}
	rc = util_read_file(path, TEMPLATE_MAX, out, &len, err, errlen);
	if (rc == RN_OK)
		*hash = fnv64(fnv64(*hash, name, strlen(name)), *out, len);
out:
	free(path);
	free(rel);
	return rc;
}

char *
prompt_number_lines(const struct note *n)
{
	struct buf b;
	int width, i;
	char digits[16];

	buf_init(&b, 0);
	width = snprintf(digits, sizeof(digits), "%d", n->nlines);
	for (i = n->body_line; i <= n->nlines; i++) {
		const struct note_line *l = &n->lines[i - 1];

		buf_printf(&b, "%*d | %.*s\n", width, i, (int)l->len,
		    l->text);
	}
	return buf_steal(&b);
}

char *
prompt_expand(const char *tpl, const char *const *names,
    const char *const *values, size_t count)
{
	struct buf b;
	const char *p = tpl, *open, *close;
	size_t i, len;

	buf_init(&b, 0);
	while ((open = strstr(p, "{{")) != NULL) {
		buf_add(&b, p, (size_t)(open - p));
		close = strstr(open + 2, "}}");
		if (close == NULL)
			break;
		len = (size_t)(close - open - 2);
		for (i = 0; i < count; i++) {
			if (strlen(names[i]) == len &&
			    memcmp(open + 2, names[i], len) == 0)
				break;
		}
		if (i < count)
			buf_adds(&b, values[i]);
		else
			buf_add(&b, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
	buf_adds(&b, open != NULL ? open : p);
	return buf_steal(&b);
}

static char *
topics_list(const struct overview *o)
{
	struct buf b;
	int i, j;

	buf_init(&b, 0);
	for (i = 0; i < o->ntopics; i++) {
		buf_printf(&b, "- %s", o->topics[i].title);
		for (j = 0; j < o->topics[i].nsub; j++)
			buf_printf(&b, "%s%s", j == 0 ? " (" : ", ",
			    o->topics[i].subpoints[j]);
		buf_adds(&b, o->topics[i].nsub > 0 ? ")\n" : "\n");
	}
	return buf_steal(&b);
}

static char *
rules_list(const struct overview *o)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	for (i = 0; i < o->nrules; i++)
		buf_printf(&b, "- %s\n", o->rules[i].text);
	return buf_steal(&b);
}

enum rn_status
prompt_build(const struct note *n, const struct overview *o,
    struct prompt *out, char *err, size_t errlen)
{
	return prompt_build_with(n, o, NULL, out, err, errlen);
}

enum rn_status
prompt_build_with(const struct note *n, const struct overview *o,
    const char *verdicts, struct prompt *out, char *err, size_t errlen)
{
	static const char *const names[] = { "title", "overview", "note",
	    "note_name", "overview_name", "topics", "rules", "rustc",
	    "curriculum" };
	char *sys = NULL, *user = NULL, *numbered, *topics, *rules;
	char *curriculum = NULL;
	const char *values[9];
	int rc;

	memset(out, 0, sizeof(*out));
	out->template_hash = FNV64_INIT;
	rc = prompt_load("system.md", &sys, &out->template_hash, err, errlen);
	if (rc != RN_OK)
		goto out;
	rc = prompt_load("user.md", &user, &out->template_hash, err, errlen);
	if (rc != RN_OK)
		goto out;
	rc = prompt_load("findings.schema.json", &out->schema,
	    &out->template_hash, err, errlen);
	if (rc != RN_OK)
		goto out;
	rc = prompt_curriculum(o, &curriculum, &out->template_hash, err,
	    errlen);
	if (rc != RN_OK)
		goto out;

	numbered = prompt_number_lines(n);
	topics = topics_list(o);
	rules = rules_list(o);
	values[0] = o->title != NULL ? o->title : "";
	values[1] = o->src;
	values[2] = numbered;
	values[3] = util_base_name(n->path);
	values[4] = util_base_name(o->path);
	values[5] = topics;
	values[6] = rules;
	values[7] = verdicts != NULL && verdicts[0] != '\0' ? verdicts :
	    "(not checked)\n";
	values[8] = curriculum;
	out->system = prompt_expand(sys, names, values, 9);
	out->user = prompt_expand(user, names, values, 9);
	free(numbered);
	free(topics);
	free(rules);
out:
	free(curriculum);
	free(sys);
	free(user);
	if (rc != RN_OK)
		prompt_free(out);
	return rc;
}

void
prompt_free(struct prompt *p)
{
	free(p->system);
	free(p->user);
	free(p->schema);
	p->system = p->user = p->schema = NULL;
}
