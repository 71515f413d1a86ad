/*
 * reply_md.c - findings from a reply that holds no JSON but Markdown:
 * bullets under headings such as "Gaps" and "Incorrect statements", bold
 * labels, quotes and line references in the bullet's text, summaries in
 * paragraphs.  cmark reads the Markdown.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "rustnote/buf.h"
#include "rustnote/finding.h"
#include "rustnote/sanitize.h"
#include "rustnote/text.h"
#include "rustnote/util.h"

#include "reply_int.h"

#define MD_TEXT_CAP	((size_t)1 << 20)
#define MD_INPUT_CAP	((size_t)512 << 10)	/* bytes of a reply cmark reads */
#define MD_MAX_DEPTH	256	/* levels of nesting read */

static bool pure_label(const char *, bool);

/* Where a bullet is in the reply's outline. */
struct md_ctx {
	int kind;		/* from the heading, -1 when none */
	bool skip;		/* under "Summary" or "Strengths" */
	bool summary;		/* paragraphs here are the summary */
	const char *topic;	/* of a grouping bullet ("Stack vs heap:") */
};

struct md_reader {
	struct finding_list *out;
	struct buf summary;
	bool seen_finding;
};

/* The text one node adds when entered; root is where the walk began. */
static void
md_flatten_node(struct buf *b, cmark_node *node, cmark_node *root)
{
	const char *lit = cmark_node_get_literal(node);

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_CODE_BLOCK:
		buf_adds(b, lit != NULL ? lit : "");
		break;
	case CMARK_NODE_CODE:
		buf_addc(b, '`');
		buf_adds(b, lit != NULL ? lit : "");
		buf_addc(b, '`');
		break;
	case CMARK_NODE_SOFTBREAK:
		buf_addc(b, ' ');
		break;
	case CMARK_NODE_LINEBREAK:
		buf_addc(b, '\n');
		break;
	case CMARK_NODE_PARAGRAPH:
		if (node != root && b->len > 0)
			buf_addc(b, '\n');
		break;
	default:
		break;
	}
}

/* The model decides how deep its reply nests: walked with cmark's
 * iterator, never by recursion. */
static void
md_flatten_into(struct buf *b, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			md_flatten_node(b, cmark_iter_get_node(it), node);
	cmark_iter_free(it);
}

/* Plain text of a node: emphasis markers dropped, code spans kept. */
static char *
md_text(cmark_node *node)
{
	struct buf b;

	buf_init(&b, MD_TEXT_CAP);
	if (node != NULL)
		md_flatten_into(&b, node);
	return str_trim(buf_steal(&b));
}

/* Headings whose bullets are not findings. */
static bool
heading_not_findings(const char *text)
{
	static const char *const words[] = {
		"summary", "overall", "strength", "what you got right",
		"what's good", "what is good", "good", "well done", "positive",
		"praise", "next step", "suggestion", "recommendation",
		"conclusion", "verdict", "tl;dr", "tldr", "action item",
		"quick win", "checklist", "revised", "rewrite", "example",
		"what works", "nice", NULL
	};
	char *f = reply_fold(text);
	long at = reply_first_phrase(f, words);

	free(f);
	return at >= 0;
}

static bool
heading_is_summary(const char *text)
{
	static const char *const words[] = {
		"summary", "overall", "tl;dr", "tldr", "verdict", NULL
	};
	char *f = reply_fold(text);
	long at = reply_first_phrase(f, words);

	free(f);
	return at >= 0;
}

/*
 * A heading sets the kind of the bullets under it.  Its words are not used
 * as their topic: headings are as often a title ("Review of your note") as
 * a section of the note.
 */
static void
md_heading(cmark_node *node, struct md_ctx *ctx)
{
	char *text = md_text(node);
	int k = finding_kind_parse(text);

	ctx->kind = k;
	ctx->summary = k < 0 && heading_is_summary(text);
	ctx->skip = k < 0 && heading_not_findings(text);
	ctx->topic = NULL;
	free(text);
}

