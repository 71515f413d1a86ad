"""History across sessions: the review screen compares with the last
stored review, `rustnote history`, dismissals and an unusable database."""
import json
import os
import sqlite3

from common import RustnoteTest, rustnote_bin
from tmuxterm import TmuxTerm

FIXED_LINE = "Heap deallocation is explicit and deliberate (via `drop`)"


class HistoryTest(RustnoteTest):
    def setUp(self):
        super().setUp()
        self.note = self.sb.copy_seed()
        self.db = os.path.join(self.sb.home, ".local", "share", "rustnote",
                               "history.db")

    def fix_one(self):
        """Edit the note so that one offline finding goes away."""
        with open(self.note) as f:
            text = f.read()
        self.assertIn(FIXED_LINE, text)
        with open(self.note, "w") as f:
            f.write(text.replace(FIXED_LINE, "Heap memory is freed when its "
                                 "owner goes out of scope"))

    def screen_review(self, width=80, height=24):
        term = TmuxTerm([rustnote_bin(), "review", "--offline", "note.md"],
                        self.sb.env(), self.sb.work, width, height)
        self.addCleanup(term.close)
        term.start()
        return term


class ReviewScreen(HistoryTest):
    def test_second_session_says_what_changed(self):
        term = self.screen_review()
        screen = term.wait_for("done in", timeout=20)
        self.assertNotIn("since the last review", screen)
        term.send("q")
        self.assertEqual(term.wait_exit(), 0)
        term.close()
        self.fix_one()
        term = self.screen_review()
        screen = term.wait_for("since the last review (just now): 1 fixed, "
                               "0 new", timeout=20)
        # the resolved finding is shown, as in one session
        self.assertIn("+1 done", screen)
        term.send("q")
        self.assertEqual(term.wait_exit(), 0)
        db = sqlite3.connect(self.db)
        (n,) = db.execute("SELECT count(*) FROM reviews").fetchone()
        db.close()
        self.assertEqual(n, 2)

    def test_corrupt_database_warns_once_and_reviews(self):
        os.makedirs(os.path.dirname(self.db))
        with open(self.db, "w") as f:
            f.write("not a database\n" * 300)
        term = self.screen_review()
        screen = term.wait_for("done in", timeout=20)
        self.assertIn("history is off", screen)
        self.assertIn("Findings 8", screen)
        term.send("q")
        self.assertEqual(term.wait_exit(), 0)
        with open(self.db) as f:
            self.assertTrue(f.read().startswith("not a database"))
