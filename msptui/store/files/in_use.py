"""The "msptui is running here" lock: shared, on the data folder, taken before the database is read.

Kept apart from the backups module, which imports SQLAlchemy: the app takes this
lock first thing at start, before its fast first read of the board.
"""

from __future__ import annotations

import os

from msptui.core.i18n import _
from msptui.paths import PathError, Paths

LOCK_NAME = ".msptui-in-use.lock"


class FolderBusy(PathError):
    """The data folder cannot be marked in use; the message says why and what to do."""


class InUse:
    """A shared lock on the data folder, held while the app has the database open."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def hold_in_use(paths: Paths, wait: float = 10.0) -> InUse | None:
    """Mark the data folder in use (shared: several windows may hold it at once).

    Taken before the database is read: while a restore holds the folder, waits up
    to `wait` seconds for it to finish, then refuses (FolderBusy) rather than open
    a file being replaced. Returns None where flock(2) does not exist (Windows).
    The operating system drops the lock when the process ends, even when killed.
    """
    try:
        import fcntl
    except ImportError:
        return None
    import time

    paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = open_lock(paths)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return InUse(fd)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise FolderBusy(
                    _("A restore is running on {path}. Start msptui again once it has finished.").format(
                        path=paths.data
                    )
                ) from None
            time.sleep(0.1)  # a restore takes a moment: wait for it rather than read a file being replaced


def open_lock(paths: Paths) -> int:
    lock = paths.data / LOCK_NAME
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except IsADirectoryError:
        raise FolderBusy(
            _(
                "{path} is a folder, but msptui keeps its lock file under that name. Remove that folder, then try again."
            ).format(path=lock)
        ) from None
