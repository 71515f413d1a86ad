"""End to end: replies nested as deep as a model likes end in exit 0 or 5,
never a signal; Ctrl-C during a long offline review exits 130 at once."""
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import LLMTest, RustnoteTest, rustnote_bin  # noqa: E402

DEEP_REPLIES = {
    "nested blockquotes": "> " * 100000 + "- Stack vs heap is not covered\n",
    "nested JSON arrays": "[" * 300000,
    "nested lists": "- " * 50000 + "Stack vs heap is not covered\n",
    "nested objects": '{"findings": ' * 100000,
    "brackets and braces": "[{" * 200000,
}


class DeepReplyTest(LLMTest):

    def test_deep_replies_never_crash(self):
        for name, text in DEEP_REPLIES.items():
            for stream in (True, False):
                with self.subTest(reply=name, stream=stream):
                    self.srv.reset()
                    self.srv.push(reply=text)
                    args = ["--json", "--no-offline", "--no-cache"]
                    if not stream:
                        args.append("--no-stream")
                    proc = self.review(*args)
                    self.assertIn(proc.returncode, (0, 5),
                                  "%s: rc %d, stderr %s" % (
                                      name, proc.returncode,
                                      proc.stderr[-500:]))
                    self.assertEqual(len(self.srv.api_requests()), 1)


def big_note(path):
    """A 1 MiB note that keeps every offline check busy: many sections,
    lists and sentences that name ruled-out subjects."""
    unit = ("## Stack frames\n\n"
            "Each call pushes a frame on the stack, and a reference here "
            "points at it; `&mut x` borrows it.\n\n"
            "- The heap holds data whose size is known only at run time.\n"
            "- Memory is freed when its owner goes out of scope.\n\n")
    with open(path, "w") as f:
        f.write("# Memory\n\n" + unit * ((1 << 20) // len(unit) - 1))


def cpu_seconds(pid):
    """User and system time a running process has used."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class InterruptOfflineTest(RustnoteTest):

    def test_sigint_during_offline_review_exits_130(self):
        note = os.path.join(self.sb.work, "big.md")
        big_note(note)
        ovw = os.path.join(self.sb.work, "big.overview.md")
        with open(ovw, "w") as f:
            f.write("# Memory\n\nWrite about:\n\n* Stack vs heap\n\n"
                    "Do not mention borrow checker or references.\n")
        p = subprocess.Popen([rustnote_bin(), "review", "--offline",
                              "--plain", "big.md"], cwd=self.sb.work,
                             env=self.sb.env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        # Signal once it has worked 0.1 s of CPU time: past start-up (the
        # handler is set), inside the parsing and the checks.
        deadline = time.monotonic() + 20
        while cpu_seconds(p.pid) < 0.1 and p.poll() is None and \
                time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertIsNone(p.poll(), "the review ended before the signal: "
                          "the note is too small to test this")
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        took = time.monotonic() - t0
        err = err.decode()
        self.assertEqual(p.returncode, 130, err[-1000:])
        self.assertIn("interrupted", err)
        self.assertNotIn("AddressSanitizer", err)
        self.assertNotIn("LeakSanitizer", err)
        self.assertNotIn("runtime error", err)
        # Generous for a sanitizer build on a busy machine; `make bench`
        # shows the real figure.
        self.assertLess(took, 3.0)


if __name__ == "__main__":
    unittest.main()
