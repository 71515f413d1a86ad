/* util.c - allocation, files, paths, UTF-8 and string helpers. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rustnote/err.h"
#include "rustnote/util.h"

#ifndef RN_DATADIR
#define RN_DATADIR "/usr/local/share/rustnote"
#endif

static void (*fatal_hook)(void);

void
util_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	if (fatal_hook != NULL)
		fatal_hook();
	fputs("rustnote: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb != 0 ? nmemb : 1, size != 0 ? size : 1);

	if (p == NULL)
		fatal("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n != 0 ? n : 1);

	if (q == NULL)
		fatal("out of memory (%zu bytes)", n);
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		fatal("allocation too large");
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Like strndup: copies at most n bytes, stopping at a NUL. */
char *
xstrndup(const char *s, size_t n)
{
	char *p;

	n = strnlen(s, n);
	p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("out of memory");
	return p;
}

/* "1 MiB", "256 KiB": a limit as a person writes it, into the caller's
 * buffer (this runs on the review worker and the screen thread alike). */
static const char *
size_name(size_t n, char *name, size_t len)
{
	if (n >= (1 << 20) && n % (1 << 20) == 0)
		snprintf(name, len, "%zu MiB", n >> 20);
	else
		snprintf(name, len, "%zu KiB", n >> 10);
	return name;
}

enum rn_status
util_open_error(const char *path, int e, char *err, size_t errlen)
{
	if (e == ENOENT)
		return rn_fail(err, errlen, RN_EINPUT, "%s: no such file",
		    path);
	if (e == EACCES || e == EPERM)
		return rn_fail(err, errlen, RN_EINPUT, "%s: permission denied",
		    path);
	return rn_fail(err, errlen, RN_EINPUT, "%s: %s", path, strerror(e));
}

/* Read an open descriptor to the end, refusing more than maxlen bytes. */
static enum rn_status
read_all(int fd, const char *path, size_t maxlen, char **out, size_t *outlen,
    char *err, size_t errlen)
{
	size_t len = 0, alloc = 4096;
	char *data = xmalloc(alloc), limit[32];
	ssize_t n;

	for (;;) {
		if (len + 1 >= alloc) {
			alloc *= 2;
			data = xrealloc(data, alloc);
		}
		n = read(fd, data + len, alloc - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(data);
			return rn_fail(err, errlen, RN_EINPUT, "%s: %s", path,
			    strerror(errno));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > maxlen) {
			free(data);
			return rn_fail(err, errlen, RN_EINPUT,
			    "%s: larger than %s", path, size_name(maxlen, limit,
			    sizeof(limit)));
		}
	}
	data[len] = '\0';
	*out = data;
	if (outlen != NULL)
		*outlen = len;
	return RN_OK;
}

enum rn_status
util_read_file(const char *path, size_t maxlen, char **out, size_t *outlen,
    char *err, size_t errlen)
{
	struct stat st;
	char limit[32];
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return util_open_error(path, errno, err, errlen);
	if (fstat(fd, &st) != 0) {
		rc = rn_fail(err, errlen, RN_EINPUT, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = rn_fail(err, errlen, RN_EINPUT, "%s: is a directory",
		    path);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > maxlen) {
		rc = rn_fail(err, errlen, RN_EINPUT,
		    "%s: larger than %s (%jd bytes)", path, size_name(maxlen,
		    limit, sizeof(limit)), (intmax_t)st.st_size);
		goto out;
	}
	rc = read_all(fd, path, maxlen, out, outlen, err, errlen);
out:
	close(fd);
	return rc;
}

enum rn_status
util_write_file_atomic(const char *path, const void *data, size_t len,
    int mode, char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	const char *p = data;
	int fd, rc = RN_EFAIL;
	ssize_t n;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		rn_fail(err, errlen, RN_EFAIL, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rn_fail(err, errlen, RN_EFAIL, "%s: %s", tmp,
			    strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		rn_fail(err, errlen, RN_EFAIL, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = RN_OK;
out:
	free(tmp);
	return rc;
}

int
util_mkdirs(const char *path, int mode)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, mode) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

char *
util_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

char *
util_path_join(const char *dir, const char *name)
{
	size_t n;

	if (name[0] == '/' || dir == NULL || dir[0] == '\0')
		return xstrdup(name);
	n = strlen(dir);
	if (dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

bool
util_file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

char *
util_exe_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	return util_dirname(path);
}

/* $XDG_<kind>_HOME/rustnote, else ~/<fallback>/rustnote. */
static char *
xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var), *home;

	if (v != NULL && v[0] == '/')
		return xasprintf("%s/rustnote", v);
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0')
		home = "/tmp";
	return xasprintf("%s/%s/rustnote", home, fallback);
}

char *
util_config_dir(void)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config");
}

char *
util_cache_dir(void)
{
	return xdg_dir("XDG_CACHE_HOME", ".cache");
}

char *
util_data_dir(void)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share");
}

