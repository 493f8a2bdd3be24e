"""The monthly review over 10,000 clients (issue 17): every client's month read at once.

`msptui.store.reads.monthly_review.monthly_review` on the base profile (10,000
clients, 100,000 tickets over three years), for the month now: only the tickets
that can count in this month or the one before are read and put through the SLA
engine, never the three years. One warm-up call first (the contracts' calendars
and holidays are built once per process, as in the app), then the median of
RUNS calls. Bar: BAR_SECONDS, the wait one accepts after a key at the end of the month.

    python -m bench.review_bench DATA_DIR   # prints the row
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

RUNS = 7
BAR_SECONDS = 5.0


def measure(data_dir: Path, runs: int = RUNS) -> list[dict]:
    from msptui.paths import resolve
    from msptui.store.open import open_store
    from msptui.store.reads.monthly_review import current_month, monthly_review

    name = f"monthly review over 10,000 clients, this month's tickets (median of {runs})"
    store = open_store(resolve(data_dir))
    try:
        now = datetime.now(UTC)
        month = current_month(now, "Europe/Paris")
        started = time.perf_counter()
        review = monthly_review(store.engine, month, now)
        first = time.perf_counter() - started
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            monthly_review(store.engine, month, now)
            seconds.append(time.perf_counter() - started)
    finally:
        store.dispose()
    median = statistics.median(seconds)
    measured = sum(1 for r in review.rows if r.compliance is not None)
    return [
        {
            "name": name,
            "value": f"{median:.2f} s (first {first:.2f} s, worst {max(seconds):.2f} s; "
            f"{len(review.rows):,} clients, {measured:,} with a deadline this month)",
            "bar": f"<= {BAR_SECONDS:g} s",
            "ok": median <= BAR_SECONDS,
        }
    ]


if __name__ == "__main__":
    for row in measure(Path(sys.argv[1])):
        print(row)
