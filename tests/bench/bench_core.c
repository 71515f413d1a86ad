/*
 * bench_core - time one core operation in a fresh process, so that peak
 * RSS (getrusage) belongs to that operation alone.
 *
 *   bench_core parse NOTE            load + parse the note
 *   bench_core offline NOTE OVERVIEW load, parse and review offline
 *   bench_core path FILE             load a learning path, every section
 *
 * Prints "<ms> <peak RSS MiB> <detail>" on one line.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/note.h"
#include "rustnote/offline.h"
#include "rustnote/overview.h"

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

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "parse") == 0)
		return bench_parse(argv[2]);
	if (argc == 4 && strcmp(argv[1], "offline") == 0)
		return bench_offline(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "path") == 0)
		return bench_path(argv[2]);
	fprintf(stderr, "usage: bench_core parse NOTE | offline NOTE OVW | "
	    "path FILE\n");
	return 2;
}
