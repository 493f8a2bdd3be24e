"""Command line: `msptui` starts the app; subcommands do one thing and exit."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC

from msptui.core.i18n import LANGUAGES, _, ngettext


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="msptui", description=_("The solo MSP technician's terminal companion."))
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("data folder (default: the platform's user data folder; env MSPTUI_DATA_DIR)"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_("language of the interface (default: the settings, else the system's locale)"),
    )
    parser.add_argument(
        "--technician",
        metavar="NAME",
        help=_("your short name, saved for this machine and recorded on what you do (e.g. sophie)"),
    )
    parser.add_argument("--version", action="version", version=f"msptui {_version()}")
    parser.add_argument("--where", action="store_true", help=_("print the folders in use and exit"))
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help=_("create the sample data in a throw-away data folder (--data-dir is required)"))
    demo.add_argument("--data-dir", dest="sub_data_dir", metavar="DIR")
    _add_data_commands(sub)
    from msptui.cli_capture import add_capture_commands

    add_capture_commands(sub)  # ticket new|list|ack, time start|stop
    from msptui.cli_report import add_report_command

    add_report_command(sub)  # report --client CODE --month YYYY-MM
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("msptui")
    except PackageNotFoundError:
        return _("unknown (not installed)")


def _add_data_commands(sub) -> None:  # noqa: ANN001
    """backup, restore, backups, export, import (see README, "Backups, export and import")."""

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--data-dir", dest="sub_data_dir", metavar="DIR", help=_("data folder (env MSPTUI_DATA_DIR)"))
        return p

    command("backup", _("copy the database now (into the backups folder, or PATH)")).add_argument(
        "path", nargs="?", metavar="PATH", help=_("file to create, or an existing folder")
    )
    command("restore", _("replace the database with a backup (quit msptui first)")).add_argument(
        "path", metavar="PATH", help=_("the backup file to restore")
    )
    command("backups", _("list the backups, newest first"))
    export = command("export", _("write everything (never a secret's value) to one file"))
    export.add_argument("--format", choices=["json"], default="json", help=_("file format (json)"))
    export.add_argument(
        "--output", metavar="PATH", help=_("file to write ('-' for standard output; default: the exports folder)")
    )
    export.add_argument(
        "--force",
        action="store_true",
        help=_("replace PATH if it is an earlier export (never the database or a backup)"),
    )
    command("import", _("load an export into an empty database")).add_argument(
        "path", metavar="PATH", help=_("a file made by msptui export")
    )


def choose_language(argv: list[str], data_dir: str | None = None) -> str:
    """Set the interface language before anything is printed: --lang, else the settings, else the system.

    Read before the parser is built, so that its help is in the chosen language too.
    """
    from msptui import config
    from msptui.core import i18n
    from msptui.paths import PathError, resolve

    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    early.add_argument("--data-dir")
    known, _rest = early.parse_known_args(argv)
    chosen = i18n.normalise(known.lang)
    if chosen is None:
        try:
            chosen = config.language(resolve(data_dir or known.data_dir))
        except (PathError, OSError):
            chosen = None  # an unreadable settings file is reported later, where it is used
    try:
        return i18n.set_interface_language(chosen or i18n.system_language())
    except i18n.MissingCatalogue as exc:
        print(f"msptui: {exc}", file=sys.stderr)
        return i18n.set_interface_language(i18n.SOURCE_LANGUAGE)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    choose_language(argv)
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "sub_data_dir", None) or args.data_dir

    from msptui.paths import PathError, resolve

    if args.command == "demo" and not data_dir:
        # The sample data is for trying msptui: never into the user's real folder by default.
        print("msptui: " + _("demo needs a throw-away folder: msptui demo --data-dir DIR"), file=sys.stderr)
        return 1
    paths = resolve(data_dir)
    if args.technician is not None and not _set_technician(paths, args.technician):
        return 2
    if args.where:
        return _where(paths)
    if args.command == "demo":
        return _demo(paths)
    if args.command in DATA_COMMANDS:
        return _run_data_command(args, paths)
    if args.command in ("ticket", "time"):
        from msptui.cli_capture import run_capture_command

        return run_capture_command(args, paths)
    if args.command == "report":
        from msptui.cli_report import run_report_command

        return run_report_command(args, paths)

    try:
        paths.ensure()
    except PathError as exc:
        print(f"msptui: {exc}", file=sys.stderr)
        return 2
    from msptui.ui.app import MsptuiApp, end_process

    app = MsptuiApp(paths)
    app.run()
    # 1 after a crash (see msptui.ui.crash). Ends the process without the interpreter's
    # slow teardown: quitting is done once the terminal is back (see end_process).
    end_process(app.return_code or 0)


def _set_technician(paths, name: str) -> bool:  # noqa: ANN001
    """Save `--technician NAME` for this machine; False (said on stderr) when it is not a valid name."""
    from msptui import config

    try:
        config.set_technician(paths, name)
    except (ValueError, config.ConfigError) as exc:
        print(f"msptui: {exc}", file=sys.stderr)
        return False
    return True


def _where(paths) -> int:  # noqa: ANN001
    """The folders in use, one a line, their names in a column."""
    from msptui.paths import database_in_words

    folders = [
        (_("data"), paths.data),
        (_("config"), paths.config),
        (_("backups"), paths.backups),
        (_("exports"), paths.exports),
        (_("logs"), paths.logs),
        (_("database"), database_in_words(paths)),
    ]
    width = max(len(name) for name, _path in folders)
    for name, path in folders:
        print(f"{name:<{width}} {path}")
    return 0


def _demo(paths) -> int:  # noqa: ANN001
    from datetime import datetime

    from msptui.paths import PathError, database_in_words
    from msptui.store.clients import count_clients
    from msptui.store.db import StoreError
    from msptui.store.open import open_store
    from msptui.store.sample import load_sample

    try:
        store = open_store(paths)
    except (StoreError, PathError) as exc:
        print(f"msptui: {exc}", file=sys.stderr)
        return 1
    try:
        if count_clients(store.engine):
            print(
                "msptui: "
                + _("{database} already holds data; demo data is only loaded into an empty folder.").format(
                    database=database_in_words(paths)
                ),
                file=sys.stderr,
            )
            return 1
        ids = load_sample(store.engine, datetime.now(UTC))
    finally:
        store.dispose()
    print(
        ngettext(
            "Loaded {count} sample client into {database}", "Loaded {count} sample clients into {database}", len(ids)
        ).format(count=len(ids), database=database_in_words(paths))
    )
    return 0


# --- backups, export and import ------------------------------------------------------------

DATA_COMMANDS = ("backup", "restore", "backups", "export", "import")


def _run_data_command(args, paths) -> int:  # noqa: ANN001
    """Run one data command; a user's error is one line on stderr and exit 1, never a traceback."""
    from datetime import datetime

    from msptui.paths import PathError
    from msptui.store.clients import RefusedError
    from msptui.store.db import StoreError
    from msptui.store.files.private import TargetRefused

    now = datetime.now(UTC)
    handlers = {"backup": _backup, "restore": _restore, "backups": _backups, "export": _export, "import": _import}
    try:
        return handlers[args.command](args, paths, now)
    except (StoreError, RefusedError, PathError, TargetRefused) as exc:
        print(f"msptui: {exc}", file=sys.stderr)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"msptui: {exc.strerror or exc}{where}", file=sys.stderr)
    return 1


