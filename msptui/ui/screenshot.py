"""Write an SVG screenshot of the SLA board on the sample data, for the README.

    python -m msptui.ui.screenshot docs/board.svg   (what `make screenshot` runs)

Reproducible: a throw-away data folder, the sample data, the frozen instant
of the tests (Monday 23 November 2026, 10:00 in Paris), the technician in
Paris, 120x40 cells, Textual's default theme.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

FROZEN_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SIZE = (120, 40)


async def board_svg(at: datetime = FROZEN_AT, size: tuple[int, int] = SIZE) -> str:
    """The board as SVG, on a fresh sample database, with the clock frozen at `at`."""
    from msptui.core.clock import FrozenClock
    from msptui.paths import resolve
    from msptui.store.open import open_store
    from msptui.store.sample import load_sample
    from msptui.ui.app import MsptuiApp

    with tempfile.TemporaryDirectory(prefix="msptui-screenshot-") as folder:
        paths = resolve(Path(folder)).ensure()
        store = open_store(paths)
        try:
            load_sample(store.engine, at)
        finally:
            store.dispose()
        app = MsptuiApp(paths, FrozenClock(at))
        async with app.run_test(size=size) as pilot:
            for _ in range(2):
                await app.workers.wait_for_complete()
                await pilot.pause()
            return app.export_screenshot(title="msptui — SLA board")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m msptui.ui.screenshot OUTPUT.svg", file=sys.stderr)
        return 2
    # The same picture on every machine: no colour or theme from the caller's shell.
    for variable in ("NO_COLOR", "TEXTUAL_THEME", "MSPTUI_DATABASE_URL"):
        os.environ.pop(variable, None)
    os.environ["MSPTUI_TZ"] = "Europe/Paris"
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    output = Path(args[0])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(asyncio.run(board_svg()), encoding="utf-8")
    print(f"Wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
