"""The command line: usage errors, input errors, overview lookup, prompt,
offline review output, install."""
import hashlib
import json
import os
import subprocess
import tempfile

from common import ROOT, RustnoteTest, rustnote_bin, SEED_OVERVIEW


class Usage(RustnoteTest):
    def test_help_and_version(self):
        p = self.run_rn("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("usage: rustnote review|prompt", p.stdout)
        self.assertIn("--jsonl", p.stdout)
        p = self.run_rn("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^rustnote \d+\.\d+\.\d+\n$")

    def assertUsageError(self, p, text):
        self.assertEqual(p.returncode, 2, p.stderr)
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 2, p.stderr)
        self.assertIn(text, lines[0])
        self.assertTrue(lines[1].startswith("usage: rustnote"))
        self.assertEqual(p.stdout, "")

    def test_unknown_option(self):
        self.assertUsageError(self.run_rn("review", "--colour", "x.md"),
                              "unknown option '--colour'")

    def test_missing_option_value(self):
        self.assertUsageError(self.run_rn("review", "x.md", "--model"),
                              "option '--model' needs a value")

    def test_missing_note_argument(self):
        self.assertUsageError(self.run_rn("review"), "missing NOTE.md")

    def test_unknown_command(self):
        self.assertUsageError(self.run_rn("revue", "x.md"),
                              "unknown command 'revue'")

    def test_bad_stall_timeout(self):
        self.assertUsageError(
            self.run_rn("review", "--stall-timeout", "soon", "x.md"),
            "--stall-timeout")

    def test_out_of_range_numbers_are_refused_everywhere(self):
        # Flag, environment and file share one table: same bounds, same
        # words, overflow included.
        for value in ("100000", "99999999999999999999"):
            with self.subTest(value=value):
                self.assertUsageError(
                    self.run_rn("review", "--stall-timeout", value, "x.md"),
                    "--stall-timeout: '%s' is out of range (1 to 3600)"
                    % value)
                p = self.run_rn("config", env=self.sb.env(
                    RUSTNOTE_STALL_TIMEOUT=value))
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(p.stderr, "rustnote: RUSTNOTE_STALL_TIMEOUT:"
                                 " '%s' is out of range (1 to 3600)\n" % value)
                cfg = self.sb.write("cfg", "# mine\nstall_timeout = %s\n"
                                    % value)
                p = self.run_rn("config", "--config", cfg)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertEqual(p.stderr, "rustnote: %s:2: stall_timeout: "
                                 "'%s' is out of range (1 to 3600)\n"
                                 % (cfg, value))

    def test_unknown_provider(self):
        note = self.sb.copy_seed()
        p = self.run_rn("review", "--provider", "gemini", note)
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown provider 'gemini'", p.stderr)


class InputErrors(RustnoteTest):
    def assertInputError(self, path, cause):
        p = self.run_rn("review", "--plain", path)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        self.assertIn(path, p.stderr)
        self.assertIn(cause, p.stderr)
        self.assertNoSanitizerReport(p)

    def test_missing_file(self):
        self.assertInputError("nope.md", "no such file")

    def test_directory(self):
        os.mkdir(os.path.join(self.sb.work, "dir.md"))
        self.assertInputError("dir.md", "is a directory")

    def test_empty(self):
        self.sb.write("empty.md", "")
        self.assertInputError("empty.md", "empty")

    def test_binary(self):
        self.sb.write("bin.md", b"# x\n\x00\x01\x02", mode="wb")
        self.assertInputError("bin.md", "NUL")

    def test_invalid_utf8_names_the_line(self):
        self.sb.write("latin1.md", b"# Notes\n\nok\ncaf\xe9\n", mode="wb")
        self.assertInputError("latin1.md", "line 4")

    def test_too_large(self):
        self.sb.write("big.md", "# big\n" + "x" * (1 << 20) + "\n")
        self.assertInputError("big.md", "larger than")

    def test_no_overview_lists_the_options(self):
        self.sb.write("alone.md", "# Alone\n\nSome text.\n")
        p = self.run_rn("review", "--plain", "alone.md")
        self.assertEqual(p.returncode, 3)
        self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)
        for option in ("--overview", "overview:", "alone.overview.md",
                       "overview.md"):
            self.assertIn(option, p.stderr)

    def test_bad_overview(self):
        self.sb.copy_seed("n.md", overview=False)
        self.sb.write("empty-ovw.md", "")
        p = self.run_rn("review", "--plain", "-o", "empty-ovw.md", "n.md")
        self.assertEqual(p.returncode, 3)
        self.assertIn("empty-ovw.md", p.stderr)


