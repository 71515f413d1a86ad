/*
 * ask.h - questions to the tutor about a finding, or about a line of the
 * note, and the conversation they start.
 *
 * ask_prompt() builds the request from prompts/ask.md (the tutor's role and
 * instructions) and prompts/ask-user.md (the overview, the numbered note,
 * the findings at the line, the earlier turns and the question).  Without
 * an LLM, ask_offline_answer() explains the findings from what the review
 * and its rules carry.  Knows nothing of the network.
 */
#ifndef RUSTNOTE_ASK_H
#define RUSTNOTE_ASK_H

#include <stddef.h>

#include "rustnote/err.h"
#include "rustnote/finding.h"

struct note;
struct overview;
struct prompt;
struct rule_set;

#define ASK_MAX_QUESTION 4000	/* bytes of one question */
#define ASK_MAX_ANSWER ((size_t)64 << 10)	/* bytes of one answer kept */
#define ASK_MAX_TURNS 20	/* turns of one conversation sent back */

struct ask_turn {
	char *question;
	char *answer;
};

/* One conversation: the turns so far, oldest first. */
struct ask_thread {
	struct ask_turn *turns;
	size_t n, cap;
};

/* What a question is about: a line and the findings that cover it. */
struct ask_subject {
	int line;			/* 1-based; 0 = the note as a whole */
	const struct finding **findings;	/* lent */
	size_t nfindings;
};

void ask_thread_init(struct ask_thread *t);
void ask_thread_free(struct ask_thread *t);
/* Append a turn (copies both texts, cut to the caps above). */
void ask_thread_add(struct ask_thread *t, const char *question,
    const char *answer);

/*
 * Point s at the findings of l that cover line (a whole-note finding when
 * line is 0).  s->findings is allocated (free it); returns their number.
 */
size_t ask_subject_at(const struct finding_list *l, int line,
    struct ask_subject *s);
void ask_subject_free(struct ask_subject *s);

/* Build the request for question (no reply schema: answers are prose). */
enum rn_status ask_prompt(const struct note *n, const struct overview *o,
    const struct ask_subject *s, const struct ask_thread *t,
    const char *question, struct prompt *out, char *err, size_t errlen);

/*
 * The answer without an LLM: each finding's message, suggestion and the
 * references its rule carries (rules may be NULL), or a word that the line
 * has no finding.  Returns a new string.
 */
char *ask_offline_answer(const struct note *n, const struct ask_subject *s,
    const struct rule_set *rules);

#endif
