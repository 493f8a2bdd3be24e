"""`msptui report --client CODE --month YYYY-MM [--format md|pdf|csv]`: a client's service report from the shell.

Writes the report (`store/files/service_report.py`) into the exports folder's
reports/ and prints one line saying where; a refusal is one plain sentence on
stderr and exit 1, never a traceback. Reading only: the data folder is opened as
the capture commands open it (shared, the schema checked, never created).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from msptui.core.i18n import _

if TYPE_CHECKING:
    from msptui.paths import Paths

REPORT_COMMANDS = ("report",)


def add_report_command(sub: Any) -> None:
    """`report` (see README)."""
    help_text = _("write a client's service report for a month (PDF by default) into the exports folder")
    p: argparse.ArgumentParser = sub.add_parser("report", help=help_text, description=help_text)
    p.add_argument("--data-dir", dest="sub_data_dir", metavar="DIR", help=_("data folder (env MSPTUI_DATA_DIR)"))
    p.add_argument("--client", required=True, metavar="CODE", help=_("the client's code, e.g. BOUL"))
    p.add_argument("--month", required=True, metavar="YYYY-MM", help=_("the month, in the client's calendar"))
    p.add_argument("--format", choices=["md", "pdf", "csv"], default="pdf", help=_("file format (default pdf)"))


def _now() -> datetime:
    """The instant of the command (tests put their frozen clock here)."""
    return datetime.now(UTC)


def run_report_command(args: argparse.Namespace, paths: Paths, now: datetime | None = None) -> int:
    """Write the report and print where; exit 0, or one sentence on stderr and exit 1."""
    from msptui.cli_capture import _sentence, _store
    from msptui.cli_capture_reads import CaptureError, client_by_code
    from msptui.paths import PathError
    from msptui.store.clients import RefusedError
    from msptui.store.db import StoreError
    from msptui.store.files.private import TargetRefused
    from msptui.store.files.service_report import export_service_report

    now = now or _now()
    try:
        with _store(paths) as engine:
            client = client_by_code(engine, args.client)
            files = export_service_report(engine, paths.exports, client.id, args.month.strip(), now, [args.format])
    except (CaptureError, RefusedError, StoreError, PathError, TargetRefused, ValueError) as exc:
        print(f"msptui: {_sentence(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"msptui: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    (written,) = files.written
    print(
        _("Wrote the service report of {client} for {month} to {path}").format(
            client=client.code, month=args.month.strip(), path=written
        )
    )
    return 0