def _database_named(paths) -> str:  # noqa: ANN001
    """The database in use as a person reads it: the file, or the server's URL without its password."""
    from msptui.store.files.server_backup import Server, server_url

    url = server_url()
    return Server.from_url(url).uri if url else str(paths.database)


def _backup(args, paths, now) -> int:  # noqa: ANN001
    from msptui.store.files.backups import backup

    made = backup(paths, args.path, now=now)
    print(_("Backed up {database} to {backup}").format(database=_database_named(paths), backup=made))
    return 0


def _restore(args, paths, now) -> int:  # noqa: ANN001
    from msptui.store.files.backups import restore

    aside = restore(paths, args.path, now=now)
    print(_("Restored {backup} into {database}").format(backup=args.path, database=_database_named(paths)))
    if aside is not None:
        print(_("The database it replaced is kept as {path}").format(path=aside))
    return 0


def _backups(args, paths, now) -> int:  # noqa: ANN001
    from msptui.store.files.backups import human_size, list_backups

    found = list_backups(paths)
    if not found:
        print(_("No backups in {folder}").format(folder=paths.backups))
        return 0
    for b in found:
        taken = b.taken_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
        print(f"{taken}  {human_size(b.size):>9}  {b.kind_words:<22}  {b.path}")
    return 0


