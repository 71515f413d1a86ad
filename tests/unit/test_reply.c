/*
 * test_reply.c - whole replies as models send them (tests/replies/), and
 * finding_from_json() on single objects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/util.h"

#include "testutil.h"

static enum rn_status
parse_file(const char *name, struct finding_reply *r, char *err,
    size_t errlen)
{
	size_t len;
	char *text = load_reply(name, &len);
	int rc = finding_parse_reply(text, len, r, err, errlen);

	free(text);
	return rc;
}

static void
parse_ok(const char *name, struct finding_reply *r)
{
	char err[RN_ERRLEN] = "";

	if (parse_file(name, r, err, sizeof(err)) != RN_OK)
		fail_msg("%s: %s", name, err);
}

static int
parse_str(const char *text, struct finding_reply *r, char *err)
{
	return finding_parse_reply(text, strlen(text), r, err, RN_ERRLEN);
}

/* Every field of every finding is set (never NULL). */
static void
assert_complete(const struct finding_reply *r)
{
	size_t i;

	assert_non_null(r->summary);
	for (i = 0; i < r->findings.n; i++) {
		assert_non_null(r->findings.v[i].quote);
		assert_non_null(r->findings.v[i].topic);
		assert_non_null(r->findings.v[i].message);
		assert_non_null(r->findings.v[i].suggestion);
		assert_int_equal(r->findings.v[i].source, FSRC_LLM);
	}
}

static void
test_asked_format(void **state)
{
	struct finding_reply r;
	const struct finding *f;

	(void)state;
	parse_ok("openai-json.txt", &r);
	assert_complete(&r);
	assert_false(r.truncated);
	assert_false(r.markdown);
	assert_true(str_starts_with(r.summary, "A solid start"));
	assert_int_equal(r.findings.n, 6);
	f = &r.findings.v[0];
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_int_equal(f->severity, FS_HIGH);
	assert_string_equal(f->quote,
	    "Heap deallocation is explicit and deliberate (via drop)");
	assert_int_equal(f->model_line, 58);
	assert_string_equal(f->topic,
	    "Stack vs heap (frames, lifetimes, deallocation)");
	assert_true(str_starts_with(f->suggestion, "Say that heap"));
	f = &r.findings.v[2];
	assert_int_equal(f->kind, FK_GAP);
	assert_string_equal(f->quote, "");
	assert_int_equal(f->model_line, 0);
	assert_int_equal(f->line, 0);
	assert_int_equal(r.findings.v[3].kind, FK_SCOPE);
	assert_int_equal(r.findings.v[3].severity, FS_LOW);
	assert_int_equal(r.findings.v[4].kind, FK_ASSUMPTION);
	finding_reply_free(&r);
}

static void
test_fenced_with_prose(void **state)
{
	struct finding_reply r;

	(void)state;
	/* the prose before the fence holds "({})": not JSON */
	parse_ok("claude-fenced.md", &r);
	assert_complete(&r);
	assert_int_equal(r.findings.n, 3);
	assert_true(str_starts_with(r.summary, "Good picture of stack"));
	assert_int_equal(r.findings.v[0].model_line, 57);
	assert_string_equal(r.findings.v[0].topic,
	    "What \"drop\" actually does");
	assert_string_equal(r.findings.v[1].quote,
	    "Frame corresponds to function scope, code blocks ({})");
	assert_int_equal(r.findings.v[2].kind, FK_GAP);
	assert_false(r.truncated);
	finding_reply_free(&r);
}

