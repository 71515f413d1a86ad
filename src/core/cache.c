/* cache.c - review replies cached on disk (see cache.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/cache.h"
#include "rustnote/err.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"

#define CACHE_FORMAT 1
#define CACHE_MAX_ENTRY ((size_t)16 << 20)
/* More tokens than any model takes in or gives out: the count is bad. */
#define CACHE_MAX_TOKENS 1e12

/* Hash a field with its length, so "ab"+"c" and "a"+"bc" differ. */
static unsigned long long
hash_field(unsigned long long h, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	h = fnv64(h, &n, sizeof(n));
	return s != NULL ? fnv64(h, s, n) : h;
}

void
cache_key(const char *provider, const char *base_url, const char *model,
    const struct prompt *p, char key[CACHE_KEY_LEN])
{
	/* Two independently seeded 64-bit hashes make a 128-bit key. */
	unsigned long long seeds[2] = { FNV64_INIT, 0x84222325cbf29ce4ULL };
	unsigned long long h[2];
	int i;

	for (i = 0; i < 2; i++) {
		h[i] = fnv64(seeds[i], &p->template_hash,
		    sizeof(p->template_hash));
		h[i] = hash_field(h[i], provider);
		h[i] = hash_field(h[i], base_url);
		h[i] = hash_field(h[i], model);
		h[i] = hash_field(h[i], p->system);
		h[i] = hash_field(h[i], p->user);
		h[i] = hash_field(h[i], p->schema);
	}
	snprintf(key, CACHE_KEY_LEN, "%016llx%016llx", h[0], h[1]);
}

static char *
entry_path(const char *key)
{
	char *dir = util_cache_dir();
	char *path = xasprintf("%s/reviews/%s.json", dir, key);

	free(dir);
	return path;
}

/*
 * A token count of an entry, or -1 ("unknown") when it is absent, not a
 * number, not finite or out of range: a file on disk may hold anything,
 * and casting such a double to long is undefined.
 */
static long
token_count(const cJSON *root, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
	double d;

	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	if (!isfinite(d) || d < 0 || d > CACHE_MAX_TOKENS)
		return -1;
	return (long)d;
}

bool
cache_entry_parse(const char *text, size_t len, struct cache_entry *e)
{
	cJSON *root, *reply, *fmt;
	bool ok = false;

	memset(e, 0, sizeof(*e));
	root = cJSON_ParseWithLength(text, len);
	fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	reply = cJSON_GetObjectItemCaseSensitive(root, "reply");
	if (cJSON_IsNumber(fmt) && fmt->valueint == CACHE_FORMAT &&
	    cJSON_IsString(reply)) {
		e->reply = xstrdup(reply->valuestring);
		e->truncated = cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(root, "truncated"));
		e->input_tokens = token_count(root, "input_tokens");
		e->output_tokens = token_count(root, "output_tokens");
		ok = true;
	}
	cJSON_Delete(root);
	return ok;
}

bool
cache_get(const char *key, struct cache_entry *e)
{
	char *path = entry_path(key), *text = NULL;
	size_t len = 0;
	bool hit = false;

	memset(e, 0, sizeof(*e));
	if (util_read_file(path, CACHE_MAX_ENTRY, &text, &len, NULL, 0) ==
	    RN_OK)
		hit = cache_entry_parse(text, len, e);
	free(text);
	free(path);
	return hit;
}

enum rn_status
cache_write_json(const char *path, const void *json, char *err,
    size_t errlen)
{
	char *dir = util_dirname(path), *text = cJSON_PrintUnformatted(json);
	enum rn_status rc = RN_EFAIL;

	if (text == NULL) {
		rn_fail(err, errlen, RN_EFAIL, "cache: out of memory");
		goto out;
	}
	if (util_mkdirs(dir, 0700) != 0) {
		rn_fail(err, errlen, RN_EFAIL, "cache: cannot create %s", dir);
		goto out;
	}
	rc = util_write_file_atomic(path, text, strlen(text), 0600, err,
	    errlen);
out:
	cJSON_free(text);
	free(dir);
	return rc;
}

enum rn_status
cache_put(const char *key, const struct cache_entry *e, char *err,
    size_t errlen)
{
	char *path = entry_path(key);
	cJSON *root = cJSON_CreateObject();
	enum rn_status rc;

	cJSON_AddNumberToObject(root, "format", CACHE_FORMAT);
	cJSON_AddStringToObject(root, "reply", e->reply);
	cJSON_AddBoolToObject(root, "truncated", e->truncated);
	cJSON_AddNumberToObject(root, "input_tokens", (double)e->input_tokens);
	cJSON_AddNumberToObject(root, "output_tokens",
	    (double)e->output_tokens);
	rc = cache_write_json(path, root, err, errlen);
	cJSON_Delete(root);
	free(path);
	return rc;
}

void
cache_entry_free(struct cache_entry *e)
{
	free(e->reply);
	e->reply = NULL;
}
