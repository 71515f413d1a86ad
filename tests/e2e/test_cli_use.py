"""End to end: the command line in everyday use - what --plain, --json and
--jsonl print when the LLM fails, dismissed findings, exit codes, prompt
--json, the messages people read, the man page and make install."""
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import MODELS, RustnoteTest  # noqa: E402
from test_tui import TuiTest  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEAD_URL = "http://127.0.0.1:1/v1"	# nothing listens on port 1


class LLMFailure(TuiTest):
    """A provider that cannot be reached: the offline findings are kept."""

    def failing(self, *args):
        return self.run_rn("review", "-p", "openai", "-m", MODELS["openai"],
                           "-u", DEAD_URL, *args, "note.md",
                           env=self.llm_env())

    def offline_count(self):
        p = self.run_rn("review", "--offline", "--json", "note.md")
        return len(json.loads(p.stdout)["findings"])

    def test_json_keeps_offline_findings_and_says_the_error(self):
        p = self.failing("--json")
        self.assertEqual(p.returncode, 4, p.stderr)
        doc = json.loads(p.stdout)
        self.assertEqual(len(doc["findings"]), self.offline_count())
        self.assertTrue(all(f["source"] == "offline"
                            for f in doc["findings"]))
        self.assertEqual(doc["error"]["exit_code"], 4)
        self.assertIn("could not connect", doc["error"]["message"])

    def test_jsonl_ends_with_an_error_line(self):
        p = self.failing("--jsonl")
        self.assertEqual(p.returncode, 4, p.stderr)
        lines = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual(len(lines), self.offline_count() + 1)
        self.assertTrue(all(l["type"] == "finding" for l in lines[:-1]))
        self.assertEqual(lines[-1]["type"], "error")
        self.assertEqual(lines[-1]["exit_code"], 4)
        self.assertIn("could not connect", lines[-1]["message"])

    def test_plain_prints_bullets_and_the_error_on_stderr(self):
        p = self.failing("--plain")
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn("%d findings" % self.offline_count(), p.stdout)
        self.assertIn("- line 58 [high, offline]", p.stdout)
        self.assertRegex(p.stderr, r"rustnote: openai: could not connect")


class Dismissed(TuiTest):
    def dismiss_first(self):
        term = self.start(llm=False)
        term.wait_for("done in", timeout=20)
        term.send("d")
        term.wait_for("dismissed for this note")
        self.quit()
        term.close()

    def test_left_out_unless_all(self):
        before = json.loads(self.run_rn("review", "--offline", "--json",
                                        "note.md").stdout)["findings"]
        self.dismiss_first()
        gone = before[0]
        doc = json.loads(self.run_rn("review", "--offline", "--json",
                                     "note.md").stdout)
        self.assertEqual(len(doc["findings"]), len(before) - 1)
        self.assertNotIn(gone["quote"], [f["quote"] for f in
                                         doc["findings"]])
        self.assertFalse(any("dismissed" in f for f in doc["findings"]))
        doc = json.loads(self.run_rn("review", "--offline", "--json",
                                     "--all", "note.md").stdout)
        marked = [f for f in doc["findings"] if f.get("dismissed")]
        self.assertEqual(len(doc["findings"]), len(before))
        self.assertEqual([f["quote"] for f in marked], [gone["quote"]])
        self.assertIs(marked[0]["dismissed"], True)
        lines = self.run_rn("review", "--offline", "--jsonl",
                            "note.md").stdout.splitlines()
        self.assertEqual(len(lines), len(before) - 1 + 1)	# + "done"
        lines = [json.loads(l) for l in self.run_rn(
            "review", "--offline", "--jsonl", "--all",
            "note.md").stdout.splitlines()]
        self.assertEqual([l["quote"] for l in lines if l.get("dismissed")],
                         [gone["quote"]])
        plain = self.run_rn("review", "--offline", "--plain", "note.md")
        self.assertNotIn(gone["quote"], plain.stdout)
        plain = self.run_rn("review", "--offline", "--plain", "--all",
                            "note.md")
        self.assertIn(gone["quote"], plain.stdout)
        self.assertIn(", dismissed]", plain.stdout)


