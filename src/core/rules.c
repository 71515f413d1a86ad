/*
 * rules.c - rule files for the offline reviewer: load the bundled rules
 * and then the user's, check every rule against its examples, free a set.
 *
 * Rules are data, not code, so that a teacher can add a misconception
 * without touching C; every rule carries examples that must and must not
 * set it off, and those are checked when the file is loaded.  The format
 * is read by rules_parse.c and rules_build.c; rules_int.h lists the
 * other files.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/cancel.h"
#include "rustnote/err.h"
#include "rustnote/offline.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"

#define RULE_FILE_MAX	((size_t)1 << 20)

static enum rn_status
check_one(const char *file, const char *id, const struct rule_example *ex,
    bool fired, char *err, size_t errlen)
{
	if (fired == ex->fire)
		return RN_OK;
	/* A stop asked for midway leaves texts unread: no fault of the rule */
	if (cancel_requested())
		return rn_fail(err, errlen, RN_ECANCEL, "interrupted");
	return rn_fail(err, errlen, RN_EINPUT, "%s:%d: '%s' %s \"%s\"",
	    file, ex->line, id, ex->fire ? "does not fire on its example" :
	    "fires on its counter-example", ex->text);
}

static void
mask_set(unsigned long long *mask, size_t c)
{
	if (c != RULE_NO_CONCEPT)
		mask[c / 64] |= 1ULL << (c % 64);
}

static void
mask_item(unsigned long long *mask, const struct rule_item *it)
{
	size_t	a;

	for (a = 0; a < it->nalt; a++)
		mask_set(mask, it->alt[a]);
}

/*
 * The concepts rule r can ask about, and those that steer the reading of
 * any sentence (negation, contrast): an example read for these alone
 * gives r the same answer as one read for every concept, for less.
 */
static void
rule_mask(const struct rule_set *rs, const struct rule *r,
    unsigned long long *mask, size_t words)
{
	const struct rule_lexicon	*lx = rs->lex;
	size_t				 i, k;

	memset(mask, 0, words * sizeof *mask);
	mask_set(mask, lx->neg);
	mask_set(mask, lx->neg_all);
	mask_set(mask, lx->but);
	mask_set(mask, lx->instead);
	for (i = 0; i < r->nall; i++)
		for (k = 0; k < r->all[i].nitems; k++)
			mask_item(mask, &r->all[i].items[k]);
	mask_item(mask, &r->none);
}

/*
 * Item i of the set: rule i, or term i - nrules; its examples checked.
 * A rule is read for its own concepts (mask); with mask NULL, for all,
 * which only an item that needs no lexicon may ask for while it is made.
 */
static enum rn_status
check_item(struct rule_set *rs, size_t i, struct rule_text *t,
    unsigned long long *mask, size_t words, char *err, size_t errlen)
{
	struct rule		*r;
	struct rule_term	*tm;
	size_t			 k;
	enum rn_status		 rc = RN_OK;

	if (i < rs->nrules) {
		r = &rs->rules[i];
		if (mask != NULL)
			rule_mask(rs, r, mask, words);
		t->only = mask;
		for (k = 0; !r->checked && !r->disabled && k < r->nex &&
		    rc == RN_OK; k++)
			rc = check_one(r->file, r->id, &r->ex[k],
			    rule_fires_in(rs, r, NULL, r->ex[k].text, t), err,
			    errlen);
		t->only = NULL;
		r->checked = rc == RN_OK;
		return rc;
	}
	tm = &rs->terms[i - rs->nrules];
	for (k = 0; !tm->checked && k < tm->nex && rc == RN_OK; k++)
		rc = check_one(tm->file, tm->id, &tm->ex[k],
		    rule_fires_in(rs, NULL, tm, tm->ex[k].text, t), err,
		    errlen);
	tm->checked = rc == RN_OK;
	return rc;
}

/*
 * The items of a set (rules, then terms) checked by two threads.  Items
 * that need no lexicon (terms, rules without "all:" lines) are checked
 * while it is linked; the others once it is.  Each thread takes the next
 * item not taken, so neither waits while the other has work.  The first
 * failure in file order is kept: an item after it is not checked.
 */
