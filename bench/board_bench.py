"""SLA board benchmark: the cost of one tick with 1,000 open tickets (and 10,000: `measure_folder`).

The real board (msptui's BoardScreen in a headless 120x40 app) is filled from
the generated database (100,000 tickets, 1,000 open), then the frozen clock
moves one second at a time and `BoardScreen.tick()` is timed: project every
open ticket's clocks and apply the changed cells inside `batch_update`. The
bar (DESIGN.md) is a median under 5 ms. Also reported, as information: the
slowest tick (the minute changes: every ticking cell is rebuilt) and the
cost of re-evaluating every ticket with the engine (what happens when a
calendar opens or closes for all of them at once).

    python -m bench --skip cold_start,memory,filter,sla     # through the runner
    python bench/board_bench.py                             # alone (the runner's data, or a small generated one)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TICK_BAR_MS = 5.0
SLOWEST_BAR_MS = 20.0  # at 10,000 open (issue 15); information at 1,000
TICKS = 180  # three simulated minutes: the median is a tick within a minute, the max one that crosses it
SIZE = (120, 40)


def measure(engine: Any = None, clock: Any = None) -> list[dict]:
    """Rows {name, value, bar, ok} for the board tick, on the database behind `engine`
    (a SQLite file; the board opens its own store on the same folder), or without
    one on a copy of the benchmark's generated database. `clock` is a FrozenClock
    (default: frozen at the current instant, like the generated data)."""
    from msptui.core.clock import FrozenClock

    clock = clock or FrozenClock(datetime.now(UTC))
    if engine is not None:
        database = engine.url.database
        if not database:
            raise ValueError("the board benchmark needs a SQLite file database")
        return asyncio.run(_measure(Path(database).parent, clock))
    with tempfile.TemporaryDirectory(prefix="msptui-board-bench-") as folder:
        return asyncio.run(_measure(_data_folder(Path(folder) / "data"), clock))


def measure_folder(data_dir: Path, slowest_bar_ms: float | None = SLOWEST_BAR_MS) -> list[dict]:
    """The same rows on the data folder `data_dir` (the 10,000-open profile: issue 15's bars,
    median under 5 ms and slowest under 20 ms)."""
    from msptui.core.clock import FrozenClock

    return asyncio.run(_measure(data_dir, FrozenClock(datetime.now(UTC)), slowest_bar_ms))


def _data_folder(data_dir: Path) -> Path:
    """A data folder holding the runner's generated database, or a small one of our own."""
    try:
        from bench.generate import cached_database, prepare
    except ImportError:
        return _small_database(data_dir).parent
    prepare(cached_database().database, data_dir)
    return data_dir


