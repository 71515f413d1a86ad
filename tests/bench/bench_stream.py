#!/usr/bin/env python3
"""Streaming benchmark: prints figures, passes or fails nothing.

(a) Throughput and memory: fakellm serves a 1 MiB OpenAI reply as many
    small SSE chunks; `rustnote review --jsonl --no-cache --no-offline`
    consumes it, and `curl -sN` fetches the same stream to /dev/null, in
    the same run, several times.  Prints wall times, their ratio (target
    <= 1.5) and rustnote's peak RSS (target < 20 MiB).
(b) Latency: the server timestamps the write holding each finding's
    closing brace; the benchmark timestamps the matching --jsonl line read
    from rustnote's unbuffered stdout pipe.  Prints median and max (target
    < 20 ms).

The binary is $RUSTNOTE_BIN or ./rustnote (use the optimised build, not
the sanitizer one).  Everything runs on 127.0.0.1.
"""
import argparse
import json
import os
import random
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAKELLM = os.path.join(ROOT, "tests", "e2e", "fakellm.py")
SEED_NOTE = os.path.join(ROOT, "notes", "02-memory-model.md")
SEED_OVERVIEW = os.path.join(ROOT, "notes", "memory-model.overview.md")
KEY = "sk-bench-0000000000000000"
MODEL = "bench-model"

KINDS = ("incorrect", "assumption", "gap", "scope")


