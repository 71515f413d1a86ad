"""End to end: where the API key goes (one header) and where it never goes
(stdout, stderr, cache, URL, body, other providers' servers), config file
permissions, and flag > env > config precedence."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import LLMTest, MODELS, TEST_KEY  # noqa: E402

CFG_KEY = "sk-cfg-Hq3nR8wLm2Xv5Pt9Kc1Yb7Jd4Fs6GzAe"
OTHER_KEY = "sk-other-Ua5Wy2Nc8Qf1Lp4Rk7Td3Xm9Ve6BjHs"


class KeyHeaderTest(LLMTest):
    def test_key_only_in_its_header(self):
        for provider, header, value in (
                ("openai", "authorization", "Bearer " + TEST_KEY),
                ("anthropic", "x-api-key", TEST_KEY)):
            for stream in (True, False):
                with self.subTest(provider=provider, stream=stream):
                    self.srv.reset()
                    self.srv.push(reply_file="clean.json")
                    proc = self.review("--json", "--no-cache",
                                       *([] if stream else ["--no-stream"]),
                                       provider=provider)
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    r = self.srv.api_requests()[0]
                    self.assertEqual(r["headers"].get(header), value)
                    others = [v for k, v in r["raw_headers"]
                              if k.lower() != header and TEST_KEY in v]
                    self.assertEqual(others, [])
                    self.assertKeyNowhere(proc)

    def test_key_not_in_cache(self):
        self.srv.push(reply_file="clean.json")
        proc = self.review("--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc2 = self.review("--json")
        self.assertEqual(proc2.returncode, 0, proc2.stderr)
        self.assertKeyNowhere(proc)
        self.assertKeyNowhere(proc2)

    def test_key_not_in_prompt_output(self):
        proc = self.run_rn("prompt", "-p", "openai", "-m", "m", "note.md",
                           env=self.llm_env())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertKeyNowhere(proc)

    def test_key_not_in_error_paths(self):
        for step in ({"status": 401, "message": "Incorrect API key provided: "
                      + TEST_KEY},
                     {"status": 400, "message": "bad header x-api-key: "
                      + TEST_KEY},
                     {"raw_body": "<html>%s</html>" % TEST_KEY,
                      "status": 500, "content_type": "text/html"}):
            with self.subTest(step=step.get("status")):
                self.srv.reset()
                self.srv.set_default(step)
                proc = self.review("--json", "--no-cache")
                self.assertEqual(proc.returncode, 4, proc.stderr)
                self.assertKeyNowhere(proc)

    def test_openai_key_not_sent_to_other_providers(self):
        for provider in ("anthropic", "ollama"):
            with self.subTest(provider=provider):
                self.srv.reset()
                self.srv.push(reply_file="clean.json")
                env = self.llm_env(provider, key=False,
                                   OPENAI_API_KEY=OTHER_KEY)
                if provider == "anthropic":
                    env["ANTHROPIC_API_KEY"] = TEST_KEY
                proc = self.review("--json", "--no-cache", provider=provider,
                                   env=env)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                r = self.srv.api_requests()[0]
                for _, v in r["raw_headers"]:
                    self.assertNotIn(OTHER_KEY, v)
                self.assertNotIn(OTHER_KEY.encode(), r["body"])

    def test_key_with_line_break_is_refused(self):
        env = self.llm_env(key=False,
                           RUSTNOTE_API_KEY=TEST_KEY + "\r\nX-Evil: 1")
        proc = self.review("--json", "--no-offline", env=env)
        self.assertNotEqual(proc.returncode, 0)
        for r in self.srv.api_requests():
            self.assertNotIn("x-evil", r["headers"])
        self.assertNotIn(TEST_KEY, proc.stderr)
        self.assertNotIn(TEST_KEY, proc.stdout)

    def test_ollama_sends_no_key(self):
        self.srv.push(reply_file="clean.json")
        proc = self.review("--json", provider="ollama")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        h = self.srv.api_requests()[0]["headers"]
        self.assertNotIn("authorization", h)
        self.assertNotIn("x-api-key", h)


class ConfigFileTest(LLMTest):
    def write_config(self, text, mode=0o600, path=None):
        path = path or os.path.join(self.sb.config, "rustnote", "config")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def config_text(self, provider="openai", key=CFG_KEY, model=None):
        return ("# rustnote settings\nprovider = %s\nmodel = %s\n"
                "base_url = %s\napi_key = %s\n"
                % (provider, model or MODELS[provider],
                   self.srv.url(provider), key))

    def run_plain(self, *args, env=None):
        proc = self.run_rn("review", "--json", "--no-cache", *args, "note.md",
                           env=env or self.sb.env(
                               RUSTNOTE_RETRY_MAX_DELAY_MS="50"))
        self.assertNoSanitizerReport(proc)
        return proc

    def test_key_from_config_0600_no_warning(self):
        self.write_config(self.config_text())
        self.srv.push(reply_file="clean.json")
        proc = self.run_plain()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = self.srv.api_requests()[0]
        self.assertEqual(r["headers"].get("authorization"), "Bearer " + CFG_KEY)
        self.assertEqual(r["json"]["model"], MODELS["openai"])
        err = proc.stderr.lower()
        self.assertFalse(any(w in err for w in ("readable", "permission",
                                                "chmod")), err)
        self.assertKeyNowhere(proc, CFG_KEY)

    def test_key_from_config_0644_warns(self):
        path = self.write_config(self.config_text(), mode=0o644)
        self.srv.push(reply_file="clean.json")
        proc = self.run_plain()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        err = proc.stderr.lower()
        self.assertTrue(any(w in err for w in ("readable", "permission",
                                               "chmod", "600")), err)
        self.assertTrue("config" in err or path in proc.stderr, err)
        self.assertKeyNowhere(proc, CFG_KEY)

    def test_explicit_config_flag(self):
        path = self.write_config(self.config_text("anthropic"),
                                 path=os.path.join(self.sb.dir, "my.conf"))
        self.srv.push(reply_file="clean.json")
        proc = self.run_plain("--config", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = self.srv.api_requests()[0]
        self.assertEqual(r["path"], "/v1/messages")
        self.assertEqual(r["headers"].get("x-api-key"), CFG_KEY)

    def test_env_beats_config(self):
        self.write_config(self.config_text(model="cfg-model"))
        self.srv.push(reply_file="clean.json")
        proc = self.run_plain(env=self.sb.env(
            RUSTNOTE_API_KEY=TEST_KEY, RUSTNOTE_MODEL="env-model",
            RUSTNOTE_RETRY_MAX_DELAY_MS="50"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = self.srv.api_requests()[0]
        self.assertEqual(r["headers"].get("authorization"), "Bearer " + TEST_KEY)
        self.assertEqual(r["json"]["model"], "env-model")

    def test_flag_beats_env_and_config(self):
        self.write_config(self.config_text(model="cfg-model"))
        self.srv.push(reply_file="clean.json")
        proc = self.run_plain("-m", "flag-model", env=self.sb.env(
            RUSTNOTE_MODEL="env-model", RUSTNOTE_PROVIDER="anthropic",
            RUSTNOTE_BASE_URL=self.srv.url("anthropic"),
            RUSTNOTE_RETRY_MAX_DELAY_MS="50"))
        # env said anthropic, config said openai: env wins over config
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = self.srv.api_requests()[0]
        self.assertEqual(r["json"]["model"], "flag-model")
        self.assertEqual(r["path"], "/v1/messages")

    def test_flag_provider_beats_env(self):
        self.srv.push(reply_file="clean.json")
        proc = self.run_plain("-p", "ollama", "-m", "llama3.2", "-u",
                              self.srv.url("ollama"),
                              env=self.sb.env(RUSTNOTE_PROVIDER="anthropic",
                                              RUSTNOTE_API_KEY=TEST_KEY))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        r = self.srv.api_requests()[0]
        self.assertEqual(r["path"], "/api/chat")

    def test_stream_off_in_config(self):
        self.write_config(self.config_text() + "stream = false\n")
        self.srv.push(reply_file="clean.json")
        proc = self.run_plain()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIs(self.srv.api_requests()[0]["json"]["stream"], False)

    def test_bad_config_line_is_a_usage_error(self):
        self.write_config("provider openai\n")
        proc = self.run_plain()
        self.assertIn(proc.returncode, (2,), proc.stderr)
        self.assertIn("config", proc.stderr.lower())


if __name__ == "__main__":
    unittest.main()