def _export(args, paths, now) -> int:  # noqa: ANN001
    from pathlib import Path

    from msptui.store.files.private import check_target, write_private
    from msptui.store.files.transfer import export_json
    from msptui.store.open import open_store

    out = None
    if args.output != "-":
        out = (
            Path(args.output).expanduser()
            if args.output
            else paths.exports / f"msptui-export-{now:%Y-%m-%dT%H%M%SZ}.json"
        )
        keep = {"protected": database_files(paths.database), "protected_folders": [paths.backups]}
        check_target(out, replace=args.force, **keep)  # before anything is opened or read
    store = open_store(paths)
    try:
        text = export_json(store.engine, now)
    finally:
        store.dispose()
    if out is None:
        sys.stdout.write(text + "\n")
        return 0
    write_private(out, (text + "\n").encode("utf-8"), replace=args.force, **keep)
    print(_("Exported everything (secrets' values excluded) to {path}").format(path=out))
    return 0


def database_files(database) -> list:  # noqa: ANN001
    """The database and the companions SQLite keeps beside it."""
    return [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal"))]


# An export of 100,000 clients and 100,000 tickets is about 150 MB; /dev/zero is endless.
IMPORT_LIMIT = 512 * 1024 * 1024


def _import(args, paths, now) -> int:  # noqa: ANN001
    from msptui.store.files.transfer import import_data, parse_export
    from msptui.store.open import open_store

    text = _read_capped(args.path, IMPORT_LIMIT)  # JSON detects its own UTF encoding
    parse_export(text)  # refused before any folder or database is made
    created = _missing_parts(paths)
    try:
        store = open_store(paths)
        try:
            counts = import_data(store.engine, text)
        finally:
            store.dispose()
    except BaseException:
        _remove_created(created)  # a refused import leaves nothing behind
        raise
    total = sum(counts.values())
    detail = ", ".join(_counted(t, n) for t, n in counts.items() if t in ("client", "contract", "ticket"))
    print(
        ngettext(
            "Imported {count} record ({detail}) into {database}",
            "Imported {count} records ({detail}) into {database}",
            total,
        ).format(count=total, detail=detail or _("no clients"), database=paths.database)
    )
    return 0


def _counted(table: str, n: int) -> str:
    """ "3 clients", "1 contract": what an import loaded, per kind of record."""
    if table == "client":
        return ngettext("{count} client", "{count} clients", n).format(count=n)
    if table == "contract":
        return ngettext("{count} contract", "{count} contracts", n).format(count=n)
    return ngettext("{count} ticket", "{count} tickets", n).format(count=n)


def _read_capped(name: str, limit: int) -> bytes:
    from pathlib import Path

    from msptui.store.clients import RefusedError

    with Path(name).expanduser().open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise RefusedError(
            _("{path} is larger than {size} MiB: it is not an msptui export.").format(path=name, size=limit // 2**20)
        )
    return data


def _missing_parts(paths) -> list:  # noqa: ANN001
    """What an import would create: the folders that do not exist yet, then the database files."""
    folders = [p for p in (paths.data, paths.config, paths.backups, paths.exports, paths.logs) if not p.exists()]
    files = [] if paths.database.exists() else database_files(paths.database)
    return [*files, *folders]


def _remove_created(created: list) -> None:
    import shutil

    for path in created:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