class OverviewLookup(RustnoteTest):
    def overview_of(self, *args):
        p = self.run_rn("review", "--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)["overview"]

    def test_beside_the_note(self):
        self.sb.copy_seed("topic.md")
        self.assertTrue(self.overview_of("topic.md").endswith(
            "topic.overview.md"))

    def test_overview_md_in_folder(self):
        self.sb.copy_seed("topic.md", overview=False)
        with open(SEED_OVERVIEW) as f:
            self.sb.write("overview.md", f.read())
        self.assertTrue(self.overview_of("topic.md").endswith("overview.md"))

    def test_front_matter_beats_files_and_flag_beats_all(self):
        with open(SEED_OVERVIEW) as f:
            text = f.read()
        self.sb.write("outlines/mm.md", text)
        self.sb.write("other.md", text)
        self.sb.write("fm.overview.md", text)
        self.sb.write("fm.md", "---\noverview: outlines/mm.md\n---\n"
                      "## Stack vs heap\nThe stack holds frames.\n")
        self.assertTrue(self.overview_of("fm.md").endswith("outlines/mm.md"))
        self.assertEqual(self.overview_of("-o", "other.md", "fm.md"),
                         "other.md")


class Prompt(RustnoteTest):
    def test_prompt_has_role_goal_overview_and_numbered_note(self):
        note = self.sb.copy_seed()
        p = self.run_rn("prompt", note)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("=== system ===", p.stdout)
        self.assertIn("=== user ===", p.stdout)
        self.assertIn("experienced Rust developer", p.stdout)
        self.assertIn("Do **not** mention borrow checker", p.stdout)
        self.assertIn(" 3 | Data is stored either on stack or on the heap.",
                      p.stdout)
        self.assertNoSanitizerReport(p)


class OfflineReview(RustnoteTest):
    def test_plain_json_jsonl_agree_and_note_is_untouched(self):
        note = self.sb.copy_seed()
        with open(note, "rb") as f:
            before = hashlib.sha256(f.read()).hexdigest()
        plain = self.run_rn("review", "--plain", note)
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertIn("no LLM configured", plain.stderr)
        doc = self.run_rn("review", "--json", note)
        self.assertEqual(doc.returncode, 0, doc.stderr)
        review = json.loads(doc.stdout)
        self.assertEqual(review["provider"], "offline")
        self.assertFalse(review["cached"])
        findings = review["findings"]
        self.assertGreater(len(findings), 3)
        lines = [f["line"] for f in findings]
        self.assertEqual(lines, sorted(lines))
        for f in findings:
            self.assertEqual(f["source"], "offline")
            self.assertIn(f["kind"], ("gap", "incorrect", "assumption",
                                      "scope"))
            self.assertIn("line %d" % f["line"] if f["line"] else
                          "whole note", plain.stdout)
        jl = self.run_rn("review", "--jsonl", note)
        self.assertEqual(jl.returncode, 0, jl.stderr)
        rows = [json.loads(l) for l in jl.stdout.splitlines()]
        self.assertEqual(rows[-1]["type"], "done")
        self.assertEqual(sorted((r["line"], r["message"]) for r in rows[:-1]),
                         sorted((f["line"], f["message"]) for f in findings))
        with open(note, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), before)
        for p in (plain, doc, jl):
            self.assertNoSanitizerReport(p)

    def test_pipe_defaults_to_plain(self):
        note = self.sb.copy_seed()
        p = self.run_rn("review", note)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith(note + ": "), p.stdout[:200])
        self.assertNotIn("\x1b", p.stdout)


