"""End to end: each provider's wire format, streamed and not, through the
real binary and libcurl against the fake server."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (LLMTest, MODELS, PROVIDERS, TEST_KEY, line_of,  # noqa
                    read_reply, reply_findings)
from fakellm import DEFAULT_USAGE  # noqa: E402


def expected_anchors(findings):
    """(kind, line) for each canned finding, lines taken from the note."""
    return sorted((f["kind"], line_of(f["quote"]) if f["quote"] else 0)
                  for f in findings)


class CleanReplyTest(LLMTest):
    """The clean JSON reply arrives intact over every provider and mode."""

    def check(self, provider, stream, **step):
        self.srv.push(reply_file="clean.json", split_writes=stream, **step)
        args = ["--no-offline"] + ([] if stream else ["--no-stream"])
        doc = self.review_json(*args, provider=provider)
        reqs = self.srv.api_requests()
        self.assertEqual(len(reqs), 1)
        self.assertEqual(reqs[0]["provider"], provider, reqs[0]["path"])
        body = reqs[0]["json"]
        self.assertIsInstance(body, dict)
        self.assertIs(body.get("stream"), stream)

        canned = reply_findings("clean.json")
        got = doc["findings"]
        self.assertEqual(sorted((f["kind"], f["line"]) for f in got),
                         expected_anchors(canned))
        self.assertSorted(got)
        by_quote = {f["quote"]: f for f in got}
        for c in canned:
            f = by_quote.get(c["quote"])
            self.assertIsNotNone(f, "finding missing: %r" % c["quote"])
            self.assertEqual(f["source"], "llm")
            self.assertEqual(f["severity"], c["severity"])
            self.assertEqual(f["message"], c["message"])
            self.assertEqual(f["suggestion"], c["suggestion"])
            self.assertEqual(f["topic"], c["topic"])
            if c["quote"]:
                self.assertEqual(f["end_line"], f["line"])
            else:
                self.assertEqual((f["line"], f["end_line"]), (0, 0))
        self.assertEqual(doc["summary"],
                         json.loads(read_reply("clean.json"))["summary"])
        self.assertEqual(doc["provider"], provider)
        self.assertEqual(doc["model"], MODELS[provider])
        self.assertIs(doc["cached"], False)
        self.assertEqual(doc["warnings"], [])
        self.assertEqual(doc["usage"], {"input_tokens": DEFAULT_USAGE[0],
                                        "output_tokens": DEFAULT_USAGE[1]})
        return doc

    def test_openai_stream(self):
        self.check("openai", True)

    def test_openai_whole(self):
        self.check("openai", False)

    def test_anthropic_stream(self):
        self.check("anthropic", True)

    def test_anthropic_whole(self):
        self.check("anthropic", False)

    def test_ollama_stream(self):
        self.check("ollama", True)

    def test_ollama_whole(self):
        self.check("ollama", False)

    # Streams with what real servers add: keep-alive comments, pings,
    # unknown event types, thinking and signature deltas.
    def test_openai_stream_noise(self):
        self.check("openai", True, noise=True)

    def test_anthropic_stream_noise(self):
        self.check("anthropic", True, noise=True)

    def test_events_split_across_reads(self):
        """Each event written in pieces with pauses, so reads end at
        arbitrary bytes (inside "data:", inside UTF-8, inside JSON)."""
        for provider in PROVIDERS:
            with self.subTest(provider=provider):
                self.srv.reset()  # other provider: no cache hit
                self.check(provider, True, delta_chars=200,
                           split_pause=0.001)

    # Framing the SSE specification allows and some servers and proxies use.
    def test_sse_without_space_after_colon(self):
        self.check("openai", True, sse_style="nospace")

    def test_sse_crlf_line_ends(self):
        self.check("anthropic", True, sse_style="nospace+crlf")

    def test_sse_cr_line_ends(self):
        self.check("openai", True, sse_style="cr")

    def test_vllm_usage_chunk_with_null_choices(self):
        self.check("openai", True, vllm=True)

    def test_one_char_deltas(self):
        self.check("openai", True, delta_chars=1)

    def test_close_delimited_stream(self):
        """No chunked encoding: the body ends when the server closes."""
        self.check("openai", True, transfer="close")

    def test_ollama_close_delimited(self):
        self.check("ollama", True, transfer="close")


class RequestFormatTest(LLMTest):
    """What goes over the wire: path, headers, body."""

    def one_request(self, provider, *args):
        self.srv.push(reply_file="clean.json")
        proc = self.review("--json", *args, provider=provider)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        reqs = self.srv.api_requests()
        self.assertEqual(len(reqs), 1)
        r = reqs[0]
        self.assertEqual(r["method"], "POST")
        self.assertIn("application/json", r["headers"].get("content-type", ""))
        self.assertIsInstance(r["json"], dict, "body is not a JSON object")
        self.assertKeyNowhere(proc)
        return r

    def assertPromptContent(self, system, user):
        both = system + "\n" + user
        self.assertIn("Rust", system)
        # the overview and the note both travel
        self.assertIn("Why heap memory must have", both)
        self.assertIn("Do **not** mention borrow checker", both)
        self.assertIn("Frame corresponds to function scope, code blocks", both)
        self.assertIn("Heap deallocation is explicit and deliberate", both)

    def test_openai_request(self):
        r = self.one_request("openai")
        self.assertEqual(r["path"], "/v1/chat/completions")
        self.assertEqual(r["headers"].get("authorization"),
                         "Bearer " + TEST_KEY)
        self.assertNotIn("x-api-key", r["headers"])
        b = r["json"]
        self.assertEqual(b["model"], MODELS["openai"])
        self.assertIs(b["stream"], True)
        self.assertEqual((b.get("stream_options") or {}).get("include_usage"),
                         True, "streamed request without include_usage")
        roles = [m["role"] for m in b["messages"]]
        self.assertEqual(roles, ["system", "user"])
        self.assertPromptContent(b["messages"][0]["content"],
                                 b["messages"][1]["content"])
        rf = b.get("response_format")
        self.assertIsInstance(rf, dict, "no response_format")
        self.assertIn(rf.get("type"), ("json_schema", "json_object"))
        if rf["type"] == "json_schema":
            js = rf["json_schema"]
            self.assertRegex(js["name"], r"^[a-zA-Z0-9_-]{1,64}$")
            self.assertIsInstance(js["schema"], dict)
            self.assertIn("findings", js["schema"].get("properties", {}))

    def test_openai_request_no_stream(self):
        r = self.one_request("openai", "--no-stream")
        self.assertIs(r["json"]["stream"], False)
        self.assertNotIn("stream_options", r["json"])

    def test_anthropic_request(self):
        r = self.one_request("anthropic")
        self.assertEqual(r["path"], "/v1/messages")
        h = r["headers"]
        self.assertEqual(h.get("x-api-key"), TEST_KEY)
        self.assertEqual(h.get("anthropic-version"), "2023-06-01")
        self.assertNotIn("authorization", h)
        b = r["json"]
        self.assertEqual(b["model"], MODELS["anthropic"])
        self.assertIsInstance(b.get("max_tokens"), int)
        self.assertGreater(b["max_tokens"], 0)
        self.assertIs(b["stream"], True)
        self.assertIsInstance(b.get("system"), str, "system must be top-level")
        roles = [m["role"] for m in b["messages"]]
        self.assertEqual(roles[0], "user")
        self.assertTrue(set(roles) <= {"user", "assistant"}, roles)
        user = b["messages"][0]["content"]
        if isinstance(user, list):
            user = "".join(part.get("text", "") for part in user)
        self.assertPromptContent(b["system"], user)

    def test_anthropic_request_no_stream(self):
        r = self.one_request("anthropic", "--no-stream")
        self.assertIn(r["json"].get("stream"), (False, None))

    def test_ollama_request(self):
        r = self.one_request("ollama")
        self.assertEqual(r["path"], "/api/chat")
        self.assertNotIn("authorization", r["headers"])
        self.assertNotIn("x-api-key", r["headers"])
        b = r["json"]
        self.assertEqual(b["model"], MODELS["ollama"])
        self.assertIs(b.get("stream"), True)
        fmt = b.get("format")
        self.assertTrue(fmt == "json" or isinstance(fmt, dict),
                        "format should be \"json\" or a schema: %r" % fmt)
        roles = [m["role"] for m in b["messages"]]
        self.assertEqual(roles, ["system", "user"])
        self.assertPromptContent(b["messages"][0]["content"],
                                 b["messages"][1]["content"])

    def test_ollama_request_no_stream(self):
        # Ollama streams unless told not to: false must be sent.
        r = self.one_request("ollama", "--no-stream")
        self.assertIs(r["json"].get("stream"), False)

    def test_note_lines_numbered_in_prompt(self):
        r = self.one_request("openai")
        user = r["json"]["messages"][1]["content"]
        n = line_of("Frame corresponds to function scope")
        self.assertRegex(user, r"(?m)^\s*%d\b\D{0,4}- Frame corresponds" % n)


class ProviderSelectionTest(LLMTest):
    """Which provider and endpoint the configuration leads to."""

    def run_env(self, **env):
        base = {"RUSTNOTE_RETRY_MAX_DELAY_MS": "50"}
        base.update(env)
        proc = self.run_rn("review", "--json", "note.md",
                           env=self.sb.env(**base))
        self.assertNoSanitizerReport(proc)
        return proc

    def test_openai_key_alone_means_openai(self):
        self.srv.push(reply_file="clean.json")
        proc = self.run_env(OPENAI_API_KEY=TEST_KEY,
                            RUSTNOTE_BASE_URL=self.srv.url("openai"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        reqs = self.srv.api_requests()
        self.assertEqual([r["provider"] for r in reqs], ["openai"])
        self.assertEqual(reqs[0]["headers"].get("authorization"),
                         "Bearer " + TEST_KEY)

    def test_rustnote_key_alone_means_openai(self):
        self.srv.push(reply_file="clean.json")
        proc = self.run_env(RUSTNOTE_API_KEY=TEST_KEY,
                            RUSTNOTE_BASE_URL=self.srv.url("openai"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([r["provider"] for r in self.srv.api_requests()],
                         ["openai"])

    def test_anthropic_key_alone_means_anthropic(self):
        self.srv.push(reply_file="clean.json")
        proc = self.run_env(ANTHROPIC_API_KEY=TEST_KEY,
                            RUSTNOTE_BASE_URL=self.srv.url("anthropic"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        reqs = self.srv.api_requests()
        self.assertEqual([r["provider"] for r in reqs], ["anthropic"])
        self.assertEqual(reqs[0]["headers"].get("x-api-key"), TEST_KEY)

    def test_provider_and_model_from_env(self):
        self.srv.push(reply_file="clean.json")
        proc = self.run_env(RUSTNOTE_PROVIDER="anthropic",
                            RUSTNOTE_MODEL="claude-haiku-4-5",
                            RUSTNOTE_API_KEY=TEST_KEY,
                            RUSTNOTE_BASE_URL=self.srv.url("anthropic"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        reqs = self.srv.api_requests()
        self.assertEqual(len(reqs), 1)
        self.assertEqual(reqs[0]["path"], "/v1/messages")
        self.assertEqual(reqs[0]["json"]["model"], "claude-haiku-4-5")

    def test_ollama_host_env(self):
        self.srv.push(reply_file="clean.json")
        host = "127.0.0.1:%d" % self.srv.port
        proc = self.run_env(RUSTNOTE_PROVIDER="ollama",
                            RUSTNOTE_MODEL="llama3.2", OLLAMA_HOST=host)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        reqs = self.srv.api_requests()
        self.assertEqual([r["path"] for r in reqs], ["/api/chat"])

    def test_base_url_with_trailing_slash(self):
        self.srv.push(reply_file="clean.json")
        proc = self.review("--json", provider="openai", url=False,
                           env=self.llm_env(
                               RUSTNOTE_BASE_URL=self.srv.url("openai") + "/"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([r["path"] for r in self.srv.api_requests()],
                         ["/v1/chat/completions"])

    def test_nothing_configured_is_offline_with_hint(self):
        proc = self.run_env()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = json.loads(proc.stdout)
        self.assertEqual(doc["provider"], "offline")
        self.assertTrue(all(f["source"] == "offline" for f in doc["findings"]))
        hint = [l for l in proc.stderr.split("\n") if l.strip()]
        self.assertEqual(len(hint), 1, "want a one-line hint: %r" % proc.stderr)
        self.assertRegex(hint[0], r"(?i)(API_KEY|provider|offline)")
        self.assertEqual(self.srv.api_requests(), [])

    def test_offline_flag_makes_no_request(self):
        proc = self.review("--json", "--offline", provider="openai")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.srv.api_requests(), [])
        doc = json.loads(proc.stdout)
        self.assertEqual(doc["provider"], "offline")


if __name__ == "__main__":
    unittest.main()
