#!/usr/bin/env python3
"""Code block benchmark: prints figures, passes or fails nothing.

A note with 20 Rust code blocks (statements, items, programs; some fail,
some are said to fail) is reviewed offline with Debian's rustc:
(a) cold: an empty cache, so every block is compiled (target < 3 s on 2
    cores), median of 3 runs;
(b) cached: the same note again, nothing compiled (target < 50 ms),
    median of 7 runs; beside it the same review with --no-compile, so
    what the code blocks cost is the difference.
The binary is $RUSTNOTE_BIN or ./rustnote; the compiler $RUSTNOTE_RUSTC or
/usr/bin/rustc.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

BLOCKS = [
    ("This compiles and prints 6:", "```rust\nlet x = 5;\nlet y = x + 1;\n"
     "println!(\"{}\", y);\n```"),
    ("A struct with a method:", "```rust\npub struct P { x: i32 }\n"
     "impl P {\n    pub fn x(&self) -> i32 { self.x }\n}\n```"),
    ("Moving a vector:", "```rust\nlet v = vec![1];\nlet w = v;\n"
     "println!(\"{:?}\", v); // error[E0382]\n```"),
    ("A program:", "```rust\nfn main() {\n    let s = String::from(\"a\");"
     "\n    println!(\"{}\", s.len());\n}\n```"),
    ("This works:", "```rust\nlet mut n = 1;\nlet r = &mut n;\n*r += 1;\n"
     "```"),
    ("Copy and Drop together:", "```rust\n#[derive(Clone, Copy)]\n"
     "struct G;\nimpl Drop for G { fn drop(&mut self) {} }\n```"),
    ("This does not compile:", "```rust\nlet a = 1;\nlet b = &a;\n"
     "println!(\"{}\", b);\n```"),
    ("Traits:", "```rust\ntrait T { fn f(&self) -> u8; }\nstruct S;\n"
     "impl T for S { fn f(&self) -> u8 { 1 } }\n```"),
    ("Closures:", "```rust\nlet add = |a: i32, b: i32| a + b;\n"
     "assert_eq!(add(1, 2), 3);\n```"),
    ("Iterators:", "```rust\nlet v: Vec<i32> = (1..4).map(|x| x * 2)"
     ".collect();\nprintln!(\"{:?}\", v);\n```"),
]


def make_note(path, n=20):
    parts = ["# Rust basics", ""]
    for i in range(n):
        intro, block = BLOCKS[i % len(BLOCKS)]
        # Every block differs, so each is its own cache entry.
        block = block.replace("```rust\n", "```rust\n// block %d\n" % i, 1)
        parts += ["## Part %d" % (i + 1), "", intro, "", block, ""]
    with open(path, "w") as f:
        f.write("\n".join(parts))
    with open(path[:-3] + ".overview.md", "w") as f:
        f.write("# Rust basics\n\n## Topics\n- Ownership\n")


def run_once(binary, env, note, *extra):
    start = time.monotonic()
    p = subprocess.run([binary, "review", "--offline", "--json", *extra,
                        note],
                       env=env, capture_output=True, text=True, timeout=120)
    took = (time.monotonic() - start) * 1000
    if p.returncode != 0:
        raise SystemExit("rustnote failed: %s" % p.stderr[-500:])
    doc = json.loads(p.stdout)
    return took, doc


def main():
    binary = os.environ.get("RUSTNOTE_BIN") or os.path.join(ROOT, "rustnote")
    rustc = os.environ.get("RUSTNOTE_RUSTC") or "/usr/bin/rustc"
    if not os.access(rustc, os.X_OK):
        print("no rustc at %s (make deps installs it)" % rustc)
        return 1
    tmp = tempfile.mkdtemp(prefix="rustnote-bench-rustc-")
    try:
        note = os.path.join(tmp, "note.md")
        make_note(note)
        env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=tmp,
                   XDG_DATA_HOME=tmp, RUSTNOTE_RUSTC=rustc)
        cold = []
        for i in range(3):
            env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache%d" % i)
            took, doc = run_once(binary, env, note)
            cold.append(took)
        n = len([f for f in doc["findings"] if f["source"] == "rustc"])
        cached, plain = [], []
        for _ in range(7):
            cached.append(run_once(binary, env, note)[0])
            plain.append(run_once(binary, env, note, "--no-compile")[0])
        print("20 code blocks, cold cache (%d rustc findings, %d cores, "
              "load %.1f): %.0f ms  (target < 3000 ms on 2 cores)" %
              (n, os.cpu_count() or 1, os.getloadavg()[0],
               statistics.median(cold)))
        print("20 code blocks, cached: %.1f ms for the whole review, "
              "%.1f ms of it for the code blocks  (target < 50 ms)" %
              (statistics.median(cached), statistics.median(cached) -
               statistics.median(plain)))
        print("  the same review with --no-compile: %.1f ms" %
              statistics.median(plain))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
