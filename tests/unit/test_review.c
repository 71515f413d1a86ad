/*
 * test_review.c - the review pipeline with a fake completion: offline
 * findings first, then the LLM's as the stream completes each, the cache
 * in front, cancellation, and the merge of the two lists.
 *
 * This program links the core alone (see the Makefile): no src/net, no
 * src/tui, no curl, no curses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/llm.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/review.h"
#include "rustnote/util.h"

#include "testutil.h"

#define SEED "notes/02-memory-model.md"
#define SEED_OVW "notes/memory-model.overview.md"
#define MAX_EVENTS 64

/* What the pipeline told its caller, in order. */
struct events {
	enum finding_source source[MAX_EVENTS];
	int line[MAX_EVENTS];
	size_t n;
	size_t progress;	/* on_progress calls with our notice */
	bool cancel;		/* what cancelled() answers */
};

/* A scripted completion. */
struct fake {
	const char *reply;	/* streamed in chunks of chunk bytes */
	size_t chunk;
	int calls;
	size_t events_at_call;	/* findings shown when it was asked */
	size_t events_before_end;	/* ... when the last chunk was due */
	bool saw_cancel;
	struct events *ev;
	char model_seen[64];
};

static struct rule_set *rules;
static struct note *seed;
static struct overview *seed_ovw;
static size_t seed_offline;	/* offline findings of the seed note */

static char *
source_path(const char *rel)
{
	static const char *const ups[] = { "", "../", "../../", "../../../",
	    "../../../../" };
	size_t i;
	char *p;

	for (i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
		p = xasprintf("%s%s", ups[i], rel);
		if (util_file_exists(p))
			return p;
		free(p);
	}
	fail_msg("cannot find %s", rel);
	return NULL;
}

static enum rn_status
fake_complete(void *ud, const struct llm_params *p,
    const struct llm_request *req, const struct llm_callbacks *cb,
    struct llm_reply *reply, char *err, size_t errlen)
{
	struct fake *fk = ud;
	struct llm_progress pr = { .notice = "fake notice", .attempt = 1 };
	size_t len = strlen(fk->reply), at, n;

	fk->calls++;
	fk->events_at_call = fk->ev->n;
	snprintf(fk->model_seen, sizeof(fk->model_seen), "%s", p->model);
	assert_non_null(strstr(req->user, "Stack vs heap"));
	cb->on_progress(cb->ud, &pr);
	for (at = 0; at < len; at += n) {
		n = len - at < fk->chunk ? len - at : fk->chunk;
		if (cb->cancelled(cb->ud)) {
			fk->saw_cancel = true;
			return rn_fail(err, errlen, RN_ECANCEL, "cancelled");
		}
		if (at + n == len)
			fk->events_before_end = fk->ev->n;
		buf_add(&reply->text, fk->reply + at, n);
		cb->on_text(cb->ud, fk->reply + at, n);
	}
	reply->finish = LLM_FINISH_STOP;
	reply->input_tokens = 100;
	reply->output_tokens = 20;
	return RN_OK;
}

static void
on_finding(void *ud, const struct finding *f)
{
	struct events *e = ud;

	assert_true(e->n < MAX_EVENTS);
	e->source[e->n] = f->source;
	e->line[e->n] = f->line;
	e->n++;
}

static void
on_progress(void *ud, const struct llm_progress *p)
{
	struct events *e = ud;

	if (p->notice != NULL && strcmp(p->notice, "fake notice") == 0)
		e->progress++;
}

static bool
cancelled(void *ud)
{
	return ((struct events *)ud)->cancel;
}

/* An LLM configured as a user would: flags through the config table. */
static void
llm_config(struct config *cfg, bool cache)
{
	char err[RN_ERRLEN], warn[RN_ERRLEN];
	struct config_flags fl;

	memset(&fl, 0, sizeof(fl));
	assert_int_equal(config_flag(&fl, "provider", "openai", err,
	    sizeof(err)), RN_OK);
	assert_int_equal(config_flag(&fl, "model", "fake-model", err,
	    sizeof(err)), RN_OK);
	assert_int_equal(config_flag(&fl, "base_url", "http://127.0.0.1:1/v1",
	    err, sizeof(err)), RN_OK);
	assert_int_equal(config_flag(&fl, "cache", cache ? "true" : "false",
	    err, sizeof(err)), RN_OK);
	if (config_resolve(&fl, cfg, warn, sizeof(warn), err, sizeof(err)) !=
	    RN_OK)
		fail_msg("config: %s", err);
	assert_int_equal(cfg->backend, CFG_LLM);
}

