/*
 * llm_reply.c - the holder of one completion's reply.  Part of the LLM
 * interface (llm.h) the core shares with its clients, so that the review
 * pipeline links without any of them.
 */
#include <stdlib.h>

#include "rustnote/buf.h"
#include "rustnote/llm.h"

void
llm_reply_init(struct llm_reply *r)
{
	buf_init(&r->text, LLM_MAX_REPLY);
	r->finish = LLM_FINISH_STOP;
	r->input_tokens = -1;
	r->output_tokens = -1;
	r->model = NULL;
	r->quirks = 0;
}

void
llm_reply_free(struct llm_reply *r)
{
	buf_free(&r->text);
	free(r->model);
	llm_reply_init(r);
}
