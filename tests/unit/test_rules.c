/*
 * test_rules.c - rule files: every bundled rule against its own examples,
 * the file format and its error messages, text flattening and sentences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rustnote/buf.h"
#include "rustnote/err.h"
#include "rustnote/offline.h"
#include "rustnote/rules.h"
#include "rustnote/util.h"

/* The source tree's rules/: tests run from the top folder or below it. */
static char *
rules_dir(void)
{
	static const char *const tries[] = {
		"rules/memory-model.rules", "../rules/memory-model.rules",
		"../../rules/memory-model.rules",
		"../../../rules/memory-model.rules",
		"../../../../rules/memory-model.rules"
	};
	size_t	i;

	for (i = 0; i < sizeof tries / sizeof tries[0]; i++)
		if (util_file_exists(tries[i]))
			return util_dirname(tries[i]);
	return util_data_path("rules", false);
}

static struct rule_set *
load_bundled(void)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";
	char		*dir = rules_dir();
	int		 rc;

	assert_non_null(dir);
	rc = rules_load_dir(&rs, dir, err, sizeof err);
	if (rc != RN_OK)
		fail_msg("loading %s: %s", dir, err);
	free(dir);
	return rs;
}

static const struct rule *
rule_by_id(const struct rule_set *rs, const char *id)
{
	size_t	i;

	for (i = 0; i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

static const struct rule_term *
term_by_id(const struct rule_set *rs, const char *id)
{
	size_t	i;

	for (i = 0; i < rs->nterms; i++)
		if (strcmp(rs->terms[i].id, id) == 0)
			return &rs->terms[i];
	return NULL;
}

/* --- the bundled rules --------------------------------------------------- */

static void
test_bundled_rules_load(void **state)
{
	struct rule_set	*rs = load_bundled();
	size_t		 i, misconceptions = 0;

	(void)state;
	for (i = 0; i < rs->nrules; i++)
		if (rs->rules[i].kind == FK_INCORRECT ||
		    rs->rules[i].kind == FK_ASSUMPTION)
			misconceptions++;
	assert_true(misconceptions >= 150);
	assert_int_equal(rules_count(rs), rs->nrules);
	assert_non_null(rule_by_id(rs, "block-creates-frame"));
	assert_non_null(rule_by_id(rs, "heap-free-explicit"));
	assert_non_null(rule_by_id(rs, "scope-end-pops-frame"));
	assert_non_null(rule_by_id(rs, "todo-marker"));
	assert_non_null(term_by_id(rs, "scope-references"));
	assert_non_null(term_by_id(rs, "scope-borrowing"));
	assert_non_null(term_by_id(rs, "scope-lifetimes"));
	assert_true(rs->defer.n > 0);
	assert_true(rs->veto.n > 0);
	rules_free(rs);
}

/*
 * Each rule teaches with three examples of each kind, so each can be
 * tested on several sentence structures, and points at a reference.
 */
static void
test_every_rule_has_examples(void **state)
{
	struct rule_set	*rs = load_bundled();
	size_t		 i, k, pos, neg;

	(void)state;
	for (i = 0; i < rs->nrules; i++) {
		pos = neg = 0;
		for (k = 0; k < rs->rules[i].nex; k++)
			rs->rules[i].ex[k].fire ? pos++ : neg++;
		if (pos < 3 || neg < 3)
			fail_msg("rule %s needs three example+ and three "
			    "example-", rs->rules[i].id);
		if (rs->rules[i].nsee == 0 ||
		    strncmp(rs->rules[i].see[0], "https://", 8) != 0)
			fail_msg("rule %s needs a see: link", rs->rules[i].id);
		assert_non_null(rs->rules[i].message);
		assert_non_null(rs->rules[i].suggestion);
		assert_non_null(rs->rules[i].topic);
	}
	for (i = 0; i < rs->nterms; i++) {
		pos = neg = 0;
		for (k = 0; k < rs->terms[i].nex; k++)
			rs->terms[i].ex[k].fire ? pos++ : neg++;
		if (pos == 0 || neg == 0)
			fail_msg("term %s needs example+ and example-",
			    rs->terms[i].id);
		assert_non_null(rs->terms[i].instead);
	}
	rules_free(rs);
}

/* Loading checks them too; this names every rule that misbehaves. */
static void
test_every_example_behaves(void **state)
{
	struct rule_set		*rs = load_bundled();
	const struct rule	*r;
	const struct rule_term	*tm;
	size_t			 i, k, bad = 0, checked = 0;
	bool			 fired;

	(void)state;
	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		for (k = 0; k < r->nex; k++, checked++) {
			fired = rule_fires(rs, r, r->ex[k].text);
			if (fired == r->ex[k].fire)
				continue;
			print_error("%s:%d: %s %s: %s\n", r->file,
			    r->ex[k].line, r->id, fired ? "fires" :
			    "does not fire", r->ex[k].text);
			bad++;
		}
	}
	for (i = 0; i < rs->nterms; i++) {
		tm = &rs->terms[i];
		for (k = 0; k < tm->nex; k++, checked++) {
			fired = rule_term_fires(rs, tm, tm->ex[k].text);
			if (fired == tm->ex[k].fire)
				continue;
			print_error("%s:%d: %s %s: %s\n", tm->file,
			    tm->ex[k].line, tm->id, fired ? "fires" :
			    "does not fire", tm->ex[k].text);
			bad++;
		}
	}
	assert_true(checked > 100);
	assert_int_equal(bad, 0);
	rules_free(rs);
}

/* A sentence that quotes a myth to refute it is not the myth. */
static void
test_veto_spares_refuted_myths(void **state)
{
	struct rule_set		*rs = load_bundled();
	const struct rule	*gc = rule_by_id(rs, "garbage-collector");

	(void)state;
	assert_non_null(gc);
	assert_true(rule_fires(rs, gc, "Rust uses a garbage collector."));
	assert_false(rule_fires(rs, gc, "A common myth is that Rust uses a "
	    "garbage collector."));
	rules_free(rs);
}

/* --- the file format ----------------------------------------------------- */

static enum rn_status
load(struct rule_set **rs, const char *text, char *err, size_t errlen)
{
	return rules_load_text(rs, "t.rules", text, err, errlen);
}

static void
test_format_minimal_rule(void **state)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";
	const char	*text =
	    "# a comment\n"
	    "id: stack-is-slow\n"
	    "topic: Stack\n"
	    "kind: incorrect\n"
	    "severity: low\n"
	    "match: \\bstack\\b\n"
	    "match: \\bslow\n"
	    "unless: \\bnot\\b\n"
	    "message: The stack is fast,\n"
	    "  and this line continues the message.\n"
	    "example+: The stack is slow.\n"
	    "example-: The stack is not slow.\n"
	    "\n"
	    "\n";

	(void)state;
	assert_int_equal(load(&rs, text, err, sizeof err), RN_OK);
	assert_int_equal(rs->nrules, 1);
	assert_string_equal(rs->rules[0].id, "stack-is-slow");
	assert_int_equal(rs->rules[0].kind, FK_INCORRECT);
	assert_int_equal(rs->rules[0].severity, FS_LOW);
	assert_int_equal(rs->rules[0].scope, RSC_SENTENCE);
	assert_int_equal(rs->rules[0].match.n, 2);
	assert_int_equal(rs->rules[0].line, 2);
	assert_string_equal(rs->rules[0].message,
	    "The stack is fast, and this line continues the message.");
	assert_null(rs->rules[0].suggestion);
	assert_true(rule_fires(rs, &rs->rules[0], "Heap is big. The STACK "
	    "is SLOW."));
	assert_false(rule_fires(rs, &rs->rules[0], "The stack is small. "
	    "Slow things live elsewhere."));
	rules_free(rs);
}

