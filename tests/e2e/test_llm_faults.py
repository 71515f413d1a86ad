"""End to end: rate limits, server errors, stalls, cuts and resets.

RUSTNOTE_RETRY_MAX_DELAY_MS=50 (set by LLMTest) keeps every wait short."""
import json
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (LLMTest, MODELS, TEST_KEY, line_of,  # noqa: E402
                    reply_findings)


class RetryTest(LLMTest):
    """Faults that a retry fixes: the review succeeds, with the retries
    visible in the server's request count."""

    def assertCleanReview(self, doc):
        want = sorted((c["kind"], line_of(c["quote"]) if c["quote"] else 0)
                      for c in reply_findings("clean.json"))
        got = sorted((f["kind"], f["line"]) for f in doc["findings"]
                     if f["source"] == "llm")
        self.assertEqual(got, want, "findings lost or duplicated")

    def retried(self, provider, first, stream=True, expect_requests=2):
        self.srv.push(first)
        self.srv.push(reply_file="clean.json")
        args = ["--no-offline"] + ([] if stream else ["--no-stream"])
        t0 = time.monotonic()
        doc = self.review_json(*args, provider=provider)
        elapsed = time.monotonic() - t0
        self.assertEqual(len(self.srv.api_requests()), expect_requests)
        self.assertCleanReview(doc)
        self.assertLess(elapsed, 10)
        return doc

    def test_429_then_success_honours_retry_after_ms(self):
        self.retried("openai", {"status": 429, "retry_after": 1,
                                "retry_after_ms": 40})
        a, b = self.srv.api_requests()
        self.assertGreaterEqual(b["time"] - a["time"], 0.035,
                                "retry-after-ms 40 not honoured")

    def test_429_long_retry_after_is_capped_in_tests(self):
        t0 = time.monotonic()
        self.retried("openai", {"status": 429, "retry_after": 30})
        self.assertLess(time.monotonic() - t0, 8)

    def test_429_anthropic(self):
        self.retried("anthropic", {"status": 429, "retry_after": 0})

    def test_500_then_success(self):
        for provider in ("openai", "anthropic", "ollama"):
            with self.subTest(provider=provider):
                self.srv.reset()
                self.retried(provider, {"status": 500})

    def test_529_overloaded_then_success(self):
        doc = self.retried("anthropic", {"status": 529})
        self.assertEqual(doc["provider"], "anthropic")

    def test_html_502_then_success(self):
        self.retried("openai", {"status": 502, "html": True})

    def test_reset_then_success(self):
        self.retried("openai", {"fault": "reset"})

    def test_reset_then_success_no_stream(self):
        self.retried("anthropic", {"fault": "reset"}, stream=False)

    def test_anthropic_midstream_overloaded_before_text(self):
        """message_start and ping, then an error event: nothing was shown
        yet, so the client retries."""
        self.retried("anthropic", {"reply_file": "clean.json",
                                   "fault": "midstream_error",
                                   "after_chars": 0})

    def test_anthropic_midstream_overloaded_after_text(self):
        """Half the findings streamed, then overloaded_error: either a clean
        retry (no finding twice) or exit 4 naming the overload."""
        self.srv.push(reply_file="clean.json", fault="midstream_error")
        self.srv.push(reply_file="clean.json")
        proc = self.review("--json", "--no-offline", provider="anthropic")
        self.assertIn(proc.returncode, (0, 4), proc.stderr)
        if proc.returncode == 0:
            self.assertEqual(len(self.srv.api_requests()), 2)
            self.assertCleanReview(json.loads(proc.stdout))
        else:
            self.assertOneLineError(proc, "overload")

    def test_anthropic_midstream_jsonl_no_duplicates(self):
        """With --jsonl, findings printed before a mid-stream failure must
        not be printed again by the retry."""
        self.srv.push(reply_file="clean.json", fault="midstream_error")
        self.srv.push(reply_file="clean.json")
        proc = self.review("--jsonl", "--no-offline", provider="anthropic")
        self.assertIn(proc.returncode, (0, 4), proc.stderr)
        lines = [json.loads(l) for l in proc.stdout.splitlines() if l.strip()]
        fnd = [(l["kind"], l["line"], l["quote"]) for l in lines
               if l.get("type") == "finding"]
        self.assertEqual(len(fnd), len(set(fnd)), "finding printed twice")

    def test_openai_schema_refused_retries_without_response_format(self):
        self.srv.push(status=400, error_param="response_format",
                      error_code=None,
                      message="Invalid parameter: 'response_format' of type "
                      "'json_schema' is not supported with this model.")
        self.srv.push(reply_file="clean.json")
        doc = self.review_json("--no-offline", provider="openai")
        reqs = self.srv.api_requests()
        self.assertEqual(len(reqs), 2)
        self.assertIn("response_format", reqs[0]["json"])
        self.assertNotIn("response_format", reqs[1]["json"])
        self.assertCleanReview(doc)

    def test_stream_cut_then_success_or_error(self):
        self.srv.push(reply_file="clean.json", fault="cut")
        self.srv.push(reply_file="clean.json")
        proc = self.review("--json", "--no-offline")
        self.assertIn(proc.returncode, (0, 4), proc.stderr)
        if proc.returncode == 0:
            self.assertCleanReview(json.loads(proc.stdout))


