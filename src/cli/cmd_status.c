/*
 * cmd_status.c - "rustnote status [DIR]": the notes of a folder on their
 * learning path, with each note's last review and the sections that have
 * no note yet.  The learning-path view on a terminal, else an aligned
 * table (--plain) or one JSON document (--json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/history.h"
#include "rustnote/layout.h"
#include "rustnote/llm.h"
#include "rustnote/offline.h"
#include "rustnote/pathstatus.h"
#include "rustnote/sanitize.h"
#include "rustnote/tui.h"

#include "cli.h"

#define TITLE_COLS 40

static const char *const count_keys[FK_COUNT] = {
	"gap", "incorrect", "assumption", "scope"
};

static void
add_text(cJSON *o, const char *key, const char *s)
{
	char *t = san_str(s, 0, 0);

	cJSON_AddStringToObject(o, key, t);
	free(t);
}

static cJSON *
last_review_json(const struct ps_note *pn)
{
	cJSON *o, *c;
	char at[32];
	int k;

	if (!pn->reviewed)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	hist_iso8601(pn->last.at, at, sizeof(at));
	cJSON_AddStringToObject(o, "at", at);
	c = cJSON_AddObjectToObject(o, "counts");
	for (k = 0; k < FK_COUNT; k++)
		cJSON_AddNumberToObject(c, count_keys[k], pn->last.counts[k]);
	cJSON_AddNumberToObject(o, "resolved", pn->last.nresolved);
	return o;
}

static void
print_json(const struct ps_status *s)
{
	cJSON *o = cJSON_CreateObject(), *arr, *item, *notes;
	const struct ps_note *pn;
	char *out;
	size_t i;
	int k;

	if (s->overview != NULL)
		add_text(o, "overview", s->overview);
	else
		cJSON_AddNullToObject(o, "overview");
	arr = cJSON_AddArrayToObject(o, "sections");
	for (k = 0; k < s->nsections; k++) {
		item = cJSON_CreateObject();
		cJSON_AddNumberToObject(item, "number", s->sections[k].number);
		add_text(item, "title", s->sections[k].title);
		notes = cJSON_AddArrayToObject(item, "notes");
		for (i = 0; i < s->sections[k].nnotes; i++)
			cJSON_AddItemToArray(notes, cJSON_CreateString(
			    s->notes[s->sections[k].notes[i]].path));
		cJSON_AddItemToArray(arr, item);
	}
	arr = cJSON_AddArrayToObject(o, "notes");
	for (i = 0; i < s->nnotes; i++) {
		pn = &s->notes[i];
		item = cJSON_CreateObject();
		add_text(item, "path", pn->path);
		if (pn->section >= 0)
			cJSON_AddNumberToObject(item, "section",
			    s->sections[pn->section].number);
		else
			cJSON_AddNullToObject(item, "section");
		add_text(item, "title", pn->title);
		if (pn->error != NULL)
			add_text(item, "error", pn->error);
		cJSON_AddItemToObject(item, "last_review",
		    last_review_json(pn));
		cJSON_AddItemToArray(arr, item);
	}
	out = cJSON_Print(o);
	if (out != NULL)
		printf("%s\n", out);
	free(out);
	cJSON_Delete(o);
}

/* s cleaned, cut to cols columns, padded to them. */
static void
add_cell(struct buf *b, const char *s, int cols)
{
	char *t = san_str(s, SAN_SQUEEZE, 0);
	size_t len = strlen(t);
	int used;

	if (layout_width(t, len) > cols) {
		buf_add(b, t, layout_clip(t, len, cols - 1, &used));
		buf_adds(b, SAN_ELLIPSIS);
		used++;
	} else {
		buf_adds(b, t);
		used = layout_width(t, len);
	}
	buf_printf(b, "%*s", cols - used, "");
	free(t);
}

static int
note_cols(const struct ps_status *s)
{
	int w = (int)strlen("not written yet"), n;
	size_t i;

	for (i = 0; i < s->nnotes; i++) {
		n = layout_width(s->notes[i].path, strlen(s->notes[i].path));
		if (n > w)
			w = n;
	}
	return w < 60 ? w : 60;
}

