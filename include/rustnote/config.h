/*
 * config.h - which reviewer to use and how.
 *
 * Every setting is declared once, in config_options[] (config_table.c):
 * its name (the config-file key), type, bounds, default, environment
 * variable, command-line flag and one line of help.  Flags, environment
 * and the config file ($XDG_CONFIG_HOME/rustnote/config, "key = value"
 * lines) all go through that table, so they accept the same values.
 * Precedence, highest first: flag, environment, file, default.  Adding a
 * setting is one row there and one field in struct config.
 */
#ifndef RUSTNOTE_CONFIG_H
#define RUSTNOTE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "rustnote/err.h"

struct compiler;

#define CONFIG_MAX_OPTIONS 48	/* rows config_options[] may hold */

enum config_backend { CFG_OFFLINE, CFG_LLM };

enum config_type {
	CFG_STRING,
	CFG_SECRET,	/* a string never printed (API keys) */
	CFG_BOOL,	/* true/yes/on/1, false/no/off/0 */
	CFG_INT,	/* int field, range-checked */
	CFG_LONG,	/* long field, range-checked */
	CFG_REAL	/* double field, range-checked */
};

/* Where a setting's value came from, lowest precedence first. */
enum config_origin {
	CFG_FROM_DEFAULT, CFG_FROM_FILE, CFG_FROM_ENV, CFG_FROM_FLAG
};

struct config_option {
	const char *name;	/* config-file key: "stall_timeout" */
	enum config_type type;
	double min, max;	/* numbers: the accepted range */
	const char *dflt;	/* default as text; NULL: not set */
	const char *env;	/* environment variable, or NULL */
	const char *flag;	/* long option without "--", or NULL */
	char short_flag;	/* 'm', or 0 */
	const char *flag_value;	/* set by a flag without argument, or NULL */
	const char *arg;	/* the flag's argument in --help: "SEC" */
	const char *help;	/* one line */
	size_t offset;		/* of the field in struct config */
	/* Extra check of a string value: RN_OK or RN_EUSAGE with why. */
	enum rn_status (*check)(const char *value, char *err, size_t errlen);
};

/* The settings; the row after the last has name NULL. */
extern const struct config_option config_options[];
size_t config_noptions(void);
/* The row named name (config-file key), or -1. */
int config_option_index(const char *name);

/* What each LLM provider defaults to; indexed by enum llm_provider_id. */
struct config_provider {
	const char *name;		/* "openai" */
	const char *default_model;
	const char *default_url;
	const char *key_env;		/* its own key variable, or NULL */
	const char *url_env;		/* a variable naming its URL, or NULL */
};

/* "openai" / "anthropic" / "ollama" (any case) -> id; -1 when unknown. */
int config_provider_parse(const char *name);
/* The provider's row, or NULL for an unknown id. */
const struct config_provider *config_provider(int id);
/* Its default base URL ($OLLAMA_HOST for ollama when set). */
const char *config_default_url(int id);

struct config {
	enum config_backend backend;
	int provider;		/* enum llm_provider_id when backend == CFG_LLM */
	char *provider_name;	/* "openai", "anthropic", "ollama", "offline" */
	char *model;
	bool model_default;	/* model is the provider's default, not set */
	char *base_url;		/* NULL: provider default */
	char *api_key;		/* never printed */
	char *key_source;	/* "RUSTNOTE_API_KEY", "config file", ... */
	bool stream;
	bool use_cache;
	bool with_offline;	/* run offline checks beside the LLM */
	int max_tokens;		/* 0: chosen from the prompt's size */
	double temperature;	/* < 0: not set */
	long connect_timeout, first_byte_timeout, stall_timeout, total_timeout;
	int max_attempts;
	long num_ctx;		/* ollama context window; 0: from the prompt */
	char *auth_header;	/* header for the key ("api-key"), or NULL */
	bool auto_offline;	/* nothing configured: say how to set up an LLM */
	char *editor_line;	/* "{editor} --goto {file}:{line}", or NULL */
	char *file;		/* config file used, or NULL */
	bool compile;		/* check the code blocks with rustc */
	char *rustc;		/* "rustc = PATH"; NULL: rustc in PATH */
	long compile_timeout;	/* seconds one code block may take */
	struct compiler *compiler;	/* set by the caller when compile is
					   on; not owned (see rustc.h) */
	/* Per row of config_options[]: where the value came from. */
	enum config_origin origin[CONFIG_MAX_OPTIONS];
	/* The flag ("model", no dashes) or variable ("RUSTNOTE_MODEL"). */
	const char *origin_name[CONFIG_MAX_OPTIONS];
	int origin_line[CONFIG_MAX_OPTIONS];		/* in the file */
};

/* Values from the command line, by row of config_options[]. */
struct config_flags {
	const char *value[CONFIG_MAX_OPTIONS];	/* NULL: not given */
	bool offline;			/* --offline: provider offline */
	const char *config_file;	/* --config FILE */
};

/*
 * Record a flag's value for row name after checking it as the config file
 * would.  RN_OK, or RN_EUSAGE with the reason in err (not naming the flag).
 */
enum rn_status config_flag(struct config_flags *fl, const char *name,
    const char *value, char *err, size_t errlen);

/*
 * Resolve the configuration.  Warnings (config file readable by others)
 * are written to warn (may be empty).  Returns RN_OK, RN_EUSAGE (a bad
 * value, naming where it came from), or RN_ENET when the chosen provider
 * cannot be used (no key).  out is filled in either case; free it with
 * config_free().
 */
enum rn_status config_resolve(const struct config_flags *fl, struct config *out,
    char *warn, size_t warnlen, char *err, size_t errlen);
/*
 * The same without the final check that the provider can be used, for
 * showing the settings: RN_OK or RN_EUSAGE.
 */
enum rn_status config_load(const struct config_flags *fl, struct config *out,
    char *warn, size_t warnlen, char *err, size_t errlen);
/* RN_OK, or RN_ENET when the provider resolved in c needs a missing key. */
enum rn_status config_usable(const struct config *c, char *err, size_t errlen);
/*
 * Parse config text into out (only keys present are set; errors name
 * "name:line").  out must hold defaults (config_resolve does that);
 * for tests.
 */
enum rn_status config_parse(const char *text, const char *name,
    struct config *out, char *err, size_t errlen);
void config_free(struct config *c);

/*
 * Set row i of c from text as the file would ("true", "30", ...):
 * RN_OK, or RN_EUSAGE with why in err ("'x' is not a number").
 */
enum rn_status config_set(struct config *c, size_t i, const char *text,
    char *err, size_t errlen);
/*
 * Row i's value as text into buf: "********" for a set secret, "" when a
 * string or number is not set.
 */
void config_value_text(const struct config *c, size_t i, char *buf,
    size_t len);
/* Where row i's value came from: "flag --model", "environment
 * RUSTNOTE_MODEL", "file PATH:LINE", "default". */
void config_origin_text(const struct config *c, size_t i, char *buf,
    size_t len);

#endif
