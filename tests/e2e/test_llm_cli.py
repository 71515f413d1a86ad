"""End to end: the output modes (--json, --jsonl, --plain), streaming
of --jsonl lines, `rustnote prompt`, offline findings beside LLM ones, and
exit codes of the review command."""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (LLMTest, MODELS, line_of,  # noqa: E402
                    readline_timeout, reply_findings, SEED_OVERVIEW)

FINDING_KEYS = {"kind", "severity", "line", "end_line", "quote", "topic",
                "message", "suggestion", "source"}
KINDS = ("gap", "incorrect", "assumption", "scope")
# Words a --plain group heading may use for each kind.
KIND_WORDS = {"gap": ("gap",), "incorrect": ("incorrect", "untrue", "not true",
                                             "wrong"),
              "assumption": ("assumption",), "scope": ("scope",)}


class JsonlStreamingTest(LLMTest):
    """--jsonl prints each finding the moment it is complete."""

    def check_first_line_early(self, provider):
        self.srv.push(reply_file="clean.json", hold_after_finding=1)
        p = self.popen_review("--jsonl", "--no-offline", provider=provider)
        self.assertTrue(self.srv.held.wait(15), "server never reached the hold")
        line = readline_timeout(p.stdout, 15)
        self.assertTrue(line, "no --jsonl line while the stream was held "
                        "(output buffered, or findings only at the end)")
        self.assertFalse(self.srv.release_event.is_set())
        first = json.loads(line)
        c = reply_findings("clean.json")[0]
        self.assertEqual(first["type"], "finding")
        self.assertEqual(first["kind"], c["kind"])
        self.assertEqual(first["quote"], c["quote"])
        self.assertEqual(first["line"], line_of(c["quote"]))
        self.assertEqual(first["source"], "llm")
        self.assertTrue(FINDING_KEYS <= set(first), set(first))
        self.srv.release()
        rest = p.stdout.read().decode("utf-8")
        err = p.stderr.read().decode("utf-8", "replace")
        self.assertEqual(p.wait(30), 0, err)
        lines = [json.loads(l) for l in rest.splitlines() if l.strip()]
        self.assertEqual(lines[-1]["type"], "done")
        found = [first] + [l for l in lines if l["type"] == "finding"]
        self.assertEqual(len(found), len(reply_findings("clean.json")))
        self.assertEqual(sum(1 for l in lines if l["type"] == "done"), 1)
        done = lines[-1]
        for k in ("summary", "warnings", "usage", "cached"):
            self.assertIn(k, done)
        self.assertIs(done["cached"], False)
        self.assertNotIn("AddressSanitizer", err)

    def test_openai_first_line_before_stream_ends(self):
        self.check_first_line_early("openai")

    def test_anthropic_first_line_before_stream_ends(self):
        self.check_first_line_early("anthropic")

    def test_ollama_first_line_before_stream_ends(self):
        self.check_first_line_early("ollama")

    def test_jsonl_lines_in_stream_order(self):
        self.srv.push(reply_file="clean.json")
        proc = self.review("--jsonl", "--no-offline")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = [json.loads(l) for l in proc.stdout.splitlines()]
        quotes = [l["quote"] for l in lines if l["type"] == "finding"]
        self.assertEqual(quotes, [c["quote"] for c in
                                  reply_findings("clean.json")])
        self.assertEqual(lines[-1]["type"], "done")

    def test_jsonl_offline_first(self):
        """Offline findings come first (instantly), then the LLM's."""
        self.srv.push(reply_file="clean.json")
        proc = self.review("--jsonl")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = [json.loads(l) for l in proc.stdout.splitlines()]
        src = [l["source"] for l in lines if l["type"] == "finding"]
        if "offline" in src:
            self.assertEqual(src, sorted(src, key=lambda s: s != "offline"))


