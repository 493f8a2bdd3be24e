"""Changes committed on a PostgreSQL server by anyone, noticed by an open board.

Every msptui write transaction on PostgreSQL says `NOTIFY msptui_changes`
(store/db.py); the server delivers it to every listener when the transaction
commits, and never for one rolled back. `ServerWatch` listens on a connection
of its own, in a daemon thread that only sets a flag: the board's tick reads
the flag (no query, no waiting on the UI thread), and quitting never waits for
the thread. A lost connection is said once, retried every few seconds, and
said once again when back; on every (re)connection the board reads again, for
whatever was committed while nobody listened.
"""

from __future__ import annotations

import threading

from msptui.core.i18n import _
from msptui.store.server import connect

# The channel of store/db.py's NOTIFY (not imported from there: db imports SQLAlchemy).
CHANNEL = "msptui_changes"
RETRY_SECONDS = 3.0
# How long the thread waits for a notification before looking whether it should stop.
WAKE_SECONDS = 2.0


class ServerWatch:
    """Whether anyone committed on the server since the last look (the interface of
    the board's CommitWatch for SQLite files, plus `news` and `close`)."""

    def __init__(self, url: str, retry_seconds: float = RETRY_SECONDS) -> None:
        self._url = url
        self._retry = retry_seconds
        self._changed = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._news: str | None = None
        self._lost = False
        self.listening = threading.Event()  # set while LISTEN is in place (tests wait on it)
        self._thread: threading.Thread | None = None

    def moved(self) -> bool:
        """True when a commit was notified since the previous call. The first call starts
        listening (off the UI thread) and says False; once listening, the next says True,
        so that anything committed before LISTEN took effect is read too."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name="msptui-server-watch", daemon=True)
            self._thread.start()
            return False
        if self._changed.is_set():
            self._changed.clear()
            return True
        return False

    def news(self) -> str | None:
        """A sentence for the technician once when the server is lost and once when it is
        back; None otherwise (and every other time)."""
        with self._lock:
            news, self._news = self._news, None
        return news

    @property
    def lost(self) -> bool:
        """Whether the connection to the server is lost at this moment (being retried)."""
        return self._lost

    def close(self) -> None:
        """Stop listening at the thread's next wake (never waited for: it is a daemon)."""
        self._stop.set()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with connect(self._url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._connected()
                    while not self._stop.is_set():
                        for _notice in conn.notifies(timeout=WAKE_SECONDS):
                            self._changed.set()
            except Exception as exc:  # noqa: BLE001 - any failure of the server or the network: said, retried
                self._disconnected(exc)
                self._stop.wait(self._retry)

    def _connected(self) -> None:
        self.listening.set()
        self._changed.set()  # what was committed before LISTEN (or while lost): read it
        with self._lock:
            if self._lost:
                self._lost = False
                self._news = _("The database server is reachable again: the board is live.")

    def _disconnected(self, exc: Exception) -> None:
        self.listening.clear()
        with self._lock:
            if self._lost:
                return  # said once
            self._lost = True
            error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self._news = _(
                "The connection to the database server was lost ({error}). Changes made by others "
                "may not show; msptui keeps trying."
            ).format(error=error)