static void
test_key_variants(void **state)
{
	struct finding_reply r;
	const struct finding *f;

	(void)state;
	parse_ok("variants.json", &r);
	assert_complete(&r);
	assert_string_equal(r.summary,
	    "Mostly accurate, with some misconceptions about deallocation.");
	assert_int_equal(r.findings.n, 7);
	f = &r.findings.v[0];
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_int_equal(f->severity, FS_HIGH);
	assert_string_equal(f->quote,
	    "Heap deallocation is explicit and deliberate (via `drop`)");
	assert_int_equal(f->model_line, 58);
	assert_string_equal(f->message, "Deallocation happens automatically "
	    "when the owner goes out of scope.");
	assert_string_equal(f->suggestion, "Say it is automatic and "
	    "deterministic.");
	f = &r.findings.v[1];
	assert_int_equal(f->kind, FK_ASSUMPTION);
	assert_int_equal(f->severity, FS_MEDIUM);
	assert_int_equal(f->model_line, 49);
	assert_int_equal(f->end_line, 50);	/* "49-50": end hint */
	assert_true(str_starts_with(f->message, "Popping a frame"));
	assert_true(str_starts_with(f->suggestion, "Mention that"));
	f = &r.findings.v[2];
	assert_int_equal(f->kind, FK_SCOPE);
	assert_int_equal(f->model_line, 35);	/* "L35" */
	f = &r.findings.v[3];
	assert_int_equal(f->kind, FK_SCOPE);	/* "scope violation" */
	assert_int_equal(f->severity, FS_LOW);	/* priority: minor */
	assert_int_equal(f->model_line, 0);
	f = &r.findings.v[4];
	assert_int_equal(f->kind, FK_GAP);
	assert_string_equal(f->quote, "");	/* "N/A" */
	assert_string_equal(f->suggestion, "");	/* null */
	f = &r.findings.v[5];
	/* unknown kind word, the text says "wrong" */
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_int_equal(f->severity, FS_MEDIUM);	/* "???" */
	f = &r.findings.v[6];
	/* unknown kind word, "not covered" */
	assert_int_equal(f->kind, FK_GAP);
	finding_reply_free(&r);
}

static void
test_top_level_array(void **state)
{
	struct finding_reply r;

	(void)state;
	parse_ok("array.json", &r);
	assert_complete(&r);
	assert_int_equal(r.findings.n, 2);
	assert_string_equal(r.summary, "");
	assert_int_equal(r.findings.v[0].kind, FK_GAP);
	assert_int_equal(r.findings.v[0].model_line, 0);	/* null */
	assert_string_equal(r.findings.v[0].topic,
	    "What \xe2\x80\x9c" "drop\xe2\x80\x9d actually does");
	assert_int_equal(r.findings.v[1].kind, FK_INCORRECT);
	finding_reply_free(&r);
}

static void
test_truncated(void **state)
{
	struct finding_reply r;

	(void)state;
	parse_ok("truncated.txt", &r);
	assert_complete(&r);
	assert_true(r.truncated);
	assert_int_equal(r.findings.n, 2);	/* the third was cut */
	assert_string_equal(r.summary, "Decent overview, with a few "
	    "incorrect claims about deallocation.");
	assert_string_equal(r.findings.v[1].quote, "Stack does not know it "
	    "points to the heap.\nHeap does not know who points to it.");
	finding_reply_free(&r);
}

static void
test_cut_before_first_finding(void **state)
{
	struct finding_reply r;
	char err[RN_ERRLEN] = "";

	(void)state;
	assert_int_equal(parse_str("{\"summary\": \"Good note.\", \"findings\":"
	    " [{\"kind\": \"gap\", \"mess", &r, err), RN_OK);
	assert_true(r.truncated);
	assert_int_equal(r.findings.n, 0);
	assert_string_equal(r.summary, "Good note.");
	finding_reply_free(&r);

	assert_int_equal(parse_str("{\"summary\": \"Good no", &r, err),
	    RN_EREPLY);
	assert_non_null(strstr(err, "cut off"));
}

static void
test_trailing_commas(void **state)
{
	struct finding_reply r;

	(void)state;
	parse_ok("trailing-comma.json", &r);
	assert_int_equal(r.findings.n, 2);
	assert_false(r.truncated);		/* broken, not cut */
	assert_string_equal(r.summary, "Good work overall.");
	finding_reply_free(&r);
}

static void
test_kind_named_lists(void **state)
{
	struct finding_reply r;

	(void)state;
	parse_ok("kind-keyed.json", &r);
	assert_complete(&r);
	assert_int_equal(r.findings.n, 4);
	/* a bare string in the list */
	assert_int_equal(r.findings.v[0].kind, FK_GAP);
	assert_true(str_starts_with(r.findings.v[0].message,
	    "The note does not explain"));
	assert_int_equal(r.findings.v[1].kind, FK_GAP);
	assert_int_equal(r.findings.v[2].kind, FK_INCORRECT);
	assert_int_equal(r.findings.v[3].kind, FK_SCOPE);
	assert_string_equal(r.findings.v[3].quote, "eg `&str`, `&[T]`");
	finding_reply_free(&r);
}

