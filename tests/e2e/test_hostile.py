"""End to end: hostile servers and replies.  Whatever a server or a model
sends, nothing a terminal acts on reaches stdout or stderr, and no reply,
however deep its nesting, ends the process with a signal."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import LLMTest, PROVIDERS  # noqa: E402

# Escape sequences with payloads, bidi overrides and isolates, zero-width
# characters, a BOM, C1 controls spelt in UTF-8.
HOSTILE = ("bad\x1b[2J\x1b[31m \x1b]0;pwned-title\x07 "
           "\u202eevil\u202c \u2066iso\u2069 "
           "\x1bPq#0;2;0;0;0#0~~@@vv@@~~\x1b\\ "
           "\x1b_apc-payload\x1b\\ \x1b]8;;http://pwned.example/\x1b\\link"
           "\x1b]8;;\x1b\\ \u009b31m\u009dosc-c1\u009c "
           "zero\u200bwidth\ufeff request")

# Text that must not survive: controls, their payloads, invisible marks.
FORBIDDEN = ["\x1b", "\x07", "\u202e", "\u202c", "\u2066", "\u2069",
             "\u200b", "\ufeff", "\u009b", "\u009d", "\u009c", "\x90",
             "pwned", "q#0", "~~@@", "apc-payload", "osc-c1"]


class HostileServerTest(LLMTest):

    def assertNothingRaw(self, text):
        for bad in FORBIDDEN:
            self.assertNotIn(bad, text, "%r reached the terminal" % bad)

    def test_error_message_json(self):
        for provider in PROVIDERS:
            with self.subTest(provider=provider):
                self.srv.reset()
                self.srv.set_default({"status": 400, "message": HOSTILE})
                proc = self.review("--json", "--no-offline",
                                   provider=provider)
                self.assertEqual(proc.returncode, 4, proc.stderr)
                self.assertNothingRaw(proc.stderr)
                self.assertNothingRaw(proc.stdout)
                self.assertIn("bad", proc.stderr)
                self.assertIn("evil", proc.stderr)
                self.assertIn("link", proc.stderr)

    def test_error_body_plain_text(self):
        self.srv.set_default({"status": 400, "raw_body": HOSTILE,
                              "content_type": "text/plain"})
        proc = self.review("--plain", "--no-offline")
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertNothingRaw(proc.stderr)
        self.assertIn("bad", proc.stderr)

    def test_hostile_model_name(self):
        """The model name is echoed by the server into the reply and shown
        in the --plain header and in --json."""
        model = "gpt\x1b]0;pwned\x07\u202e-mini\u2066"
        for mode in ("--plain", "--json"):
            with self.subTest(mode=mode):
                self.srv.reset()
                self.srv.push(reply_file="clean.json")
                proc = self.review(mode, "--no-offline", model=model)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                out = proc.stdout
                if mode == "--json":
                    out = json.dumps(json.loads(out), ensure_ascii=False)
                self.assertNothingRaw(out)
                self.assertNothingRaw(proc.stderr)
                self.assertIn("gpt", out)

    def test_hostile_findings_and_summary(self):
        text = json.dumps({
            "summary": "sum" + HOSTILE,
            "findings": [{"kind": "gap", "severity": "high", "quote": "",
                          "message": "msg" + HOSTILE,
                          "suggestion": "fix" + HOSTILE}]})
        for mode in ("--plain", "--json", "--jsonl"):
            with self.subTest(mode=mode):
                self.srv.reset()
                self.srv.push(reply=text)
                proc = self.review(mode, "--no-offline")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                out = proc.stdout
                if mode != "--plain":
                    out = "".join(json.dumps(json.loads(l),
                                             ensure_ascii=False)
                                  for l in out.splitlines()
                                  if l.startswith("{")) \
                        if mode == "--jsonl" else \
                        json.dumps(json.loads(out), ensure_ascii=False)
                self.assertNothingRaw(out)
                self.assertIn("msg", out)
                self.assertIn("request", out)


if __name__ == "__main__":
    unittest.main()
