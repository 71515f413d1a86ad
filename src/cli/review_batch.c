/*
 * review_batch.c - "rustnote review" of several notes or folders, for
 * --plain, --json (an array, one document per note) and --jsonl (every
 * line carries its note's path).
 *
 * Offline reviews are CPU work: worker threads (one per core, at most
 * BATCH_MAX_THREADS) take the notes in turn, and the main thread prints
 * each result in the order given and records it in the history, so the
 * output does not depend on which worker was faster.  LLM reviews go one
 * at a time, as a provider's rate limit expects.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/folder.h"
#include "rustnote/history.h"
#include "rustnote/note.h"
#include "rustnote/output.h"
#include "rustnote/overview.h"
#include "rustnote/pathstatus.h"
#include "rustnote/review.h"
#include "rustnote/util.h"

#include "cli.h"

#define BATCH_MAX_THREADS 8

struct batch_item {
	const char *path;
	struct note *note;	/* kept for the history record */
	char *ovw_path;
	char *section;		/* for the history, or NULL */
	struct review r;
	int rc;
	char err[RN_ERRLEN];
	bool done;
};

struct batch {
	const struct cli *c;
	const struct config *cfg;
	const struct rule_set *rules;
	struct batch_item *items;
	size_t n, next;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static bool
is_interrupted(void *ud)
{
	(void)ud;
	return cli_interrupted();
}

static bool
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

bool
cli_review_is_batch(const struct cli *c)
{
	return c->nargs > 1 || (c->nargs == 1 && is_dir(c->args[0]));
}

/* The notes named: files as given, folders walked. */
static int
gather(const struct cli *c, struct folder_list *l)
{
	char err[RN_ERRLEN];
	size_t before;
	int i;

	for (i = 0; i < c->nargs; i++) {
		before = l->n;
		if (!is_dir(c->args[i]))
			folder_list_add(l, c->args[i]);
		else if (folder_notes(c->args[i], l, err, sizeof(err)) !=
		    RN_OK) {
			cli_error(err);
			return RN_EINPUT;
		} else if (l->n == before) {
			snprintf(err, sizeof(err), "%s: is a directory with no "
			    "notes (Markdown files other than overviews)",
			    c->args[i]);
			cli_error(err);
			return RN_EINPUT;
		}
	}
	return RN_OK;
}

/* As `review NOTE` does: the note, its overview (the chosen section of a
 * learning path), the review. */
static void
review_one(const struct batch *b, struct batch_item *it)
{
	struct review_events ev = { NULL, NULL, is_interrupted, NULL };
	struct ovw_choice ch;

	memset(&ch, 0, sizeof(ch));
	review_init(&it->r);
	it->rc = note_load(it->path, &it->note, it->err, sizeof(it->err));
	if (it->rc == RN_OK)
		it->rc = ovw_choose(it->note, b->c->overview, &ch, it->err,
		    sizeof(it->err));
	if (it->rc == RN_OK) {
		it->ovw_path = xstrdup(ch.file);
		it->section = ps_section_of_choice(&ch);
		it->rc = review_run(b->cfg, &llm_curl, it->note, ch.ovw,
		    b->rules, &ev, &it->r, it->err, sizeof(it->err));
	}
	ovw_choice_free(&ch);
}

static void *
worker(void *arg)
{
	struct batch *b = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&b->mu);
		i = b->next++;
		pthread_mutex_unlock(&b->mu);
		if (i >= b->n)
			break;
		review_one(b, &b->items[i]);
		pthread_mutex_lock(&b->mu);
		b->items[i].done = true;
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->mu);
	}
	return NULL;
}

static void
print_item(const struct batch *b, const struct batch_item *it, size_t i)
{
	enum cli_out mode = b->c->mode;

	if (mode == CLI_OUT_JSON && i > 0)
		fputs(",\n", stdout);
	if (it->rc != RN_OK) {
		if (mode == CLI_OUT_JSON || mode == CLI_OUT_JSONL)
			out_error_json(stdout, it->path, mode == CLI_OUT_JSONL ?
			    "error" : NULL, it->err, mode == CLI_OUT_JSON);
		cli_error(it->err);
		return;
	}
	if (mode == CLI_OUT_JSON)
		out_json(stdout, it->path, it->ovw_path, &it->r);
	else if (mode == CLI_OUT_JSONL)
		out_jsonl_review(stdout, it->path, &it->r);
	else {
		if (i > 0)
			fputc('\n', stdout);
		out_plain(stdout, it->path, &it->r);
	}
}

static int
threads_for(const struct config *cfg, size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (cfg->backend == CFG_LLM || cores < 1)
		cores = 1;
	if (cores > BATCH_MAX_THREADS)
		cores = BATCH_MAX_THREADS;
	return (size_t)cores > n ? (int)n : (int)cores;
}

/* Print and record each result in order, as soon as it is ready. */
static int
collect(struct batch *b)
{
	struct hist *h = cli_history_open(false);
	int rc = RN_OK;
	size_t i;

	if (b->c->mode == CLI_OUT_JSON)
		fputs("[\n", stdout);
	for (i = 0; i < b->n; i++) {
		struct batch_item *it = &b->items[i];

		pthread_mutex_lock(&b->mu);
		while (!it->done)
			pthread_cond_wait(&b->cv, &b->mu);
		pthread_mutex_unlock(&b->mu);
		print_item(b, it, i);
		if (it->rc == RN_OK)
			cli_history_record(&h, it->path, it->note,
			    it->section, &it->r);
		else if (rc == RN_OK || it->rc == RN_ECANCEL)
			rc = it->rc;
		review_free(&it->r);
		note_free(it->note);
		it->note = NULL;
		free(it->ovw_path);
		free(it->section);
		it->ovw_path = it->section = NULL;
	}
	if (b->c->mode == CLI_OUT_JSON)
		fputs("]\n", stdout);
	hist_close(h);
	return rc;
}

static int
run_batch(struct batch *b)
{
	pthread_t tids[BATCH_MAX_THREADS];
	int nt = threads_for(b->cfg, b->n), started = 0, rc;

	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	while (started < nt && pthread_create(&tids[started], NULL, worker,
	    b) == 0)
		started++;
	if (started == 0)
		worker(b);	/* no thread to be had: review here */
	rc = collect(b);
	while (started > 0)
		pthread_join(tids[--started], NULL);
	pthread_cond_destroy(&b->cv);
	pthread_mutex_destroy(&b->mu);
	return rc;
}

int
cli_review_batch(struct cli *c, const struct config *cfg,
    const struct rule_set *rules)
{
	struct folder_list notes = { NULL, 0, 0 };
	struct batch b;
	size_t i;
	int rc;

	if (c->mode == CLI_OUT_AUTO || c->mode == CLI_OUT_TUI)
		c->mode = CLI_OUT_PLAIN;	/* one screen shows one note */
	rc = gather(c, &notes);
	if (rc != RN_OK)
		goto out;
	cli_catch_interrupts();
	memset(&b, 0, sizeof(b));
	b.c = c;
	b.cfg = cfg;
	b.rules = rules;
	b.n = notes.n;
	b.items = xcalloc(notes.n != 0 ? notes.n : 1, sizeof(*b.items));
	for (i = 0; i < notes.n; i++)
		b.items[i].path = notes.v[i];
	rc = run_batch(&b);
	free(b.items);
out:
	folder_list_free(&notes);
	return rc == RN_ECANCEL ? CLI_EXIT_INTERRUPTED : rc;
}
