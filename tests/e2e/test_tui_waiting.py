"""End to end: the review screen while a model loads or thinks - the
status bar says so, and Esc still cancels at once."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_tui import TuiTest  # noqa: E402

BOGUS = json.dumps({"findings": [{"kind": "error", "message": "BOGUS"}]})


class WaitingScreenTest(TuiTest):
    def test_status_bar_waits_then_escape_cancels(self):
        self.srv.push(reply_file="clean.json", delay_headers=30)
        term = self.start("--stall-timeout", "1")
        screen = term.wait_for("waiting for the model (2 s)", timeout=20)
        self.assertNotIn("stalled", screen)
        t0 = time.monotonic()
        term.send("Escape")
        term.wait_for("cancelled", timeout=5)
        self.assertLess(time.monotonic() - t0, 2)
        self.quit()

    def test_status_bar_says_thinking(self):
        self.srv.push(reply_file="clean.json", reasoning=BOGUS * 8,
                      delta_chars=40, delay=0.02)
        term = self.start()
        term.wait_for("thinking\u2026", timeout=20)
        screen = term.wait_for("done in", timeout=30)
        self.assertIn("Findings 9", screen)
        self.assertNotIn("BOGUS", screen)
        self.quit()
