/*
 * codecheck.c - compile the note's Rust blocks through a compiler
 * interface, cache the verdicts and turn them into findings (see
 * codecheck.h).  No process is started here: that is the adapter's job.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rustnote/buf.h"
#include "rustnote/cache.h"
#include "rustnote/codecheck.h"
#include "rustnote/compiler.h"
#include "rustnote/config.h"
#include "rustnote/err.h"
#include "rustnote/note.h"
#include "rustnote/rustblock.h"
#include "rustnote/rustdiag.h"
#include "rustnote/util.h"

#define VERDICT_MAX ((size_t)256 << 10)	/* one cached verdict file */
#define DEFAULT_EDITION 2021
/* All the blocks of a review may take this many times one block's limit. */
#define REVIEW_BLOCKS 6
#define NAME_LEN 32

/* The first release of rustc that knows each edition. */
static const struct {
	int edition, major, minor;
} editions[] = {
	{ 2015, 1, 0 }, { 2018, 1, 31 }, { 2021, 1, 56 }, { 2024, 1, 85 },
};

void
compile_jobs_free(struct compile_job *jobs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(jobs[i].output);
		jobs[i].output = NULL;
	}
}

void
ccheck_opts_from(const struct config *cfg, struct ccheck_opts *o)
{
	o->edition = DEFAULT_EDITION;
	o->use_cache = cfg->use_cache;
	o->block_ms = cfg->compile_timeout * 1000;
	o->total_ms = o->block_ms * REVIEW_BLOCKS;
}

void
ccheck_result_init(struct ccheck_result *r)
{
	memset(r, 0, sizeof(*r));
	flist_init(&r->findings);
}

void
ccheck_result_free(struct ccheck_result *r)
{
	size_t i;

	flist_free(&r->findings);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->verdicts);
	ccheck_result_init(r);
}

static void warn(struct ccheck_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct ccheck_result *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	r->warnings = xreallocarray(r->warnings, r->nwarnings + 1,
	    sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = msg;
}

static bool
edition_supported(const struct compiler *cc, int edition)
{
	size_t i;

	for (i = 0; i < sizeof(editions) / sizeof(editions[0]); i++) {
		if (editions[i].edition == edition)
			return cc->major > editions[i].major ||
			    (cc->major == editions[i].major &&
			    cc->minor >= editions[i].minor);
	}
	return false;
}

/* --- the verdict cache ------------------------------------------------- */

static void
block_key(const char *version, const struct rblk_block *b,
    char key[CACHE_KEY_LEN])
{
	unsigned long long seeds[2] = { FNV64_INIT, 0x84222325cbf29ce4ULL };
	unsigned long long h[2];
	size_t len = strlen(b->source), vlen = strlen(version);
	int i, lib = b->shape == RBLK_ITEMS;

	for (i = 0; i < 2; i++) {
		h[i] = fnv64(seeds[i], &vlen, sizeof(vlen));
		h[i] = fnv64(h[i], version, vlen);
		h[i] = fnv64(h[i], &b->edition, sizeof(b->edition));
		h[i] = fnv64(h[i], &lib, sizeof(lib));
		h[i] = fnv64(h[i], &len, sizeof(len));
		h[i] = fnv64(h[i], b->source, len);
	}
	snprintf(key, CACHE_KEY_LEN, "%016llx%016llx", h[0], h[1]);
}

static char *
verdict_path(const char *key)
{
	char *dir = util_cache_dir();
	char *path = xasprintf("%s/rustc/%s.json", dir, key);

	free(dir);
	return path;
}

static bool
verdict_get(const char *key, struct rdiag_verdict *v)
{
	char *path = verdict_path(key), *text = NULL;
	bool hit = false;

	if (util_read_file(path, VERDICT_MAX, &text, NULL, NULL, 0) == RN_OK)
		hit = rdiag_from_json(text, v);
	free(text);
	free(path);
	return hit;
}

static void
verdict_put(const char *key, const struct rdiag_verdict *v,
    struct ccheck_result *r)
{
	char *path = verdict_path(key), *dir = util_dirname(path);
	char *text = rdiag_to_json(v), err[RN_ERRLEN];

	if (util_mkdirs(dir, 0700) != 0)
		warn(r, "cache: cannot create %s", dir);
	else if (util_write_file_atomic(path, text, strlen(text), 0600, err,
	    sizeof(err)) != RN_OK)
		warn(r, "%s", err);
	free(text);
	free(dir);
	free(path);
}

/* --- verdicts to findings ---------------------------------------------- */

/* The note line's text without its indentation, for the quote. */
static char *
line_quote(const struct note *n, int lineno)
{
	size_t len;
	const char *s = note_line(n, lineno, &len);

	if (s == NULL)
		return xstrdup("");
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	return xstrndup(s, len);
}

static void
push(struct finding_list *out, const struct note *n, int line,
    enum finding_severity sev, char *message, char *suggestion,
    const char *code)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.kind = FK_INCORRECT;
	f.severity = sev;
	f.source = FSRC_RUSTC;
	f.line = f.end_line = line;
	f.quote = line_quote(n, line);
	f.topic = xstrdup("code that compiles");
	f.message = message;
	f.suggestion = suggestion;
	f.rule_id = xstrdup(code != NULL && code[0] != '\0' ? code : "rustc");
	finding_clean(&f);
	flist_push(out, &f);
}

