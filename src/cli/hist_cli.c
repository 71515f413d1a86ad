/*
 * hist_cli.c - the history database for the commands: opened once per
 * run, with one warning when it cannot be used (the command goes on
 * without history), and a review recorded under its note's key.
 */
#include <stdio.h>
#include <stdlib.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/history.h"
#include "rustnote/review.h"

#include "cli.h"

struct hist *
cli_history_open(bool quiet)
{
	char err[RN_ERRLEN], msg[RN_ERRLEN + 64], *path = hist_default_path();
	struct hist *h = NULL;

	if (hist_open(path, &h, err, sizeof(err)) != RN_OK && !quiet) {
		snprintf(msg, sizeof(msg), "history is off: %s", err);
		cli_error(msg);
	}
	free(path);
	return h;
}

int
cli_history_record(struct hist **h, const char *note_path,
    const struct note *n, const char *section, const struct review *r)
{
	char err[RN_ERRLEN], msg[RN_ERRLEN + 64], *key;
	struct hist_record_in in;
	int rc;

	if (*h == NULL)
		return RN_OK;
	key = hist_note_key(note_path);
	hist_record_in_of(&in, key, n, section, r);
	rc = hist_record(*h, &in, &r->findings, NULL, err, sizeof(err));
	free(key);
	if (rc != RN_OK) {
		/* said once: the rest of the run goes without history */
		snprintf(msg, sizeof(msg), "history is off: %s", err);
		cli_error(msg);
		hist_close(*h);
		*h = NULL;
	}
	return rc;
}

void
cli_history_question(const char *note_path, int line,
    const struct finding *f, const char *question, const char *answer,
    const struct config *cfg)
{
	struct hist *h = cli_history_open(false);
	struct hist_question_in in = { 0 };
	char err[RN_ERRLEN], msg[RN_ERRLEN + 64];

	if (h == NULL)
		return;
	in.note_key = hist_note_key(note_path);
	in.line = line;
	in.finding = f;
	in.question = question;
	in.answer = answer;
	in.provider = cfg->provider_name;
	in.model = cfg->model;
	if (hist_add_question(h, &in, err, sizeof(err)) != RN_OK) {
		snprintf(msg, sizeof(msg), "history is off: %s", err);
		cli_error(msg);
	}
	free((char *)in.note_key);
	hist_close(h);
}
