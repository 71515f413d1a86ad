/*
 * rules_sentence.c - the units rules are matched in: paragraphs, marked
 * by the caller, and the sentences within them.  A sentence ends at ".",
 * "!" or "?" before a space (not after "e.g." or an initial), or at a
 * line break that no wrapped sentence runs across; never inside code.
 */
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/rules.h"
#include "rustnote/text.h"
#include "rules_int.h"

/* Index of the unit holding offset off (or the next one), n if none. */
size_t
rule_unit_at(const struct rule_range *v, size_t n, size_t off)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].end <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Words a full stop may follow without ending the sentence. */
static const char *const abbreviations[] = {
	"e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "approx", "incl", "esp",
	"resp", "ca", "fig", "no", "nr", "viz", "al", NULL
};

/* Words a wrapped line may end with: the sentence goes on. */
static const char *const joining_words[] = {
	"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at",
	"by", "for", "with", "from", "as", "is", "are", "was", "that",
	"which", "than", "into", "its", "their", "this", NULL
};

/* The dot at s[dot] ends an abbreviation ("e.g.", "etc.") or an initial. */
static bool
is_abbreviation(const char *s, size_t dot)
{
	size_t	w = dot;

	while (w > 0 && (rule_is_alnum(s[w - 1]) || s[w - 1] == '.'))
		w--;
	if (dot - w == 1 && rule_is_alnum(s[w]) &&
	    !(s[w] >= '0' && s[w] <= '9'))
		return true;
	return text_list_index_icase(abbreviations, s + w, dot - w) >= 0;
}

/* Does the line break at s[nl] end a sentence that has no full stop? */
static bool
newline_ends_sentence(const char *s, size_t len, size_t nl)
{
	size_t	p = nl, w, q = nl + 1;
	char	last;

	while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))
		p--;
	while (q < len && (s[q] == ' ' || s[q] == '\t'))
		q++;
	if (p == 0 || q >= len)
		return true;
	last = s[p - 1];
	if (last == ',' || last == ';' || last == '(' || last == '-' ||
	    last == '&' || last == '/')
		return false;
	for (w = p; w > 0 && rule_is_alnum(s[w - 1]); w--)
		;
	if (text_list_index_icase(joining_words, s + w, p - w) >= 0)
		return false;
	return last == ':' || (s[q] >= 'A' && s[q] <= 'Z');
}

static void
push_sentence(struct rule_text *t, size_t start, size_t end)
{
	const char	*s = t->text.data;

	while (start < end && rule_is_blank(s[start]))
		start++;
	while (end > start && rule_is_blank(s[end - 1]))
		end--;
	if (end > start)
		rule_range_push(&t->sent, &t->nsent, &t->sent_alloc, start,
		    end);
}

/*
 * "panic! is ...", "use ? to ...": a macro's "!" or the ? operator in
 * prose, followed by a word in lower case, goes on with the sentence.
 */
static bool
is_rust_mark(const char *s, size_t len, size_t i)
{
	size_t	q = i + 1;

	if (s[i] == '.')
		return false;
	if (s[i] == '!' && (i == 0 || !rule_is_alnum(s[i - 1])))
		return false;
	if (s[i] == '?' && i > 0 && !rule_is_blank(s[i - 1]) &&
	    s[i - 1] != ')')
		return false;
	while (q < len && (s[q] == ' ' || s[q] == '\t'))
		q++;
	return q > i + 1 && q < len && s[q] >= 'a' && s[q] <= 'z';
}

/* End of the sentence whose final mark starts at s[i], or 0 if none. */
static size_t
sentence_mark_end(const char *s, size_t len, size_t i)
{
	size_t	j = i;

	while (j < len && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
		j++;
	if (s[i] == '.' && j == i + 1 && is_abbreviation(s, i))
		return 0;
	if (j == i + 1 && is_rust_mark(s, len, i))
		return 0;
	while (j < len && (s[j] == '"' || s[j] == '\'' || s[j] == ')' ||
	    s[j] == ']'))
		j++;
	if (j < len && !rule_is_blank(s[j]))
		return 0;
	return j;
}

void
rule_text_end_block(struct rule_text *t)
{
	if (t->text.len > t->block_start)
		rule_range_push(&t->blocks, &t->nblocks, &t->blocks_alloc,
		    t->block_start, t->text.len);
	t->block_start = t->text.len;
}

size_t
rule_text_block_at(const struct rule_text *t, size_t off)
{
	size_t	i = rule_unit_at(t->blocks, t->nblocks, off);

	return i < t->nblocks && t->blocks[i].start <= off ? i : t->nblocks;
}

/* Split [from, len) of the text into sentences. */
static void
split_range(struct rule_text *t, size_t from, size_t len)
{
	const char	*s = buf_str(&t->text);
	size_t		 i = from, start = from, c, e;

	c = rule_unit_at(t->code, t->ncode, from);
	while (i < len) {
		while (c < t->ncode && t->code[c].end <= i)
			c++;
		if (c < t->ncode && t->code[c].start <= i) {
			i = t->code[c].end;	/* no sentence ends in code */
			continue;
		}
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') {
			if ((e = sentence_mark_end(s, len, i)) != 0) {
				push_sentence(t, start, e);
				start = i = e;
				continue;
			}
		} else if (s[i] == '\n' && newline_ends_sentence(s, len, i)) {
			push_sentence(t, start, i);
			start = i + 1;
		}
		i++;
	}
	push_sentence(t, start, len);
}

void
rule_text_split(struct rule_text *t)
{
	size_t	b;

	t->nsent = 0;
	if (t->nblocks == 0) {
		split_range(t, 0, t->text.len);
		return;
	}
	for (b = 0; b < t->nblocks; b++)
		split_range(t, t->blocks[b].start, t->blocks[b].end);
}
