"""A month's service report for one client of the 100,000-ticket bench database (issue 17).

The client is the one with the most tickets logged in the last complete month
(the busiest report to make), the month that one. Measured in a fresh
interpreter, on the generated data (a copy, as every row): the read model alone
(`store.reads.service_report.service_report`: its tickets, their clocks through
the SLA engine, twelve statements for the hours), then the whole PDF (read,
charts drawn by matplotlib, written), each the median of RUNS after one first
run reported apart (it pays matplotlib's import and font cache).

    python -m bench.report_bench DATA_DIR   # the figures, as JSON
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

RUNS = 9


def _busiest(database: Path, now: datetime) -> tuple[int, str, str]:
    """(client id, code, month) of the client with the most tickets logged in the last complete month."""
    month = f"{now.year - (now.month == 1)}-{(now.month - 2) % 12 + 1:02d}"
    first = f"{month}-01"
    after = f"{now.year}-{now.month:02d}-01"
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        (client_id, code) = con.execute(
            "SELECT c.id, c.code FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id JOIN client c ON c.id = t.client_id"
            " WHERE e.at >= ? AND e.at < ? GROUP BY c.id, c.code ORDER BY COUNT(DISTINCT t.id) DESC, c.id LIMIT 1",
            (first, after),
        ).fetchone()
    finally:
        con.close()
    return int(client_id), str(code), month


def _figures(data_dir: Path) -> dict:
    from msptui.paths import resolve
    from msptui.store.files.service_report import write_report_files
    from msptui.store.open import open_store
    from msptui.store.reads.service_report import service_report

    paths = resolve(data_dir)
    now = datetime.now(UTC)
    client_id, code, month = _busiest(paths.database, now)
    store = open_store(paths)
    try:

        def read() -> object:
            return service_report(store.engine, client_id, month, now)

        def pdf() -> object:
            return write_report_files(paths.exports, service_report(store.engine, client_id, month, now), ["pdf"])

        timings = {}
        for name, run in (("read", read), ("pdf", pdf)):
            started = time.perf_counter()
            run()
            first = time.perf_counter() - started
            seconds = []
            for _ in range(RUNS):
                started = time.perf_counter()
                run()
                seconds.append(time.perf_counter() - started)
            timings[name] = {"first": first, "median": statistics.median(seconds), "worst": max(seconds)}
        report = service_report(store.engine, client_id, month, now)
    finally:
        store.dispose()
    return {
        "client": code,
        "month": month,
        "clocks": report.sla.overall.count,
        "timings": timings,
    }


def measure(data_dir: Path) -> list[dict]:
    name = "service report, one client's month, 100,000-ticket database"
    done = subprocess.run(
        [sys.executable, "-m", "bench.report_bench", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        timeout=600,
    )
    if done.returncode:
        why = (done.stderr.strip().splitlines() or ["no output"])[-1][:160]
        return [{"name": name, "value": f"not measured: {why}", "bar": "info", "ok": None}]
    f = json.loads(done.stdout.strip().splitlines()[-1])
    read, pdf = f["timings"]["read"], f["timings"]["pdf"]
    return [
        {
            "name": f"{name}: read (median of {RUNS}; {f['client']} {f['month']}, {f['clocks']} clocks)",
            "value": f"{read['median'] * 1e3:.0f} ms (worst {read['worst'] * 1e3:.0f}, first {read['first'] * 1e3:.0f})",
            "bar": "info",
            "ok": True,
        },
        {
            "name": f"{name}: PDF with its vector charts (median of {RUNS})",
            "value": f"{pdf['median'] * 1e3:.0f} ms (worst {pdf['worst'] * 1e3:.0f}, first with matplotlib's import {pdf['first'] * 1e3:.0f})",
            "bar": "info",
            "ok": True,
        },
    ]


if __name__ == "__main__":
    print(json.dumps(_figures(Path(sys.argv[1]))))
