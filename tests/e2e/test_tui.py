"""End to end: the full-screen review, driven through a real terminal (a
tmux pane, see tmuxterm.py) against the offline reviewer and the fake LLM.

The screen at 80x24: the note on the left (48 columns), a rule at column
48, findings above the detail on the right, the status bar on row 22 and
the key line on row 23.  A findings row reads "M KIND S LINE message":
M marks the state (+ new, = also before, check resolved, ~ probably fixed,
x dismissed), S the severity.
"""
import json
import os
import re
import sqlite3
import signal
import sys
import time
import unicodedata
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (LLMTest, MODELS, SEED_OVERVIEW, line_of,  # noqa: E402
                    read_reply, rustnote_bin)
from tmuxterm import TmuxTerm  # noqa: E402

FAKE_EDITOR = r"""#!/bin/sh
# Records its arguments, one per line, then (optionally) edits the file
# named by its last argument: drops the lines holding $FAKE_EDITOR_DELETE.
log=${FAKE_EDITOR_LOG:?}
for a in "$@"; do printf '%s\n' "$a"; done > "$log.tmp"
if [ -n "${FAKE_EDITOR_DELETE:-}" ]; then
	for f in "$@"; do :; done
	grep -v -F -e "$FAKE_EDITOR_DELETE" "$f" > "$f.new"
	cat "$f.new" > "$f"
	rm -f "$f.new"
fi
mv "$log.tmp" "$log"
exit "${FAKE_EDITOR_EXIT:-0}"
"""

# clean.json has 9 findings; in screen order (whole note first, then by
# line) they sit on lines 0, 8, 27, 35, 44, 48, 51, 58 and 67.
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
COLOUR_PARAMS = re.compile(r"^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$")


def display_width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.combining(c) else 1 for c in s)


def column_char(line, col):
    """The character drawn at display column col of a screen line."""
    x = 0
    for c in line:
        w = display_width(c)
        if x == col and w > 0:	# a combining mark belongs to the cell before
            return c
        x += w
        if x > col:
            return None
    return None


def row_re(kind, line):
    """A findings row of kind (3-letter tag) at note line (0 = whole)."""
    where = "all" if line == 0 else str(line)
    return re.compile(r"%s [HML]\s+%s " % (kind, where))


class TuiTest(LLMTest):
    """A review on a tmux terminal; self.term after start()."""

    def setUp(self):
        super().setUp()
        self.bin = rustnote_bin()
        self.editor_dir = os.path.join(self.sb.dir, "bin")
        os.makedirs(self.editor_dir)
        self.editor_log = os.path.join(self.sb.dir, "editor.log")
        self.term = None

    def fake_editor(self, name="vim"):
        path = os.path.join(self.editor_dir, name)
        with open(path, "w") as f:
            f.write(FAKE_EDITOR)
        os.chmod(path, 0o755)
        return path

    def start(self, *args, llm=True, note="note.md", width=80, height=24,
              wrap=False, **env):
        argv = [self.bin, "review"]
        if llm:
            argv += ["-p", "openai", "-m", MODELS["openai"], "-u",
                     self.srv.url("openai"), "--no-offline"]
            environ = self.llm_env(FAKE_EDITOR_LOG=self.editor_log, **env)
        else:
            environ = self.sb.env(FAKE_EDITOR_LOG=self.editor_log, **env)
        argv += list(args) + [note]
        if wrap:
            # a shell runs rustnote, then reports its status and the tty
            # (trap: Ctrl-C must not end the shell before it reports)
            argv = ["sh", "-c", 'trap : INT; "$0" "$@"; echo "EXIT=$?"; '
                    'stty -a; exec sleep 60'] + argv
        self.term = TmuxTerm(argv, environ, self.sb.work, width, height)
        self.addCleanup(self.term.close)
        self.term.start()
        return self.term

    def start_clean(self, **kw):
        self.srv.push(reply_file="clean.json")
        term = self.start(**kw)
        term.wait_for("done in", timeout=20)
        term.wait_for("Findings 9")
        return term

    def quit(self):
        self.term.send("q")
        status = self.term.wait_exit()
        screen = self.term.screen()
        self.assertNotIn("Sanitizer", screen)
        self.assertNotIn("runtime error", screen)
        self.assertEqual(status, 0, screen)

    def detail_title(self):
        return self.term.lines()[self.findings_bottom()].strip()

    def findings_bottom(self):
        """Row of the detail pane's title at 80x24."""
        for i, line in enumerate(self.term.lines()):
            if re.search(r"│ (gap|incorrect|assumption|scope) - ", line):
                return i
        return -1

    def note_rows(self, screen):
        """Note line numbers visible in the note pane, in order."""
        nums = []
        for line in screen.split("\n")[1:22]:
            m = re.match(r"\s*(\d+)", line)
            if m:
                nums.append(int(m.group(1)))
        return nums


