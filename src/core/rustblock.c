/*
 * rustblock.c - find the note's Rust code blocks and build the crate
 * rustc is given for each (see rustblock.h).  The claims the note makes
 * about a block are read in rustblock_claim.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/note.h"
#include "rustnote/rustblock.h"
#include "rustnote/util.h"

/* The attribute that makes every compiled block quiet about unused code. */
#define CRATE_PRELUDE "#![allow(unused)]"

static bool
word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

/* "E0382": an error code as rustdoc lists them after compile_fail. */
static bool
is_error_code(const char *w, size_t n)
{
	size_t i;

	if (n != 5 || w[0] != 'E')
		return false;
	for (i = 1; i < n; i++) {
		if (!isdigit((unsigned char)w[i]))
			return false;
	}
	return true;
}

static void
apply_word(struct rblk_attrs *a, const char *w, size_t n)
{
	if (word_is(w, n, "rust") || word_is(w, n, "rs"))
		a->rust = true;
	else if (word_is(w, n, "ignore") || (n > 7 &&
	    memcmp(w, "ignore-", 7) == 0))
		a->ignore = true;
	else if (word_is(w, n, "no_run"))
		a->no_run = true;
	else if (word_is(w, n, "compile_fail"))
		a->compile_fail = true;
	else if (word_is(w, n, "should_panic"))
		a->should_panic = true;
	else if (n == 11 && memcmp(w, "edition", 7) == 0 &&
	    isdigit((unsigned char)w[7]))
		a->edition = atoi(w + 7);
	else if (is_error_code(w, n)) {
		if (a->code[0] == '\0')
			memcpy(a->code, w, n + 1 > RBLK_CODE_LEN ?
			    RBLK_CODE_LEN - 1 : n);
	} else if (word_is(w, n, "test_harness") ||
	    word_is(w, n, "standalone_crate") || word_is(w, n, "allow_fail"))
		;	/* rustdoc attributes that change nothing here */
	else
		a->other_lang = true;
}

void
rblk_parse_info(const char *info, struct rblk_attrs *out)
{
	const char *p = info != NULL ? info : "", *w;
	bool any = false;

	memset(out, 0, sizeof(*out));
	while (*p != '\0') {
		if (*p == '(') {	/* rustdoc comment: (reason) */
			while (*p != '\0' && *p != ')')
				p++;
			if (*p == ')')
				p++;
			continue;
		}
		if (strchr(" \t,{}.", *p) != NULL) {
			p++;
			continue;
		}
		w = p;
		while (*p != '\0' && strchr(" \t,{}(", *p) == NULL)
			p++;
		apply_word(out, w, (size_t)(p - w));
		any = true;
	}
	/* Attributes alone make a Rust block, as in rustdoc. */
	if (any && !out->other_lang)
		out->rust = true;
	if (out->code[0] != '\0' && !out->compile_fail)
		out->code[0] = '\0';
}

/* --- reading Rust text: comments, strings, characters -------------------- */

/* Skip white space and comments (nested block comments too). */
static const char *
skip_trivia(const char *p)
{
	int depth;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '/' && p[1] == '/') {
			p += strcspn(p, "\n");
			continue;
		}
		if (p[0] != '/' || p[1] != '*')
			return p;
		for (p += 2, depth = 1; *p != '\0' && depth > 0; p++) {
			if (p[0] == '/' && p[1] == '*')
				depth++, p++;
			else if (p[0] == '*' && p[1] == '/')
				depth--, p++;
		}
	}
}

/* p at a quote: skip the string ("...", r#"..."#); returns past it. */
static const char *
skip_string(const char *p)
{
	int hashes = 0, k;

	if (*p == 'r') {
		for (p++; *p == '#'; p++)
			hashes++;
		if (*p != '"')
			return p;
		for (p++; *p != '\0'; p++) {
			if (*p != '"')
				continue;
			for (k = 0; k < hashes && p[1 + k] == '#'; k++)
				;
			if (k == hashes)
				return p + 1 + hashes;
		}
		return p;
	}
	for (p++; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
	}
	return *p == '"' ? p + 1 : p;
}

