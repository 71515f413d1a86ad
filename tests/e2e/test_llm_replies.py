"""End to end: what models really answer, and where the findings land.

Expected lines come from the note itself (line_of), so the tests say what
text a finding must point at, not a number copied by hand."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (LLMTest, control_chars, line_of, lines_of,  # noqa: E402
                    reply_findings)


def anchors(findings):
    return sorted((f["kind"], f["line"]) for f in findings)


class ReplyShapesTest(LLMTest):
    """JSON in a fence, key variants, Markdown, loose quotes, wrong lines."""

    def review_reply(self, name, provider="openai", stream=True, **step):
        self.srv.push(reply_file=name, **step)
        args = ["--no-offline"] + ([] if stream else ["--no-stream"])
        doc = self.review_json(*args, provider=provider)
        self.assertEqual(len(self.srv.api_requests()), 1)
        self.assertSorted(doc["findings"])
        for f in doc["findings"]:
            self.assertEqual(f["source"], "llm")
        return doc

    def test_fenced_json_with_prose(self):
        for provider, stream in (("openai", True), ("anthropic", False)):
            with self.subTest(provider=provider, stream=stream):
                self.srv.reset()
                doc = self.review_reply("fenced.md", provider, stream,
                                        _name=provider)
                self.assertEqual(anchors(doc["findings"]), sorted([
                    ("incorrect", line_of("Heap deallocation is explicit")),
                    ("incorrect", line_of("Frame corresponds to function")),
                    ("gap", 0)]))
                self.assertIn("Clear diagrams", doc["summary"])

    def test_key_variants(self):
        doc = self.review_reply("variants.json", "ollama", True)
        self.assertEqual(anchors(doc["findings"]), sorted([
            ("incorrect", line_of("Heap deallocation is explicit")),
            ("gap", 0),
            ("scope", line_of("Address + metadata, eg `&str`")),
            ("assumption", line_of("Fixed-size values (int, float")),
            ("incorrect", line_of("Frame corresponds to function")),
        ]))
        sev = {f["line"]: f["severity"] for f in doc["findings"]}
        self.assertEqual(sev[line_of("Heap deallocation is explicit")], "high")
        self.assertEqual(sev[line_of("Address + metadata")], "low")
        self.assertEqual(sev[line_of("Fixed-size values (int")], "medium")

    def test_markdown_answer(self):
        doc = self.review_reply("markdown.md", "anthropic", True)
        got = anchors(doc["findings"])
        self.assertEqual(got, sorted([
            ("gap", 0), ("gap", 0),
            ("incorrect", line_of("Heap deallocation is explicit")),
            ("incorrect", line_of("Frame corresponds to function")),
            ("assumption", line_of("Fixed-size values (int, float")),
            ("scope", line_of("Address + metadata, eg `&str`")),
        ]))
        for f in doc["findings"]:
            msg = f["message"].strip()
            self.assertTrue(msg, f)
            self.assertFalse(msg.startswith("- "), f)
            # The quote and the "Line N:" label are the finding's anchor;
            # the message is the explanation after them.
            self.assertNotRegex(msg, r"^(?i:line)\s*\d+", f)
            if f["quote"]:
                self.assertFalse(msg.lstrip("\"“").startswith(f["quote"][:20]),
                                 "message repeats the quote: %r" % msg)

    def test_loose_quotes(self):
        """Curly quotes, "..." and U+2026 ellipses, a two-line quote,
        dropped backticks, doubled spaces: all find their line."""
        doc = self.review_reply("fuzzy-quotes.json", "openai", True)
        got = sorted((f["kind"], f["line"], f["end_line"])
                     for f in doc["findings"])
        two = line_of("Stack does not know it points to the heap.")
        want = sorted([
            ("assumption", line_of('There is no "points to" action'),
             line_of('There is no "points to" action')),
            ("incorrect", line_of("Vec, String also allocate on the heap"),
             line_of("Vec, String also allocate on the heap")),
            ("assumption", line_of("Heap data has no inherent lifetime"),
             line_of("Heap data has no inherent lifetime")),
            ("assumption", two, two + 1),
            ("incorrect", line_of("Heap deallocation is explicit"),
             line_of("Heap deallocation is explicit")),
            ("assumption", line_of("Popped means that stack pointer"),
             line_of("Popped means that stack pointer")),
            ("incorrect", 0, 0),  # quoted text the note does not hold
        ])
        self.assertEqual(got, want)

    def test_model_line_numbers_do_not_decide(self):
        """The quote decides the line; the model's line breaks ties only."""
        doc = self.review_reply("wrong-line.json", "openai", False)
        ptr = lines_of("| ptr = 0x7ffd1234 |  <-- just a number")
        self.assertEqual(len(ptr), 3)  # the quote occurs three times
        got = sorted((f["kind"], f["line"]) for f in doc["findings"])
        self.assertEqual(got, sorted([
            ("assumption", line_of("Deallocation is automatic and implicit.")),
            ("incorrect", line_of("When function finishes its execution")),
            ("scope", ptr[2]),        # model said 38: that occurrence
            ("assumption", ptr[1]),   # model said 29: nearest is line 30
            ("gap", line_of("### Why heap memory must have one")),  # kept
            ("gap", 0),               # model said 999: past the end
        ]))

    def test_empty_findings(self):
        self.srv.push(reply='{"summary": "The note covers every topic of the '
                      'overview accurately.", "findings": []}')
        doc = self.review_json("--no-offline")
        self.assertEqual(doc["findings"], [])
        self.assertIn("covers every topic", doc["summary"])

    def test_finding_count_capped(self):
        quote = "Heap is a big pool of bytes in RAM."
        many = {"summary": "x", "findings": [
            {"kind": "gap", "severity": "low", "quote": quote,
             "line": 54, "topic": "t%d" % i, "message": "m%d" % i,
             "suggestion": "s"} for i in range(700)]}
        self.srv.push(reply=json.dumps(many), delta_chars=400)
        doc = self.review_json("--no-offline")
        self.assertLessEqual(len(doc["findings"]), 500)
        self.assertGreater(len(doc["findings"]), 0)