TAGS = {"gap": "gap", "incorrect": "inc", "assumption": "asm",
        "scope": "scp"}


def detail_title_of(f):
    """The detail pane's title for finding f (as --json gives it)."""
    if f["line"] <= 0:
        where = "whole note"
    elif f.get("end_line", 0) > f["line"]:
        where = "lines %d-%d" % (f["line"], f["end_line"])
    else:
        where = "line %d" % f["line"]
    return "%s - %s - %s" % (f["kind"], f["severity"], where)


class Offline(TuiTest):
    def test_offline_review_on_screen(self):
        p = self.run_rn("review", "--json", "--offline", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        findings = json.loads(p.stdout)["findings"]
        self.assertTrue(findings, "the seed note should have findings")
        term = self.start(llm=False)
        screen = term.wait_for("done in", timeout=20)
        self.assertRegex(screen, r"(?m)^\s+1\S?\s+## Rust's memory model")
        self.assertRegex(screen, r"(?m)^\s+2\S?\s+### Stack vs heap")
        self.assertIn("Findings %d" % len(findings), screen)
        self.assertIn("| offline |", screen)
        for kind, tag in TAGS.items():
            n = sum(1 for f in findings if f["kind"] == kind)
            self.assertIn("%s %d" % (tag, n), screen)
        for f in findings[:12]:	# the rows that fit in the pane
            self.assertRegex(screen, r"%s %s\s+%s " % (
                TAGS[f["kind"]], f["severity"][0].upper(),
                f["line"] if f["line"] else "all"))
        # Step through every finding: the whole seed note passes through
        # the note pane, and the panes stay aligned at 80x24 throughout.
        # Each step waits until the next finding's details are shown.
        for f in findings[1:]:
            self.assertAligned(term.screen())
            term.send("j")
            term.wait_for("│ " + detail_title_of(f))
        self.assertAligned(term.screen())
        self.quit()

    def assertAligned(self, screen):
        lines = screen.split("\n")
        for i in range(0, 22):
            self.assertEqual(column_char(lines[i], 48), "│",
                             "row %d: %r" % (i, lines[i]))
        for line in lines:
            self.assertLessEqual(display_width(line), 80, line)


class Streaming(TuiTest):
    def test_findings_appear_before_the_stream_ends(self):
        self.srv.push(reply_file="clean.json", hold_after_finding=1)
        term = self.start()
        self.assertTrue(self.srv.held.wait(20), "the stream never started")
        screen = term.wait_until(lambda s: row_re("inc", 58).search(s),
                                 what="the first finding")
        self.assertIn("reviewing", screen)
        self.assertIn("Findings 1", screen)
        self.assertFalse(self.srv.release_event.is_set())
        term.send("?")	# keys are answered while the stream is held
        term.wait_for("Keys (")
        term.send("x")
        term.wait_gone("Keys (")
        self.srv.release()
        screen = term.wait_for("done in", timeout=20)
        self.assertIn("Findings 9", screen)
        self.quit()

    def test_escape_cancels_the_review(self):
        self.srv.push(reply_file="clean.json", hold_after_finding=1)
        term = self.start()
        self.assertTrue(self.srv.held.wait(20))
        term.wait_until(lambda s: row_re("inc", 58).search(s))
        term.send("Escape")
        screen = term.wait_for("cancelled", timeout=10)
        self.assertIn("Findings 1", screen)
        self.assertTrue(row_re("inc", 58).search(screen), screen)
        self.quit()	# nothing runs now: q quits without asking

    def test_quit_asks_while_a_review_runs(self):
        self.srv.push(reply_file="clean.json", hold_after_finding=1)
        term = self.start()
        self.assertTrue(self.srv.held.wait(20))
        term.send("q")
        term.wait_for("Quit anyway? (y/n)")
        term.send("n")
        term.wait_gone("Quit anyway?")
        self.assertFalse(term.dead())
        term.send("q")
        term.wait_for("Quit anyway? (y/n)")
        term.send("y")
        self.assertEqual(term.wait_exit(), 0, term.screen())

    def test_retry_notice_is_shown(self):
        reply = json.loads(read_reply("clean.json"))
        del reply["summary"]	# it would take the message line at the end
        self.srv.push(status=429, retry_after_ms=20)
        self.srv.push(reply=json.dumps(reply))
        term = self.start()
        screen = term.wait_for("done in", timeout=20)
        self.assertRegex(screen, r"rate limited.*retrying in")
        self.assertIn("Findings 9", screen)
        self.quit()

    def test_review_error_shows_in_status_and_r_retries(self):
        self.srv.push(status=401)
        term = self.start()
        screen = term.wait_for("error:", timeout=20)
        self.assertIn("review failed", screen)
        self.assertRegex(screen, r"(?m)^\s+1\S?\s+## Rust's memory model")
        self.srv.push(reply_file="clean.json")
        term.send("r")
        screen = term.wait_for("done in", timeout=20)
        self.assertIn("Findings 9", screen)
        self.assertNotIn("error:", screen)
        self.quit()


class Navigation(TuiTest):
    def test_keys_move_the_selection_and_the_note_follows(self):
        term = self.start_clean()
        screen = term.screen()
        self.assertIn("gap - high - whole note", screen)
        self.assertIn("Summary: A solid first picture", screen)
        self.assertEqual(self.note_rows(screen)[0], 1)
        term.send("Down")
        term.wait_for("assumption - medium - line 8")
        term.send("End")
        screen = term.wait_for("incorrect - medium - line 67")
        rows = self.note_rows(screen)
        self.assertIn(67, rows, "the note did not scroll to line 67")
        self.assertNotIn(1, rows)
        # the selected finding's line is highlighted (reverse video)
        sgr = term.screen(escapes=True).split("\n")
        line67 = [l for l in sgr if re.match(r"(\x1b\[[0-9;]*m)*\s*67", l)]
        self.assertTrue(line67 and "7m" in line67[0].split("│")[0],
                        "line 67 not highlighted")
        term.send("k")
        term.wait_for("incorrect - high - line 58")
        term.send("g")
        term.wait_for("gap - high - whole note")
        term.send("j", "j", "j")
        term.wait_for("scope - low - line 35")
        self.quit()

    def test_tab_scrolls_the_note_on_its_own(self):
        term = self.start_clean()
        term.send("Tab")
        term.send("PageDown")
        screen = term.wait_until(lambda s: self.note_rows(s)[0] > 1,
                                 what="the note to scroll")
        self.assertIn("gap - high - whole note", screen)
        first = self.note_rows(screen)[0]
        term.send("Down")
        term.wait_until(lambda s: self.note_rows(s)[0] == first + 1)
        term.send("Tab", "Down")
        term.wait_for("assumption - medium - line 8")
        self.quit()

    def test_filter_cycles_through_kinds(self):
        term = self.start_clean()
        for title in ("Findings 1 - only gap",
                      "Findings 3 - only incorrect",
                      "Findings 3 - only assumption",
                      "Findings 2 - only scope", "Findings 9"):
            term.send("f")
            screen = term.wait_for(title)
        self.assertNotIn("only", screen.split("\n")[0])
        self.quit()

    def test_search_scrolls_the_note_to_the_match(self):
        term = self.start_clean()
        target = line_of("**Fat pointer**")
        term.send("/")
        term.type("FAT POINTER")
        term.send("Enter")
        screen = term.wait_until(lambda s: target in self.note_rows(s),
                                 what="line %d in view" % target)
        term.send("n")
        term.wait_for("search wrapped around")
        term.send("/")
        term.type("no such words")
        term.send("Enter")
        term.wait_for("not found: no such words")
        self.quit()

    def test_dismiss_is_remembered_for_the_note(self):
        term = self.start_clean()
        term.send("d")
        screen = term.wait_for("dismissed for this note")
        self.assertNotRegex(screen, r"│x gap H\s+all ")	# hidden
        self.assertIn("Findings 8 (1 dismissed)", screen)
        self.assertIn("gap 0", screen)
        self.quit()
        # the learner's data: in the history database, not the cache
        db = sqlite3.connect(os.path.join(self.sb.home, ".local", "share",
                                          "rustnote", "history.db"))
        rows = db.execute("SELECT n.path, d.kind, d.hash FROM dismissals d"
                          " JOIN notes n ON n.id = d.note_id").fetchall()
        db.close()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], os.path.realpath(
            os.path.join(self.sb.work, "note.md")))
        self.assertEqual(rows[0][1], "gap")
        self.assertRegex(rows[0][2], r"^[0-9a-f]{16}$")
        self.assertFalse(os.path.exists(
            os.path.join(self.sb.cache, "rustnote", "dismissed")))
        self.term.close()
        term = self.start()	# the reply comes from the cache now
        screen = term.wait_for("done in", timeout=20)
        self.assertIn("Findings 8 (1 dismissed)", screen)
        term.send("D")
        screen = term.wait_for("Findings 9")
        self.assertRegex(screen, r"│x gap H\s+all ")
        term.send("Home", "d")
        term.wait_for("restored")
        self.quit()


