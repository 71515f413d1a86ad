#!/usr/bin/env python3
"""Run every tests/e2e/test_*.py and report in TAP, one line per test.

Usage: tests/e2e/run.py [PATTERN]   (PATTERN filters test ids, e.g. "tui")
"""
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.n = 0
        self.started = 0.0
        self.sub_failures = []   # (what, subtest id, traceback) of this test

    def startTest(self, test):
        super().startTest(test)
        self.started = time.monotonic()
        self.sub_failures = []

    def stopTest(self, test):
        # A test whose subtests failed gets neither addSuccess nor
        # addFailure: report it here, with every failing subtest.
        if self.sub_failures:
            self._line(False, test)
            for what, name, text in self.sub_failures:
                self._diag("%s: %s\n%s" % (what, name, text))
            self.sub_failures = []
        super().stopTest(test)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            what = "FAIL" if issubclass(err[0], test.failureException) \
                else "ERROR"
            self.sub_failures.append(
                (what, subtest.id(), self._exc_info_to_string(err, test)))

    def _line(self, ok, test, extra=""):
        self.n += 1
        took = time.monotonic() - self.started
        print("%s %d - %s (%.1fs)%s" % ("ok" if ok else "not ok", self.n,
                                        test.id(), took, extra), flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(True, test, " # SKIP %s" % reason)

    def _diag(self, text):
        for line in text.splitlines():
            print("#   " + line, flush=True)

    def _fail(self, test, err, what):
        self._line(False, test)
        self._diag("%s: %s" % (what, self._exc_info_to_string(err, test)))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._fail(test, err, "FAIL")

    def addError(self, test, err):
        super().addError(test, err)
        self._fail(test, err, "ERROR")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._line(True, test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._line(False, test)


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def main():
    sys.path.insert(0, HERE)
    pattern = sys.argv[1] if len(sys.argv) > 1 else ""
    loader = unittest.TestLoader()
    suite = loader.discover(HERE, pattern="test_*.py", top_level_dir=HERE)
    tests = [t for t in flatten(suite) if pattern in t.id()]
    result = TapResult()
    print("1..%d" % len(tests), flush=True)
    for t in tests:
        t(result)
    return 0 if result.wasSuccessful() and tests else 1


if __name__ == "__main__":
    sys.exit(main())
