"""Rules of the source tree that a reader relies on."""
import os
import unittest

from common import ROOT

MAX_LINES = 900


def sources():
    for folder in ("src", "include"):
        for base, _, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith((".c", ".h")):
                    yield os.path.join(base, name)


class Tree(unittest.TestCase):
    def test_no_file_over_900_lines(self):
        paths = list(sources())
        self.assertGreater(len(paths), 50)
        for path in paths:
            with open(path, encoding="utf-8") as f:
                n = sum(1 for _ in f)
            with self.subTest(file=os.path.relpath(path, ROOT)):
                self.assertLessEqual(n, MAX_LINES)
