/*
 * rustblock_claim.c - what the note says about a code block: that it does
 * not compile (a compile_fail fence, an `// error` comment in the code, or
 * the sentence just before the block), and which error code it names.
 * Without such a claim the note presents the block as working.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/note.h"
#include "rustnote/rustblock.h"
#include "rustnote/util.h"

/* Phrases of a sentence (lower case) that say the next code fails. */
static const char *const failure_phrases[] = {
	"not compile", "n't compile", "fails to compile", "failed to compile",
	"fail to compile", "compile error", "compilation error",
	"compiler error", "compile-time error", "compile time error",
	"not build", "n't build", "is rejected", "are rejected",
	"gets rejected", "get rejected", "be rejected", "rejects",
	"refuses to compile", "compiler refuses", "compiler complains",
	"borrow checker complains", "is an error", "gives an error",
	"produces an error", "is a compile", "won't let", "will not let",
	"does not let", "doesn't let", NULL
};
/* "fails" says it only when not about running, and not negated. */
static const char *const not_compile_time[] = {
	"at run", "at runtime", "to run", "when run", "panic", NULL
};

/* Comment words after "error" that make it a claim ("error here"). */
static const char *const error_followers[] = {
	"here", "because", "since", "as", "on", NULL
};

static char *
lower_copy(const char *s, size_t n)
{
	char *t = xstrndup(s, n), *p;

	for (p = t; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

static bool
any_in(const char *s, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strstr(s, *list) != NULL)
			return true;
	}
	return false;
}

/* "fails" / "fail" / "failing" as a word, not "fails at runtime". */
static bool
says_fails(const char *s)
{
	const char *p = s;

	if (strstr(s, "not fail") != NULL || strstr(s, "n't fail") != NULL ||
	    any_in(s, not_compile_time))
		return false;
	while ((p = strstr(p, "fail")) != NULL) {
		bool start = p == s || !isalpha((unsigned char)p[-1]);

		p += 4;
		if (start && (strncmp(p, "s", 1) == 0 || !isalpha(
		    (unsigned char)*p) || strncmp(p, "ing", 3) == 0))
			return true;
	}
	return false;
}

bool
rblk_sentence_claims_failure(const char *sentence)
{
	char *s = lower_copy(sentence, strlen(sentence));
	bool claim;

	claim = any_in(s, failure_phrases) || says_fails(s);
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
error_verdict(const char *c)
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
	for (const char *const *f = error_followers; *f != NULL; f++) {
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
comment_claims(const char *comment, size_t n, char *code)
{
	char *c;
	bool claim;

	while (n > 0 && strchr("/!~^ \t", *comment) != NULL)
		comment++, n--;
	c = lower_copy(comment, n);
	claim = error_verdict(c) || any_in(c, failure_phrases);
	free(c);
	if (claim)
		find_code(comment, n, code);
	return claim;
}

int
rblk_comment_claim(const char *code, char *code_out)
{
	const char *line = code, *end, *c;
	int k = 0;

	code_out[0] = '\0';
	for (; *line != '\0'; line = *end != '\0' ? end + 1 : end, k++) {
		end = line + strcspn(line, "\n");
		c = line_comment(line, (size_t)(end - line));
		if (c != NULL && comment_claims(c, (size_t)(end - c), code_out))
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
claim_line_in(const struct note *n, const struct note_block *b)
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
		hit = rblk_sentence_claims_failure(line);
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

void rblk_read_claim(const struct note *n, struct rblk_block *rb,
    const char *code);

void
rblk_read_claim(const struct note *n, struct rblk_block *rb,
    const char *code)
{
	const struct note_block *p;
	int k;

	if (rb->attrs.compile_fail) {
		rb->expect_fail = true;
		rb->claim_line = rb->fence_line;
		snprintf(rb->claim_code, sizeof(rb->claim_code), "%s",
		    rb->attrs.code);
	}
	k = rblk_comment_claim(code, rb->claim_code[0] == '\0' ?
	    rb->claim_code : (char[RBLK_CODE_LEN]){ 0 });
	if (k >= 0 && !rb->expect_fail) {
		rb->expect_fail = true;
		rb->claim_line = rb->first_line + k;
	}
	if (rb->expect_fail)
		return;
	p = prose_before(n, rb->block);
	if (p != NULL && rblk_sentence_claims_failure(last_sentence(p->text))) {
		rb->expect_fail = true;
		rb->claim_line = claim_line_in(n, p);
	}
}
