"""Rules of the source tree that a reader relies on."""
import glob
import os
import subprocess
import unittest

from common import ROOT, rustnote_bin

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


def _nm(args):
    out = subprocess.run(["nm"] + args, capture_output=True, text=True,
                         check=True).stdout
    # "curl_easy_init@@CURL_OPENSSL_4" is curl_easy_init.
    return {line.split()[-1].split("@")[0] for line in out.splitlines()
            if line.strip() and not line.endswith(":")}


def _shared_libs(binary, names):
    """Paths of the shared libraries binary loads whose names start so."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True,
                         check=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "=>" and \
                parts[0].startswith(names):
            libs.append(parts[2])
    return libs


class CoreStandsAlone(unittest.TestCase):
    """src/core knows nothing of curl, curses, src/net or src/tui."""

    def test_core_objects_use_no_edge_symbol(self):
        binary = rustnote_bin()
        objs = os.path.join(os.path.dirname(binary), "src")
        core = glob.glob(os.path.join(objs, "core", "*.o"))
        edge = glob.glob(os.path.join(objs, "net", "*.o")) + \
            glob.glob(os.path.join(objs, "tui", "*.o"))
        self.assertGreater(len(core), 30, objs)
        self.assertGreater(len(edge), 10, objs)
        libs = _shared_libs(binary, ("libcurl", "libncurses", "libtinfo"))
        self.assertEqual(len(libs), 3, libs)
        forbidden = _nm(["-D", "--defined-only"] + libs)
        forbidden |= _nm(["-g", "--defined-only"] + edge)
        for name in ("curl_easy_init", "initscr", "llm_complete", "tui_run"):
            self.assertTrue(name in forbidden, name)
        # The edge objects do use these, so the check can see a breach.
        self.assertTrue("curl_easy_init" in _nm(["-u"] + edge))
        for obj in sorted(core):
            used = _nm(["-u", obj])
            with self.subTest(obj=os.path.basename(obj)):
                self.assertEqual(sorted(used & forbidden), [])