def note_quotes():
    """Quotes for the benchmark reply: every line of the seed note that
    occurs once and lies outside code fences, so no two findings are the
    same finding (which the review would merge)."""
    with open(SEED_NOTE, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, fence = [], False
    for line in lines:
        if line.startswith("```"):
            fence = not fence
            continue
        text = line.strip().lstrip("-*# ").strip()
        if not fence and len(text) >= 12 and \
                sum(1 for l in lines if text in l) == 1:
            out.append(text)
    return out


PROSE = ("Heap memory is freed when the value that owns it is dropped, "
         "normally at the end of its scope; calling drop(x) only moves that "
         "moment earlier. A block is a scope inside the function's frame, "
         "and the stack pointer moves only when the function returns. ")


def make_reply(target_bytes, msg_bytes):
    """A findings reply of about target_bytes; finding i has topic
    "bench #i" so lines can be matched to server marks."""
    findings = []
    size = 0
    i = 0
    quotes = note_quotes()
    with open(SEED_NOTE, encoding="utf-8") as f:
        vocab = sorted(set(f.read().split()))
    vocab += ["term%d" % k for k in range(4000)]
    while size < target_bytes:
        kind = KINDS[(i // len(quotes)) % len(KINDS)]
        quote = quotes[i % len(quotes)]
        # Words drawn at random from a large vocabulary: no two messages
        # alike, so the review keeps every finding.
        rng = random.Random(i)
        msg = "bench #%d: %s" % (i, PROSE)
        while len(msg) < msg_bytes:
            msg += " " + rng.choice(vocab)
        msg = msg[:msg_bytes]
        f = {"kind": kind, "severity": "medium", "quote": quote, "line": 0,
             "topic": "bench #%d" % i, "message": msg,
             "suggestion": "Rewrite the bullet as described."}
        size += len(json.dumps(f)) + 2
        findings.append(f)
        i += 1
    return json.dumps({"summary": "Benchmark reply.", "findings": findings},
                      indent=1), len(findings)


class Server:
    def __init__(self, workdir, script, name):
        self.dir = workdir
        path = os.path.join(workdir, name + ".script.json")
        with open(path, "w") as f:
            json.dump(script, f)
        self.port_file = os.path.join(workdir, name + ".port")
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        self.proc = subprocess.Popen(
            [sys.executable, FAKELLM, "--port-file", self.port_file,
             "--script", path], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        end = time.monotonic() + 10
        while not os.path.exists(self.port_file):
            if time.monotonic() > end or self.proc.poll() is not None:
                raise SystemExit("fakellm did not start")
            time.sleep(0.02)
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.base = "http://127.0.0.1:%d" % self.port

    def call(self, method, path, obj=None):
        data = json.dumps(obj).encode() if obj is not None else None
        req = urllib.request.Request(self.base + path, data=data,
                                     method=method)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def timed(cmd, rss_file):
    """cmd run under /usr/bin/time when there is one: a child forked from
    this (large) Python process would count Python's pages in its own
    peak RSS until it execs."""
    if TIME is None:
        return cmd
    return [TIME, "-q", "-f", "%M %U %S", "-o", rss_file] + cmd


def wait_rusage(proc, rss_file):
    """Wait for proc; return (returncode, peak RSS KiB, CPU seconds)."""
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss, cpu = ru.ru_maxrss, ru.ru_utime + ru.ru_stime
    if TIME is not None:
        try:
            with open(rss_file) as f:
                parts = f.read().split()
            rss, cpu = int(parts[-3]), float(parts[-2]) + float(parts[-1])
        except (OSError, ValueError, IndexError):
            pass
    return proc.returncode, rss, cpu


def env_for(work):
    env = {k: v for k, v in os.environ.items()
           if (k == "RUSTNOTE_DATADIR" or
               not k.startswith(("RUSTNOTE_", "OPENAI_", "ANTHROPIC_",
                                 "OLLAMA_"))) and "proxy" not in k.lower()}
    env.update(HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_CACHE_HOME=os.path.join(work, "cache"),
               RUSTNOTE_API_KEY=KEY, NO_PROXY="127.0.0.1", LC_ALL="C.UTF-8")
    return env


def rustnote_cmd(binary, srv, note):
    return [binary, "review", "--jsonl", "--no-cache", "--no-offline",
            "-p", "openai", "-m", MODEL, "-u", srv.base + "/v1", note]


def run_rustnote(binary, srv, note, env):
    rss_file = note + ".rss"
    t0 = time.monotonic()
    p = subprocess.Popen(timed(rustnote_cmd(binary, srv, note), rss_file),
                         env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    rc, rss, cpu = wait_rusage(p, rss_file)
    p.stderr.close()
    return time.monotonic() - t0, rss, rc, err, cpu


def run_curl(srv, body_path):
    rss_file = body_path + ".rss"
    t0 = time.monotonic()
    p = subprocess.Popen(timed(["curl", "-sN", "--noproxy", "*", "-X", "POST",
                                srv.base + "/v1/chat/completions",
                                "-H", "content-type: application/json",
                                "-H", "authorization: Bearer " + KEY,
                                "--data-binary", "@" + body_path,
                                "-o", "/dev/null"], rss_file),
                         stdin=subprocess.DEVNULL)
    rc, rss, cpu = wait_rusage(p, rss_file)
    return time.monotonic() - t0, rss, rc, cpu


def bench_throughput(args, binary, work, note, env):
    reply, n = make_reply(1 << 20, 2000)
    with open(os.path.join(work, "big.json"), "w") as f:
        f.write(reply)
    del reply
    script = {"steps": [], "default": {
        "reply_file": "big.json", "delta_chars": args.delta_chars,
        "coalesce": 16384, "cache_plan": True}}
    srv = Server(work, script, "throughput")
    body = os.path.join(work, "body.json")
    with open(body, "w") as f:
        json.dump({"model": MODEL, "stream": True,
                   "stream_options": {"include_usage": True},
                   "messages": [{"role": "user", "content": "bench"}]}, f)
    try:
        # warm-up: builds the server's cached stream, loads caches
        stream = subprocess.run(
            ["curl", "-sN", "--noproxy", "*", "-X", "POST",
             srv.base + "/v1/chat/completions",
             "-H", "content-type: application/json",
             "--data-binary", "@" + body], capture_output=True).stdout
        stream_bytes = len(stream)
        chunks = stream.count(b"data: ")
        del stream
        warm = subprocess.run(rustnote_cmd(binary, srv, note), env=env,
                              stdin=subprocess.DEVNULL, capture_output=True)
        rc, err = warm.returncode, warm.stderr
        printed = sum(1 for l in warm.stdout.splitlines()
                      if l.startswith(b'{"type":"finding"'))
        if rc != 0:
            print("rustnote failed (rc %d): %s" % (rc, err.decode(
                "utf-8", "replace").strip()[:300]))
            return
        rn_t, cu_t, rn_rss, cu_rss, rn_cpu, cu_cpu = [], [], [], [], [], []
        for _ in range(args.reps):
            t, rss, rc, cpu = run_curl(srv, body)
            cu_t.append(t)
            cu_rss.append(rss)
            cu_cpu.append(cpu)
            t, rss, rc, err, cpu = run_rustnote(binary, srv, note, env)
            rn_cpu.append(cpu)
            if rc != 0:
                print("rustnote failed (rc %d): %s" % (rc, err.decode(
                    "utf-8", "replace").strip()[:300]))
                return
            rn_t.append(t)
            rn_rss.append(rss)
        rn, cu = statistics.median(rn_t), statistics.median(cu_t)
        print("stream 1 MiB (%d findings, %d-char deltas, %d reps, median): "
              "rustnote %.3f s, curl %.3f s, ratio %.2f (target <= 1.5)"
              % (n, args.delta_chars, args.reps, rn, cu, rn / cu))
        print("stream 1 MiB: %.1f MiB of SSE per reply, %d --jsonl finding "
              "lines printed (the review merges findings that say the same "
              "thing)" % (stream_bytes / 1048576.0, printed))
        print("stream 1 MiB: rustnote min %.3f s max %.3f s; curl min %.3f s "
              "max %.3f s" % (min(rn_t), max(rn_t), min(cu_t), max(cu_t)))
        print("stream 1 MiB: rustnote CPU %.3f s, curl CPU %.3f s (median "
              "user+sys)" % (statistics.median(rn_cpu),
                             statistics.median(cu_cpu)))
        # What that costs at the rate a fast local model streams.
        per_chunk = statistics.median(rn_cpu) / max(chunks, 1)
        print("stream 1 MiB: %d chunks, %.2f us of rustnote CPU each: at "
              "1000 tokens/s (a chunk each) %.2f%% of one core (target < 1%%)"
              % (chunks, per_chunk * 1e6, per_chunk * 1000 * 100))
        print("stream 1 MiB: rustnote peak RSS %.1f MiB (target < 20 MiB), "
              "curl peak RSS %.1f MiB%s"
              % (max(rn_rss) / 1024.0, max(cu_rss) / 1024.0,
                 "" if TIME else " (no /usr/bin/time: figures include the "
                 "benchmark's own pages)"))
    finally:
        srv.stop()


def read_lines_timed(p, deadline):
    """Read rustnote's stdout; return [(monotonic time, line)]."""
    out = []
    buf = b""
    fd = p.stdout.fileno()
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            if p.poll() is not None:
                break
            continue
        chunk = os.read(fd, 65536)
        now = time.monotonic()
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            out.append((now, line))
    return out


def bench_latency(args, binary, work, note, env):
    sys.path.insert(0, os.path.dirname(FAKELLM))
    from fakellm import finding_ends
    reply, n = make_reply(args.latency_bytes, 600)
    ends = finding_ends(reply)
    with open(os.path.join(work, "paced.json"), "w") as f:
        f.write(reply)
    script = {"steps": [], "default": {
        "reply_file": "paced.json", "delta_chars": args.delta_chars,
        "delay": args.pace_ms / 1000.0}}
    srv = Server(work, script, "latency")
    lat = []
    try:
        for _ in range(args.latency_reps):
            srv.call("POST", "/_fake/reset", {})
            p = subprocess.Popen(rustnote_cmd(binary, srv, note), env=env,
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, bufsize=0)
            lines = read_lines_timed(p, time.monotonic() + 60)
            p.wait()
            p.stdout.close()
            if p.returncode != 0:
                print("latency: rustnote failed (rc %d)" % p.returncode)
                return
            marks = srv.call("GET", "/_fake/marks")
            when = {}
            for m in marks:
                if m["offset"] in ends:
                    when.setdefault(ends.index(m["offset"]), m["time"])
            for t, line in lines:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                topic = obj.get("topic", "")
                if obj.get("type") != "finding" or \
                        not topic.startswith("bench #"):
                    continue
                i = int(topic.split("#")[1])
                if i in when:
                    lat.append((t - when[i]) * 1000.0)
        if not lat:
            print("latency: no --jsonl finding lines matched the stream")
            return
        print("finding latency (%d findings x %d runs, %d lines matched, a "
              "%d-char delta every %.1f ms): median %.2f ms, max %.2f ms "
              "(target < 20 ms)"
              % (n, args.latency_reps, len(lat), args.delta_chars,
                 args.pace_ms, statistics.median(lat), max(lat)))
    finally:
        srv.stop()


def main():
    ap = argparse.ArgumentParser(description="rustnote streaming benchmark")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--delta-chars", type=int, default=16)
    ap.add_argument("--latency-bytes", type=int, default=24 << 10)
    ap.add_argument("--latency-reps", type=int, default=3)
    ap.add_argument("--pace-ms", type=float, default=0.5)
    args = ap.parse_args()
    binary = os.environ.get("RUSTNOTE_BIN") or os.path.join(ROOT, "rustnote")
    if not os.access(binary, os.X_OK):
        print("bench_stream: no rustnote binary at %s (run make)" % binary)
        return 0
    if shutil.which("curl") is None:
        print("bench_stream: curl not found; skipping")
        return 0
    work = tempfile.mkdtemp(prefix="rustnote-bench-")
    try:
        note = os.path.join(work, "note.md")
        shutil.copyfile(SEED_NOTE, note)
        shutil.copyfile(SEED_OVERVIEW, os.path.join(work, "note.overview.md"))
        env = env_for(work)
        bench_throughput(args, binary, work, note, env)
        bench_latency(args, binary, work, note, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
