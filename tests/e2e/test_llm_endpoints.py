"""End to end: what real endpoints do that a plain fake does not, one
test (or more) per behaviour, for each provider it applies to, streamed
and not, through the real binary and libcurl against fakellm.py.

The fake's imitations are described in its module doc: silence before the
first byte, per-model 400s with OpenAI's exact bodies, <think> blocks and
reasoning fields, refusals, "error": null chunks, Ollama's num_ctx, Azure
URLs and its api-key header, retry headers, Cloudflare's 520-524,
insufficient_quota, Anthropic's structured output and its 400, and model
lists.
"""
import glob
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (LLMTest, MODELS, PROVIDERS, TEST_KEY,  # noqa: E402
                    read_reply, reply_findings, rustnote_bin)

MODES = (True, False)		# streamed, then not

# A findings object hidden in reasoning: taken for the answer, it would
# show this message.
BOGUS = json.dumps({"summary": "thinking aloud", "findings": [{
    "kind": "error", "severity": "high", "quote": "Frame",
    "message": "BOGUS finding from the reasoning", "suggestion": "",
    "topic": ""}]})


class EndpointTest(LLMTest):
    """Helpers: a config file, and one review per provider and mode."""

    def config(self, text):
        d = os.path.join(self.sb.config, "rustnote")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "config"), "w") as f:
            f.write(text)

    def each(self, providers=PROVIDERS, modes=MODES):
        for provider in providers:
            for stream in modes:
                with self.subTest(provider=provider, stream=stream):
                    self.srv.reset()
                    yield provider, stream

    def go(self, provider, stream, *args, model=None, env=None, key=True,
           url=True, timeout=60):
        argv = ["--json", "--no-offline", "--no-cache"] + list(args)
        if not stream:
            argv.append("--no-stream")
        return self.review(*argv, provider=provider, model=model, key=key,
                           env=env, url=url, timeout=timeout)

    def assertClean(self, proc):
        """rc 0 and exactly the canned clean findings."""
        self.assertEqual(proc.returncode, 0, proc.stderr)
        doc = json.loads(proc.stdout)
        got = sorted(f["message"] for f in doc["findings"])
        want = sorted(f["message"] for f in reply_findings("clean.json"))
        self.assertEqual(got, want)
        return doc

    def assertOneLine(self, proc, rc, *needles):
        self.assertEqual(proc.returncode, rc, proc.stderr)
        self.assertOneLineError(proc, *needles)
        self.assertKeyNowhere(proc)


# --- 1. time to the first byte ------------------------------------------

class FirstByteTest(EndpointTest):
    def test_loading_model_is_not_a_stall(self):
        # Ollama loading a model: nothing at all, not even headers.
        for p, st in self.each():
            self.srv.push(reply_file="clean.json", delay_headers=1.3)
            proc = self.go(p, st, "--stall-timeout", "1")
            self.assertClean(proc)
            self.assertIn("waiting for the model (1 s)", proc.stderr)

    def test_thinking_model_is_not_a_stall(self):
        # A reasoning model: headers at once, then silence while it thinks.
        for p, st in self.each():
            self.srv.push(reply_file="clean.json", first_byte_wait=1.3)
            proc = self.go(p, st, "--stall-timeout", "1")
            self.assertClean(proc)
            self.assertIn("waiting for the model", proc.stderr)

    def test_first_byte_timeout_ends_the_wait(self):
        self.config("first_byte_timeout = 1\n")
        for p, st in self.each():
            self.srv.set_default(reply_file="clean.json", delay_headers=20)
            t0 = time.monotonic()
            proc = self.go(p, st, "--max-attempts", "1")
            self.assertLess(time.monotonic() - t0, 10)
            self.assertOneLine(proc, 4, p, "first_byte_timeout")

    def test_first_byte_timeout_flag(self):
        self.srv.set_default(reply_file="clean.json", first_byte_wait=20)
        proc = self.go("openai", True, "--first-byte-timeout", "1",
                       "--max-attempts", "1")
        self.assertOneLine(proc, 4, "openai", "first_byte_timeout")

    def test_stall_after_the_first_byte_still_counts(self):
        for p, st in self.each(modes=(True,)):
            self.srv.set_default(reply_file="clean.json", fault="stall",
                                 after_chars=40)
            proc = self.go(p, st, "--stall-timeout", "1",
                           "--max-attempts", "1")
            self.assertOneLine(proc, 4, p, "no data for 1 s")

    def test_ctrl_c_while_waiting_is_at_once(self):
        for p, st in self.each(providers=("ollama",)):
            self.srv.set_default(reply_file="clean.json", delay_headers=30)
            argv = ["--json", "--no-offline", "--no-cache"] + (
                [] if st else ["--no-stream"])
            proc = self.popen_review(*argv, provider=p)
            self.assertTrue(self.srv.wait_requests(1))
            time.sleep(0.5)
            t0 = time.monotonic()
            proc.send_signal(signal.SIGINT)
            rc = proc.wait(10)
            self.assertLess(time.monotonic() - t0, 1.5)
            self.assertEqual(rc, 130)
            self.assertNotIn(b"AddressSanitizer", proc.stderr.read())


