/*
 * rustc.h - the compiler interface (compiler.h) backed by a real rustc.
 *
 * Each crate is written to a private folder made with mkdtemp under
 * $TMPDIR (never beside the note) and checked with
 *   rustc --edition E --crate-type bin|lib --emit=metadata
 *         --error-format=json -A warnings NAME.rs
 * started without a shell, in its own process group, as many at once as
 * there are cores; one that passes its time limit, or the review's, or is
 * cancelled, is killed with its group.  Nothing is ever run but rustc.
 */
#ifndef RUSTNOTE_RUSTC_H
#define RUSTNOTE_RUSTC_H

#include "rustnote/compiler.h"

#define RUSTC_MIN_MINOR 56	/* rustc 1.56: edition 2021 */

/*
 * A compiler for the rustc at path (a file, or a name looked up in PATH;
 * NULL: "rustc").  Always returns one; when rustc is missing or too old
 * its problem says so and it must not be run.
 */
struct compiler *rustc_compiler_new(const char *path);

#endif