/* {"summary": ..., "findings": [...]} with one finding per quote. */
static char *
reply_json(const char *const *quotes, const int *lines, size_t n)
{
	cJSON *root = cJSON_CreateObject(), *list, *f;
	char *text, *out;
	size_t i;

	cJSON_AddStringToObject(root, "summary", "A fair start.");
	list = cJSON_AddArrayToObject(root, "findings");
	for (i = 0; i < n; i++) {
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "kind", "incorrect");
		cJSON_AddStringToObject(f, "severity", "high");
		cJSON_AddStringToObject(f, "quote", quotes[i]);
		cJSON_AddNumberToObject(f, "line", lines[i]);
		cJSON_AddStringToObject(f, "message", i == 0 ?
		    "Stack and heap are managed in very different ways." :
		    "A pointer is a typed value, not just any integer.");
		cJSON_AddItemToArray(list, f);
	}
	text = cJSON_PrintUnformatted(root);
	out = xstrdup(text);
	cJSON_free(text);
	cJSON_Delete(root);
	return out;
}

static const char *const two_quotes[] = {
	"Data is stored either on stack or on the heap.",
	"Pointer is integer-sized value, whose numeric value happens to be "
	    "a memory address.",
};
static const int two_lines[] = { 3, 8 };

static int
run(const struct config *cfg, struct fake *fk, struct events *ev,
    struct review *r, char *err)
{
	struct review_events rev = { on_finding, on_progress, cancelled, ev };
	struct llm_client client = { fake_complete, fk };
	int rc;

	fk->ev = ev;
	review_init(r);
	rc = review_run(cfg, &client, seed, seed_ovw, rules, &rev, r, err,
	    RN_ERRLEN);

	if (rc != RN_OK)
		print_message("review: %s\n", err);
	return rc;
}

static size_t
count_source(const struct finding_list *l, enum finding_source s)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->v[i].source == s;
	return n;
}

/* Offline findings are all shown before the LLM is even asked. */
static void
test_offline_first(void **state)
{
	char *reply = reply_json(two_quotes, two_lines, 2), err[RN_ERRLEN];
	struct fake fk = { .reply = reply, .chunk = 4096 };
	struct events ev = { .n = 0 };
	struct config cfg;
	struct review r;
	size_t i;

	(void)state;
	llm_config(&cfg, false);
	assert_int_equal(run(&cfg, &fk, &ev, &r, err), RN_OK);
	assert_int_equal(fk.calls, 1);
	assert_string_equal(fk.model_seen, "fake-model");
	assert_true(seed_offline > 3);
	assert_int_equal(fk.events_at_call, seed_offline);
	for (i = 0; i < ev.n; i++)
		assert_int_equal(ev.source[i], i < seed_offline ? FSRC_OFFLINE :
		    FSRC_LLM);
	assert_int_equal(ev.n, seed_offline + 2);
	assert_int_equal(r.findings.n, seed_offline + 2);
	assert_int_equal(count_source(&r.findings, FSRC_LLM), 2);
	assert_string_equal(r.provider, "openai");
	assert_string_equal(r.summary, "A fair start.");
	assert_int_equal(r.input_tokens, 100);
	assert_false(r.cached);
	/* The final list is sorted by line. */
	for (i = 1; i < r.findings.n; i++)
		assert_true(r.findings.v[i - 1].line <= r.findings.v[i].line);
	review_free(&r);
	config_free(&cfg);
	free(reply);
}

/* Each LLM finding is shown as soon as the stream completes it. */
static void
test_streaming_callbacks(void **state)
{
	char *reply = reply_json(two_quotes, two_lines, 2), err[RN_ERRLEN];
	struct fake fk = { .reply = reply, .chunk = 7 };
	struct events ev = { .n = 0 };
	struct config cfg;
	struct review r;

	(void)state;
	llm_config(&cfg, false);
	assert_int_equal(run(&cfg, &fk, &ev, &r, err), RN_OK);
	/* The first finding was out before the reply's last bytes came
	 * (they close the second). */
	assert_int_equal(fk.events_before_end, seed_offline + 1);
	assert_int_equal(ev.n, seed_offline + 2);
	assert_int_equal(ev.line[seed_offline], 3);
	assert_int_equal(ev.line[seed_offline + 1], 8);
	/* Progress reaches the caller. */
	assert_int_equal(ev.progress, 1);
	review_free(&r);
	config_free(&cfg);
	free(reply);
}