static void
test_format_or_lines(void **state)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";
	const char	*text =
	    "id: two-ways\n"
	    "kind: assumption\n"
	    "match: \\bfoo\\b\n"
	    "or: \\bbar\\b\n"
	    "match: \\bbaz\\b\n"
	    "message: m\n";

	(void)state;
	assert_int_equal(load(&rs, text, err, sizeof err), RN_OK);
	assert_int_equal(rs->rules[0].match.n, 2);
	assert_true(rule_fires(rs, &rs->rules[0], "foo baz"));
	assert_true(rule_fires(rs, &rs->rules[0], "bar baz"));
	assert_false(rule_fires(rs, &rs->rules[0], "foo bar"));
	rules_free(rs);
}

/* Each broken file names the file, the line and the cause. */
static void
expect_error(const char *text, const char *want)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";

	assert_int_equal(load(&rs, text, err, sizeof err), RN_EINPUT);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	rules_free(rs);
}

/*
 * A large set is checked on two threads; the failure reported is still
 * the first in file order, whichever half it is in.
 */
static void
expect_first_failure(const int *bad, size_t nbad, int want)
{
	struct buf	 b;
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "", id[32];
	size_t		 k;
	int		 i;
	bool		 broken;

	buf_init(&b, 0);
	for (i = 0; i < 200; i++) {
		for (broken = false, k = 0; k < nbad; k++)
			broken = broken || bad[k] == i;
		/* a broken rule's counter-example holds its word */
		buf_printf(&b, "id: r%d\nkind: incorrect\nmatch: \\bword%d\\b\n"
		    "message: m\nexample+: word%d here\nexample-: %s%d\n\n", i,
		    i, i, broken ? "word" : "nothing ", i);
	}
	assert_int_equal(load(&rs, buf_str(&b), err, sizeof err), RN_EINPUT);
	snprintf(id, sizeof id, "'r%d' fires", want);
	if (strstr(err, id) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, id);
	rules_free(rs);
	buf_free(&b);
}

