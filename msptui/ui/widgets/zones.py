"""The technician's time zone: where the board's times are shown."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msptui.core.i18n import _


def technician_zone() -> ZoneInfo:
    """The technician's zone: env MSPTUI_TZ, else this machine's local zone, else UTC."""
    for name in (os.environ.get("MSPTUI_TZ"), os.environ.get("TZ", "").lstrip(":") or None, _system_zone_name()):
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return ZoneInfo("UTC")


def zone_setting_problem() -> str | None:
    """A sentence when MSPTUI_TZ names no time zone (the board then shows another
    zone, and the technician must know which), else None."""
    name = os.environ.get("MSPTUI_TZ")
    if not name:
        return None
    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        said = _("MSPTUI_TZ={name} is not a time zone (try Europe/Paris); times are shown in {zone}.")
        return said.format(name=repr(name), zone=technician_zone().key)


def _system_zone_name() -> str | None:
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None