static void
test_empty_findings(void **state)
{
	struct finding_reply r;
	char err[RN_ERRLEN];

	(void)state;
	parse_ok("empty-findings.json", &r);
	assert_int_equal(r.findings.n, 0);
	assert_false(r.truncated);
	assert_false(r.markdown);
	assert_true(str_starts_with(r.summary, "The note covers every"));
	finding_reply_free(&r);

	/* no summary either: still a valid, empty review */
	assert_int_equal(parse_str("```json\n{\"findings\": []}\n```", &r,
	    err), RN_OK);
	assert_int_equal(r.findings.n, 0);
	assert_string_equal(r.summary, "");
	finding_reply_free(&r);
}

static const struct finding *
find_msg(const struct finding_reply *r, const char *needle)
{
	size_t i;

	for (i = 0; i < r->findings.n; i++) {
		if (strstr(r->findings.v[i].message, needle) != NULL)
			return &r->findings.v[i];
	}
	fail_msg("no finding says \"%s\"", needle);
	return NULL;
}

static void
test_markdown_headings(void **state)
{
	struct finding_reply r;
	const struct finding *f;

	(void)state;
	parse_ok("markdown-headings.md", &r);
	assert_complete(&r);
	assert_true(r.markdown);
	assert_false(r.truncated);
	assert_int_equal(r.findings.n, 6);
	assert_true(str_starts_with(r.summary, "Here's a concise review"));

	f = find_msg(&r, "Lifetimes: the overview");
	assert_int_equal(f->kind, FK_GAP);
	assert_string_equal(f->topic, "Lifetimes");	/* bold lead-in */
	assert_string_equal(f->quote, "Stack vs heap");	/* two words */

	f = find_msg(&r, "Drop order");
	assert_int_equal(f->kind, FK_GAP);
	assert_string_equal(f->suggestion, "add one bullet under \"What drop "
	    "actually does\".");

	/* the quote and line open the bullet: the message is what follows */
	f = find_msg(&r, "deallocation is automatic");
	assert_true(str_starts_with(f->message, "Wrong: deallocation is"));
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_string_equal(f->quote,
	    "Heap deallocation is explicit and deliberate (via drop)");
	assert_int_equal(f->model_line, 58);
	assert_string_equal(f->suggestion, "say it is automatic and "
	    "deterministic.");
	assert_null(strstr(f->message, "Fix"));

	f = find_msg(&r, "do not get their own frame");
	assert_string_equal(f->message, "Blocks do not get their own frame; "
	    "only function calls do.");
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_string_equal(f->quote,
	    "Frame corresponds to function scope, code blocks ({})");
	assert_int_equal(f->model_line, 48);		/* "(L48)" */

	f = find_msg(&r, "destructors of the frame");
	assert_true(str_starts_with(f->message, "Assumes nothing else"));
	assert_int_equal(f->kind, FK_ASSUMPTION);
	assert_int_equal(f->severity, FS_HIGH);
	assert_string_equal(f->quote, "When function finishes its execution, "
	    "the frame is deallocated");

	f = find_msg(&r, "references");
	assert_int_equal(f->kind, FK_SCOPE);
	assert_int_equal(f->model_line, 27);
	assert_int_equal(f->end_line, 35);
	finding_reply_free(&r);
}

static void
test_markdown_nested(void **state)
{
	struct finding_reply r;
	const struct finding *f;

	(void)state;
	parse_ok("markdown-nested.md", &r);
	assert_complete(&r);
	assert_true(r.markdown);
	assert_int_equal(r.findings.n, 6);	/* praise is not a finding */

	f = find_msg(&r, "are not covered at all");
	assert_int_equal(f->kind, FK_GAP);
	f = find_msg(&r, "overflows");
	assert_int_equal(f->kind, FK_GAP);
	/* from the grouping bullet */
	assert_string_equal(f->topic, "Stack vs heap");
	f = find_msg(&r, "a block is not a frame");
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_true(str_starts_with(f->message, "Stack frames: "));
	assert_int_equal(f->model_line, 48);
	f = find_msg(&r, "It is automatic");
	/* no "[High]" left */
	assert_string_equal(f->message, "It is automatic.");
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_int_equal(f->severity, FS_HIGH);		/* "[High]" */
	assert_string_equal(f->quote,
	    "Heap deallocation is explicit and deliberate");
	f = find_msg(&r, "only primitives");
	assert_int_equal(f->kind, FK_ASSUMPTION);
	f = find_msg(&r, "(references)");
	assert_int_equal(f->kind, FK_SCOPE);
	assert_string_equal(f->quote, "");	/* single words are terms */
	finding_reply_free(&r);
}