static void
test_check_reports_first_failure(void **state)
{
	static const int late[] = { 150, 180 }, both[] = { 20, 150 };

	(void)state;
	expect_first_failure(late, 2, 150);
	expect_first_failure(both, 2, 20);
}

static void
test_format_errors(void **state)
{
	(void)state;
	expect_error("id: x\nkind: incorrect\nmatch: (unclosed\nmessage: m\n",
	    "t.rules:3: match: pattern error at offset 9: missing closing "
	    "parenthesis");
	expect_error("id: x\nkind: incorrect\nmatch: a\nor: [z-a]\n"
	    "message: m\n", "t.rules:4: or: pattern error");
	expect_error("id: x\nkind: incorrect\nmach: a\nmessage: m\n",
	    "t.rules:3: unknown key 'mach'");
	expect_error("id: x\nkind: wrong\nmatch: a\nmessage: m\n",
	    "t.rules:2: bad kind 'wrong'");
	expect_error("id: x\nkind: incorrect\nmatch: a\n",
	    "t.rules:1: rule without 'message:'");
	expect_error("id: x\nkind: incorrect\nmatch: a*\nmessage: m\n",
	    "pattern matches empty text");
	expect_error("id: x\nkind: incorrect\nor: a\nmatch: b\nmessage: m\n",
	    "t.rules:3: 'or:' must follow 'match:'");
	expect_error("id: x\nkind: incorrect\nmatch: a\nmessage: m\n\n"
	    "id: x\nkind: gap\nmatch: b\nmessage: m\n",
	    "t.rules:6: rule id 'x' already used on line 1");
	expect_error("id: x\nkind: incorrect\nmatch: \\bcat\\b\nmessage: m\n"
	    "example+: a dog\n", "t.rules:5: 'x' does not fire on its "
	    "example \"a dog\"");
	expect_error("id: x\nkind: incorrect\nmatch: \\bcat\\b\nmessage: m\n"
	    "example-: a cat\n", "t.rules:5: 'x' fires on its "
	    "counter-example");
	expect_error("just text\n", "t.rules:1: expected 'key: value'");
	expect_error("id: Bad Id\nkind: gap\nmatch: a\nmessage: m\n",
	    "t.rules:1: bad rule id");
	expect_error("id: x\nkind: gap\nkind: gap\nmatch: a\nmessage: m\n",
	    "t.rules:3: 'kind' given twice");
	expect_error("term: things\ninstead: x\n",
	    "term without 'word:' or 'code:'");
	expect_error("defer: a\nfoo: b\n", "t.rules:2: unknown key 'foo'");
	expect_error("id: x\nkind: gap\nmatch: a\n  b\nmessage: m\n",
	    "t.rules:4: a pattern must fit on one line");
}

