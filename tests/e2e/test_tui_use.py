"""End to end: the review screen in everyday use, each at 80x24 and at
120x40 - a note edited in another window, rows that tell findings apart,
long lines, fixed findings that keep their line, the keys people try
first, dismissed findings, what the review is, exit codes and editors.

Geometry: the note pane takes the left three fifths (the rule at column
48 at 80 wide, 72 at 120), the findings the top of the right side, the
detail below them; the status bar and the key line are the last two rows.
"""
import json
import os
import re
import signal
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import MODELS, line_of, read_reply  # noqa: E402
from test_tui import SGR, TuiTest, display_width  # noqa: E402
from tmuxterm import TmuxError  # noqa: E402

SIZES = ((80, 24), (120, 40))
CONT = "\u21aa"		# continuation mark of a wrapped line


def geometry(w, h):
    main = h - 2
    detail = min(max(main * 2 // 5, 6), 16)
    return {"sep": w * 3 // 5, "main": main, "findings": main - detail}


def squash(s):
    return re.sub(r"\s+", "", s)


class Panes:
    """The panes of one screen, as text."""

    def __init__(self, screen, w, h):
        g = geometry(w, h)
        self.lines = screen.split("\n")
        self.sep = g["sep"]
        body = self.lines[1:g["main"]]
        self.note = [cut(l, 0, self.sep) for l in body]
        self.findings = [cut(l, self.sep + 1, w).rstrip()
                         for l in self.lines[1:g["findings"]]]
        self.findings = [r for r in self.findings if r.strip()]
        self.detail_title = cut(self.lines[g["findings"]], self.sep + 1,
                                w).strip()

    def note_text(self):
        """The note pane's text without gutters, rows joined."""
        return " ".join(r[5:] for r in self.note)


def cut(line, a, b):
    """Display columns a..b of a screen line."""
    out, x = [], 0
    for c in line:
        cw = display_width(c)
        if a <= x < b or (cw == 0 and a < x <= b and out):
            out.append(c)
        x += cw
    return "".join(out)


class UseTest(TuiTest):
    def panes(self):
        return Panes(self.term.screen(), self.term.width, self.term.height)

    def each_size(self):
        """80x24, then 120x40, each on a terminal of its own."""
        for w, h in SIZES:
            yield w, h
            if self.term is not None:
                self.term.close()
                self.term = None

    def offline_findings(self):
        p = self.run_rn("review", "--json", "--offline", "note.md")
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)["findings"]


def title_of(f):
    kind, sev = f["kind"], f["severity"]
    if f["line"] == 0:
        return "%s - %s - whole note" % (kind, sev)
    if f["end_line"] > f["line"]:
        return "%s - %s - lines %d-%d" % (kind, sev, f["line"],
                                          f["end_line"])
    return "%s - %s - line %d" % (kind, sev, f["line"])


class SeedNote(UseTest):
    def test_every_row_distinct_and_every_quote_in_view(self):
        findings = self.offline_findings()
        self.assertGreaterEqual(len(findings), 8)
        for w, h in self.each_size():
            term = self.start(llm=False, width=w, height=h)
            term.wait_for("done in", timeout=20)
            rows = self.panes().findings
            self.assertEqual(len(rows), len(findings), rows)
            self.assertEqual(len(set(rows)), len(rows), rows)
            for i, f in enumerate(findings):
                if i > 0:
                    term.send("j")
                want = title_of(f)
                term.wait_until(lambda s: want in s, what=want)
                p = self.panes()
                self.assertEqual(len(set(p.findings)), len(p.findings),
                                 p.findings)
                self.assertIn(squash(f["quote"]), squash(p.note_text()),
                              "%s: quote not in view:\n%s" %
                              (want, "\n".join(p.note)))
            self.quit()

    def test_rows_show_the_quoted_words(self):
        for w, h in self.each_size():
            term = self.start(llm=False, width=w, height=h)
            term.wait_for("done in", timeout=20)
            rows = self.panes().findings
            self.assertTrue(any(re.search(r"scp M\s+27 &T$", r)
                                for r in rows), rows)
            self.assertTrue(any(re.search(r"scp M\s+35 &str, &\[T\]$", r)
                                for r in rows), rows)
            self.quit()

    def test_rows_alike_in_message_differ(self):
        msg = "Out of scope here: this mentions "
        reply = {"summary": "", "findings": [
            {"kind": "scope", "severity": "medium", "quote": "`&str`, `&[T]`",
             "line": 35, "message": msg + "raw pointers, for a later note."},
            {"kind": "scope", "severity": "medium", "quote": "`&T`",
             "line": 27, "message": msg + "references; the overview keeps "
             "them for later."},
            {"kind": "gap", "severity": "low", "quote": "", "line": 0,
             "topic": "What drop actually does", "message": msg}]}
        for w, h in self.each_size():
            self.srv.push(reply=json.dumps(reply))
            term = self.start("--no-cache", width=w, height=h)
            term.wait_for("done in", timeout=20)
            rows = self.panes().findings
            self.assertEqual(len(rows), 3, rows)
            self.assertEqual(len(set(rows)), 3, rows)
            self.assertTrue(any(re.search(r"scp M\s+35 &str, &\[T\]$", r)
                                for r in rows), rows)
            self.assertTrue(any(re.search(r"scp M\s+27 &T$", r)
                                for r in rows), rows)
            self.assertTrue(any("all What drop" in r for r in rows), rows)
            self.quit()


LONG = ("Padding words that only make this line long enough to wrap " * 3 +
        "and finally the stack frame is popped at every closing brace.")
FLAGGED = "the stack frame is popped at every closing brace"


class LongLines(UseTest):
    def setUp(self):
        super().setUp()
        with open(self.note) as f:
            lines = f.read().split("\n")
        lines.insert(5, LONG)
        with open(self.note, "w") as f:
            f.write("\n".join(lines))
        self.note_hash = None
        self.reply = json.dumps({"summary": "", "findings": [
            {"kind": "incorrect", "severity": "high", "quote": FLAGGED,
             "line": 6, "message": "Blocks do not pop frames."},
            {"kind": "gap", "severity": "low", "quote": "", "line": 0,
             "message": "Say what drop does."}]})

    def row_of_line(self, p, n):
        for i, r in enumerate(p.note):
            if re.match(r"\s*%d\D" % n, r):
                return i
        self.fail("line %d not in the note pane:\n%s" % (n, "\n".join(
            p.note)))

    def test_wrap_by_default_then_w_and_sideways(self):
        for w, h in self.each_size():
            self.srv.push(reply=self.reply)
            term = self.start(width=w, height=h)
            term.wait_for("done in", timeout=20)
            term.send("End")
            term.wait_for("incorrect - high - line 6")
            p = self.panes()
            i = self.row_of_line(p, 6)
            self.assertIn(CONT, p.note[i + 1][:5], p.note)
            self.assertNotRegex(p.note[i + 1][:5], r"\d")
            self.assertIn(squash(FLAGGED), squash(p.note_text()))
            self.assertNotIn("\u203a", "".join(p.note))
            term.send("w")
            term.wait_for("long lines cut")
            p = self.panes()
            row = p.note[self.row_of_line(p, 6)]
            self.assertIn("stack frame is popped", row)	# brought into view
            self.assertIn("\u2039", row)			# scrolled sideways
            term.send("h", *["Left"] * 15)	# half a pane each
            term.wait_until(lambda s: "\u2039" not in
                            Panes(s, w, h).note[self.row_of_line(
                                Panes(s, w, h), 6)], what="left edge")
            row = self.panes().note[self.row_of_line(self.panes(), 6)]
            self.assertIn("Padding words", row)
            self.assertTrue(row.rstrip().endswith("\u203a"), row)
            term.send("Right")
            term.wait_until(lambda s: "\u2039" in Panes(s, w, h).note[
                self.row_of_line(Panes(s, w, h), 6)], what="scrolled right")
            term.send("w")
            term.wait_for("long lines wrapped")
            self.assertIn(squash(FLAGGED), squash(self.panes().note_text()))
            self.quit()


class DiskChanges(UseTest):
    QUOTE = "Heap deallocation is explicit and deliberate"

    def edit_elsewhere(self):
        with open(self.note) as f:
            text = f.read()
        with open(self.note + ".new", "w") as f:
            f.write("\n".join(l for l in text.split("\n")
                              if self.QUOTE not in l))
        os.rename(self.note + ".new", self.note)	# as editors save
        self.note_hash = None

    def test_change_is_noticed_and_r_reviews_the_new_text(self):
        for w, h in self.each_size():
            self.sb.copy_seed()
            self.srv.reset()
            self.srv.push(reply_file="clean.json")
            term = self.start("--no-cache", width=w, height=h)
            term.wait_for("Findings 9", timeout=20)
            self.edit_elsewhere()
            screen = term.wait_for("note changed on disk \u2014 r reviews "
                                   "it")
            self.assertIn("/76", screen.split("\n")[0])	# not read yet
            reply = json.loads(read_reply("clean.json"))
            reply["findings"] = [x for x in reply["findings"]
                                 if not x["quote"].startswith(self.QUOTE)]
            self.srv.push(reply=json.dumps(reply), hold_after_finding=1)
            term.send("r")
            self.assertTrue(self.srv.held.wait(20))
            screen = term.wait_for("the note changed on disk; reviewing "
                                   "the new text (1 finding probably fixed)")
            self.assertIn("/75", screen.split("\n")[0])	# the new text
            body = json.dumps(self.srv.api_requests()[-1]["json"])
            self.assertNotIn(self.QUOTE, body)
            self.assertIn("Stack vs heap", body)
            self.srv.release()
            screen = term.wait_until(
                lambda s: "done in" in s and "reviewing" not in
                s.split("\n")[-3], timeout=20, what="the review")
            self.assertRegex(screen, r"│\u2713 inc H was 58 ")
            self.assertEqual(len(re.findall("\u2713", screen)), 1, screen)
            self.quit()


class FixedFindings(UseTest):
    def test_fixed_finding_keeps_its_line_and_enter_goes_there(self):
        quote = "Heap deallocation is explicit and deliberate"
        for w, h in self.each_size():
            self.sb.copy_seed()
            if os.path.exists(self.editor_log):
                os.unlink(self.editor_log)
            term = self.start_clean(width=w, height=h,
                                    EDITOR=self.fake_editor("vim"),
                                    FAKE_EDITOR_DELETE=quote)
            self.note_hash = None
            term.send("End", "k")
            term.wait_for("incorrect - high - line 58")
            term.send("Enter")
            screen = term.wait_for("1 finding probably fixed")
            self.assertRegex(screen, r"│~ inc H was 58 ")
            self.assertIn("Probably fixed", screen)
            os.unlink(self.editor_log)
            term.send("e")
            self.assertEqual(self.wait_editor(), ["+58", "note.md"])
            term.wait_for("note reloaded")
            self.quit()

    def wait_editor(self):
        import time
        end = time.monotonic() + 10
        while not os.path.exists(self.editor_log):
            self.assertLess(time.monotonic(), end, self.term.screen())
            time.sleep(0.05)
        with open(self.editor_log) as f:
            return f.read().split("\n")[:-1]


class Keys(UseTest):
    def test_half_pages_pages_and_b(self):
        for w, h in self.each_size():
            term = self.start_clean(width=w, height=h)
            rows = geometry(w, h)["main"] - 1
            term.send("w", "Tab")	# unwrapped, so rows are lines; the note
            for key, want in (("C-d", 1 + rows // 2), ("C-u", 1),
                              ("C-f", rows), ("b", 1), ("Space", rows),
                              ("C-b", 1)):
                term.send(key)
                term.wait_until(lambda s: self.note_top(s) == want,
                                what="%s: top %d" % (key, want))
            self.quit()

    def note_top(self, screen):
        m = re.match(r" note\.md  (\d+)-", screen)
        return int(m.group(1)) if m else -1

    def test_h_and_l_move_between_panes(self):
        for w, h in self.each_size():
            term = self.start_clean(width=w, height=h)
            term.send("h", "j")		# the note scrolls, not the list
            term.wait_until(lambda s: self.note_top(s) == 2, what="scroll")
            self.assertIn("gap - high - whole note", term.screen())
            term.send("l", "j")
            term.wait_for("assumption - medium - line 8")
            term.send("Left", "k")	# wrapped: ← is the note pane too
            term.wait_until(lambda s: self.note_top(s) >= 1 and
                            "assumption - medium - line 8" in s)
            term.send("Right", "j")
            term.wait_for("scope - low - line 27")
            self.quit()

    def test_search_counts_wraps_and_highlights_every_match(self):
        for w, h in self.each_size():
            term = self.start_clean(width=w, height=h)
            with open(self.note) as f:
                total = sum(1 for l in f if "heap" in l.lower())
            term.send("/")
            term.type("heap")
            term.send("Enter")
            term.wait_for("match 1/%d" % total)
            term.send("n")
            term.wait_for("match 2/%d" % total)
            term.send("N", "N")
            term.wait_for("match %d/%d; search wrapped around to the "
                          "bottom" % (total, total))
            term.send("n")
            term.wait_for("match 1/%d; search wrapped around to the top"
                          % total)
            sgr = term.screen(escapes=True).split("\n")
            lit = [l for l in sgr[1:geometry(w, h)["main"]]
                   if re.search(r"\x1b\[[0-9;]*m[Hh]eap", l)]
            self.assertGreaterEqual(len(lit), 2, "matches not highlighted")
            term.send("/")
            term.wait_until(lambda s: s.split("\n")[-2].startswith("/"),
                            what="the prompt")
            term.send("BSpace")		# empty: closes the prompt
            term.wait_until(lambda s: not s.split("\n")[-2].startswith("/"),
                            what="the prompt to close")
            term.send("j")		# keys work again
            term.wait_for("assumption - medium - line 8")
            self.quit()

    def test_help_lists_every_binding(self):
        src = os.path.join(os.path.dirname(__file__), "..", "..", "src",
                           "tui", "keymap.c")
        with open(src) as f:
            names = re.findall(r'^\s*\{ [^,]+, (?:true|false), "([^"]+)"',
                               f.read(), re.M)
        names = [n.encode("latin-1").decode("unicode_escape")
                 .encode("latin-1").decode("utf-8") for n in names]
        self.assertIn("Space", names)
        self.assertIn("F1", names)
        for w, h in self.each_size():
            term = self.start_clean(width=w, height=h)
            term.send("F1")
            seen = term.wait_for("Keys (")
            for _ in range(6):	# each page waited for, up to the last
                before = term.screen()
                term.send("PageDown")
                try:
                    seen += term.wait_until(lambda s: s != before, timeout=3,
                                            what="PageDown to turn")
                except TmuxError:
                    break
            for name in names:
                self.assertRegex(seen, r"(?<![\w-])%s(?![\w-])"
                                 % re.escape(name), name)
            self.assertIn("show or hide the dismissed findings", seen)
            self.assertIn("half a page down", seen)
            term.send("x")
            term.wait_gone("Keys (")
            self.quit()


class Dismissed(UseTest):
    def test_hidden_by_default_D_shows_them(self):
        for w, h in self.each_size():
            note = "note-%d.md" % w	# a note of its own: dismissals stay
            self.sb.copy_seed(note)
            self.srv.push(reply_file="clean.json")
            term = self.start(note=note, width=w, height=h)
            term.wait_for("Findings 9", timeout=20)
            term.send("j", "d")
            screen = term.wait_for("Findings 8 (1 dismissed)")
            self.assertNotRegex(screen, r"asm M\s+8 ")
            term.send("D")
            screen = term.wait_for("Findings 9")
            self.assertRegex(screen, r"│x asm M\s+8 ")
            term.send("D")
            term.wait_for("Findings 8 (1 dismissed)")
            self.quit()
            term.close()
            term = self.start(note=note, width=w, height=h)
            screen = term.wait_for("done in", timeout=20)
            self.assertIn("Findings 8 (1 dismissed)", screen)
            self.quit()


class WhatTheReviewIs(UseTest):
    def test_offline_says_so_and_how_to_go_deeper(self):
        for w, h in self.each_size():
            note = "first-%d.md" % w	# a note never reviewed before
            self.sb.copy_seed(note)
            term = self.start(llm=False, note=note, width=w, height=h)
            screen = term.wait_for("done in", timeout=20)
            last = screen.rstrip("\n").split("\n")[-1]
            self.assertIn("offline checks \u2014 set ANTHROPIC_API_KEY", last)
            self.assertIn("ollama", last)
            self.assertLessEqual(display_width(last), w)
            if w >= 120:
                self.assertIn("for a deeper review; see README", last)
            term.send("j")
            term.wait_for("scope - medium - line 27")
            want = "From: offline rule scope-references"
            self.assertIn(want, detail_text(self, want))
            self.quit()

    def test_llm_findings_name_provider_and_model(self):
        for w, h in self.each_size():
            term = self.start_clean(width=w, height=h)
            want = "From: openai %s" % MODELS["openai"]
            self.assertIn(want, detail_text(self, want))
            self.quit()


def detail_text(test, want):
    """The detail pane's text, scrolled through with J until it shows
    want or stops moving, rows joined.  Each J is waited for: a capture
    taken before the redraw would see the same rows twice and never the
    end of the text."""
    w = test.term.width
    g = geometry(w, test.term.height)

    def rows(screen):
        return [cut(r, g["sep"] + 2, w).strip()
                for r in screen.split("\n")[g["findings"] + 1:g["main"]]]

    seen = rows(test.term.screen())
    for _ in range(12):
        if want in " ".join(seen):
            break
        before = rows(test.term.screen())
        test.term.send("J")
        try:
            screen = test.term.wait_until(lambda s: rows(s) != before,
                                          timeout=3, what="J to scroll")
        except TmuxError:
            break	# the end of the text: J moves nothing
        seen += rows(screen)
    return " ".join(seen)


class ExitCodes(UseTest):
    def test_ctrl_c_130_and_sigterm_143(self):
        for w, h in self.each_size():
            for key, sig, want in (("C-c", None, 130),
                                   (None, signal.SIGTERM, 143)):
                self.srv.push(reply_file="clean.json")
                term = self.start(width=w, height=h, wrap=True)
                term.wait_for("done in", timeout=20)
                if key:
                    term.send(key)
                else:
                    import subprocess
                    pid = subprocess.run(
                        ["pgrep", "-P", str(term.pane_pid())],
                        capture_output=True, text=True).stdout.split()[0]
                    os.kill(int(pid), sig)
                term.wait_for("EXIT=%d" % want)
                term.close()


class Editors(UseTest):
    def test_unknown_editor_gets_plus_line(self):
        for w, h in self.each_size():
            if os.path.exists(self.editor_log):
                os.unlink(self.editor_log)
            term = self.start_clean(width=w, height=h,
                                    EDITOR=self.fake_editor("myedit"))
            term.send("End", "k")
            term.wait_for("incorrect - high - line 58")
            term.send("Enter")
            self.assertEqual(FixedFindings.wait_editor(self),
                             ["+58", "note.md"])
            term.wait_for("note reloaded")
            self.quit()

    def test_editor_line_from_the_config(self):
        cfg = os.path.join(self.sb.config, "rustnote")
        os.makedirs(cfg, exist_ok=True)
        with open(os.path.join(cfg, "config"), "w") as f:
            f.write("editor_line = {editor} --goto {file}:{line}\n")
        for w, h in self.each_size():
            if os.path.exists(self.editor_log):
                os.unlink(self.editor_log)
            term = self.start_clean(width=w, height=h,
                                    EDITOR=self.fake_editor("odd-editor"))
            term.send("End", "k")
            term.wait_for("incorrect - high - line 58")
            term.send("Enter")
            self.assertEqual(FixedFindings.wait_editor(self),
                             ["--goto", "note.md:58"])
            term.wait_for("note reloaded")
            self.quit()


class EmptyFilter(UseTest):
    def test_empty_filter_text_fits(self):
        reply = {"summary": "", "findings": [
            {"kind": "gap", "severity": "low", "quote": "", "line": 0,
             "topic": "What drop actually does", "message": "Say it."}]}
        want = "No finding of this kind; f shows the next kind."
        for w, h in self.each_size():
            self.srv.push(reply=json.dumps(reply))
            term = self.start("--no-cache", width=w, height=h)
            term.wait_for("done in", timeout=20)
            term.send("f", "f")
            term.wait_for("only incorrect")
            p = self.panes()
            self.assertEqual(" ".join(r.strip() for r in p.findings), want)
            for line in p.lines:
                self.assertLessEqual(display_width(line), w)
            self.quit()


if __name__ == "__main__":
    unittest.main()
