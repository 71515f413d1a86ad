/*
 * rules_parse.c - the rule file format (rules/README.md): "key: value"
 * lines in blocks separated by blank lines.  "#" starts a comment line;
 * an indented line goes on with the value above it.  Each block, once
 * read, goes to rules_build.c.  Errors name the file and the line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"
#include "rules_int.h"

int
rule_parse_fail(struct rule_parser *ps, int line, const char *fmt, ...)
{
	va_list		ap;
	struct buf	msg;
	int		rc;

	buf_init(&msg, RN_ERRLEN);
	va_start(ap, fmt);
	(void)buf_vprintf(&msg, fmt, ap);	/* cut when too long */
	va_end(ap);
	rc = rn_fail(ps->err, ps->errlen, RN_EINPUT, "%s:%d: %s", ps->name,
	    line, buf_str(&msg));
	buf_free(&msg);
	return rc;
}

const struct rule_kv *
rule_kv_get(const struct rule_parser *ps, const char *key)
{
	size_t	i;

	for (i = 0; i < ps->nkv; i++)
		if (ps->kv[i].key[0] == key[0] && strcmp(ps->kv[i].key, key) == 0)
			return &ps->kv[i];
	return NULL;
}

static void
kv_add(struct rule_parser *ps, const char *key, size_t klen,
    const char *value, size_t vlen, int line)
{
	if (ps->nkv == ps->kv_alloc) {
		ps->kv_alloc = ps->kv_alloc ? ps->kv_alloc * 2 : 16;
		ps->kv = xreallocarray(ps->kv, ps->kv_alloc, sizeof *ps->kv);
	}
	ps->kv[ps->nkv].key = xstrndup(key, klen);
	ps->kv[ps->nkv].value = xstrndup(value, vlen);
	ps->kv[ps->nkv].line = line;
	rule_key_read(&ps->kv[ps->nkv]);
	if (ps->nkv++ == 0)
		ps->block_line = line;
}

static void
kv_clear(struct rule_parser *ps)
{
	size_t	i;

	for (i = 0; i < ps->nkv; i++) {
		free(ps->kv[i].key);
		free(ps->kv[i].value);
	}
	ps->nkv = 0;
}

/* The block read so far is complete: add what it defines. */
static int
finish_block(struct rule_parser *ps)
{
	int	rc;

	if (ps->nkv == 0)
		return RN_OK;
	rc = rule_block_add(ps);
	kv_clear(ps);
	return rc;
}

/* A line that starts with white space continues the previous value. */
static int
continue_value(struct rule_parser *ps, const char *s, size_t len, int line)
{
	struct rule_kv	*kv;
	char		*joined;

	if (ps->nkv == 0)
		return rule_parse_fail(ps, line, "indented line outside a "
		    "block");
	kv = &ps->kv[ps->nkv - 1];
	if (rule_key_is_pattern(kv))
		return rule_parse_fail(ps, line, "a pattern must fit on one "
		    "line");
	joined = xasprintf("%s %.*s", kv->value, (int)len, s);
	free(kv->value);
	kv->value = joined;
	return RN_OK;
}

static bool
is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '_';
}

static int
parse_line(struct rule_parser *ps, const char *s, size_t len, int line)
{
	size_t	lead = 0, k = 0, v;

	while (len > 0 && rule_is_blank(s[len - 1]))
		len--;
	while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
		lead++;
	if (lead == len)
		return finish_block(ps);
	if (s[lead] == '#')
		return RN_OK;
	if (lead > 0)
		return continue_value(ps, s + lead, len - lead, line);
	while (k < len && is_key_char(s[k]))
		k++;
	if (k == 0 || k == len || s[k] != ':')
		return rule_parse_fail(ps, line, "expected 'key: value'");
	for (v = k + 1; v < len && (s[v] == ' ' || s[v] == '\t'); v++)
		;
	if (v == len)
		return rule_parse_fail(ps, line, "'%.*s' has no value",
		    (int)k, s);
	kv_add(ps, s, k, s + v, len - v, line);
	return RN_OK;
}

enum rn_status
rules_parse(struct rule_set *rs, const char *name, const char *text,
    char *err, size_t errlen)
{
	struct rule_parser	 ps;
	const char		*p = text, *nl;
	int			 line = 0, rc = RN_OK, bad_line;

	if (!utf8_valid(text, strlen(text), &bad_line, NULL))
		return rn_fail(err, errlen, RN_EINPUT,
		    "%s:%d: invalid UTF-8", name, bad_line);
	memset(&ps, 0, sizeof ps);
	ps.rs = rs;
	ps.name = name;
	ps.err = err;
	ps.errlen = errlen;
	while (rc == RN_OK && *p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		rc = parse_line(&ps, p, nl - p, ++line);
		p = *nl != '\0' ? nl + 1 : nl;
	}
	if (rc == RN_OK)
		rc = finish_block(&ps);
	kv_clear(&ps);
	free(ps.kv);
	rules_build_triggers(rs);
	rule_lexicon_unbuild(rs->lex);	/* new rules or wordings: relink */
	return rc;
}
