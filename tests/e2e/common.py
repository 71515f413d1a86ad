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
SEED_NOTE = os.path.join(NOTES, "memory-model.md")
SEED_OVERVIEW = os.path.join(NOTES, "memory-model.overview.md")

_CLEARED = ("RUSTNOTE_PROVIDER", "RUSTNOTE_MODEL", "RUSTNOTE_BASE_URL",
            "RUSTNOTE_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
            "OLLAMA_HOST", "VISUAL", "EDITOR", "NO_COLOR", "TMUX",
            "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy",
            "ALL_PROXY", "all_proxy")


def rustnote_bin():
    path = os.environ.get("RUSTNOTE_BIN") or os.path.join(ROOT, "rustnote")
    if not os.access(path, os.X_OK):
        raise unittest.SkipTest("no rustnote binary at %s" % path)
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
