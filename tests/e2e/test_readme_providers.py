"""End to end: every recipe of README's "Providers" section, as written,
against the test server - its URL's host replaced by 127.0.0.1, its
placeholder key by a test key - reaches the endpoint, with the header and
model, that the real service expects."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import ROOT, TEST_KEY, LLMTest, reply_findings  # noqa: E402

# Heading -> (path, query, key header, expected value or None, model,
#             models the server lists)
EXPECT = {
    "OpenAI": ("/v1/chat/completions", "", "authorization",
               "Bearer " + TEST_KEY, "gpt-4.1-mini", []),
    "Anthropic": ("/v1/messages", "", "x-api-key", TEST_KEY,
                  "claude-sonnet-4-5", []),
    "Ollama on this machine": ("/api/chat", "", "authorization", None,
                               "qwen2.5:7b", []),
    "Ollama's cloud": ("/api/chat", "", "authorization",
                       "Bearer " + TEST_KEY, "gpt-oss:120b", []),
    "llama.cpp's server": ("/v1/chat/completions", "", "authorization",
                           None, "model.gguf", ["model.gguf"]),
    "vLLM": ("/v1/chat/completions", "", "authorization", None,
             "Qwen/Qwen2.5-7B-Instruct", ["Qwen/Qwen2.5-7B-Instruct"]),
    "LM Studio": ("/v1/chat/completions", "", "authorization", None,
                  "qwen2.5-7b-instruct", ["qwen2.5-7b-instruct", "other"]),
    "OpenRouter": ("/api/v1/chat/completions", "", "authorization",
                   "Bearer " + TEST_KEY, "openai/gpt-4.1-mini", []),
    "Azure OpenAI": ("/openai/deployments/DEPLOYMENT/chat/completions",
                     "api-version=2024-10-21", "api-key", TEST_KEY,
                     None, []),
    "Azure OpenAI (v1)": ("/openai/v1/chat/completions", "", "api-key",
                          TEST_KEY, "DEPLOYMENT", []),
}

BLOCK = re.compile(r"```(sh|ini)\n(.*?)```", re.S)
URL = re.compile(r"https?://[^/\s?]+")


def recipes():
    """[(name, kind, lines)] of the Providers section, in order."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## Providers\n", 1)[1].split("\n## ", 1)[0]
    out = []
    for part in section.split("\n### ")[1:]:
        name, body = part.split("\n", 1)
        for i, (kind, block) in enumerate(BLOCK.findall(body)):
            label = name if i == 0 else "%s (v1)" % name
            out.append((label, kind, block.strip().split("\n")))
    return out


class ReadmeProvidersTest(LLMTest):
    def local(self, value):
        """The recipe's value aimed at the test server."""
        base = self.srv.base
        if value in ("...",) or re.fullmatch(r"sk-[a-z-]*\.\.\.", value):
            return TEST_KEY
        if value == "ollama.com":
            return base
        if re.fullmatch(r"127\.0\.0\.1:\d+", value):
            return "127.0.0.1:%d" % self.srv.port
        return URL.sub(base, value)

    def run_recipe(self, name, kind, lines):
        env = {"RUSTNOTE_RETRY_MAX_DELAY_MS": "50"}
        config = []
        for line in lines:
            line = re.sub(r"\s+#.*$", "", line)
            if kind == "sh" and line.startswith("export "):
                k, v = line[len("export "):].split("=", 1)
                env[k] = self.local(v)
            elif kind == "ini" and "=" in line:
                k, v = (x.strip() for x in line.split("=", 1))
                config.append("%s = %s" % (k, self.local(v)))
        if not any(k.endswith("BASE_URL") or k == "OLLAMA_HOST"
                   for k in env) and not any(c.startswith("base_url")
                                             for c in config):
            # A hosted service: point it at the test server.
            provider = "anthropic" if "ANTHROPIC_API_KEY" in env else \
                "openai"
            env["RUSTNOTE_BASE_URL"] = self.srv.url(provider)
        if name.startswith("Azure"):
            # 127.0.0.1 is no *.openai.azure.com: say which header.
            config.append("auth_header = api-key")
        if config:
            d = os.path.join(self.sb.config, "rustnote")
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, "config")
            with open(path, "w") as f:
                f.write("\n".join(config) + "\n")
            os.chmod(path, 0o600)
        return self.run_rn("review", "--json", "--no-offline", "--no-cache",
                           "note.md", env=self.sb.env(**env))

    def test_every_recipe(self):
        found = recipes()
        self.assertEqual(sorted(n for n, _, _ in found), sorted(EXPECT))
        want = sorted(f["message"] for f in reply_findings("clean.json"))
        for name, kind, lines in found:
            with self.subTest(recipe=name):
                path, query, header, value, model, models = EXPECT[name]
                self.srv.reset()
                self.srv.models = models
                self.srv.require_key = TEST_KEY if value else None
                self.srv.push(reply_file="clean.json")
                proc = self.run_recipe(name, kind, lines)
                self.assertNoSanitizerReport(proc)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                doc = json.loads(proc.stdout)
                self.assertEqual(sorted(f["message"]
                                        for f in doc["findings"]), want)
                rec = self.srv.api_requests()[0]
                self.assertEqual(rec["path"], path)
                self.assertEqual(rec["query"], query)
                self.assertEqual(rec["headers"].get(header), value)
                if model is not None:
                    self.assertEqual(rec["json"]["model"], model)
                self.assertKeyNowhere(proc)
