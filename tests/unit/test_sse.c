/* test_sse.c - the SSE / NDJSON stream parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/sse.h"
#include "rustnote/util.h"

/* Every event seen, as "name|data" records separated by '\x1e'. */
struct record {
	struct buf log;
	int stop_after;		/* return 7 on this event (1-based), 0: never */
	int count;
};

static int
record_event(void *ud, const char *event, const char *data, size_t len)
{
	struct record *r = ud;

	assert_int_equal(strlen(data), len);
	buf_printf(&r->log, "%s|%s\x1e", event != NULL ? event : "-", data);
	r->count++;
	return r->stop_after == r->count ? 7 : 0;
}

static void
record_init(struct record *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->log, 0);
}

/* Parse text fed in one piece; returns the log (caller frees). */
static char *
parse_whole(enum sse_mode mode, const char *text, int *rc)
{
	struct sse_parser p;
	struct record r;

	record_init(&r);
	sse_init(&p, mode, 4096, record_event, &r);
	*rc = sse_feed(&p, text, strlen(text));
	if (*rc == 0)
		*rc = sse_finish(&p);
	sse_free(&p);
	return buf_steal(&r.log);
}

/* Parse text fed in two pieces split at cut. */
static char *
parse_split(enum sse_mode mode, const char *text, size_t cut)
{
	struct sse_parser p;
	struct record r;
	size_t n = strlen(text);

	record_init(&r);
	sse_init(&p, mode, 4096, record_event, &r);
	assert_int_equal(sse_feed(&p, text, cut), 0);
	assert_int_equal(sse_feed(&p, text + cut, n - cut), 0);
	assert_int_equal(sse_finish(&p), 0);
	sse_free(&p);
	return buf_steal(&r.log);
}

/* Parse text fed one byte at a time. */
static char *
parse_bytewise(enum sse_mode mode, const char *text)
{
	struct sse_parser p;
	struct record r;
	size_t i, n = strlen(text);

	record_init(&r);
	sse_init(&p, mode, 4096, record_event, &r);
	for (i = 0; i < n; i++)
		assert_int_equal(sse_feed(&p, text + i, 1), 0);
	assert_int_equal(sse_finish(&p), 0);
	sse_free(&p);
	return buf_steal(&r.log);
}

static void
expect_events(enum sse_mode mode, const char *text, const char *want)
{
	char *got;
	int rc;

	got = parse_whole(mode, text, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	free(got);
}

static void
test_named_event(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS,
	    "event: content_block_delta\ndata: {\"a\":1}\n\n",
	    "content_block_delta|{\"a\":1}\x1e");
}

static void
test_unnamed_event_is_message(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS, "data: hello\n\n", "message|hello\x1e");
}

static void
test_data_lines_joined(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS, "data: one\ndata: two\ndata:three\n\n",
	    "message|one\ntwo\nthree\x1e");
}

static void
test_only_one_space_removed(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS, "data:  two spaces\n\n",
	    "message| two spaces\x1e");
}

static void
test_comments_and_unknown_fields(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS,
	    ": keep-alive\nid: 5\nretry: 100\nfoo: bar\ndata: x\n: mid\n\n",
	    "message|x\x1e");
}

static void
test_blank_without_data(void **state)
{
	(void)state;
	/* An event name alone is dropped and does not leak into the next. */
	expect_events(SSE_EVENTS, "event: ping\n\n\n\ndata: y\n\n",
	    "message|y\x1e");
}

static void
test_empty_data_is_dispatched(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS, "data\n\ndata:\n\n", "message|\x1emessage|\x1e");
}

static void
test_line_ends(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS, "data: a\r\ndata: b\r\n\r\n",
	    "message|a\nb\x1e");
	expect_events(SSE_EVENTS, "data: a\rdata: b\r\r", "message|a\nb\x1e");
	expect_events(SSE_EVENTS, "data: a\ndata: b\r\n\r", "message|a\nb\x1e");
}

static void
test_crlf_split_across_feeds(void **state)
{
	const char *text = "data: a\r\ndata: b\r\n\r\n";
	char *got;

	(void)state;
	/* Cut between CR and LF: the LF must not count as a blank line. */
	got = parse_split(SSE_EVENTS, text, 8);
	assert_string_equal(got, "message|a\nb\x1e");
	free(got);
}

static void
test_every_split_point(void **state)
{
	const char *text =
	    ": ping\r\nevent: message_start\r\ndata: {\"u\":1}\r\n\r\n"
	    "event: content_block_delta\ndata: {\"t\":\"h\xc3\xa9\"}\n\n"
	    "data: [DONE]\r\r";
	const char *want =
	    "message_start|{\"u\":1}\x1e"
	    "content_block_delta|{\"t\":\"h\xc3\xa9\"}\x1e"
	    "message|[DONE]\x1e";
	size_t cut, n = strlen(text);
	char *got;

	(void)state;
	for (cut = 0; cut <= n; cut++) {
		got = parse_split(SSE_EVENTS, text, cut);
		assert_string_equal(got, want);
		free(got);
	}
	got = parse_bytewise(SSE_EVENTS, text);
	assert_string_equal(got, want);
	free(got);
}

