"""End to end: `rustnote ask` - a question about a finding, answered by the
tutor through each provider (plain and --json), or explained offline when
no LLM is configured."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (LLMTest, MODELS, PROVIDERS, TEST_KEY,  # noqa: E402
                    control_chars)

ANSWER = ("A stack frame belongs to a *function call*, not to a block.\n\n"
          "- A block `{}` only ends the scope of its variables.\n\n"
          "```rust\nfn main() {\n    { let x = 1; }\n}\n```\n")
HOSTILE = ("Fine\x1b]0;pwned\x07 answer\x1b[2J with \u202eevil\u202c and "
           "\x1bPq#0;2;0;0;0payload\x1b\\ bytes\x9b31m.\n")


def request_text(req):
    """Every string of a request body, joined (system, messages, ...)."""
    out = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(req["json"])
    return "\n".join(out)


class AskTest(LLMTest):
    def offline_finding(self):
        """An offline finding of the seed note that sits on a line."""
        proc = self.run_rn("review", "--offline", "--json", "note.md",
                           env=self.sb.env())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        found = [f for f in json.loads(proc.stdout)["findings"]
                 if f["line"] > 0 and f["kind"] == "incorrect"]
        self.assertTrue(found, "the seed note has no offline finding")
        return found[0]

    def ask(self, *args, provider="openai", key=True, env=None):
        argv = ["ask"]
        if provider:
            argv += ["-p", provider, "-m", MODELS[provider],
                     "-u", self.srv.url(provider)]
        proc = self.run_rn(*(argv + list(args)),
                           env=env or self.llm_env(provider or "openai", key))
        self.assertNoSanitizerReport(proc)
        return proc

    def check_answer(self, provider, stream):
        f = self.offline_finding()
        self.srv.push(reply=ANSWER, usage=[120, 45])
        extra = [] if stream else ["--no-stream"]
        proc = self.ask(*extra, "note.md", str(f["line"]), "Why", "is",
                        "this", "wrong?", provider=provider)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("belongs to a *function call*", proc.stdout)
        self.assertIn("fn main()", proc.stdout)
        self.assertEqual(len(self.srv.requests), 1)
        sent = request_text(self.srv.requests[0])
        line_text = open(self.note, encoding="utf-8").read().split(
            "\n")[f["line"] - 1]
        self.assertIn(line_text, sent)
        self.assertIn(f["message"], sent)
        self.assertIn("Why is this wrong?", sent)
        self.assertIn("Do **not** mention", sent, "overview not sent")
        self.assertKeyNowhere(proc)

    def test_openai_answer_streamed(self):
        self.check_answer("openai", True)

    def test_openai_answer_whole(self):
        self.check_answer("openai", False)

    def test_anthropic_answer_streamed(self):
        self.check_answer("anthropic", True)

    def test_anthropic_answer_whole(self):
        self.check_answer("anthropic", False)

    def test_ollama_answer_streamed(self):
        self.check_answer("ollama", True)

    def test_ollama_answer_whole(self):
        self.check_answer("ollama", False)

    def test_json_answer_with_usage(self):
        for provider in PROVIDERS:
            with self.subTest(provider=provider):
                f = self.offline_finding()
                self.srv.push(reply=ANSWER, usage=[120, 45])
                proc = self.ask("--json", "note.md", str(f["line"]),
                                "Why?", provider=provider)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                doc = json.loads(proc.stdout)
                self.assertEqual(doc["answer"], ANSWER.rstrip("\n"))
                self.assertEqual(doc["usage"], {"input_tokens": 120,
                                                "output_tokens": 45})

    def test_question_about_a_line_without_finding(self):
        self.srv.push(reply="It is a heading.")
        proc = self.ask("note.md", "1", "What is this?")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        sent = request_text(self.srv.requests[0])
        self.assertIn("no finding here", sent)
        self.assertIn("What is this?", sent)

    def test_hostile_answer_never_reaches_the_terminal_raw(self):
        for provider in PROVIDERS:
            for stream in (True, False):
                with self.subTest(provider=provider, stream=stream):
                    self.srv.push(reply=HOSTILE, delta_chars=3)
                    extra = [] if stream else ["--no-stream"]
                    proc = self.ask(*extra, "note.md", "3", "Why?",
                                    provider=provider)
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    self.assertIn("answer", proc.stdout)
                    self.assertIn("bytes", proc.stdout)
                    self.assertEqual(control_chars(proc.stdout), [])
                    self.assertNotIn("\u202e", proc.stdout)
                    self.assertNotIn("pwned", proc.stdout)
                    self.assertNotIn("payload", proc.stdout)

    def test_provider_error_is_one_line_exit_4(self):
        self.srv.push(status=401, message="Incorrect API key provided.",
                      error_type="invalid_request_error",
                      error_code="invalid_api_key")
        proc = self.ask("note.md", "3", "Why?")
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertOneLineError(proc, "openai", "key")
        self.assertEqual(proc.stdout, "")
        self.assertKeyNowhere(proc)

    def test_offline_answer_without_llm(self):
        f = self.offline_finding()
        proc = self.run_rn("ask", "note.md", str(f["line"]), "Why?",
                           env=self.sb.env())
        self.assertNoSanitizerReport(proc)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f["message"], proc.stdout)
        self.assertIn(f["rule"], proc.stdout)
        self.assertIn("Read more:\n- https://", proc.stdout,
                      "the rule's references are not shown")
        self.assertIn("ANTHROPIC_API_KEY", proc.stdout)
        self.assertEqual(self.srv.requests, [])

    def test_offline_json_answer(self):
        f = self.offline_finding()
        proc = self.run_rn("ask", "--offline", "--json", "note.md",
                           str(f["line"]), "Why?", env=self.sb.env())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = json.loads(proc.stdout)
        self.assertIn(f["message"], doc["answer"])
        self.assertEqual(doc["usage"], {"input_tokens": None,
                                        "output_tokens": None})

    def test_question_and_answer_kept_with_the_history(self):
        f = self.offline_finding()
        self.srv.push(reply=ANSWER)
        proc = self.ask("note.md", str(f["line"]), "Why?")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        hist = self.run_rn("history", "--json", "note.md", env=self.sb.env())
        self.assertEqual(hist.returncode, 0, hist.stderr)
        qs = json.loads(hist.stdout)["questions"]
        self.assertEqual(len(qs), 1, qs)
        self.assertEqual(qs[0]["line"], f["line"])
        self.assertEqual(qs[0]["question"], "Why?")
        self.assertEqual(qs[0]["answer"], ANSWER.rstrip("\n"))
        self.assertEqual(qs[0]["finding"]["message"], f["message"])
        self.assertEqual(qs[0]["provider"], "openai")
        plain = self.run_rn("history", "note.md", env=self.sb.env())
        self.assertIn("1 question to the tutor", plain.stdout)
        self.assertIn("line %d  Why?" % f["line"], plain.stdout)
        data = os.path.join(self.sb.home, ".local", "share", "rustnote")
        for dirpath, _, files in os.walk(data):
            for name in files:
                with open(os.path.join(dirpath, name), "rb") as fh:
                    self.assertNotIn(TEST_KEY.encode(), fh.read())
        forget = self.run_rn("history", "--forget", "note.md",
                             env=self.sb.env())
        self.assertEqual(forget.returncode, 0, forget.stderr)
        hist = self.run_rn("history", "--json", "note.md", env=self.sb.env())
        self.assertEqual(json.loads(hist.stdout)["questions"], [])

    def test_usage_errors(self):
        for args, needle in ((["note.md"], "question"),
                             (["note.md", "x", "Why?"], "line"),
                             (["note.md", "99999", "Why?"], "line 99999"),
                             (["missing.md", "1", "Why?"], "missing.md")):
            with self.subTest(args=args):
                proc = self.run_rn("ask", *args, env=self.sb.env())
                self.assertNoSanitizerReport(proc)
                self.assertIn(proc.returncode, (2, 3), proc.stderr)
                lines = proc.stderr.strip().split("\n")
                self.assertIn(needle, lines[0])
                self.assertTrue(lines[0].startswith("rustnote: "), lines)
                self.assertLessEqual(len(lines), 2, proc.stderr)
                self.assertEqual(proc.stdout, "")


if __name__ == "__main__":
    unittest.main()
