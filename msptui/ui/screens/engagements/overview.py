"""Engagements: the list (of every client or of one) and one engagement with its check history.

An engagement is accepted or declined only by a competence check (c) and
delivered only from its delivery checklist (Deliveries); starting the work
and cancelling are a key away (t), and cancelling offers the client's
handover pack at once. The detail shows what the decision rests
on: the partners, the record of telling the client (g records one still to
complete), the risk letter (l), whether the check is stale, and the change
requests agreed with the client.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import ScreenResume
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.engagements.forms import disclosure_form, engagement_form, form_choices, status_form
from msptui.ui.screens.engagements.text import (
    _status_label,
    answer_word,
    card,
    check_text,
    history_text,
    short,
    short_decision,
    warning_lines,
)
from msptui.ui.widgets.table import Table
from msptui.ui.widgets.timer import timer_binding

__all__ = ["EngagementDetailScreen", "EngagementsScreen", "short"]


class _EngagementActions:
    """The keys an engagement list and an engagement detail share (c, e, t, x, k)."""

    msptui: Any
    app: Any

    def current_engagement(self) -> Any:
        raise NotImplementedError

    def after_change(self) -> None:
        raise NotImplementedError

    def action_check(self) -> None:
        e = self.current_engagement()
        if e is None:
            return
        from msptui.store.engagements import CHECKABLE
        from msptui.ui.screens.engagements.competence import CompetenceCheckScreen

        if e.status not in CHECKABLE:
            status = _status_label(e.status).lower()
            self.app.notify(
                _("This engagement is {status}: a competence check is run before the work starts.").format(
                    status=status
                ),
                severity="warning",
            )
            return
        self.app.push_screen(CompetenceCheckScreen(e.id), callback=lambda _r: self.after_change())

    def action_edit(self) -> None:
        e = self.current_engagement()
        if e is None:
            return
        self.call_store(
            form_choices,
            e.client_id,
            done=lambda choices: self.app.push_screen(
                engagement_form(e, e.client_id, *choices, self.msptui.clock.now), callback=self._saved
            ),
        )

    def _saved(self, engagement_id: int | None) -> None:
        if engagement_id is not None:
            self.app.notify(_("Engagement saved."))
            self.after_change()

    def action_status(self) -> None:
        e = self.current_engagement()
        if e is None:
            return
        from msptui.store.engagements import next_statuses

        targets = next_statuses(e.status)
        if not targets:
            if e.status == "declined":
                said = _("This engagement is {status}: run a competence check (c) to reconsider it.")
            else:
                said = _("This engagement is {status}: nothing follows it.")
            self.app.notify(said.format(status=_status_label(e.status).lower()), severity="warning")
            return
        self.app.push_screen(status_form(e, targets, self.msptui.clock.now), callback=self._status_saved)

    def _status_saved(self, engagement_id: int | None) -> None:
        self._saved(engagement_id)
        if engagement_id is not None:
            from msptui.store.engagements import engagement_detail

            self.call_store(engagement_detail, engagement_id, done=self._offer_handover_if_cancelled)

    def _offer_handover_if_cancelled(self, detail: Any) -> None:
        """The charter's duty on cancellation: hand over what another provider needs, offered at once."""
        if detail is None or detail.engagement.status != "cancelled":
            return
        from msptui.ui.screens.deliveries.handover import offer_handover

        e = detail.engagement
        offer_handover(self, e.client_id, detail.client.name, e.id, e.title, reason=_("The engagement is cancelled."))

    def action_export(self) -> None:
        e = self.current_engagement()
        if e is None:
            return
        from msptui.store.files.engagement_exports import export_check_history

        self.call_store(
            export_check_history,
            e.id,
            self.app.paths.exports,
            self.msptui.clock.now(),
            done=lambda paths: self.app.notify(
                f"{paths[0]}\n{paths[1]}", title=_("Check history exported"), timeout=10
            ),
        )

    def action_conflicts(self) -> None:
        e = self.current_engagement()
        if e is None:
            return
        from msptui.ui.screens.conflicts.register import ConflictsScreen

        self.app.push_screen(ConflictsScreen(client_id=e.client_id))

    def action_toggle_timer(self) -> None:
        e = self.current_engagement()
        if e is not None:
            from msptui.ui.screens.time.timer_keys import toggle_timer

            toggle_timer(self, engagement_id=e.id, here=_("the engagement “{title}”").format(title=e.title))


