/*
 * review.c - one review: offline checks, the cache, the LLM, the merge.
 *
 * The LLM is whatever struct llm_client the caller passes (the libcurl
 * client, or a fake in the tests), so this file links without src/net.
 *
 * Offline findings are reported first, at once.  LLM findings are reported
 * as the stream completes each one (fstream), anchored by their quote.  When
 * the reply is complete it is parsed once more as a whole — that catches
 * what streaming cannot (a Markdown answer, a reply cut off mid-way) — and
 * anything not yet reported is reported then.  The LLM's duplicates of
 * offline findings are dropped, so what was shown first stays true.
 *
 * A JSON reply whose findings all came through the stream is not parsed
 * again for them: the parse would find the same findings (it runs the same
 * extractor on the same text) and report none anew, save the rare ones
 * nothing shown equals (see reported_again()); those are kept aside while
 * streaming and reported again at the end instead.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/cache.h"
#include "rustnote/cancel.h"
#include "rustnote/codecheck.h"
#include "rustnote/completion.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/prompt.h"
#include "rustnote/review.h"
#include "rustnote/util.h"

/* State shared with the stream callbacks. */
struct review_run {
	const struct note *note;
	const struct review_events *ev;
	const struct llm_client *llm;	/* who answers the prompt */
	struct finding_list *shown;	/* everything reported so far */
	struct finding_sig **sigs;	/* one for each of shown */
	struct finding_stream *fs;
	size_t fed;			/* reply bytes given to fs */
	struct finding_list again;	/* see reported_again() */
	size_t over_cap;		/* reported past FINDING_MAX_COUNT */
	int cap_line;			/* the last line reported before */
	int offline_end;		/* their last line, when they stopped
					 * at the cap; else 0 */
	size_t unfound;			/* LLM quotes not in the note */
	bool reply_capped;		/* the reply held the cap or more */
};

void
review_init(struct review *r)
{
	memset(r, 0, sizeof(*r));
	flist_init(&r->findings);
	r->input_tokens = r->output_tokens = -1;
}

void
review_free(struct review *r)
{
	size_t i;

	free(r->provider);
	free(r->model);
	free(r->summary);
	free(r->section);
	flist_free(&r->findings);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	review_init(r);
}

void
review_warn(struct review *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
	    sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = msg;
}

/*
 * Report f unless an equal finding was reported before; returns whether it
 * was.  The copy kept in shown lends its texts to its signature.
 */
static bool
report(struct review_run *run, const struct finding *f)
{
	struct finding copy;
	struct finding_sig *sig;
	size_t n = run->shown->n;

	finding_copy(&copy, f);
	sig = finding_sig_new(&copy);
	if (finding_sig_any_same(run->sigs, run->shown->n, sig)) {
		finding_sig_free(sig);
		finding_free(&copy);
		return false;
	}
	flist_push(run->shown, &copy);
	if (run->shown->n == n)
		run->over_cap++;
	else if (f->line > run->cap_line)
		run->cap_line = f->line;
	if (f->source == FSRC_LLM && f->line == 0 && f->quote != NULL &&
	    f->quote[0] != '\0')
		run->unfound++;
	if (run->shown->n > n) {
		run->sigs = xreallocarray(run->sigs, run->shown->n,
		    sizeof(*run->sigs));
		run->sigs[n] = sig;
	} else
		finding_sig_free(sig);	/* past the cap: not kept */
	if (run->ev != NULL && run->ev->on_finding != NULL)
		run->ev->on_finding(run->ev->ud, f);
	return true;
}

/* Findings already in the list (none, from review_init()) count as shown. */
static void
run_init(struct review_run *run, const struct note *n,
    const struct review_events *ev, struct finding_list *shown)
{
	size_t i;

	memset(run, 0, sizeof(*run));
	run->note = n;
	run->ev = ev;
	run->shown = shown;
	run->sigs = xreallocarray(NULL, shown->n + 1, sizeof(*run->sigs));
	for (i = 0; i < shown->n; i++)
		run->sigs[i] = finding_sig_new(&shown->v[i]);
	flist_init(&run->again);
}

static void
run_free(struct review_run *run)
{
	size_t i;

	for (i = 0; i < run->shown->n; i++)
		finding_sig_free(run->sigs[i]);
	free(run->sigs);
	run->sigs = NULL;
	flist_free(&run->again);
}

/*
 * Once reported, f is reported again by the whole-reply pass only when
 * nothing shown equals it then: it was not kept (shown is full and stays
 * so), or it is not the same as itself.
 */
static bool
reported_again(const struct review_run *run, size_t shown_before,
    const struct finding *f)
{
	return run->shown->n == shown_before || !finding_same(f, f);
}

static void
on_stream_finding(void *ud, struct finding *f)
{
	struct review_run *run = ud;
	size_t shown = run->shown->n;
	struct finding copy;

	f->source = FSRC_LLM;
	finding_anchor(f, run->note);
	if (report(run, f) && reported_again(run, shown, f)) {
		finding_copy(&copy, f);
		flist_push(&run->again, &copy);
	}
	finding_free(f);
}

