"""Ctrl-C and SIGTERM during a review: a clean, prompt exit, nothing lost."""
import json
import signal
import time

from common import LLMTest


class Interrupt(LLMTest):
    def interrupt_stalled_review(self, sig, mode):
        # The server sends part of the reply, then nothing: rustnote waits
        # (stall timeout 60 s) until the signal arrives.
        self.srv.set_default({"reply_file": "clean.json", "fault": "stall",
                              "after_chars": 40})
        p = self.popen_review(mode, "--no-cache")
        # Wait until the server has sent its part and gone quiet.
        self.assertTrue(self.srv.stalled.wait(20),
                        "the reply never reached its stall")
        self.assertTrue(self.srv.requests, "no request reached the server")
        t0 = time.monotonic()
        p.send_signal(sig)
        rc = p.wait(timeout=10)
        took = time.monotonic() - t0
        err = p.stderr.read().decode()
        out = p.stdout.read().decode()
        return rc, took, out, err

    def test_ctrl_c_exits_130_at_once(self):
        rc, took, out, err = self.interrupt_stalled_review(signal.SIGINT,
                                                            "--plain")
        self.assertEqual(rc, 130, err)
        self.assertLess(took, 2.0)
        self.assertIn("interrupted", err)
        self.assertNotIn("AddressSanitizer", err)
        self.assertNotIn("LeakSanitizer", err)

    def test_sigterm_during_jsonl_keeps_offline_lines_whole(self):
        rc, took, out, err = self.interrupt_stalled_review(signal.SIGTERM,
                                                            "--jsonl")
        self.assertEqual(rc, 130, err)
        self.assertLess(took, 2.0)
        # Whatever was printed is whole JSON lines (offline findings).
        rows = [json.loads(l) for l in out.splitlines()]
        self.assertTrue(rows)
        self.assertTrue(all(r["type"] == "finding" and
                            r["source"] == "offline" for r in rows))
