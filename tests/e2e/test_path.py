"""Learning paths end to end: a curriculum file of many overviews, the
section chosen for a note in each of the ways (flag, front matter, file
name, first heading), the errors when none or two match, the file found in
a parent folder, the prompt naming the sections before and after, the
offline checks per section, and the section in --plain, --json and the
review screen.
"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (NOTES, ROOT, RustnoteTest, SEED_NOTE,  # noqa: E402
                    SEED_OVERVIEW, rustnote_bin)
from tmuxterm import TmuxTerm  # noqa: E402

SAMPLE_PATH = os.path.join(NOTES, "curriculum.md")
BAD_PATH = os.path.join(ROOT, "tests", "notes", "paths", "bad.md")
SECTION_2 = "section 2 of curriculum.md: Rust's Memory Model"


class PathTest(RustnoteTest):
    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.sb.work, "curriculum.md")
        shutil.copyfile(SAMPLE_PATH, self.path)

    def seed_as(self, name):
        dst = os.path.join(self.sb.work, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(SEED_NOTE, dst)
        return dst

    def chosen(self, *args):
        """The section line `rustnote prompt` prints, after checks."""
        p = self.run_rn("prompt", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNoSanitizerReport(p)
        lines = p.stdout.split("\n")
        self.assertEqual(lines[0], "=== section ===")
        self.assertEqual(lines[2], "=== system ===")
        return lines[1]

    def input_error(self, *args):
        p = self.run_rn("review", "--offline", "--plain", *args)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertNoSanitizerReport(p)
        lines = p.stderr.strip("\n").split("\n")
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertTrue(lines[0].startswith("rustnote: "), lines[0])
        return lines[0]


class ChoosingTheSection(PathTest):
    def test_flag_number(self):
        note = self.seed_as("02-memory.md")
        self.assertEqual(self.chosen("-o", "curriculum.md#4", note),
                         "section 4 of curriculum.md: Borrowing and "
                         "References (chosen by --overview)")

    def test_flag_anchor_and_words(self):
        note = self.seed_as("memory.md")
        self.assertEqual(
            self.chosen("--overview",
                        "curriculum.md#6-smart-pointers-ownership-on-the-heap",
                        note),
            "section 6 of curriculum.md: Smart Pointers (chosen by "
            "--overview)")
        self.assertEqual(self.chosen("-o", "curriculum.md#lifetimes", note),
                         "section 5 of curriculum.md: Lifetimes (chosen by "
                         "--overview)")

    def test_front_matter_file_and_section(self):
        note = self.sb.write("sub/any.md", "---\noverview: ../curriculum.md#3"
                             "\n---\n# Ownership\n\nOwners free values.\n")
        self.assertEqual(self.chosen(note), "section 3 of curriculum.md: "
                         "Ownership (chosen by the front matter)")
        note = self.sb.write("other.md", "---\nsection: 5\n---\n"
                             "# Rust's memory model\n\nText.\n")
        self.assertEqual(self.chosen(note), "section 5 of curriculum.md: "
                         "Lifetimes (chosen by the front matter)")

    def test_file_name_number(self):
        for name in ("02-memory.md", "2_memory.md", "ch02-memory.md"):
            note = self.sb.write(name, "# Some notes\n\nText.\n")
            self.assertEqual(self.chosen(note), SECTION_2 +
                             " (chosen by the note's file name)", name)

    def test_first_heading(self):
        # the seed note under a name without a number: its first heading,
        # "Rust's memory model", names section 2
        note = self.seed_as("memory-model.md")
        self.assertEqual(self.chosen(note),
                         SECTION_2 + " (chosen by the note's first heading)")

    def test_no_match_lists_the_sections(self):
        note = self.sb.write("traits.md", "# Traits\n\nShared behaviour.\n")
        err = self.input_error(note)
        self.assertIn("%s: which section of %s is this note? It has 6: "
                      % (note, self.path), err)
        for name in ("1. Why Rust", "2. Rust's Memory Model", "3. Ownership",
                     "4. Borrowing and References", "5. Lifetimes",
                     "6. Smart Pointers"):
            self.assertIn(name, err)
        self.assertIn("--overview %s#N" % self.path, err)
        self.assertIn("section: N", err)

    def test_missing_section(self):
        note = self.seed_as("02-memory.md")
        err = self.input_error("-o", "curriculum.md#9", note)
        self.assertIn("curriculum.md has no section '9'", err)
        err = self.input_error("-o", "curriculum.md#traits", note)
        self.assertIn("has no section 'traits'", err)

    def test_anchor_matching_two(self):
        shutil.copyfile(BAD_PATH, os.path.join(self.sb.work, "bad.md"))
        note = self.sb.write("n.md", "# n\n\ntext\n")
        err = self.input_error("-o", "bad.md#ownership", note)
        self.assertIn("bad.md#ownership matches 2 sections: 1. Ownership "
                      "basics (line 3), 2. Ownership and functions (line 10)",
                      err)
        err = self.input_error("-o", "bad.md#2", note)
        self.assertIn("bad.md#2 matches 2 sections", err)
        err = self.input_error("-o", "bad.md#3", note)
        self.assertIn("bad.md: section 3 (Summary so far) has no topics", err)

    def test_found_in_a_parent_folder(self):
        os.makedirs(os.path.join(self.sb.work, "repo", ".git"))
        shutil.move(self.path, os.path.join(self.sb.work, "repo",
                                            "curriculum.md"))
        note = self.seed_as("repo/notes/week1/02-memory.md")
        self.assertEqual(self.chosen(note),
                         SECTION_2 + " (chosen by the note's file name)")
        # without a repository root above, only the note's folder counts
        shutil.rmtree(os.path.join(self.sb.work, "repo", ".git"))
        err = self.input_error(note)
        self.assertIn("no overview for", err)
        self.assertIn("curriculum.md in its folder or a parent folder", err)


class SeedAgainstThePath(RustnoteTest):
    """The bundled sample: the seed note found through notes/curriculum.md."""

    def review_json(self, *args):
        p = self.run_rn("review", "--offline", "--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNoSanitizerReport(p)
        return json.loads(p.stdout)

    def test_same_findings_as_the_single_overview(self):
        by_path = self.review_json(SEED_NOTE)
        alone = self.review_json("-o", SEED_OVERVIEW, SEED_NOTE)
        self.assertEqual(by_path["overview"], SAMPLE_PATH)
        self.assertEqual(by_path["section"], SECTION_2)
        self.assertNotIn("section", alone)
        self.assertGreater(len(alone["findings"]), 0)
        self.assertEqual(by_path["findings"], alone["findings"])
        # no gap from another section of the path
        text = json.dumps(by_path["findings"]).lower()
        for other in ("zero-cost", "ownership rules", "borrowing rules",
                      "elision", "reference counting", "garbage collector"):
            self.assertNotIn(other, text)

    def test_plain_header_names_the_section(self):
        p = self.run_rn("review", "--offline", "--plain", SEED_NOTE)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.split("\n")
        self.assertTrue(lines[0].startswith(SEED_NOTE + ": "), lines[0])
        self.assertEqual(lines[1], SECTION_2)
        p = self.run_rn("review", "--offline", "--plain", "-o",
                        SEED_OVERVIEW, SEED_NOTE)
        self.assertNotIn("section 2 of", p.stdout)

    def test_prompt_names_earlier_and_later_sections(self):
        p = self.run_rn("prompt", SEED_NOTE)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        self.assertTrue(out.startswith("=== section ===\n" + SECTION_2 +
                                       " (chosen by the note's file name)\n"))
        user = out.split("=== user ===\n", 1)[1]
        overview, rest = user.split("# Where this note stands", 1)
        # the overview is the section's own text, nothing of the others
        self.assertIn("one deallocator", overview)
        self.assertNotIn("Zero-cost", overview)
        self.assertNotIn("ownership rules", overview)
        curriculum, note = rest.split("# The learner's note", 1)
        self.assertIn("This note is section 2: Rust's Memory Model (No "
                      "Ownership Yet).", curriculum)
        before, after = curriculum.split("Sections that come after", 1)
        self.assertIn("- 1. Why Rust? (Before Any Code): Memory safety "
                      "without a garbage collector; Zero-cost abstractions",
                      before)
        self.assertIn("may be taken as known", before)
        self.assertNotIn("- 3.", before)
        for sec in ("- 3. Ownership (The Laws): The three ownership rules",
                    "- 4. Borrowing and References:", "- 5. Lifetimes:",
                    "- 6. Smart Pointers (Ownership on the Heap):"):
            self.assertIn(sec, after)
        self.assertIn("not to be taught in this", curriculum)
        self.assertNotIn("- 1.", after)
        self.assertIn("02-memory-model.md, with line numbers", note)

    def test_single_overview_prompt_has_no_curriculum(self):
        p = self.run_rn("prompt", "-o", SEED_OVERVIEW, SEED_NOTE)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("=== system ===\n"))
        self.assertNotIn("learning path", p.stdout)
        self.assertNotIn("{{curriculum}}", p.stdout)


class OfflineChecksPerSection(PathTest):
    def findings(self, note, *args):
        p = self.run_rn("review", "--offline", "--json", *args, note)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNoSanitizerReport(p)
        return json.loads(p.stdout)["findings"]

    def test_coverage_asks_only_for_the_section(self):
        note = self.sb.write("03-ownership.md", "# Ownership\n\n"
                             "Each value has one owner at a time.\n")
        # each missing topic is its own gap, under its title as parsed
        section_3 = {"The three ownership rules",
                     "Moves: what is copied and what becomes unusable",
                     "Moves", "Copy vs Clone",
                     "Drop order at the end of a scope",
                     "Ownership across function calls (passing and "
                     "returning values)", "Ownership across function calls"}
        gaps = [f["topic"] for f in self.findings(note)
                if f["kind"] == "gap"]
        self.assertIn("The three ownership rules", gaps)
        self.assertFalse(set(gaps) - section_3, gaps)
        # the same note against the seed's section: its topics instead
        gaps = [f["topic"] for f in self.findings(note, "-o",
                                                  "curriculum.md#2")
                if f["kind"] == "gap"]
        self.assertIn("Stack vs heap", gaps)
        self.assertFalse(set(gaps) & section_3, gaps)

    def test_later_sections_are_low_scope(self):
        note = self.sb.write("02-memory.md", "# Rust's memory model\n\n"
                             "## Stack vs heap\n\n"
                             "An `Rc<T>` counts how many owners share the "
                             "heap value and frees it with the last one.\n\n"
                             "Smart pointers come in a later note.\n\n"
                             "Stack frames have lifetimes too.\n")
        scope = [f for f in self.findings(note) if f["kind"] == "scope"]
        later = [f for f in scope
                 if f["topic"] == "Smart Pointers (Ownership on the Heap)"]
        self.assertEqual(len(later), 1, scope)
        self.assertEqual(later[0]["severity"], "low")
        self.assertEqual(later[0]["line"], 5)
        self.assertIn("later section of the learning path",
                      later[0]["message"])
        # named as coming later: no finding; lifetimes: section 2 asks
        self.assertFalse([f for f in scope if f["line"] in (8, 10)], scope)
        # the same note against its own outline alone: no later sections
        alone = self.findings(note, "-o", SEED_OVERVIEW)
        self.assertFalse([f for f in alone if f["severity"] == "low" and
                          f["kind"] == "scope"])


class ReviewScreen(PathTest):
    def test_status_bar_names_the_section(self):
        note = self.seed_as("02-memory-model.md")
        term = TmuxTerm([rustnote_bin(), "review", "--offline", note],
                        self.sb.env(), self.sb.work, 140, 24)
        self.addCleanup(term.close)
        term.start()
        # the review over: a q during it asks first (Quit anyway?)
        term.wait_for("done in", timeout=20)
        status = [ln for ln in term.screen().split("\n")
                  if "02-memory-model.md |" in ln]
        self.assertEqual(len(status), 1, term.screen())
        self.assertIn("02-memory-model.md | " + SECTION_2 + " | offline",
                      status[0])
        term.send("q")
        self.assertEqual(term.wait_exit(), 0)

    def test_status_bar_at_80_columns(self):
        # no room for the whole label: the short one takes the note's
        # name's place (the note pane's header shows the name)
        note = self.seed_as("02-memory-model.md")
        term = TmuxTerm([rustnote_bin(), "review", "--offline", note],
                        self.sb.env(), self.sb.work, 80, 24)
        self.addCleanup(term.close)
        term.start()
        term.wait_for("done in", timeout=20)	# the progress is shorter
        rows = term.screen().split("\n")
        self.assertIn("02-memory-mode", rows[0])
        status = [r for r in rows if " | offline | " in r]
        self.assertEqual(len(status), 1, rows)
        self.assertTrue(status[0].startswith(" section 2: Rust's Memory "),
                        status[0])
        self.assertRegex(status[0], r"gap \d+ inc \d+ asm \d+ scp \d+ *$")
        term.send("q")
        self.assertEqual(term.wait_exit(), 0)

    def test_review_again_reads_the_section_again(self):
        note = self.seed_as("02-memory-model.md")
        term = TmuxTerm([rustnote_bin(), "review", "--offline", note],
                        self.sb.env(), self.sb.work, 140, 30)
        self.addCleanup(term.close)
        term.start()
        term.wait_for("done in", timeout=20)	# r waits for the review
        self.assertNotIn("Kernel threads", term.screen())
        # a new section 2 before it, and a new topic in it
        with open(self.path) as f:
            text = f.read()
        text = text.replace(
            "* Why heap memory must have **one deallocator**\n",
            "* Why heap memory must have **one deallocator**\n"
            "* Kernel threads\n")
        text = text.replace("## 2. Rust", "## 1b. Setup\n\n**Purpose:** "
                            "install.\n\nWrite about:\n\n* Garbage "
                            "collectors\n\n## 2. Rust")
        with open(self.path, "w") as f:
            f.write(text)
        term.send("r")
        term.wait_for("Kernel threads", timeout=20)
        screen = term.wait_for("done in", timeout=20)
        self.assertIn(SECTION_2, screen)
        self.assertNotIn("Garbage collectors", screen)
        term.send("q")
        self.assertEqual(term.wait_exit(), 0)
