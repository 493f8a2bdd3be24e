"""Copies of the database made with SQLite's online backup API (safe while in use)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_to(database: Path, target: Path) -> Path:
    """Copy `database` to `target` in one step of the backup API; returns `target`.

    The copy is consistent even while another process writes (it sees one committed state).
    """
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(database)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # pages=-1 by default: one step
        finally:
            dst.close()
    finally:
        src.close()
    partial.chmod(0o600)
    partial.replace(target)  # never leave a half-written file under the final name
    return target


def stamped_name(kind: str, at: datetime) -> str:
    """e.g. msptui-2026-11-21T2302Z-premigration.sqlite3 (UTC, sorts chronologically)."""
    return f"msptui-{at.strftime('%Y-%m-%dT%H%M%SZ')}-{kind}.sqlite3"
