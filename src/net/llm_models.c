/*
 * llm_models.c - the model list a server offers, and the one-line status
 * shown while a reply is awaited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/err.h"
#include "rustnote/llm.h"
#include "provider.h"
#include "rustnote/util.h"

#define MODELS_MAX 4096		/* names kept from one list */

int
llm_models_collect(const cJSON *array, const char *key, char ***names,
    size_t *n)
{
	const cJSON *item;
	const char *name;
	size_t count = 0;
	char **v;

	if (!cJSON_IsArray(array))
		return RN_EREPLY;
	v = xcalloc((size_t)cJSON_GetArraySize(array) + 1, sizeof *v);
	cJSON_ArrayForEach(item, array) {
		name = llm_json_str(item, key);
		if (name == NULL || *name == '\0' || count >= MODELS_MAX)
			continue;
		/* A name from the network is shown: clean it first. */
		v[count++] = llm_clean_message(name, strlen(name), NULL);
	}
	v[count] = NULL;
	*names = v;
	*n = count;
	return RN_OK;
}

int
llm_models_parse(const struct llm_provider *pv, const char *body,
    size_t len, char ***names, size_t *n)
{
	cJSON *root;
	int rc;

	*names = NULL;
	*n = 0;
	if (body == NULL)
		return RN_EREPLY;
	root = cJSON_ParseWithLength(body, len);
	rc = cJSON_IsObject(root) ? pv->models_read(root, names, n) :
	    RN_EREPLY;
	cJSON_Delete(root);
	return rc;
}

void
llm_models_free(char **models, size_t n)
{
	size_t i;

	if (models == NULL)
		return;
	for (i = 0; i < n; i++)
		free(models[i]);
	free(models);
}

const char *
llm_progress_status(const struct llm_progress *p, char *buf, size_t len)
{
	if (p->thinking) {
		snprintf(buf, len, "thinking\u2026");
		return buf;
	}
	if (p->waiting >= 1.0) {
		snprintf(buf, len, "waiting for the model (%ld s)",
		    (long)p->waiting);
		return buf;
	}
	return NULL;
}