static void
feed(struct review_run *run, const char *text, size_t len)
{
	run->fed += len;
	fstream_feed(run->fs, text, len);
}

static void
on_text(void *ud, const char *delta, size_t len)
{
	feed(ud, delta, len);
}

static void
on_progress(void *ud, const struct llm_progress *p)
{
	struct review_run *run = ud;

	if (run->ev != NULL && run->ev->on_progress != NULL)
		run->ev->on_progress(run->ev->ud, p);
}

/* The caller's own "stop" (the TUI cancelling a job), or a signal. */
static bool
cancelled(void *ud)
{
	struct review_run *run = ud;

	return cancel_requested() || (run->ev != NULL &&
	    run->ev->cancelled != NULL && run->ev->cancelled(run->ev->ud));
}

static int
run_offline(const struct note *n, const struct overview *o,
    const struct rule_set *rules, struct review_run *run, struct review *r,
    char *err, size_t errlen)
{
	char warn[RN_ERRLEN];
	struct finding_list off;
	size_t i;
	int rc;

	flist_init(&off);
	rc = offline_run(n, o, rules, &off, warn, sizeof(warn));
	if (warn[0] != '\0')
		review_warn(r, "%s", warn);
	flist_sort(&off);
	if (off.n >= FINDING_MAX_COUNT)
		run->offline_end = off.v[off.n - 1].line;
	for (i = 0; i < off.n; i++)
		report(run, &off.v[i]);
	flist_free(&off);
	if (rc == RN_ECANCEL)
		return rn_fail(err, errlen, RN_ECANCEL, "interrupted");
	return rc;
}

/*
 * Compile the note's code blocks; their findings are reported when the
 * offline checks run.  Returns the verdicts for the prompt (or NULL) and
 * sets *stopped when the review was cancelled meanwhile.
 */
static char *
run_compile(const struct config *cfg, const struct note *n,
    struct review_run *run, struct review *r, bool with_findings,
    bool *stopped)
{
	struct ccheck_opts o;
	struct ccheck_result res;
	char *verdicts;
	size_t i;

	ccheck_opts_from(cfg, &o);
	ccheck_result_init(&res);
	ccheck_run(cfg->compiler, n, &o, cancelled, run, &res);
	for (i = 0; i < res.nwarnings; i++)
		review_warn(r, "%s", res.warnings[i]);
	flist_sort(&res.findings);
	for (i = 0; with_findings && i < res.findings.n; i++)
		report(run, &res.findings.v[i]);
	*stopped = res.cancelled;
	verdicts = res.verdicts;
	res.verdicts = NULL;
	ccheck_result_free(&res);
	return verdicts;
}

/* Ask the LLM (or the cache) for the reply text; fills entry. */
static enum rn_status
fetch_reply(const struct config *cfg, const struct prompt *p,
    const char *key, struct review_run *run, struct review *r,
    struct cache_entry *entry, char *err, size_t errlen)
{
	const struct llm_client *llm = run->llm;
	struct llm_callbacks cb = { on_text, on_progress, cancelled, run };
	struct llm_reply reply;
	char warn[RN_ERRLEN];
	int rc;

	if (cfg->use_cache && cache_get(key, entry)) {
		r->cached = true;
		feed(run, entry->reply, strlen(entry->reply));
		return RN_OK;
	}
	llm_reply_init(&reply);
	rc = completion_run(cfg, llm, &(struct llm_request){ p->system,
	    p->user }, p->schema, &cb, &reply, warn, sizeof(warn), err, errlen);
	if (warn[0] != '\0')
		review_warn(r, "%s", warn);
	entry->input_tokens = reply.input_tokens;
	entry->output_tokens = reply.output_tokens;
	entry->truncated = reply.finish == LLM_FINISH_LENGTH;
	entry->reply = buf_steal(&reply.text);
	if (reply.model != NULL) {
		free(r->model);
		r->model = xstrdup(reply.model);
	}
	if (rc == RN_OK && reply.finish == LLM_FINISH_FILTER)
		review_warn(r, "the provider stopped the reply (content "
		    "filter or refusal)");
	llm_reply_free(&reply);
	return rc;
}

/*
 * The reply's findings all came through the stream: an fstream fed exactly
 * this text reported some (so the whole-reply parse reads it as JSON).
 */
static bool
all_streamed(const struct review_run *run, size_t len)
{
	return fstream_count(run->fs) > 0 && run->fed == len;
}

/* Parse the whole reply, report what streaming missed, build the list. */
static enum rn_status
finish_reply(struct cache_entry *entry, struct review_run *run,
    struct review *r, char *err, size_t errlen)
{
	size_t len = strlen(entry->reply), i, n;
	const struct finding_list *left;	/* what may be reported now */
	struct finding_reply fr;
	int rc;

