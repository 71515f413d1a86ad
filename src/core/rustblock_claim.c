/*
 * rustblock_claim.c - what the note says about a code block: that it does
 * not compile (a compile_fail fence, an `// error` comment in the code, or
 * the sentence just before the block), and which error code it names.
 * Without such a claim the note presents the block as working.  The
 * phrases are data: rules/code-claims.txt.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/rustblock.h"
#include "rustnote/util.h"

#define CLAIMS_MAX ((size_t)64 << 10)

/* The sections of rules/code-claims.txt, in struct rblk_claims order. */
enum { C_FAILS, C_FAILS_WORD, C_NOT_COMPILE_TIME, C_NOT_FAILURE,
	C_ERROR_FOLLOWS, C_COUNT };
static const char *const section_names[C_COUNT] = {
	"fails", "fails-word", "not-compile-time", "not-failure",
	"error-follows"
};

struct rblk_claims {
	char **list[C_COUNT];	/* NULL-terminated, lower case */
	size_t n[C_COUNT];
};

static void
add_phrase(struct rblk_claims *c, int sec, const char *s, size_t len)
{
	char *p;

	c->list[sec] = xreallocarray(c->list[sec], c->n[sec] + 2,
	    sizeof(char *));
	c->list[sec][c->n[sec]++] = p = xstrndup(s, len);
	c->list[sec][c->n[sec]] = NULL;
	for (; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
}

static int
section_of(const char *s, size_t len)
{
	int i;

	for (i = 0; i < C_COUNT; i++) {
		if (strlen(section_names[i]) + 2 == len &&
		    strncmp(s + 1, section_names[i], len - 2) == 0)
			return i;
	}
	return -1;
}

int
rblk_claims_parse(const char *name, const char *text,
    struct rblk_claims **out, char *err, size_t errlen)
{
	struct rblk_claims *c = xcalloc(1, sizeof(*c));
	const char *line = text, *end, *s;
	int sec = -1, lineno = 1, i;
	size_t len;

	for (; *line != '\0'; line = *end != '\0' ? end + 1 : end, lineno++) {
		end = line + strcspn(line, "\n");
		for (s = line; s < end && isspace((unsigned char)*s); s++)
			;
		len = (size_t)(end - s);
		while (len > 0 && isspace((unsigned char)s[len - 1]))
			len--;
		if (len == 0 || *s == '#')
			continue;
		if (*s == '[' && s[len - 1] == ']') {
			if ((sec = section_of(s, len)) < 0)
				goto bad;
		} else if (sec < 0)
			goto bad;
		else
			add_phrase(c, sec, s, len);
	}
	for (i = 0; i < C_COUNT; i++) {
		if (c->list[i] == NULL)	/* an empty section */
			c->list[i] = xcalloc(1, sizeof(char *));
	}
	*out = c;
	return RN_OK;
bad:
	rblk_claims_free(c);
	*out = NULL;
	return rn_fail(err, errlen, RN_EINPUT, "%s:%d: expected a [section] "
	    "of phrases", name, lineno);
}

int
rblk_claims_load(struct rblk_claims **out, char *err, size_t errlen)
{
	char *path = util_data_path("rules/code-claims.txt", true);
	char *text = NULL;
	int rc;

	*out = NULL;
	if (path == NULL)
		return rn_fail(err, errlen, RN_EINPUT, "cannot find "
		    "rules/code-claims.txt (set RUSTNOTE_DATADIR to the folder "
		    "that holds rules/)");
	rc = util_read_file(path, CLAIMS_MAX, &text, NULL, err, errlen);
	if (rc == RN_OK)
		rc = rblk_claims_parse(path, text, out, err, errlen);
	free(text);
	free(path);
	return rc;
}

void
rblk_claims_free(struct rblk_claims *c)
{
	size_t i, k;

	if (c == NULL)
		return;
	for (i = 0; i < C_COUNT; i++) {
		for (k = 0; k < c->n[i]; k++)
			free(c->list[i][k]);
		free(c->list[i]);
	}
	free(c);
}

static char *
lower_copy(const char *s, size_t n)
{
	char *t = xstrndup(s, n), *p;

	for (p = t; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

static bool
any_in(const char *s, char *const *list)
{
	for (; *list != NULL; list++) {
		if (strstr(s, *list) != NULL)
			return true;
	}
	return false;
}

/* A [fails-word] as a word ("fails", "failing"), not about running. */
static bool
word_at(const char *s, const char *p, size_t n)
{
	if (p != s && isalpha((unsigned char)p[-1]))
		return false;
	p += n;
	return !isalpha((unsigned char)*p) || (p[0] == 's' &&
	    !isalpha((unsigned char)p[1])) || strncmp(p, "ing", 3) == 0 ||
	    strncmp(p, "ed", 2) == 0;
}

static bool
says_fails(const struct rblk_claims *c, const char *s)
{
	char *const *w;
	const char *p;

	if (any_in(s, c->list[C_NOT_FAILURE]) ||
	    any_in(s, c->list[C_NOT_COMPILE_TIME]))
		return false;
	for (w = c->list[C_FAILS_WORD]; *w != NULL; w++) {
		for (p = s; (p = strstr(p, *w)) != NULL; p++) {
			if (**w != '\0' && word_at(s, p, strlen(*w)))
				return true;
		}
	}
	return false;
}

bool
rblk_sentence_claims_failure(const struct rblk_claims *c,
    const char *sentence)
{
	char *s = lower_copy(sentence, strlen(sentence));
	bool claim;

	claim = any_in(s, c->list[C_FAILS]) || says_fails(c, s);
	free(s);
	return claim;
}

/* Copy the first "E0123" in s into out (RBLK_CODE_LEN), else "". */
static void
find_code(const char *s, size_t n, char *out)
{
	size_t i, k;

	out[0] = '\0';
	for (i = 0; i + 5 <= n; i++) {
		if (s[i] != 'E' || (i > 0 && isalnum((unsigned char)s[i - 1])))
			continue;
		for (k = 1; k < 5 && isdigit((unsigned char)s[i + k]); k++)
			;
		if (k == 5 && (i + 5 == n || !isalnum((unsigned char)s[i + 5]))) {
			memcpy(out, s + i, 5);
			out[5] = '\0';
			return;
		}
	}
}

/* The comment's text starts with "error" used as a verdict. */
static bool
error_verdict(const struct rblk_claims *cl, const char *c)
{
	const char *w;
	size_t n;

	if (strncmp(c, "error", 5) != 0)
		return false;
	c += 5;
	if (*c == 's' || isalnum((unsigned char)*c) || *c == '_')
		return false;
	if (*c != ' ')
		return true;		/* "error", "error:", "error[E0382]" */
	c += strspn(c, " ");
	if (*c == '\0' || c[0] == 'e' || !isalpha((unsigned char)*c))
		return true;		/* "error E0382", "error -" */
	w = c;
	n = strspn(w, "abcdefghijklmnopqrstuvwxyz");
	for (char *const *f = cl->list[C_ERROR_FOLLOWS]; *f != NULL; f++) {
		if (strlen(*f) == n && strncmp(w, *f, n) == 0)
			return true;
	}
	return false;
}

/* The "//" comment of a line, outside string literals; NULL when none. */
static const char *
line_comment(const char *line, size_t n)
{
	bool in_str = false;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if (line[i] == '\\' && in_str)
			i++;
		else if (line[i] == '"')
			in_str = !in_str;
		else if (!in_str && line[i] == '/' && line[i + 1] == '/')
			return line + i + 2;
	}
	return NULL;
}

/* One comment claims failure: sets code, returns true. */
static bool
comment_claims(const struct rblk_claims *cl, const char *comment, size_t n,
    char *code)
{
	char *c;
	bool claim;

	while (n > 0 && strchr("/!~^ \t", *comment) != NULL)
		comment++, n--;
	c = lower_copy(comment, n);
	claim = error_verdict(cl, c) || any_in(c, cl->list[C_FAILS]);
	free(c);
	if (claim)
		find_code(comment, n, code);
	return claim;
}

int
rblk_comment_claim(const struct rblk_claims *claims, const char *code,
    char *code_out)
{
	const char *line = code, *end, *c;
	int k = 0;

	code_out[0] = '\0';
	for (; *line != '\0'; line = *end != '\0' ? end + 1 : end, k++) {
		end = line + strcspn(line, "\n");
		c = line_comment(line, (size_t)(end - line));
		if (c != NULL && comment_claims(claims, c, (size_t)(end - c),
		    code_out))
			return k;
	}
	return -1;
}

/* The text after the last sentence end that is not the text's end. */
static const char *
last_sentence(const char *text)
{
	const char *s = text, *p;

	for (p = text; *p != '\0'; p++) {
		if (strchr(".!?", *p) != NULL && isspace((unsigned char)p[1]) &&
		    p[2] != '\0')
			s = p + 1;
	}
	return s;
}

/* The line of paragraph b that says the claim, else its last line. */
static int
claim_line_in(const struct note *n, const struct rblk_claims *c,
    const struct note_block *b)
{
	size_t len;
	const char *s;
	char *line;
	int k;
	bool hit;

	for (k = b->end_line; k >= b->start_line; k--) {
		s = note_line(n, k, &len);
		if (s == NULL)
			continue;
		line = xstrndup(s, len);
		hit = rblk_sentence_claims_failure(c, line);
		free(line);
		if (hit)
			return k;
	}
	return b->end_line;
}

/* The prose block right before code block index i (one blank line). */
static const struct note_block *
prose_before(const struct note *n, int i)
{
	const struct note_block *p;

	if (i == 0)
		return NULL;
	p = &n->blocks[i - 1];
	if (p->kind != NB_PARAGRAPH && p->kind != NB_ITEM &&
	    p->kind != NB_QUOTE)
		return NULL;
	if (p->end_line < n->blocks[i].start_line - 2 || p->text == NULL)
		return NULL;
	return p;
}

void rblk_read_claim(const struct note *n, const struct rblk_claims *c,
    struct rblk_block *rb, const char *code);

void
rblk_read_claim(const struct note *n, const struct rblk_claims *c,
    struct rblk_block *rb, const char *code)
{
	const struct note_block *p;
	int k;

	if (rb->attrs.compile_fail) {
		rb->expect_fail = true;
		rb->claim_line = rb->fence_line;
		snprintf(rb->claim_code, sizeof(rb->claim_code), "%s",
		    rb->attrs.code);
	}
	k = rblk_comment_claim(c, code, rb->claim_code[0] == '\0' ?
	    rb->claim_code : (char[RBLK_CODE_LEN]){ 0 });
	if (k >= 0 && !rb->expect_fail) {
		rb->expect_fail = true;
		rb->claim_line = rb->first_line + k;
	}
	if (rb->expect_fail)
		return;
	p = prose_before(n, rb->block);
	if (p != NULL && rblk_sentence_claims_failure(c,
	    last_sentence(p->text))) {
		rb->expect_fail = true;
		rb->claim_line = claim_line_in(n, c, p);
	}
}
