"""End to end: asking the tutor in the review screen (`a`), through each
provider of the fake LLM, on a real terminal (tmux)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import MODELS, PROVIDERS  # noqa: E402
from test_ask import HOSTILE, request_text  # noqa: E402
from test_tui import TuiTest  # noqa: E402
from tmuxterm import TmuxTerm  # noqa: E402

FIRST = "A frame belongs to a *call*: `fn` bodies get one each."
SECOND = "Blocks only end the scope of their variables."


class AskScreen(TuiTest):
    def open_review(self, provider="openai", width=80, height=24):
        """The seed note reviewed by provider (clean.json), done."""
        self.srv.push(reply_file="clean.json")
        argv = [self.bin, "review", "-p", provider, "-m", MODELS[provider],
                "-u", self.srv.url(provider), "--no-offline", "note.md"]
        self.term = TmuxTerm(argv, self.llm_env(provider), self.sb.work,
                             width, height)
        self.addCleanup(self.term.close)
        self.term.start()
        self.term.wait_for("done in", timeout=20)
        self.term.send("j")	# a finding on a line of the note
        self.term.wait_until(lambda s: " - line " in self.detail_title_any(),
                             what="a finding on a line")
        return self.term

    def ask(self, question):
        self.term.send("a")
        self.term.wait_for("Ask about this finding:")
        self.term.type(question)
        self.term.send("Enter")

    def check_follow_up(self, provider):
        term = self.open_review(provider)
        self.srv.push(reply=FIRST)
        self.ask("Why is that wrong?")
        term.wait_for("You asked: Why is that wrong?")
        screen = term.wait_for("bodies get one each")
        self.assertIn("A frame belongs to a call", screen)
        self.assertNotIn("*call*", screen, "emphasis shown raw")
        self.srv.push(reply=SECOND)
        self.ask("And blocks?")
        term.wait_for("You asked: And blocks?")
        term.wait_for("Blocks only end the")
        self.assertEqual(len(self.srv.requests), 3, self.srv.requests)
        first, follow = (request_text(r) for r in self.srv.requests[1:])
        self.assertIn("Why is that wrong?", first)
        self.assertNotIn("conversation so far", first)
        self.assertIn("conversation so far", follow)
        self.assertIn("Learner: Why is that wrong?", follow)
        self.assertIn("Tutor: " + FIRST, follow)
        self.assertIn("And blocks?", follow)
        self.quit()

    def test_openai_follow_up_carries_the_first_turn(self):
        self.check_follow_up("openai")

    def test_anthropic_follow_up_carries_the_first_turn(self):
        self.check_follow_up("anthropic")

    def test_ollama_follow_up_carries_the_first_turn(self):
        self.check_follow_up("ollama")

    def test_escape_cancels_the_streaming_answer_and_the_list_stays_live(self):
        term = self.open_review(width=120, height=40)
        title = self.detail_title_any()
        self.srv.push(reply=FIRST + " " + SECOND, hold_after=12,
                      delta_chars=4)
        self.ask("Why?")
        self.assertTrue(self.srv.held.wait(15), "the answer never started")
        term.wait_for("A frame")
        term.wait_for("Esc cancels")
        term.send("j")	# the list answers while the answer is held
        term.wait_until(lambda s: self.detail_title_any() != title,
                        what="the selection to move")
        term.send("k")
        term.wait_until(lambda s: self.detail_title_any() == title,
                        what="the selection to come back")
        term.send("Escape")
        term.wait_gone("Esc cancels")
        term.send("J", "J", "J", "J", "J", "J")	# down to the answer
        term.wait_for("Cancelled.")
        self.srv.release()
        term.send("Escape")	# again: the conversation closes
        term.wait_gone("You asked: Why?")
        self.quit()

    def test_hostile_answer_is_shown_not_obeyed(self):
        term = self.open_review()
        before = term.info("#{pane_title}")
        self.srv.push(reply=HOSTILE, delta_chars=3)
        self.ask("Why?")
        screen = term.wait_for("evil and")
        self.assertIn("Fine", screen)
        for bad in ("pwned", "payload", "\u202e"):
            self.assertNotIn(bad, screen)
        self.assertEqual(term.info("#{pane_title}"), before)
        self.quit()

    def test_offline_answer_without_llm(self):
        term = self.start(llm=False)
        term.wait_for("done in", timeout=20)
        term.send("j", "j", "j", "j", "j")
        self.ask("Why?")
        screen = term.wait_for("You asked: Why?")
        self.assertIn("Line ", screen)
        self.assertEqual(self.srv.requests, [])
        self.quit()

    def detail_title_any(self):
        """The detail pane's title row, at any size."""
        import re
        for line in self.term.lines():
            m = re.search(r"│ ((gap|incorrect|assumption|scope) - .*)", line)
            if m:
                return m.group(1).strip()
        return ""


if __name__ == "__main__":
    unittest.main()