class OutputModesTest(LLMTest):
    def test_json_document_shape(self):
        self.srv.push(reply_file="clean.json")
        doc = self.review_json()
        for k in ("note", "overview", "provider", "model", "summary",
                  "findings", "warnings", "usage", "cached"):
            self.assertIn(k, doc)
        self.assertTrue(doc["note"].endswith("note.md"))
        self.assertTrue(doc["overview"].endswith("note.overview.md"))
        for f in doc["findings"]:
            self.assertTrue(FINDING_KEYS <= set(f), set(f))
            self.assertIn(f["kind"], KINDS)
            self.assertIn(f["severity"], ("high", "medium", "low"))
            self.assertIn(f["source"], ("llm", "offline"))
            self.assertIsInstance(f["line"], int)
        self.assertSorted(doc["findings"])

    def test_offline_findings_beside_llm(self):
        self.srv.push(reply_file="clean.json")
        self.srv.push(reply_file="clean.json")
        only_llm = self.review_json("--no-offline", "--no-cache")
        merged = self.review_json("--no-cache")
        offline = self.review_json("--offline")
        self.assertTrue(all(f["source"] == "llm"
                            for f in only_llm["findings"]))
        self.assertTrue(all(f["source"] == "offline"
                            for f in offline["findings"]))
        key = lambda f: (f["kind"], f["line"], f["source"])  # noqa: E731
        allowed = {key(f) for f in only_llm["findings"] + offline["findings"]}
        for f in merged["findings"]:
            self.assertIn(key(f), allowed)
        self.assertGreaterEqual(len(merged["findings"]),
                                len(only_llm["findings"]))
        self.assertSorted(merged["findings"])

    def plain(self, *args):
        self.srv.push(reply_file="clean.json")
        proc = self.review(*args)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_plain_grouped_bullets(self):
        out = self.plain("--plain", "--no-offline")
        self.assertNotIn("\x1b", out)
        lines = out.split("\n")
        # a heading for each kind present, in the output
        low = out.lower()
        for kind, words in KIND_WORDS.items():
            self.assertTrue(any(w in low for w in words),
                            "no group for %s: %s" % (kind, out))
        for c in reply_findings("clean.json"):
            if not c["quote"]:
                continue
            n = line_of(c["quote"])
            head = c["quote"][:24]
            hit = [l for l in lines if head in l and re.search(r"\b%d\b" % n,
                                                               l)]
            if not hit:  # number and quote may be on neighbouring lines
                for i, l in enumerate(lines):
                    if head in l and re.search(r"\b%d\b" % n,
                                               " ".join(lines[max(0, i - 1):
                                                              i + 1])):
                        hit.append(l)
            self.assertTrue(hit, "no bullet with line %d and quote %r:\n%s"
                            % (n, head, out))
        # grouped: the bullets of one kind form one run in the output
        pos = []
        for c in reply_findings("clean.json"):
            if c["quote"]:
                pos.append((out.find(c["quote"][:24]), c["kind"]))
        runs = [k for i, (_, k) in enumerate(sorted(pos))
                if i == 0 or sorted(pos)[i - 1][1] != k]
        self.assertEqual(len(runs), len(set(runs)),
                         "kinds not grouped: %r" % sorted(pos))

    def test_plain_is_default_on_a_pipe(self):
        a = self.plain("--plain", "--no-offline", "--no-cache")
        b = self.plain("--no-offline", "--no-cache")
        self.assertEqual(a, b)


class PromptCommandTest(LLMTest):
    def test_prompt_prints_messages(self):
        proc = self.run_rn("prompt", "-p", "openai", "-m", MODELS["openai"],
                           "-u", self.srv.url("openai"), "note.md",
                           env=self.llm_env())
        self.assertNoSanitizerReport(proc)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertRegex(out, r"(?i)experienced Rust developer")  # role
        self.assertRegex(out, r"(?i)gaps")                         # goal
        self.assertIn("Why heap memory must have", out)            # overview
        self.assertIn("Do **not** mention borrow checker", out)
        n = line_of("Frame corresponds to function scope")
        self.assertRegex(out, r"(?m)^\s*%d\b\D{0,4}- Frame corresponds" % n)
        n = line_of("## Rust's memory model")
        self.assertRegex(out, r"(?m)^\s*%d\b\D{0,4}## Rust's memory model" % n)
        self.assertEqual(self.srv.api_requests(), [])
        self.assertNotIn("sk-", out)

    def test_prompt_offline_needs_no_provider(self):
        proc = self.run_rn("prompt", "note.md")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("Frame corresponds to function scope", proc.stdout)


class ExitCodeTest(LLMTest):
    def test_missing_note(self):
        proc = self.run_rn("review", "--json", "nope.md", env=self.llm_env())
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("nope.md", proc.stderr)
        self.assertEqual(self.srv.api_requests(), [])

    def test_missing_overview_flag(self):
        proc = self.review("--json", "-o", "missing.overview.md")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertEqual(self.srv.api_requests(), [])

    def test_overview_by_flag(self):
        with open(self.note) as f:
            self.sb.write("other.md", f.read())
        self.srv.push(reply_file="clean.json")
        proc = self.run_rn("review", "--json", "--no-offline", "-p", "openai",
                           "-m", "m", "-u", self.srv.url("openai"),
                           "-o", SEED_OVERVIEW, "other.md",
                           env=self.llm_env())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        user = self.srv.api_requests()[0]["json"]["messages"][1]["content"]
        self.assertIn("Why heap memory must have", user)


if __name__ == "__main__":
    unittest.main()
