/* quirks.c - per-model request fixes kept in the cache folder (quirks.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/cache.h"
#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "rustnote/quirks.h"
#include "rustnote/util.h"

#define QUIRKS_MAX_ENTRY ((size_t)4 << 10)

/* The bits and the names they have in an entry. */
static const struct {
	unsigned bit;
	const char *name;
} quirk_names[] = {
	{ LLM_QUIRK_MAX_COMPLETION_TOKENS, "max_completion_tokens" },
	{ LLM_QUIRK_NO_TEMPERATURE, "no_temperature" },
};

#define NQUIRKS (sizeof quirk_names / sizeof quirk_names[0])

static unsigned long long
hash_str(unsigned long long h, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	h = fnv64(h, &n, sizeof n);
	return s != NULL ? fnv64(h, s, n) : h;
}

static char *
entry_path(const char *provider, const char *base_url, const char *model)
{
	unsigned long long h = FNV64_INIT;
	char *dir = util_cache_dir(), *path;

	h = hash_str(h, provider);
	h = hash_str(h, base_url);
	h = hash_str(h, model);
	path = xasprintf("%s/models/%016llx.json", dir, h);
	free(dir);
	return path;
}

/* The entry names its model: a hash collision is no match. */
static bool
same_model(const cJSON *root, const char *provider, const char *base_url,
    const char *model)
{
	const char *keys[] = { "provider", "base_url", "model" };
	const char *want[] = { provider, base_url, model };
	const cJSON *v;
	size_t i;

	for (i = 0; i < 3; i++) {
		v = cJSON_GetObjectItemCaseSensitive(root, keys[i]);
		if (!cJSON_IsString(v) || want[i] == NULL ||
		    strcmp(v->valuestring, want[i]) != 0)
			return false;
	}
	return true;
}

unsigned
quirks_get(const char *provider, const char *base_url, const char *model)
{
	char *path = entry_path(provider, base_url, model), *text = NULL;
	cJSON *root = NULL;
	unsigned q = 0;
	size_t i;

	if (util_read_file(path, QUIRKS_MAX_ENTRY, &text, NULL, NULL, 0) !=
	    RN_OK)
		goto out;
	root = cJSON_Parse(text);
	if (!cJSON_IsObject(root) || !same_model(root, provider, base_url,
	    model))
		goto out;
	for (i = 0; i < NQUIRKS; i++) {
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root,
		    quirk_names[i].name)))
			q |= quirk_names[i].bit;
	}
out:
	cJSON_Delete(root);
	free(text);
	free(path);
	return q;
}

enum rn_status
quirks_put(const char *provider, const char *base_url, const char *model,
    unsigned quirks, char *err, size_t errlen)
{
	char *path = entry_path(provider, base_url, model);
	cJSON *root = cJSON_CreateObject();
	enum rn_status rc;
	size_t i;

	cJSON_AddStringToObject(root, "provider", provider);
	cJSON_AddStringToObject(root, "base_url", base_url);
	cJSON_AddStringToObject(root, "model", model);
	for (i = 0; i < NQUIRKS; i++)
		cJSON_AddBoolToObject(root, quirk_names[i].name,
		    (quirks & quirk_names[i].bit) != 0);
	rc = cache_write_json(path, root, err, errlen);
	cJSON_Delete(root);
	free(path);
	return rc;
}