/* A user's file loaded later replaces a rule that has the same id. */
static void
test_later_file_replaces_rule(void **state)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";

	(void)state;
	assert_int_equal(rules_load_text(&rs, "a.rules", "id: x\nkind: gap\n"
	    "match: \\bcat\\b\nmessage: first\n", err, sizeof err), RN_OK);
	assert_int_equal(rules_load_text(&rs, "b.rules", "id: x\n"
	    "kind: incorrect\nmatch: \\bdog\\b\nmessage: second\n", err,
	    sizeof err), RN_OK);
	assert_int_equal(rs->nrules, 1);
	assert_string_equal(rs->rules[0].message, "second");
	assert_true(rule_fires(rs, &rs->rules[0], "a dog"));
	assert_false(rule_fires(rs, &rs->rules[0], "a cat"));
	assert_int_equal(rules_load_text(&rs, "c.rules", "id: x\n"
	    "disabled: yes\n", err, sizeof err), RN_OK);
	assert_int_equal(rules_count(rs), 0);
	assert_false(rule_fires(rs, &rs->rules[0], "a dog"));
	rules_free(rs);
}

static void
test_load_dir_errors(void **state)
{
	struct rule_set	*rs = NULL;
	char		 err[RN_ERRLEN] = "";

	(void)state;
	assert_int_equal(rules_load_dir(&rs, "/nonexistent/rules", err,
	    sizeof err), RN_EINPUT);
	assert_non_null(strstr(err, "/nonexistent/rules"));
	assert_null(rs);
}