/* Prose under kind headings, single quotes, a block quote in a bullet. */
static void
test_markdown_prose(void **state)
{
	struct finding_reply r;
	const struct finding *f;

	(void)state;
	parse_ok("markdown-prose.md", &r);
	assert_complete(&r);
	assert_true(r.markdown);
	assert_int_equal(r.findings.n, 5);
	assert_string_equal(r.summary,
	    "I went through your note section by section.");
	f = find_msg(&r, "Is not right: heap memory");
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_string_equal(f->quote,
	    "Heap deallocation is explicit and deliberate (via drop)");
	f = find_msg(&r, "also wrong");
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_int_equal(f->model_line, 48);
	assert_string_equal(f->quote, "");
	f = find_msg(&r, "how long stack values live");
	assert_int_equal(f->kind, FK_GAP);
	f = find_msg(&r, "Only thin pointers");
	assert_int_equal(f->kind, FK_ASSUMPTION);
	assert_string_equal(f->quote, "Pointer is integer-sized value, whose "
	    "numeric value happens to be a memory address.");
	assert_string_equal(f->message, "Only thin pointers are one word; fat "
	    "pointers also carry a length.");
	find_msg(&r, "knows what an allocator is");
	finding_reply_free(&r);
}

static void
test_markdown_labels(void **state)
{
	struct finding_reply r;
	char err[RN_ERRLEN];

	(void)state;
	/* no headings: each bullet carries its kind, or the text tells */
	assert_int_equal(parse_str("My review:\n\n"
	    "- **Incorrect:** \"Deallocation is automatic and implicit\" is "
	    "fine for the stack.\n"
	    "- Out of scope: the note mentions `&T`.\n"
	    "- [Assumption] Assumes a 64-bit machine.\n"
	    "- The claim about Vec growth is misleading (L1 cache, L2).\n"
	    "- Nothing about stack overflow.\n"
	    "- You shouldn\xe2\x80\x99t mention the borrow checker yet.\n",
	    &r, err), RN_OK);
	assert_true(r.markdown);
	assert_int_equal(r.findings.n, 6);
	assert_int_equal(r.findings.v[5].kind, FK_SCOPE);
	assert_int_equal(r.findings.v[0].kind, FK_INCORRECT);
	assert_string_equal(r.findings.v[0].quote,
	    "Deallocation is automatic and implicit");
	assert_string_equal(r.findings.v[0].message, "Is fine for the stack.");
	assert_int_equal(r.findings.v[1].kind, FK_SCOPE);
	assert_string_equal(r.findings.v[1].message,
	    "the note mentions `&T`.");
	assert_int_equal(r.findings.v[2].kind, FK_ASSUMPTION);
	assert_string_equal(r.findings.v[2].message,
	    "Assumes a 64-bit machine.");
	/* "misleading", then nothing: the default */
	assert_int_equal(r.findings.v[3].kind, FK_INCORRECT);
	assert_int_equal(r.findings.v[3].model_line, 0);	/* not L1 */
	assert_int_equal(r.findings.v[4].kind, FK_GAP);
	assert_string_equal(r.summary, "My review:");
	finding_reply_free(&r);

	/* a note section as heading is not a kind */
	assert_int_equal(parse_str("### What going out of scope physically "
	    "means\n\n- Values are dropped too, not only the frame popped: "
	    "missing.\n", &r, err), RN_OK);
	assert_int_equal(r.findings.n, 1);
	assert_int_equal(r.findings.v[0].kind, FK_GAP);
	finding_reply_free(&r);
}

