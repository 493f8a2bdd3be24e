"""The board's header (counts of live clocks, the time), its detail line and its empty state.

Mixed into BoardScreen, which provides `rows`, `table`, `selected`, `zone`,
`table_layout`, `prepaid`, `msptui` and the store calls.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from textual.widgets import Static

from msptui.core.i18n import _, ngettext
from msptui.ui.screens.tickets.board_data import prepaid_words
from msptui.ui.screens.tickets.board_layout import detail_text, header_line
from msptui.ui.widgets.cells import day_time_words
from msptui.ui.widgets.timer import TimerBadge


class BoardHeader:
    live_problem = ""  # in the header's sub title while the server cannot be reached (live_news)

    def _show_state(self: Any) -> None:
        empty = not self.rows
        self.table.set_class(empty, "-hidden")
        self.query_one("#board-empty").set_class(not empty, "-hidden")
        if empty:
            self.query_one("#board-empty").update(self.empty_words())
        self.query_one("#board-detail").set_class(empty, "-hidden")
        if not empty and self.focused is None:
            self.table.focus()

    def _update_counts(self: Any) -> None:
        """The header's counts of live clocks (they change only when a ticket is evaluated)."""
        if not self.query("#board-header") or not self.query(TimerBadge):
            return  # not composed yet, or closing: the counts are drawn once it is (seen under load)
        counts: dict[str, int] = {}
        for cd in self.rows.values():
            for status, n in cd.counts().items():
                counts[status] = counts.get(status, 0) + n
        # Room left by the time on the right (see _clock_words) and both paddings.
        room = (self.size.width or 120) - len(self._clock_words(self.msptui.clock.now())) - 4
        room -= self.query_one(TimerBadge).cells
        line = header_line(counts, self.undisclosed_conflicts, room, due=self.band.overdue)
        if line.plain != self._header_text:
            self._header_text = line.plain
            self.query_one("#board-header", Static).update(line)
        tickets = len(self.rows)
        sub_title = ngettext("SLA board · {count} ticket", "SLA board · {count} tickets", tickets).format(count=tickets)
        if filtered := self.filter_words():  # issue 20: rows are hidden, and the title says so
            sub_title = f"{sub_title} · {filtered}"
        if self.live_problem:
            sub_title = f"{sub_title} · {self.live_problem}"
        if self.sub_title != sub_title:
            self.sub_title = sub_title

    def live_news(self: Any, words: str, lost: bool) -> None:
        """The server's connection was lost (or is back): said once, and kept in the header
        while lost, since the rows may then be behind other technicians' changes."""
        self.live_problem = _("not live: the server cannot be reached") if lost else ""
        self.notify(
            words,
            title=_("Database server"),
            severity="warning" if lost else "information",
            timeout=20 if lost else 5,
            markup=False,
        )
        self._update_counts()

    def timer_badge_changed(self: Any) -> None:
        """The running timer appeared, changed or went (TimerBadge): the counts get the room left."""
        self._header_text = ""
        self._update_counts()

    def _clock_words(self: Any, now: datetime) -> str:
        local = now.astimezone(self.zone)
        if self.table_layout == "narrow":
            return f"{local:%H:%M:%S}"
        return f"{day_time_words(local, date_too=True, seconds=True)} {self.zone.key}"

    def _update_clock(self: Any, now: datetime) -> None:
        """The time in the header, in the technician's zone: the board visibly ticks."""
        words = self._clock_words(now)
        # Same length as a second ago: no layout pass (one per second would re-lay out the screen).
        self.query_one("#board-time", Static).update(words, layout=len(words) != self._clock_length)
        self._clock_length = len(words)

    def _update_detail(self: Any) -> None:
        """The selected ticket in full; at medium and narrow widths with its three clocks."""
        cd = self.selected()
        detail = self.query_one("#board-detail", Static)
        if cd is None:
            detail.update("")
            return
        room = (self.size.width or 120) - 2  # the padding
        contract = cd.ticket.contract_id
        if contract is not None and contract not in self.prepaid and self.msptui.store is not None:
            self.prepaid[contract] = None  # asked once per contract until the database moves
            self.read_prepaid(contract)
        words = self.prepaid.get(contract) if contract is not None else None
        # Its size is fixed (detail_height, full width): no layout pass for new words.
        now = self.msptui.clock.now()
        detail.update(detail_text(cd, self.table_layout, room, now, self.zone, words), layout=False)

    def read_prepaid(self: Any, contract: int) -> None:
        """Ask the store for the contract's prepaid hours (and the alerts due); the line
        keeps what it shows until the answer comes."""
        if self.msptui.store is not None:
            self.call_store(
                prepaid_words, contract, self.msptui.clock.now(), done=partial(self._prepaid_read, contract)
            )

    def _prepaid_read(self: Any, contract: int, found: tuple[str | None, list[int]]) -> None:
        words, alerts = found
        self.prepaid[contract] = words
        reference = next(
            (cd.ticket.contract_reference for cd in self.rows.values() if cd.ticket.contract_id == contract), ""
        )
        for threshold in alerts[-1:]:  # recorded as said by the store; crossed together, the last says it
            if threshold >= 100:
                said = _("Prepaid hours of contract {reference}: exhausted ({words}).")
            else:
                said = _("Prepaid hours of contract {reference}: {percent} % used ({words}).")
            self.notify(
                said.format(reference=reference, percent=threshold, words=words),
                title=_("Prepaid hours"),
                severity="error" if threshold >= 100 else "warning",
                timeout=15,
                markup=False,
            )
        if words is not None:
            self._update_detail()
