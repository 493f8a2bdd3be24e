"""Idle CPU: the board left open, against a bare Textual app ticking a one-second clock.

All the apps run at once, each on its own pseudo-terminal (as in
bench/cold_start.py), so a load that drifts touches them alike:
- the reference, bench/clock_app.py: one DataTable and a clock updated every second;
- bench/bare_app.py left still (information: what Textual costs doing nothing);
- msptui on the board, once usable (MSPTUI_BENCH_EXIT=usable with a long linger and
  MSPTUI_BENCH_MARKS: the app writes the moment to a file and keeps running),
  on each data folder given (the 1,000 and the 10,000 open tickets).
Once every app is ready and a few more seconds have passed (today's automatic
backup, the first re-reads), the CPU time each process used (utime + stime from
/proc/<pid>/stat, every thread) is read at the start and the end of the same
window of `seconds`; the figure is CPU time / wall time. Bars (DESIGN.md): no
more than the reference at 1,000 open, 2x at 10,000.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.cold_start import _ANSI, bare_command, msptui_command, open_pty, terminal_env

SECONDS = 60.0
SETTLE_S = 5.0  # after the last app is ready, before the window opens
READY_TIMEOUT_S = 120.0
CLOCK_APP = Path(__file__).with_name("clock_app.py")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class _App:
    name: str
    proc: subprocess.Popen
    master: int
    marks: Path | None  # msptui: the file its moment is written to; else ready once "Client 1" is drawn
    output: bytearray = field(default_factory=bytearray)
    ready: bool = False

    def check_ready(self) -> bool:
        if not self.ready:
            if self.marks is not None:
                self.ready = self.marks.exists() and "store" in self.marks.read_text()
            else:
                self.ready = "Client 1" in _ANSI.sub(b"", bytes(self.output[-200_000:])).decode("utf-8", "replace")
        return self.ready


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of every thread of `pid` so far (/proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime: fields 14 and 15 of stat


def _start(name: str, argv: list[str], env: dict[str, str], marks: Path | None) -> _App:
    master, slave = open_pty()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    return _App(name, proc, master, marks)


def _drain(apps: list[_App], wait: float) -> None:
    """Read what the apps wrote (a full pty blocks its app) for about `wait` seconds."""
    ready, _, _ = select.select([a.master for a in apps], [], [], wait)
    for app in apps:
        if app.master in ready:
            try:
                app.output += os.read(app.master, 65536)
            except OSError:
                pass
        del app.output[:-400_000]  # keep the tail only: a night of clock updates is long


def run(msptui_data: dict[str, Path], seconds: float = SECONDS) -> dict[str, float | str]:
    """Idle CPU fraction of each app over one common window ({name: fraction, or why not})."""
    folder = Path(tempfile.mkdtemp(prefix="msptui-idle-"))
    apps = [
        _start("clock", bare_command()[:1] + [str(CLOCK_APP)], terminal_env(folder), None),
        _start("still", bare_command(), terminal_env(folder), None),
    ]
    for name, data_dir in msptui_data.items():
        marks = folder / f"{name}.marks"
        env = terminal_env(
            data_dir, MSPTUI_BENCH_EXIT="store", MSPTUI_BENCH_LINGER="86400", MSPTUI_BENCH_MARKS=str(marks)
        )
        apps.append(_start(name, msptui_command(), env, marks))
    results: dict[str, float | str] = {}
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not all(a.check_ready() or a.proc.poll() is not None for a in apps) and time.monotonic() < deadline:
            _drain(apps, 0.05)
        for app in apps:
            if not app.ready:
                why = "exited" if app.proc.poll() is not None else f"not ready within {READY_TIMEOUT_S:g} s"
                results[app.name] = f"{why} (does the board call app.board_populated() with the store open?)"
        live = [a for a in apps if a.ready]
        settle = time.monotonic() + SETTLE_S
        while time.monotonic() < settle:
            _drain(live, 0.05)
        started = time.monotonic()
        before = {a.name: cpu_seconds(a.proc.pid) for a in live}
        while time.monotonic() - started < seconds:
            _drain(live, 0.1)
        after = {a.name: cpu_seconds(a.proc.pid) for a in live}
        wall = time.monotonic() - started
        for app in live:
            results[app.name] = (after[app.name] - before[app.name]) / wall
    finally:
        for app in apps:
            _stop(app)
    return results


def _stop(app: _App) -> None:
    if app.proc.poll() is None:
        try:
            os.write(app.master, b"\x11")  # ctrl+q, as a user would
            app.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(app.proc.pid, signal.SIGKILL)
            app.proc.wait()
    os.close(app.master)


def measure(msptui_data: dict[str, tuple[Path, str, float]], seconds: float = SECONDS) -> list[dict]:
    """Rows; `msptui_data` maps a name to (data folder, label, bar as a multiple of the clock app)."""
    results = run({name: data for name, (data, _label, _bar) in msptui_data.items()}, seconds)
    clock = results.get("clock")
    rows = [
        {
            "name": f"idle CPU: bare app ticking a one-second clock, {seconds:g} s",
            "value": f"{clock:.2%}" if isinstance(clock, float) else f"not measured: {clock}",
            "bar": "reference",
            "ok": None,
        },
        {
            "name": f"idle CPU: bare app, still, {seconds:g} s",
            "value": f"{results['still']:.2%}" if isinstance(results.get("still"), float) else "not measured",
            "bar": "info",
            "ok": None,
        },
    ]
    for name, (_data, label, bar) in msptui_data.items():
        got = results.get(name)
        row = {
            "name": f"idle CPU: msptui board usable, {label}, {seconds:g} s",
            "ref": f"clock app {clock:.2%}" if isinstance(clock, float) else "",
            "bar": f"<= {bar:.1f}x clock app",
        }
        if isinstance(got, float) and isinstance(clock, float) and clock > 0:
            row.update(value=f"{got:.2%}, {got / clock:.2f}x clock app", ok=got <= bar * clock)
        else:
            row.update(value=f"not measured: {got if isinstance(got, str) else 'no reference'}", ok=False)
        rows.append(row)
    return rows