# --- 2. per-model parameter refusals -------------------------------------

class ParameterTest(EndpointTest):
    def test_reasoning_model_gets_the_right_body_and_remembers(self):
        self.config("max_tokens = 900\ntemperature = 0.2\n")
        for p, st in self.each(providers=("openai",)):
            for d in glob.glob(os.path.join(self.sb.cache, "rustnote",
                                            "models", "*")):
                os.unlink(d)
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, model="gpt-5-mini")
            self.assertClean(proc)
            bodies = [r["json"] for r in self.srv.api_requests()]
            self.assertEqual(len(bodies), 3, proc.stderr)
            self.assertIn("max_tokens", bodies[0])
            self.assertNotIn("max_tokens", bodies[1])
            self.assertEqual(bodies[1]["max_completion_tokens"], 900)
            self.assertEqual(bodies[1]["temperature"], 0.2)
            self.assertNotIn("temperature", bodies[2])
            self.assertEqual(bodies[2]["max_completion_tokens"], 900)
            self.assertIn("max_completion_tokens", proc.stderr)
            self.assertIn("no temperature", proc.stderr)
            # Remembered in the cache folder: the next run asks once.
            saved = glob.glob(os.path.join(self.sb.cache, "rustnote",
                                           "models", "*.json"))
            self.assertEqual(len(saved), 1)
            with open(saved[0]) as f:
                entry = json.load(f)
            self.assertEqual(entry["model"], "gpt-5-mini")
            self.assertTrue(entry["max_completion_tokens"])
            self.assertTrue(entry["no_temperature"])
            self.srv.reset()
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, model="gpt-5-mini")
            self.assertClean(proc)
            bodies = [r["json"] for r in self.srv.api_requests()]
            self.assertEqual(len(bodies), 1)
            self.assertNotIn("max_tokens", bodies[0])
            self.assertNotIn("temperature", bodies[0])

    def test_other_models_keep_max_tokens(self):
        # Ollama's /v1 knows only max_tokens; so do most local servers.
        self.config("max_tokens = 900\ntemperature = 0.2\n")
        for p, st in self.each(providers=("openai",)):
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, model="llama3.2")
            self.assertClean(proc)
            bodies = [r["json"] for r in self.srv.api_requests()]
            self.assertEqual(len(bodies), 1)
            self.assertEqual(bodies[0]["max_tokens"], 900)
            self.assertEqual(bodies[0]["temperature"], 0.2)


# --- 3. reasoning before the answer ---------------------------------------

class ReasoningTest(EndpointTest):
    def check(self, proc):
        doc = self.assertClean(proc)
        self.assertNotIn("BOGUS", proc.stdout)
        return doc

    def test_think_block_is_skipped(self):
        for tag in ("think", "thinking"):
            for p, st in self.each():
                self.srv.push(reply_file="clean.json", think=BOGUS,
                              think_tag=tag, delta_chars=5)
                self.check(self.go(p, st))

    def test_reasoning_fields_are_skipped(self):
        for key in ("reasoning_content", "reasoning"):
            for p, st in self.each():
                self.srv.push(reply_file="clean.json", reasoning=BOGUS,
                              reasoning_key=key)
                self.check(self.go(p, st))

    def test_progress_says_thinking(self):
        for p, st in self.each(modes=(True,)):
            self.srv.push(reply_file="clean.json", reasoning=BOGUS,
                          delta_chars=8, delay=0.02)
            proc = self.go(p, st)
            self.check(proc)
            self.assertIn("rustnote: thinking\u2026", proc.stderr)


