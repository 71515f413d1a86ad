/*
 * worker.c - a review on its own thread, so keys are answered while a
 * reply streams in.
 *
 * The thread runs review_run() and turns its events into state under a
 * mutex: copies of findings in a queue, the newest progress in one slot
 * (progress is a level, not a log, so only the latest counts), and the
 * result once done.  After changing that state it writes a byte to the
 * loop's self-pipe (once until the loop has looked).  Esc or quit set an
 * atomic flag that review_run() polls through cancelled().
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/review.h"
#include "rustnote/util.h"
#include "tui_int.h"

struct tui_job {
	pthread_t thread;
	const struct tui_opts *opts;
	const struct note *note;
	const struct overview *ovw;
	atomic_bool cancel;

	pthread_mutex_t mu;		/* guards everything below */
	bool woken;			/* a wake byte waits for the loop */
	struct finding_list queue;
	struct llm_progress prog;
	char *notice;
	bool prog_new;
	bool done;
	int rc;
	char err[RN_ERRLEN];
	struct review result;
};

/* Called with mu held. */
static void
job_wake(struct tui_job *j)
{
	if (!j->woken) {
		j->woken = true;
		term_wake();
	}
}

static void
job_on_finding(void *ud, const struct finding *f)
{
	struct tui_job *j = ud;
	struct finding copy;

	finding_copy(&copy, f);
	pthread_mutex_lock(&j->mu);
	flist_push(&j->queue, &copy);
	job_wake(j);
	pthread_mutex_unlock(&j->mu);
	finding_free(&copy);	/* only left over when the list was full */
}

static void
job_on_progress(void *ud, const struct llm_progress *p)
{
	struct tui_job *j = ud;

	pthread_mutex_lock(&j->mu);
	j->prog = *p;
	j->prog.notice = NULL;
	if (p->notice != NULL) {
		free(j->notice);
		j->notice = xstrdup(p->notice);
	}
	j->prog_new = true;
	job_wake(j);
	pthread_mutex_unlock(&j->mu);
}

static bool
job_cancelled(void *ud)
{
	struct tui_job *j = ud;

	return atomic_load(&j->cancel);
}

static void *
job_main(void *arg)
{
	struct tui_job *j = arg;
	struct review_events ev = { job_on_finding, job_on_progress,
	    job_cancelled, j };
	char err[RN_ERRLEN] = "";
	struct review r;
	int rc;

	review_init(&r);
	rc = review_run(j->opts->cfg, j->opts->llm, j->note, j->ovw,
	    j->opts->rules, &ev, &r, err, sizeof(err));
	pthread_mutex_lock(&j->mu);
	j->rc = rc;
	memcpy(j->err, err, sizeof(err));
	j->result = r;
	j->done = true;
	job_wake(j);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

struct tui_job *
job_start(const struct tui_opts *o, struct note *n,
    const struct overview *ovw, char *err, size_t errlen)
{
	struct tui_job *j = xcalloc(1, sizeof(*j));
	sigset_t old;
	int e;

	j->opts = o;
	j->note = n;
	j->ovw = ovw;
	atomic_init(&j->cancel, false);
	pthread_mutex_init(&j->mu, NULL);
	flist_init(&j->queue);
	review_init(&j->result);
	term_block_signals(&old);
	e = pthread_create(&j->thread, NULL, job_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		rn_fail(err, errlen, RN_EFAIL, "cannot start the review: %s",
		    strerror(e));
		pthread_mutex_destroy(&j->mu);
		free(j);
		return NULL;
	}
	return j;
}

bool
job_poll(struct tui_job *j, struct finding_list *out, struct tui_progress *p)
{
	struct finding_list tmp;
	bool done;

	pthread_mutex_lock(&j->mu);
	j->woken = false;
	tmp = *out;
	*out = j->queue;
	j->queue = tmp;
	if (j->prog_new) {
		p->bytes = j->prog.bytes;
		p->chars = j->prog.chars;
		p->elapsed = j->prog.elapsed;
		p->retry_in = j->prog.retry_in;
		p->waiting = j->prog.waiting;
		p->thinking = j->prog.thinking;
		p->attempt = j->prog.attempt;
		if (j->notice != NULL) {
			free(p->notice);
			p->notice = j->notice;
			j->notice = NULL;
		}
		j->prog_new = false;
	}
	done = j->done;
	pthread_mutex_unlock(&j->mu);
	return done;
}

void
job_cancel(struct tui_job *j)
{
	atomic_store(&j->cancel, true);
}

const struct note *
job_note(const struct tui_job *j)
{
	return j->note;
}

enum rn_status
job_finish(struct tui_job *j, struct review *r, char *err, size_t errlen)
{
	int rc;

	pthread_join(j->thread, NULL);
	rc = j->rc;
	*r = j->result;
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", j->err);
	flist_free(&j->queue);
	free(j->notice);
	pthread_mutex_destroy(&j->mu);
	free(j);
	return rc;
}

void
tui_progress_clear(struct tui_progress *p)
{
	free(p->notice);
	memset(p, 0, sizeof(*p));
}
