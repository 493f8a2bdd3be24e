"""Cold start as a user sees it: `msptui` in a real terminal, beside a bare Textual app.

Each run is a fresh process under a pseudo-terminal (TERM=xterm-256color,
120x40), so Textual really renders. The app's benchmark hook
(MSPTUI_BENCH_EXIT, see msptui/ui/app.py) prints the system-wide monotonic
instant of the moment measured and exits; the time counted is from just
before the process is spawned to that instant, interpreter start included.

The cases are interleaved, several times, and medians taken (the ratio is
the median of each round's ratio to that round's bare app):
- the bare app (bench/bare_app.py) to its first frame, a DataTable of 40 rows;
- msptui to its first frame (the board screen, the store still opening);
- the same in French (`--lang fr`) against English, in 21 pairs of their own
  (see `french_pairs`): the catalogue's cost (issue 19's bar: within 5 %);
- msptui to a usable board: its rows from the 100,000-ticket database and
  every action shown (read straight from the SQLite file; a key pressed
  before the store has opened runs as soon as it opens), on 1,000 and on
  10,000 open tickets; and on 1,000 from a PostgreSQL server holding the
  same data, when there is one (bench/postgres_bench.py);
- msptui to the store open and the board confirmed from it (its version
  stamp compared), for information: what "usable" meant before issue 15's
  second stop;
- at 100,000 clients, F2 pressed once the board is usable, to the client
  list shown (the app presses it: MSPTUI_BENCH_EXIT=clients); the time is
  from the key to the list, against a whole bare cold start.
DESIGN.md's bars are ratios to the bare app: first frame within 1.0x, a
usable board within 2.0x (3.0x at 10,000 open), F2 within 0.5x.
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
from dataclasses import dataclass, field
from pathlib import Path

SIZE = (120, 40)  # columns, lines
RUNS = 7  # per case; medians of a noisy machine need a few
TIMEOUT_S = 60.0  # 10,000 open tickets took 16 s to a usable board before issue 15
FIRST_FRAME_BAR = 1.0
USABLE_BAR = 2.0
USABLE_10K_BAR = 3.0
CLIENTS_BAR = 0.5
FRENCH_BAR = 1.05  # issue 19: the first frame in French within 5 % of the English one
FRENCH_RUNS = 21  # pairs: a 5 % bar needs more than the other cases' seven rounds
BARE_APP = Path(__file__).with_name("bare_app.py")
_MARK = re.compile(rb"msptui-bench (\S+) (\d+\.\d+)")
_ANSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")


@dataclass(frozen=True)
class Run:
    seconds: float | None  # spawn to the moment signalled; None when it never came
    max_rss_mb: float  # the child's peak resident memory (VmHWM, polled while it runs)
    problem: str = ""  # why there is no figure, in words
    marks: dict[str, float] = field(default_factory=dict)  # every moment printed, spawn to it (s)


def terminal_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a user's terminal, minus anything that changes Textual's output.

    Without PYTHONDONTWRITEBYTECODE (set in some sandboxes and CI): a user's first run
    writes msptui's bytecode, as pip did for Textual's, and later starts read it. With it,
    every start compiled some 100 msptui modules again (a fifth of a second and more),
    which a user never pays, while the bare app's Textual was compiled at install."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "MSPTUI_"))
        and k not in ("NO_COLOR", "COLUMNS", "LINES", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    }
    env.update(TERM="xterm-256color", COLORTERM="truecolor", MSPTUI_DATA_DIR=str(data_dir), **extra)
    return env


def run_in_pty(argv: list[str], env: dict[str, str], timeout: float = TIMEOUT_S) -> Run:
    """Run `argv` on a fresh pseudo-terminal until it exits; the moment it printed, and its peak RSS.

    The peak is polled every 50 ms, so growth in the last instants before exit can be missed.
    """
    master, slave = open_pty()
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
        marks = {name.decode(): float(at) - started for name, at in found}
        # The moment asked for (atexit prints the marks last registered first).
        seconds = marks.get(env.get("MSPTUI_BENCH_EXIT", ""), float(found[-1][1]) - started)
        return Run(seconds, rss_mb, marks=marks)
    if timed_out:
        return Run(None, rss_mb, f"no signal within {timeout:g} s")
    return Run(None, rss_mb, f"exited {proc.returncode} without a signal: {_tail(output)}")


def open_pty() -> tuple[int, int]:
    """A pseudo-terminal of SIZE: (master, slave) file descriptors."""
    master, slave = pty.openpty()
    columns, lines = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    return master, slave


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


def measure(
    data_dir: Path,
    runs: int = RUNS,
    open10k: Path | None = None,
    clients100k: Path | None = None,
    postgres: str | None = None,
) -> tuple[list[dict], dict[str, list[Run]]]:
    """Rows for the table, and every case's runs (their peak RSS serves the memory rows).

    `open10k` and `clients100k`: data folders of those profiles (their cases are left out without).
    `postgres`: the URL of a server database holding the same data as `data_dir` (issue 20).
    """
    cases = {
        "bare": (bare_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame")),
        "first-frame": (msptui_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame")),
        "usable": (msptui_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="usable")),
        "store": (msptui_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="store")),
    }
    if open10k is not None:
        cases["usable-10k"] = (msptui_command(), terminal_env(open10k, MSPTUI_BENCH_EXIT="usable"))
        cases["store-10k"] = (msptui_command(), terminal_env(open10k, MSPTUI_BENCH_EXIT="store"))
    if postgres is not None:  # the same data on a server, in the same rounds as the bare app
        cases["usable-pg"] = (
            msptui_command(),
            terminal_env(data_dir, MSPTUI_BENCH_EXIT="usable", MSPTUI_DATABASE_URL=postgres),
        )
    if clients100k is not None:
        cases["clients"] = (msptui_command(), terminal_env(clients100k, MSPTUI_BENCH_EXIT="clients"))
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
    results.update(french_pairs(data_dir))
    return _rows(results), results


def french_pairs(data_dir: Path, runs: int = FRENCH_RUNS) -> dict[str, list[Run]]:
    """The first frame in English and in French, in pairs whose order alternates.

    A bar of 5 % is below what seven rounds of a busy machine can tell apart, so this
    pair has its own, longer series; each pair's ratio cancels the drift of the load,
    and alternating who goes first cancels the cost of starting right after another run.
    """
    english = (msptui_command() + ["--lang", "en"], terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame"))
    french = (msptui_command() + ["--lang", "fr"], terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame"))
    found: dict[str, list[Run]] = {"first-frame-en": [], "first-frame-fr": []}
    for round_ in range(runs + 1):  # round 0 warms up and is dropped
        pair = [("first-frame-en", english), ("first-frame-fr", french)]
        for name, (argv, env) in pair if round_ % 2 else reversed(pair):
            run = run_in_pty(argv, env)
            if round_:
                found[name].append(run)
            if run.seconds is None:
                return found
    return found


def _median(runs: list[Run]) -> float | None:
    times = [r.seconds for r in runs if r.seconds is not None]
    return statistics.median(times) if times and len(times) == len(runs) else None


def _problem(runs: list[Run]) -> str:
    return next((r.problem for r in runs if r.problem), "no runs")


def f2_seconds(run: Run) -> float | None:
    """From the F2 key to the client list shown, in a "clients" run."""
    if "f2" not in run.marks or "clients" not in run.marks:
        return None
    return run.marks["clients"] - run.marks["f2"]


# (case, label, bar as a multiple of the bare cold start; None: information only)
CASES: tuple[tuple[str, str, float | None], ...] = (
    ("first-frame", "cold start: msptui first frame", FIRST_FRAME_BAR),
    ("usable", "cold start: msptui board usable, 1,000 open (rows and every action shown)", USABLE_BAR),
    ("store", "cold start: msptui store open, board confirmed from it, 1,000 open", None),
    ("usable-pg", "cold start: msptui board usable on PostgreSQL, 1,000 open", USABLE_BAR),
    ("usable-10k", "cold start: msptui board usable, 10,000 open", USABLE_10K_BAR),
    ("store-10k", "cold start: msptui store open, board confirmed from it, 10,000 open", None),
    ("clients", "F2 to a usable client list, 100,000 clients (key to list shown)", CLIENTS_BAR),
)


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
    ref = f"bare {bare:.3f} s" if bare is not None else ""
    for name, label, bar in CASES:
        if name not in results:
            continue
        runs = results[name]
        if name == "clients":  # the F2 key to the list, not the whole start
            runs = [
                Run(f2_seconds(r), r.max_rss_mb, r.problem or ("" if f2_seconds(r) else "no f2 mark")) for r in runs
            ]
        median = _median(runs)
        if median is None or bare is None:
            problem = _problem(runs) if median is None else "no bare app figure"
            if "no signal" in problem:
                problem += " (does the board call app.board_populated()?)"
            rows.append(
                {
                    "name": label,
                    "value": f"not measured: {problem}",
                    "ref": ref,
                    "bar": f"<= {bar:.1f}x bare" if bar is not None else "info",
                    "ok": False if bar is not None else None,
                }
            )
            continue
        # Each round runs the cases back to back: the median of the per-round ratios
        # cancels the drift of a machine whose load changes during the run.
        ratio = statistics.median(r.seconds / b.seconds for b, r in zip(results["bare"], runs))  # type: ignore[operator]
        rows.append(
            {
                "name": f"{label} (median of {len(runs)})",
                "value": f"{median:.3f} s, {ratio:.2f}x bare",
                "ref": ref,
                "bar": f"<= {bar:.1f}x bare" if bar is not None else "info",
                "ok": ratio <= bar if bar is not None else None,
            }
        )
    rows.extend(_french_row(results))
    return rows


def _french_row(results: dict[str, list[Run]]) -> list[dict]:
    """The first frame in French against the English one of the same rounds."""
    english, french = results.get("first-frame-en", []), results.get("first-frame-fr", [])
    label = "cold start: msptui first frame in French (--lang fr), against English"
    bar = f"<= {FRENCH_BAR:.2f}x English"
    if _median(english) is None or _median(french) is None:
        return [{"name": label, "value": f"not measured: {_problem(french or english)}", "bar": bar, "ok": False}]
    ratio = statistics.median(f.seconds / e.seconds for e, f in zip(english, french))  # type: ignore[operator]
    return [
        {
            "name": f"{label} (median of {len(french)})",
            "value": f"{_median(french):.3f} s, {ratio:.2f}x English",
            "ref": f"English {_median(english):.3f} s",
            "bar": bar,
            "ok": ratio <= FRENCH_BAR,
        }
    ]