/* p at '\'': a character literal, or a lifetime ('a) left as it is. */
static const char *
skip_char(const char *p)
{
	size_t n;

	if (p[1] == '\\') {
		for (p += 2; *p != '\0' && *p != '\'' && *p != '\n'; p++)
			;
		return *p == '\'' ? p + 1 : p;
	}
	n = p[1] != '\0' ? utf8_seqlen(p + 1, strlen(p + 1)) : 0;
	if (n > 0 && p[1 + n] == '\'')
		return p + 2 + n;
	return p + 1;
}

static bool
ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool
raw_string_start(const char *p)
{
	return (p[0] == 'r' && (p[1] == '"' || (p[1] == '#' &&
	    (p[2] == '"' || p[2] == '#')))) ||
	    (p[0] == 'b' && p[1] == 'r' && (p[2] == '"' || p[2] == '#'));
}

/*
 * Skip one top-level element from p: up to a ';' at depth 0, or a '}'
 * that brings the depth back to 0 (and a ';' right after it).
 */
static const char *
skip_element(const char *p)
{
	int depth = 0;

	while (*p != '\0') {
		const char *q = skip_trivia(p);

		if (q != p) {
			p = q;
			continue;
		}
		if (raw_string_start(p))
			p = skip_string(p + (*p == 'b'));
		else if (*p == '"')
			p = skip_string(p);
		else if (*p == '\'')
			p = skip_char(p);
		else if (ident_char(*p)) {
			while (ident_char(*p))
				p++;
		} else if (strchr("([{", *p) != NULL)
			depth++, p++;
		else if (strchr(")]}", *p) != NULL) {
			depth--;
			p++;
			if (depth <= 0 && p[-1] == '}') {
				q = skip_trivia(p);
				return *q == ';' ? q + 1 : p;
			}
		} else if (*p == ';' && depth <= 0)
			return p + 1;
		else
			p++;
	}
	return p;
}

bool
rblk_elided(const char *code)
{
	const char *p = code, *q;

	while (*p != '\0') {
		q = skip_trivia(p);
		if (q != p) {
			p = q;
			continue;
		}
		if (raw_string_start(p))
			p = skip_string(p + (*p == 'b'));
		else if (*p == '"')
			p = skip_string(p);
		else if (*p == '\'')
			p = skip_char(p);
		else if (strncmp(p, "...", 3) == 0 ||
		    strncmp(p, "\xE2\x80\xA6", 3) == 0)	/* U+2026 */
			return true;
		else
			p++;
	}
	return false;
}

/* Words that may stand before an item's keyword. */
static const char *const item_prefixes[] = {
	"pub", "unsafe", "async", "extern", "default", NULL
};
static const char *const item_keywords[] = {
	"fn", "struct", "enum", "union", "impl", "trait", "use", "mod",
	"const", "static", "type", "extern", "macro_rules", NULL
};

static bool
in_list(const char *const *list, const char *w, size_t n)
{
	for (; *list != NULL; list++) {
		if (word_is(w, n, *list))
			return true;
	}
	return false;
}

/* Read the identifier at *p; returns its length and moves *p past it. */
static size_t
read_word(const char **p, const char **w)
{
	*p = skip_trivia(*p);
	*w = *p;
	while (ident_char(**p))
		(*p)++;
	return (size_t)(*p - *w);
}