SHARED_BINDINGS = [
    Binding("c", "check", N_("Competence check"), id="engagements.check"),
    Binding("e", "edit", N_("Edit"), id="engagements.edit"),
    Binding("t", "status", N_("Status"), id="engagements.status"),
    Binding("x", "export", N_("Export checks"), id="engagements.export"),
    Binding("k", "conflicts", N_("Conflicts"), id="engagements.conflicts"),
]


class EngagementsScreen(_EngagementActions, MsptuiScreen):
    """Every engagement, or those of one client (`client_id`)."""

    DEFAULT_CSS = """
    EngagementsScreen #engagements-title { padding: 0 1; text-style: bold; }
    EngagementsScreen #engagements { height: 1fr; }
    """
    BINDINGS = [
        Binding("o", "open", N_("Open"), id="engagements.open"),
        Binding("n", "new", N_("New engagement"), id="engagements.new"),
        *SHARED_BINDINGS,
        timer_binding("engagements.timer"),  # issue 16: time spent on the engagement
        Binding("escape", "back", N_("Back"), id="engagements.back", show=False),
    ]

    # The check first: where the French key's words ("Vérification des compétences") leave no room
    # for all three at 80 columns, it is the one kept with Open (Enter opens a row too).
    essential_keys = ("engagements.check", "engagements.open", "engagements.new")

    def __init__(self, client_id: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.rows: list[Any] = []
        self.loaded = False
        self._select_after_load: int | None = None  # an engagement just created

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the database…"), id="engagements-title", markup=False)
        table = Table(id="engagements", cursor_type="row", zebra_stripes=True)
        # Technologies last: on a narrow terminal the status and the check matter more.
        table.add_columns(_("Client"), _("Engagement"), _("Status"), _("Check in force"), _("Technologies"))
        yield table
        yield Footer()

    def load(self) -> None:
        from msptui.store.engagements import list_engagements

        self.call_store(list_engagements, self.client_id, done=self._loaded, group="engagements", exclusive=True)

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.loaded:
            self.load()

    def show_store_error(self, message: str) -> None:
        self.query_one("#engagements-title", Static).update(message)

    def _loaded(self, rows: list[Any]) -> None:
        table = self.query_one("#engagements", Table)
        # The row it was on by identity (the order changes with statuses), or the one just created.
        keep = str(self._select_after_load) if self._select_after_load is not None else table.cursor_key()
        self._select_after_load = None
        self.rows, self.loaded = rows, True
        table.clear()
        for r in rows:
            e = r.engagement
            table.add_row(
                Text(short(r.client_name, 18)),
                Text(short(e.title, 28)),
                Text(_status_label(e.status)),
                Text(short_decision(r.last_decision), style="" if r.last_decision else "dim"),
                Text(short(", ".join(e.technologies), 22)),
                key=str(e.id),
            )
        table.keep_cursor_on(keep)
        parts = [_("Engagements")]
        if self.client_id is not None and rows:
            parts.append(rows[0].client_name)
        parts.append(str(len(rows)))
        if not rows:
            parts.append(_("none yet: press n to record one"))
        self.query_one("#engagements-title", Static).update(" · ".join(parts))
        table.focus()

    def current_engagement(self) -> Any:
        table = self.query_one("#engagements", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row].engagement

    def after_change(self) -> None:
        self.load()

    @on(DataTable.RowSelected, "#engagements")
    def action_open(self) -> None:
        e = self.current_engagement()
        if e is not None:
            self.app.push_screen(EngagementDetailScreen(e.id))

    def action_new(self) -> None:
        self.call_store(form_choices, self.client_id, done=self._open_new_form)

    def _open_new_form(self, choices: tuple[list[Any], list[Any]]) -> None:
        self.app.push_screen(
            engagement_form(None, self.client_id, *choices, self.msptui.clock.now), callback=self._created
        )

    def _created(self, engagement_id: int | None) -> None:
        if engagement_id is None:
            return
        # The toast says "c": c must open the check of the engagement just created.
        self._select_after_load = engagement_id
        self.load()
        self.app.notify(_("Engagement recorded: run the competence check (c) before accepting it."))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)


