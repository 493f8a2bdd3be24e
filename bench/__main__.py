"""`make bench`: measure DESIGN.md's quality bars and print one table.

    python -m bench [--runs N] [--fresh] [--idle-seconds S] [--skip cold_start,memory,...]

It reports, it does not gate: the exit status is 0 even when a bar is missed
(a measure that fails says why in its row). Progress goes to stderr, the
table to stdout, as Markdown so it can be pasted into the README. Each row
shows the reference it is measured against, measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import (
    board_bench,
    cold_start,
    filter_bench,
    idle_bench,
    memory,
    postgres_bench,
    quit_bench,
    ticket_search_bench,
)
from bench.generate import PROFILES, cached_database, prepare

Row = dict
SECTIONS = (
    "cold_start",  # first frame, populated board, usable board (1,000 open)
    "usable10k",  # usable board at 10,000 open (a case of cold_start)
    "f2",  # F2 to the client list at 100,000 clients (a case of cold_start)
    "quit",
    "idle",
    "memory",
    "filter",
    "browser100k",
    "sla",
    "board",
    "board10k",
    "coming_due",  # the board tick with 1,000 open tickets and 1,000 coming-due items (issue 18)
    "ticket_search",
    "report",  # a month's service report for a client of the 100,000-ticket database
    "review",  # the monthly review over 10,000 clients
    "scale10",  # every ten-times profile: nor generated nor measured
    "postgres",  # the board's usable start and tick on a PostgreSQL server (issue 20)
)
TEN_TIMES = {"open10k": ("usable10k", "idle", "memory", "board10k"), "clients100k": ("f2", "memory", "browser100k")}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="msptui-bench-"))
    rows: list[Row] = []
    servers = contextlib.ExitStack()
    try:
        data = {}
        for profile, (clients, tickets, open_) in PROFILES.items():
            if profile != "base" and ("scale10" in skip or all(s in skip for s in TEN_TIMES[profile])):
                continue
            _say(
                f"{'Generating' if args.fresh else 'Finding'} the data: {profile}, {clients:,} clients, "
                f"{tickets:,} tickets, {open_:,} open…"
            )
            generated = cached_database(fresh=args.fresh, profile=profile)
            _say(
                f"  {generated.database} ({'cached' if generated.cached else f'generated in {generated.seconds:.0f} s'})"
            )
            data[profile] = work / profile / "data"
            prepare(generated.database, data[profile])
        data_dir = data["base"]
        # The same data on a PostgreSQL server (issue 20), or why there is none.
        postgres, no_postgres = None, ""
        if "postgres" not in skip:
            found, how = servers.enter_context(postgres_bench.server())
            if found is None:
                no_postgres = how
            else:
                _say(f"Copying the data to PostgreSQL ({how})…")
                postgres = servers.enter_context(postgres_bench.database(found, cached_database().database))
        open10k, clients100k = data.get("open10k"), data.get("clients100k")
        runs_by_case: dict[str, list[cold_start.Run]] = {}

        def cold() -> list[Row]:
            cold_rows, runs = cold_start.measure(
                data_dir,
                runs=args.runs,
                open10k=None if "usable10k" in skip else open10k,
                clients100k=None if "f2" in skip else clients100k,
                postgres=postgres,
            )
            runs_by_case.update(runs)
            if no_postgres:
                cold_rows.append(postgres_bench.not_measured(no_postgres)[0])
            return cold_rows

        def board_signals() -> bool:
            board = runs_by_case.get("usable")
            return not board or board[0].seconds is not None

        def mem() -> list[Row]:
            # Waiting for a board that never says it is populated costs a timeout: once is enough.
            found = memory.measure(data_dir, board_signals=board_signals())
            if open10k is not None:
                found.insert(1, memory.measure_at(open10k, "store", "store open, 10,000 open"))
            if clients100k is not None:
                found.insert(-1, memory.measure_at(clients100k, "clients", "100,000 clients, client list open (F2)"))
            return found

        def idle() -> list[Row]:
            boards = {"base": (data_dir, "1,000 open", 1.0)}
            if open10k is not None:
                boards["open10k"] = (open10k, "10,000 open", 2.0)
            return idle_bench.measure(boards, seconds=args.idle_seconds)

        def postgres_tick() -> list[Row]:
            if postgres is None:
                return postgres_bench.not_measured(no_postgres)[1:]
            return postgres_bench.tick_rows(data_dir, postgres)

        sections: list[tuple[str, Callable[[], list[Row]]]] = [
            ("cold_start", cold),
            ("quit", lambda: quit_bench.measure(data_dir, runs=args.runs)),
            ("idle", idle),
            ("memory", mem),
            ("filter", lambda: filter_bench.measure(data_dir)),
            ("sla", lambda: _optional("bench.sla_bench", data_dir)),
            ("board", lambda: _optional("bench.board_bench", data_dir)),
            ("postgres", lambda: postgres_tick()),
            ("coming_due", lambda: _optional("bench.coming_due_bench", data_dir)),
            ("ticket_search", lambda: ticket_search_bench.measure(data_dir)),
        ]
        if clients100k is not None:
            sections.insert(
                5, ("browser100k", lambda: filter_bench.measure_against_reference(clients100k, "100,000 clients", 0.7))
            )
        if open10k is not None:
            sections.insert(-1, ("board10k", lambda: board_bench.measure_folder(open10k)))
        sections.append(("report", lambda: _optional("bench.report_bench", data_dir)))
        sections.append(("review", lambda: _optional("bench.review_bench", data_dir)))
        for name, run in sections:
            if name in skip:
                continue
            _say(f"Measuring {name}… ({time.monotonic() - started:.0f} s so far)")
            rows.extend(_guarded(name, run))
    finally:
        servers.close()
        shutil.rmtree(work, ignore_errors=True)
    print(render(rows))
    met = sum(1 for r in rows if r["ok"] is True)
    missed = sum(1 for r in rows if r["ok"] is False)
    print(f"\n{met} bars met, {missed} missed or not measured; {time.monotonic() - started:.0f} s in all.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=cold_start.RUNS, help="runs per cold start case and quit (median)")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data even if cached")
    parser.add_argument(
        "--idle-seconds", type=float, default=idle_bench.SECONDS, help="the idle CPU window (default 60)"
    )
    parser.add_argument("--skip", default="", help="comma-separated: " + ", ".join(SECTIONS))
    return parser


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _guarded(name: str, run: Callable[[], list[Row]]) -> list[Row]:
    """A measure that breaks becomes a row saying so; the others still run."""
    try:
        return [_normalise(r) for r in run()]
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return [
            {"name": name, "value": f"not measured: {type(exc).__name__}: {exc}", "ref": "", "bar": "", "ok": False}
        ]


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
        "ref": str(row.get("ref", "")),
        "bar": str(row.get("bar", "")),
        # sla_bench marks information rows with bar "info" and ok True: no bar to meet.
        "ok": None if ok is None or str(row.get("bar", "")).lower() in ("info", "reference", "") and ok else bool(ok),
    }


def render(rows: list[Row]) -> str:
    """One Markdown table: measure | value | reference | bar | met?"""
    met = {True: "yes", False: "NO", None: "—"}
    table = [("measure", "value", "reference (same run)", "bar", "met?")] + [
        (r["name"], r["value"], r.get("ref", ""), r["bar"], met[r["ok"]]) for r in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(5)]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths)) + " |" for line in table]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