/* The same note asked again comes from the cache, not the LLM. */
static void
test_cache_hit(void **state)
{
	char *reply = reply_json(two_quotes, two_lines, 2), err[RN_ERRLEN];
	struct fake fk = { .reply = reply, .chunk = 64 };
	struct events ev = { .n = 0 }, ev2 = { .n = 0 };
	struct config cfg;
	struct review r;

	(void)state;
	llm_config(&cfg, true);
	assert_int_equal(run(&cfg, &fk, &ev, &r, err), RN_OK);
	assert_false(r.cached);
	review_free(&r);
	assert_int_equal(run(&cfg, &fk, &ev2, &r, err), RN_OK);
	assert_int_equal(fk.calls, 1);
	assert_true(r.cached);
	assert_int_equal(ev2.n, seed_offline + 2);
	assert_int_equal(count_source(&r.findings, FSRC_LLM), 2);
	assert_string_equal(r.summary, "A fair start.");
	review_free(&r);
	config_free(&cfg);
	free(reply);
}

/* A cancelled review keeps its offline findings and caches nothing. */
static void
test_cancellation(void **state)
{
	char *reply = reply_json(two_quotes, two_lines, 2), err[RN_ERRLEN];
	struct fake fk = { .reply = reply, .chunk = 16 };
	struct events ev = { .cancel = true }, ev2 = { .n = 0 };
	struct config cfg;
	struct review r;

	(void)state;
	llm_config(&cfg, true);
	assert_int_equal(run(&cfg, &fk, &ev, &r, err), RN_ECANCEL);
	assert_true(fk.saw_cancel);
	assert_int_equal(r.findings.n, seed_offline);
	assert_int_equal(count_source(&r.findings, FSRC_LLM), 0);
	review_free(&r);
	/* Nothing was cached: the next review asks again. */
	assert_int_equal(run(&cfg, &fk, &ev2, &r, err), RN_OK);
	assert_int_equal(fk.calls, 2);
	assert_false(r.cached);
	review_free(&r);
	config_free(&cfg);
	free(reply);
}

/* The LLM repeating an offline finding does not show it twice. */
static void
test_merge_drops_duplicates(void **state)
{
	const char *quotes[2];
	int lines[2];
	struct review off, r;
	struct events ev = { .n = 0 };
	struct fake fk = { .chunk = 32 };
	const struct finding *dup = NULL;
	char *reply, err[RN_ERRLEN];
	struct config cfg;
	size_t i;

	(void)state;
	/* The offline findings alone, to copy one of them. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.backend = CFG_OFFLINE;
	review_init(&off);
	assert_int_equal(review_run(&cfg, NULL, seed, seed_ovw, rules, NULL,
	    &off, err, sizeof(err)), RN_OK);
	assert_int_equal(off.findings.n, seed_offline);
	for (i = 0; i < off.findings.n && dup == NULL; i++)
		if (off.findings.v[i].kind == FK_INCORRECT)
			dup = &off.findings.v[i];
	assert_non_null(dup);
	quotes[0] = dup->quote;
	lines[0] = dup->line;
	quotes[1] = two_quotes[1];
	lines[1] = two_lines[1];
	reply = reply_json(quotes, lines, 2);
	/* Same kind, line and quote, and the offline finding's words. */
	{
		cJSON *root = cJSON_Parse(reply), *f;
		char *text;

		f = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "findings"), 0);
		cJSON_ReplaceItemInObject(f, "message",
		    cJSON_CreateString(dup->message));
		text = cJSON_PrintUnformatted(root);
		free(reply);
		reply = xstrdup(text);
		cJSON_free(text);
		cJSON_Delete(root);
	}
	fk.reply = reply;
	llm_config(&cfg, false);
	assert_int_equal(run(&cfg, &fk, &ev, &r, err), RN_OK);
	assert_int_equal(ev.n, seed_offline + 1);
	assert_int_equal(r.findings.n, seed_offline + 1);
	assert_int_equal(count_source(&r.findings, FSRC_LLM), 1);
	review_free(&r);
	review_free(&off);
	config_free(&cfg);
	free(reply);
}

