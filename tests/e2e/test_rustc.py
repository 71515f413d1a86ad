"""The note's code blocks checked with Debian's rustc (/usr/bin/rustc, set
with config `rustc = PATH`; `make deps` installs it): findings on the right
lines, claims of failure checked, the cache, missing or slow compilers,
cancelling, and the note's folder left as it was."""
import json
import os
import signal
import stat
import subprocess
import time

from common import LLMTest, RustnoteTest, rustnote_bin, sha256_file

DEBIAN_RUSTC = "/usr/bin/rustc"

# Each case: a note, then (line, text in the message) of every rustc
# finding it must give -- and no other.
COPY_DROP = """# Copy and Drop

A type can be both Copy and Drop, this works fine:

```rust
#[derive(Clone, Copy)]
struct Guard(i32);

impl Drop for Guard {
    fn drop(&mut self) {}
}
```
"""

MOVE_MARKED = """# Moves

After a move the old name is gone:

```rust
let v = vec![1, 2, 3];
let w = v;
println!("{:?}", v); // error[E0382]: borrow of moved value
```

This does not compile, because `s` was moved into `t`:

```rust
let s = String::from("hi");
let t = s;
println!("{}", s);
```
"""

SNIPPET = """# Shadowing

No `fn main` needed in a note; this compiles and prints 6:

```
let x = 5;
let x = x + 1;
println!("{}", x);
```

And this adds a number to a string, which works:

```
let n = 5;
let s: String = n + "a";
```
"""

SAID_TO_FAIL = """# Borrowing

Two shared borrows at once are rejected by the compiler:

```rust
let n = 5;
let a = &n;
let b = &n;
println!("{} {}", a, b);
```

```compile_fail
fn main() {
    let x = 1;
}
```
"""

IGNORED = """# Sketches

```rust,ignore
this is not Rust { at all
```

```text
let x: i32 = "not checked";
```
"""

ITEMS = """# Structs

A struct with a method, no `fn main`:

```rust
#[derive(Debug)]
pub struct Point {
    x: i32,
    y: i32,
}

impl Point {
    pub fn new(x: i32, y: i32) -> Point {
        Point { x, y }
    }
}
```
"""

WRONG_CODE = """# Borrowing

```rust
let mut s = String::new();
let r1 = &s;
let r2 = &mut s; // error[E0499]
println!("{} {}", r1, r2);
```
"""

ACROSS_BLOCKS = """# Structs

```rust
#[derive(Debug)]
struct Point { x: i32 }
```

Moving a Point works like moving a String:

```rust
let p = Point { x: 1 };
let q = p;
println!("{:?}", p);
```

With a crate from crates.io:

```rust
use rand::Rng;
let n = rand::thread_rng().gen_range(0..10);
```

A sketch:

```rust
fn main() {
    let v = vec![1, 2, 3];
    ...
}
```
"""

EDITIONS = """# Editions and hidden lines

In Rust 2015 `async` was a plain name:

```rust,edition2015
let async = 1;
```

From 2018 on it is a keyword, this works too:

```rust
let async = 1;
```

Hidden lines set the scene, as in rustdoc:

```rust
# struct Meters(u32);
# let d = Meters(5);
let Meters(n) = d;
assert_eq!(n, 5);
```
"""

OVERVIEW = """# Rust basics

## Topics
- Ownership and moves
"""


def rustc_findings(doc):
    return [f for f in doc["findings"] if f.get("source") == "rustc"]


def folder_state(path):
    """Every file and folder under path with its size and mtime."""
    state = {}
    for dirpath, dirs, files in os.walk(path):
        for name in dirs + files:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            state[os.path.relpath(p, path)] = (st.st_size, st.st_mtime_ns)
    return state