class EngagementDetailScreen(_EngagementActions, MsptuiScreen):
    """One engagement, its client's blocking conflicts, and every check (the one in force first)."""

    DEFAULT_CSS = """
    EngagementDetailScreen #engagement-body { padding: 0 1; }
    EngagementDetailScreen #engagement-warning { color: $warning; height: auto; }
    EngagementDetailScreen #engagement-history { height: auto; margin-top: 1; }
    EngagementDetailScreen #checks { height: auto; max-height: 10; }
    EngagementDetailScreen #check-detail { height: auto; margin-top: 1; }
    """
    BINDINGS = [
        *SHARED_BINDINGS,
        Binding("g", "record_disclosure", N_("Record telling the client"), id="engagement.disclosure"),
        Binding("l", "risk_letter", N_("Risk letter"), id="engagement.risk_letter"),
        Binding("escape", "back", N_("Back"), id="engagement.back"),
        timer_binding("engagement.timer"),  # issue 16; after the others: the footer keeps Risk letter
    ]

    # What the warning line asks for comes first in the footer, while it applies.
    essential_keys = ("engagement.disclosure", "engagements.check", "engagements.edit", "engagements.status")

    def __init__(self, engagement_id: int) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.detail: Any = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record_disclosure":  # offered only while telling the client is still to record
            return self.detail is not None and bool(self.detail.disclosure_missing)
        return super().check_action(action, parameters)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="engagement-body"):
            yield Static(_("Opening the engagement…"), id="engagement-card", markup=False)
            yield Static("", id="engagement-warning", markup=False)
            yield Static("", id="engagement-history", markup=False)
            yield Static(_("Competence checks"), classes="section-title")
            table = Table(id="checks", cursor_type="row")
            table.add_columns("#", _("Checked at"), "I", "II", "III", _("Decision"), "")
            yield table
            yield Static("", id="check-detail", markup=False)
        yield Footer()

    def load(self) -> None:
        from msptui.store.engagements import engagement_detail

        self.call_store(engagement_detail, self.engagement_id, done=self._loaded, group="engagement", exclusive=True)

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.detail is not None:
            self.load()

    def show_store_error(self, message: str) -> None:
        self.query_one("#engagement-card", Static).update(message)

    def _loaded(self, detail: Any) -> None:
        if detail is None:
            self.query_one("#engagement-card", Static).update(_("This engagement no longer exists."))
            return
        from msptui.store.schemas.engagements import format_instant

        self.detail = detail
        self.refresh_bindings()
        client = detail.client
        self.query_one("#engagement-card", Static).update(card(detail))
        warnings = warning_lines(detail)
        line = self.query_one("#engagement-warning", Static)
        line.update("\n".join(warnings))
        line.display = bool(warnings)
        history = history_text(detail)
        block = self.query_one("#engagement-history", Static)
        block.update(history)
        block.display = bool(history.plain)
        table = self.query_one("#checks", DataTable)
        table.clear()
        total = len(detail.checks)
        for n, c in enumerate(detail.checks):
            table.add_row(
                str(total - n),
                format_instant(c.checked_at, client.timezone),
                answer_word(c.familiarity),
                answer_word(c.prior_projects),
                answer_word(c.know_how),
                Text(short_decision(c.decision)),
                Text(_("in force") if n == 0 else _("superseded"), style="bold" if n == 0 else "dim"),
                key=str(c.id),
            )
        if not detail.checks:
            table.add_row("", Text(_("No check yet: press c to run one."), style="italic"), "", "", "", "", "")
        self._show_check()

    def current_engagement(self) -> Any:
        return self.detail.engagement if self.detail is not None else None

    def after_change(self) -> None:
        self.load()

    @on(DataTable.RowHighlighted, "#checks")
    def _show_check(self) -> None:
        out = self.query_one("#check-detail", Static)
        if self.detail is None or not self.detail.checks:
            out.update("")
            return
        table = self.query_one("#checks", DataTable)
        index = min(max(table.cursor_row, 0), len(self.detail.checks) - 1)
        check = self.detail.checks[index]
        out.update(check_text(check, self.detail.client.timezone, self.detail.disclosures.get(check.id)))

    def action_record_disclosure(self) -> None:
        # Offered only while it is still to record (check_action); the store refuses anything else.
        check = self.detail.current_check if self.detail is not None else None
        if check is None:
            return
        self.app.push_screen(disclosure_form(check, self.msptui.clock.now), callback=self._disclosed)

    def _disclosed(self, record_id: int | None) -> None:
        if record_id is not None:
            self.app.notify(_("Telling the client is recorded."))
            self.load()

    def action_risk_letter(self) -> None:
        if self.detail is None:
            return
        from msptui.store.files.risk_letter import export_risk_letter

        self.call_store(
            export_risk_letter,
            self.engagement_id,
            self.app.paths.exports,
            self.msptui.clock.now(),
            done=lambda files: self.app.notify(
                f"{files.markdown}\n{files.pdf}", title=_("Risk letter written"), timeout=10
            ),
            failed=lambda exc: self.app.notify(str(exc), severity="warning", timeout=10),
        )

    def action_back(self) -> None:
        self.dismiss(None)
