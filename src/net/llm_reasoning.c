/*
 * llm_reasoning.c - what a reply holds besides its answer: reasoning and
 * refusals.
 *
 * DeepSeek-R1, QwQ and llama.cpp's server with --reasoning-format none
 * put the model's reasoning in the content itself, as a <think>...</think>
 * block before the answer.  That block may hold JSON that looks like the
 * findings, so it must never reach the findings parser: the start of the
 * content is held back until it is known to open a block or not, and a
 * block is dropped up to its closing tag, however the deltas split it.
 * Reasoning in fields of its own (reasoning_content, reasoning, thinking)
 * is never read as text at all; it only tells progress "thinking".
 */
#include <string.h>

#include "rustnote/buf.h"
#include "provider.h"

struct think_tag {
	const char *open, *close;
};

static const struct think_tag think_tags[] = {
	{ "<think>", "</think>" },
	{ "<thinking>", "</thinking>" },
};

#define NTAGS (sizeof think_tags / sizeof think_tags[0])

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * What the held text says: 1 opens a block (*tag set, *skip = bytes up to
 * the end of the opening tag), 0 may still open one, -1 is the answer.
 */
static int
opens_block(const struct buf *held, const struct think_tag **tag,
    size_t *skip)
{
	size_t i = 0, n, k;
	bool maybe = false;

	while (i < held->len && is_space(held->data[i]))
		i++;
	if (i == held->len)
		return 0;
	for (k = 0; k < NTAGS; k++) {
		n = strlen(think_tags[k].open);
		if (held->len - i >= n &&
		    memcmp(held->data + i, think_tags[k].open, n) == 0) {
			*tag = &think_tags[k];
			*skip = i + n;
			return 1;
		}
		if (held->len - i < n &&
		    memcmp(held->data + i, think_tags[k].open, held->len - i) ==
		    0)
			maybe = true;
	}
	return maybe ? 0 : -1;
}

/* Drop held text up to the end of the closing tag, if it came. */
static int
skip_block(struct llm_sink *s)
{
	size_t n = strlen(s->think_close), keep;
	const char *end;

	end = memmem(s->held.data, s->held.len, s->think_close, n);
	if (end == NULL) {
		/* Keep only what may be the start of the closing tag. */
		keep = s->held.len < n - 1 ? s->held.len : n - 1;
		memmove(s->held.data, s->held.data + s->held.len - keep, keep);
		s->held.len = keep;
		return LLM_EV_MORE;
	}
	s->think = THINK_OUT;
	end += n;
	n = s->held.len - (size_t)(end - s->held.data);
	memmove(s->held.data, end, n);
	s->held.len = n;
	return LLM_EV_MORE;
}

/* Pass the held text on as the answer. */
static int
release(struct llm_sink *s)
{
	int rc = llm_sink_answer(s, s->held.data, s->held.len);

	buf_reset(&s->held);
	return rc;
}

int
llm_sink_text(struct llm_sink *s, const char *p, size_t n)
{
	const struct think_tag *tag = NULL;
	size_t skip = 0;
	int r;

	if (n == 0)
		return LLM_EV_MORE;
	if (s->think == THINK_OUT && s->held.len == 0)
		return llm_sink_answer(s, p, n);
	if (buf_add(&s->held, p, n) != 0)
		return LLM_EV_TOOBIG;
	if (s->think == THINK_START) {
		if ((r = opens_block(&s->held, &tag, &skip)) == 0)
			return LLM_EV_MORE;
		if (r < 0) {
			s->think = THINK_OUT;
			return release(s);
		}
		s->think = THINK_IN;
		s->think_close = tag->close;
		s->thinking = true;
		memmove(s->held.data, s->held.data + skip, s->held.len - skip);
		s->held.len -= skip;
	}
	if (s->think == THINK_IN && skip_block(s) != LLM_EV_MORE)
		return LLM_EV_TOOBIG;
	if (s->think == THINK_OUT)
		return release(s);
	return LLM_EV_MORE;
}

int
llm_sink_end(struct llm_sink *s)
{
	/* Only blank text or the start of a tag was held: it is the answer. */
	if (s->think == THINK_START)
		return release(s);
	/* An unclosed block: all of it was reasoning. */
	if (s->think == THINK_IN)
		buf_reset(&s->held);
	return LLM_EV_MORE;
}

void
llm_sink_thinking(struct llm_sink *s)
{
	s->thinking = true;
}

void
llm_sink_refusal(struct llm_sink *s, const char *p, size_t n)
{
	size_t room = s->refusal.cap > s->refusal.len ?
	    s->refusal.cap - s->refusal.len : 0;

	/* The start of a long refusal says enough. */
	buf_add(&s->refusal, p, n < room ? n : room);
}