static void
test_no_findings(void **state)
{
	struct finding_reply r;
	char err[RN_ERRLEN] = "";

	(void)state;
	assert_int_equal(parse_file("prose-only.txt", &r, err, sizeof(err)),
	    RN_EREPLY);
	assert_string_equal(err, "reply has no findings: neither JSON nor a "
	    "bulleted list");
	assert_null(r.summary);
	assert_int_equal(r.findings.n, 0);
	assert_int_equal(parse_str("", &r, err), RN_EREPLY);
	assert_int_equal(finding_parse_reply(NULL, 5, &r, err, sizeof(err)),
	    RN_EREPLY);
	/* braces in prose are not JSON */
	assert_int_equal(parse_str("Blocks ({}) are scopes. {not json}", &r,
	    err), RN_EREPLY);
	/* praise only */
	assert_int_equal(parse_str("## Strengths\n- Clear diagrams\n", &r,
	    err), RN_EREPLY);
}

static void
test_hostile(void **state)
{
	struct finding_reply r;
	const struct finding *f;

	(void)state;
	parse_ok("hostile.json", &r);
	assert_int_equal(r.findings.n, 1);
	assert_string_equal(r.summary, "Your terminal is mine");
	f = &r.findings.v[0];
	assert_int_equal(f->kind, FK_INCORRECT);
	assert_string_equal(f->quote, "Heap deallocation is explicit");
	assert_string_equal(f->topic, "etirw drop");
	assert_string_equal(f->message, "Evil blink and  C1 CSI and");
	finding_reply_free(&r);
}

static void
test_from_json(void **state)
{
	struct finding f;
	cJSON *o;

	(void)state;
	o = cJSON_Parse("{\"Kind\": \"Implicit assumption\", \"line\": "
	    "\"12-14\", \"quote\": \"\\u201cStack is a pool\\u201d\", "
	    "\"title\": \"Frames\", \"details\": \"Frames are not pools.\","
	    " \"suggested_fix\": [\"One\", \"Two\"]}");
	assert_int_equal(finding_from_json(o, &f), 0);
	assert_int_equal(f.kind, FK_ASSUMPTION);
	assert_int_equal(f.model_line, 12);
	assert_int_equal(f.line, 12);
	assert_int_equal(f.end_line, 14);
	assert_string_equal(f.quote, "Stack is a pool");
	assert_string_equal(f.message, "Frames: Frames are not pools.");
	assert_string_equal(f.suggestion, "One\nTwo");
	finding_free(&f);
	cJSON_Delete(o);

	o = cJSON_Parse("{\"kind\": \"gap\", \"line\": 7, \"confidence\": 1}");
	assert_int_equal(finding_from_json(o, &f), -1);	/* no text */
	cJSON_Delete(o);
	o = cJSON_Parse("[1, 2]");
	assert_int_equal(finding_from_json(o, &f), -1);
	cJSON_Delete(o);
	assert_int_equal(finding_from_json(NULL, &f), -1);

	o = cJSON_Parse("{\"message\": \"x\", \"line\": -3, \"quote\": "
	    "\"12 | Heap is a big pool\"}");
	assert_int_equal(finding_from_json(o, &f), 0);
	assert_int_equal(f.model_line, 0);
	/* without the prompt's "12 | " */
	assert_string_equal(f.quote, "Heap is a big pool");
	assert_int_equal(f.kind, FK_GAP);
	finding_free(&f);
	cJSON_Delete(o);

	o = cJSON_Parse("{\"message\": \"x\", \"location\": {\"start\": 3, "
	    "\"end\": 5}}");
	assert_int_equal(finding_from_json(o, &f), 0);
	assert_int_equal(f.model_line, 3);
	assert_int_equal(f.end_line, 5);
	finding_free(&f);
	cJSON_Delete(o);
}

/* Random bytes and mangled replies never crash the parser. */
static void
test_random_bytes(void **state)
{
	static const char *const pieces[] = {
		"{", "}", "[", "]", "\"", "\\", ":", ",", "\"findings\"",
		"\"kind\"", "\"gap\"", "\"message\"", "\"quote\"", "```json\n",
		"\n## Gaps\n", "\n- ", "**", "`", "\xe2\x80\x9c", "\x1b[",
		"\xff", " ", "\n", "12", "\"line\"", "\"issues\"",
	};
	unsigned seed = 4242;
	struct finding_reply r;
	char buf[400], err[RN_ERRLEN];
	size_t len, n, i;
	int it, rc;

	(void)state;
	for (it = 0; it < 3000; it++) {
		len = 0;
		n = (size_t)(rand_r(&seed) % 60);
		for (i = 0; i < n && len < sizeof(buf) - 16; i++) {
			const char *p = pieces[rand_r(&seed) %
			    (sizeof(pieces) / sizeof(pieces[0]))];

			if (rand_r(&seed) % 4 == 0) {
				buf[len++] = (char)rand_r(&seed);
				continue;
			}
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
		}
		rc = finding_parse_reply(buf, len, &r, err, sizeof(err));
		assert_true(rc == RN_OK || rc == RN_EREPLY);
		if (rc == RN_OK) {
			assert_complete(&r);
			finding_reply_free(&r);
		}
	}
}

