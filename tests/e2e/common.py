"""Shared helpers for the end-to-end tests.

Every test runs the real binary named by $RUSTNOTE_BIN (the sanitizer build
under `make check`) with a private HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME,
and with every provider variable cleared, so nothing from the developer's
own environment leaks in.
"""
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOTES = os.path.join(ROOT, "notes")
TEST_NOTES = os.path.join(ROOT, "tests", "notes")
SEED_NOTE = os.path.join(NOTES, "02-memory-model.md")
SEED_OVERVIEW = os.path.join(NOTES, "memory-model.overview.md")

_CLEARED = ("RUSTNOTE_PROVIDER", "RUSTNOTE_MODEL", "RUSTNOTE_BASE_URL",
            "RUSTNOTE_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
            "OLLAMA_HOST", "VISUAL", "EDITOR", "NO_COLOR", "TMUX",
            "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
            "ALL_PROXY", "all_proxy", "CURL_CA_BUNDLE", "SSL_CERT_FILE",
            "SSL_CERT_DIR", "RUSTNOTE_STREAM", "RUSTNOTE_CACHE",
            "RUSTNOTE_OFFLINE_CHECKS", "RUSTNOTE_STALL_TIMEOUT",
            "RUSTNOTE_CONNECT_TIMEOUT", "RUSTNOTE_TIMEOUT",
            "RUSTNOTE_MAX_ATTEMPTS", "RUSTNOTE_MAX_TOKENS",
            "RUSTNOTE_TEMPERATURE")


def rustnote_bin():
    path = os.environ.get("RUSTNOTE_BIN") or os.path.join(ROOT, "rustnote")
    if not os.access(path, os.X_OK):
        # A missing binary is a failure, never a silent skip.
        raise AssertionError("no rustnote binary at %s" % path)
    return path


