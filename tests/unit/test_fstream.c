/*
 * test_fstream.c - findings picked out of a reply while it streams in, cut
 * into deltas of every size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/finding.h"
#include "rustnote/util.h"

#include "testutil.h"

/* What the callback saw: the findings, and how much text had arrived. */
struct seen {
	struct finding_list list;
	size_t fed;		/* bytes fed so far */
	size_t at[32];		/* bytes fed when finding i arrived */
};

static void
on_finding(void *ud, struct finding *f)
{
	struct seen *s = ud;

	if (s->list.n < 32)
		s->at[s->list.n] = s->fed;
	flist_push(&s->list, f);	/* takes the fields */
}

/* Feed text in deltas of `step` bytes (0: random sizes from seed). */
static struct finding_stream *
feed(struct seen *s, const char *text, size_t len, size_t step,
    unsigned seed)
{
	struct finding_stream *fs = fstream_new(on_finding, s);
	size_t i = 0, n;

	memset(s, 0, sizeof(*s));
	flist_init(&s->list);
	while (i < len) {
		n = step != 0 ? step : 1 + (size_t)(rand_r(&seed) % 37);
		if (n > len - i)
			n = len - i;
		s->fed = i + n;
		fstream_feed(fs, text + i, n);
		i += n;
	}
	return fs;
}

/* The same findings, in order, whatever the delta sizes. */
static void
check_splits(const char *name, size_t want)
{
	static const size_t steps[] = { 1, 2, 3, 7, 64, 100000 };
	struct finding_stream *fs;
	struct finding_reply whole;
	struct seen s;
	char err[RN_ERRLEN];
	size_t len, i, k;
	char *text = load_reply(name, &len);

	assert_int_equal(finding_parse_reply(text, len, &whole, err,
	    sizeof(err)), RN_OK);
	assert_int_equal(whole.findings.n, want);
	for (k = 0; k < sizeof(steps) / sizeof(steps[0]) + 20; k++) {
		fs = feed(&s, text, len,
		    k < sizeof(steps) / sizeof(steps[0]) ? steps[k] : 0,
		    (unsigned)k);
		assert_int_equal(fstream_count(fs), want);
		assert_int_equal(s.list.n, want);
		for (i = 0; i < want; i++) {
			assert_int_equal(s.list.v[i].kind,
			    whole.findings.v[i].kind);
			assert_string_equal(s.list.v[i].quote,
			    whole.findings.v[i].quote);
			assert_string_equal(s.list.v[i].message,
			    whole.findings.v[i].message);
			assert_int_equal(s.list.v[i].model_line,
			    whole.findings.v[i].model_line);
		}
		fstream_free(fs);
		flist_free(&s.list);
	}
	finding_reply_free(&whole);
	free(text);
}

static void
test_splits_plain(void **state)
{
	(void)state;
	check_splits("openai-json.txt", 6);
}

static void
test_splits_fenced(void **state)
{
	(void)state;
	check_splits("claude-fenced.md", 3);
}

static void
test_splits_variants(void **state)
{
	(void)state;
	check_splits("variants.json", 7);
	check_splits("array.json", 2);
	check_splits("kind-keyed.json", 4);
	check_splits("hostile.json", 1);
}

/* Each finding arrives the moment its closing brace does. */
static void
test_reported_at_closing_brace(void **state)
{
	const char *text = "Sure.\n```json\n{\"summary\": "
	    "\"s {not} \\\"x\\\"\", \"findings\": [{\"kind\": \"gap\", "
	    "\"message\": \"has } and "
	    "{ and \\\"quotes\\\"\"}, {\"kind\": \"scope\", \"message\": "
	    "\"two\", \"extra\": {\"nested\": [1, {\"a\": 2}]}}]}\n```\n";
	struct finding_stream *fs;
	const char *close1, *close2;
	struct seen s;

	(void)state;
	fs = feed(&s, text, strlen(text), 1, 0);
	assert_int_equal(s.list.n, 2);
	close1 = strstr(text, "\\\"quotes\\\"\"}") + 12;
	close2 = strstr(text, "2}]}}") + 5;
	assert_int_equal(s.at[0], (size_t)(close1 - text));
	assert_int_equal(s.at[1], (size_t)(close2 - text));
	assert_string_equal(s.list.v[0].message,
	    "has } and { and \"quotes\"");
	assert_int_equal(s.list.v[1].kind, FK_SCOPE);
	assert_false(fstream_truncated(fs));
	fstream_free(fs);
	flist_free(&s.list);
}

