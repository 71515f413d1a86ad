#!/usr/bin/env python3
"""eval.py - measure the offline reviewer against the keyed corpus.

Usage: tests/corpus/eval.py [--half tuning|heldout|all] [-v] [--check-keys]

Each note NAME.md of tuning/ and heldout/ has a key NAME.key (format in
README.md).  The note is reviewed with `rustnote review --offline --json`
against the overview the key names, in an empty home (no user config, rules
or cache), with the prompts and rules of this tree (or of $RUSTNOTE_DATADIR),
and its findings are matched with the key.  Printed per half:

  recall       keyed problems found, all of them and the "rule" ones
  precision    findings that match a keyed problem
  on-correct   findings on lines the key marks as correct
  complete     findings on notes the key marks correct and complete

--check-keys only reads every key and checks it against its note (each
quote on exactly one line, the overview exists), reviewing nothing: a
corpus writer can check a key without seeing how the reviewer does.

-v lists each note's misses and false findings; held-out notes are only
listed with --half heldout -v, so tuning work never sees them by accident.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLOSE = {"incorrect": {"incorrect", "assumption"},
         "assumption": {"assumption", "incorrect"},
         "gap": {"gap"}, "scope": {"scope"}}


class KeyError_(Exception):
    pass


def note_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def locate(lines, quote, where):
    hits = [i + 1 for i, text in enumerate(lines) if quote in text]
    if len(hits) != 1:
        raise KeyError_("%s: quote %r is on %d lines (needs exactly one)"
                        % (where, quote, len(hits)))
    return hits[0]


def read_key(key_path, lines):
    key = {"overview": None, "complete": False, "problems": [],
           "correct": []}
    with open(key_path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            where = "%s:%d" % (os.path.relpath(key_path, ROOT), n)
            if not line or line.startswith("#"):
                continue
            if line.startswith("overview:"):
                key["overview"] = line.split(":", 1)[1].strip()
            elif line.startswith("complete:"):
                key["complete"] = line.split(":", 1)[1].strip() == "yes"
            elif "|" in line:
                head, text = (s.strip() for s in line.split("|", 1))
                words = head.split()
                if words == ["correct"]:
                    key["correct"].append(locate(lines, text, where))
                    continue
                if len(words) != 2 or words[0] not in CLOSE or \
                        words[1] not in ("rule", "hard"):
                    raise KeyError_("%s: expected 'KIND rule|hard | QUOTE'"
                                    % where)
                p = {"kind": words[0], "rule": words[1] == "rule",
                     "text": text, "line": None, "topic": None}
                if text.startswith("topic:"):
                    p["topic"] = text[6:].strip().lower()
                else:
                    p["line"] = locate(lines, text, where)
                key["problems"].append(p)
            else:
                raise KeyError_("%s: cannot read this line" % where)
    if not key["overview"]:
        raise KeyError_("%s: no overview: line" % key_path)
    bad = set(key["correct"]) & {p["line"] for p in key["problems"]}
    if bad:
        raise KeyError_("%s: lines %s are keyed both as problem and correct"
                        % (key_path, sorted(bad)))
    return key


def covers(f, line):
    start = f.get("line") or 0
    end = max(f.get("end_line") or start, start)
    return start > 0 and start <= line <= end


def matches(f, p):
    if f["kind"] not in CLOSE[p["kind"]]:
        return False
    if p["topic"] is not None:
        hay = " ".join(str(f.get(k) or "") for k in
                       ("topic", "message", "quote")).lower()
        return p["topic"] in hay
    return covers(f, p["line"])


def review(binary, note, overview, home):
    env = dict(os.environ)
    datadir = env.get("RUSTNOTE_DATADIR") or ROOT
    for var in list(env):
        if var.startswith(("RUSTNOTE_", "OPENAI_", "ANTHROPIC_", "OLLAMA_")):
            del env[var]
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"),
               XDG_CACHE_HOME=os.path.join(home, "cache"),
               XDG_DATA_HOME=os.path.join(home, "data"),
               RUSTNOTE_DATADIR=datadir)
    r = subprocess.run([binary, "review", "--offline", "--json",
                        "--overview", overview, note],
                       env=env, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("%s: rustnote exited %d: %s"
                           % (note, r.returncode, r.stderr.strip()))
    return json.loads(r.stdout)["findings"]


def eval_note(binary, note, home):
    lines = note_lines(note)
    key = read_key(note[:-3] + ".key", lines)
    overview = os.path.normpath(os.path.join(os.path.dirname(note),
                                             key["overview"]))
    found = review(binary, note, overview, home)
    res = {"problems": len(key["problems"]),
           "rule": sum(p["rule"] for p in key["problems"]),
           "hit": 0, "rule_hit": 0, "findings": len(found), "true": 0,
           "on_correct": 0, "complete": key["complete"], "misses": [],
           "false": []}
    for p in key["problems"]:
        if any(matches(f, p) for f in found):
            res["hit"] += 1
            res["rule_hit"] += p["rule"]
        else:
            res["misses"].append(p)
    for f in found:
        if any(matches(f, p) for p in key["problems"]):
            res["true"] += 1
            continue
        res["false"].append(f)
        if any(covers(f, c) for c in key["correct"]):
            res["on_correct"] += 1
    return res


def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "    - "


def report(half, results, verbose):
    tot = {k: sum(r[k] for r in results.values()) for k in
           ("problems", "rule", "hit", "rule_hit", "findings", "true",
            "on_correct")}
    complete = [r["findings"] for r in results.values() if r["complete"]]
    print("%-8s notes %2d  recall %s (%d/%d)  rule recall %s (%d/%d)  "
          "precision %s (%d/%d)  on correct lines %d  "
          "on complete notes %s"
          % (half, len(results), pct(tot["hit"], tot["problems"]),
             tot["hit"], tot["problems"], pct(tot["rule_hit"], tot["rule"]),
             tot["rule_hit"], tot["rule"], pct(tot["true"], tot["findings"]),
             tot["true"], tot["findings"], tot["on_correct"],
             "/".join(str(n) for n in complete) or "-"))
    if not verbose:
        return
    for name, r in sorted(results.items()):
        print("  %s: %d/%d found, %d findings, %d false"
              % (name, r["hit"], r["problems"], r["findings"],
                 len(r["false"])))
        for p in r["misses"]:
            print("    missed %s%s: %s" % (p["kind"],
                  "" if p["rule"] else " (hard)",
                  p["text"] if p["line"] is None else
                  "line %d %r" % (p["line"], p["text"])))
        for f in r["false"]:
            print("    false  %s line %s [%s]: %s"
                  % (f["kind"], f.get("line"), f.get("rule") or "",
                     (f.get("message") or "")[:100]))


def check_keys(halves):
    count = 0
    for h in halves:
        folder = os.path.join(HERE, h)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".md"):
                continue
            note = os.path.join(folder, name)
            key = read_key(note[:-3] + ".key", note_lines(note))
            overview = os.path.join(folder, key["overview"])
            if not os.path.isfile(overview):
                raise KeyError_("%s: overview %s not found"
                                % (name, key["overview"]))
            count += 1
    print("keys: %d notes, all readable" % count)
    return 0


def main():
    args = sys.argv[1:]
    half = "all"
    if "--half" in args:
        half = args[args.index("--half") + 1]
    verbose = "-v" in args
    if "--check-keys" in args:
        return check_keys(["tuning", "heldout"] if half == "all" else [half])
    binary = os.environ.get("RUSTNOTE_BIN") or os.path.join(ROOT, "rustnote")
    halves = ["tuning", "heldout"] if half == "all" else [half]
    with tempfile.TemporaryDirectory(prefix="rustnote-eval-") as home:
        for h in halves:
            folder = os.path.join(HERE, h)
            results = {}
            for name in sorted(os.listdir(folder)):
                if name.endswith(".md"):
                    results[name] = eval_note(
                        binary, os.path.join(folder, name), home)
            show = verbose and (h == "tuning" or half == "heldout")
            report(h, results, show)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyError_, RuntimeError) as e:
        print("eval: %s" % e, file=sys.stderr)
        sys.exit(1)
