/*
 * prompt.h - assemble the reviewer prompt from templates in prompts/.
 *
 * system.md holds the reviewer's role, goal and reply format; user.md holds
 * the message that carries the overview and the numbered note.  Templates
 * are looked up in $XDG_CONFIG_HOME/rustnote/prompts/ first (user
 * overrides), then in the installed or source-tree prompts/ folder.
 * Placeholders: {{title}} {{overview}} {{note}} {{note_name}}
 * {{overview_name}} {{topics}} {{rules}} {{rustc}} (rustc's verdicts on
 * the note's code blocks, one line each, or "(not checked)")
 * {{curriculum}}.  When the overview is a section of a learning path,
 * {{curriculum}} is curriculum.md filled in ({{path_name}} {{section}}
 * {{earlier}} {{later}}); else it is empty.
 */
#ifndef RUSTNOTE_PROMPT_H
#define RUSTNOTE_PROMPT_H

#include <stddef.h>

#include "rustnote/err.h"

struct note;
struct overview;

struct prompt {
	char *system;
	char *user;
	char *schema;		/* JSON schema of the reply (findings.schema.json) */
	unsigned long long template_hash;	/* of the templates used */
};

enum rn_status prompt_build(const struct note *n, const struct overview *o,
    struct prompt *out, char *err, size_t errlen);
/* Same, with rustc's verdicts for {{rustc}} (NULL: not checked). */
enum rn_status prompt_build_with(const struct note *n, const struct overview *o,
    const char *verdicts, struct prompt *out, char *err, size_t errlen);
void prompt_free(struct prompt *p);

/*
 * Read the template prompts/NAME, the user's copy first; its name and text
 * are mixed into *hash (so the cache notices an edited template).
 */
enum rn_status prompt_load(const char *name, char **out,
    unsigned long long *hash, char *err, size_t errlen);
/*
 * Where the overview stands in its learning path: prompts/curriculum.md
 * with this section, the earlier ones (taken as known) and the later
 * ones (not to be taught here), each with its topics; "" when o is no
 * section of a path.  The template is mixed into *hash.
 */
enum rn_status prompt_curriculum(const struct overview *o, char **out,
    unsigned long long *hash, char *err, size_t errlen);
/* The note's body as "NNN | text" lines (front matter left out). */
char *prompt_number_lines(const struct note *n);
/* Replace {{name}} placeholders; unknown ones are left as they are. */
char *prompt_expand(const char *tpl, const char *const *names,
    const char *const *values, size_t count);

#endif