	memset(&fr, 0, sizeof(fr));
	if (all_streamed(run, len)) {
		finding_reply_streamed(entry->reply, len,
		    fstream_truncated(run->fs), &fr);
		left = &run->again;
		n = fstream_count(run->fs);
	} else {
		rc = finding_parse_reply(entry->reply, len, &fr, err, errlen);
		if (rc != RN_OK)
			return rc;
		for (i = 0; i < fr.findings.n; i++) {
			fr.findings.v[i].source = FSRC_LLM;
			finding_anchor(&fr.findings.v[i], run->note);
		}
		left = &fr.findings;
		n = fr.findings.n;
	}
	run->reply_capped = n >= FINDING_MAX_COUNT;
	free(r->summary);
	r->summary = fr.summary;
	fr.summary = NULL;
	for (i = 0; i < left->n; i++)
		report(run, &left->v[i]);
	entry->truncated = entry->truncated || fr.truncated;
	if (entry->truncated)
		review_warn(r, "the reply was cut off by the token limit; "
		    "kept the %zu complete findings", n);
	if (fr.markdown)
		review_warn(r, "the reply was not JSON; findings were read "
		    "from its bullet points");
	finding_reply_free(&fr);
	return RN_OK;
}

static enum rn_status
run_llm(const struct config *cfg, const struct note *n,
    const struct overview *o, const char *verdicts, struct review_run *run,
    struct review *r, char *err, size_t errlen)
{
	char key[CACHE_KEY_LEN], cerr[RN_ERRLEN];
	struct cache_entry entry;
	struct prompt p;
	int rc;

	memset(&entry, 0, sizeof(entry));
	rc = prompt_build_with(n, o, verdicts, &p, err, errlen);
	if (rc != RN_OK)
		return rc;
	cache_key(cfg->provider_name, completion_base_url(cfg), cfg->model, &p, key);
	run->fs = fstream_new(on_stream_finding, run);
	rc = fetch_reply(cfg, &p, key, run, r, &entry, err, errlen);
	if (rc == RN_OK)
		rc = finish_reply(&entry, run, r, err, errlen);
	/* Only a complete reply that gave findings is worth keeping. */
	if (rc == RN_OK && !r->cached && cfg->use_cache && !entry.truncated &&
	    cache_put(key, &entry, cerr, sizeof(cerr)) != RN_OK)
		review_warn(r, "%s", cerr);
	r->input_tokens = entry.input_tokens;
	r->output_tokens = entry.output_tokens;
	fstream_free(run->fs);
	run->fs = NULL;
	cache_entry_free(&entry);
	prompt_free(&p);
	return rc;
}

/* Say what the list does not show: a cap that cut it short, and LLM
 * quotes that are nowhere in the note (their findings are about the whole
 * note now). */
static void
warn_of_losses(const struct review_run *run, struct review *r)
{
	if (run->offline_end > 0)
		review_warn(r, "the offline checks stopped at their cap of %d "
		    "findings (the last on line %d); the note may hold more",
		    FINDING_MAX_COUNT, run->offline_end);
	if (run->reply_capped)
		review_warn(r, "the reply held %d findings or more, the cap; "
		    "any after those are not shown", FINDING_MAX_COUNT);
	if (run->over_cap > 0)
		review_warn(r, "the list stops at its cap of %d findings; %zu "
		    "more (after line %d) are not shown", FINDING_MAX_COUNT,
		    run->over_cap, run->cap_line);
	if (run->unfound == 1)
		review_warn(r, "1 quote of the LLM is nowhere in the note; its "
		    "finding is shown as about the whole note");
	else if (run->unfound > 1)
		review_warn(r, "%zu quotes of the LLM are nowhere in the note; "
		    "their findings are shown as about the whole note",
		    run->unfound);
}

enum rn_status
review_run(const struct config *cfg, const struct llm_client *client,
    const struct note *n, const struct overview *o,
    const struct rule_set *rules, const struct review_events *ev,
    struct review *r, char *err, size_t errlen)
{
	struct review_run run;
	bool llm = cfg->backend == CFG_LLM, stopped = false;
	char *verdicts = NULL;
	int rc = RN_OK;

	if (llm && (client == NULL || client->complete == NULL))
		return rn_fail(err, errlen, RN_EFAIL, "no LLM client");
	run_init(&run, n, ev, &r->findings);
	free(r->section);
	r->section = o != NULL && o->in_path != NULL && !o->in_path->single ?
	    ovw_section_label(o->in_path, o->section) : NULL;
	run.llm = client;
	free(r->provider);
	r->provider = xstrdup(llm ? cfg->provider_name : "offline");
	if (llm && r->model == NULL)
		r->model = xstrdup(cfg->model);
	if (r->summary == NULL)
		r->summary = xstrdup("");
	if (rules != NULL && (!llm || cfg->with_offline))
		rc = run_offline(n, o, rules, &run, r, err, errlen);
	if (rc == RN_OK && cfg->compile && cfg->compiler != NULL)
		verdicts = run_compile(cfg, n, &run, r, !llm ||
		    cfg->with_offline, &stopped);
	if (stopped)
		rc = rn_fail(err, errlen, RN_ECANCEL, "cancelled");
	else if (rc == RN_OK && llm)
		rc = run_llm(cfg, n, o, verdicts, &run, r, err, errlen);
	free(verdicts);
	warn_of_losses(&run, r);
	run_free(&run);
	flist_sort(&r->findings);
	return rc;
}
