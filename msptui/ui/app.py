"""The App: start screen, global keys, the command palette, and the store connection.

The first frame must not wait for SQLAlchemy (about 0.85 s to import) nor the
database: the board is shown at once and the store is opened in a thread.

Screens reach the store through `msptui.ui.workers.StoreCalls`: each call is a
worker of the screen that makes it, answered by a typed message
(`msptui.ui.messages`) to that screen only, so a screen that has closed never
receives one. The App's own `call_store` is for app-wide work only (the first
start's welcome, a password copied from the command palette).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import TYPE_CHECKING, NoReturn

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Header

from msptui.core.clock import Clock, SystemClock
from msptui.core.i18n import N_, _
from msptui.paths import Paths
from msptui.ui.messages import StoreFailed, StoreReady
from msptui.ui.workers import StoreCalls, is_user_error

if TYPE_CHECKING:
    from pathlib import Path

    from msptui.store.keyring_backend import KeyringStatus
    from msptui.store.open import Store

__all__ = ["SECTIONS", "MsptuiApp", "StoreFailed", "StoreReady", "is_user_error"]

# Sections reachable from anywhere: (palette title, help, "module:ScreenClass"). The title is
# also the section's key (`action_section`): English, translated where shown.
# Screens are imported on first use, so an unused section costs nothing at start.
SECTIONS: list[tuple[str, str, str]] = [
    (N_("SLA board"), N_("Open tickets and their live SLA countdowns"), "msptui.ui.screens.tickets.board:BoardScreen"),
    (
        N_("Clients and contracts"),
        N_("Find a client, read its contract"),
        "msptui.ui.screens.clients.browser:ClientBrowser",
    ),
    (
        N_("Tickets history"),
        N_("Every ticket, open or closed: search, open, explain, reopen"),
        "msptui.ui.screens.tickets.history:TicketHistoryScreen",
    ),
    (
        N_("Monthly review"),
        N_("Every client's month on one line: compliance, breaches to justify, unbilled time; Enter opens the report"),
        "msptui.ui.screens.reports.monthly_review:MonthlyReviewScreen",
    ),
    (
        N_("Backups"),
        N_("Copies of the database: list them, take one now"),
        "msptui.ui.screens.backups.overview:BackupsScreen",
    ),
    (
        N_("Keyring settings"),
        N_("Where client secrets are kept: system keyring, encrypted file, or disabled"),
        "msptui.ui.screens.secrets.panel:KeyringSetupScreen",
    ),
    (
        N_("Engagements"),
        N_("Projects proposed by or to clients, and their competence self-checks"),
        "msptui.ui.screens.engagements.overview:EngagementsScreen",
    ),
    (
        N_("Conflicts of interest"),
        N_("Record, disclose and follow every conflict of interest"),
        "msptui.ui.screens.conflicts.register:ConflictsScreen",
    ),
    (
        N_("Skills register"),
        N_("Certifications, training and projects, proposed as evidence in checks"),
        "msptui.ui.screens.skills.register:SkillsScreen",
    ),
    (
        N_("Deliveries"),
        N_("On-site delivery checklists, delivery notes, and handover packs"),
        "msptui.ui.screens.deliveries.checklist:DeliveriesScreen",
    ),
    (
        N_("Provider identity"),
        N_("Trade name, address, SIRET, VAT number and contact printed on client documents"),
        "msptui.ui.screens.settings.provider:ProviderIdentityScreen",
    ),
]


class MsptuiApp(StoreCalls, App[None]):
    TITLE = "msptui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {lambda: import_module("msptui.ui.commands").SecretsCommands}
    BINDINGS = [
        Binding("f1", "section('SLA board')", N_("Board"), id="go.board"),
        Binding("f2", "section('Clients and contracts')", N_("Clients"), id="go.clients"),
        Binding("f3", "section('Tickets history')", N_("Tickets"), id="go.tickets"),
        Binding("f4", "section('Monthly review')", N_("Review"), id="go.review"),
        # The provider's identity and the interface language; not in the footer (rarely used), in `?` and Ctrl+P.
        Binding("f9", "section('Provider identity')", N_("Settings"), id="go.settings", show=False),
        # Not a priority binding: in a text field, Textual gives "?" to the field, which types it.
        Binding("question_mark", "show_keys", N_("Keys"), id="app.keys", tooltip=N_("Every key of this screen")),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
    ]

    # Ask this machine's technician name once the board is shown, when none is saved
    # (msptui.ui.screens.team.technician). Tests of other screens turn it off (tests/conftest.py).
    ask_technician = True

    keyring_changed: Signal[KeyringStatus]
    """Published with the new status whenever the keyring settings screen closes."""

    def __init__(self, paths: Paths, clock: Clock | None = None, *, open_store: bool = True) -> None:
        super().__init__()
        self.keyring_changed = Signal(self, "keyring-changed")
        self.paths = paths
        self.clock: Clock = clock or SystemClock()
        self.store: Store | None = None
        self.store_error: str | None = None
        self._waiting_for_store: list[Callable[[], object]] = []
        self.timer_words = ""  # the running timer as the headers show it ("" when none)
        self._open_store_at_mount = open_store
        # This machine's technician (msptui.config.technician), read with the store; None: not set.
        self.technician: str | None = None

    # --- a bug: no locals on screen, a report, a non-zero exit -----------------------

    def _handle_exception(self, error: Exception) -> None:
        """Replaces Textual's handler, which prints every frame's locals (a local may be
        a client's password). See `msptui.ui.crash`."""
        from rich.text import Text

        from msptui.ui.crash import crash_sentence, write_crash_report

        self._return_code = 1
        if self._exception is None:  # run_test re-raises it for the test that caused it
            self._exception = error
            self._exception_event.set()
        report = write_crash_report(self.paths.data / "crash", error, self.clock.now())
        self._exit_renderables.append(Text(crash_sentence(error, report)))
        self._close_messages_no_wait()

    # --- toasts: replaced, not piled up ----------------------------------------------

    MAX_TOASTS = 3

    def _on_notify(self, event) -> None:  # noqa: ANN001 - textual.app.Notify
        """A toast saying again what one on screen says replaces it, and at most
        MAX_TOASTS show at once (the oldest go): at 80x24, three "Note written"
        toasts would cover half the board."""
        new = event.notification
        shown = list(self._notifications)
        for old in shown:
            if (old.title, old.message) == (new.title, new.message):
                self._unnotify(old, refresh=False)
                shown.remove(old)
        for old in shown[: max(0, len(shown) - self.MAX_TOASTS + 1)]:
            self._unnotify(old, refresh=False)
        super()._on_notify(event)

    # --- start ------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from msptui.ui.screens.tickets.board import BoardScreen

        return BoardScreen()

    def on_mount(self) -> None:
        if self._open_store_at_mount:
            self.run_worker(self._store_opened, group="store-open", exclusive=True)

    async def _store_opened(self) -> None:
        """(Async worker.) Open the store in a daemon thread and wait for it to finish.

        Not a thread worker: Textual runs those in asyncio's default executor, which
        exit joins, so quitting in the first seconds waited for SQLAlchemy's import
        and the migrations (3.5 s). A daemon thread dies with the process; nothing is
        half-written: opening reads, and each migration commits with its revision stamp
        in one transaction, which SQLite rolls back if cut short (tests/test_quit.py). Waiting here keeps `workers.wait_for_complete`
        meaning "the store has opened (or failed)" for tests and the benchmarks.
        """
        import asyncio
        import threading

        loop = asyncio.get_running_loop()
        finished: asyncio.Future[BaseException | None] = loop.create_future()

        def run() -> None:
            error: BaseException | None = None
            try:
                self._open_store()
            except BaseException as exc:  # noqa: BLE001 - handed to the app, as a worker's would be
                error = exc
            try:
                loop.call_soon_threadsafe(lambda: finished.done() or finished.set_result(error))
            except RuntimeError:  # the app has quit and its loop is closed: nobody is waiting
                pass

        threading.Thread(target=run, name="msptui-store-open", daemon=True).start()
        error = await finished
        if error is not None and self._running:
            raise error

    def _open_store(self) -> None:
        import os

        from msptui.paths import PathError
        from msptui.store.files.in_use import hold_in_use

        in_use = None
        if not os.environ.get("MSPTUI_DATABASE_URL"):
            try:  # before anything reads the file: a restore may be replacing it
                in_use = hold_in_use(self.paths)
            except (PathError, OSError) as exc:
                self.call_from_thread(self.post_message, StoreFailed(str(exc)))
                return
        self._read_board_early()  # first: the imports below take most of a second
        from msptui.store.db import StoreError
        from msptui.store.open import open_store

        self._act_as_saved_technician()

        try:
            store = open_store(self.paths)
        except (StoreError, PathError) as exc:
            self.call_from_thread(self.post_message, StoreFailed(str(exc)))
            return
        except Exception as exc:  # an unexpected failure must still be readable, not a crash at 3 a.m.
            said = _("The database could not be opened: {error}").format(error=exc)
            self.call_from_thread(self.post_message, StoreFailed(said))
            return
        self.call_from_thread(self._set_store, store)
        for warning in store.warnings:
            self.call_from_thread(self.notify, warning, title=_("Database"), severity="warning", timeout=20)
        # After the screens have their store: today's automatic backup never delays them.
        from msptui.store.files.backups import at_start

        warning = at_start(store, self.clock.now(), in_use)
        if warning:
            self.call_from_thread(self.notify, warning, title=_("Backup"), severity="warning", timeout=15)

    def _act_as_saved_technician(self) -> None:
        """(Store thread.) What this process records names the technician saved for this machine."""
        from msptui import config
        from msptui.store import team

        try:
            name = config.technician(self.paths)
        except config.ConfigError as exc:
            self.call_from_thread(self.notify, str(exc), title=_("Settings"), severity="error", timeout=20)
            name = None
        team.set_acting(name or "")
        self.technician = name

    def technician_saved(self, name: str | None) -> None:
        """The technician's name was set (first start, settings): screens that filter on it re-read."""
        if name:
            self.technician = name
            from msptui.ui.screens.tickets.board import BoardScreen

            for screen in self.screen_stack:
                if isinstance(screen, BoardScreen):
                    screen.technician_changed()

    def _read_board_early(self) -> None:
        """(Store worker.) Opening the store imports SQLAlchemy and checks the schema
        (most of a second): first, the board reads its rows straight from the SQLite
        file with sqlite3, if the file is already at the schema's HEAD. In this same
        thread, before the store: two threads importing and computing at once share
        one GIL and both finish late. On a PostgreSQL server, the same read through
        psycopg; not for another database URL: only the store knows how to reach it."""
        import os

        from msptui.store.calendars import use_holiday_file

        use_holiday_file(self.paths.data / "cache" / "holidays.json")  # for the store's calendars too
        url = os.environ.get("MSPTUI_DATABASE_URL")
        source: Path | str = self.paths.database
        if url:
            from msptui.store.server import is_server_url

            if not is_server_url(url):
                return
            source = url  # psycopg alone, as sqlite3 for the file
        elif not self.paths.database.exists():
            return
        from msptui.ui.screens.tickets.board import BoardScreen

        for screen in list(self.screen_stack):
            if isinstance(screen, BoardScreen):
                screen.read_early(source)

    # --- the running timer in every header (issue 16) ---------------------------------

    def format_title(self, title: str, sub_title: str) -> Content:
        """Textual's title, then the running timer (Textual's Header asks this for the
        current screen's header): visible from every screen but the board, which shows
        it in its own bar (TimerBadge), with the ticket's title. A title still in a class
        attribute (TITLE, SUB_TITLE, marked `N_()`) is translated here; others are already."""
        return self._title_with_timer(self.screen, title, sub_title)

    def _title_with_timer(self, screen: Screen[object], title: str, sub_title: str) -> Content:
        if title and title == getattr(screen, "TITLE", None):
            title = _(title)
        if sub_title and sub_title == getattr(screen, "SUB_TITLE", None):
            sub_title = _(sub_title)
        content = super().format_title(title, sub_title)
        if not self.timer_words or getattr(screen, "shows_timer_badge", False):
            return content
        return Content.assemble(content, ("   ", ""), (self.timer_words, "bold"))

    def show_timer_in_titles(self, words: str) -> None:
        """(From the board's TimerBadge, once a minute while a timer runs.) Redraw the headers."""
        if words != self.timer_words:
            self.timer_words = words
            self.redraw_titles()

    def redraw_titles(self) -> None:
        """Every screen's header, each with or without the timer as it should be."""
        for screen in self.screen_stack:
            for header in screen.query(Header):
                content = self._title_with_timer(screen, header.screen_title, header.screen_sub_title)
                for title in header.query("HeaderTitle"):
                    title.update(content)  # type: ignore[attr-defined]

    def when_store_open(self, call: Callable[[], object]) -> None:
        """Run `call` once the store is open: a key pressed on the rows read early is
        kept, not refused (said after a short wait, so a fast open stays silent)."""
        self._waiting_for_store.append(call)
        if len(self._waiting_for_store) == 1:
            self.set_timer(0.4, self._say_still_opening)

    def _say_still_opening(self) -> None:
        if self._waiting_for_store and self.store is None and self.store_error is None:
            self.notify(_("The database is still opening: what you asked runs as soon as it is open."), timeout=4)

    def _set_store(self, store: Store) -> None:
        self.store = store
        self.post_message(StoreReady())
        waiting, self._waiting_for_store = self._waiting_for_store, []
        for call in waiting:  # in the order asked, after the screens heard StoreReady
            self.call_later(call)

    @on(StoreFailed)
    def _store_failed(self, event: StoreFailed) -> None:
        self.store_error = event.message
        self._waiting_for_store.clear()  # the message below says why they did not run
        self.notify(event.message, title=_("Cannot open the database"), severity="error", timeout=30)
        for screen in self.screen_stack:
            screen.post_message(StoreFailed(event.message))

    @on(StoreReady)
    def _store_ready(self) -> None:
        for screen in self.screen_stack:
            screen.post_message(StoreReady())
        self.call_store(_is_empty, done=self._maybe_welcome)

    def _maybe_welcome(self, empty: bool) -> None:
        if empty:
            from msptui.ui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        if self.ask_technician and self.technician is None:
            # On top of the welcome: who works here comes first. After the board's first
            # frame and rows (this runs once the store is open): never delays them.
            from msptui.ui.screens.team.technician import technician_form

            self.push_screen(technician_form(self.paths, None, first_start=True), callback=self.technician_saved)

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.dispose()

    # --- the benchmark's hook (bench/cold_start.py, README "Benchmarks") ----------

    def on_ready(self) -> None:
        # Textual sends Ready right after the first frame went to the terminal.
        bench_moment(self, "first-frame")

    def board_populated(self) -> None:
        """The board calls this each time it has shown its rows (even none), read early or from the store.

        Only the benchmark listens. MSPTUI_BENCH_EXIT=board or usable: the first call ends the
        run (the rows and every action are shown from the first read; a key pressed before
        the store opens runs once it is open: StoreCalls.call_store). MSPTUI_BENCH_EXIT=store:
        the first call made with the store open (the rows confirmed by its version stamp).
        """
        self.call_after_refresh(bench_moment, self, "board")
        self.call_after_refresh(bench_moment, self, "usable")
        if self.store is not None:
            self.call_after_refresh(bench_moment, self, "store")
            self.call_after_refresh(bench_open_clients, self)

    # --- navigation and the command palette ---------------------------------------

    def action_section(self, title: str) -> None:
        target = next((path for t, _h, path in SECTIONS if t == title), None)
        if target is None:
            return
        module, cls_name = target.split(":")
        cls = getattr(import_module(module), cls_name)
        # Go back to an open instance rather than stacking copies of the same screen.
        for screen in reversed(self.screen_stack):
            if isinstance(screen, cls):
                while self.screen is not screen:
                    self.pop_screen()
                return
        if cls.__name__ == "BoardScreen":
            while len(self.screen_stack) > 2:
                self.pop_screen()
            return
        self.push_screen(cls())

    def action_show_keys(self) -> None:
        """Every key of the screen beneath, grouped (the footer shows only what fits)."""
        from msptui.ui.widgets.keys_help import KeysScreen, key_sections, words

        screen = self.screen
        if isinstance(screen, KeysScreen):
            screen.dismiss(None)
            return
        path = f"{type(screen).__module__}:{type(screen).__name__}"
        section = next((t for t, _h, p in SECTIONS if p == path), None)
        # A section's name, else the screen's title (translated if still a class attribute).
        named = section or screen.title or getattr(screen, "TITLE", None)
        title = _(named) if named else words(type(screen).__name__)
        self.push_screen(KeysScreen(title, key_sections(screen, title)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from msptui.ui.commands import system_commands

        return system_commands(self, screen, super().get_system_commands(screen))

    # --- Textual's own words, in the interface's language ------------------------------

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def search_themes(self) -> None:
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def action_help_quit(self) -> None:
        """Ctrl+C (copy, in a field) does not quit: say which key does."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                said = _("Press [b]{key}[/b] to quit the app").format(key=key)
                self.notify(said, title=_("Do you want to quit?"))
                return


def bench_moment(app: MsptuiApp, moment: str) -> None:
    """With MSPTUI_BENCH_EXIT=<moment> (first-frame, board, usable, store or clients), end the run at that moment.

    Prints "msptui-bench <moment> <time.monotonic()>" once the terminal is restored
    (system-wide clock: the benchmark subtracts the instant it started the process).
    MSPTUI_BENCH_LINGER=<seconds> keeps the app running that long first (peak memory).
    MSPTUI_BENCH_MARKS=<file>: the same line is also appended there at once, for a
    benchmark that measures the running app (idle CPU) rather than its exit.
    """
    import os

    if os.environ.get("MSPTUI_BENCH_EXIT") != moment or getattr(app, "_bench_done", False):
        return
    import atexit
    import time

    app._bench_done = True  # type: ignore[attr-defined]
    line = f"msptui-bench {moment} {time.monotonic():.6f}"
    atexit.register(print, line, flush=True)
    if marks := os.environ.get("MSPTUI_BENCH_MARKS"):
        with open(marks, "a", encoding="utf-8") as file:
            file.write(line + "\n")
    app.set_timer(float(os.environ.get("MSPTUI_BENCH_LINGER") or 0) or 0.001, app.exit)


def bench_open_clients(app: MsptuiApp) -> None:
    """With MSPTUI_BENCH_EXIT=clients: once the board is usable, do what F2 does and end the run
    when the client list is shown (its index loaded, then one refresh). Prints the
    instant of the key as "msptui-bench f2 <time>" besides the "clients" moment."""
    import os

    if os.environ.get("MSPTUI_BENCH_EXIT") != "clients" or getattr(app, "_bench_f2", None) is not None:
        return
    import atexit
    import time

    app._bench_f2 = time.monotonic()  # type: ignore[attr-defined]
    atexit.register(print, f"msptui-bench f2 {app._bench_f2:.6f}", flush=True)  # type: ignore[attr-defined]
    app.action_section("Clients and contracts")  # what F2 is bound to  # i18n: not shown (the section's key)

    def shown() -> None:
        # The browser fills its list once its index is in (a worker): look every 10 ms.
        if getattr(app.screen, "index", None) is not None:
            timer.stop()
            app.call_after_refresh(bench_moment, app, "clients")

    timer = app.set_interval(0.01, shown)


def _is_empty(engine) -> bool:  # noqa: ANN001
    from msptui.store.clients import count_clients

    return count_clients(engine) == 0


def end_process(code: int) -> NoReturn:
    """End the process once the app has run, without the interpreter's teardown.

    Freeing every module and object at exit takes 0.3 s after importing Textual
    and about 1 s with SQLAlchemy too (measured on the 2-core bench machine),
    all of it after the terminal is back: quitting looked slow. What a normal
    exit does that matters is kept: the non-daemon threads are waited for (a
    store write in progress finishes, as before), then the atexit functions run
    (logging's flush, the benchmark's mark), the streams are flushed. Only the
    store-opening daemon thread is cut short, which is safe (see `_store_opened`).
    """
    import atexit
    import os
    import sys
    import threading

    threading._shutdown()  # type: ignore[attr-defined]  # what Py_Finalize does first: join non-daemon threads
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