class Editor(TuiTest):
    def wait_log(self, timeout=10):
        end = time.monotonic() + timeout
        while not os.path.exists(self.editor_log):
            if time.monotonic() > end:
                self.fail("the editor was not started; screen:\n"
                          + self.term.screen())
            time.sleep(0.05)
        with open(self.editor_log) as f:
            return f.read().split("\n")[:-1]

    def test_enter_opens_the_editor_at_the_line(self):
        term = self.start_clean(EDITOR=self.fake_editor("vim"))
        term.send("End", "k")
        term.wait_for("incorrect - high - line 58")
        term.send("Enter")
        self.assertEqual(self.wait_log(), ["+58", "note.md"])
        term.wait_for("note reloaded")
        self.assertIn("Findings 9", term.screen())
        self.assertEqual(term.info("#{alternate_on}"), "1")
        os.unlink(self.editor_log)
        term.send("Home")
        term.wait_gone("note reloaded")
        term.send("e")	# the whole-note finding opens line 1
        self.assertEqual(self.wait_log(), ["+1", "note.md"])
        term.wait_for("note reloaded")
        self.quit()

    def test_hostile_file_name_reaches_the_editor_as_one_argument(self):
        name = "my note $(touch pwned) `touch pwned2`.md"
        self.sb.copy_seed(name)
        for editor, want in (("vim", ["+1", name]),
                             ("code -w", ["-w", "-g", name + ":1"])):
            with self.subTest(editor=editor):
                if os.path.exists(self.editor_log):
                    os.unlink(self.editor_log)
                path = self.fake_editor(editor.split()[0])
                self.srv.push(reply_file="clean.json")
                value = path + editor[len(editor.split()[0]):]
                term = self.start(note=name, EDITOR=value)
                term.wait_for("done in", timeout=20)
                term.send("Home", "Enter")
                self.assertEqual(self.wait_log(), want)
                term.wait_for("note reloaded")
                self.quit()
                term.close()
        for root, _, files in os.walk(self.sb.dir):
            self.assertNotIn("pwned", files, root)
            self.assertNotIn("pwned2", files, root)

    def test_editor_failures_show_in_the_status_line(self):
        term = self.start_clean(EDITOR="/nonexistent/editor",
                                FAKE_EDITOR_EXIT="3")
        term.send("Enter")
        term.wait_for("cannot run the editor")
        self.assertRegex(term.screen(), r"(?m)^\s+1\S?\s+## Rust's memory")
        self.quit()
        term.close()
        self.srv.push(reply_file="clean.json")
        term = self.start(EDITOR=self.fake_editor("vim"),
                          FAKE_EDITOR_EXIT="3")
        term.wait_for("done in", timeout=20)
        term.send("Enter")
        term.wait_for("exited with status 3")
        self.quit()

    def test_edit_marks_fixed_then_review_resolves(self):
        quote = "Heap deallocation is explicit and deliberate"
        term = self.start_clean(EDITOR=self.fake_editor("vim"),
                                FAKE_EDITOR_DELETE=quote)
        term.send("End", "k")
        term.wait_for("incorrect - high - line 58")
        term.send("Enter")
        self.assertEqual(self.wait_log(), ["+58", "note.md"])
        screen = term.wait_for("1 finding probably fixed")
        self.assertIn("Probably fixed", screen)
        self.assertRegex(screen, r"│~ inc H was 58 ")
        # the finding below the deleted line moved up with its text
        self.assertTrue(row_re("inc", 66).search(screen), screen)
        with open(self.note) as f:
            self.assertNotIn(quote, f.read())
        # the next review no longer reports it, and reports a new one
        reply = json.loads(read_reply("clean.json"))
        reply["findings"] = [x for x in reply["findings"]
                             if not x["quote"].startswith(quote)]
        reply["findings"].append({
            "kind": "gap", "severity": "low", "quote": "", "line": 0,
            "topic": "Stack vs heap", "message": "Say where statics live.",
            "suggestion": "Add a line on static memory."})
        self.srv.push(reply=json.dumps(reply))
        term.send("r")
        screen = term.wait_until(
            lambda s: re.search(r"│\u2713 inc H was 58 ", s) and
            "done in" in s, timeout=20, what="the second review")
        self.assertRegex(screen, r"│\+ gap L\s+all ")
        self.assertRegex(screen, r"│= gap H\s+all ")
        self.assertIn("(+1 done)", screen)
        self.quit()