# --- 4. refusals ---------------------------------------------------------

class RefusalTest(EndpointTest):
    WORDS = "I'm sorry, but I can't help with that."

    def test_openai_refusal(self):
        for p, st in self.each(providers=("openai",)):
            self.srv.push(refusal=self.WORDS)
            proc = self.go(p, st)
            self.assertOneLine(proc, 5, "openai: the model refused: " +
                               self.WORDS)
            self.assertNotIn("neither JSON", proc.stderr)

    def test_anthropic_refusal(self):
        for p, st in self.each(providers=("anthropic",)):
            self.srv.push(refusal=True, reply="")
            proc = self.go(p, st)
            self.assertOneLine(proc, 5, "anthropic: the model refused")


# --- 5. "error": null ----------------------------------------------------

class NullErrorTest(EndpointTest):
    def test_null_error_is_no_error(self):
        # Proxies in front of OpenAI-style servers and Ollama add it.
        for p, st in self.each(providers=("openai", "ollama")):
            self.srv.push(reply_file="clean.json", error_null=True)
            self.assertClean(self.go(p, st))
            self.assertEqual(len(self.srv.api_requests()), 1)

    def test_real_error_still_is(self):
        for p, st in self.each(providers=("openai", "ollama"),
                               modes=(True,)):
            self.srv.set_default(reply_file="clean.json",
                                 fault="midstream_error", after_chars=0,
                                 message="model crashed")
            proc = self.go(p, st, "--max-attempts", "1")
            self.assertOneLine(proc, 4, p, "model crashed")


# --- 6. Ollama's context window ------------------------------------------

class ContextTest(EndpointTest):
    def long_note(self):
        with open(self.note, encoding="utf-8") as f:
            text = f.read()
        extra = "\n".join(
            "- Paragraph %d: a Box<T> owns its heap value and frees it "
            "when dropped; moving it moves that ownership." % i
            for i in range(400))
        with open(self.note, "w", encoding="utf-8") as f:
            f.write(text + "\n## More\n\n" + extra + "\n")
        self.note_hash = __import__("common").sha256_file(self.note)

    def test_num_ctx_fits_the_prompt(self):
        self.long_note()
        for p, st in self.each(providers=("ollama",)):
            self.srv.push(reply_file="clean.json")
            self.assertClean(self.go(p, st))
            rec = self.srv.api_requests()[0]
            self.assertGreater(rec["prompt_tokens"], 4096)
            self.assertGreaterEqual(rec["num_ctx"], rec["prompt_tokens"])
            self.assertFalse(rec["truncated"])

    def test_num_ctx_from_config_and_the_warning(self):
        self.long_note()
        self.config("num_ctx = 2048\n")
        for p, st in self.each(providers=("ollama",)):
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st)
            self.assertClean(proc)
            rec = self.srv.api_requests()[0]
            self.assertEqual(rec["json"]["options"]["num_ctx"], 2048)
            self.assertTrue(rec["truncated"])
            self.assertIn("num_ctx is 2048", proc.stderr)


# --- 7. Ollama's cloud and hosts -----------------------------------------

class OllamaHostTest(EndpointTest):
    def test_cloud_key_as_bearer(self):
        self.srv.require_key = TEST_KEY
        for p, st in self.each(providers=("ollama",)):
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, env=self.llm_env(
                "ollama", OLLAMA_API_KEY=TEST_KEY))
            self.assertClean(proc)
            self.assertEqual(self.srv.api_requests()[0]["headers"]
                             ["authorization"], "Bearer " + TEST_KEY)
            self.assertKeyNowhere(proc)

    def test_cloud_without_key(self):
        self.srv.require_key = TEST_KEY
        for p, st in self.each(providers=("ollama",)):
            self.srv.set_default(reply_file="clean.json")
            proc = self.go(p, st)
            self.assertOneLine(proc, 4, "ollama", "401", "OLLAMA_API_KEY")

    def test_ollama_host_forms(self):
        port = self.srv.port
        for host in ("127.0.0.1:%d" % port, "http://127.0.0.1:%d/" % port,
                     "http://localhost:%d" % port):
            for p, st in self.each(providers=("ollama",)):
                self.srv.push(reply_file="clean.json")
                proc = self.go(p, st, url=False, env=self.llm_env(
                    "ollama", OLLAMA_HOST=host))
                self.assertClean(proc)


