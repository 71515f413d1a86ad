/*
 * ask_job.c - one question to the tutor on its own thread, so the screen
 * stays live while the answer streams in.
 *
 * As the review's worker does (worker.c), the thread keeps what it learns
 * under a mutex - the answer text not yet taken, the newest notice, the
 * outcome - and writes a byte to the loop's self-pipe.  Esc sets an atomic
 * flag that the LLM client polls through cancelled().
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/ask.h"
#include "rustnote/completion.h"
#include "rustnote/err.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"
#include "tui_int.h"

struct tui_ask_job {
	pthread_t thread;
	const struct tui_opts *opts;
	struct prompt prompt;		/* owned */
	atomic_bool cancel;

	pthread_mutex_t mu;		/* guards everything below */
	bool woken;
	struct buf text;		/* answer text not yet taken */
	size_t total;			/* answer bytes so far */
	char *notice;
	bool done;
	int rc;
	char err[RN_ERRLEN];
};

/* Called with mu held. */
static void
wake(struct tui_ask_job *j)
{
	if (!j->woken) {
		j->woken = true;
		term_wake();
	}
}

static void
on_text(void *ud, const char *delta, size_t len)
{
	struct tui_ask_job *j = ud;

	pthread_mutex_lock(&j->mu);
	if (j->total < ASK_MAX_ANSWER) {
		if (len > ASK_MAX_ANSWER - j->total)
			len = ASK_MAX_ANSWER - j->total;
		buf_add(&j->text, delta, len);
		j->total += len;
		wake(j);
	}
	pthread_mutex_unlock(&j->mu);
}

static void
on_progress(void *ud, const struct llm_progress *p)
{
	struct tui_ask_job *j = ud;

	if (p->notice == NULL)
		return;
	pthread_mutex_lock(&j->mu);
	free(j->notice);
	j->notice = xstrdup(p->notice);
	wake(j);
	pthread_mutex_unlock(&j->mu);
}

static bool
cancelled(void *ud)
{
	struct tui_ask_job *j = ud;

	return atomic_load(&j->cancel);
}

static void *
ask_main(void *arg)
{
	struct tui_ask_job *j = arg;
	struct llm_callbacks cb = { on_text, on_progress, cancelled, j };
	struct llm_request req = { j->prompt.system, j->prompt.user };
	struct llm_reply reply;
	char err[RN_ERRLEN] = "", warn[RN_ERRLEN] = "";
	int rc;

	llm_reply_init(&reply);
	rc = completion_run(j->opts->cfg, j->opts->llm, &req, NULL, &cb,
	    &reply, warn, sizeof(warn), err, sizeof(err));
	pthread_mutex_lock(&j->mu);
	if (rc == RN_OK && j->total == 0)	/* not streamed */
		buf_add(&j->text, buf_str(&reply.text), reply.text.len <
		    ASK_MAX_ANSWER ? reply.text.len : ASK_MAX_ANSWER);
	j->rc = rc;
	memcpy(j->err, err, sizeof(err));
	j->done = true;
	wake(j);
	pthread_mutex_unlock(&j->mu);
	llm_reply_free(&reply);
	return NULL;
}

struct tui_ask_job *
askjob_start(const struct tui_opts *o, struct prompt *p, char *err,
    size_t errlen)
{
	struct tui_ask_job *j = xcalloc(1, sizeof(*j));
	sigset_t old;
	int e;

	j->opts = o;
	j->prompt = *p;
	memset(p, 0, sizeof(*p));
	atomic_init(&j->cancel, false);
	pthread_mutex_init(&j->mu, NULL);
	buf_init(&j->text, 0);
	term_block_signals(&old);
	e = pthread_create(&j->thread, NULL, ask_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		rn_fail(err, errlen, RN_EFAIL, "cannot ask: %s", strerror(e));
		prompt_free(&j->prompt);
		buf_free(&j->text);
		pthread_mutex_destroy(&j->mu);
		free(j);
		return NULL;
	}
	return j;
}

bool
askjob_poll(struct tui_ask_job *j, struct buf *answer, char **notice)
{
	bool done;

	pthread_mutex_lock(&j->mu);
	j->woken = false;
	buf_add(answer, j->text.data, j->text.len);
	buf_reset(&j->text);
	if (j->notice != NULL) {
		free(*notice);
		*notice = j->notice;
		j->notice = NULL;
	}
	done = j->done;
	pthread_mutex_unlock(&j->mu);
	return done;
}

void
askjob_cancel(struct tui_ask_job *j)
{
	atomic_store(&j->cancel, true);
}

int
askjob_finish(struct tui_ask_job *j, char *err, size_t errlen)
{
	int rc;

	pthread_join(j->thread, NULL);
	rc = j->rc;
	snprintf(err, errlen, "%s", j->err);
	prompt_free(&j->prompt);
	buf_free(&j->text);
	free(j->notice);
	pthread_mutex_destroy(&j->mu);
	free(j);
	return rc;
}