static void
test_huge_message(void **state)
{
	const char *unit = "Heap memory is freed when its owner is dropped. ";
	struct finding_reply r;
	struct buf b;
	char err[RN_ERRLEN];
	int i;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "{\"summary\": \"s\", \"findings\": [{\"kind\": "
	    "\"incorrect\", \"quote\": \"Heap deallocation\", \"message\": \"");
	for (i = 0; i < 22000; i++)
		buf_adds(&b, unit);
	buf_adds(&b, "\"}]}");
	assert_true(b.len > 1000000);
	assert_int_equal(finding_parse_reply(b.data, b.len, &r, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(r.findings.n, 1);
	assert_true(strlen(r.findings.v[0].message) <= FINDING_MAX_FIELD);
	assert_true(str_starts_with(r.findings.v[0].message, "Heap memory"));
	finding_reply_free(&r);
	buf_free(&b);
}

/*
 * finding_reply_streamed() says what the whole parse says of a reply whose
 * findings an fstream already took: same summary, same truncation.
 */
static void
check_streamed(const char *text, size_t len)
{
	struct finding_reply whole, streamed;
	struct finding_stream *fs;
	char err[RN_ERRLEN];
	bool cut;

	if (finding_parse_reply(text, len, &whole, err, sizeof(err)) != RN_OK)
		return;
	if (whole.findings.n > 0) {
		fs = fstream_new(NULL, NULL);
		fstream_feed(fs, text, len);
		assert_int_equal(fstream_count(fs), whole.findings.n);
		cut = fstream_truncated(fs);
		fstream_free(fs);
		finding_reply_streamed(text, len, cut, &streamed);
		assert_string_equal(streamed.summary, whole.summary);
		assert_int_equal(streamed.truncated, whole.truncated);
		assert_false(whole.markdown);
		assert_int_equal(streamed.findings.n, 0);
		finding_reply_free(&streamed);
	}
	finding_reply_free(&whole);
}

static void
test_streamed_like_whole(void **state)
{
	static const char *const files[] = {
		"array.json", "claude-fenced.md", "kind-keyed.json",
		"openai-json.txt", "trailing-comma.json", "truncated.txt",
		"variants.json", "hostile.json",
	};
	static const char *const texts[] = {
		"{\"findings\": [{\"message\": \"a b\"}], \"Summary\": [\"x\","
		    " 2]}",
		"{\"findings\": [{\"message\": \"a b\"},], \"summary\": \"s\"}",
		"{\"summary\": \"cut\", \"findings\": [{\"message\": \"a\"}, {",
		"Text {\"kind\": \"gap\"} then\n[{\"message\": \"m n\"}]",
		"{\"overall\": \"o\", \"findings\": [{\"message\": \"a\"}]}"
		    "{\"summary\": \"second\"}",
	};
	size_t i, len;
	char *text;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		text = load_reply(files[i], &len);
		check_streamed(text, len);
		free(text);
	}
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_streamed(texts[i], strlen(texts[i]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asked_format),
		cmocka_unit_test(test_fenced_with_prose),
		cmocka_unit_test(test_key_variants),
		cmocka_unit_test(test_top_level_array),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_cut_before_first_finding),
		cmocka_unit_test(test_trailing_commas),
		cmocka_unit_test(test_kind_named_lists),
		cmocka_unit_test(test_empty_findings),
		cmocka_unit_test(test_markdown_headings),
		cmocka_unit_test(test_markdown_nested),
		cmocka_unit_test(test_markdown_prose),
		cmocka_unit_test(test_markdown_labels),
		cmocka_unit_test(test_no_findings),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_from_json),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_huge_message),
		cmocka_unit_test(test_streamed_like_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
