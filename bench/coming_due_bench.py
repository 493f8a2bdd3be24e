"""Coming-due benchmark (issue 18): the board's tick with 1,000 open tickets and 1,000
items in its coming-due band.

The board benchmark's database (bench/board_bench.py: 1,000 open tickets) gets 1,000
items coming due, added through the store on a copy: 500 data breaches not yet notified,
discovered over the last four days (72-hour countdowns without a contract: some overdue, many under a
day, whose minutes change), and 500 renewals inside their notice period. Then the same
ticks are timed, the band's countdowns included: the bar is the board tick's, a median
under 5 ms.

    python -m bench --skip cold_start,memory,filter,sla,board    # through the runner
    python bench/coming_due_bench.py                             # alone
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ITEMS = 1000


def measure(data_dir: Path) -> list[dict]:
    """Rows {name, value, bar, ok}: the board tick with ITEMS coming-due items, on a copy of
    the data folder `data_dir` (the runner's generated database: it stays as it was)."""
    import shutil

    from bench import board_bench
    from msptui.core.clock import FrozenClock

    clock = FrozenClock(datetime.now(UTC))
    with tempfile.TemporaryDirectory(prefix="msptui-coming-due-bench-") as folder:
        copy = Path(folder) / "data"
        shutil.copytree(data_dir, copy)
        items = add_items(copy, clock.now())
        rows = asyncio.run(board_bench._measure(copy, clock))
    shown = [r for r in rows if not r["name"].startswith("board: re-evaluate")]
    for r in shown:
        r["name"] = r["name"].replace("board tick", f"board tick with {items:,} coming-due items", 1)
    return shown


def add_items(data_dir: Path, now: datetime, count: int = ITEMS) -> int:
    """Half data breaches, half renewals, on the folder's clients; returns how many were added."""
    from sqlmodel import select

    from msptui.paths import resolve
    from msptui.store import db
    from msptui.store.breaches import DataBreachCreate, record_breach
    from msptui.store.models import Client
    from msptui.store.open import open_store
    from msptui.store.renewals import RenewalCreate, add_renewal

    rng = random.Random(18)
    store = open_store(resolve(data_dir))
    try:
        engine = store.engine
        with db.read(engine) as s:
            clients = list(s.exec(select(Client.id).limit(200)))
        today = now.date()
        for n in range(count):
            client_id = rng.choice(clients)
            if n % 2:
                discovered = now - timedelta(seconds=rng.randrange(60, 4 * 86400))
                data: Any = DataBreachCreate(client_id=client_id, discovered_at=discovered, description=f"Incident {n}")
                record_breach(engine, data, now)
            else:
                expires = today + timedelta(days=rng.randrange(1, 44))
                add_renewal(engine, RenewalCreate(client_id=client_id, what="licence", expires_on=expires), now)
        return count
    finally:
        store.dispose()


def main() -> int:
    from bench.board_bench import _data_folder

    with tempfile.TemporaryDirectory(prefix="msptui-coming-due-data-") as folder:
        rows = measure(_data_folder(Path(folder) / "data"))
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['name']:<{width}}  {r['value']:>10}  {r['bar']:>8}  {'yes' if r['ok'] else 'NO'}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