async def _measure(data_dir: Path, clock: Any, slowest_bar_ms: float | None = None) -> list[dict]:
    from msptui.paths import resolve
    from msptui.ui.app import MsptuiApp
    from msptui.ui.screens.tickets.board import BoardScreen

    app = MsptuiApp(resolve(data_dir), clock)
    async with app.run_test(size=SIZE) as pilot:
        started = time.perf_counter()
        board = app.screen
        # Usable: the store open and its read applied (the early read alone is not the board ticked all night).
        while not (isinstance(board, BoardScreen) and board.loaded and app.store is not None):
            await app.workers.wait_for_complete()
            await pilot.pause()
            board = app.screen
            if time.perf_counter() - started > 300:  # 10,000 open: slow before issue 15
                raise TimeoutError("the board was not populated within 300 s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = len(board.rows)
        clocks = sum(len(cd.clocks) for cd in board.rows.values())

        timings = []
        for _ in range(TICKS):
            clock.advance(timedelta(seconds=1))
            t0 = time.perf_counter()
            board.tick()
            timings.append((time.perf_counter() - t0) * 1e3)
            await pilot.pause()  # let the table repaint, as between two real ticks

        timer_timings = await _ticks_with_a_timer(app, board, clock, pilot)

        now = clock.now()
        t0 = time.perf_counter()
        for cd in board.rows.values():
            cd.evaluate(now)
        evaluate_all_ms = (time.perf_counter() - t0) * 1e3

    median = statistics.median(timings)
    return [
        {
            "name": f"board tick: {rows:,} open tickets, {clocks:,} clocks (median)",
            "value": f"{median:.2f} ms",
            "bar": f"< {TICK_BAR_MS:g} ms",
            "ok": median < TICK_BAR_MS,
        },
        {
            "name": f"board tick, {rows:,} open, when the minute changes (slowest of {len(timings)})",
            "value": f"{max(timings):.2f} ms",
            "bar": "info" if slowest_bar_ms is None else f"< {slowest_bar_ms:g} ms",
            "ok": True if slowest_bar_ms is None else max(timings) < slowest_bar_ms,
        },
        {
            "name": f"board tick with a running timer in the header, {rows:,} open (median of {len(timer_timings)})",
            "value": f"{statistics.median(timer_timings):.2f} ms",
            "bar": f"< {TICK_BAR_MS:g} ms",
            "ok": statistics.median(timer_timings) < TICK_BAR_MS,
        },
        {
            "name": f"board: re-evaluate all {rows:,} tickets with the engine",
            "value": f"{evaluate_all_ms:.1f} ms",
            "bar": "info",
            "ok": True,
        },
    ]


async def _ticks_with_a_timer(app: Any, board: Any, clock: Any, pilot: Any) -> list[float]:
    """The same ticks with a timer running on the first ticket (issue 16): the board's
    tick plus the header timer's, each simulated second."""
    from msptui.store.time_entries import start_timer
    from msptui.ui.widgets.timer import TimerBadge

    start_timer(app.store.engine, ticket_id=next(iter(board.rows)), now=clock.now())
    badge = board.query_one(TimerBadge)
    badge.poll()
    while badge.running is None:
        await app.workers.wait_for_complete()
        await pilot.pause()
    timings = []
    for _ in range(TICKS):
        clock.advance(timedelta(seconds=1))
        t0 = time.perf_counter()
        board.tick()
        badge.tick()
        timings.append((time.perf_counter() - t0) * 1e3)
        await pilot.pause()
    return timings


def main() -> int:
    rows = measure()
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['name']:<{width}}  {r['value']:>10}  {r['bar']:>8}  {'yes' if r['ok'] else 'NO'}")
    return 0 if all(r["ok"] for r in rows) else 1


def _small_database(data_dir: Path) -> Path:
    """1,000 open tickets on the sample contracts, opened over the last five days."""
    import random

    from msptui.paths import resolve
    from msptui.store import db
    from msptui.store.models import Contract
    from msptui.store.open import open_store
    from msptui.store.sample import load_sample
    from msptui.store.tickets import TicketCreate, apply_action, open_in

    paths = resolve(data_dir).ensure()
    store = open_store(paths)
    now = datetime.now(UTC)
    rng = random.Random(4)
    try:
        load_sample(store.engine, now - timedelta(days=6))
        with db.write(store.engine) as s:
            contracts = [(c.id, c.client_id) for c in s.query(Contract).filter(Contract.status == "active")]
            for _ in range(1000):
                contract_id, client_id = rng.choice(contracts)
                opened = now - timedelta(seconds=rng.randrange(3600, 5 * 86400))
                data = TicketCreate(
                    client_id=client_id,
                    contract_id=contract_id,
                    title="Generated",
                    priority=rng.choice(("P1", "P2", "P3", "P4")),
                )
                ticket = open_in(s, data, opened)
                for action in rng.choice(((), ("acknowledge",), ("acknowledge", "wait_client"))):
                    opened += timedelta(minutes=rng.randrange(1, 30))
                    apply_action(s, ticket.id, action, min(opened, now))
    finally:
        store.dispose()
    return paths.database


if __name__ == "__main__":
    sys.exit(main())