class Screen(TuiTest):
    def test_resize_lays_out_again(self):
        term = self.start_clean()
        self.assertEqual(column_char(term.lines()[5], 48), "│")
        term.resize(60, 20)
        screen = term.wait_until(lambda s: re.search(r"(?m)^ Findings 9", s),
                                 what="findings below the note")
        lines = screen.split("\n")
        self.assertFalse(any("│" in l for l in lines[:18]), screen)
        self.assertTrue(all(display_width(l) <= 60 for l in lines), screen)
        term.resize(200, 60)
        screen = term.wait_until(
            lambda s: len(s.split("\n")) >= 59 and
            column_char(s.split("\n")[3], 120) == "│", what="200x60")
        self.assertRegex(screen.split("\n")[0], r"│ Findings 9")
        term.resize(50, 12)
        term.wait_for("Terminal too small")
        term.resize(80, 24)
        term.wait_for("Findings 9")
        term.wait_gone("Terminal too small")
        self.quit()

    def test_wide_characters_keep_the_columns(self):
        text = "\n".join([
            "# 中文笔记 🦀 memory",
            "中文" * 40,
            "🦀" * 40,
            "┌→" * 60,
            "a中b文c" * 20,
            "e\u0301" * 60,
            "plain " * 20,
        ]) + "\n"
        self.sb.write("wide.md", text)
        with open(SEED_OVERVIEW) as f:
            self.sb.write("wide.overview.md", f.read())
        self.srv.push(reply='{"summary": "", "findings": [{"kind": "gap",'
                      ' "severity": "low", "quote": "", "line": 0,'
                      ' "message": "宽字符 🦀 ' + "x" * 200 + '"}]}')
        term = self.start(note="wide.md")
        screen = term.wait_for("done in", timeout=20)
        lines = screen.split("\n")
        for i in range(0, 22):
            self.assertEqual(column_char(lines[i], 48), "│",
                             "row %d: %r" % (i, lines[i]))
        for line in lines:
            self.assertLessEqual(display_width(line), 80, line)
        self.assertIn("中文中文", screen)
        self.assertIn("🦀🦀", screen)
        self.assertIn("┌→┌→", screen)
        self.quit()

    def test_no_color_uses_only_bold_and_reverse(self):
        term = self.start_clean(NO_COLOR="1")
        term.send("j")
        term.wait_for("assumption - medium - line 8")
        params = set()
        for m in SGR.finditer(term.screen(escapes=True)):
            params.update(p for p in re.split("[;:]", m.group(1)) if p)
        self.assertLessEqual(params, {"0", "1", "7", "22", "27", "39", "49"},
                             "colour or other attributes with NO_COLOR")
        self.assertIn("7", params)	# the selection is still visible
        self.quit()
        term.close()
        self.srv.push(reply_file="clean.json")
        term = self.start()
        term.wait_for("done in", timeout=20)
        colours = [p for m in SGR.finditer(term.screen(escapes=True))
                   for p in re.split("[;:]", m.group(1))
                   if COLOUR_PARAMS.match(p)]
        self.assertTrue(colours, "no colour without NO_COLOR")
        self.quit()

    def test_hostile_text_is_shown_not_obeyed(self):
        with open(self.note) as f:
            lines = f.read().split("\n")
        lines.insert(2, "Evil \x1b[2J\x1b]0;pwned\x07 line")
        with open(self.note, "w") as f:
            f.write("\n".join(lines))
        self.srv.push(reply_file="hostile.json")
        term = self.start()
        screen = term.wait_for("done in", timeout=20)
        self.assertIn("Evil ^[[2J^[]0;pwned^G line", screen)
        self.assertRegex(screen, r"(?m)^\s+1\S?\s+## Rust's memory model")
        self.assertNotEqual(term.info("#{pane_title}"), "pwned")
        term.send("End")
        screen = term.wait_for("incorrect - high - line 59")
        self.assertIn("Heap memory is freed", screen)
        self.assertNotEqual(term.info("#{pane_title}"), "pwned")
        self.assertEqual(term.info("#{alternate_on}"), "1")
        self.quit()


