/*
 * rules_stamp.c - remember which sets of rule files passed their check.
 *
 * Every example of every rule is checked when the rules load, so that a
 * rule that no longer catches its own sentences is reported at once.
 * The outcome depends only on the rule files' bytes and on the program
 * that reads them: a set that passed, unchanged and read by the same
 * program, passes again.  So the digest of a set that passed is kept in
 * $XDG_CACHE_HOME/rustnote/rules-checked (a few lines, newest first),
 * and a start that finds its digest there links the rules without
 * checking their examples again.  Only a pass is kept: an edited file
 * has another digest, so it is checked, and a failure is seen each time.
 * The build leaves such a stamp beside the bundled rules (checked.stamp,
 * made by `make` with the program it built), so even a first start
 * trusts the bundled set; a user's own files are checked on their own
 * first start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/util.h"
#include "rules_int.h"

#define STAMP_LINES	16	/* digests kept: programs and rule folders */
#define STAMP_HEX	32	/* hex digits of a digest */
#define STAMP_LINE_LEN	(STAMP_HEX + 1)	/* and its "\n" */
#define STAMP_MAX	(STAMP_LINES * STAMP_LINE_LEN)

void
rule_digest_init(struct rule_digest *d)
{
	d->a = 0x9e3779b97f4a7c15ULL;
	d->b = 0xc2b2ae3d27d4eb4fULL;
}

static unsigned long long
rotl(unsigned long long x, int k)
{
	return x << k | x >> (64 - k);
}

static void
mix_word(struct rule_digest *d, unsigned long long w)
{
	d->a = (d->a ^ w) * 0xff51afd7ed558ccdULL;
	d->a ^= d->a >> 32;
	d->b = rotl(d->b ^ w, 29) * 0xc4ceb9fe1a85ec53ULL;
}

/*
 * Eight bytes a step, two lanes of 64 bits: a megabyte of rules takes a
 * fraction of a millisecond, and a chance collision is out of reach.
 */
void
rule_digest_add(struct rule_digest *d, const void *p, size_t n)
{
	const unsigned char	*u = p;
	unsigned long long	 w;
	size_t			 i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, u + i, 8);
		mix_word(d, w);
	}
	w = 0;
	memcpy(&w, u + i, n - i);
	mix_word(d, w);
	mix_word(d, n);		/* "ab" + "c" is not "a" + "bc" */
}

/*
 * The program that reads the rules: the bytes of its file, which any
 * other build changes.  Its bytes rather than its inode or its time, so
 * that a copy (make install) is the same program, and the stamp a build
 * leaves beside its rules (rule_stamp_shipped) holds for it.  A couple
 * of megabytes hash in about a millisecond.  False where the file
 * cannot be read; the examples are then checked each time.
 */
bool
rule_digest_program(struct rule_digest *d)
{
	unsigned char	 chunk[1 << 16];
	FILE		*f;
	size_t		 n;
	bool		 ok;

	if ((f = fopen("/proc/self/exe", "rb")) == NULL)
		return false;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		rule_digest_add(d, chunk, n);
	ok = !ferror(f);
	fclose(f);
	return ok;
}

static void
digest_hex(const struct rule_digest *d, char out[STAMP_HEX + 1])
{
	snprintf(out, STAMP_HEX + 1, "%016llx%016llx", d->a, d->b);
}

char *
rule_stamp_shipped(const char *rules_dir)
{
	return util_path_join(rules_dir, "checked.stamp");
}

char *
rule_stamp_path(void)
{
	char	*dir = util_cache_dir(), *path;

	if (dir == NULL)
		return NULL;
	path = util_path_join(dir, "rules-checked");
	free(dir);
	return path;
}

/* The file's text, or NULL: a missing or unreadable file holds nothing. */
static char *
stamp_read(const char *path)
{
	char	 err[RN_ERRLEN], *text = NULL;
	size_t	 len;

	if (util_read_file(path, STAMP_MAX, &text, &len, err, sizeof err) !=
	    RN_OK)
		return NULL;
	return text;
}

/* Does line-start s hold digest hex (a whole line of it)? */
static bool
line_is(const char *s, const char *hex)
{
	size_t	n = strlen(hex);

	return strncmp(s, hex, n) == 0 && (s[n] == '\n' || s[n] == '\0');
}

bool
rule_stamp_holds(const char *path, const struct rule_digest *d)
{
	char	 hex[STAMP_HEX + 1], *text, *s, *nl;
	bool	 found = false;

	if (path == NULL || (text = stamp_read(path)) == NULL)
		return false;
	digest_hex(d, hex);
	for (s = text; s != NULL && !found; s = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		found = line_is(s, hex);
	}
	free(text);
	return found;
}

/*
 * The digest first, then the older ones but it, up to STAMP_LINES.  The
 * file is replaced whole (a rename), so two programs starting at once
 * leave one list or the other, never a mix; failing to write costs the
 * next start a check, nothing more.
 */
void
rule_stamp_keep(const char *path, const struct rule_digest *d)
{
	char		 hex[STAMP_HEX + 1], err[RN_ERRLEN], *old, *s, *nl;
	char		*dir, *slash;
	struct buf	 out;
	int		 kept = 1;

	if (path == NULL)
		return;
	digest_hex(d, hex);
	buf_init(&out, STAMP_MAX);
	buf_printf(&out, "%s\n", hex);
	old = stamp_read(path);
	for (s = old; s != NULL && *s != '\0' && kept < STAMP_LINES; s = nl) {
		nl = strchr(s, '\n');
		nl = nl != NULL ? nl + 1 : s + strlen(s);
		if ((size_t)(nl - s) == STAMP_LINE_LEN && s[STAMP_HEX] == '\n' &&
		    !line_is(s, hex)) {
			buf_add(&out, s, STAMP_LINE_LEN);
			kept++;
		}
	}
	free(old);
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		(void)util_mkdirs(dir, 0700);
	}
	free(dir);
	(void)util_write_file_atomic(path, buf_str(&out), out.len, 0600,
	    err, sizeof err);
	buf_free(&out);
}
