"""The running timer in the header: "⏱ #123 Printer down 0:42", hidden when none runs.

One timer runs at a time, in the database (a timer started with `msptui time
start` in another terminal counts): the badge reads it every few seconds while
its screen is the one shown, at once when asked (`poll`: after a start or a stop
here, every badge of the app is asked, see `poll_badges`), and in between only counts
the seconds from its start with the app's clock.

Cheap on an idle board (the benchmark measures it): hidden, it takes no room
and has no ticking timer; shown, its width is fixed when the timer changes, and
the elapsed time is redrawn without a layout pass, only when its text changes
(once a minute).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from msptui.core.i18n import N_
from msptui.ui.workers import StoreCalls

__all__ = [
    "POLL_SECONDS",
    "TIMER_KEY",
    "TimerBadge",
    "clock_face",
    "poll_badges",
    "read_running_timer",
    "timer_binding",
]

POLL_SECONDS = 5.0  # how soon a timer started or stopped in another terminal shows
ICON = "⏱"
FACE_WIDTH = 5  # "12:34": the elapsed time never changes the badge's width under 100 h


# Not `t`: on the board it waits on a third party, on the engagement screens it changes the
# status (both documented and in their tests). The same key on every screen that has a timer.
TIMER_KEY = "s"


def timer_binding(binding_id: str) -> Binding:
    """The timer key of a screen whose `action_toggle_timer` starts or stops the timer
    on what is selected (see msptui.ui.screens.time.timer_keys)."""
    return Binding(
        TIMER_KEY,
        "toggle_timer",
        N_("Timer"),
        id=binding_id,
        tooltip=N_("Start or stop the timer here (one runs at a time: starting stops the other)"),
    )


def clock_face(elapsed: timedelta) -> str:
    """Elapsed time as hours and minutes, "0:42", "12:05" (never negative: clocks of two
    machines may disagree by a few seconds)."""
    minutes = max(0, int(elapsed.total_seconds()) // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def read_running_timer(engine: Any) -> Any:
    """(Worker side.) The running timer, or None; the store is imported here, off the UI thread."""
    from msptui.store.time_entries import running_timer

    return running_timer(engine)


class TimerBadge(StoreCalls, Static):
    """The running timer's subject and elapsed time, or nothing (zero width) when none runs."""

    DEFAULT_CSS = """
    TimerBadge { width: auto; height: 1; padding: 0 1; background: $accent 30%; text-style: bold; }
    TimerBadge.-idle { display: none; }
    """

    def __init__(self, *, label_width: int | None = None, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__("", id=id, classes="-idle", markup=False)
        self.label_width = label_width
        """Columns for the subject ("#123 Printer down"); None: from the screen's width."""
        self.running: Any = None
        """The store's RunningTimer shown (entry_id, label, started_at), or None."""
        self._label = ""
        self._face = ""
        self._ticking: Any = None
        self._polling: Any = None
        self._waiting: Any = None  # the quick look for the store's opening, at start only

    # --- reading the store ---------------------------------------------------------------

    def on_mount(self) -> None:
        self._polling = self.set_interval(POLL_SECONDS, self._poll_if_shown, name="timer-poll")
        if self._store_open():
            self.poll()
        else:
            # Mounted before the store opens, most of the time: a timer left running shows as
            # soon as it is open, not 5 s later. Not a waiting store call: the app would say
            # "what you asked runs as soon as it is open" when nothing was asked.
            self._waiting = self.set_interval(0.2, self._first_poll, name="timer-first-poll")

    def _store_open(self) -> bool:
        return getattr(self.app, "store", None) is not None

    def _first_poll(self) -> None:
        if self._store_open() or getattr(self.app, "store_error", None):
            self._waiting.stop()
            self.poll()

    def _poll_if_shown(self) -> None:
        if self.screen.is_current:  # a screen under another one is not looked at: no query for it
            self.poll()

    def poll(self) -> None:
        """Read the running timer now (once the store is open; before, the next poll will)."""
        if not self._store_open():
            return
        self.call_store(read_running_timer, done=self.show_timer, group="timer-poll", exclusive=True)

    # --- showing ---------------------------------------------------------------------------

    @property
    def cells(self) -> int:
        """Columns the badge takes in its bar (0 when hidden)."""
        return 0 if self.running is None else int(self.styles.width.value) if self.styles.width else 0

    def show_timer(self, running: Any) -> None:
        """Show `running` (the store's RunningTimer), or hide when None."""
        same = (
            running is not None
            and self.running is not None
            and (running.entry_id, running.label) == (self.running.entry_id, self.running.label)
        )
        self.running = running
        if same:
            self.tick()
            return
        if running is None:
            self._face = ""
            self.update("")
            _tell_app(self.app, "")
            self.add_class("-idle")
            if self._ticking is not None:
                self._ticking.stop()
                self._ticking = None
        else:
            label = _cut(running.label, self.label_width or _label_room(self.screen.size.width))
            # Fixed once per timer: the tick below never changes the badge's size.
            self.styles.width = cell_len(f"{ICON} {label} ") + FACE_WIDTH + 2
            self._label = label
            self._face = ""
            self.remove_class("-idle")
            self.tick()
            if self._ticking is None:
                self._ticking = self.set_interval(1, self.tick, name="timer-tick")
        self._changed()

    def tick(self) -> None:
        """Redraw the elapsed time if its text changed (once a minute): no layout pass."""
        if self.running is None:
            return
        now: datetime = self.app.clock.now()  # type: ignore[attr-defined]
        face = clock_face(now - self.running.started_at)
        if face != self._face:
            self._face = face
            # The width has room for FACE_WIDTH: "9:59" to "10:00" changes no size.
            self.update(Text(f"{ICON} {self._label} {face}", no_wrap=True), layout=False)
            _tell_app(self.app, f"{ICON} {self._label} {face}")

    def _changed(self) -> None:
        """Tell the screen the badge's width changed (the board gives its header the rest)."""
        handler = getattr(self.screen, "timer_badge_changed", None)
        if handler is not None:
            handler()


def _tell_app(app: Any, words: str) -> None:
    """The other screens show the running timer in their header (MsptuiApp.show_timer_in_titles)."""
    show = getattr(app, "show_timer_in_titles", None)
    if show is not None:
        show(words)


def poll_badges(app: Any) -> None:
    """Every badge of the app's screens reads the running timer again (after a start or a stop)."""
    for screen in app.screen_stack:
        for badge in screen.query(TimerBadge):
            badge.poll()


def _label_room(width: int) -> int:
    """The subject's columns at a terminal `width`: at 80, the board's counts keep their short words."""
    return 13 if width and width < 110 else 30


def _cut(words: str, width: int) -> str:
    """`words` in at most `width` columns, an ellipsis marking a cut."""
    if cell_len(words) <= width:
        return words
    out = ""
    for char in words:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out.rstrip() + "…"
