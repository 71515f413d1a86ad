"""The end-to-end runner itself: every failure names its test and shows
why, subtests included."""
import contextlib
import io
import unittest

import run


def _sample():
    """Made here, not at module level, so discovery does not run it."""
    class _Sample(unittest.TestCase):
        def test_subtests(self):
            for n in (1, 2, 3):
                with self.subTest(n=n):
                    self.assertNotEqual(n, 2, "two is refused")

        def test_subtest_error(self):
            with self.subTest(step="boom"):
                raise KeyError("missing-key")

        def test_passes(self):
            with self.subTest(n=1):
                self.assertTrue(True)
    return _Sample


def _run(name):
    result = run.TapResult()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        _sample()(name)(result)
    return result, out.getvalue()


class Runner(unittest.TestCase):
    def test_failing_subtest_is_reported_with_traceback(self):
        result, out = _run("test_subtests")
        self.assertFalse(result.wasSuccessful())
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^not ok 1 - .*_Sample\.test_subtests ")
        self.assertIn("FAIL: ", out)
        self.assertIn("(n=2)", out)
        self.assertNotIn("(n=1)", out)
        self.assertIn("two is refused", out)
        self.assertIn("Traceback", out)
        self.assertTrue(all(l.startswith("#   ") for l in lines[1:]), out)
        self.assertEqual(result.n, 1)

    def test_erroring_subtest_is_reported(self):
        result, out = _run("test_subtest_error")
        self.assertRegex(out, r"^not ok 1 - .*test_subtest_error")
        self.assertIn("ERROR: ", out)
        self.assertIn("step='boom'", out)
        self.assertIn("missing-key", out)

    def test_passing_subtests_give_one_ok_line(self):
        result, out = _run("test_passes")
        self.assertTrue(result.wasSuccessful())
        self.assertRegex(out, r"^ok 1 - .*test_passes \(\d+\.\ds\)\n$")