class CutAndBrokenTest(LLMTest):
    """Replies cut by the token limit, broken JSON, refusals."""

    def check_cut(self, provider, stream):
        self.srv.push(reply_file="cut.json", finish="length")
        args = ["--no-offline"] + ([] if stream else ["--no-stream"])
        doc = self.review_json(*args, provider=provider)
        got = anchors(doc["findings"])
        # The three findings complete before the cut are kept.
        for c in reply_findings("clean.json")[:3]:
            self.assertIn((c["kind"], line_of(c["quote"])), got)
        self.assertLessEqual(len(got), 4)
        self.assertTrue(doc["warnings"], "no warning for a cut reply")
        text = " ".join(doc["warnings"]).lower()
        self.assertTrue(any(w in text for w in ("cut", "truncat", "length",
                                                "token limit", "incomplete",
                                                "max_tokens")), text)

    def test_cut_openai_stream(self):
        self.check_cut("openai", True)

    def test_cut_openai_whole(self):
        self.check_cut("openai", False)

    def test_cut_anthropic_stream(self):
        self.check_cut("anthropic", True)

    def test_cut_anthropic_whole(self):
        self.check_cut("anthropic", False)

    def test_cut_ollama_stream(self):
        self.check_cut("ollama", True)

    def test_refusal_is_unusable(self):
        self.srv.push(reply_file="refusal.txt")
        proc = self.review("--json", "--no-offline")
        self.assertEqual(proc.returncode, 5, proc.stderr)
        self.assertOneLineError(proc)

    def test_empty_reply_is_unusable(self):
        self.srv.push(reply="")
        proc = self.review("--json", "--no-offline")
        self.assertEqual(proc.returncode, 5, proc.stderr)
        self.assertOneLineError(proc)

    def test_broken_json(self):
        """Either the complete first finding is kept, or exit 5 with a
        message; never a crash or an empty success."""
        self.srv.push(reply_file="broken-json.txt")
        proc = self.review("--json", "--no-offline")
        self.assertIn(proc.returncode, (0, 5), proc.stderr)
        if proc.returncode == 5:
            self.assertOneLineError(proc)
            return
        doc = json.loads(proc.stdout)
        self.assertIn(("incorrect", line_of("Heap deallocation is explicit")),
                      anchors(doc["findings"]))

    def test_content_filter_finish(self):
        """A reply stopped by the content filter is reported, not hidden."""
        self.srv.push(reply='{"summary": "", "findings": [', finish="filter")
        proc = self.review("--json", "--no-offline")
        self.assertIn(proc.returncode, (0, 4, 5), proc.stderr)
        if proc.returncode == 0:
            doc = json.loads(proc.stdout)
            self.assertTrue(doc["warnings"])
        else:
            self.assertOneLineError(proc)


