"""The evaluation corpus stays usable: every key parses, names an overview
that exists, and quotes lines that are in its note."""
import importlib.util
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(os.path.dirname(HERE), "corpus")


def load_eval():
    spec = importlib.util.spec_from_file_location(
        "corpus_eval", os.path.join(CORPUS, "eval.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class CorpusKeys(unittest.TestCase):
    def test_every_key_is_valid(self):
        ev = load_eval()
        notes = 0
        for half in ("tuning", "heldout"):
            folder = os.path.join(CORPUS, half)
            for name in sorted(os.listdir(folder)):
                if not name.endswith(".md"):
                    continue
                notes += 1
                note = os.path.join(folder, name)
                with self.subTest(note=name):
                    key = ev.read_key(note[:-3] + ".key", ev.note_lines(note))
                    overview = os.path.join(folder, key["overview"])
                    self.assertTrue(os.path.isfile(overview), overview)
                    self.assertTrue(key["problems"] or key["complete"],
                                    "%s keys no problem and is not complete"
                                    % name)
        self.assertGreaterEqual(notes, 14)

    def test_a_bad_quote_is_refused(self):
        ev = load_eval()
        with self.assertRaises(ev.KeyError_):
            ev.locate(["one", "two"], "three", "here")
        with self.assertRaises(ev.KeyError_):
            ev.locate(["same", "same"], "same", "here")


if __name__ == "__main__":
    unittest.main()