/* "error[E0382]: borrow of moved value: `v` (value borrowed here ...)" */
static char *
error_text(const struct rdiag_error *e)
{
	struct buf b;

	buf_init(&b, 0);
	if (e->code[0] != '\0')
		buf_printf(&b, "error[%s]: %s", e->code, e->message);
	else
		buf_printf(&b, "error: %s", e->message);
	if (e->label[0] != '\0')
		buf_printf(&b, " (%s)", e->label);
	return buf_steal(&b);
}

static bool
has_code(const struct rdiag_verdict *v, const char *code)
{
	size_t i;

	for (i = 0; i < v->nerrors; i++) {
		if (strcmp(v->errors[i].code, code) == 0)
			return true;
	}
	return false;
}

/*
 * rustc's codes for a name it cannot find: a block that uses a type,
 * function or crate defined elsewhere (an earlier block, a dependency)
 * cannot be judged on its own.
 */
static const char *const outside_name_codes[] = {
	"E0405", "E0412", "E0422", "E0425", "E0432", "E0433", "E0463",
	"E0531", "E0532", NULL
};

static bool
uses_outside_names(const struct rdiag_verdict *v)
{
	const char *const *c;
	size_t i;

	for (i = 0; i < v->nerrors; i++) {
		if (str_starts_with(v->errors[i].message, "cannot find macro"))
			return true;
		for (c = outside_name_codes; *c != NULL; c++) {
			if (strcmp(v->errors[i].code, *c) == 0)
				return true;
		}
	}
	return false;
}

void
ccheck_findings(const struct note *n, const struct rblk_block *b,
    const struct rdiag_verdict *v, const char *version,
    struct finding_list *out)
{
	const struct rdiag_error *e;
	size_t i;

	if (v->status == RD_FAILS && uses_outside_names(v))
		return;		/* not the note's fault as far as we can tell */
	if (v->status == RD_FAILS && !b->expect_fail) {
		for (i = 0; i < v->nerrors && i < CCHECK_MAX_PER_BLOCK; i++) {
			e = &v->errors[i];
			push(out, n, rblk_note_line(b, e->line), FS_HIGH,
			    error_text(e), e->help[0] != '\0' ?
			    xstrdup(e->help) : NULL, e->code);
		}
	} else if (v->status == RD_COMPILES && b->expect_fail)
		push(out, n, b->claim_line, FS_HIGH, xasprintf("this compiles: "
		    "the note says the code at lines %d-%d does not compile, "
		    "but %s accepts it", b->first_line, b->last_line, version),
		    NULL, NULL);
	else if (v->status == RD_FAILS && b->claim_code[0] != '\0' &&
	    v->nerrors > 0 && !has_code(v, b->claim_code)) {
		char *t = error_text(&v->errors[0]);

		push(out, n, b->claim_line, FS_MEDIUM, xasprintf("the code "
		    "fails as the note says, but %s reports %s, not %s",
		    version, t, b->claim_code), NULL, v->errors[0].code);
		free(t);
	}
}

/* One line of the prompt's list of verdicts. */
static void
verdict_line(struct buf *out, const struct rblk_block *b,
    const struct rdiag_verdict *v, const char *version, const char *skip)
{
	size_t i;

	buf_printf(out, "- code block at lines %d-%d (the note %s): ",
	    b->first_line, b->last_line, b->expect_fail ?
	    "says it does not compile" : "presents it as working");
	if (skip != NULL) {
		buf_printf(out, "not compiled (%s)\n", skip);
		return;
	}
	if (v->status == RD_COMPILES) {
		buf_printf(out, "compiles with %s\n", version);
		return;
	}
	buf_printf(out, "does not compile with %s%s:", version,
	    uses_outside_names(v) ? " on its own (it uses names defined "
	    "elsewhere)" : "");
	for (i = 0; i < v->nerrors && i < CCHECK_MAX_PER_BLOCK; i++) {
		char *t = error_text(&v->errors[i]);

		buf_printf(out, "%s line %d: %s", i > 0 ? ";" : "",
		    rblk_note_line(b, v->errors[i].line), t);
		free(t);
	}
	buf_addc(out, '\n');
}

