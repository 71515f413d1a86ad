#!/usr/bin/env python3
"""Full-screen benchmark: prints figures, passes or fails nothing.

(a) First paint: the time from starting `rustnote review` on a generated
    10 000-line note (offline reviewer) to the first complete screen.  The
    binary, given RUSTNOTE_BENCH_FIRST_PAINT=FILE, appends the
    CLOCK_MONOTONIC time of its first doupdate() there; the benchmark takes
    the same clock just before it starts the process, so the figure covers
    exec, loading, parsing and drawing.  Median of several runs (target
    < 100 ms).
(b) Idle CPU: once the review is done, the user and system CPU time the
    process uses in 5 s of waiting for a key, from /proc/PID/stat
    (target about 0: the loop sleeps in poll() without a timeout).

The terminal is a pseudo-terminal of 80x24 made here, so no tmux is
needed.  The binary is $RUSTNOTE_BIN or ./rustnote (use the optimised
build, not the sanitizer one).
"""
import fcntl
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OVERVIEW = os.path.join(ROOT, "notes", "memory-model.overview.md")
RUNS = 7
IDLE_SECONDS = 5.0

CLEARED = ("RUSTNOTE_PROVIDER", "RUSTNOTE_MODEL", "RUSTNOTE_BASE_URL",
           "RUSTNOTE_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
           "OLLAMA_HOST", "NO_COLOR", "TMUX")


def binary():
    path = os.environ.get("RUSTNOTE_BIN") or os.path.join(ROOT, "rustnote")
    if not os.access(path, os.X_OK):
        sys.exit("bench_tui: no rustnote binary at %s" % path)
    return path


class PtyRun:
    """rustnote on a fresh 80x24 pseudo-terminal, offline, private home."""

    def __init__(self, tmp, note):
        self.marks = os.path.join(tmp, "marks-%d" % time.monotonic_ns())
        env = {k: v for k, v in os.environ.items() if k not in CLEARED}
        env.update(HOME=tmp, XDG_CONFIG_HOME=os.path.join(tmp, "config"),
                   XDG_CACHE_HOME=os.path.join(tmp, "cache"),
                   TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                   RUSTNOTE_BENCH_FIRST_PAINT=self.marks)
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80,
                                                           0, 0))
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([binary(), "review", note], env=env,
                                     cwd=tmp, stdin=slave, stdout=slave,
                                     stderr=slave, start_new_session=True)
        os.close(slave)
        self.reader = threading.Thread(target=self.drain, daemon=True)
        self.reader.start()

    def drain(self):
        """Read the screen output so the program never blocks writing."""
        try:
            while os.read(self.master, 65536):
                pass
        except OSError:
            pass

    def wait_mark(self, name, timeout=20.0):
        """The monotonic time the program logged for event name."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if os.path.exists(self.marks):
                with open(self.marks) as f:
                    for line in f:
                        parts = line.split()
                        if parts and parts[0] == name:
                            return float(parts[1]), float(parts[2])
            if self.proc.poll() is not None:
                raise RuntimeError("rustnote exited with status %d"
                                   % self.proc.returncode)
            time.sleep(0.005)
        raise RuntimeError("no %s within %.0f s" % (name, timeout))

    def cpu_seconds(self):
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])	# utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def close(self):
        try:
            os.write(self.master, b"qy")	# y: quit even mid-review
            self.proc.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def first_paint(tmp, note):
    s = PtyRun(tmp, note)
    try:
        mono, since_start = s.wait_mark("first-paint")
        return (mono - s.t0) * 1e3, since_start
    finally:
        s.close()


def idle_cpu(tmp, note):
    s = PtyRun(tmp, note)
    try:
        s.wait_mark("review-done")
        time.sleep(0.3)
        before = s.cpu_seconds()
        time.sleep(IDLE_SECONDS)
        return (s.cpu_seconds() - before) * 1e3
    finally:
        s.close()


def main():
    tmp = tempfile.mkdtemp(prefix="rustnote-bench-tui-")
    try:
        note = os.path.join(tmp, "10k.md")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_note.py"),
                        note, "--lines", "10000"], check=True)
        shutil.copyfile(OVERVIEW, os.path.join(tmp, "10k.overview.md"))
        runs = [first_paint(tmp, note) for _ in range(RUNS)]
        total = statistics.median(r[0] for r in runs)
        inside = statistics.median(r[1] for r in runs)
        print("tui first paint, 10 000-line note: %.1f ms from exec, "
              "%.1f ms in the view (median of %d; target < 100 ms)"
              % (total, inside, RUNS))
        cpu = idle_cpu(tmp, note)
        print("tui idle CPU over %.0f s after the review: %.1f ms "
              "(target about 0)" % (IDLE_SECONDS, cpu))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