static void
print_row(const char *num, const char *title, const struct ps_note *pn,
    int ncols, time_t now)
{
	struct buf b;
	char *ago;

	buf_init(&b, 0);
	buf_printf(&b, "%3s  ", num);
	add_cell(&b, title, TITLE_COLS);
	buf_adds(&b, "  ");
	add_cell(&b, pn != NULL ? pn->path : "not written yet", ncols);
	if (pn != NULL && pn->error != NULL)
		buf_printf(&b, "  %15s  unreadable", "");
	else if (pn != NULL && pn->reviewed) {
		ago = hist_ago(pn->last.at, now);
		buf_printf(&b, "  %3d %3d %3d %3d  %s", pn->last.counts[FK_GAP],
		    pn->last.counts[FK_INCORRECT],
		    pn->last.counts[FK_ASSUMPTION],
		    pn->last.counts[FK_SCOPE], ago);
		free(ago);
	} else if (pn != NULL)
		buf_printf(&b, "  %15s  not reviewed", "");
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	printf("%s\n", buf_str(&b));
	buf_free(&b);
}

static void
print_plain(const struct ps_status *s)
{
	int ncols = note_cols(s), k;
	time_t now = time(NULL);
	char num[16];
	size_t i;

	if (s->overview != NULL) {
		fputs("Learning path: ", stdout);
		san_fputs(s->overview, 0, stdout);
		fputc('\n', stdout);
	} else
		fputs("No learning path (overview.md or curriculum.md) "
		    "found\n", stdout);
	printf("%3s  %-*s  %-*s  gap inc asm scp  reviewed\n", "#",
	    TITLE_COLS, "section", ncols, "note");
	for (k = 0; k < s->nsections; k++) {
		snprintf(num, sizeof(num), "%d", s->sections[k].number);
		if (s->sections[k].nnotes == 0)
			print_row(num, s->sections[k].title, NULL, ncols, now);
		for (i = 0; i < s->sections[k].nnotes; i++)
			print_row(num, s->sections[k].title,
			    &s->notes[s->sections[k].notes[i]], ncols, now);
	}
	for (i = 0; i < s->nnotes; i++) {
		if (s->notes[i].section < 0)
			print_row("-", s->notes[i].title, &s->notes[i], ncols,
			    now);
	}
}

/* The learning-path view: settings for the review screen it opens, and
 * the rules for the offline review it runs in place. */
static int
status_view(struct cli *c, const char *dir)
{
	char err[RN_ERRLEN], warn[RN_ERRLEN];
	struct rule_set *rules = NULL;
	struct tui_path_opts po;
	struct config cfg;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	rc = config_resolve(&c->flags, &cfg, warn, sizeof(warn), err,
	    sizeof(err));
	if (warn[0] != '\0')
		cli_error(warn);
	if (rc == RN_OK)
		rc = rules_load_default(&rules, err, sizeof(err));
	if (rc == RN_OK) {
		po.dir = dir;
		po.cfg = &cfg;
		po.rules = rules;
		po.llm = &llm_curl;
		rc = tui_path_run(&po, err, sizeof(err));
	}
	if (rc != RN_OK)
		cli_error(err);
	rules_free(rules);
	config_free(&cfg);
	return rc;
}

static int
status_run(struct cli *c)
{
	const char *dir = c->nargs > 0 ? c->args[0] : ".";
	struct ps_status s;
	char err[RN_ERRLEN];
	struct hist *h;
	int rc;

	if (c->mode == CLI_OUT_JSONL)
		return cli_usage_error("%s", "status: --jsonl is not an "
		    "output of this command (use --json)");
	if (c->mode == CLI_OUT_AUTO)
		c->mode = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) ?
		    CLI_OUT_TUI : CLI_OUT_PLAIN;
	if (c->mode == CLI_OUT_TUI)
		return status_view(c, dir);
	h = cli_history_open(false);
	rc = ps_load(dir, h, &s, err, sizeof(err));
	hist_close(h);
	if (rc != RN_OK) {
		cli_error(err);
		return rc;
	}
	if (c->mode == CLI_OUT_JSON)
		print_json(&s);
	else
		print_plain(&s);
	ps_free(&s);
	return RN_OK;
}

const struct cli_command cli_status = {
	.name = "status",
	.operands = "[DIR]",
	.help = "the notes of a folder on their learning path",
	.min_args = 0,
	.max_args = 1,
	.run = status_run,
};
