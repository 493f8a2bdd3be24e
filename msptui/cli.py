"""Command line: `msptui` starts the app; subcommands do one thing and exit."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="msptui", description="The solo MSP technician's terminal companion.")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: the platform's user data folder; env MSPTUI_DATA_DIR)",
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="create the sample data in a data folder (use with --data-dir)")
    demo.add_argument("--data-dir", dest="sub_data_dir", metavar="DIR")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "sub_data_dir", None) or args.data_dir

    from msptui.paths import PathError, resolve

    paths = resolve(data_dir)
    if args.command == "demo":
        return _demo(paths)

    try:
        paths.ensure()
    except PathError as exc:
        print(f"msptui: {exc}", file=sys.stderr)
        return 2
    from msptui.app import MsptuiApp

    MsptuiApp(paths).run()
    return 0


def _demo(paths) -> int:  # noqa: ANN001
    from datetime import datetime, timezone

    from msptui.paths import PathError
    from msptui.store.clients import count_clients
    from msptui.store.db import StoreError
    from msptui.store.open import open_store
    from msptui.store.sample import load_sample

    try:
        store = open_store(paths)
    except (StoreError, PathError) as exc:
        print(f"msptui: {exc}", file=sys.stderr)
        return 2
    try:
        if count_clients(store.engine):
            print(f"msptui: {paths.database} already holds data; demo data is only loaded into an empty folder.", file=sys.stderr)
            return 1
        ids = load_sample(store.engine, datetime.now(timezone.utc))
    finally:
        store.dispose()
    print(f"Loaded {len(ids)} sample clients into {paths.database}")
    return 0