class HostileReplyTest(LLMTest):
    """Escape sequences and floods from the model never reach stdout raw."""

    def assertClean(self, out):
        self.assertNotIn("\x1b", out)
        self.assertNotIn("\x07", out)
        self.assertNotIn("\x9b", out)
        self.assertNotIn("\x00", out)
        self.assertNotIn("\r", out)

    def test_escapes_json(self):
        self.srv.push(reply_file="hostile.json")
        proc = self.review("--json", "--no-offline")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertClean(proc.stdout)
        self.assertNotIn("\\u001b", proc.stdout.lower())
        doc = json.loads(proc.stdout)
        strings = [doc["summary"]] + [f[k] for f in doc["findings"]
                                      for k in ("quote", "topic", "message",
                                                "suggestion")]
        for s in strings:
            self.assertEqual(control_chars(s), [], repr(s))
        msgs = " ".join(f["message"] for f in doc["findings"])
        self.assertIn("Heap memory is freed automatically.", msgs)
        self.assertIn(("incorrect", line_of("Heap deallocation is explicit")),
                      anchors(doc["findings"]))

    def test_escapes_plain(self):
        self.srv.push(reply_file="hostile.json")
        proc = self.review("--plain", "--no-offline")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertClean(proc.stdout)
        self.assertIn("Heap memory is freed automatically.", proc.stdout)

    def test_escapes_jsonl(self):
        self.srv.push(reply_file="hostile.json")
        proc = self.review("--jsonl", "--no-offline")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertClean(proc.stdout)

    def test_raw_control_bytes_in_stream(self):
        """The model emits raw ESC/BEL inside its JSON strings (not escaped
        as \\u001b): tolerated or rejected, never passed through."""
        text = ('{"summary": "ok\x1b[2J", "findings": [{"kind": "gap", '
                '"severity": "high", "quote": "", "line": 0, "topic": '
                '"one deallocator\x1b]0;pwned\x07", "message": "State the '
                'single-owner rule.\x1b[5m", "suggestion": "Add it."}]}')
        for mode in ("--json", "--plain", "--jsonl"):
            with self.subTest(mode=mode):
                self.srv.reset()
                self.srv.push(reply=text)
                proc = self.review(mode, "--no-offline", "--no-cache")
                self.assertIn(proc.returncode, (0, 5), proc.stderr)
                self.assertClean(proc.stdout)
                self.assertNotIn("\x1b", proc.stderr)

    def test_escapes_in_markdown_answer(self):
        text = ("## Gaps\n- \x1b[2JMissing the one-owner rule\x1b]0;pwned\x07"
                " for heap memory.\n")
        self.srv.push(reply=text)
        proc = self.review("--plain", "--no-offline")
        self.assertIn(proc.returncode, (0, 5), proc.stderr)
        self.assertClean(proc.stdout)

    def test_huge_field_capped(self):
        big = "Heap memory is freed when its owner is dropped. " * 21000
        self.assertGreater(len(big), 1000000)
        reply = json.dumps({"summary": "s", "findings": [{
            "kind": "incorrect", "severity": "high",
            "quote": "Heap deallocation is explicit and deliberate (via `drop`)",
            "line": 58, "topic": "drop", "message": big,
            "suggestion": "Say automatic."}]})
        for stream in (True, False):
            with self.subTest(stream=stream):
                self.srv.reset()
                self.srv.push(reply=reply, delta_chars=4000)
                args = ["--no-offline", "--no-cache"] + \
                    ([] if stream else ["--no-stream"])
                doc = self.review_json(*args)
                self.assertEqual(len(doc["findings"]), 1)
                msg = doc["findings"][0]["message"]
                self.assertLessEqual(len(msg.encode("utf-8")), 4100)
                self.assertTrue(msg.startswith("Heap memory is freed"))
                self.assertEqual(doc["findings"][0]["line"],
                                 line_of("Heap deallocation is explicit"))


if __name__ == "__main__":
    unittest.main()