class RustcTest(RustnoteTest):
    def setUp(self):
        super().setUp()
        # A missing compiler fails these tests: make deps installs it.
        self.assertTrue(os.access(DEBIAN_RUSTC, os.X_OK),
                        "no Debian rustc at %s (run make deps)" %
                        DEBIAN_RUSTC)
        self.tmp = os.path.join(self.sb.dir, "tmp")
        os.makedirs(self.tmp)
        self.set_config("rustc = %s\n" % DEBIAN_RUSTC)

    def set_config(self, text):
        os.makedirs(os.path.join(self.sb.config, "rustnote"), exist_ok=True)
        with open(os.path.join(self.sb.config, "rustnote", "config"),
                  "w") as f:
            f.write(text)

    def note(self, text, name="note.md"):
        path = self.sb.write(name, text)
        self.sb.write(name[:-3] + ".overview.md", OVERVIEW)
        return path

    def review(self, *args, env=None, expect_rc=0, timeout=60):
        p = self.run_rn("review", "--offline", "--json", *args, "note.md",
                        env=env or self.sb.env(TMPDIR=self.tmp),
                        timeout=timeout)
        self.assertNoSanitizerReport(p)
        self.assertEqual(p.returncode, expect_rc, p.stderr)
        return json.loads(p.stdout) if expect_rc == 0 else p

    def assertFindings(self, doc, want):
        got = [(f["line"], f["message"]) for f in rustc_findings(doc)]
        self.assertEqual(len(got), len(want), got)
        for (line, msg), (wline, wtext) in zip(got, want):
            self.assertEqual(line, wline, got)
            self.assertIn(wtext, msg)
        for f in rustc_findings(doc):
            self.assertEqual(f["kind"], "incorrect")

    def test_copy_on_drop_type_presented_as_working(self):
        self.note(COPY_DROP)
        doc = self.review()
        self.assertFindings(doc, [(6, "error[E0184]")])
        f = rustc_findings(doc)[0]
        self.assertEqual(f["severity"], "high")
        self.assertEqual(f["rule"], "E0184")
        self.assertIn("destructor", f["message"])
        self.assertEqual(doc["warnings"], [])

    def test_use_after_move_marked_as_error(self):
        self.note(MOVE_MARKED)
        doc = self.review()
        self.assertFindings(doc, [])
        self.assertEqual(doc["warnings"], [])

    def test_statement_snippet_without_main(self):
        self.note(SNIPPET)
        doc = self.review()
        # The first block compiles inside fn main; the second fails on
        # its own line of the note.
        self.assertFindings(doc, [(15, "error[E0277]: cannot add `&str`")])

    def test_block_said_not_to_compile_that_does(self):
        self.note(SAID_TO_FAIL)
        doc = self.review()
        self.assertFindings(doc, [(3, "this compiles"),
                                  (12, "this compiles")])
        self.assertIn("rustc 1.63", rustc_findings(doc)[0]["message"])

    def test_ignore_and_other_languages(self):
        self.note(IGNORED)
        doc = self.review()
        self.assertFindings(doc, [])
        self.assertEqual(doc["warnings"], [])

    def test_items_only_compiled_as_library(self):
        self.note(ITEMS)
        doc = self.review()
        self.assertFindings(doc, [])    # no "main function not found"
        self.assertEqual(doc["warnings"], [])

    def test_blocks_that_build_on_earlier_ones(self):
        self.note(ACROSS_BLOCKS)
        doc = self.review()
        # The second block is compiled after the first, so its own error
        # shows; a crate from elsewhere and a sketch are not judged.
        self.assertFindings(doc, [(13, "error[E0382]: borrow of moved "
                                       "value: `p`")])
        self.assertEqual(doc["warnings"], [])

    def test_edition_attribute_and_hidden_lines(self):
        self.note(EDITIONS)
        doc = self.review()
        # Only the block compiled as 2021 rejects `async` as a name; the
        # hidden lines are compiled, so the last block is fine.
        self.assertFindings(doc, [(12, "expected identifier, found "
                                       "keyword `async`")])

    def test_other_error_code_than_claimed(self):
        self.note(WRONG_CODE)
        doc = self.review()
        self.assertFindings(doc, [(6, "reports error[E0502]")])
        f = rustc_findings(doc)[0]
        self.assertIn("not E0499", f["message"])
        self.assertEqual(f["severity"], "medium")

    def test_plain_output_and_help(self):
        self.note("# T\n\n```rust\nlet x = 5;\nlet y = &mut x;\n```\n")
        p = self.run_rn("review", "--offline", "--plain", "note.md",
                        env=self.sb.env(TMPDIR=self.tmp))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("- line 5 [high", p.stdout)
        self.assertIn("error[E0596]", p.stdout)
        self.assertIn("consider changing this to be mutable", p.stdout)

    def test_no_rustc_on_path(self):
        self.set_config("")
        self.note(COPY_DROP)
        env = self.sb.env(TMPDIR=self.tmp, PATH=os.path.join(self.sb.dir,
                                                              "nothing"))
        doc = self.review(env=env)
        self.assertFindings(doc, [])
        self.assertEqual(doc["warnings"],
                         ["code blocks not checked: rustc not found"])
        # A configured path that does not exist says the same.
        self.set_config("rustc = /nonexistent/rustc\n")
        doc = self.review()
        self.assertEqual(doc["warnings"],
                         ["code blocks not checked: rustc not found"])

    def test_too_old_rustc(self):
        fake = self.fake_rustc("echo 'rustc 1.40.0 (73528e339 2019-12-16)'"
                               "; exit 0")
        self.set_config("rustc = %s\n" % fake)
        self.note(COPY_DROP)
        doc = self.review()
        self.assertFindings(doc, [])
        self.assertEqual(len(doc["warnings"]), 1)
        self.assertIn("code blocks not checked: rustc 1.40.0", doc["warnings"][0])
        self.assertIn("too old", doc["warnings"][0])

    def test_turned_off(self):
        self.note(COPY_DROP)
        doc = self.review("--no-compile")
        self.assertFindings(doc, [])
        self.set_config("rustc = %s\ncompile = false\n" % DEBIAN_RUSTC)
        doc = self.review()
        self.assertFindings(doc, [])
        self.assertEqual(doc["warnings"], [])

    def test_note_folder_untouched(self):
        self.note(COPY_DROP + SNIPPET + ITEMS)
        before = folder_state(self.sb.work)
        self.review()
        self.assertEqual(folder_state(self.sb.work), before)
        # The private folder is gone too.
        self.assertEqual(os.listdir(self.tmp), [])

    # --- a logging stand-in for rustc -------------------------------------

    def fake_rustc(self, body):
        path = os.path.join(self.sb.dir, "fake-rustc")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, stat.S_IRWXU)
        return path

    def logging_rustc(self):
        log = os.path.join(self.sb.dir, "rustc.log")
        return self.fake_rustc('echo "$@" >> %s\nexec %s "$@"' %
                               (log, DEBIAN_RUSTC)), log

    def log_lines(self, log):
        if not os.path.exists(log):
            return []
        with open(log) as f:
            return f.read().splitlines()

    def test_unchanged_note_runs_no_compiler(self):
        fake, log = self.logging_rustc()
        self.set_config("rustc = %s\n" % fake)
        self.note(COPY_DROP + MOVE_MARKED)
        first = self.review()
        runs = self.log_lines(log)
        self.assertEqual(len([l for l in runs if "--version" in l]), 1)
        self.assertEqual(len([l for l in runs if "--emit=metadata" in l]), 3)
        for l in runs:
            if "--emit=metadata" in l:
                self.assertIn("--edition 2021", l)
                self.assertIn("--error-format=json", l)
        second = self.review()
        self.assertEqual(self.log_lines(log), runs, "rustc ran again")
        self.assertEqual(rustc_findings(second), rustc_findings(first))
        # An edited block is compiled again, alone.
        self.note((COPY_DROP + MOVE_MARKED).replace("vec![1, 2, 3]",
                                                    "vec![4]"))
        self.review()
        self.assertEqual(len(self.log_lines(log)), len(runs) + 1)
        # --no-cache compiles everything.
        self.review("--no-cache")
        self.assertEqual(len(self.log_lines(log)), len(runs) + 4)

    def test_slow_block_killed_at_its_limit(self):
        pidfile = os.path.join(self.sb.dir, "pid")
        fake = self.fake_rustc(
            'case "$1" in --version) echo "rustc 1.63.0"; exit 0;; esac\n'
            'echo $$ > %s\nexec sleep 30' % pidfile)
        self.set_config("rustc = %s\ncompile_timeout = 1\n" % fake)
        self.note(COPY_DROP)
        start = time.monotonic()
        doc = self.review()
        self.assertLess(time.monotonic() - start, 10)
        self.assertFindings(doc, [])
        self.assertEqual(len(doc["warnings"]), 1)
        self.assertIn("line 6 not checked: rustc took too long",
                      doc["warnings"][0])
        with open(pidfile) as f:
            pid = int(f.read())
        self.assertFalse(os.path.exists("/proc/%d" % pid) and
                         "zombie" not in open("/proc/%d/status" % pid).read()
                         .lower(), "the slow rustc still runs")
        self.assertEqual(os.listdir(self.tmp), [])

    def test_review_limit_stops_the_rest(self):
        # Each block takes 0.9 s, under its 1 s limit; the review may take
        # six times that, so 16 blocks on 2 cores cannot all be checked.
        fake = self.fake_rustc(
            'case "$1" in --version) echo "rustc 1.63.0"; exit 0;; esac\n'
            'sleep 0.9; exit 0')
        self.set_config("rustc = %s\ncompile_timeout = 1\n" % fake)
        self.note("# T\n\n" + "".join(
            "```rust\nlet x%d = %d;\n```\n\n" % (i, i) for i in range(16)))
        start = time.monotonic()
        doc = self.review()
        took = time.monotonic() - start
        self.assertLess(took, 6 + 3)
        self.assertFindings(doc, [])
        late = [w for w in doc["warnings"] if "rustc took too long" in w]
        self.assertGreaterEqual(len(late), 2, doc["warnings"])
        self.assertLess(len(late), 16, doc["warnings"])
        self.assertEqual(os.listdir(self.tmp), [])

    def test_interrupt_kills_rustc(self):
        pidfile = os.path.join(self.sb.dir, "pid")
        fake = self.fake_rustc(
            'case "$1" in --version) echo "rustc 1.63.0"; exit 0;; esac\n'
            'echo $$ > %s\nexec sleep 30' % pidfile)
        self.set_config("rustc = %s\n" % fake)
        self.note(COPY_DROP)
        p = subprocess.Popen([rustnote_bin(), "review", "--offline",
                              "--plain", "note.md"], cwd=self.sb.work,
                             env=self.sb.env(TMPDIR=self.tmp),
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        deadline = time.monotonic() + 10
        while not os.path.exists(pidfile) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.1)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=10)
        self.assertEqual(p.returncode, 130, err)
        with open(pidfile) as f:
            pid = int(f.read())
        self.assertFalse(os.path.exists("/proc/%d" % pid),
                         "rustc still runs after the interrupt")
        self.assertEqual(os.listdir(self.tmp), [])

    def test_prompt_command_carries_verdicts(self):
        self.note(COPY_DROP)
        p = self.run_rn("prompt", "note.md", env=self.sb.env(TMPDIR=self.tmp))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("- code block at lines 6-11 (the note presents it as "
                      "working): does not compile with rustc 1.63.0: line 6: "
                      "error[E0184]", p.stdout)
        p = self.run_rn("prompt", "--no-compile", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("# What rustc says about the note's code blocks\n\n"
                      "(not checked)", p.stdout)

    def test_seed_note_has_no_rust_blocks(self):
        # Its blocks are memory diagrams: nothing is compiled.
        fake, log = self.logging_rustc()
        self.set_config("rustc = %s\n" % fake)
        self.sb.copy_seed()
        doc = self.review()
        self.assertFindings(doc, [])
        self.assertEqual([l for l in self.log_lines(log)
                          if "--emit=metadata" in l], [])
        self.assertEqual(doc["warnings"], [])


class RustcInPrompt(LLMTest):
    """The LLM is told rustc's verdicts, so it does not contradict them."""

    def test_prompt_carries_verdicts(self):
        with open(self.note, "w") as f:
            f.write(COPY_DROP + MOVE_MARKED)
        self.note_hash = sha256_file(self.note)
        self.srv.push(reply_file="clean.json")
        os.makedirs(os.path.join(self.sb.config, "rustnote"), exist_ok=True)
        with open(os.path.join(self.sb.config, "rustnote", "config"),
                  "w") as f:
            f.write("rustc = %s\n" % DEBIAN_RUSTC)
        doc = self.review_json()
        self.assertEqual(len(rustc_findings(doc)), 1)
        user = self.srv.api_requests()[0]["json"]["messages"][1]["content"]
        self.assertIn("# What rustc says about the note's code blocks", user)
        self.assertIn("- code block at lines 6-11 (the note presents it as "
                      "working): does not compile with rustc 1.63.0: line 6: "
                      "error[E0184]", user)
        self.assertIn("(the note says it does not compile): does not "
                      "compile with rustc 1.63.0: line 20: error[E0382]",
                      user)


from test_tui import TuiTest  # noqa: E402


class RustcOnScreen(TuiTest):
    """The review screen marks rustc's findings and shows its message as
    code."""

    def test_rustc_finding_marked_and_detailed(self):
        with open(self.note, "w") as f:
            f.write(COPY_DROP)
        self.note_hash = sha256_file(self.note)
        os.makedirs(os.path.join(self.sb.config, "rustnote"), exist_ok=True)
        with open(os.path.join(self.sb.config, "rustnote", "config"),
                  "w") as f:
            f.write("rustc = %s\n" % DEBIAN_RUSTC)
        term = self.start(llm=False, width=100, height=40)
        screen = term.wait_for("done in", timeout=30)
        self.assertRegex(screen, r"inc H\s+6 rustc #\[derive")
        while "error[E0184]" not in "\n".join(
                term.lines()[self.findings_bottom():]):
            term.send("j")
            time.sleep(0.1)
            self.assertGreater(self.findings_bottom(), 0)
        detail = "\n".join(term.lines()[self.findings_bottom():])
        self.assertIn("line 6", term.lines()[self.findings_bottom()])
        self.assertIn("From: rustc", detail)
        self.quit()