class ConfigCommand(RustnoteTest):
    KEY = "sk-config-test-9f8e7d6c5b4a"

    def settings(self, p):
        rows = {}
        for line in p.stdout.splitlines()[1:]:
            name, rest = line.split(None, 1)
            if name == "config":
                continue
            value, origin = rest[:28].strip(), rest[29:]
            rows[name] = (value, origin)
        return rows

    def test_prints_effective_settings_and_origins(self):
        cfg = self.sb.write("cfg", "model = from-file\ntimeout = 99\n"
                            "api_key = %s\n" % self.KEY)
        os.chmod(cfg, 0o600)
        env = self.sb.env(OPENAI_API_KEY=self.KEY, RUSTNOTE_STALL_TIMEOUT="7")
        p = self.run_rn("config", "--config", cfg, "--no-cache",
                        "--max-attempts", "2", env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(self.KEY, p.stdout + p.stderr)
        rows = self.settings(p)
        self.assertEqual(rows["provider"],
                         ("openai", "environment OPENAI_API_KEY"))
        self.assertEqual(rows["model"], ("from-file", "file %s:1" % cfg))
        self.assertEqual(rows["timeout"], ("99", "file %s:2" % cfg))
        self.assertEqual(rows["api_key"],
                         ("********", "environment OPENAI_API_KEY"))
        self.assertEqual(rows["stall_timeout"],
                         ("7", "environment RUSTNOTE_STALL_TIMEOUT"))
        self.assertEqual(rows["cache"], ("false", "flag --no-cache"))
        self.assertEqual(rows["max_attempts"], ("2", "flag --max-attempts"))
        self.assertEqual(rows["connect_timeout"], ("10", "default"))
        self.assertEqual(rows["base_url"],
                         ("https://api.openai.com/v1", "default"))
        self.assertIn("config file      %s" % cfg, p.stdout)

    def test_nothing_configured(self):
        p = self.run_rn("config")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = self.settings(p)
        self.assertEqual(rows["provider"], ("offline", "default"))
        self.assertEqual(rows["api_key"], ("(not set)", "default"))
        self.assertIn("config file      (none)", p.stdout)

    def test_unusable_provider_says_why(self):
        p = self.run_rn("config", "-p", "anthropic")
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn("anthropic: no API key", p.stderr)
        self.assertEqual(self.settings(p)["provider"],
                         ("anthropic", "flag --provider"))

    def test_takes_no_operand(self):
        p = self.run_rn("config", "x.md")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unexpected argument 'x.md'", p.stderr)


class Install(RustnoteTest):
    def test_installed_binary_finds_its_prompts_and_rules(self):
        dest = os.path.join(self.sb.dir, "dest")
        p = subprocess.run(["make", "-s", "-C", ROOT, "install",
                            "DESTDIR=" + dest, "PREFIX=/opt/rn"],
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        binary = os.path.join(dest, "opt/rn/bin/rustnote")
        share = os.path.join(dest, "opt/rn/share/rustnote")
        self.assertTrue(os.path.exists(os.path.join(share, "prompts/system.md")))
        self.assertTrue(os.path.exists(os.path.join(share,
                                                    "rules/code-claims.txt")))
        self.assertTrue(os.path.exists(os.path.join(dest,
                                       "opt/rn/share/man/man1/rustnote.1")))
        note = self.sb.copy_seed()
        env = self.sb.env(RUSTNOTE_DATADIR=None)
        # Run from a folder with no prompts/ nearby.
        q = subprocess.run([binary, "prompt", note], env=env, cwd="/",
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(q.returncode, 0, q.stderr)
        self.assertIn("experienced Rust developer", q.stdout)
        r = subprocess.run([binary, "review", "--json", note], env=env,
                           cwd="/", capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(any(f["kind"] == "scope" for f in
                            json.loads(r.stdout)["findings"]))
        u = subprocess.run(["make", "-s", "-C", ROOT, "uninstall",
                            "DESTDIR=" + dest, "PREFIX=/opt/rn"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(u.returncode, 0, u.stderr)
        self.assertFalse(os.path.exists(binary))
        self.assertFalse(os.path.exists(share))

    def test_default_build_is_hardened(self):
        # The flags Debian builds with: full relro, bind now, stack
        # protector, fortified libc calls.
        p = subprocess.run(["make", "-s", "-C", ROOT, "rustnote"],
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        binary = os.path.join(ROOT, "rustnote")
        dyn = subprocess.run(["readelf", "-dW", binary], capture_output=True,
                             text=True, check=True).stdout
        self.assertRegex(dyn, r"\(FLAGS\).*BIND_NOW|FLAGS_1.*NOW")
        seg = subprocess.run(["readelf", "-lW", binary], capture_output=True,
                             text=True, check=True).stdout
        self.assertIn("GNU_RELRO", seg)
        syms = subprocess.run(["nm", "-D", binary], capture_output=True,
                              text=True, check=True).stdout
        self.assertIn("__stack_chk_fail", syms)
        self.assertRegex(syms, r"__\w+_chk\b")