/* Remove one trailing ':' (a label's), then white space. */
static char *
strip_colon(char *s)
{
	size_t n;

	str_trim(s);
	n = strlen(s);
	if (n > 0 && s[n - 1] == ':')
		s[n - 1] = '\0';
	return str_trim(s);
}

/* First inline child is bold: its text, else NULL. */
static char *
md_bold_lead(cmark_node *para)
{
	cmark_node *c = para != NULL ? cmark_node_first_child(para) : NULL;

	if (c == NULL || cmark_node_get_type(c) != CMARK_NODE_STRONG)
		return NULL;
	return md_text(c);
}

/* A paragraph that is only bold text (and maybe a colon). */
static bool
md_bold_only(cmark_node *para)
{
	cmark_node *c = cmark_node_first_child(para), *next;
	const char *lit;

	if (c == NULL || cmark_node_get_type(c) != CMARK_NODE_STRONG)
		return false;
	next = cmark_node_next(c);
	if (next == NULL)
		return true;
	if (cmark_node_get_type(next) != CMARK_NODE_TEXT ||
	    cmark_node_next(next) != NULL)
		return false;
	lit = cmark_node_get_literal(next);
	return lit != NULL && strspn(lit, ": ") == strlen(lit);
}

/*
 * A short line that labels what follows ("**Gaps**", "Incorrect
 * statements:", "Stack vs heap:") rather than saying something itself.
 */
static bool
md_is_label(cmark_node *para, const char *text)
{
	size_t n = strlen(text);

	if (n == 0 || n > 80 || text_count_words(text) > 8)
		return false;
	return text[n - 1] == ':' || (para != NULL && md_bold_only(para)) ||
	    pure_label(text, true);
}

/*
 * Words of a pure label ("Incorrect statement", "Out of scope", "Gap
 * (high)", or with need_kind false also "High"): a bullet starting with one
 * is labelled, and the label is not part of its message.
 */
static bool
pure_label(const char *s, bool need_kind)
{
	static const char *const vocab[] = {
		"gap", "gaps", "missing", "topic", "topics", "incorrect",
		"untrue", "wrong", "inaccurate", "inaccuracy", "false", "error",
		"errors", "statement", "statements", "claim", "claims",
		"implicit", "hidden", "unstated", "assumption", "assumptions",
		"out", "of", "scope", "violation", "violations", "off",
		"offtopic", "issue", "minor", "major", "high", "medium", "low",
		"severity", "misleading", "factual", "not", "true",
		"incomplete", "omission", "and", "or", "a", "an", "the",
		"critical", "priority", NULL
	};
	const char *p = s, *const *v;
	size_t n;
	bool known;

	if (strlen(s) > 60 || (finding_kind_parse(s) < 0 &&
	    (need_kind || finding_severity_parse(s) < 0)))
		return false;
	while (*p != '\0') {
		while (*p != '\0' && !isalnum((unsigned char)*p)) {
			if ((unsigned char)*p >= 0x80)
				return false;
			p++;
		}
		for (n = 0; isalnum((unsigned char)p[n]); n++)
			;
		if (n == 0)
			break;
		known = false;
		for (v = vocab; *v != NULL && !known; v++)
			known = strlen(*v) == n && strncasecmp(p, *v, n) == 0;
		if (!known)
			return false;
		p += n;
	}
	return true;
}

/* Drop the first n bytes of s and the separator after them. */
static void
drop_prefix(char *s, size_t n)
{
	char *p = s + n;

	while (*p == ':' || *p == ' ' || *p == '-' || *p == '.' ||
	    *p == ')' || *p == ']')
		p++;
	if (strncmp(p, "\xe2\x80\x94", 3) == 0 ||
	    strncmp(p, "\xe2\x80\x93", 3) == 0)
		p += 3;
	while (*p == ' ')
		p++;
	memmove(s, p, strlen(p) + 1);
}

