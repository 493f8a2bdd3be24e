"""Cold start as a user sees it: `msptui` in a real terminal, beside a bare Textual app.

Each run is a fresh process under a pseudo-terminal (TERM=xterm-256color,
120x40), so Textual really renders. The app's benchmark hook
(MSPTUI_BENCH_EXIT, see msptui/ui/app.py) prints the system-wide monotonic
instant of the moment measured and exits; the time counted is from just
before the process is spawned to that instant, interpreter start included.

Three runs are interleaved, several times, and medians taken (the ratio is
the median of each round's ratio to that round's bare app):
- the bare app (bench/bare_app.py) to its first frame, a DataTable of 40 rows;
- msptui to its first frame (the board screen, the store still opening);
- msptui to a populated board (its rows from the 100,000-ticket database).
DESIGN.md's bars are ratios to the bare app: first frame within 1.2x, a
populated board within 2.5x.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

SIZE = (120, 40)  # columns, lines
RUNS = 7  # per case; medians of a noisy machine need a few
TIMEOUT_S = 30.0
FIRST_FRAME_BAR = 1.2
BOARD_BAR = 2.5
BARE_APP = Path(__file__).with_name("bare_app.py")
_MARK = re.compile(rb"msptui-bench (\S+) (\d+\.\d+)")
_ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")


@dataclass(frozen=True)
class Run:
    seconds: float | None  # spawn to the moment signalled; None when it never came
    max_rss_mb: float  # the child's peak resident memory (VmHWM, polled while it runs)
    problem: str = ""  # why there is no figure, in words


def terminal_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a user's terminal, minus anything that changes Textual's output."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "MSPTUI_")) and k not in ("NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", MSPTUI_DATA_DIR=str(data_dir), **extra)
    return env


def run_in_pty(argv: list[str], env: dict[str, str], timeout: float = TIMEOUT_S) -> Run:
    """Run `argv` on a fresh pseudo-terminal until it exits; the moment it printed, and its peak RSS.

    The peak is polled every 50 ms, so growth in the last instants before exit can be missed.
    """
    master, slave = pty.openpty()
    columns, lines = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    output = bytearray()
    deadline = started + timeout
    timed_out = False
    peak_kb = 0
    try:
        # Drain the terminal (a full pty would block the app) until the app closes it.
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                break
            peak_kb = max(peak_kb, _high_water_kb(proc.pid))
            ready, _, _ = select.select([master], [], [], min(left, 0.05))
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every end of the slave side is closed
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(master)
    proc.wait()
    rss_mb = peak_kb / 1024
    found = _MARK.findall(bytes(output))
    if found:
        return Run(float(found[-1][1]) - started, rss_mb)
    if timed_out:
        return Run(None, rss_mb, f"no signal within {timeout:g} s")
    return Run(None, rss_mb, f"exited {proc.returncode} without a signal: {_tail(output)}")


def _high_water_kb(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), 0 once it has exited.

    Not the child's ru_maxrss: Linux carries the high-water mark across exec,
    so a child forked from a big parent (this runner, after generating the
    data) would report the parent's memory.
    """
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tail(output: bytes | bytearray, chars: int = 300) -> str:
    text = _ANSI.sub(b"", bytes(output)).decode("utf-8", "replace")
    return " ".join(text.split())[-chars:]


def msptui_command() -> list[str]:
    """The console script a user types, from the running virtualenv."""
    script = Path(sys.executable).with_name("msptui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "msptui"]


def bare_command() -> list[str]:
    return [sys.executable, str(BARE_APP)]


def measure(data_dir: Path, runs: int = RUNS) -> tuple[list[dict], list[Run]]:
    """Rows for the table, and the board runs (their peak RSS serves the memory row)."""
    cases = {
        "bare": (bare_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame")),
        "first-frame": (msptui_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame")),
        "board": (msptui_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="board")),
    }
    results: dict[str, list[Run]] = {name: [] for name in cases}
    given_up: set[str] = set()
    for round_ in range(runs + 1):  # round 0 warms the caches (bytecode, page cache) and is dropped
        for name, (argv, env) in cases.items():
            if name in given_up:
                continue
            run = run_in_pty(argv, env)
            if run.seconds is None:
                given_up.add(name)  # a hook that never fires would cost a timeout per round
            if round_ or run.seconds is None:
                results[name].append(run)
    return _rows(results), results["board"]


def _median(runs: list[Run]) -> float | None:
    times = [r.seconds for r in runs if r.seconds is not None]
    return statistics.median(times) if times and len(times) == len(runs) else None


def _problem(runs: list[Run]) -> str:
    return next((r.problem for r in runs if r.problem), "no runs")


def _rows(results: dict[str, list[Run]]) -> list[dict]:
    bare = _median(results["bare"])
    rows = [
        {
            "name": f"cold start: bare Textual app, one DataTable (median of {len(results['bare'])})",
            "value": f"{bare:.3f} s" if bare is not None else f"not measured: {_problem(results['bare'])}",
            "bar": "reference",
            "ok": None,
        }
    ]
    for name, label, bar in (
        ("first-frame", "cold start: msptui first frame", FIRST_FRAME_BAR),
        ("board", "cold start: msptui populated board", BOARD_BAR),
    ):
        median = _median(results[name])
        if median is None or bare is None:
            problem = _problem(results[name]) if median is None else "no bare app figure"
            if name == "board" and "no signal" in problem:
                problem += " (does the board call app.board_populated()?)"
            rows.append({"name": label, "value": f"not measured: {problem}", "bar": f"<= {bar:g}x bare", "ok": False})
            continue
        # Each round runs the three cases back to back: the median of the per-round
        # ratios cancels the drift of a machine whose load changes during the run.
        ratio = statistics.median(r.seconds / b.seconds for b, r in zip(results["bare"], results[name]))
        rows.append(
            {
                "name": f"{label} (median of {len(results[name])})",
                "value": f"{median:.3f} s, {ratio:.2f}x bare",
                "bar": f"<= {bar:g}x bare",
                "ok": ratio <= bar,
            }
        )
    return rows
