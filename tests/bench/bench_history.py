#!/usr/bin/env python3
"""History, status and many notes: prints figures, passes or fails nothing.

(a) `rustnote review --offline --plain DIR` of a folder of 500 generated
    notes (the seed note varied, spread over the sections of the sample
    curriculum), every review recorded in the history.  Target < 2 s on
    2 cores.
(b) `rustnote status --json DIR` of that folder from a warm database (the
    500 notes reviewed).  Target < 100 ms.
(c) The history write of one review (8 findings compared with the last
    review, stored in one transaction): build/bench_core history.
    Target < 5 ms.

The binary is $RUSTNOTE_BIN or ./rustnote (the optimised build).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOTES = 500
RUNS = 5


def rustnote():
    return os.environ.get("RUSTNOTE_BIN") or os.path.join(ROOT, "rustnote")


def make_folder(work):
    folder = os.path.join(work, "path")
    os.makedirs(folder)
    shutil.copyfile(os.path.join(ROOT, "notes", "curriculum.md"),
                    os.path.join(folder, "curriculum.md"))
    with open(os.path.join(ROOT, "notes", "02-memory-model.md")) as f:
        seed = f.read()
    for i in range(NOTES):
        name = "%02d-note-%03d.md" % (i % 6 + 1, i)
        text = seed.replace("Stack", "Stack %d" % i, 1)
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    return folder


def timed(argv, env, cwd):
    t0 = time.monotonic()
    p = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    ms = (time.monotonic() - t0) * 1e3
    if p.returncode != 0:
        sys.exit("%s: status %d: %s" % (argv[1], p.returncode,
                                        p.stderr[-300:]))
    return ms


def main():
    work = tempfile.mkdtemp(prefix="rn-bench-hist-")
    try:
        env = dict(os.environ, HOME=os.path.join(work, "home"),
                   XDG_DATA_HOME=os.path.join(work, "data"),
                   XDG_CACHE_HOME=os.path.join(work, "cache"),
                   XDG_CONFIG_HOME=os.path.join(work, "config"))
        for k in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "RUSTNOTE_API_KEY",
                  "RUSTNOTE_PROVIDER"):
            env.pop(k, None)
        folder = make_folder(work)
        bin_ = rustnote()
        review = [timed([bin_, "review", "--offline", "--plain", folder],
                        env, work) for _ in range(RUNS)]
        print("offline review of %d notes (a folder, history recorded): "
              "median %.0f ms of %d  (target < 2000 ms on 2 cores; %d "
              "cores here)" % (NOTES, statistics.median(review), RUNS,
                               os.cpu_count() or 1))
        timed([bin_, "status", "--json", folder], env, work)   # warm up
        status = [timed([bin_, "status", "--json", folder], env, work)
                  for _ in range(7)]
        print("status of that folder, warm database (%d reviews): median "
              "%.0f ms of 7  (target < 100 ms)" % (NOTES * RUNS,
                                                  statistics.median(status)))
        core = os.path.join(ROOT, "build", "bench_core")
        out = subprocess.run([core, "history",
                              os.path.join(work, "hist-bench.db")],
                             capture_output=True, text=True, check=True)
        ms, rss, detail = out.stdout.split(" ", 2)
        print("history write per review (%s): %s ms  (target < 5 ms)"
              % (detail.strip(), ms))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