static void
write_text(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Bundled rules, then the user's: theirs add, replace and switch off. */
static void
test_load_default_with_user_rules(void **state)
{
	struct rule_set	*rs = NULL, *plain = load_bundled();
	char		 tmpl[] = "/tmp/rustnote-rules-XXXXXX", err[RN_ERRLEN];
	char		*home, *rdir, *user, *mine, *bad, *top, *dir;

	(void)state;
	home = mkdtemp(tmpl);
	assert_non_null(home);
	user = xasprintf("%s/rustnote/rules", home);
	assert_int_equal(util_mkdirs(user, 0700), 0);
	mine = xasprintf("%s/mine.rules", user);
	bad = xasprintf("%s/zbad.rules", user);
	write_text(mine, "id: clone-is-cheap\ndisabled: yes\n\n"
	    "id: my-own-rule\nkind: incorrect\nmatch: \\bunicorns?\\b\n"
	    "message: There are none.\n");
	rdir = rules_dir();
	top = util_dirname(rdir);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("XDG_CACHE_HOME", home, 1);	/* its stamp of checked rules */
	setenv("RUSTNOTE_DATADIR", top, 1);

	assert_int_equal(rules_load_default(&rs, err, sizeof err), RN_OK);
	assert_int_equal(rs->nrules, plain->nrules + 1);
	assert_int_equal(rules_count(rs), rules_count(plain));
	assert_true(rule_by_id(rs, "clone-is-cheap")->disabled);
	dir = rule_by_id(rs, "my-own-rule")->file;
	assert_non_null(strstr(dir, "mine.rules"));
	rules_free(rs);

	write_text(bad, "id: broken\nkind: gap\nmatch: (oops\nmessage: m\n");
	rs = NULL;
	assert_int_equal(rules_load_default(&rs, err, sizeof err), RN_EINPUT);
	assert_null(rs);
	assert_non_null(strstr(err, "zbad.rules:3: match: pattern error"));
	assert_non_null(strstr(err, "missing closing parenthesis"));

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("RUSTNOTE_DATADIR");
	unlink(mine);
	unlink(bad);
	free(user);
	user = xasprintf("%s/rustnote/rules-checked", home);
	unlink(user);
	free(user);
	user = xasprintf("%s/rustnote/rules", home);
	rmdir(user);
	free(user);
	user = xasprintf("%s/rustnote", home);
	rmdir(user);
	rmdir(home);
	free(user);
	free(mine);
	free(bad);
	free(rdir);
	free(top);
	rules_free(plain);
}

/*
 * The files of a folder are read side by side and merged in file order:
 * a later file's rule replaces an earlier one's in its place, concept
 * wordings add up, and of two broken files the first is the one named.
 */
static void
test_folder_files_merge_in_order(void **state)
{
	struct rule_set	*rs = NULL;
	char		 tmpl[] = "/tmp/rustnote-dir-XXXXXX", err[RN_ERRLEN];
	char		*dir, *f[4];
	int		 i;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	for (i = 0; i < 4; i++)
		f[i] = xasprintf("%s/%c.rules", dir, "abcd"[i]);
	write_text(f[0], "concept: ZEBRA = zebra\n\n"
	    "id: one\nkind: gap\nall: ZEBRA\nmessage: first\n"
	    "example+: a zebra\n");
	write_text(f[1], "concept: ZEBRA = okapi\n\n"
	    "id: one\nkind: gap\nmatch: \\bgiraffe\\b\nmessage: second\n"
	    "example+: a giraffe\n\n"
	    "id: two\nkind: gap\nall: ZEBRA\nmessage: third\n"
	    "example+: an okapi\nexample+: a zebra\n");
	assert_int_equal(rules_load_dir(&rs, dir, err, sizeof err), RN_OK);
	assert_int_equal(rs->nrules, 2);
	assert_string_equal(rs->rules[0].id, "one");
	assert_string_equal(rs->rules[0].message, "second");
	assert_string_equal(rs->rules[1].id, "two");
	assert_true(rule_fires(rs, &rs->rules[1], "an okapi and a zebra"));
	assert_false(rule_fires(rs, &rs->rules[0], "a zebra"));
	rules_free(rs);

	write_text(f[2], "id: broken\nkind: gap\nmatch: (oops\nmessage: m\n");
	write_text(f[3], "id: worse\nkind: nonsense\nmessage: m\n");
	rs = NULL;
	assert_int_equal(rules_load_dir(&rs, dir, err, sizeof err),
	    RN_EINPUT);
	assert_non_null(strstr(err, "c.rules:3: match: pattern error"));
	rules_free(rs);
	for (i = 0; i < 4; i++) {
		unlink(f[i]);
		free(f[i]);
	}
	rmdir(dir);
}

/* --- text flattening and sentences --------------------------------------- */

static void
flatten(struct rule_text *t, const char *line)
{
	rule_text_reset(t);
	rule_text_add_line(t, line, strlen(line), 100);
	rule_text_split(t);
}

static void
test_text_flattening(void **state)
{
	struct rule_text	t;

	(void)state;
	rule_text_init(&t);
	flatten(&t, "**Bold** and _em_ with `code`, a [link](http://x) "
	    "and snake_case");
	assert_string_equal(t.text.data, "Bold and em with code, a link and "
	    "snake_case");
	assert_int_equal(t.ncode, 1);
	assert_int_equal(t.code[0].end - t.code[0].start, 4);
	assert_int_equal(t.src[t.code[0].start], 100 + 24);
	assert_int_equal(t.src[0], 102);	/* 'B' after "**" */

	flatten(&t, "It\xe2\x80\x99s \xe2\x80\x9cquoted\xe2\x80\x9d, 2 * 3 "
	    "and \\*literal\\*");
	assert_string_equal(t.text.data, "It's \"quoted\", 2 * 3 and "
	    "*literal*");
	assert_int_equal(t.src[2], 102);	/* the apostrophe's 3 bytes */
	assert_int_equal(t.src[3], 105);

	flatten(&t, "``a ` b`` and `` `x` ``");
	assert_string_equal(t.text.data, "a ` b and `x`");
	assert_int_equal(t.ncode, 2);
	rule_text_free(&t);
}

static void
expect_sentences(const char *text, const char *const *want, size_t n)
{
	struct rule_text	 t;
	const char		*p = text, *nl;
	size_t			 i;

	rule_text_init(&t);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		rule_text_add_line(&t, p, nl - p, p - text);
		p = *nl ? nl + 1 : nl;
	}
	rule_text_split(&t);
	if (t.nsent != n)
		fail_msg("%zu sentences, want %zu, in \"%s\"", t.nsent, n,
		    text);
	for (i = 0; i < n; i++) {
		if (strlen(want[i]) != t.sent[i].end - t.sent[i].start ||
		    strncmp(t.text.data + t.sent[i].start, want[i],
		    strlen(want[i])) != 0)
			fail_msg("sentence %zu is \"%.*s\", want \"%s\"", i,
			    (int)(t.sent[i].end - t.sent[i].start),
			    t.text.data + t.sent[i].start, want[i]);
	}
	rule_text_free(&t);
}

