"""tmuxterm - run a program on a real terminal (a tmux pane) and read its
screen, for the full-screen tests.

Every TmuxTerm starts its own tmux server on a private socket (tmux -L with
a unique name) and a config file of its own, so a test never touches the
user's tmux and tests can run side by side.  The pane is the program's
terminal: tmux answers its escape sequences like xterm does, and
capture-pane gives back what a person would see.

    with TmuxTerm([BIN, "review", "note.md"], env, cwd) as term:
        term.wait_for("Findings")
        term.send("j", "Enter")       # tmux key names: Up, Escape, C-l ...
        term.type("fat pointer")      # literal text
        text = term.screen()          # the visible lines
        sgr = term.screen(escapes=True)
        term.resize(60, 20)
        term.wait_exit()              # the exit status

The pane stays after the program exits (remain-on-exit), so its exit
status and last screen can be read.  Every wait has a timeout, and close()
always kills the server.
"""
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

CONFIG = """\
set -g default-terminal xterm-256color
set -g remain-on-exit on
set -g status off
set -g history-limit 200
set -s escape-time 0
"""

# A test runner killed mid-test cannot clean up: each server also kills
# itself after this many seconds.  (The trap ends the sleep when the
# server ends first and stops its jobs.)
DEADLINE = 300
WATCHDOG = ('trap "kill \\$!; exit" TERM HUP; sleep %d & wait $!; '
            'tmux -L %s kill-server')


class TmuxError(AssertionError):
    pass


def have_tmux():
    return shutil.which("tmux") is not None


class TmuxTerm:
    def __init__(self, argv, env, cwd, width=80, height=24):
        self.argv = list(argv)
        self.env = dict(env)
        self.env.pop("TMUX", None)
        self.cwd = cwd
        self.width = width
        self.height = height
        self.socket = "rn-%d-%s" % (os.getpid(), uuid.uuid4().hex[:10])
        self.dir = tempfile.mkdtemp(prefix="rustnote-tmux-")
        self.config = os.path.join(self.dir, "tmux.conf")
        with open(self.config, "w") as f:
            f.write(CONFIG)
        self.started = False

    # --- lifecycle --------------------------------------------------------
    def start(self):
        self.tmux("new-session", "-d", "-s", "t", "-x", str(self.width),
                  "-y", str(self.height), "-c", self.cwd,
                  shlex.join(self.argv))
        self.started = True
        self.tmux("run-shell", "-b", WATCHDOG % (DEADLINE, self.socket))
        return self

    def close(self):
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def tmux(self, *args, check=True, timeout=10):
        proc = subprocess.run(["tmux", "-L", self.socket, "-f", self.config]
                              + list(args), env=self.env, cwd=self.cwd,
                              stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise TmuxError("tmux %s failed: %s" % (args[0],
                                                    proc.stderr.strip()))
        return proc.stdout

    # --- input --------------------------------------------------------------
    def send(self, *keys):
        """Press keys by tmux name ("Down", "Enter", "Escape", "C-c", "q")."""
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text):
        """Type text literally."""
        self.tmux("send-keys", "-t", "t", "-l", text)

    def resize(self, width, height):
        self.tmux("resize-window", "-t", "t", "-x", str(width),
                  "-y", str(height))
        self.width, self.height = width, height

    # --- output -------------------------------------------------------------
    def screen(self, escapes=False):
        """The visible pane as text (with SGR escapes when asked)."""
        args = ["capture-pane", "-p", "-t", "t"]
        if escapes:
            args.insert(2, "-e")
        return self.tmux(*args)

    def lines(self):
        return self.screen().split("\n")

    def info(self, fmt):
        """A tmux format of the pane, e.g. "#{pane_dead}"."""
        return self.tmux("display-message", "-p", "-t", "t", fmt).strip()

    def pane_pid(self):
        return int(self.info("#{pane_pid}"))

    def dead(self):
        return self.info("#{pane_dead}") == "1"

    # --- waiting ------------------------------------------------------------
    def wait_until(self, pred, timeout=10.0, what="condition"):
        """Poll the screen until pred(screen) is true; returns the screen."""
        end = time.monotonic() + timeout
        screen = ""
        while True:
            screen = self.screen()
            if pred(screen):
                return screen
            if time.monotonic() > end:
                raise TmuxError("timed out after %.0f s waiting for %s; "
                                "screen:\n%s" % (timeout, what, screen))
            time.sleep(0.05)

    def wait_for(self, text, timeout=10.0):
        return self.wait_until(lambda s: text in s, timeout, repr(text))

    def wait_gone(self, text, timeout=10.0):
        return self.wait_until(lambda s: text not in s, timeout,
                               "%r to go away" % text)

    def _nudge_if_zombie(self):
        """tmux 3.3 now and then misses the SIGCHLD of a pane's process
        and leaves it a zombie, the pane alive.  Another SIGCHLD makes the
        server reap it."""
        try:
            with open("/proc/%d/stat" % self.pane_pid()) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, ValueError, IndexError):
            return
        if state == "Z":
            os.kill(int(self.info("#{pid}")), signal.SIGCHLD)

    def wait_exit(self, timeout=10.0):
        """Wait for the program to end; returns its exit status, or minus
        the signal that killed it.  (tmux marks the pane dead when the
        terminal closes, and learns the status a moment later.)"""
        end = time.monotonic() + timeout
        while True:
            if self.dead():
                status = self.info("#{pane_dead_status}")
                if status:
                    return int(status)
                sig = self.info("#{pane_dead_signal}")
                if sig:
                    return -int(sig)
            self._nudge_if_zombie()
            if time.monotonic() > end:
                raise TmuxError("program still running after %.0f s; "
                                "screen:\n%s" % (timeout, self.screen()))
            time.sleep(0.05)
