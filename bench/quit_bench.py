"""Quit right after start: from the quit key (ctrl+q) sent to the terminal to the process gone.

msptui is started as in bench/cold_start.py (a fresh process on a
pseudo-terminal, 120x40) on the benchmark's data; as soon as its first frame
is on the terminal (the footer's "Quit" drawn), ctrl+q is written to the
terminal and the time until the process has exited is counted. The store is
then still opening (importing SQLAlchemy, reading the board): the bar
(DESIGN.md) is 0.3 s, whatever the store is doing.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.cold_start import _ANSI, msptui_command, open_pty, terminal_env

BAR_S = 0.3
QUIT_KEY = b"\x11"  # ctrl+q
DRAWN = "Quit"  # the footer's label for ctrl+q: the first frame is out


@dataclass(frozen=True)
class Quit:
    seconds: float | None  # key to process gone; None if it never went
    problem: str = ""


def quit_after_start(argv: list[str], env: dict[str, str], timeout: float = 30.0, drawn: str = DRAWN) -> Quit:
    """Start `argv` on a pty, press ctrl+q once `drawn` is on the screen, and time the exit."""
    master, slave = open_pty()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    output = bytearray()
    sent: float | None = None
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None:
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                where = "after the key" if sent else f"before {drawn!r} was drawn"
                return Quit(None, f"still running {timeout:g} s {where}")
            output += _read(master, 0.005)
            if sent is None and drawn in _ANSI.sub(b"", bytes(output)).decode("utf-8", "replace"):
                os.write(master, QUIT_KEY)
                sent = time.monotonic()
        gone = time.monotonic()
    finally:
        os.close(master)
    if sent is None:
        return Quit(None, f"exited {proc.returncode} before {drawn!r} was drawn")
    return Quit(gone - sent)


def _read(master: int, wait: float) -> bytes:
    """What the app wrote (a full pty would block it), waiting at most `wait` seconds."""
    import select

    ready, _, _ = select.select([master], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(master, 65536)
    except OSError:  # EIO: the app closed the terminal
        return b""


def measure(data_dir: Path, runs: int = 7) -> list[dict]:
    """One row; the bare app (bench/bare_app.py) quit the same way, interleaved, is its reference."""
    from bench.cold_start import bare_command

    quits, bare = [], []
    for _ in range(runs):
        quits.append(quit_after_start(msptui_command(), terminal_env(data_dir)))
        bare.append(quit_after_start(bare_command(), terminal_env(data_dir), drawn="Client 1"))
    name = "quit right after start: ctrl+q at the first frame to the process gone"
    bare_times = [q.seconds for q in bare if q.seconds is not None]
    ref = f"bare app {statistics.median(bare_times):.3f} s" if bare_times else "bare app: not measured"
    problems = [q.problem for q in quits if q.seconds is None]
    if problems:
        return [
            {"name": name, "value": f"not measured: {problems[0]}", "ref": ref, "bar": f"<= {BAR_S:g} s", "ok": False}
        ]
    times = [q.seconds for q in quits if q.seconds is not None]
    median = statistics.median(times)
    return [
        {
            "name": f"{name} (median of {len(times)}, slowest {max(times):.2f} s)",
            "value": f"{median:.3f} s",
            "ref": ref,
            "bar": f"<= {BAR_S:g} s",
            "ok": median <= BAR_S,
        }
    ]