/* An item starts at p: sets *is_main for `fn main`. */
static bool
item_at(const char *p, bool *is_main)
{
	const char *w;
	size_t n = read_word(&p, &w);

	*is_main = false;
	while (n > 0 && in_list(item_prefixes, w, n) &&
	    !word_is(w, n, "extern")) {
		p = skip_trivia(p);
		if (*p == '(')		/* pub(crate) */
			p = strchr(p, ')') != NULL ? strchr(p, ')') + 1 : p;
		n = read_word(&p, &w);
	}
	if (n == 0 || !in_list(item_keywords, w, n))
		return false;
	if (word_is(w, n, "const")) {	/* const fn, or a constant */
		const char *save = p, *w2;
		size_t n2 = read_word(&p, &w2);

		if (!word_is(w2, n2, "fn") && !word_is(w2, n2, "unsafe"))
			return true;
		p = save;
	}
	if (word_is(w, n, "fn")) {
		n = read_word(&p, &w);
		*is_main = word_is(w, n, "main");
	}
	return true;
}

/* p at '#': skip an attribute #[...] or #![...]; inner sets *inner. */
static const char *
skip_attribute(const char *p, bool *inner)
{
	int depth = 0;

	*inner = p[1] == '!';
	p += *inner ? 2 : 1;
	p = skip_trivia(p);
	if (*p != '[')
		return p;
	for (; *p != '\0'; p++) {
		if (*p == '"')
			p = skip_string(p) - 1;
		else if (*p == '[')
			depth++;
		else if (*p == ']' && --depth == 0)
			return p + 1;
	}
	return p;
}

enum rblk_shape
rblk_shape_of(const char *code)
{
	const char *p = code;
	bool main = false, stmts = false, items = false, is_main, inner;

	for (;;) {
		p = skip_trivia(p);
		if (*p == '\0')
			break;
		if (*p == '#') {
			p = skip_attribute(p, &inner);
			items = items || inner;
			continue;
		}
		if (item_at(p, &is_main)) {
			items = true;
			main = main || is_main;
		} else
			stmts = true;
		p = skip_element(p);
	}
	if (main)
		return RBLK_MAIN;
	if (stmts)
		return RBLK_STATEMENTS;
	return items ? RBLK_ITEMS : RBLK_EMPTY;
}

/* --- unlabelled blocks ------------------------------------------------- */

/* Lines no Rust source starts with: shell sessions, compiler output. */
static const char *const not_rust_starts[] = {
	"$ ", "error[", "error:", "warning:", "-->", "= note", "= help",
	"Compiling ", "Finished ", "Running ", "cargo ", "rustc ", "> ", NULL
};
/* Words that say a line is Rust. */
static const char *const rust_markers[] = {
	"fn ", "let ", "println!", "impl ", "struct ", "enum ", "use ",
	"#[", "trait ", "macro_rules!", "mod ", "match ", "&mut ", "-> ",
	"::new(", "vec!", NULL
};

static bool
starts_with_any(const char *s, size_t n, const char *const *list)
{
	for (; *list != NULL; list++) {
		size_t k = strlen(*list);

		if (k <= n && memcmp(s, *list, k) == 0)
			return true;
	}
	return false;
}

static bool
contains_any(const char *s, size_t n, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (memmem(s, n, *list, strlen(*list)) != NULL)
			return true;
	}
	return false;
}

/* A line ends the way code lines do, or is a comment. */
static bool
code_like(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '/' && s[1] == '/')
		return true;
	return n > 0 && strchr(";{},)]", s[n - 1]) != NULL;
}

bool
rblk_plainly_rust(const char *code)
{
	const char *line = code, *end;
	int lines = 0, codey = 0;
	bool marker = false;
	size_t n;

	for (; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		while (line < end && (*line == ' ' || *line == '\t'))
			line++;
		n = (size_t)(end - line);
		if (n == 0)
			continue;
		if (starts_with_any(line, n, not_rust_starts) || line[0] == '|')
			return false;
		lines++;
		codey += code_like(line, n);
		marker = marker || contains_any(line, n, rust_markers);
	}
	/* Most lines end like code: prose that names `fn` is not code. */
	return marker && lines > 0 && codey * 5 >= lines * 3;
}

/* --- building the crate ------------------------------------------------ */

