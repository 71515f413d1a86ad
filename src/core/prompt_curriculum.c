/*
 * prompt_curriculum.c - where the note stands in its learning path, for
 * the prompt: prompts/curriculum.md filled with this section, the ones
 * before it (known) and the ones after it (not to be taught here).
 */
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/overview.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"

/* "1. Why Rust?" or "Control flow". */
static void
add_name(struct buf *b, const struct ovw_section *s)
{
	if (s->number > 0)
		buf_printf(b, "%d. %s", s->number, s->title);
	else
		buf_adds(b, s->title);
}

/* "- 1. Why Rust?: Memory safety; Zero-cost abstractions" per section. */
static char *
section_lines(const struct ovw_path *p, int from, int to)
{
	const struct overview *o;
	struct buf b;
	int i, k;

	buf_init(&b, 0);
	for (i = from; i < to; i++) {
		buf_adds(&b, "- ");
		add_name(&b, &p->sections[i]);
		o = p->sections[i].ovw;
		for (k = 0; o != NULL && k < o->ntopics; k++)
			buf_printf(&b, "%s%s", k == 0 ? ": " : "; ",
			    o->topics[k].title);
		if (i + 1 < to)
			buf_addc(&b, '\n');
	}
	if (b.len == 0)
		buf_adds(&b, "- (none)");
	return buf_steal(&b);
}

static char *
this_section(const struct ovw_section *s)
{
	struct buf b;

	buf_init(&b, 0);
	if (s->number > 0)
		buf_printf(&b, "section %d: %s", s->number, s->title);
	else
		buf_printf(&b, "the section \"%s\"", s->title);
	return buf_steal(&b);
}

enum rn_status
prompt_curriculum(const struct overview *o, char **out,
    unsigned long long *hash, char *err, size_t errlen)
{
	static const char *const names[] = { "path_name", "section",
	    "earlier", "later" };
	const struct ovw_path *p = o->in_path;
	const char *values[4];
	char *tpl = NULL, *section, *earlier, *later;
	int rc;

	*out = NULL;
	if (p == NULL || p->single) {
		*out = xstrdup("");
		return RN_OK;
	}
	rc = prompt_load("curriculum.md", &tpl, hash, err, errlen);
	if (rc != RN_OK)
		return rc;
	section = this_section(&p->sections[o->section]);
	earlier = section_lines(p, 0, o->section);
	later = section_lines(p, o->section + 1, p->nsections);
	values[0] = util_base_name(p->path);
	values[1] = section;
	values[2] = earlier;
	values[3] = later;
	*out = prompt_expand(tpl, names, values, 4);
	free(section);
	free(earlier);
	free(later);
	free(tpl);
	return RN_OK;
}