class Sandbox:
    """A throw-away home: config, cache and a work folder for notes."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rustnote-e2e-")
        self.home = os.path.join(self.dir, "home")
        self.config = os.path.join(self.dir, "config")
        self.cache = os.path.join(self.dir, "cache")
        self.work = os.path.join(self.dir, "work")
        for d in (self.home, self.config, self.cache, self.work):
            os.makedirs(d)

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        env.update(HOME=self.home, XDG_CONFIG_HOME=self.config,
                   XDG_CACHE_HOME=self.cache, LANG="C.UTF-8",
                   LC_ALL="C.UTF-8", TERM="xterm-256color",
                   NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
                   ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98")
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def copy_seed(self, name="note.md", overview=True):
        """Copy the seed note (and its overview beside it); return the path."""
        dst = os.path.join(self.work, name)
        shutil.copyfile(SEED_NOTE, dst)
        if overview:
            base = name[:-3] if name.endswith(".md") else name
            shutil.copyfile(SEED_OVERVIEW,
                            os.path.join(self.work, base + ".overview.md"))
        return dst

    def write(self, name, text, mode="w"):
        path = os.path.join(self.work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        return path

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def run(args, sandbox, env=None, timeout=60, stdin=subprocess.DEVNULL):
    """Run rustnote; return CompletedProcess with text stdout/stderr."""
    return subprocess.run([rustnote_bin()] + list(args), env=env or sandbox.env(),
                          cwd=sandbox.work, stdin=stdin, capture_output=True,
                          text=True, timeout=timeout)


class RustnoteTest(unittest.TestCase):
    """Base class: self.sb is a fresh Sandbox for every test."""

    def setUp(self):
        self.sb = Sandbox()
        self.addCleanup(self.sb.cleanup)

    def run_rn(self, *args, env=None, timeout=60):
        return run(args, self.sb, env=env, timeout=timeout)

    def assertNoSanitizerReport(self, proc):
        for stream in (proc.stderr or "",):
            self.assertNotIn("AddressSanitizer", stream)
            self.assertNotIn("runtime error:", stream)
            self.assertNotIn("LeakSanitizer", stream)


# --- helpers for the LLM pipeline tests (test_llm_*.py) ---------------------
import hashlib  # noqa: E402
import json  # noqa: E402
import select  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

E2E_DIR = os.path.dirname(os.path.abspath(__file__))
REPLIES_E2E = os.path.join(ROOT, "tests", "replies", "e2e")
if E2E_DIR not in sys.path:
    sys.path.insert(0, E2E_DIR)

TEST_KEY = "sk-e2e-Zq8vW3xKp0LrT7yNc2Hs9BdF4uJm6GaE"
MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-sonnet-4-5",
          "ollama": "llama3.2"}
PROVIDERS = ("openai", "anthropic", "ollama")


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def note_lines(path=SEED_NOTE):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def line_of(text, path=SEED_NOTE):
    """1-based number of the first line of the note holding text
    (the first line of text when it spans lines); 0 when absent."""
    lines = note_lines(path)
    first = text.split("\n")[0]
    for i, line in enumerate(lines):
        if first and first in line:
            return i + 1
    return 0


def lines_of(text, path=SEED_NOTE):
    """Every 1-based line holding text."""
    return [i + 1 for i, line in enumerate(note_lines(path))
            if text and text in line]


def read_reply(name):
    with open(os.path.join(REPLIES_E2E, name), encoding="utf-8") as f:
        return f.read()


def reply_findings(name):
    """The findings of a canned JSON reply, as parsed by Python."""
    return json.loads(read_reply(name))["findings"]


def control_chars(s):
    """Control characters (C0 but newline and tab, DEL, C1) in s."""
    return [c for c in s if (ord(c) < 32 and c not in "\n\t")
            or 0x7f <= ord(c) <= 0x9f]


def readline_timeout(stream, timeout):
    """Read one line from a binary pipe, or None after timeout seconds."""
    end = time.monotonic() + timeout
    buf = b""
    fd = stream.fileno()
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return None
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            return None
        c = os.read(fd, 1)
        if not c:
            return buf if buf else b""
        buf += c
        if c == b"\n":
            return buf


class LLMTest(RustnoteTest):
    """A RustnoteTest with a fake LLM server (self.srv) and the seed note
    copied to note.md beside its overview.  Every review checks that the
    note is byte-identical afterwards and that no sanitizer complained."""

    def setUp(self):
        super().setUp()
        from fakellm import FakeLLM
        self.srv = FakeLLM(base_dir=REPLIES_E2E).start()
        self.addCleanup(self.srv.stop)
        self.note = self.sb.copy_seed()
        self.note_hash = sha256_file(self.note)

    def llm_env(self, provider="openai", key=True, **extra):
        env = {"RUSTNOTE_RETRY_MAX_DELAY_MS": "50"}
        if key and provider != "ollama":
            env["RUSTNOTE_API_KEY"] = TEST_KEY
        env.update(extra)
        return self.sb.env(**env)

    def review_args(self, args, provider="openai", model=None, url=True):
        argv = ["review"]
        if provider:
            argv += ["-p", provider, "-m", model or MODELS[provider]]
            if url:
                argv += ["-u", self.srv.url(provider)]
        return argv + list(args) + ["note.md"]

    def review(self, *args, provider="openai", model=None, key=True,
               env=None, url=True, timeout=60):
        argv = self.review_args(args, provider, model, url)
        proc = self.run_rn(*argv, env=env or self.llm_env(provider, key),
                           timeout=timeout)
        self.assertNoSanitizerReport(proc)
        self.assertEqual(sha256_file(self.note), self.note_hash,
                         "the note was modified")
        return proc

    def review_json(self, *args, expect_rc=0, **kw):
        proc = self.review("--json", *args, **kw)
        self.assertEqual(proc.returncode, expect_rc,
                         "rc %d, stderr: %s" % (proc.returncode,
                                                proc.stderr[-2000:]))
        try:
            return json.loads(proc.stdout)
        except ValueError:
            self.fail("--json output is not JSON: %r" % proc.stdout[:500])

    def popen_review(self, *args, provider="openai", env=None):
        """Start a review with pipes (binary, unbuffered); the caller
        reads and waits.  Stopped at test end if still running."""
        import subprocess
        argv = [rustnote_bin()] + self.review_args(args, provider)
        p = subprocess.Popen(argv, env=env or self.llm_env(provider),
                             cwd=self.sb.work, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             bufsize=0)

        def stop():
            if p.poll() is None:
                p.kill()
            p.wait()
            p.stdout.close()
            p.stderr.close()
        self.addCleanup(stop)
        return p

    def llm_findings(self, doc):
        return [f for f in doc["findings"] if f.get("source") == "llm"]

    def assertSorted(self, findings):
        lines = [f["line"] for f in findings]
        self.assertEqual(lines, sorted(lines), "findings not sorted by line")

    def assertOneLineError(self, proc, *needles):
        """stderr ends with a one-line message holding every needle
        (case-insensitive); no line is a dump."""
        err = proc.stderr
        lines = [l for l in err.split("\n") if l.strip()]
        self.assertTrue(lines, "no message on stderr")
        for l in lines:
            self.assertLess(len(l), 600, "stderr line too long: %r" % l[:200])
        low = err.lower()
        for n in needles:
            alts = n if isinstance(n, tuple) else (n,)
            self.assertTrue(any(a.lower() in low for a in alts),
                            "none of %r in stderr: %r" % (alts, err[-800:]))

    def assertKeyNowhere(self, proc, key=TEST_KEY):
        self.assertNotIn(key, proc.stdout)
        self.assertNotIn(key, proc.stderr)
        for r in self.srv.requests:
            self.assertNotIn(key, r["target"])
            self.assertNotIn(key.encode(), r["body"])
        for dirpath, _, files in os.walk(self.sb.cache):
            for name in files:
                with open(os.path.join(dirpath, name), "rb") as f:
                    self.assertNotIn(key.encode(), f.read(),
                                     "key in cache file %s" % name)