/* --- the run ------------------------------------------------------------ */

struct block_state {
	bool have;			/* verdict known */
	const char *skip;		/* why not compiled */
	struct rdiag_verdict v;
	char key[CACHE_KEY_LEN];
	char name[NAME_LEN];
};

/* Decide for one block: skipped, cached, or (true) to be compiled. */
static bool
plan(struct compiler *cc, const struct rblk_block *b,
    const struct ccheck_opts *o, struct block_state *st,
    struct ccheck_result *r)
{
	if (!b->compile) {
		st->skip = b->attrs.ignore ? "ignore" : b->elided ?
		    "code left out with ..." : "no code";
		return false;
	}
	if (!edition_supported(cc, b->edition)) {
		st->skip = "edition not supported";
		warn(r, "code block at line %d not checked: %s does not know "
		    "edition %d", b->first_line, cc->version, b->edition);
		return false;
	}
	block_key(cc->version, b, st->key);
	if (o->use_cache && verdict_get(st->key, &st->v)) {
		st->have = true;
		r->cached++;
		return false;
	}
	return true;
}

/* Read one finished job into its block's state. */
static void
collect(const struct compile_job *j, const struct rblk_block *b,
    struct block_state *s, const struct ccheck_opts *o,
    struct ccheck_result *r)
{
	char file[NAME_LEN + 4];

	switch (j->outcome) {
	case CO_DONE:
		snprintf(file, sizeof(file), "%s.rs", j->name);
		rdiag_parse(j->output != NULL ? j->output : "", j->output_len,
		    file, j->exit_code, &s->v);
		if (s->v.status == RD_UNKNOWN) {
			warn(r, "code block at line %d not checked: rustc "
			    "failed without saying why (exit %d)",
			    b->first_line, j->exit_code);
			rdiag_free(&s->v);
			s->skip = "rustc failed";
			return;
		}
		s->have = true;
		r->compiled++;
		if (o->use_cache)
			verdict_put(s->key, &s->v, r);
		return;
	case CO_TIMEOUT:
		warn(r, "code block at line %d not checked: rustc took too "
		    "long", b->first_line);
		s->skip = "time limit";
		return;
	case CO_CANCELLED:
		r->cancelled = true;
		s->skip = "cancelled";
		return;
	default:
		warn(r, "code block at line %d not checked: %s", b->first_line,
		    j->output != NULL ? j->output : "rustc could not be run");
		s->skip = "rustc could not be run";
		return;
	}
}

struct run_ctx {
	struct compiler *cc;
	const struct ccheck_opts *o;
	bool (*cancelled)(void *ud);
	void *ud;
	struct ccheck_result *r;
};

/* Verdicts for blocks b[0..n): from the cache, else compiled together. */
static void
check_blocks(const struct run_ctx *x, struct rblk_block *const *b,
    struct block_state *const *st, size_t n)
{
	struct compile_limits lim = { x->o->block_ms, x->o->total_ms };
	struct compile_job *jobs = xcalloc(n + 1, sizeof(*jobs));
	size_t *which = xcalloc(n + 1, sizeof(*which)), nj = 0, i;

	for (i = 0; i < n; i++) {
		if (!plan(x->cc, b[i], x->o, st[i], x->r))
			continue;
		snprintf(st[i]->name, NAME_LEN, "block%zu", i + 1);
		jobs[nj].name = st[i]->name;
		jobs[nj].source = b[i]->source;
		jobs[nj].edition = b[i]->edition;
		jobs[nj].lib = b[i]->shape == RBLK_ITEMS;
		which[nj++] = i;
	}
	if (nj > 0)
		x->cc->run(x->cc, jobs, nj, &lim, x->cancelled, x->ud);
	for (i = 0; i < nj; i++)
		collect(&jobs[i], b[which[i]], st[which[i]], x->o, x->r);
	compile_jobs_free(jobs, nj);
	free(which);
	free(jobs);
}

/* The earlier item blocks that compiled, as context for block i. */
static size_t
context_of(const struct rblk_list *bl, const struct block_state *st,
    size_t i, const struct rblk_block **ctx)
{
	size_t j, n = 0;

	for (j = 0; j < i; j++) {
		if (bl->v[j].shape == RBLK_ITEMS && st[j].have &&
		    st[j].v.status == RD_COMPILES &&
		    bl->v[j].edition == bl->v[i].edition)
			ctx[n++] = &bl->v[j];
	}
	return n;
}