/* A fenced block's first code line follows its fence. */
static bool
is_fenced(const struct note_block *b)
{
	int text_lines = 1;
	const char *p;

	for (p = b->text; (p = strchr(p, '\n')) != NULL; p++)
		text_lines++;
	return b->end_line - b->start_line + 1 > text_lines;
}

/* The whole info string of the fence on line lineno ("rust,ignore"). */
static char *
fence_info(const struct note *n, int lineno)
{
	size_t len, i;
	const char *s = note_line(n, lineno, &len);
	char c;

	if (s == NULL)
		return xstrdup("");
	for (i = 0; i + 2 < len; i++) {
		c = s[i];
		if ((c == '`' || c == '~') && s[i + 1] == c && s[i + 2] == c)
			break;
	}
	if (i + 2 >= len)
		return xstrdup("");
	c = s[i];
	while (i < len && s[i] == c)
		i++;
	return xstrndup(s + i, len - i);
}

/* rustdoc's hidden lines: "# x" is compiled as "x", "##x" as "#x". */
static void
unhide(const char *line, size_t n, const char **out, size_t *outn)
{
	size_t lead = 0;

	while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
		lead++;
	if (lead + 1 == n && line[lead] == '#') {
		*out = line + n;
		*outn = 0;
	} else if (lead + 1 < n && line[lead] == '#' &&
	    (line[lead + 1] == ' ' || line[lead + 1] == '\t')) {
		*out = line + lead + 2;
		*outn = n - lead - 2;
	} else if (lead + 1 < n && line[lead] == '#' && line[lead + 1] == '#') {
		*out = line + lead + 1;
		*outn = n - lead - 1;
	} else {
		*out = line;
		*outn = n;
	}
}

struct crate_builder {
	struct buf text;
	int *map;
	int nlines, cap;
};

static void
emit_line(struct crate_builder *cb, const char *s, size_t n, int note_line)
{
	buf_add(&cb->text, s, n);
	buf_addc(&cb->text, '\n');
	if (cb->nlines == cb->cap) {
		cb->cap = cb->cap > 0 ? cb->cap * 2 : 32;
		cb->map = xreallocarray(cb->map, (size_t)cb->cap,
		    sizeof(*cb->map));
	}
	cb->map[cb->nlines++] = note_line;
}

/* The code with hidden lines shown, as the compiler must see it. */
static char *
compiled_code(const char *code)
{
	struct buf b;
	const char *line = code, *end, *s;
	size_t n;

	buf_init(&b, 0);
	for (; *line != '\0'; line = *end != '\0' ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		unhide(line, (size_t)(end - line), &s, &n);
		buf_add(&b, s, n);
		buf_addc(&b, '\n');
	}
	if (b.data == NULL)
		buf_adds(&b, "");
	return buf_steal(&b);
}

static bool
inner_attribute(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	return n >= 3 && memcmp(s, "#![", 3) == 0;
}

/*
 * Build the crate: the prelude, crate attributes moved to the top when the
 * code goes into fn main, then the code with each line's note line.
 */
static void
build_crate(struct rblk_block *rb, const char *code)
{
	struct crate_builder cb;
	const char *line, *end;
	bool wrap = rb->shape == RBLK_STATEMENTS;
	int k;

	memset(&cb, 0, sizeof(cb));
	buf_init(&cb.text, 0);
	emit_line(&cb, CRATE_PRELUDE, strlen(CRATE_PRELUDE), 0);
	for (line = code, k = 0; wrap && *line != '\0';
	    line = *end != '\0' ? end + 1 : end, k++) {
		end = line + strcspn(line, "\n");
		if (inner_attribute(line, (size_t)(end - line)))
			emit_line(&cb, line, (size_t)(end - line),
			    rb->first_line + k);
	}
	if (wrap)
		emit_line(&cb, "fn main() {", 11, 0);
	for (line = code, k = 0; *line != '\0';
	    line = *end != '\0' ? end + 1 : end, k++) {
		end = line + strcspn(line, "\n");
		if (wrap && inner_attribute(line, (size_t)(end - line)))
			emit_line(&cb, "", 0, rb->first_line + k);
		else
			emit_line(&cb, line, (size_t)(end - line),
			    rb->first_line + k);
	}
	if (wrap)
		emit_line(&cb, "}", 1, 0);
	rb->source = buf_steal(&cb.text);
	rb->line_map = cb.map;
	rb->nsource_lines = cb.nlines;
}