class ExitCodes(RustnoteTest):
    def setUp(self):
        super().setUp()
        self.sb.copy_seed()

    def test_no_offline_without_an_llm_is_a_usage_error(self):
        p = self.run_rn("review", "--no-offline", "--plain", "note.md")
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertIn("--no-offline", p.stderr)
        self.assertIn("usage:", p.stderr)

    def test_prompt_json(self):
        p = self.run_rn("prompt", "--json", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = json.loads(p.stdout)
        self.assertEqual(sorted(doc), ["system", "user"])
        self.assertIn("Rust", doc["system"])
        self.assertIn("Stack vs heap", doc["user"])
        text = self.run_rn("prompt", "note.md").stdout
        self.assertIn(doc["user"], text)


class Messages(TuiTest):
    def test_server_message_and_ours_do_not_double_the_stop(self):
        self.srv.push(status=401)
        p = self.review("--plain", "--no-offline")
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn("Incorrect API key provided; check", p.stderr)
        self.assertNotRegex(p.stderr, r"[.;:,]\s*[.;:,]")

    def test_retry_under_a_second_is_said_in_ms(self):
        self.srv.push(status=429, retry_after_ms=20)
        self.srv.push(reply_file="clean.json")
        p = self.review("--plain", "--no-offline", "--no-cache")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stderr, r"retrying in \d+ ms \(attempt 2 of")
        self.assertNotIn("0.0 s", p.stderr)

    def test_bad_config_value_names_the_file(self):
        cfg = os.path.join(self.sb.dir, "my.conf")
        with open(cfg, "w") as f:
            f.write("max_attempts = lots\n")
        p = self.run_rn("review", "--config", cfg, "--offline", "note.md")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(cfg, p.stderr)
        self.assertIn(":1:", p.stderr)

    def test_quote_found_nowhere_is_whole_note_with_a_warning(self):
        self.srv.push(reply=json.dumps({"summary": "", "findings": [
            {"kind": "incorrect", "severity": "high", "line": 12,
             "quote": "Words this note never had in it at all",
             "message": "Wrong."}]}))
        doc = self.review_json("--no-offline", "--no-cache")
        self.assertEqual([f["line"] for f in doc["findings"]], [0])
        self.assertTrue(any("nowhere in the note" in w
                            for w in doc["warnings"]), doc["warnings"])

    def test_a_review_cut_at_the_cap_says_so(self):
        import random
        rnd = random.Random(7)

        def words():	# texts no two of which look alike
            return " ".join("".join(rnd.choice("bcdfghjklmnpqrstvwxz")
                                    for _ in range(6)) for _ in range(5))
        claims = [words() + "." for _ in range(600)]
        self.sb.write("note.md", "# Many\n\n" + "\n".join(claims) + "\n")
        from common import sha256_file
        self.note_hash = sha256_file(self.note)
        findings = [{"kind": "incorrect", "severity": "low", "quote": q,
                     "line": i + 3, "message": "Wrong: " + words()}
                    for i, q in enumerate(claims[:550])]
        self.srv.push(reply=json.dumps({"summary": "",
                                        "findings": findings}))
        doc = self.review_json("--no-offline", "--no-cache")
        self.assertEqual(len(doc["findings"]), 500)
        self.assertTrue(any("cap" in w and "500" in w
                            for w in doc["warnings"]), doc["warnings"])
        self.srv.push(reply=json.dumps({"summary": "",
                                        "findings": findings}))
        p = self.review("--plain", "--no-offline", "--no-cache")
        self.assertRegex(p.stdout, r"warning: .*cap")


def makefile_version():
    with open(os.path.join(ROOT, "Makefile")) as f:
        return re.search(r"^VERSION\s*:?=\s*(\S+)", f.read(), re.M).group(1)


class ManPage(unittest.TestCase):
    page = os.path.join(ROOT, "doc", "rustnote.1")

    def test_man_shows_the_version_keys_and_datadir(self):
        if shutil.which("man") is None:
            self.fail("man is not installed (make deps)")
        env = dict(os.environ, MANPAGER="cat", MANWIDTH="100", LANG="C.UTF-8")
        out = subprocess.run(["man", "-l", self.page], env=env,
                             capture_output=True, text=True).stdout
        self.assertNotIn("@VERSION@", out)
        self.assertIn("rustnote %s" % makefile_version(), out)
        self.assertRegex(out, r"(?m)^KEYS$")
        self.assertIn("RUSTNOTE_DATADIR", out)
        self.assertIn("--all", out)

    def test_keys_section_lists_every_binding(self):
        with open(os.path.join(ROOT, "src", "tui", "keymap.c")) as f:
            names = re.findall(r'^\s*\{ [^,]+, (?:true|false), "([^"]+)"',
                               f.read(), re.M)
        env = dict(os.environ, MANPAGER="cat", MANWIDTH="100", LANG="C.UTF-8")
        out = subprocess.run(["man", "-l", self.page], env=env,
                             capture_output=True, text=True).stdout
        keys = out[out.index("\nKEYS"):out.index("\nENVIRONMENT")]
        for name in names:
            name = (name.encode("latin-1").decode("unicode_escape")
                    .encode("latin-1").decode("utf-8"))
            self.assertRegex(keys, r"(?<![\w-])%s(?![\w-])"
                             % re.escape(name), name)


class Install(unittest.TestCase):
    """make remembers the data folder it compiled in: another PREFIX
    builds again (checked on the one object that holds it)."""

    def test_another_prefix_rebuilds(self):
        tmp = self.enterContext(TempDir())
        obj = os.path.join(tmp, "src", "core", "util.o")

        def make(prefix):
            p = subprocess.run(["make", "-s", "B=" + tmp, "PREFIX=" + prefix,
                                obj], cwd=ROOT, capture_output=True,
                               text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            return os.stat(obj).st_mtime_ns

        first = make("/opt/rn")
        self.assertIn(b"/opt/rn/share/rustnote", open(obj, "rb").read())
        self.assertEqual(make("/opt/rn"), first, "rebuilt for no reason")
        make("/usr")
        data = open(obj, "rb").read()
        self.assertIn(b"/usr/share/rustnote", data)
        self.assertNotIn(b"/opt/rn/share/rustnote", data)
        dry = subprocess.run(["make", "-n", "B=" + tmp, "PREFIX=/usr",
                              "DESTDIR=" + tmp + "/dest", "install"],
                             cwd=ROOT, capture_output=True, text=True).stdout
        self.assertIn("install -m 644 doc/rustnote.1", dry)


class TempDir:
    def __enter__(self):
        import tempfile
        self.path = tempfile.mkdtemp(prefix="rustnote-make-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
