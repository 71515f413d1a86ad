/*
 * config.h - which reviewer to use and how: flags > environment > config
 * file ($XDG_CONFIG_HOME/rustnote/config, "key = value" lines) > defaults.
 */
#ifndef RUSTNOTE_CONFIG_H
#define RUSTNOTE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum config_backend { CFG_OFFLINE, CFG_LLM };

struct config {
	enum config_backend backend;
	int provider;		/* enum llm_provider_id when backend == CFG_LLM */
	char *provider_name;	/* "openai", "anthropic", "ollama", "offline" */
	char *model;
	char *base_url;		/* NULL: provider default */
	char *api_key;		/* never printed */
	char *key_source;	/* "RUSTNOTE_API_KEY", "config file", ... */
	bool stream;
	bool use_cache;
	bool with_offline;	/* run offline checks beside the LLM */
	int max_tokens;
	double temperature;
	long connect_timeout, stall_timeout, total_timeout;
	int max_attempts;
	bool auto_offline;	/* nothing configured: say how to set up an LLM */
	char *file;		/* config file used, or NULL */
};

/* Values from the command line; NULL / -1 / false mean "not given". */
struct config_flags {
	const char *provider;
	const char *model;
	const char *base_url;
	bool offline;
	bool no_stream;
	bool no_cache;
	bool no_offline;
	long stall_timeout;
	const char *config_file;	/* --config FILE */
};

/*
 * Resolve the configuration.  Warnings (config file readable by others)
 * are written to warn (may be empty).  Returns RN_OK or RN_EUSAGE.
 */
int config_resolve(const struct config_flags *fl, struct config *out,
    char *warn, size_t warnlen, char *err, size_t errlen);
/* Parse config text into out (only keys present are set); for tests. */
int config_parse(const char *text, const char *name, struct config *out,
    char *err, size_t errlen);
void config_free(struct config *c);

#endif
