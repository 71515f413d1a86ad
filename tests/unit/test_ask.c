/* Unit tests: questions to the tutor (request, conversation, offline answer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/ask.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/overview.h"
#include "rustnote/prompt.h"
#include "rustnote/util.h"

static const char NOTE[] =
    "# Memory\n"
    "\n"
    "Every block gets its own stack frame.\n"
    "The heap is for data of unknown size.\n";

static const char OVERVIEW[] =
    "## 2. Memory\n\nWrite about:\n\n* Stack frames\n\n"
    "Do **not** mention references here.\n";

struct fixture {
	struct note *note;
	struct overview *ovw;
	struct finding_list found;
};

static void
add_finding(struct finding_list *l, int line, enum finding_state st,
    const char *message)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.kind = FK_INCORRECT;
	f.severity = FS_HIGH;
	f.state = st;
	f.line = f.end_line = line;
	f.quote = xstrdup(line ? "Every block gets its own stack frame." : "");
	f.topic = xstrdup("Stack frames");
	f.message = xstrdup(message);
	f.suggestion = xstrdup("Say that a frame belongs to a call.");
	f.rule_id = xstrdup("block-creates-frame");
	flist_push(l, &f);
}

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	char err[RN_ERRLEN];

	setenv("RUSTNOTE_DATADIR", ".", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent-rustnote-test", 1);
	assert_int_equal(note_parse("memory.md", NOTE, strlen(NOTE),
	    &fx->note, err, sizeof(err)), RN_OK);
	assert_int_equal(ovw_parse("path.md", OVERVIEW, strlen(OVERVIEW),
	    &fx->ovw, err, sizeof(err)), RN_OK);
	flist_init(&fx->found);
	add_finding(&fx->found, 3, FST_NONE, "A frame belongs to a call.");
	add_finding(&fx->found, 3, FST_RESOLVED, "An old finding.");
	add_finding(&fx->found, 0, FST_NONE, "The note misses a topic.");
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	note_free(fx->note);
	ovw_free(fx->ovw);
	flist_free(&fx->found);
	free(fx);
	return 0;
}

static void
test_subject_holds_the_live_findings_of_the_line(void **state)
{
	struct fixture *fx = *state;
	struct ask_subject s;

	assert_int_equal(ask_subject_at(&fx->found, 3, &s), 1);
	assert_string_equal(s.findings[0]->message,
	    "A frame belongs to a call.");
	ask_subject_free(&s);
	assert_int_equal(ask_subject_at(&fx->found, 4, &s), 0);
	ask_subject_free(&s);
	assert_int_equal(ask_subject_at(&fx->found, 0, &s), 1);
	assert_string_equal(s.findings[0]->message, "The note misses a topic.");
	ask_subject_free(&s);
}

static void
test_request_carries_line_finding_and_question(void **state)
{
	struct fixture *fx = *state;
	struct ask_subject s;
	struct ask_thread t;
	struct prompt p;
	char err[RN_ERRLEN];

	ask_thread_init(&t);
	ask_subject_at(&fx->found, 3, &s);
	assert_int_equal(ask_prompt(fx->note, fx->ovw, &s, &t,
	    "Why is that wrong?", &p, err, sizeof(err)), RN_OK);
	assert_non_null(strstr(p.system, "exceptional teaching skills"));
	assert_non_null(strstr(p.user, "3 | Every block gets its own stack"));
	assert_non_null(strstr(p.user, "(line 3)"));
	assert_non_null(strstr(p.user, "message: A frame belongs to a call."));
	assert_non_null(strstr(p.user, "Why is that wrong?"));
	assert_non_null(strstr(p.user, "Do **not** mention references"));
	assert_null(strstr(p.user, "conversation so far"));
	assert_null(strstr(p.user, "An old finding."));
	assert_null(p.schema);
	prompt_free(&p);
	ask_subject_free(&s);
	ask_thread_free(&t);
}

static void
test_follow_up_carries_earlier_turns(void **state)
{
	struct fixture *fx = *state;
	struct ask_subject s;
	struct ask_thread t;
	struct prompt p;
	char err[RN_ERRLEN], q[32];
	int i;

	ask_thread_init(&t);
	for (i = 1; i <= ASK_MAX_TURNS + 5; i++) {
		snprintf(q, sizeof(q), "question %d?", i);
		ask_thread_add(&t, q, "an answer");
	}
	ask_subject_at(&fx->found, 3, &s);
	assert_int_equal(ask_prompt(fx->note, fx->ovw, &s, &t, "And then?",
	    &p, err, sizeof(err)), RN_OK);
	assert_non_null(strstr(p.user, "conversation so far"));
	assert_non_null(strstr(p.user, "Learner: question 25?"));
	assert_non_null(strstr(p.user, "Learner: question 6?"));
	assert_null(strstr(p.user, "Learner: question 5?"));
	prompt_free(&p);
	ask_subject_free(&s);
	ask_thread_free(&t);
}

static void
test_turns_are_cleaned_and_capped(void **state)
{
	struct ask_thread t;
	char *big = xmalloc(ASK_MAX_ANSWER * 2 + 1);

	(void)state;
	memset(big, 'a', ASK_MAX_ANSWER * 2);
	big[ASK_MAX_ANSWER * 2] = '\0';
	ask_thread_init(&t);
	ask_thread_add(&t, "why\x1b[2J?", big);
	assert_null(strchr(t.turns[0].question, '\x1b'));
	assert_true(strlen(t.turns[0].answer) <= ASK_MAX_ANSWER);
	ask_thread_free(&t);
	free(big);
}

static void
test_offline_answer_explains_the_finding(void **state)
{
	struct fixture *fx = *state;
	struct ask_subject s;
	char *a;

	ask_subject_at(&fx->found, 3, &s);
	a = ask_offline_answer(fx->note, &s, NULL);
	assert_non_null(strstr(a, "Line 3: Every block gets its own"));
	assert_non_null(strstr(a, "A frame belongs to a call."));
	assert_non_null(strstr(a, "Say that a frame belongs to a call."));
	free(a);
	ask_subject_free(&s);

	ask_subject_at(&fx->found, 4, &s);
	a = ask_offline_answer(fx->note, &s, NULL);
	assert_non_null(strstr(a, "raised nothing on line 4"));
	free(a);
	ask_subject_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_holds_the_live_findings_of_the_line),
		cmocka_unit_test(test_request_carries_line_finding_and_question),
		cmocka_unit_test(test_follow_up_carries_earlier_turns),
		cmocka_unit_test(test_turns_are_cleaned_and_capped),
		cmocka_unit_test(test_offline_answer_explains_the_finding),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