# --- 8. base URLs with a query; Azure ------------------------------------

class AzureTest(EndpointTest):
    def test_classic_deployment_url(self):
        self.config("auth_header = api-key\n")
        base = (self.srv.base + "/openai/deployments/gpt4o-notes"
                "?api-version=2024-10-21")
        for p, st in self.each(providers=("openai",)):
            self.srv.require_key = TEST_KEY
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, "-u", base, url=False)
            self.assertClean(proc)
            rec = self.srv.api_requests()[0]
            self.assertEqual(rec["path"],
                             "/openai/deployments/gpt4o-notes/"
                             "chat/completions")
            self.assertEqual(rec["query"], "api-version=2024-10-21")
            self.assertEqual(rec["headers"]["api-key"], TEST_KEY)
            self.assertNotIn("authorization", rec["headers"])

    def test_v1_url(self):
        self.config("auth_header = api-key\n")
        for p, st in self.each(providers=("openai",)):
            self.srv.require_key = TEST_KEY
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, "-u", self.srv.base + "/openai/v1/",
                           url=False)
            self.assertClean(proc)
            self.assertEqual(self.srv.api_requests()[0]["path"],
                             "/openai/v1/chat/completions")

    def test_wrong_header_is_one_line(self):
        base = (self.srv.base + "/openai/deployments/d"
                "?api-version=2024-10-21")
        self.srv.set_default(reply_file="clean.json")
        proc = self.go("openai", True, "-u", base, url=False)
        self.assertOneLine(proc, 4, "openai", "401", "Access denied")

    def test_bad_auth_header_is_a_usage_error(self):
        self.config("auth_header = api key\n")
        proc = self.go("openai", True)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("auth_header", proc.stderr)
        self.assertEqual(self.srv.api_requests(), [])


# --- 9. retries ----------------------------------------------------------

class RetryTest(EndpointTest):
    def test_cloudflare_and_other_5xx_are_retried(self):
        for status in (501, 520, 521, 522, 523, 524):
            for p, st in self.each(modes=(True, False) if status == 522
                                   else (True,)):
                self.srv.push(status=status)
                self.srv.push(reply_file="clean.json")
                proc = self.go(p, st)
                self.assertClean(proc)
                self.assertEqual(len(self.srv.api_requests()), 2)
                self.assertIn("(%d)" % status, proc.stderr)

    def test_cloudflare_page_is_one_line(self):
        for p, st in self.each(modes=(True,)):
            self.srv.set_default(status=522)
            proc = self.go(p, st, "--max-attempts", "2")
            self.assertOneLine(proc, 4, p, "522", "after 2 attempts")
            self.assertNotIn("<", proc.stderr)

    def test_should_retry_false_wins(self):
        for p, st in self.each(modes=(True,)):
            self.srv.set_default(status=503, x_should_retry="false")
            proc = self.go(p, st)
            self.assertOneLine(proc, 4, p, "503")
            self.assertEqual(len(self.srv.api_requests()), 1)

    def test_should_retry_true_wins(self):
        for p, st in self.each(modes=(True,)):
            self.srv.push(status=400, x_should_retry="true",
                          message="try again")
            self.srv.push(reply_file="clean.json")
            self.assertClean(self.go(p, st))
            self.assertEqual(len(self.srv.api_requests()), 2)

    def test_conflict_and_timeout_are_retried(self):
        for status in (408, 409):
            for p, st in self.each(modes=(True,)):
                self.srv.push(status=status)
                self.srv.push(reply_file="clean.json")
                self.assertClean(self.go(p, st))
                self.assertEqual(len(self.srv.api_requests()), 2)

    def test_retry_after_ms_is_honoured(self):
        for p, st in self.each(modes=(True,)):
            self.srv.push(status=429, retry_after_ms=400)
            self.srv.push(reply_file="clean.json")
            env = self.llm_env(p, RUSTNOTE_RETRY_MAX_DELAY_MS=None)
            self.assertClean(self.go(p, st, env=env))
            reqs = self.srv.api_requests()
            self.assertGreaterEqual(reqs[1]["time"] - reqs[0]["time"], 0.39)

    def test_insufficient_quota_is_never_retried(self):
        for p, st in self.each(providers=("openai",)):
            self.srv.set_default(status=429, quota=True,
                                 x_should_retry="true")
            proc = self.go(p, st)
            self.assertOneLine(proc, 4, "openai", "quota")
            self.assertEqual(len(self.srv.api_requests()), 1)