/* Emit the lines of source after its prelude; map NULL: no note lines. */
static void
emit_after_prelude(struct crate_builder *cb, const char *source,
    const int *map)
{
	const char *line = strchr(source, '\n'), *end;
	int k = 1;

	for (line = line != NULL ? line + 1 : ""; *line != '\0';
	    line = *end != '\0' ? end + 1 : end, k++) {
		end = line + strcspn(line, "\n");
		emit_line(cb, line, (size_t)(end - line), map != NULL ?
		    map[k] : 0);
	}
}

void
rblk_add_context(struct rblk_block *b, const struct rblk_block *const *ctx,
    size_t n)
{
	struct crate_builder cb;
	size_t i;

	memset(&cb, 0, sizeof(cb));
	buf_init(&cb.text, 0);
	emit_line(&cb, CRATE_PRELUDE, strlen(CRATE_PRELUDE), 0);
	for (i = 0; i < n; i++)
		emit_after_prelude(&cb, ctx[i]->source, NULL);
	emit_after_prelude(&cb, b->source, b->line_map);
	free(b->source);
	free(b->line_map);
	b->source = buf_steal(&cb.text);
	b->line_map = cb.map;
	b->nsource_lines = cb.nlines;
}

int
rblk_note_line(const struct rblk_block *b, int source_line)
{
	int k;

	if (source_line > b->nsource_lines)
		source_line = b->nsource_lines;
	for (k = source_line; k >= 1; k--) {
		if (b->line_map[k - 1] > 0)
			return b->line_map[k - 1];
	}
	return b->first_line;
}

/* Defined in rustblock_claim.c: what the note says about block rb. */
void rblk_read_claim(const struct note *n, const struct rblk_claims *c,
    struct rblk_block *rb, const char *code);

static void
add_block(const struct note *n, int index, int default_edition,
    const struct rblk_claims *claims, struct rblk_list *out)
{
	const struct note_block *b = &n->blocks[index];
	struct rblk_block *rb;
	bool fenced = is_fenced(b);
	char *info = fenced ? fence_info(n, b->start_line) : xstrdup("");
	char *code;
	struct rblk_attrs a;

	rblk_parse_info(info, &a);
	free(info);
	if (!a.rust && (a.other_lang || !rblk_plainly_rust(b->text)))
		return;
	out->v = xreallocarray(out->v, out->n + 1, sizeof(*out->v));
	rb = &out->v[out->n++];
	memset(rb, 0, sizeof(*rb));
	rb->block = index;
	rb->attrs = a;
	rb->fence_line = b->start_line;
	rb->first_line = fenced ? b->start_line + 1 : b->start_line;
	rb->last_line = fenced && b->end_line > rb->first_line ?
	    b->end_line - 1 : b->end_line;
	rb->edition = a.edition != 0 ? a.edition : default_edition;
	code = compiled_code(b->text);
	rb->shape = rblk_shape_of(code);
	rb->elided = rblk_elided(code);
	rb->compile = !a.ignore && !rb->elided && rb->shape != RBLK_EMPTY;
	rblk_read_claim(n, claims, rb, b->text);
	build_crate(rb, code);
	free(code);
}

void
rblk_extract(const struct note *n, int default_edition,
    const struct rblk_claims *c, struct rblk_list *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n->nblocks; i++) {
		if (n->blocks[i].kind == NB_CODE && n->blocks[i].text != NULL)
			add_block(n, i, default_edition, c, out);
	}
}

void
rblk_list_free(struct rblk_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].source);
		free(l->v[i].line_map);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
