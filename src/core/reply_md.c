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

static void
md_flatten_into(struct buf *b, cmark_node *node)
{
	cmark_node *c;
	const char *lit;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(node);
		buf_adds(b, lit != NULL ? lit : "");
		return;
	case CMARK_NODE_CODE:
		lit = cmark_node_get_literal(node);
		buf_addc(b, '`');
		buf_adds(b, lit != NULL ? lit : "");
		buf_addc(b, '`');
		return;
	case CMARK_NODE_SOFTBREAK:
		buf_addc(b, ' ');
		return;
	case CMARK_NODE_LINEBREAK:
		buf_addc(b, '\n');
		return;
	case CMARK_NODE_CODE_BLOCK:
		lit = cmark_node_get_literal(node);
		buf_adds(b, lit != NULL ? lit : "");
		return;
	default:
		break;
	}
	for (c = cmark_node_first_child(node); c != NULL;
	    c = cmark_node_next(c)) {
		if (b->len > 0 &&
		    cmark_node_get_type(c) == CMARK_NODE_PARAGRAPH)
			buf_addc(b, '\n');
		md_flatten_into(b, c);
	}
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

static void md_blocks(struct md_reader *, cmark_node *, struct md_ctx *);

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
 * sets their kind or topic; any other bullet is a finding.
 */
static void
md_item(struct md_reader *r, cmark_node *item, const struct md_ctx *ctx)
{
	cmark_node *para = md_item_para(item), *c;
	struct md_ctx sub = *ctx;
	char *text = md_text(para), *topic = NULL;
	int k;

	if (para != NULL &&
	    !(md_has_sublist(item) && md_is_label(para, text))) {
		md_finding(r, item, para, ctx);
		goto out;
	}
	strip_colon(text);
	k = finding_kind_parse(text);
	if (k >= 0 && text_count_words(text) <= 6) {
		sub.kind = k;
		sub.skip = false;
	} else if (heading_not_findings(text)) {
		sub.skip = true;
	} else if (text[0] != '\0') {
		topic = xstrdup(text);
		sub.topic = topic;
	}
	for (c = cmark_node_first_child(item); c != NULL;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_LIST)
			md_blocks(r, c, &sub);
	}
out:
	free(topic);
	free(text);
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

/* Walk sibling blocks; headings and label paragraphs set the context. */
static void
md_blocks(struct md_reader *r, cmark_node *parent, struct md_ctx *ctx)
{
	struct md_ctx local = *ctx;
	cmark_node *c;

	for (c = cmark_node_first_child(parent); c != NULL;
	    c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_HEADING:
			md_heading(c, &local);
			break;
		case CMARK_NODE_PARAGRAPH:
			md_paragraph(r, c, &local);
			break;
		case CMARK_NODE_ITEM:
			md_item(r, c, &local);
			break;
		case CMARK_NODE_LIST:
		case CMARK_NODE_BLOCK_QUOTE:
			md_blocks(r, c, &local);
			break;
		default:
			break;
		}
	}
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
	doc = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
	if (doc != NULL)
		md_blocks(&r, doc, &ctx);
	cmark_node_free(doc);
	if (out->findings.n > 0) {
		free(out->summary);
		out->summary = san_text(buf_str(&r.summary), r.summary.len,
		    SAN_NEWLINE, FINDING_MAX_FIELD);
	}
	buf_free(&r.summary);
	return out->findings.n;
}