# --- 10. Anthropic -------------------------------------------------------

class AnthropicTest(EndpointTest):
    def test_structured_output_is_asked_for(self):
        for p, st in self.each(providers=("anthropic",)):
            self.srv.push(reply_file="clean.json")
            self.assertClean(self.go(p, st))
            body = self.srv.api_requests()[0]["json"]
            fmt = body["output_config"]["format"]
            self.assertEqual(fmt["type"], "json_schema")
            self.assertIn("findings", fmt["schema"]["properties"])

    def test_structured_output_refused_once(self):
        for p, st in self.each(providers=("anthropic",)):
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, model="claude-3-5-haiku-latest")
            self.assertClean(proc)
            bodies = [r["json"] for r in self.srv.api_requests()]
            self.assertEqual(len(bodies), 2)
            self.assertIn("output_config", bodies[0])
            self.assertNotIn("output_config", bodies[1])
            self.assertIn("refused the JSON schema", proc.stderr)

    def test_small_output_limit_is_taken(self):
        ContextTest.long_note(self)
        for p, st in self.each(providers=("anthropic",)):
            self.srv.push(reply_file="clean.json")
            proc = self.go(p, st, model="claude-3-haiku-20240307")
            self.assertClean(proc)
            bodies = [r["json"] for r in self.srv.api_requests()]
            # The budget refused once, output_config once: three asks.
            self.assertEqual(len(bodies), 3)
            self.assertGreater(bodies[0]["max_tokens"], 4096)
            self.assertEqual([b["max_tokens"] for b in bodies[1:]],
                             [4096, 4096])
            self.assertNotIn("output_config", bodies[2])
            self.assertIn("asking again with its limit", proc.stderr)

    def test_temperature_range(self):
        self.config("temperature = 1.5\n")
        proc = self.go("anthropic", True)
        self.assertOneLine(proc, 2, "temperature", "anthropic", "0 to 1")
        self.assertEqual(self.srv.api_requests(), [])
        # 1.5 is fine for OpenAI.
        self.srv.push(reply_file="clean.json")
        self.assertClean(self.go("openai", True))

    def test_context_window_exceeded_is_a_cut_reply(self):
        for p, st in self.each(providers=("anthropic",)):
            self.srv.push(reply_file="clean.json",
                          finish="model_context_window_exceeded")
            doc = self.assertClean(self.go(p, st))
            self.assertTrue(any("cut off" in w for w in doc["warnings"]),
                            doc["warnings"])

    def test_max_tokens_from_the_note(self):
        ContextTest.long_note(self)
        for p, st in self.each(providers=("anthropic",)):
            self.srv.push(reply_file="clean.json")
            self.assertClean(self.go(p, st))
            self.assertGreater(self.srv.api_requests()[0]["json"]
                               ["max_tokens"], 4096)
        self.config("max_tokens = 1234\n")
        self.srv.reset()
        self.srv.push(reply_file="clean.json")
        self.assertClean(self.go("anthropic", True))
        self.assertEqual(self.srv.api_requests()[0]["json"]["max_tokens"],
                         1234)


# --- 11. model names -----------------------------------------------------