struct check_pool {
	struct rule_set	*rs;
	size_t		 n;
	bool		*late;		/* per item: needs the lexicon */
	atomic_size_t	 next_early, next_late;	/* the next to take */
	atomic_size_t	 failed_at;	/* the first item failed, or n */
	pthread_mutex_t	 lock;		/* guards failing and linking */
	pthread_cond_t	 linked_cv;
	int		 linked;	/* 0 linking, 1 linked, -1 failed */
	atomic_bool	 link_over;	/* linked read without the lock */
	enum rn_status	 rc;
	char		 err[RN_ERRLEN];
};

static void
pool_fail(struct check_pool *pl, size_t i, enum rn_status rc,
    const char *err)
{
	pthread_mutex_lock(&pl->lock);
	if (i < atomic_load(&pl->failed_at)) {
		atomic_store(&pl->failed_at, i);
		pl->rc = rc;
		snprintf(pl->err, sizeof pl->err, "%s", err);
	}
	pthread_mutex_unlock(&pl->lock);
}

/* Take and check the items of one kind, late or not, until none is left. */
static void
pool_take(struct check_pool *pl, bool late, struct rule_text *t,
    unsigned long long *mask, size_t words)
{
	atomic_size_t	*next = late ? &pl->next_late : &pl->next_early;
	char		 err[RN_ERRLEN];
	enum rn_status	 rc;
	size_t		 i;

	while ((i = atomic_fetch_add(next, 1)) < pl->n) {
		if (pl->late[i] != late || i > atomic_load(&pl->failed_at))
			continue;
		if ((rc = check_item(pl->rs, i, t, mask, words, err,
		    sizeof err)) != RN_OK)
			pool_fail(pl, i, rc, err);
	}
}

static void
pool_set_linked(struct check_pool *pl, int linked)
{
	atomic_store(&pl->link_over, true);
	pthread_mutex_lock(&pl->lock);
	pl->linked = linked;
	pthread_cond_broadcast(&pl->linked_cv);
	pthread_mutex_unlock(&pl->lock);
}

/* Wait for the lexicon: false if it failed to link. */
static bool
pool_wait_linked(struct check_pool *pl)
{
	int	linked;

	pthread_mutex_lock(&pl->lock);
	while (pl->linked == 0)
		pthread_cond_wait(&pl->linked_cv, &pl->lock);
	linked = pl->linked;
	pthread_mutex_unlock(&pl->lock);
	return linked > 0;
}

static void
prepare_all(const struct rule_pats *ps)
{
	size_t	i;

	for (i = 0; i < ps->n; i++)
		rule_pat_prepare(ps->v[i]);
}

/*
 * While the lexicon is still being linked, the patterns of the late
 * items are read for their literals, as their first search would.
 */
static void
pool_prepare(struct check_pool *pl)
{
	size_t	i;

	prepare_all(&pl->rs->veto);
	for (i = 0; i < pl->rs->nrules && !atomic_load(&pl->link_over); i++)
		if (pl->late[i]) {
			prepare_all(&pl->rs->rules[i].match);
			prepare_all(&pl->rs->rules[i].unless);
		}
}

/*
 * One thread's share: early items, then, once linked, late ones.  The
 * thread that does not link prepares the late items meanwhile.
 */
static void
pool_work(struct check_pool *pl, bool linking)
{
	struct rule_text	 t;
	unsigned long long	*mask = NULL;
	size_t			 words;

	rule_text_init(&t);
	pool_take(pl, false, &t, NULL, 0);
	if (!linking)
		pool_prepare(pl);
	if (pool_wait_linked(pl)) {
		words = pl->rs->lex->nc / 64 + 1;
		mask = xcalloc(words, sizeof *mask);
		pool_take(pl, true, &t, mask, words);
	}
	rule_text_free(&t);
	free(mask);
}

static void *
pool_thread(void *arg)
{
	pool_work(arg, false);
	return NULL;
}