/*
 * A label at the start of a bullet: bold ("**Incorrect:** ...", "**Gap**:
 * ..."), bracketed ("[Assumption] ...", "[High] ..."), or plain up to a
 * colon ("Out of scope: ...").  Removes the label from text and returns
 * the kind it names, or -1.
 */
static int
take_label(char *text, const char *bold)
{
	char *label = NULL, *colon;
	size_t n = 0;
	int kind = -1;

	if (bold != NULL) {
		label = xstrdup(bold);
		if ((colon = strchr(label, ':')) != NULL)
			*colon = '\0';
		n = strlen(label);
	} else if (text[0] == '[' || text[0] == '(') {
		n = strcspn(text, text[0] == '[' ? "]" : ")");
		if (text[n] != '\0') {
			label = xstrndup(text + 1, n - 1);
			n++;
		}
	} else if ((colon = strchr(text, ':')) != NULL && colon - text <= 40) {
		n = (size_t)(colon - text);
		label = xstrndup(text, n);
	}
	/* a bold label must really open the text */
	if (label != NULL && bold != NULL && strncmp(text, label, n) != 0)
		n = 0;
	if (label != NULL && n > 0 && pure_label(label, false)) {
		kind = finding_kind_parse(label);
		drop_prefix(text, n);
	}
	free(label);
	return kind;
}


/* "Fix:", "Suggestion:"... where the advice starts, or NULL. */
static char *
find_suggestion(char *t)
{
	static const char *const labels[] = {
		"suggested fix:", "suggestion:", "suggest:", "fix:",
		"recommendation:", "recommend:", "rewrite:", "better:",
		"instead:", "try:", "consider:", NULL
	};
	char *f = reply_fold(t), *at = NULL;
	long off = reply_first_phrase(f, labels);

	if (off >= 0)
		at = t + off;
	free(f);
	return at;
}

static void
append_line(char **dst, const char *text)
{
	char *s;

	if (reply_blank(text))
		return;
	if (reply_blank(*dst)) {
		free(*dst);
		*dst = xstrdup(text);
		return;
	}
	s = xasprintf("%s\n%s", *dst, text);
	free(*dst);
	*dst = s;
}

/* Split "message. Fix: advice" into the message and the suggestion. */
static void
split_suggestion(struct finding *f)
{
	char *at = find_suggestion(f->message), *advice;

	if (at == NULL || at == f->message)
		return;
	advice = xstrdup(at + strcspn(at, ":") + 1);
	*at = '\0';
	str_trim(f->message);
	str_trim(advice);
	append_line(&f->suggestion, advice);
	free(advice);
}

/*
 * Text of an item's blocks after its first paragraph: more paragraphs and
 * code, and sub-bullets that belong to it ("Fix: ..." ones become the
 * suggestion).  A block quote in the item is what the bullet quotes.
 */
static void
md_item_details(cmark_node *item, cmark_node *first, struct finding *f,
    char **block_quote)
{
	cmark_node *c, *sub;
	char *text;

	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (c == first)
			continue;
		if (cmark_node_get_type(c) == CMARK_NODE_BLOCK_QUOTE &&
		    *block_quote == NULL) {
			*block_quote = md_text(c);
			continue;
		}
		if (cmark_node_get_type(c) != CMARK_NODE_LIST) {
			text = md_text(c);
			append_line(&f->message, text);
			free(text);
			continue;
		}
		for (sub = cmark_node_first_child(c); sub != NULL;
		    sub = cmark_node_next(sub)) {
			text = md_text(sub);
			if (find_suggestion(text) == text)
				append_line(&f->suggestion,
				    text + strcspn(text, ":") + 1);
			else
				append_line(&f->message, text);
			free(text);
		}
	}
}

/*
 * Skip "line 12", "lines 3-5", "L12:" or "L3–L5" at p (just after a '('
 * when bracketed); p when there is none.
 */