/* A reply with no JSON is read from its bullets once it is complete. */
static void
test_markdown_reply(void **state)
{
	struct fake fk = { .chunk = 5, .reply =
	    "## Incorrect statements\n"
	    "- Line 8: \"Pointer is integer-sized value, whose numeric value "
	    "happens to be a memory address.\" A pointer carries a type.\n" };
	struct events ev = { .n = 0 };
	char err[RN_ERRLEN];
	struct config cfg;
	struct review r;
	size_t i;
	bool warned = false;

	(void)state;
	llm_config(&cfg, false);
	assert_int_equal(run(&cfg, &fk, &ev, &r, err), RN_OK);
	assert_int_equal(fk.events_before_end, seed_offline);
	assert_int_equal(count_source(&r.findings, FSRC_LLM), 1);
	assert_int_equal(ev.n, seed_offline + 1);
	for (i = 0; i < r.nwarnings; i++)
		warned |= strstr(r.warnings[i], "not JSON") != NULL;
	assert_true(warned);
	review_free(&r);
	config_free(&cfg);
}

/* A failing completion passes its status and message through. */
static enum rn_status
failing_complete(void *ud, const struct llm_params *p,
    const struct llm_request *req, const struct llm_callbacks *cb,
    struct llm_reply *reply, char *err, size_t errlen)
{
	(void)ud, (void)p, (void)req, (void)cb, (void)reply;
	return rn_fail(err, errlen, RN_ENET, "openai: the API key was "
	    "rejected (401)");
}

static void
test_client_error(void **state)
{
	struct llm_client client = { failing_complete, NULL };
	char err[RN_ERRLEN];
	struct config cfg;
	struct review r;

	(void)state;
	llm_config(&cfg, true);
	review_init(&r);
	assert_int_equal(review_run(&cfg, &client, seed, seed_ovw, rules, NULL,
	    &r, err, sizeof(err)), RN_ENET);
	assert_string_equal(err, "openai: the API key was rejected (401)");
	assert_int_equal(r.findings.n, seed_offline);
	review_free(&r);
	/* An LLM review without a client is refused, not crashed. */
	review_init(&r);
	assert_int_equal(review_run(&cfg, NULL, seed, seed_ovw, rules, NULL,
	    &r, err, sizeof(err)), RN_EFAIL);
	review_free(&r);
	config_free(&cfg);
}

static int
group_setup(void **state)
{
	char err[RN_ERRLEN], *note = source_path(SEED), *ovw =
	    source_path(SEED_OVW), *dir = source_path("rules/memory-model.rules"),
	    *data;
	struct finding_list l;

	if (tmp_create(state, "rn-review") != 0)
		return -1;
	setenv("XDG_CACHE_HOME", ((struct tmp *)*state)->dir, 1);
	setenv("XDG_CONFIG_HOME", ((struct tmp *)*state)->dir, 1);
	unsetenv("RUSTNOTE_API_KEY");
	unsetenv("OPENAI_API_KEY");
	*strrchr(dir, '/') = '\0';
	/* The prompts of this tree, wherever the test runs from. */
	data = xasprintf("%s/..", dir);
	setenv("RUSTNOTE_DATADIR", data, 1);
	free(data);
	if (rules_load_dir(&rules, dir, err, sizeof(err)) != RN_OK ||
	    note_load(note, &seed, err, sizeof(err)) != RN_OK ||
	    ovw_load(ovw, &seed_ovw, err, sizeof(err)) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	flist_init(&l);
	offline_review(seed, seed_ovw, rules, &l);
	seed_offline = l.n;
	flist_free(&l);
	free(note);
	free(ovw);
	free(dir);
	return 0;
}

static int
group_teardown(void **state)
{
	rules_free(rules);
	note_free(seed);
	ovw_free(seed_ovw);
	return *state != NULL ? tmp_teardown(state) : 0;
}

/* Each test starts with an empty cache. */
static int
empty_cache(void **state)
{
	char *cmd = xasprintf("rm -rf '%s/rustnote'",
	    ((struct tmp *)*state)->dir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_offline_first, empty_cache),
		cmocka_unit_test_setup(test_streaming_callbacks, empty_cache),
		cmocka_unit_test_setup(test_cache_hit, empty_cache),
		cmocka_unit_test_setup(test_cancellation, empty_cache),
		cmocka_unit_test_setup(test_merge_drops_duplicates,
		    empty_cache),
		cmocka_unit_test_setup(test_markdown_reply, empty_cache),
		cmocka_unit_test_setup(test_client_error, empty_cache),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