static void
pool_init(struct check_pool *pl, struct rule_set *rs)
{
	size_t	i;

	memset(pl, 0, sizeof *pl);
	pl->rs = rs;
	pl->n = rs->nrules + rs->nterms;
	pl->late = xcalloc(pl->n + 1, sizeof *pl->late);
	for (i = 0; i < rs->nrules; i++)
		pl->late[i] = rs->rules[i].nall > 0 &&
		    !rs->rules[i].disabled && !rs->rules[i].checked;
	atomic_init(&pl->next_early, 0);
	atomic_init(&pl->next_late, 0);
	atomic_init(&pl->failed_at, pl->n);
	atomic_init(&pl->link_over, false);
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->linked_cv, NULL);
	pl->rc = RN_OK;
}

static void
pool_free(struct check_pool *pl)
{
	pthread_mutex_destroy(&pl->lock);
	pthread_cond_destroy(&pl->linked_cv);
	free(pl->late);
}

#define CHECK_SPLIT	64	/* fewer items are checked on one thread */

/*
 * Every example is checked on each load, so a program that starts often
 * pays for it each time: the set is read-only but for the lexicon, which
 * the first thread links meanwhile, and each thread reads its own texts,
 * so two threads check them.  A lexicon that fails to link is the error
 * reported, before any example's; else the first failure in file order.
 */
enum rn_status
rules_check_examples(struct rule_set *rs, char *err, size_t errlen)
{
	struct check_pool	 pl;
	pthread_t		 second;
	bool			 two;
	enum rn_status		 rc;

	pool_init(&pl, rs);
	two = pl.n >= CHECK_SPLIT &&
	    pthread_create(&second, NULL, pool_thread, &pl) == 0;
	rc = rules_link(rs, err, errlen);
	pool_set_linked(&pl, rc == RN_OK ? 1 : -1);
	if (rc == RN_OK)
		pool_work(&pl, true);
	if (two)
		pthread_join(second, NULL);
	if (rc == RN_OK && (rc = pl.rc) != RN_OK)
		snprintf(err, errlen, "%s", pl.err);
	pool_free(&pl);
	return rc;
}

static struct rule_set *
set_new(void)
{
	return xcalloc(1, sizeof(struct rule_set));
}