/* Return base/rel when it exists (base is freed), else NULL. */
static char *
try_data(char *base, const char *rel)
{
	char *p;

	if (base == NULL)
		return NULL;
	p = util_path_join(base, rel);
	free(base);
	if (util_file_exists(p))
		return p;
	free(p);
	return NULL;
}

char *
util_data_path(const char *rel, bool user_first)
{
	const char *env = getenv("RUSTNOTE_DATADIR");
	char *exe = util_exe_dir(), *p = NULL;

	if (user_first)
		p = try_data(util_config_dir(), rel);
	if (p == NULL && env != NULL && env[0] != '\0')
		p = try_data(xstrdup(env), rel);
	if (p == NULL && exe != NULL)
		p = try_data(xstrdup(exe), rel);
	/* build/asan/rustnote in a source tree */
	if (p == NULL && exe != NULL)
		p = try_data(xasprintf("%s/../..", exe), rel);
	if (p == NULL && exe != NULL)
		p = try_data(xasprintf("%s/../share/rustnote", exe), rel);
	if (p == NULL)
		p = try_data(xstrdup(RN_DATADIR), rel);
	free(exe);
	return p;
}

size_t
utf8_decode(const char *s, size_t avail, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c, min;
	size_t n, i;

	*cp = 0xFFFD;
	if (avail == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2; c &= 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3; c &= 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4; c &= 0x07; min = 0x10000;
	} else
		return 1;
	if (avail < n)
		return 1;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 1;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 1;
	*cp = c;
	return n;
}

size_t
utf8_seqlen(const char *s, size_t avail)
{
	unsigned cp;
	size_t n = utf8_decode(s, avail, &cp);

	return n != 0 ? n : 1;
}

/* The end of the run of ASCII bytes from i: eight at a time, most text. */
static size_t
ascii_run(const char *s, size_t len, size_t i)
{
	uint64_t	w;

	while (len - i >= 8) {
		memcpy(&w, s + i, 8);
		if ((w & 0x8080808080808080ULL) != 0)
			break;
		i += 8;
	}
	while (i < len && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

/* 1-based line of offset off: counted only when there is an error. */
static int
line_at(const char *s, size_t off)
{
	const char	*p = s, *end = s + off, *nl;
	int		 line = 1;

	while ((nl = memchr(p, '\n', end - p)) != NULL) {
		line++;
		p = nl + 1;
	}
	return line;
}

bool
utf8_valid(const char *s, size_t len, int *bad_line, size_t *bad_off)
{
	size_t i = 0, n;
	unsigned cp;

	while ((i = ascii_run(s, len, i)) < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1) {
			if (bad_line != NULL)
				*bad_line = line_at(s, i);
			if (bad_off != NULL)
				*bad_off = i;
			return false;
		}
		i += n;
	}
	return true;
}

bool
str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_iequal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

char *
str_trim(char *s)
{
	char *start = s, *end;

	while (*start != '\0' && isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (start != s)
		memmove(s, start, (size_t)(end - start) + 1);
	return s;
}

const char *
str_icase_find(const char *hay, const char *needle)
{
	return strcasestr(hay, needle);
}

unsigned long long
fnv64(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *u = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= u[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

const char *
util_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}