static void
test_finish_dispatches_open_event(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS, "data: [DONE]", "message|[DONE]\x1e");
	expect_events(SSE_EVENTS, "data: [DONE]\n", "message|[DONE]\x1e");
}

static void
test_bom_stripped(void **state)
{
	(void)state;
	expect_events(SSE_EVENTS, "\xef\xbb\xbf" "data: z\n\n", "message|z\x1e");
	expect_events(SSE_NDJSON, "\xef\xbb\xbf{\"a\":1}\n", "-|{\"a\":1}\x1e");
}

static void
test_event_too_big(void **state)
{
	struct sse_parser p;
	struct record r;
	char chunk[64];
	int i, rc = 0;

	(void)state;
	record_init(&r);
	sse_init(&p, SSE_EVENTS, 100, record_event, &r);
	memset(chunk, 'x', sizeof chunk);
	assert_int_equal(sse_feed(&p, "data: ", 6), 0);
	for (i = 0; i < 4 && rc == 0; i++)
		rc = sse_feed(&p, chunk, sizeof chunk);
	assert_int_equal(rc, SSE_ETOOBIG);
	/* Sticky: the parser stays stopped. */
	assert_int_equal(sse_feed(&p, "\n\n", 2), SSE_ETOOBIG);
	assert_int_equal(sse_finish(&p), SSE_ETOOBIG);
	assert_int_equal(r.count, 0);
	sse_free(&p);
	buf_free(&r.log);
}

static void
test_many_data_lines_too_big(void **state)
{
	struct sse_parser p;
	struct record r;
	int i, rc = 0;

	(void)state;
	/* Each line is short, but the event they make is not. */
	record_init(&r);
	sse_init(&p, SSE_EVENTS, 100, record_event, &r);
	for (i = 0; i < 50 && rc == 0; i++)
		rc = sse_feed(&p, "data: 0123456789\n", 17);
	assert_int_equal(rc, SSE_ETOOBIG);
	assert_int_equal(r.count, 0);
	sse_free(&p);
	buf_free(&r.log);
}

static void
test_callback_stops(void **state)
{
	struct sse_parser p;
	struct record r;
	const char *text = "data: 1\n\ndata: 2\n\ndata: 3\n\n";

	(void)state;
	record_init(&r);
	r.stop_after = 2;
	sse_init(&p, SSE_EVENTS, 100, record_event, &r);
	assert_int_equal(sse_feed(&p, text, strlen(text)), 7);
	assert_int_equal(r.count, 2);
	assert_int_equal(sse_feed(&p, "data: 4\n\n", 9), 7);
	assert_int_equal(r.count, 2);
	assert_string_equal(buf_str(&r.log), "message|1\x1emessage|2\x1e");
	sse_free(&p);
	buf_free(&r.log);
}

static void
test_reset_forgets_partial(void **state)
{
	struct sse_parser p;
	struct record r;

	(void)state;
	record_init(&r);
	sse_init(&p, SSE_EVENTS, 100, record_event, &r);
	assert_int_equal(sse_feed(&p, "event: a\ndata: partial\nda", 25), 0);
	sse_reset(&p);
	assert_int_equal(sse_feed(&p, "data: new\n\n", 11), 0);
	assert_string_equal(buf_str(&r.log), "message|new\x1e");
	sse_free(&p);
	buf_free(&r.log);
}

static void
test_ndjson_lines(void **state)
{
	(void)state;
	expect_events(SSE_NDJSON,
	    "{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}",
	    "-|{\"a\":1}\x1e-|{\"b\":2}\x1e-|{\"c\":3}\x1e");
}

static void
test_ndjson_every_split_point(void **state)
{
	const char *text = "{\"message\":{\"content\":\"a\"},\"done\":false}\r\n"
	    "{\"done\":true}\n";
	const char *want = "-|{\"message\":{\"content\":\"a\"},\"done\":false}"
	    "\x1e-|{\"done\":true}\x1e";
	size_t cut, n = strlen(text);
	char *got;

	(void)state;
	for (cut = 0; cut <= n; cut++) {
		got = parse_split(SSE_NDJSON, text, cut);
		assert_string_equal(got, want);
		free(got);
	}
}

static void
test_ndjson_ignores_sse_syntax(void **state)
{
	(void)state;
	/* A colon line is data in NDJSON, not a comment. */
	expect_events(SSE_NDJSON, ": x\n", "-|: x\x1e");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_event),
		cmocka_unit_test(test_unnamed_event_is_message),
		cmocka_unit_test(test_data_lines_joined),
		cmocka_unit_test(test_only_one_space_removed),
		cmocka_unit_test(test_comments_and_unknown_fields),
		cmocka_unit_test(test_blank_without_data),
		cmocka_unit_test(test_empty_data_is_dispatched),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_crlf_split_across_feeds),
		cmocka_unit_test(test_every_split_point),
		cmocka_unit_test(test_finish_dispatches_open_event),
		cmocka_unit_test(test_bom_stripped),
		cmocka_unit_test(test_event_too_big),
		cmocka_unit_test(test_many_data_lines_too_big),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_reset_forgets_partial),
		cmocka_unit_test(test_ndjson_lines),
		cmocka_unit_test(test_ndjson_every_split_point),
		cmocka_unit_test(test_ndjson_ignores_sse_syntax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
