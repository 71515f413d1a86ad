/*
 * bench_core - time one core operation in a fresh process, so that peak
 * RSS (getrusage) belongs to that operation alone.
 *
 *   bench_core parse NOTE            load + parse the note
 *   bench_core offline NOTE OVERVIEW load, parse and review offline
 *   bench_core rules                 load the rule files, check examples
 *   bench_core path FILE             load a learning path, every section
 *   bench_core anchor                anchor 100 findings in 10 000 lines
 *   bench_core stream                a 4 MB reply fed 1 byte at a time
 *
 * Prints "<ms> <peak RSS MiB> <detail>" on one line.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/history.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"
#include "rustnote/util.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
report(double t0, const char *detail)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("%.2f %.1f %s\n", now_ms() - t0, ru.ru_maxrss / 1024.0, detail);
	return 0;
}

static int
bench_parse(const char *path)
{
	char err[RN_ERRLEN], detail[64];
	double t0 = now_ms();
	struct note *n;

	if (note_load(path, &n, err, sizeof(err)) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	snprintf(detail, sizeof(detail), "%d lines, %d blocks", n->nlines,
	    n->nblocks);
	report(t0, detail);
	note_free(n);
	return 0;
}

static int
bench_offline(const char *path, const char *ovw_path)
{
	char err[RN_ERRLEN], detail[64];
	struct rule_set *rules = NULL;
	struct finding_list fl;
	struct overview *o;
	struct note *n;
	double t0 = now_ms();

	if (note_load(path, &n, err, sizeof(err)) != RN_OK ||
	    ovw_load(ovw_path, &o, err, sizeof(err)) != RN_OK ||
	    rules_load_default(&rules, err, sizeof(err)) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	flist_init(&fl);
	offline_review(n, o, rules, &fl);
	snprintf(detail, sizeof(detail), "%d lines, %zu findings", n->nlines,
	    fl.n);
	report(t0, detail);
	flist_free(&fl);
	rules_free(rules);
	ovw_free(o);
	note_free(n);
	return 0;
}

/* Load the bundled and user rule files and check every example. */
static int
bench_rules(void)
{
	char err[RN_ERRLEN], detail[64];
	struct rule_set *rules = NULL;
	double t0 = now_ms();

	if (rules_load_default(&rules, err, sizeof(err)) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	snprintf(detail, sizeof(detail), "%zu rules", rules_count(rules));
	report(t0, detail);
	rules_free(rules);
	return 0;
}

static int
bench_path(const char *path)
{
	char err[RN_ERRLEN], detail[64];
	struct ovw_path *p;
	double t0 = now_ms();
	int i, topics = 0;

	if (ovw_path_load(path, &p, err, sizeof(err)) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	for (i = 0; i < p->nsections; i++)
		topics += p->sections[i].ovw != NULL ?
		    p->sections[i].ovw->ntopics : 0;
	snprintf(detail, sizeof(detail), "%d sections, %d topics",
	    p->nsections, topics);
	report(t0, detail);
	ovw_path_free(p);
	return 0;
}

/* 100 quotes, exact, re-spaced, absent and elided, in a 10 000-line note. */
static int
bench_anchor(void)
{
	char err[RN_ERRLEN], detail[64];
	struct finding_list l;
	struct finding f;
	struct note *n;
	struct buf b;
	double t0;
	int i, found = 0;

	buf_init(&b, 0);
	buf_adds(&b, "# Big note\n");
	for (i = 2; i <= 10000; i++)
		buf_printf(&b, "- Item %d: the *stack* frame of call %d holds "
		    "`x` and the heap block %d.\n", i, i, i);
	if (note_parse("big.md", buf_str(&b), b.len, &n, err, sizeof(err)) !=
	    RN_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	flist_init(&l);
	for (i = 0; i < 100; i++) {
		memset(&f, 0, sizeof(f));
		f.quote = i % 4 == 0 ? xasprintf("the stack frame of call %d "
		    "holds", i * 97 + 2) : i % 4 == 1 ? xasprintf("Item %d: "
		    "the stack  frame of call %d holds x", i * 97 + 2,
		    i * 97 + 2) : i % 4 == 2 ? xasprintf("a sentence the note "
		    "does not hold %d", i) : xasprintf("Item %d: the ... heap "
		    "block %d", i * 97 + 2, i * 97 + 2);
		f.model_line = i;
		flist_push(&l, &f);
	}
	t0 = now_ms();
	finding_anchor_all(&l, n);
	for (i = 0; i < 100; i++)
		found += l.v[i].line > 0;
	snprintf(detail, sizeof(detail), "%d of 100 anchored", found);
	report(t0, detail);
	flist_free(&l);
	note_free(n);
	buf_free(&b);
	return 0;
}

static void
count_finding(void *ud, struct finding *f)
{
	(*(int *)ud)++;
	finding_free(f);
}

/* One 4 MB message, fed a byte at a time: linear or not. */
static int
bench_stream(void)
{
	struct finding_stream *fs;
	char detail[64];
	struct buf b;
	size_t i;
	double t0;
	int n = 0;

	buf_init(&b, 0);
	buf_adds(&b, "{\"summary\": \"s\", \"findings\": [{\"kind\": \"gap\", "
	    "\"message\": \"");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "forty bytes of message text, repeated. ");
	buf_adds(&b, "\"}]}");
	t0 = now_ms();
	fs = fstream_new(count_finding, &n);
	for (i = 0; i < b.len; i++)
		fstream_feed(fs, b.data + i, 1);
	fstream_free(fs);
	snprintf(detail, sizeof(detail), "%.1f MB, %d finding", b.len / 1e6,
	    n);
	report(t0, detail);
	buf_free(&b);
	return 0;
}

/* The history write of one review: 8 findings compared with the note's
 * last review and stored, the mean over HIST_WRITES reviews of one note
 * (half its findings change each time). */
#define HIST_WRITES 200

static void
add_finding(struct finding_list *l, int k, int round)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.kind = (enum finding_kind)(k % FK_COUNT);
	f.severity = FS_MEDIUM;
	f.source = FSRC_OFFLINE;
	f.line = f.end_line = k * 7 + 1;
	f.quote = xasprintf("quoted words of finding %d, round %d", k,
	    k < 4 ? 0 : round);
	f.message = xasprintf("What is wrong with the words of finding %d.",
	    k);
	f.rule_id = xstrdup("bench-rule");
	flist_push(l, &f);
}

static int
bench_history(const char *db)
{
	struct hist_record_in in = { "/bench/notes/02-memory.md", 42, "2",
	    "offline", NULL, false, 0 };
	char err[RN_ERRLEN];
	struct finding_list l;
	struct rusage ru;
	struct hist *h;
	double t0, per;
	int i, k;

	if (hist_open(db, &h, err, sizeof(err)) != RN_OK) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	flist_init(&l);
	t0 = now_ms();
	for (i = 0; i < HIST_WRITES; i++) {
		flist_clear(&l);
		for (k = 0; k < 8; k++)
			add_finding(&l, k, i);
		if (hist_record(h, &in, &l, NULL, err, sizeof(err)) != RN_OK) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	per = (now_ms() - t0) / HIST_WRITES;
	getrusage(RUSAGE_SELF, &ru);
	printf("%.2f %.1f %d reviews of 8 findings, WAL\n", per,
	    ru.ru_maxrss / 1024.0, HIST_WRITES);
	flist_free(&l);
	hist_close(h);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "parse") == 0)
		return bench_parse(argv[2]);
	if (argc == 4 && strcmp(argv[1], "offline") == 0)
		return bench_offline(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "path") == 0)
		return bench_path(argv[2]);
	if (argc == 2 && strcmp(argv[1], "rules") == 0)
		return bench_rules();
	if (argc == 2 && strcmp(argv[1], "anchor") == 0)
		return bench_anchor();
	if (argc == 2 && strcmp(argv[1], "stream") == 0)
		return bench_stream();
	if (argc == 3 && strcmp(argv[1], "history") == 0)
		return bench_history(argv[2]);
	fprintf(stderr, "usage: bench_core parse NOTE | offline NOTE OVW | "
	    "path FILE | anchor | stream | history DB\n");
	return 2;
}