enum rn_status
rules_load_text(struct rule_set **rs, const char *name, const char *text,
    char *err, size_t errlen)
{
	int	rc;

	if (*rs == NULL)
		*rs = set_new();
	if ((rc = rules_parse(*rs, name, text, err, errlen)) != RN_OK)
		return rc;
	return rules_check_examples(*rs, err, errlen);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_rule_file(const char *name)
{
	size_t	len = strlen(name);

	return name[0] != '.' && len > 6 &&
	    strcmp(name + len - 6, ".rules") == 0;
}

/* The *.rules names of dir, sorted so the load order is stable. */
static enum rn_status
list_rule_files(const char *dir, char ***out, size_t *n, char *err,
    size_t errlen)
{
	DIR		*d;
	struct dirent	*de;

	*out = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return rn_fail(err, errlen, RN_EINPUT, "%s: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!is_rule_file(de->d_name))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(*out, *n, sizeof **out, compare_names);
	return RN_OK;
}

/*
 * The files of a folder are read and parsed on two threads, each into a
 * set of its own, then merged in file order into the folder's set as if
 * read into it one after the other: a file's reading depends on no other
 * file's (a later one's rules replace an earlier one's when merged).
 */
struct file_job {
	const char	 *dir;
	char		**names;
	size_t		  n;
	bool		  trusted;	/* these files passed before */
	atomic_size_t	  next;		/* the next file to take */
	struct file_read {
		char			*path;
		char			*text;		/* until parsed */
		struct rule_digest	 digest;	/* of its bytes */
		struct rule_set		*set;
		enum rn_status		 rc;
		char			 err[RN_ERRLEN];
	}		 *read;
};

/* The files' bytes, and their digests: a few reads of a megabyte. */
static void
read_bytes(struct file_job *j)
{
	struct file_read	*fr;
	size_t			 i, len;

	for (i = 0; i < j->n; i++) {
		fr = &j->read[i];
		fr->path = util_path_join(j->dir, j->names[i]);
		fr->rc = util_read_file(fr->path, RULE_FILE_MAX, &fr->text,
		    &len, fr->err, sizeof fr->err);
		rule_digest_init(&fr->digest);
		if (fr->rc == RN_OK)
			rule_digest_add(&fr->digest, fr->text, len);
	}
}

static void
parse_one(struct file_job *j, size_t i)
{
	struct file_read	*fr = &j->read[i];

	fr->set = set_new();
	fr->set->trusted = j->trusted;
	if (fr->rc == RN_OK)
		fr->rc = rules_parse(fr->set, fr->path, fr->text, fr->err,
		    sizeof fr->err);
	free(fr->text);
	fr->text = NULL;
}

static void *
parse_files(void *arg)
{
	struct file_job	*j = arg;
	size_t		 i;

	while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
		parse_one(j, i);
	return NULL;
}

/*
 * Merge the sets read in file order, up to and with the first that
 * failed (what a file had before its error is kept, as before): its
 * error is the one given.
 */
static enum rn_status
merge_files(struct rule_set *rs, struct file_job *j, char *err,
    size_t errlen)
{
	enum rn_status	rc = RN_OK;
	size_t		i;

	for (i = 0; i < j->n; i++) {
		if (rc == RN_OK) {
			rules_merge(rs, j->read[i].set);
			if ((rc = j->read[i].rc) != RN_OK)
				snprintf(err, errlen, "%s", j->read[i].err);
		}
		rules_free(j->read[i].set);
	}
	rules_merged(rs);
	return rc;
}

/* The set's seal, with the files just read: what was loaded, in order. */
static void
seal_files(struct rule_set *rs, const struct file_job *j)
{
	struct rule_digest	d = { rs->seal[0], rs->seal[1] };
	size_t			i;

	for (i = 0; i < j->n; i++) {
		rule_digest_add(&d, j->names[i], strlen(j->names[i]));
		rule_digest_add(&d, &j->read[i].digest,
		    sizeof j->read[i].digest);
	}
	rs->seal[0] = d.a;
	rs->seal[1] = d.b;
}

static void
mark_checked(struct rule_set *rs)
{
	size_t	i;

	for (i = 0; i < rs->nrules; i++)
		rs->rules[i].checked = true;
	for (i = 0; i < rs->nterms; i++)
		rs->terms[i].checked = true;
	rs->stamped = true;
}

/*
 * The digest the stamp keeps for the set as loaded so far, with the
 * program that reads it: false if there is no stamp to ask, or the
 * program cannot be told apart from another build.
 */
static bool
stamp_digest(const struct rule_set *rs, const char *stamp,
    struct rule_digest *d)
{
	rule_digest_init(d);
	if (stamp == NULL || !rule_digest_program(d))
		return false;
	rule_digest_add(d, rs->seal, sizeof rs->seal);
	return true;
}

/*
 * The examples checked, unless this program passed these very files
 * before (then they are linked only, their patterns compiled when first
 * searched); a pass is stamped.
 */
static enum rn_status
check_unless_stamped(struct rule_set *rs, bool trusted, const char *stamp,
    const struct rule_digest *d, char *err, size_t errlen)
{
	enum rn_status	rc;

	rs->trusted = trusted;
	if (trusted) {
		if ((rc = rules_link(rs, err, errlen)) == RN_OK)
			mark_checked(rs);
		return rc;
	}
	rs->stamped = false;
	rc = rules_check_examples(rs, err, errlen);
	if (rc == RN_OK && stamp != NULL && !cancel_requested())
		rule_stamp_keep(stamp, d);
	return rc;
}

/*
 * Did this program pass these files before: by the user's stamp, or by
 * the one the build left in the folder (shipped: the bundled folder's
 * only)?
 */
static bool
stamped_before(const char *stamp, const char *dir, bool shipped,
    const struct rule_digest *d)
{
	char	*built;
	bool	 held;

	if (rule_stamp_holds(stamp, d))
		return true;
	if (!shipped)
		return false;
	built = rule_stamp_shipped(dir);
	held = rule_stamp_holds(built, d);
	free(built);
	return held;
}

static enum rn_status
load_dir(struct rule_set **rs, const char *dir, const char *stamp,
    bool shipped, char *err, size_t errlen)
{
	struct file_job		 j;
	struct rule_digest	 d;
	pthread_t		 second;
	size_t			 i;
	bool			 two;
	int			 rc;

	memset(&j, 0, sizeof j);
	if ((rc = list_rule_files(dir, &j.names, &j.n, err, errlen)) != RN_OK)
		return rc;
	if (*rs == NULL)
		*rs = set_new();
	j.dir = dir;
	j.read = xcalloc(j.n + 1, sizeof *j.read);
	read_bytes(&j);
	seal_files(*rs, &j);
	if (!stamp_digest(*rs, stamp, &d))
		stamp = NULL;
	j.trusted = stamp != NULL && stamped_before(stamp, dir, shipped, &d);
	atomic_init(&j.next, 0);
	two = j.n > 1 && pthread_create(&second, NULL, parse_files, &j) == 0;
	parse_files(&j);
	if (two)
		pthread_join(second, NULL);
	rc = merge_files(*rs, &j, err, errlen);
	/* Examples last: a file's veto patterns apply to the others too. */
	if (rc == RN_OK)
		rc = check_unless_stamped(*rs, j.trusted, stamp, &d, err,
		    errlen);
	for (i = 0; i < j.n; i++) {
		free(j.names[i]);
		free(j.read[i].path);
	}
	free(j.names);
	free(j.read);
	return rc;
}

enum rn_status
rules_load_dir(struct rule_set **rs, const char *dir, char *err,
    size_t errlen)
{
	return load_dir(rs, dir, NULL, false, err, errlen);
}

static bool
is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

enum rn_status
rules_load_default(struct rule_set **out, char *err, size_t errlen)
{
	struct rule_set	*rs = NULL;
	char		*bundled, *cfg = NULL, *user = NULL, *stamp = NULL;
	int		 rc;

	*out = NULL;
	if ((bundled = util_data_path("rules", false)) == NULL)
		return rn_fail(err, errlen, RN_EINPUT, "cannot find the "
		    "bundled rules folder (set RUSTNOTE_DATADIR to the folder "
		    "that holds rules/)");
	stamp = rule_stamp_path();
	if ((rc = load_dir(&rs, bundled, stamp, true, err, errlen)) != RN_OK)
		goto out;
	if ((cfg = util_config_dir()) != NULL) {
		user = util_path_join(cfg, "rules");
		if (is_dir(user) && strcmp(user, bundled) != 0)
			rc = load_dir(&rs, user, stamp, false, err, errlen);
	}
out:
	if (rc == RN_OK)
		*out = rs;
	else
		rules_free(rs);
	free(bundled);
	free(cfg);
	free(user);
	free(stamp);
	return rc;
}

size_t
rules_count(const struct rule_set *rs)
{
	size_t	i, n = 0;

	if (rs == NULL)
		return 0;
	for (i = 0; i < rs->nrules; i++)
		if (!rs->rules[i].disabled)
			n++;
	return n;
}

void
rules_free(struct rule_set *rs)
{
	size_t	i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nrules; i++)
		rule_clear(&rs->rules[i]);
	for (i = 0; i < rs->nterms; i++)
		rule_term_clear(&rs->terms[i]);
	free(rs->rules);
	free(rs->terms);
	rule_ids_free(&rs->rule_ids);
	rule_ids_free(&rs->term_ids);
	free(rs->trig);
	rule_pats_free(&rs->defer);
	rule_pats_free(&rs->veto);
	for (i = 0; i < rs->nsame; i++)
		free(rs->same[i]);
	free(rs->same);
	rule_lexicon_free(rs->lex);
	free(rs);
}