static const char *
skip_line_ref(const char *p, bool bracketed)
{
	const char *s = p;

	if (strncasecmp(s, "line", 4) == 0) {
		s += 4;
		if (*s == 's' || *s == 'S')
			s++;
		while (*s == ' ' || *s == '#')
			s++;
	} else if (reply_short_line_ref(s, bracketed))
		s++;
	if (s == p || !isdigit((unsigned char)*s))
		return p;
	while (isdigit((unsigned char)*s))
		s++;
	if (reply_skip_range_dash(&s))
		(void)reply_read_number(&s);
	return s;
}

/* Skip the quote, in quote marks or backticks, at p; p when not there. */
static const char *
skip_quoted(const char *p, const char *quote)
{
	static const char *const marks[] = {
		"\"", "\xe2\x80\x9c", "\xe2\x80\x9d", "'", "\xe2\x80\x98",
		"\xe2\x80\x99", "`", NULL
	};
	const char *s = p, *const *m;
	size_t qlen = strlen(quote);
	bool opened = false;

	for (m = marks; *m != NULL && !opened; m++) {
		if (strncmp(s, *m, strlen(*m)) == 0) {
			s += strlen(*m);
			opened = true;
		}
	}
	while (*s == ' ')
		s++;
	if (!opened || qlen == 0 || strncmp(s, quote, qlen) != 0)
		return p;
	s += qlen;
	while (*s == ' ' || *s == '.')
		s++;
	for (m = marks; *m != NULL; m++) {
		if (strncmp(s, *m, strlen(*m)) == 0)
			return s + strlen(*m);
	}
	return p;
}

/* Skip separators: " - ", " — ", ": ", ", " and "(line 12)". */
static const char *
skip_separators(const char *p)
{
	const char *s;

	for (;;) {
		while (*p == ' ' || *p == '-' || *p == ':' || *p == ',' ||
		    *p == ';' || *p == '.')
			p++;
		if (strncmp(p, "\xe2\x80\x94", 3) == 0 ||
		    strncmp(p, "\xe2\x80\x93", 3) == 0) {
			p += 3;
			continue;
		}
		if (*p == '(' && (s = skip_line_ref(p + 1, true)) != p + 1 &&
		    *s == ')') {
			p = s + 1;
			continue;
		}
		return p;
	}
}

/*
 * A bullet often opens with its anchor: "Line 58: \"quote\" - why it is
 * wrong".  The line and quote are kept apart; the message is the
 * explanation after them.
 */
static void
strip_anchor(char *msg, const char *quote)
{
	const char *p = msg, *next;

	for (;;) {
		next = skip_line_ref(p, false);
		if (next == p)
			next = skip_quoted(p, quote);
		if (next == p)
			break;
		p = skip_separators(next);
	}
	if (p == msg || *p == '\0')
		return;
	memmove(msg, p, strlen(p) + 1);
	msg[0] = (char)toupper((unsigned char)msg[0]);
}

/*
 * One bullet (item, with para its first paragraph) or a paragraph (item
 * NULL) that says something: a finding, unless it is praise.
 */
static void
md_finding(struct md_reader *r, cmark_node *item, cmark_node *para,
    const struct md_ctx *ctx)
{
	struct finding f;
	char *bold = md_bold_lead(para), *text = md_text(para), *bq = NULL;
	enum finding_severity sev = reply_find_severity(text);
	int kind = take_label(text, bold);

	if (kind < 0 && ctx->skip)
		goto out;
	memset(&f, 0, sizeof(f));
	f.source = FSRC_LLM;
	f.message = text;
	text = NULL;
	if (item != NULL)
		md_item_details(item, para, &f, &bq);
	split_suggestion(&f);
	if (kind < 0)
		kind = ctx->kind >= 0 ? ctx->kind : (int)reply_infer_kind(f.message);
	f.kind = (enum finding_kind)kind;
	f.severity = sev;
	f.quote = reply_find_quote(f.message);
	if (f.quote == NULL && bq != NULL) {
		f.quote = bq;
		bq = NULL;
	}
	f.quote = reply_quote_tidy(f.quote);
	reply_find_line(f.message, &f.model_line, &f.end_line);
	f.line = f.model_line;
	strip_anchor(f.message, f.quote);
	if (ctx->topic != NULL)
		f.topic = xstrdup(ctx->topic);
	else if (bold != NULL && !pure_label(bold, false))
		f.topic = strip_colon(xstrdup(bold));
	finding_clean(&f);
	if (f.message[0] == '\0' && f.quote[0] == '\0')
		finding_free(&f);
	else {
		flist_push(r->out, &f);
		r->seen_finding = true;
	}
out:
	free(bold);
	free(text);
	free(bq);
}