class Restore(TuiTest):
    """However rustnote ends, the shell gets a sane terminal back."""

    def assertRestored(self, screen):
        # the shell runs stty -a after printing the status
        screen = self.term.wait_for("speed")
        self.assertNotIn("Findings", screen, "still on the review screen")
        self.assertEqual(self.term.info("#{alternate_on}"), "0")
        flat = " ".join(screen.split())
        self.assertRegex(flat, r"(^|\s)icanon(\s|$)", "tty left raw")
        self.assertRegex(flat, r"(^|\s)echo(\s|$)", "tty left without echo")

    def rustnote_pid(self):
        shell = self.term.pane_pid()
        end = time.monotonic() + 10
        while time.monotonic() < end:
            path = "/proc/%d/task/%d/children" % (shell, shell)
            with open(path) as f:
                kids = f.read().split()
            if kids:
                return int(kids[0])
            time.sleep(0.05)
        self.fail("rustnote did not start")

    def test_q_restores_the_terminal(self):
        self.srv.push(reply_file="clean.json")
        term = self.start(wrap=True)
        term.wait_for("done in", timeout=20)
        term.send("q")
        screen = term.wait_for("EXIT=0")
        self.assertRestored(screen)

    def test_ctrl_c_quits_cleanly(self):
        self.srv.push(reply_file="clean.json", hold_after_finding=1)
        term = self.start(wrap=True)
        self.assertTrue(self.srv.held.wait(20))
        term.wait_for("Findings 1")
        term.send("C-c")
        screen = term.wait_for("EXIT=130")
        self.assertRestored(screen)

    def kill_after_review(self, sig, exited):
        """Send sig once a review is on screen; return the screen after
        the shell saw rustnote exit (exited: a regex on "EXIT=N")."""
        self.srv.push(reply_file="clean.json")
        term = self.start(wrap=True)
        term.wait_for("done in", timeout=20)
        os.kill(self.rustnote_pid(), sig)
        return term.wait_until(lambda s: re.search(exited, s),
                               what="the exit")

    def test_sigterm_restores_the_terminal(self):
        self.assertRestored(self.kill_after_review(signal.SIGTERM,
                                                   r"EXIT=143\b"))

    def test_sighup_restores_the_terminal(self):
        self.assertRestored(self.kill_after_review(signal.SIGHUP,
                                                   r"EXIT=129\b"))

    def test_crash_restores_the_terminal(self):
        self.assertRestored(self.kill_after_review(signal.SIGSEGV,
                                                   r"EXIT=[1-9]"))

if __name__ == "__main__":
    unittest.main()
