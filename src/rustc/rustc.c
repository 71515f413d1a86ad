/*
 * rustc.c - run rustc on the note's code blocks (see rustc.h).
 *
 * Processes are started with posix_spawn (no shell), stdin from
 * /dev/null, stdout and stderr into a file of the private folder, and
 * polled; the version is asked once per rustc binary and kept in the
 * cache folder, so a review whose verdicts are all cached starts nothing;
 * it is asked when a review first has code to check, not at start-up.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/rustc.h"
#include "rustnote/util.h"

#define OUTPUT_MAX ((size_t)4 << 20)	/* diagnostics kept per block */
#define POLL_NS 2000000L		/* 2 ms between looks */
#define VERSION_MS 10000L
#define MAX_PARALLEL 8

extern char **environ;

struct rustc_impl {
	char *path;
	pthread_mutex_t lock;	/* probe() may come from two reviews */
	bool probed;
};

struct running {
	pid_t pid;
	size_t job;
	long start_ms;
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The file for name: itself when it has a '/', else found in PATH. */
static char *
find_binary(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	char *cand;

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	for (p = path != NULL ? path : "/usr/bin:/bin"; *p != '\0'; p = end) {
		end = p + strcspn(p, ":");
		cand = xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (end > p && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		if (*end == ':')
			end++;
	}
	return NULL;
}

/* Start argv[0] in dir (NULL: here) with stdout+stderr into out_file. */
static int
spawn(const char *const argv[], const char *dir, const char *out_file,
    pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out_file,
	    O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (dir != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 34)
	/* rustc gets none of ours: the terminal, the history, sockets. */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGHUP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawnattr_setpgroup(&at, 0);	/* killed with its children */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	/* posix_spawn does not write argv; its type predates const. */
	rc = posix_spawn(pid, argv[0], &fa, &at, (char *const *)argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static void
kill_and_reap(pid_t pid)
{
	int st;

	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

static void
nap(void)
{
	struct timespec ts = { 0, POLL_NS };

	nanosleep(&ts, NULL);
}

/* Wait for pid up to limit_ms; returns its exit code, -1 when killed. */
static int
wait_for(pid_t pid, long limit_ms)
{
	long start = now_ms();
	int st;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() - start > limit_ms) {
			kill_and_reap(pid);
			return -1;
		}
		nap();
	}
}

/* --- the private folder ------------------------------------------------ */

static int
remove_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static char *
make_private_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *tpl = xasprintf("%s/rustnote-rustc-XXXXXX", tmp != NULL &&
	    tmp[0] == '/' ? tmp : "/tmp");

	if (mkdtemp(tpl) == NULL) {
		free(tpl);
		return NULL;
	}
	return tpl;
}

static char *
read_output(const char *path, size_t *len)
{
	char *text = NULL;

	if (util_read_file(path, OUTPUT_MAX, &text, len, NULL, 0) != RN_OK) {
		*len = 0;
		return xstrdup("");
	}
	return text;
}

/* --- the version ------------------------------------------------------- */

/* Where the version of this very binary (path, size, time) is kept. */
static char *
version_cache_path(const char *path)
{
	struct stat st;
	unsigned long long h = FNV64_INIT;
	char *dir, *p;

	if (stat(path, &st) != 0)
		return NULL;
	h = fnv64(h, path, strlen(path));
	h = fnv64(h, &st.st_size, sizeof(st.st_size));
	h = fnv64(h, &st.st_mtim, sizeof(st.st_mtim));
	h = fnv64(h, &st.st_ino, sizeof(st.st_ino));
	dir = util_cache_dir();
	p = xasprintf("%s/rustc/version-%016llx", dir, h);
	free(dir);
	return p;
}

/* Run `rustc --version`; its first line, or NULL. */
static char *
ask_version(const char *path)
{
	char *dir = make_private_dir(), *out, *text = NULL;
	const char *argv[] = { path, "--version", NULL };
	size_t len;
	pid_t pid;

	if (dir == NULL)
		return NULL;
	out = util_path_join(dir, "version");
	if (spawn(argv, NULL, out, &pid) == 0 && wait_for(pid, VERSION_MS) ==
	    0) {
		text = read_output(out, &len);
		text[strcspn(text, "\r\n")] = '\0';
	}
	free(out);
	remove_tree(dir);
	free(dir);
	return text;
}

static char *
version_of(const char *path)
{
	char *cache = version_cache_path(path), *text = NULL, *dir, err[64];

	if (cache != NULL && util_read_file(cache, 256, &text, NULL, NULL, 0)
	    == RN_OK && str_starts_with(text, "rustc "))
		goto out;
	free(text);
	text = ask_version(path);
	if (text != NULL && cache != NULL && str_starts_with(text, "rustc ")) {
		dir = util_dirname(cache);
		if (util_mkdirs(dir, 0700) == 0)
			util_write_file_atomic(cache, text, strlen(text), 0600,
			    err, sizeof(err));
		free(dir);
	}
out:
	free(cache);
	return text;
}

/* --- running the jobs ---------------------------------------------------- */

static const char *
edition_arg(int edition)
{
	switch (edition) {
	case 2015: return "2015";
	case 2018: return "2018";
	case 2024: return "2024";
	default: return "2021";
	}
}

static void
start_job(const struct rustc_impl *ri, const char *dir,
    struct compile_job *j, struct running *slot, size_t index)
{
	char *src = xasprintf("%s/%s.rs", dir, j->name);
	char *out = xasprintf("%s/%s.out", dir, j->name);
	char *file = xasprintf("%s.rs", j->name), err[RN_ERRLEN];
	const char *argv[] = { ri->path, "--edition", edition_arg(j->edition),
	    "--crate-type", j->lib ? "lib" : "bin", "--crate-name",
	    j->name, "--emit=metadata", "--error-format=json",
	    "-A", "warnings", "--out-dir", ".", file, NULL };
	int rc;

	slot->pid = 0;
	slot->job = index;
	slot->start_ms = now_ms();
	if (util_write_file_atomic(src, j->source, strlen(j->source), 0600,
	    err, sizeof(err)) != RN_OK) {
		j->outcome = CO_ERROR;
		j->output = xstrdup(err);
	} else if ((rc = spawn(argv, dir, out, &slot->pid)) != 0) {
		j->outcome = CO_ERROR;
		j->output = xasprintf("cannot run %s: %s", ri->path,
		    strerror(rc));
		slot->pid = 0;
	}
	free(file);
	free(out);
	free(src);
}

static void
finish_job(const char *dir, struct compile_job *j, int status, long start)
{
	char *out = xasprintf("%s/%s.out", dir, j->name);

	j->outcome = CO_DONE;
	j->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (!WIFEXITED(status))
		j->outcome = CO_ERROR;
	j->output = read_output(out, &j->output_len);
	if (j->outcome == CO_ERROR) {
		free(j->output);
		j->output = xstrdup("rustc was killed by a signal");
		j->output_len = strlen(j->output);
	}
	j->elapsed_ms = now_ms() - start;
	free(out);
}

/* Kill a running job: it ran out of time or the review was cancelled. */
static void
stop_job(struct compile_job *j, struct running *r, enum compile_outcome o)
{
	kill_and_reap(r->pid);
	r->pid = 0;
	j->outcome = o;
	j->elapsed_ms = now_ms() - r->start_ms;
}

static int
parallel_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_PARALLEL ? MAX_PARALLEL : (int)n;
}

/* One look at every running job; returns how many still run. */
static int
poll_running(const char *dir, struct compile_job *jobs, struct running *run,
    int nrun, const struct compile_limits *lim, enum compile_outcome stop)
{
	int i, st, left = 0;
	pid_t r;

	for (i = 0; i < nrun; i++) {
		struct running *s = &run[i];
		struct compile_job *j = &jobs[s->job];

		if (s->pid == 0)
			continue;
		if (stop != CO_DONE) {
			stop_job(j, s, stop);
			continue;
		}
		r = waitpid(s->pid, &st, WNOHANG);
		if (r == s->pid) {
			finish_job(dir, j, st, s->start_ms);
			s->pid = 0;
		} else if (now_ms() - s->start_ms > lim->block_ms)
			stop_job(j, s, CO_TIMEOUT);
		else
			left++;
	}
	return left;
}

static void
rustc_run(struct compiler *c, struct compile_job *jobs, size_t n,
    const struct compile_limits *lim, bool (*cancelled)(void *ud), void *ud)
{
	struct rustc_impl *ri = c->impl;
	struct running run[MAX_PARALLEL];
	int width = parallel_jobs(), i, busy = 0;
	long start = now_ms();
	enum compile_outcome stop = CO_DONE;
	size_t next = 0;
	char *dir = make_private_dir();

	if (dir == NULL) {
		for (next = 0; next < n; next++) {
			jobs[next].outcome = CO_ERROR;
			jobs[next].output = xasprintf("cannot make a temporary "
			    "folder: %s", strerror(errno));
		}
		return;
	}
	memset(run, 0, sizeof(run));
	for (;;) {
		if (cancelled != NULL && cancelled(ud))
			stop = CO_CANCELLED;
		else if (now_ms() - start > lim->total_ms)
			stop = CO_TIMEOUT;
		busy = poll_running(dir, jobs, run, width, lim, stop);
		for (i = 0; i < width && stop == CO_DONE && next < n; i++) {
			if (run[i].pid == 0) {
				start_job(ri, dir, &jobs[next], &run[i], next);
				busy += run[i].pid != 0;
				next++;
			}
		}
		if (stop != CO_DONE || (busy == 0 && next >= n))
			break;
		nap();
	}
	for (; next < n; next++)
		jobs[next].outcome = stop;
	remove_tree(dir);
	free(dir);
}

static void
rustc_destroy(struct compiler *c)
{
	struct rustc_impl *ri;

	if (c == NULL)
		return;
	ri = c->impl;
	if (ri != NULL) {
		free(ri->path);
		pthread_mutex_destroy(&ri->lock);
	}
	free(ri);
	free(c->version);
	free(c->problem);
	free(c);
}

/* "rustc 1.63.0 (...)" -> 1, 63; false when it is not rustc's. */
static bool
parse_version(const char *v, int *major, int *minor)
{
	return v != NULL && sscanf(v, "rustc %d.%d", major, minor) == 2;
}

/* Its version, once: what it says decides whether it can be used. */
static void
rustc_probe(struct compiler *c)
{
	struct rustc_impl *ri = c->impl;

	pthread_mutex_lock(&ri->lock);
	if (ri->probed || ri->path == NULL)
		goto out;
	ri->probed = true;
	c->version = version_of(ri->path);
	if (!parse_version(c->version, &c->major, &c->minor))
		c->problem = xasprintf("%s does not answer as rustc does",
		    ri->path);
	else if (c->major == 1 && c->minor < RUSTC_MIN_MINOR)
		c->problem = xasprintf("%s is too old (needs 1.%d or later)",
		    c->version, RUSTC_MIN_MINOR);
out:
	pthread_mutex_unlock(&ri->lock);
}

struct compiler *
rustc_compiler_new(const char *path)
{
	struct compiler *c = xcalloc(1, sizeof(*c));
	struct rustc_impl *ri = xcalloc(1, sizeof(*ri));
	const char *name = path != NULL && path[0] != '\0' ? path : "rustc";

	c->impl = ri;
	c->probe = rustc_probe;
	c->run = rustc_run;
	c->destroy = rustc_destroy;
	pthread_mutex_init(&ri->lock, NULL);
	ri->path = find_binary(name);
	if (ri->path == NULL)
		c->problem = xstrdup("rustc not found");
	return c;
}
