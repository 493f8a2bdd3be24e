"""Searching the ticket history as one types, over 100,000 tickets (issue 15, issue 16 item 6).

The keystroke in msptui's Tickets history (msptui/ui/screens/tickets/history.py),
headless at 120x40 as the client browser's keystroke is measured
(bench/filter_bench.py): the UI thread's CPU time from the key press until the
app is idle again, the median over every key of a few realistic searches
(a title word, a client and a city, a note's words, a status filter with a word).
Its reference is the same bare Input + DataTable app (bench/filter_app.py)
refilled with the first 50 matches among the 100,000 tickets' "title client"
lines, newest first, in the same harness and run, each app in a fresh
interpreter. Bar: 0.5x the reference.

A second row says what the index costs in memory (tracemalloc, after loading).

    python -m bench.ticket_search_bench history|reference|memory DATA_DIR   # one figure, as JSON
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.filter_bench import type_searches  # the same keystroke measure as the client browser's

BAR = 0.5
SEARCHES = ("imprimante", "garage metz", "appele client", "status:open vpn")


async def _history_keystrokes(data_dir: Path) -> list[float]:
    from textual.widgets import Input

    from msptui.paths import resolve
    from msptui.ui.app import MsptuiApp
    from msptui.ui.screens.tickets.history import TicketHistoryScreen

    app = MsptuiApp(resolve(data_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.push_screen(TicketHistoryScreen())
        for _ in range(400):  # the index loads in a worker: wait for the list to fill
            await app.workers.wait_for_complete()
            await pilot.pause()
            if getattr(app.screen, "index", None) is not None:
                break
        else:
            raise RuntimeError("the ticket history never loaded its index")
        return await type_searches(app, pilot, app.screen.query_one("#history-filter", Input), SEARCHES)


async def _reference_keystrokes(data_dir: Path) -> list[float]:
    from textual.widgets import Input

    from bench.filter_app import FilterTableApp

    con = sqlite3.connect(f"file:{data_dir / 'msptui.sqlite3'}?mode=ro", uri=True)
    try:
        lines = [
            f"{title} {name}"
            for title, name in con.execute(
                "SELECT t.title, c.name FROM ticket t JOIN client c ON c.id = t.client_id"
                " ORDER BY t.opened_at DESC, t.id DESC"
            )
        ]
    finally:
        con.close()
    app = FilterTableApp(lines)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return await type_searches(app, pilot, app.query_one("#filter", Input), SEARCHES)


def _index_memory(data_dir: Path) -> dict:
    import gc
    import tracemalloc

    from msptui.paths import resolve
    from msptui.store.open import open_store
    from msptui.store.ticket_index import load_ticket_index

    store = open_store(resolve(data_dir))
    try:
        gc.collect()
        tracemalloc.start()
        started = time.perf_counter()
        index = load_ticket_index(store.engine)
        seconds = time.perf_counter() - started
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        store.dispose()
    return {"tickets": len(index), "kept": kept, "peak": peak, "seconds": seconds}


def _in_fresh_process(which: str, data_dir: Path) -> object:
    done = subprocess.run(
        [sys.executable, "-m", "bench.ticket_search_bench", which, str(data_dir)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=900,
    )
    if done.returncode:
        raise RuntimeError((done.stderr.strip().splitlines() or ["no output"])[-1][:200])
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(data_dir: Path) -> list[dict]:
    name = "ticket search per keystroke, 100,000 tickets, UI-thread CPU, headless"
    rows = []
    try:
        reference = _in_fresh_process("reference", data_dir)
        costs = _in_fresh_process("history", data_dir)
    except Exception as exc:  # report, don't crash the other rows
        rows.append(
            {
                "name": name,
                "value": f"not measured: {type(exc).__name__}: {exc}"[:160],
                "bar": f"<= {BAR:g}x ref",
                "ok": False,
            }
        )
    else:
        assert isinstance(reference, list) and isinstance(costs, list)
        ref, median = statistics.median(reference), statistics.median(costs)
        rows.append(
            {
                "name": f"{name} (median of {len(costs)}, worst {max(costs):.0f} ms)",
                "value": f"{median:.1f} ms, {median / ref:.2f}x ref",
                "ref": f"Input+DataTable {ref:.1f} ms (worst {max(reference):.0f})",
                "bar": f"<= {BAR:g}x ref",
                "ok": median <= BAR * ref,
            }
        )
    try:
        memory = _in_fresh_process("memory", data_dir)
        assert isinstance(memory, dict)
        rows.append(
            {
                "name": f"ticket search index, {memory['tickets']:,} tickets with their notes: memory kept (read in)",
                "value": f"{memory['kept'] / 2**20:.1f} MB (peak {memory['peak'] / 2**20:.1f} MB, {memory['seconds']:.1f} s)",
                "bar": "info",
                "ok": True,
            }
        )
    except Exception as exc:
        rows.append(
            {"name": "ticket search index memory", "value": f"not measured: {exc}"[:160], "bar": "info", "ok": None}
        )
    return rows


if __name__ == "__main__":  # one app's keystroke costs (or the index's memory), as JSON, from a fresh interpreter
    which, folder = sys.argv[1], Path(sys.argv[2])
    if which == "memory":
        print(json.dumps(_index_memory(folder)))
    else:
        run = _history_keystrokes if which == "history" else _reference_keystrokes
        print(json.dumps(asyncio.run(run(folder))))
