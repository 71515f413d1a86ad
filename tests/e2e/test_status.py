"""`rustnote status`: a folder's notes on their learning path, as JSON and
as a table, before and after reviews; the learning-path view in tmux."""
import json
import os
import re
import shutil
import subprocess

from common import NOTES, RustnoteTest, SEED_NOTE, rustnote_bin
from tmuxterm import TmuxTerm

CURRICULUM = os.path.join(NOTES, "curriculum.md")
FIXED_LINE = "Heap deallocation is explicit and deliberate (via `drop`)"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class StatusTest(RustnoteTest):
    """work/path/: the sample curriculum, the seed note as 02-memory.md
    (section 2 by its file name) and a note of no section."""

    def setUp(self):
        super().setUp()
        self.dir = os.path.join(self.sb.work, "path")
        os.makedirs(self.dir)
        shutil.copyfile(CURRICULUM, os.path.join(self.dir, "curriculum.md"))
        self.note = os.path.join(self.dir, "02-memory.md")
        shutil.copyfile(SEED_NOTE, self.note)
        self.sb.write("path/shopping.md", "# Groceries\n\nMilk, eggs, "
                      "bread and a bag of apples.\n")

    def status_json(self, *args):
        p = self.run_rn("status", "--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNoSanitizerReport(p)
        return json.loads(p.stdout)

    def fix_one(self):
        with open(self.note) as f:
            text = f.read()
        with open(self.note, "w") as f:
            f.write(text.replace(FIXED_LINE, "Heap memory is freed when its "
                                 "owner goes out of scope"))


class StatusCommand(StatusTest):
    def test_json_before_and_after_reviews(self):
        s = self.status_json("path")
        self.assertEqual(s["overview"], "path/curriculum.md")
        self.assertEqual([x["number"] for x in s["sections"]],
                         [1, 2, 3, 4, 5, 6])
        self.assertIn("Memory Model", s["sections"][1]["title"])
        self.assertEqual(s["sections"][1]["notes"], ["path/02-memory.md"])
        for k in (0, 2, 3, 4, 5):
            self.assertEqual(s["sections"][k]["notes"], [])
        notes = {n["path"]: n for n in s["notes"]}
        self.assertEqual(sorted(notes), ["path/02-memory.md",
                                         "path/shopping.md"])
        self.assertEqual(notes["path/02-memory.md"]["section"], 2)
        self.assertEqual(notes["path/02-memory.md"]["title"],
                         "Rust's memory model")
        self.assertIsNone(notes["path/shopping.md"]["section"])
        self.assertEqual(notes["path/shopping.md"]["title"], "Groceries")
        for n in notes.values():
            self.assertIsNone(n["last_review"])
        for _ in range(2):
            p = self.run_rn("review", "--offline", "--json", self.note)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.fix_one()
        counts = {"gap": 0, "incorrect": 0, "assumption": 0, "scope": 0}
        for f in json.loads(p.stdout)["findings"]:
            counts[f["kind"]] += 1
        s = self.status_json("path")
        notes = {n["path"]: n for n in s["notes"]}
        last = notes["path/02-memory.md"]["last_review"]
        self.assertRegex(last["at"], ISO)
        self.assertEqual(last["counts"], counts)
        self.assertGreater(counts["incorrect"], 0)
        self.assertEqual(last["resolved"], 1)
        self.assertIsNone(notes["path/shopping.md"]["last_review"])
        # the history keeps the section each review was made against
        p = self.run_rn("history", "--json", self.note)
        self.assertEqual([r["section"] for r in
                          json.loads(p.stdout)["reviews"]], ["2", "2"])

    def test_plain_table_in_a_pipe_for_the_current_folder(self):
        p = self.run_rn("review", "--offline", "--json", self.note)
        c = {"gap": 0, "incorrect": 0, "assumption": 0, "scope": 0}
        for f in json.loads(p.stdout)["findings"]:
            c[f["kind"]] += 1
        p = subprocess.run(
            [rustnote_bin(), "status"], cwd=self.dir, env=self.sb.env(),
            capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "Learning path: curriculum.md")
        self.assertRegex(lines[1], r"^  #  section\s+note\s+gap inc asm "
                         r"scp  reviewed$")
        self.assertRegex(lines[2], r"^  1  Why Rust\? .*not written yet$")
        self.assertRegex(lines[3], r"^  2  Rust's Memory Model .* "
                         r"02-memory\.md\s+%d\s+%d\s+%d\s+%d  just now$"
                         % (c["gap"], c["incorrect"], c["assumption"],
                            c["scope"]))
        self.assertRegex(lines[-1], r"^  -  Groceries\s+shopping\.md\s+"
                         r"not reviewed$")
        self.assertEqual(len(lines), 2 + 6 + 1)

    def test_folder_without_a_path(self):
        os.unlink(os.path.join(self.dir, "curriculum.md"))
        s = self.status_json("path")
        self.assertIsNone(s["overview"])
        self.assertEqual(s["sections"], [])
        self.assertEqual([n["section"] for n in s["notes"]], [None, None])

    def test_missing_folder(self):
        p = self.run_rn("status", "nowhere")
        self.assertEqual(p.returncode, 3)
        self.assertIn("nowhere", p.stderr)


class PathView(StatusTest):
    def test_list_open_a_note_back_and_quit(self):
        term = TmuxTerm([rustnote_bin(), "status", "--offline", "path"],
                        self.sb.env(), self.sb.work, 80, 24)
        self.addCleanup(term.close)
        term.start()
        screen = term.wait_for("Enter open")
        lines = screen.splitlines()
        self.assertIn("curriculum.md: 6 sections, 1 with a note, 0 of 2",
                      lines[0])
        self.assertRegex(lines[2], r"^  1 · Why Rust.*not written yet$")
        self.assertRegex(lines[3], r"^  2 ○ Rust's Memory Model\s+"
                         r"02-memory\.md\s+not reviewed$")
        self.assertRegex(lines[8], r"^  - ○ Groceries\s+shopping\.md")
        for line in lines:
            self.assertLessEqual(len(line), 80)
        term.send("j", "Enter")
        screen = term.wait_for("done in", timeout=20)
        # the review screen of that note, against its section of the path
        self.assertIn("path/02-memory.md ", screen)
        self.assertRegex(screen, r"section 2\b.*\| offline \|")
        self.assertRegex(screen, r"Findings \d+")
        term.send("q")
        screen = term.wait_for("Enter open")
        self.assertRegex(screen.splitlines()[3],
                         r"^  2 ◐ Rust's Memory Model\s+02-memory\.md\s+"
                         r"(\s*\d+){4}  just now$")
        self.assertIn("1 of 2 notes reviewed", screen)
        # / finds a row, r reviews its note offline in place
        # a note of no section cannot be reviewed: said on the keys line
        term.send("/")
        term.type("groceries")
        term.send("Enter")
        term.send("r")
        term.wait_for("shopping.md: which section")
        term.send("/")
        term.type("02-mem")
        term.send("Enter")
        term.send("r")
        screen = term.wait_for("02-memory.md: 8 findings offline; 0 fixed, "
                               "0 new")
        self.assertIn("1 of 2 notes reviewed", screen)
        term.send("q")
        self.assertEqual(term.wait_exit(), 0)