class ModelsTest(EndpointTest):
    def models(self, provider, *args, env=None):
        argv = ["models", "-p", provider, "-u", self.srv.url(provider)]
        proc = self.run_rn(*(argv + list(args)),
                           env=env or self.llm_env(provider))
        self.assertNoSanitizerReport(proc)
        return proc

    def test_models_lists_each_provider(self):
        self.srv.models = ["model-a", "model-b"]
        for p in PROVIDERS:
            with self.subTest(provider=p):
                self.srv.reset()
                proc = self.models(p)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(proc.stdout, "model-a\nmodel-b\n")
                got = self.srv.requests[-1]
                self.assertEqual(got["path"], "/api/tags" if p == "ollama"
                                 else "/v1/models")
                self.assertEqual(got["models"], p)
                proc = self.models(p, "--json")
                self.assertEqual(json.loads(proc.stdout), {
                    "provider": p, "models": ["model-a", "model-b"]})
                self.assertKeyNowhere(proc)

    def test_models_error_is_one_line(self):
        self.srv.models_status = 401
        for p in PROVIDERS:
            with self.subTest(provider=p):
                proc = self.models(p)
                self.assertOneLine(proc, 4, p, "401")
        proc = self.run_rn("models", "-p", "ollama", "-u",
                           "http://127.0.0.1:9", env=self.llm_env("ollama"))
        self.assertOneLine(proc, 4, "ollama", "could not connect")

    def test_hostile_model_names_are_cleaned(self):
        self.srv.models = ["evil\x1b]0;owned\x07model", "ok"]
        proc = self.models("openai")
        self.assertEqual(proc.returncode, 0)
        self.assertNotIn("\x1b", proc.stdout)
        self.assertNotIn("\x07", proc.stdout)

    def test_only_model_is_used(self):
        self.srv.models = ["Qwen/Qwen2.5-7B-Instruct"]
        for p, st in self.each(providers=("openai", "ollama")):
            self.srv.push(reply_file="clean.json")
            argv = ["review", "--json", "--no-offline", "--no-cache", "-p",
                    p, "-u", self.srv.url(p), "note.md"] + (
                        [] if st else ["--no-stream"])
            proc = self.run_rn(*argv, env=self.llm_env(p))
            self.assertClean(proc)
            self.assertEqual(self.srv.api_requests()[0]["json"]["model"],
                             "Qwen/Qwen2.5-7B-Instruct")

    def test_several_models_exit_2_listing_them(self):
        self.srv.models = ["openai/gpt-4.1-mini-x", "meta/llama-3"]
        proc = self.run_rn("review", "--json", "-p", "openai", "-u",
                           self.srv.url("openai"), "note.md",
                           env=self.llm_env("openai"))
        self.assertOneLine(proc, 2, "openai", "openai/gpt-4.1-mini-x",
                           "meta/llama-3", "--model")
        self.assertEqual(self.srv.api_requests(), [])

    def test_default_model_kept_when_offered(self):
        self.srv.models = ["llama3.1:latest", "qwen3:8b"]
        self.srv.push(reply_file="clean.json")
        proc = self.run_rn("review", "--json", "--no-offline", "-p",
                           "ollama", "-u", self.srv.url("ollama"), "note.md",
                           env=self.llm_env("ollama"))
        self.assertClean(proc)
        self.assertEqual(self.srv.api_requests()[0]["json"]["model"],
                         "llama3.1")


# --- 12. Ollama's schema refusal -----------------------------------------

class OllamaSchemaTest(EndpointTest):
    def test_schema_refusal_by_its_words(self):
        self.srv.no_schema = True
        for status in (400, 500):
            self.srv.schema_status = status
            for p, st in self.each(providers=("ollama",)):
                self.srv.push(reply_file="clean.json")
                proc = self.go(p, st)
                self.assertClean(proc)
                bodies = [r["json"] for r in self.srv.api_requests()]
                self.assertEqual(len(bodies), 2)
                self.assertIn("format", bodies[0])
                self.assertNotIn("format", bodies[1])

    def test_other_format_errors_are_not_a_refusal(self):
        for p, st in self.each(providers=("ollama",)):
            self.srv.set_default(status=400, message="unexpected format of "
                                 "the chat template in model file")
            proc = self.go(p, st)
            self.assertOneLine(proc, 4, "ollama", "400", "chat template")
            self.assertEqual(len(self.srv.api_requests()), 1)


if __name__ == "__main__":
    import unittest
    unittest.main()