/* The block with context is better judged: no name is missing now. */
static bool
context_helped(const struct block_state *s)
{
	return s->have && (s->v.status == RD_COMPILES ||
	    (!uses_outside_names(&s->v) && !has_code(&s->v, "E0428")));
}

/*
 * A block that uses names it does not define is compiled again after the
 * earlier item blocks, as if the note were one crate; the new verdict is
 * kept when it no longer misses names.
 */
static void
retry_with_context(const struct run_ctx *x, struct rblk_list *bl,
    struct block_state *st)
{
	struct rblk_block *alt = xcalloc(bl->n, sizeof(*alt)), **ap;
	struct block_state *ast = xcalloc(bl->n, sizeof(*ast)), **sp;
	const struct rblk_block **ctx = xcalloc(bl->n, sizeof(*ctx));
	size_t *idx = xcalloc(bl->n, sizeof(*idx)), na = 0, i, nctx;

	ap = xcalloc(bl->n, sizeof(*ap));
	sp = xcalloc(bl->n, sizeof(*sp));
	for (i = 0; i < bl->n; i++) {
		if (!st[i].have || st[i].v.status != RD_FAILS ||
		    !uses_outside_names(&st[i].v) ||
		    (nctx = context_of(bl, st, i, ctx)) == 0)
			continue;
		alt[na] = bl->v[i];
		alt[na].source = xstrdup(bl->v[i].source);
		alt[na].line_map = xreallocarray(NULL, (size_t)bl->v[i].
		    nsource_lines + 1, sizeof(int));
		memcpy(alt[na].line_map, bl->v[i].line_map,
		    (size_t)bl->v[i].nsource_lines * sizeof(int));
		rblk_add_context(&alt[na], ctx, nctx);
		ap[na] = &alt[na];
		sp[na] = &ast[na];
		idx[na++] = i;
	}
	check_blocks(x, ap, sp, na);
	for (i = 0; i < na; i++) {
		struct rblk_block *b = &bl->v[idx[i]];

		if (context_helped(&ast[i])) {
			free(b->source);
			free(b->line_map);
			*b = alt[i];
			rdiag_free(&st[idx[i]].v);
			st[idx[i]].v = ast[i].v;
			continue;
		}
		free(alt[i].source);
		free(alt[i].line_map);
		rdiag_free(&ast[i].v);
	}
	free(sp);
	free(ap);
	free(idx);
	free(ctx);
	free(ast);
	free(alt);
}

void
ccheck_run(struct compiler *cc, const struct note *n,
    const struct ccheck_opts *o, bool (*cancelled)(void *ud), void *ud,
    struct ccheck_result *out)
{
	struct run_ctx x = { cc, o, cancelled, ud, out };
	struct rblk_block **bp;
	struct block_state *st, **sp;
	struct rblk_list bl;
	struct buf vb;
	size_t i;

	char err[RN_ERRLEN], none[RN_ERRLEN];
	struct rblk_claims *claims;
	bool no_claims;

	/* Without the phrases, fences and "// error" still say what fails. */
	no_claims = rblk_claims_load(&claims, err, sizeof(err)) != RN_OK;
	if (no_claims)
		rblk_claims_parse("(none)", "", &claims, none, sizeof(none));
	rblk_extract(n, o->edition, claims, &bl);
	rblk_claims_free(claims);
	out->blocks = bl.n;
	if (bl.n == 0)
		goto out;
	if (no_claims)
		warn(out, "%s", err);
	if (cc->probe != NULL)
		cc->probe(cc);
	if (cc->problem != NULL) {
		warn(out, "code blocks not checked: %s", cc->problem);
		goto out;
	}
	st = xcalloc(bl.n, sizeof(*st));
	bp = xcalloc(bl.n, sizeof(*bp));
	sp = xcalloc(bl.n, sizeof(*sp));
	for (i = 0; i < bl.n; i++) {
		bp[i] = &bl.v[i];
		sp[i] = &st[i];
	}
	check_blocks(&x, bp, sp, bl.n);
	if (!out->cancelled)
		retry_with_context(&x, &bl, st);
	buf_init(&vb, 0);
	for (i = 0; i < bl.n; i++) {
		if (st[i].have)
			ccheck_findings(n, &bl.v[i], &st[i].v, cc->version,
			    &out->findings);
		verdict_line(&vb, &bl.v[i], &st[i].v, cc->version,
		    st[i].have ? NULL : st[i].skip);
		rdiag_free(&st[i].v);
	}
	out->verdicts = buf_steal(&vb);
	free(sp);
	free(bp);
	free(st);
out:
	rblk_list_free(&bl);
}