static void
test_truncated_stream(void **state)
{
	struct finding_stream *fs;
	struct seen s;
	size_t len;
	char *text = load_reply("truncated.txt", &len);

	(void)state;
	fs = feed(&s, text, len, 5, 0);
	assert_int_equal(fstream_count(fs), 2);
	assert_true(fstream_truncated(fs));
	fstream_free(fs);
	flist_free(&s.list);
	free(text);
}

static void
test_prose_and_markdown_ignored(void **state)
{
	const char *text = "Blocks ({}) are scopes.\n[link](x) and "
	    "\"quotes\" {\"a\": 1}\n## Gaps\n- \"findings\": [\n";
	struct finding_stream *fs;
	struct seen s;

	(void)state;
	fs = feed(&s, text, strlen(text), 1, 0);
	assert_int_equal(fstream_count(fs), 0);
	fstream_free(fs);
	flist_free(&s.list);
}

static void
test_count_capped(void **state)
{
	struct finding_stream *fs;
	struct seen s;
	struct buf b;
	int i;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "{\"findings\": [");
	for (i = 0; i < FINDING_MAX_COUNT + 50; i++)
		buf_printf(&b, "%s{\"kind\": \"gap\", \"message\": \"m%d\"}",
		    i > 0 ? "," : "", i);
	buf_adds(&b, "]}");
	fs = feed(&s, b.data, b.len, 4096, 0);
	assert_int_equal(fstream_count(fs), FINDING_MAX_COUNT);
	assert_int_equal(s.list.n, FINDING_MAX_COUNT);
	fstream_free(fs);
	flist_free(&s.list);
	buf_free(&b);
}

/* Random bytes in random deltas: no crash, nothing unclean reported. */
static void
test_random_bytes(void **state)
{
	static const char *const pieces[] = {
		"{", "}", "[", "]", "\"", "\\", ":", ",", "\"findings\"",
		"\"kind\"", "\"gap\"", "\"message\"", "\"x\"", "\n", "\x1b",
		"\xff", "\"gaps\"", " ",
	};
	unsigned seed = 99;
	struct finding_stream *fs;
	struct seen s;
	char buf[512];
	size_t len, i;
	int it;

	(void)state;
	for (it = 0; it < 3000; it++) {
		len = 0;
		while (len < sizeof(buf) - 16 && rand_r(&seed) % 80 != 0) {
			const char *p = pieces[rand_r(&seed) %
			    (sizeof(pieces) / sizeof(pieces[0]))];

			if (rand_r(&seed) % 5 == 0) {
				buf[len++] = (char)rand_r(&seed);
				continue;
			}
			memcpy(buf + len, p, strlen(p));
			len += strlen(p);
		}
		fs = feed(&s, buf, len, 0, (unsigned)it);
		for (i = 0; i < s.list.n; i++) {
			assert_non_null(s.list.v[i].message);
			assert_null(strchr(s.list.v[i].message, '\x1b'));
		}
		fstream_free(fs);
		flist_free(&s.list);
	}
}

/* A 4 MB reply in 1-byte deltas (make bench times it). */
static void
test_huge_message_in_bytes(void **state)
{
	struct finding_stream *fs;
	struct seen s;
	struct buf b;
	int i;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "{\"summary\": \"s\", \"findings\": [{\"kind\": \"gap\", "
	    "\"message\": \"");
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "forty bytes of message text, repeated. ");
	buf_adds(&b, "\"}]}");
	fs = feed(&s, b.data, b.len, 1, 0);
	assert_int_equal(s.list.n, 1);
	assert_true(strlen(s.list.v[0].message) <= FINDING_MAX_FIELD);
	fstream_free(fs);
	flist_free(&s.list);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splits_plain),
		cmocka_unit_test(test_splits_fenced),
		cmocka_unit_test(test_splits_variants),
		cmocka_unit_test(test_reported_at_closing_brace),
		cmocka_unit_test(test_truncated_stream),
		cmocka_unit_test(test_prose_and_markdown_ignored),
		cmocka_unit_test(test_count_capped),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_huge_message_in_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