/* The first paragraph or heading of a list item: its own text. */
static cmark_node *
md_item_para(cmark_node *item)
{
	cmark_node *c;

	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH ||
		    cmark_node_get_type(c) == CMARK_NODE_HEADING)
			return c;
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return NULL;
	}
	return NULL;
}

static bool
md_has_sublist(cmark_node *item)
{
	cmark_node *c;

	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return true;
	}
	return false;
}

/*
 * A bullet that labels nested bullets ("1. **Gaps**", "- Stack vs heap:")
 * sets their kind or topic: true, with the context for its lists in *sub
 * and the topic it names (the caller's to free) in *topic.  Any other
 * bullet is a finding.
 */
static bool
md_item(struct md_reader *r, cmark_node *item, const struct md_ctx *ctx,
    struct md_ctx *sub, char **topic)
{
	cmark_node *para = md_item_para(item);
	char *text = md_text(para);
	bool label = true;
	int k;

	*sub = *ctx;
	*topic = NULL;
	if (para != NULL &&
	    !(md_has_sublist(item) && md_is_label(para, text))) {
		md_finding(r, item, para, ctx);
		label = false;
		goto out;
	}
	strip_colon(text);
	k = finding_kind_parse(text);
	if (k >= 0 && text_count_words(text) <= 6) {
		sub->kind = k;
		sub->skip = false;
	} else if (heading_not_findings(text)) {
		sub->skip = true;
	} else if (text[0] != '\0') {
		*topic = xstrdup(text);
		sub->topic = *topic;
	}
out:
	free(text);
	return label;
}

/*
 * A paragraph just before a list that names a kind ("**Gaps**", "Here are
 * the gaps:") works as a heading; "Here is my review:" does not.
 */
static bool
md_paragraph_is_heading(cmark_node *para, const char *text)
{
	cmark_node *next = cmark_node_next(para);
	size_t n = strlen(text);

	if (next == NULL || cmark_node_get_type(next) != CMARK_NODE_LIST ||
	    n == 0 || n > 80)
		return false;
	if (md_bold_only(para))
		return true;
	return text[n - 1] == ':' && text_count_words(text) <= 8 &&
	    (finding_kind_parse(text) >= 0 || heading_not_findings(text));
}