static void
test_sentences(void **state)
{
	static const char *const a[] = { "One.", "Two!", "Three?" };
	static const char *const b[] = {
		"Fixed size, eg. i32 or e.g. u8, etc. are fine.",
		"Next."
	};
	static const char *const c[] = {
		"A wrapped sentence goes on and\nRust keeps it whole.",
		"Stack does not know it points to the heap",
		"Heap does not know who points to it"
	};
	static const char *const d[] = { "Call x.len() now.", "Done." };
	static const char *const e[] = { "Stored:", "Two things" };

	(void)state;
	expect_sentences("One. Two! Three?", a, 3);
	expect_sentences("Fixed size, eg. `i32` or e.g. u8, etc. are fine. "
	    "Next.", b, 2);
	expect_sentences("A wrapped sentence goes on and\nRust keeps it "
	    "whole.\nStack does not know it points to the heap\nHeap does "
	    "not know who points to it", c, 3);
	expect_sentences("Call `x.len()` now. Done.", d, 2);
	expect_sentences("Stored:\nTwo things", e, 2);
}

/* --- running ------------------------------------------------------------- */

struct hits {
	size_t			n;
	struct rule_range	match[8];
};

static void
collect(void *ud, const struct rule_hit *h)
{
	struct hits	*hs = ud;

	if (hs->n < 8)
		hs->match[hs->n] = h->match;
	hs->n++;
}

static void
test_rule_one_hit_per_sentence(void **state)
{
	struct rule_set		*rs = NULL;
	struct rule_text	 t;
	struct hits		 hs = { 0 };
	char			 err[RN_ERRLEN] = "";

	(void)state;
	assert_int_equal(load(&rs, "id: cat\nkind: gap\nmatch: \\bcats?\\b\n"
	    "message: m\n", err, sizeof err), RN_OK);
	rule_text_init(&t);
	flatten(&t, "A cat and a cat. No dog. Cats!");
	rule_run(rs, &rs->rules[0], &t, collect, &hs);
	assert_int_equal(hs.n, 2);
	assert_int_equal(hs.match[0].start, 2);
	assert_int_equal(hs.match[1].start, 25);
	rule_text_free(&t);
	rules_free(rs);
}

/* `&&`, `a & b` and the word "dereference" are not references. */
static void
test_reference_term_precision(void **state)
{
	struct rule_set		*rs = load_bundled();
	const struct rule_term	*refs = term_by_id(rs, "scope-references");
	struct rule_text	 t;
	struct hits		 hs = { 0 };
	static const char	*code = "if a && b { x & mask } else { f(&v) }";

	(void)state;
	assert_non_null(refs);
	assert_false(rule_term_fires(rs, refs, "Dereference the raw pointer "
	    "`*p`; check `a && b` and `x & 1`."));
	assert_false(rule_term_fires(rs, refs, "We'll cover references "
	    "later."));
	assert_true(rule_term_fires(rs, refs, "Take `&mut v` here."));
	assert_true(rule_term_fires(rs, refs, "Use `&'a T`."));

	rule_text_init(&t);
	rule_text_add_raw(&t, code, strlen(code), 0);
	rule_text_split(&t);
	rule_term_run(rs, refs, &t, true, collect, &hs);
	assert_int_equal(hs.n, 1);
	assert_int_equal(hs.match[0].start, strstr(code, "&v") - code);
	assert_int_equal(hs.match[0].end, strstr(code, "&v") - code + 2);
	rule_text_free(&t);
	rules_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_rules_load),
		cmocka_unit_test(test_every_rule_has_examples),
		cmocka_unit_test(test_every_example_behaves),
		cmocka_unit_test(test_veto_spares_refuted_myths),
		cmocka_unit_test(test_format_minimal_rule),
		cmocka_unit_test(test_format_or_lines),
		cmocka_unit_test(test_format_errors),
		cmocka_unit_test(test_check_reports_first_failure),
		cmocka_unit_test(test_later_file_replaces_rule),
		cmocka_unit_test(test_load_dir_errors),
		cmocka_unit_test(test_load_default_with_user_rules),
		cmocka_unit_test(test_folder_files_merge_in_order),
		cmocka_unit_test(test_text_flattening),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_rule_one_hit_per_sentence),
		cmocka_unit_test(test_reference_term_precision),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
