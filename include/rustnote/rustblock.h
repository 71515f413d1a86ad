/*
 * rustblock.h - the note's Rust code blocks, made ready for the compiler
 * the way rustdoc treats doc tests.
 *
 * A block counts as Rust when its fence says rust or rs, when it carries
 * only rustdoc attributes (ignore, no_run, compile_fail, should_panic,
 * editionNNNN, error codes), or when it has no label and is plainly Rust.
 * Lines starting with "# " are hidden in rustdoc but compiled; "##" stands
 * for "#".  A block with `fn main` is compiled as it is, a block of items
 * only (structs, impls, functions...) as a library, anything else inside a
 * `fn main`.  Every compiled line keeps the note line it came from.  A
 * block that leaves code out ("...") is a sketch and is not compiled.
 *
 * The note's claim about a block is read too: it is expected to fail when
 * the fence says compile_fail, when a comment in it says `// error`, or
 * when the sentence just before it says it fails, does not compile or is
 * rejected; otherwise the note presents it as working.
 */
#ifndef RUSTNOTE_RUSTBLOCK_H
#define RUSTNOTE_RUSTBLOCK_H

#include <stdbool.h>
#include <stddef.h>

struct note;

#define RBLK_CODE_LEN 8		/* "E0382" + NUL, with room */

/* What a fence's info string says (rustdoc's attributes). */
struct rblk_attrs {
	bool rust;		/* rust, rs, or attributes only */
	bool other_lang;	/* names another language (text, sh, ...) */
	bool ignore, no_run, compile_fail, should_panic;
	int edition;		/* 2015, 2018, 2021, 2024; 0 when not given */
	char code[RBLK_CODE_LEN];	/* first error code listed, or "" */
};

enum rblk_shape {
	RBLK_MAIN,		/* has its own fn main */
	RBLK_ITEMS,		/* items only: compiled as a library */
	RBLK_STATEMENTS,	/* wrapped in fn main */
	RBLK_EMPTY		/* nothing but comments */
};

struct rblk_block {
	int block;		/* index into note.blocks */
	int fence_line;		/* note line of the opening fence */
	int first_line, last_line;	/* note lines of the code */
	struct rblk_attrs attrs;
	enum rblk_shape shape;
	bool compile;		/* false: ignored, elided or empty */
	bool elided;		/* code left out with "..." or U+2026 */
	bool expect_fail;	/* the note says it does not compile */
	int claim_line;		/* where it says so (0 when it does not) */
	char claim_code[RBLK_CODE_LEN];	/* error code it names, or "" */
	int edition;		/* attribute or default */
	char *source;		/* the crate rustc is given */
	int *line_map;		/* line_map[k]: note line of source line k+1,
				   0 for the lines the wrapper added */
	int nsource_lines;
};

struct rblk_list {
	struct rblk_block *v;
	size_t n;
};

/*
 * The phrases that say code fails (rules/code-claims.txt, the user's copy
 * first): data, changed without a rebuild.  RN_OK or RN_EINPUT naming the
 * file and line.
 */
struct rblk_claims;
int rblk_claims_load(struct rblk_claims **out, char *err, size_t errlen);
int rblk_claims_parse(const char *name, const char *text,
    struct rblk_claims **out, char *err, size_t errlen);
void rblk_claims_free(struct rblk_claims *c);

/* Parse a fence's info string ("rust,ignore", "compile_fail E0382"...). */
void rblk_parse_info(const char *info, struct rblk_attrs *out);
/* An unlabelled block's code reads as Rust, not output or shell. */
bool rblk_plainly_rust(const char *code);
/* How the code must be wrapped; sets *has_main for tests' sake. */
enum rblk_shape rblk_shape_of(const char *code);
/*
 * A comment in the code claims the block fails ("// error",
 * "// error[E0382]", "// does not compile"): returns the 0-based line of
 * the comment within code, or -1; code_out (RBLK_CODE_LEN) gets its error
 * code or "".
 */
int rblk_comment_claim(const struct rblk_claims *c, const char *code,
    char *code_out);
/* Code is left out ("...", "…" outside strings and comments): the block
 * is a sketch, not meant to compile. */
bool rblk_elided(const char *code);
/* A sentence says the code after it fails to compile. */
bool rblk_sentence_claims_failure(const struct rblk_claims *c,
    const char *sentence);

/* Every Rust block of the note; default_edition when none is given. */
void rblk_extract(const struct note *n, int default_edition,
    const struct rblk_claims *c, struct rblk_list *out);
void rblk_list_free(struct rblk_list *l);
/*
 * Put the code of earlier blocks ctx[0..n) (items only) before b's own, as
 * if they were one crate: for a block that uses what an earlier one
 * defines.  Their lines map to no note line.
 */
void rblk_add_context(struct rblk_block *b, const struct rblk_block *const *ctx,
    size_t n);
/* The note line of a source line (1-based), falling back to the nearest
 * code line before it, then the block's first line. */
int rblk_note_line(const struct rblk_block *b, int source_line);

#endif