/* A list between the headings around node. */
static bool
md_section_has_list(cmark_node *node)
{
	cmark_node *c;

	for (c = cmark_node_previous(node); c != NULL &&
	    cmark_node_get_type(c) != CMARK_NODE_HEADING;
	    c = cmark_node_previous(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return true;
	}
	for (c = cmark_node_next(node); c != NULL &&
	    cmark_node_get_type(c) != CMARK_NODE_HEADING;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			return true;
	}
	return false;
}

/*
 * Paragraphs are the summary before the first finding.  Under a kind
 * heading without any list, each paragraph is a finding: some models
 * answer in prose section by section.
 */
static void
md_paragraph(struct md_reader *r, cmark_node *para, struct md_ctx *ctx)
{
	char *text = md_text(para);
	size_t n = strlen(text);

	if (md_paragraph_is_heading(para, text)) {
		md_heading(para, ctx);
	} else if (ctx->kind >= 0 && !ctx->summary && n > 0 &&
	    text[n - 1] != ':' && !md_section_has_list(para)) {
		md_finding(r, NULL, para, ctx);
	} else if (ctx->summary || (!r->seen_finding && ctx->kind < 0 &&
	    !ctx->skip)) {
		if (r->summary.len > 0)
			buf_adds(&r->summary, "\n\n");
		buf_adds(&r->summary, text);
	}
	free(text);
}

/*
 * The walk over the blocks.  The reply decides how deep it nests, so the
 * blocks being read are a stack on the heap, not calls, and past
 * MD_MAX_DEPTH levels the rest is not read.  Each level reads its
 * children in turn with a context of its own: headings and label
 * paragraphs change it for the siblings after them.
 */
struct md_frame {
	cmark_node *next;	/* the next child to read */
	struct md_ctx ctx;
	char *topic;		/* owned; ctx.topic of the levels inside */
	bool lists_only;	/* a label bullet: only its lists are read */
};

struct md_stack {
	struct md_frame *v;
	size_t n, alloc;
};

static void
md_push(struct md_stack *st, cmark_node *node, const struct md_ctx *ctx,
    char *topic, bool lists_only)
{
	struct md_frame *f;

	if (st->n >= MD_MAX_DEPTH) {
		free(topic);
		return;
	}
	if (st->n == st->alloc) {
		st->alloc = st->alloc ? st->alloc * 2 : 16;
		st->v = xreallocarray(st->v, st->alloc, sizeof(*st->v));
	}
	f = &st->v[st->n++];
	f->next = cmark_node_first_child(node);
	f->ctx = *ctx;
	f->topic = topic;
	f->lists_only = lists_only;
}

/* Read block c, a child of the top level. */
static void
md_block(struct md_reader *r, struct md_stack *st, cmark_node *c)
{
	struct md_frame *f = &st->v[st->n - 1];
	cmark_node_type type = cmark_node_get_type(c);
	struct md_ctx sub, here = f->ctx;	/* md_push may move f */
	char *topic;

	if (f->lists_only) {
		if (type == CMARK_NODE_LIST)
			md_push(st, c, &here, NULL, false);
		return;
	}
	switch (type) {
	case CMARK_NODE_HEADING:
		md_heading(c, &f->ctx);
		break;
	case CMARK_NODE_PARAGRAPH:
		md_paragraph(r, c, &f->ctx);
		break;
	case CMARK_NODE_ITEM:
		if (md_item(r, c, &f->ctx, &sub, &topic))
			md_push(st, c, &sub, topic, true);
		break;
	case CMARK_NODE_LIST:
	case CMARK_NODE_BLOCK_QUOTE:
		md_push(st, c, &here, NULL, false);
		break;
	default:
		break;
	}
}

static void
md_walk(struct md_reader *r, cmark_node *doc, const struct md_ctx *ctx)
{
	struct md_stack st = { NULL, 0, 0 };
	struct md_frame *f;
	cmark_node *c;

	md_push(&st, doc, ctx, NULL, false);
	while (st.n > 0) {
		f = &st.v[st.n - 1];
		if ((c = f->next) == NULL) {
			free(f->topic);
			st.n--;
			continue;
		}
		f->next = cmark_node_next(c);
		md_block(r, &st, c);
	}
	free(st.v);
}

/* Findings from a Markdown reply; returns how many. */
size_t
reply_markdown(const char *text, size_t len, struct finding_reply *out)
{
	struct md_ctx ctx = { -1, false, false, NULL };
	struct md_reader r;
	cmark_node *doc;

	memset(&r, 0, sizeof(r));
	r.out = &out->findings;
	buf_init(&r.summary, MD_TEXT_CAP);
	/* Replies are tens of kilobytes: a longer one is read up to the cap,
	   so cmark's cost stays bounded whatever was sent. */
	if (len > MD_INPUT_CAP)
		len = MD_INPUT_CAP;
	doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
	if (doc != NULL)
		md_walk(&r, doc, &ctx);
	cmark_node_free(doc);
	if (out->findings.n > 0) {
		free(out->summary);
		out->summary = san_text(buf_str(&r.summary), r.summary.len,
		    SAN_NEWLINE, FINDING_MAX_FIELD);
	}
	buf_free(&r.summary);
	return out->findings.n;
}