class FailureTest(LLMTest):
    """Faults that do not go away: the right exit code, one clear line."""

    def fail_with(self, step, provider="openai", rc=4, stream=True,
                  args=(), always=True):
        if always:
            self.srv.set_default(step)
        else:
            self.srv.push(step)
        t0 = time.monotonic()
        proc = self.review("--json", "--no-offline",
                           *(list(args) + ([] if stream else ["--no-stream"])),
                           provider=provider)
        self.elapsed = time.monotonic() - t0
        self.assertEqual(proc.returncode, rc, proc.stderr)
        self.assertLess(self.elapsed, 20)
        self.assertKeyNowhere(proc)
        return proc

    def test_401_invalid_key_not_retried(self):
        for provider in ("openai", "anthropic"):
            with self.subTest(provider=provider):
                self.srv.reset()
                proc = self.fail_with({"status": 401}, provider)
                self.assertEqual(len(self.srv.api_requests()), 1)
                self.assertOneLineError(proc, "401", ("key", "auth"))

    def test_401_message_echoing_the_key_is_redacted(self):
        self.fail_with({"status": 401, "message": "Incorrect API key "
                        "provided: %s. You can find your API key at "
                        "https://platform.openai.com/account/api-keys."
                        % TEST_KEY})

    def test_404_model_not_found(self):
        for provider in ("openai", "anthropic", "ollama"):
            with self.subTest(provider=provider):
                self.srv.reset()
                msg = {"openai": "The model `%s` does not exist or you do "
                       "not have access to it.",
                       "anthropic": "model: %s",
                       "ollama": "model \"%s\" not found, try pulling it "
                       "first"}[provider] % MODELS[provider]
                proc = self.fail_with({"status": 404, "message": msg},
                                      provider)
                self.assertEqual(len(self.srv.api_requests()), 1)
                self.assertOneLineError(proc, ("404", "not found"),
                                        MODELS[provider])

    def test_400_provider_message_shown(self):
        msg = ("max_tokens: 100000 > 64000, which is the maximum allowed "
               "number of output tokens for claude-sonnet-4-5")
        proc = self.fail_with({"status": 400, "message": msg}, "anthropic")
        self.assertEqual(len(self.srv.api_requests()), 1)
        self.assertOneLineError(proc, "400", "max_tokens: 100000 > 64000")

    def test_400_with_escape_sequences_in_message(self):
        proc = self.fail_with({"status": 400, "message":
                               "bad\x1b[2J\x1b]0;pwned\x07 request"})
        self.assertNotIn("\x1b", proc.stderr)
        self.assertNotIn("\x07", proc.stderr)

    def test_429_insufficient_quota_not_retried(self):
        proc = self.fail_with({"status": 429, "error_type":
                               "insufficient_quota", "error_code":
                               "insufficient_quota", "message":
                               "You exceeded your current quota, please "
                               "check your plan and billing details."})
        self.assertEqual(len(self.srv.api_requests()), 1)
        self.assertOneLineError(proc, "quota")

    def test_429_always(self):
        proc = self.fail_with({"status": 429, "retry_after_ms": 1})
        self.assertGreaterEqual(len(self.srv.api_requests()), 2)
        self.assertOneLineError(proc, ("rate limit", "429"))

    def test_503_always(self):
        proc = self.fail_with({"status": 503})
        self.assertGreaterEqual(len(self.srv.api_requests()), 2)
        self.assertOneLineError(proc, "503")

    def test_529_always(self):
        proc = self.fail_with({"status": 529}, "anthropic")
        self.assertGreaterEqual(len(self.srv.api_requests()), 2)
        self.assertOneLineError(proc, ("overload", "529"))

    def test_html_502_always(self):
        proc = self.fail_with({"status": 502, "html": True})
        self.assertGreaterEqual(len(self.srv.api_requests()), 2)
        self.assertOneLineError(proc, "502")
        self.assertNotIn("<html", proc.stderr.lower())
        self.assertNotIn("<center>", proc.stderr.lower())

    def test_huge_error_body(self):
        body = "<html><body>" + "x" * (2 << 20) + "</body></html>"
        proc = self.fail_with({"status": 500, "raw_body": body,
                               "content_type": "text/html"})
        self.assertLess(len(proc.stderr), 4000)

    def test_stall_no_data(self):
        proc = self.fail_with({"reply_file": "clean.json", "fault": "stall"},
                              args=["--stall-timeout", "1"])
        self.assertOneLineError(proc, "no data")

    def test_stall_before_headers(self):
        # Silence before the first byte is the model loading or thinking:
        # its own limit (first_byte_timeout) ends it, not stall_timeout.
        cfgdir = os.path.join(self.sb.config, "rustnote")
        os.makedirs(cfgdir)
        with open(os.path.join(cfgdir, "config"), "w") as f:
            f.write("first_byte_timeout = 1\n")
        proc = self.fail_with({"reply_file": "clean.json",
                               "delay_headers": 30},
                              args=["--stall-timeout", "1"])
        self.assertOneLineError(proc, "first_byte_timeout", "openai")

    def test_stall_timeout_from_config(self):
        cfgdir = os.path.join(self.sb.config, "rustnote")
        os.makedirs(cfgdir)
        with open(os.path.join(cfgdir, "config"), "w") as f:
            f.write("stall_timeout = 1\n")
        proc = self.fail_with({"reply_file": "clean.json", "fault": "stall"})
        self.assertOneLineError(proc, "no data")

    def test_stream_cut_always(self):
        proc = self.fail_with({"reply_file": "clean.json", "fault": "cut"})
        self.assertOneLineError(proc)

    def test_stream_cut_with_reset(self):
        proc = self.fail_with({"reply_file": "clean.json", "fault": "cut",
                               "reset_cut": True}, "ollama")
        self.assertOneLineError(proc)

    def test_reset_always(self):
        proc = self.fail_with({"fault": "reset"})
        self.assertGreaterEqual(len(self.srv.api_requests()), 2)
        self.assertOneLineError(proc)

    def test_midstream_error_always(self):
        proc = self.fail_with({"reply_file": "clean.json",
                               "fault": "midstream_error", "after_chars": 0,
                               "message": "Overloaded"}, "anthropic")
        self.assertOneLineError(proc, "overload")

    def test_openai_error_object_in_stream(self):
        proc = self.fail_with({"reply_file": "clean.json",
                               "fault": "midstream_error", "after_chars": 0,
                               "message": "The server had an error while "
                               "processing your request."}, "openai")
        self.assertOneLineError(proc, "server had an error")

    def test_ollama_error_line_in_stream(self):
        proc = self.fail_with({"reply_file": "clean.json",
                               "fault": "midstream_error", "after_chars": 0,
                               "message": "an error was encountered while "
                               "running the model"}, "ollama")
        self.assertOneLineError(proc, "error was encountered")

    def test_not_json_body(self):
        """A 200 whose body is cut JSON: exit 4 or 5 with one line."""
        self.srv.set_default({"raw_body": '{"choices": [{"message": {"con'})
        proc = self.review("--json", "--no-offline", "--no-stream")
        self.assertIn(proc.returncode, (4, 5), proc.stderr)
        self.assertOneLineError(proc)

    def test_wrong_content_type_stream(self):
        """A 200 text/html page where a stream was expected."""
        self.srv.set_default({"raw_body": "<html><body>Sign in to the "
                              "proxy</body></html>",
                              "content_type": "text/html"})
        proc = self.review("--json", "--no-offline")
        self.assertIn(proc.returncode, (4, 5), proc.stderr)
        self.assertOneLineError(proc)
        self.assertNotIn("<html", proc.stderr.lower())

    def test_connection_refused_fails_fast(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()  # nothing listens there now
        t0 = time.monotonic()
        proc = self.review("--json", "--no-offline", url=False,
                           env=self.llm_env(RUSTNOTE_BASE_URL=
                                            "http://127.0.0.1:%d/v1" % port))
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertLess(time.monotonic() - t0, 10)
        self.assertOneLineError(proc, ("connect", "refused", "reach"))

    def test_failure_keeps_offline_findings(self):
        """With offline checks on, a network failure still exits 4 but the
        review printed (if any) holds only offline findings."""
        self.srv.set_default({"status": 401})
        proc = self.review("--json")
        self.assertEqual(proc.returncode, 4, proc.stderr)
        if proc.stdout.strip():
            doc = json.loads(proc.stdout)
            self.assertTrue(all(f["source"] == "offline"
                                for f in doc["findings"]))


if __name__ == "__main__":
    unittest.main()
