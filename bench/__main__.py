"""`make bench`: measure DESIGN.md's quality bars and print one table.

    python -m bench [--runs N] [--fresh] [--skip cold_start,memory,...]

It reports, it does not gate: the exit status is 0 even when a bar is missed
(a measure that fails says why in its row). Progress goes to stderr, the
table to stdout, as Markdown so it can be pasted into the README.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import cold_start, filter_bench, memory
from bench.generate import cached_database, prepare

Row = dict


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    started = time.monotonic()
    _say("Generating the data (10,000 clients, 100,000 tickets)…" if args.fresh else "Finding the generated data…")
    generated = cached_database(fresh=args.fresh)
    _say(f"  {generated.database} ({'cached' if generated.cached else f'generated in {generated.seconds:.0f} s'})")
    work = Path(tempfile.mkdtemp(prefix="msptui-bench-"))
    rows: list[Row] = []
    try:
        data_dir = work / "data"
        prepare(generated.database, data_dir)
        board_runs: list[cold_start.Run] = []

        def cold() -> list[Row]:
            cold_rows, runs = cold_start.measure(data_dir, runs=args.runs)
            board_runs.extend(runs)
            return cold_rows

        sections: list[tuple[str, Callable[[], list[Row]]]] = [
            ("cold_start", cold),
            # Waiting for a board that never says it is populated costs a timeout: once is enough.
            (
                "memory",
                lambda: memory.measure(data_dir, board_signals=not board_runs or board_runs[0].seconds is not None),
            ),
            ("filter", lambda: filter_bench.measure(data_dir)),
            ("sla", lambda: _optional("bench.sla_bench", data_dir)),
            ("board", lambda: _optional("bench.board_bench", data_dir)),
        ]
        for name, run in sections:
            if name in skip:
                continue
            _say(f"Measuring {name}…")
            rows.extend(_guarded(name, run))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(render(rows))
    met = sum(1 for r in rows if r["ok"] is True)
    missed = sum(1 for r in rows if r["ok"] is False)
    print(f"\n{met} bars met, {missed} missed or not measured; {time.monotonic() - started:.0f} s in all.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=cold_start.RUNS, help="cold start runs per case (median)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even if cached")
    parser.add_argument("--skip", default="", help="comma-separated: cold_start, memory, filter, sla, board")
    return parser


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _guarded(name: str, run: Callable[[], list[Row]]) -> list[Row]:
    """A measure that breaks becomes a row saying so; the others still run."""
    try:
        return [_normalise(r) for r in run()]
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return [{"name": name, "value": f"not measured: {type(exc).__name__}: {exc}", "bar": "", "ok": False}]


def _optional(module: str, data_dir: Path) -> list[Row]:
    """Rows from another engineer's `measure()`, or one row saying the file is missing."""
    path = Path(__file__).with_name(module.rsplit(".", 1)[1] + ".py")
    if not path.exists():
        return [{"name": module, "value": f"not measured: bench/{path.name} missing", "bar": "", "ok": False}]
    measure = importlib.import_module(module).measure
    result = measure(*_arguments(measure, data_dir))
    return [result] if isinstance(result, dict) else list(result)


def _arguments(measure: Callable, data_dir: Path) -> list:
    """Give `measure` what its first parameter asks for: the generated data, in the form it names."""
    params = [p for p in inspect.signature(measure).parameters.values() if p.default is inspect.Parameter.empty]
    if not params or params[0].kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
        return []
    name = params[0].name
    if name == "engine":
        from msptui.paths import resolve
        from msptui.store.open import open_store

        return [open_store(resolve(data_dir)).engine]
    if name == "paths":
        from msptui.paths import resolve

        return [resolve(data_dir)]
    if name in ("database", "db", "db_path", "database_path"):
        from msptui.paths import DATABASE_NAME

        return [data_dir / DATABASE_NAME]
    return [data_dir]


def _normalise(row: Row) -> Row:
    ok = row.get("ok")
    return {
        "name": str(row.get("name", "?")),
        "value": str(row.get("value", "")),
        "bar": str(row.get("bar", "")),
        # sla_bench marks information rows with bar "info" and ok True: no bar to meet.
        "ok": None if ok is None or str(row.get("bar", "")).lower() in ("info", "reference", "") and ok else bool(ok),
    }


def render(rows: list[Row]) -> str:
    """One Markdown table: measure | value | bar | met?"""
    met = {True: "yes", False: "NO", None: "—"}
    table = [("measure", "value", "bar", "met?")] + [(r["name"], r["value"], r["bar"], met[r["ok"]]) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths)) + " |" for line in table]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
