"""History across sessions: the review screen compares with the last
stored review, `rustnote history`, dismissals and an unusable database."""
import hashlib
import json
import os
import re
import sqlite3

from common import LLMTest, RustnoteTest, TEST_KEY, TEST_NOTES, rustnote_bin
from tmuxterm import TmuxTerm

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

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


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class HistoryCommand(HistoryTest):
    def history_json(self, note="note.md"):
        p = self.run_rn("history", "--json", note)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNoSanitizerReport(p)
        return json.loads(p.stdout)

    def test_review_edit_review_shows_what_was_resolved(self):
        self.assertEqual(self.history_json()["reviews"], [])
        p = self.run_rn("review", "--offline", "--json", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        self.fix_one()
        edited = digest(self.note)
        p = self.run_rn("review", "--offline", "--plain", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(digest(self.note), edited, "the note was written")
        h = self.history_json()
        self.assertEqual(h["note"], "note.md")
        first, second = h["reviews"]
        for r in (first, second):
            self.assertRegex(r["at"], ISO)
            self.assertEqual((r["source"], r["provider"], r["model"]),
                             ("offline", "offline", None))
        self.assertLessEqual(first["at"], second["at"])
        self.assertEqual(first["counts"], {"gap": 1, "incorrect": 3,
                                           "assumption": 2, "scope": 2})
        self.assertEqual((first["new"], first["persisting"],
                          first["resolved"]), (8, 0, 0))
        self.assertEqual(second["counts"]["incorrect"], 2)
        self.assertEqual((second["new"], second["persisting"],
                          second["resolved"]), (0, 7, 1))
        (gone,) = second["resolved_findings"]
        self.assertEqual(gone["kind"], "incorrect")
        self.assertEqual(gone["quote"], FIXED_LINE)
        # the same from another folder, by another name of the file
        sub = os.path.join(self.sb.work, "sub")
        os.makedirs(sub)
        p = self.run_rn("history", "--plain", "sub/../note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "sub/../note.md: 2 reviews")
        self.assertRegex(lines[2], r"^\d{4}-\d\d-\d\d \d\d:\d\d UTC  "
                         r"offline\s+gap 1 inc 2 asm 2 scp 2  0 new, "
                         r"7 persisting, 1 resolved$")

    def test_forget_deletes_the_note_history(self):
        for _ in range(2):
            p = self.run_rn("review", "--offline", "--plain", "note.md")
            self.assertEqual(p.returncode, 0, p.stderr)
        other = self.sb.copy_seed("other.md")
        self.run_rn("review", "--offline", "--plain", "other.md")
        p = self.run_rn("history", "--forget", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "note.md: history deleted (2 reviews)\n")
        self.assertEqual(self.history_json()["reviews"], [])
        self.assertEqual(len(self.history_json(other)["reviews"]), 1)
        # a note that is gone can still be forgotten
        os.unlink(other)
        p = self.run_rn("history", "--forget", "other.md")
        self.assertEqual(p.stdout, "other.md: history deleted (1 review)\n")

    def assertOneWarning(self, p, text):
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith("rustnote: history is off: "),
                        lines[0])
        self.assertIn(self.db, lines[0])
        self.assertIn(text, lines[0])
        self.assertIn("8 findings (offline)", p.stdout)

    def test_corrupt_database_one_warning_review_goes_on(self):
        os.makedirs(os.path.dirname(self.db))
        with open(self.db, "wb") as f:
            f.write(b"\x00garbage" * 1000)
        before = digest(self.db)
        p = self.run_rn("review", "--offline", "--plain", "note.md")
        self.assertOneWarning(p, "damaged")
        self.assertEqual(digest(self.db), before)
        p = self.run_rn("history", "note.md")
        self.assertEqual(p.returncode, 1)
        self.assertIn("damaged", p.stderr)

    def test_newer_database_one_warning_review_goes_on(self):
        os.makedirs(os.path.dirname(self.db))
        db = sqlite3.connect(self.db)
        db.execute("CREATE TABLE t (x)")
        db.execute("PRAGMA user_version = 99")
        db.commit()
        db.close()
        p = self.run_rn("review", "--offline", "--plain", "note.md")
        self.assertOneWarning(p, "newer rustnote")

    def test_locked_database_one_warning_review_goes_on(self):
        p = self.run_rn("review", "--offline", "--plain", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        db = sqlite3.connect(self.db, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        try:
            p = self.run_rn("review", "--offline", "--plain", "note.md")
        finally:
            db.execute("ROLLBACK")
            db.close()
        self.assertOneWarning(p, "locked")


class HistorySecrets(LLMTest):
    def test_llm_review_recorded_without_the_key(self):
        self.srv.push(reply_file="clean.json")
        p = self.review("--plain")
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.run_rn("history", "--json", "note.md")
        (r,) = json.loads(p.stdout)["reviews"]
        self.assertEqual((r["source"], r["provider"]), ("llm", "openai"))
        self.assertEqual(r["model"], "gpt-4o-mini")
        folder = os.path.join(self.sb.home, ".local", "share", "rustnote")
        names = os.listdir(folder)
        self.assertIn("history.db", names)
        for name in names:
            with open(os.path.join(folder, name), "rb") as f:
                self.assertNotIn(TEST_KEY.encode(), f.read())


class ManyNotes(RustnoteTest):
    def setUp(self):
        super().setUp()
        self.dir = os.path.join(self.sb.work, "path")
        src = os.path.join(TEST_NOTES, "offline")
        os.makedirs(os.path.join(self.dir, "deeper"))
        os.makedirs(os.path.join(self.dir, ".git"))
        for name in sorted(os.listdir(src)):
            dst = "deeper" if name.startswith("mixed") else ""
            with open(os.path.join(src, name)) as f:
                self.sb.write(os.path.join("path", dst, name), f.read())
        self.sb.write("path/.git/skip.md", "# not a note\n")
        self.notes = ["path/code-topics.md", "path/deeper/mixed.md",
                      "path/drop.md", "path/memory-prose.md",
                      "path/ownership.md"]

    def test_folder_as_json_array_in_path_order(self):
        p = self.run_rn("review", "--offline", "--json", "path")
        self.assertEqual(p.returncode, 0, p.stderr)
        docs = json.loads(p.stdout)
        self.assertEqual([d["note"] for d in docs], self.notes)
        for d in docs:
            self.assertEqual(d["provider"], "offline")
        # each one is recorded
        for note in self.notes:
            h = json.loads(self.run_rn("history", "--json", note).stdout)
            self.assertEqual(len(h["reviews"]), 1, note)

    def test_jsonl_lines_carry_the_note(self):
        p = self.run_rn("review", "--offline", "--jsonl", "path",
                        "path/drop.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = [json.loads(x) for x in p.stdout.splitlines()]
        done = [x["note"] for x in lines if x["type"] == "done"]
        self.assertEqual(done, self.notes + ["path/drop.md"])
        for x in lines:
            self.assertIn(x["note"], self.notes)
        self.assertTrue(any(x["type"] == "finding" for x in lines))

    def test_plain_and_a_bad_note_among_good_ones(self):
        self.sb.write("empty.md", "")
        p = self.run_rn("review", "--offline", "path/drop.md", "empty.md",
                        "path/ownership.md")
        self.assertEqual(p.returncode, 3)
        self.assertIn("empty.md", p.stderr)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        heads = [x for x in p.stdout.splitlines() if "findings" in x and
                 x.startswith("path/")]
        self.assertEqual(len(heads), 2, p.stdout)
        p = self.run_rn("review", "--offline", "--json", "path/drop.md",
                        "empty.md")
        docs = json.loads(p.stdout)
        self.assertEqual(docs[1]["note"], "empty.md")
        self.assertIn("empty", docs[1]["error"])
