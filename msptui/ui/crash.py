"""What happens on a bug: a report without locals, a plain sentence, a non-zero exit.

Textual's own handler prints a traceback with every frame's local variables; in an
app that holds client secrets, a local may be a password. This report keeps the
exception's type and the code path only: no locals, and no exception message either
(a message may quote a value, as `ValueError(f"bad {value}")` would). The report is
0600 in a 0700 `<data>/crash/` folder, and in English (it is for whoever fixes the bug);
the sentence on screen is in the user's language.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from msptui.core.i18n import _


def crash_report(error: BaseException) -> str:
    """The report's text: exception types and, for each frame, file, line and function."""
    lines = ["msptui stopped on an unexpected error. Values are left out on purpose.", ""]  # i18n: not shown
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")  # i18n: not shown
        # A worker's failure carries its cause as `.error`, not as __cause__.
        current = getattr(current, "error", None) or current.__cause__ or current.__context__
        if current is not None:
            lines.append("caused by / while handling:")  # i18n: not shown
    return "\n".join(lines) + "\n"


def write_crash_report(folder: Path, error: BaseException, now: datetime | None = None) -> Path | None:
    """Write the report into `folder`; returns its path, or None if it cannot be written
    (the sentence on screen then says so: a crash handler must not crash)."""
    from msptui.store.files.private import write_private

    at = (now or datetime.now(UTC)).astimezone(UTC)
    try:
        return write_private(folder / f"crash-{at:%Y-%m-%dT%H%M%S.%fZ}.txt", crash_report(error).encode("utf-8"))
    except Exception:  # noqa: BLE001 - any failure here must not hide the first one
        return None


def crash_sentence(error: BaseException, report: Path | None) -> str:
    kind = type(getattr(error, "error", None) or error).__name__  # a worker's failure names its cause
    if report:
        where = _("A report (no values from memory) is in {path}.").format(path=report)
    else:
        where = _("No report could be written.")
    said = _(
        "msptui stopped on an unexpected error ({kind}). Every action saved before it stays saved; "
        "the one under way was not saved. {where}"
    )
    return said.format(kind=kind, where=where)
