"""Peak memory of msptui with the 100,000-ticket database open on the board
(and, `measure_at`, on the ten-times profiles: 10,000 open, 100,000 clients with the list open).

One run under a pseudo-terminal (as bench/cold_start.py) that waits for the
board to be populated, then lets it tick for a few seconds before exiting
(MSPTUI_BENCH_LINGER). The figure is the child's VmHWM (polled from /proc
while it runs): the most resident memory the process ever held. DESIGN.md's
bar: under 150 MB.
"""

from __future__ import annotations

from pathlib import Path

from bench.cold_start import Run, bare_command, msptui_command, run_in_pty, terminal_env

BAR_MB = 150.0
LINGER_S = 3.0


def measure(data_dir: Path, board_signals: bool = True) -> list[dict]:
    """Rows: msptui's peak RSS on the populated board, and the bare app's for reference.

    `board_signals=False` (the cold start saw no populated board) skips waiting for it.
    """
    rows = []
    run = Run(None, 0.0, "the board never called app.board_populated()")
    if board_signals:
        run = run_in_pty(
            msptui_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="store", MSPTUI_BENCH_LINGER=str(LINGER_S))
        )
    if run.seconds is not None:
        rows.append(
            {
                "name": f"peak memory: msptui, store open, 1,000 open + {LINGER_S:g} s of ticks",
                "value": f"{run.max_rss_mb:.0f} MB",
                "bar": f"< {BAR_MB:g} MB",
                "ok": run.max_rss_mb < BAR_MB,
            }
        )
    else:
        # The board never said it was populated: still report what the process held
        # on the board screen with the store open, marked as not the real measure.
        held = run_in_pty(
            msptui_command(),
            terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame", MSPTUI_BENCH_LINGER="5"),
        )
        rows.append(
            {
                "name": "peak memory: msptui, board NOT populated (5 s after first frame)",
                "value": f"{held.max_rss_mb:.0f} MB ({run.problem})",
                "bar": f"< {BAR_MB:g} MB",
                "ok": False,
            }
        )
    bare = run_in_pty(bare_command(), terminal_env(data_dir, MSPTUI_BENCH_EXIT="first-frame"))
    rows.append(
        {"name": "peak memory: bare Textual app", "value": f"{bare.max_rss_mb:.0f} MB", "bar": "reference", "ok": None}
    )
    return rows


def measure_at(data_dir: Path, moment: str, label: str) -> dict:
    """One row: msptui's peak RSS on `data_dir` at `moment` (usable, clients) plus LINGER_S seconds."""
    env = terminal_env(data_dir, MSPTUI_BENCH_EXIT=moment, MSPTUI_BENCH_LINGER=str(LINGER_S))
    run = run_in_pty(msptui_command(), env)
    name = f"peak memory: msptui, {label} + {LINGER_S:g} s"
    if run.seconds is None:
        return {"name": name, "value": f"not measured: {run.problem}", "bar": f"< {BAR_MB:g} MB", "ok": False}
    return {"name": name, "value": f"{run.max_rss_mb:.0f} MB", "bar": f"< {BAR_MB:g} MB", "ok": run.max_rss_mb < BAR_MB}
