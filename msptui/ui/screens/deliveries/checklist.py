"""Deliveries: the list of deliveries to close, the on-site checklist, the handover pack.

The checklist is one line per thing to do, in three sections (Tests, Delivery
note, Documentation), driven from the keyboard at 80x24: space (or t, the
shorter word the footer shows) toggles the line under the cursor, a adds to
the section under the cursor, n jumps to the next thing left to do, i issues
the delivery note, v voids it, m marks the delivery delivered (those three in
`msptui.ui.screens.deliveries.note_actions`). Every write goes through
`msptui.store.deliveries`; after a line is added the cursor is on it.

An issued note is frozen: what it lists no longer changes (the store refuses
in words) until it is voided with a reason; the next note then takes the next
number and names the voided one. A waiver says who decided it: the technician
alone (printed as the provider's reservation) or the client (name, date, how).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static

from msptui.core.i18n import N_, NC_, _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.deliveries.note_actions import NoteActions

# The list of deliveries lives in its own module; it is imported from here too (app sections, tests).
from msptui.ui.screens.deliveries.overview import DeliveriesScreen  # noqa: F401
from msptui.ui.screens.deliveries.rows import WAIVE_PART, WITHDRAW_PART_WAIVER, checklist_rows, local_time, todo_keys
from msptui.ui.widgets.table import Table

# --- the on-site checklist -------------------------------------------------------------------------


class DeliveryScreen(NoteActions, MsptuiScreen):
    """The checklist of one engagement's delivery (opened on first visit); the note's keys are `NoteActions`."""

    DEFAULT_CSS = """
    DeliveryScreen #delivery-title { height: 1; padding: 0 1; text-style: bold; }
    DeliveryScreen #delivery-progress { height: 1; padding: 0 1; }
    DeliveryScreen #progress-count { width: auto; padding-right: 1; }
    DeliveryScreen #progress-bar { width: 24; }
    DeliveryScreen #progress-state { width: 1fr; padding-left: 1; color: $text-muted; }
    DeliveryScreen #checklist { height: 1fr; }
    /* Four lines: what is left to do reads longer in French than in English. */
    DeliveryScreen #delivery-status { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        # Short words so the whole footer fits 80 columns, in French too (their "key" sense: "Suppr",
        # "BL" for the bon de livraison); the tooltip is the palette's help line.
        Binding(
            "t",
            "toggle",
            NC_("key", "Toggle"),
            id="delivery.toggle",
            tooltip=N_("Test: not run → passed → failed. Document: handed over or not."),
        ),
        Binding("space", "toggle", N_("Toggle"), id="delivery.toggle_space", show=False),
        Binding(
            "a",
            "add",
            NC_("key", "Add"),
            id="delivery.add",
            tooltip=N_("Add a test, an item delivered or a document, in the section under the cursor"),
        ),
        Binding(
            "n", "next_todo", NC_("key", "Next"), id="delivery.next", tooltip=N_("Move to the next line left to do")
        ),
        Binding("e", "edit", NC_("key", "Edit"), id="delivery.edit", tooltip=N_("Edit the line under the cursor")),
        Binding("d", "delete", NC_("key", "Del"), id="delivery.delete", tooltip=N_("Remove the line under the cursor")),
        Binding(
            "w",
            "waive",
            N_("Waive"),
            id="delivery.waive",
            tooltip=N_("Waive a failed test, or a whole section, with a written reason"),
        ),
        Binding(
            "i",
            "issue",
            NC_("key", "Issue"),
            id="delivery.issue",
            tooltip=N_("Issue the delivery note (number, client's signatory), or write its Markdown and PDF again"),
        ),
        Binding(
            "v",
            "void",
            N_("Void"),
            id="delivery.void",
            tooltip=N_(
                "Void the issued delivery note with a reason: its number stays used, VOID is printed,"
                " a new note can be issued"
            ),
        ),
        Binding(
            "m",
            "mark_delivered",
            N_("Deliver"),
            id="delivery.delivered",
            tooltip=N_("Mark delivered once every section is complete or waived"),
        ),
        Binding("escape", "back", N_("Back"), id="delivery.back", show=False),
    ]

    def __init__(self, engagement_id: int) -> None:
        super().__init__()
        self.title = _("Delivery checklist")
        self.engagement_id = engagement_id
        self.delivery_id: int | None = None
        self.view: Any = None
        self.keys: list[str] = []  # row key per table row: "part:tests", "test:3", "note", "item:5", ...
        self.wanted_key: str | None = None  # where the cursor goes at the next fill (a line just added)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(_("Opening the delivery…"), id="delivery-title", markup=False)
        with Horizontal(id="delivery-progress"):
            yield Static("", id="progress-count", markup=False)
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress-bar")
            yield Static("", id="progress-state", markup=False)
        table = Table(id="checklist", cursor_type="row", show_header=False)
        table.add_column("", key="mark", width=1)
        table.add_column("", key="what", width=44)
        table.add_column("", key="detail", width=25)
        yield table
        yield Static("", id="delivery-status", markup=False)
        # Compact: the checklist's ten keys and the palette fit 80 columns.
        yield Footer(compact=True)

    # --- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        from msptui.store.deliveries import open_delivery

        if self.delivery_id is None:
            self.call_store(
                open_delivery,
                self.engagement_id,
                self.msptui.clock.now(),
                done=self._opened,
                failed=self._refused_open,
            )
        else:
            self.reload()

    def _opened(self, delivery_id: int) -> None:
        self.delivery_id = delivery_id
        self.reload()

    def _refused_open(self, exc: Exception) -> None:
        self.query_one("#delivery-title", Static).update(str(exc))

    def reload(self) -> None:
        from msptui.store.deliveries import get_delivery

        if self.delivery_id is not None:
            self.call_store(get_delivery, self.delivery_id, done=self._show, group="delivery", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#delivery-title", Static).update(message)

    def _show(self, view: Any) -> None:
        self.view = view
        readiness = view.readiness
        done, total = readiness.progress
        title = f"{view.engagement.title} — {view.client.name}"
        if view.delivered:
            when = local_time(view.delivery.delivered_at, view.client.timezone)
            title += " — " + _("delivered {when}").format(when=when)
        self.query_one("#delivery-title", Static).update(title)
        self.query_one("#progress-count", Static).update(f"{done}/{total}")
        self.query_one("#progress-bar", ProgressBar).update(total=total, progress=done)
        if view.delivered:
            state = _("delivered")
        else:
            state = _("ready: press m to mark delivered") if readiness.ready else _("to do")
        self.query_one("#progress-state", Static).update(state)
        self._fill(view)
        if not view.delivered and readiness.blockers:
            self.query_one("#delivery-status", Static).update(
                _("Left to do: {blockers}").format(blockers=" ".join(readiness.blockers))
            )
        elif view.delivered:
            self.query_one("#delivery-status", Static).update("")
        self.query_one("#checklist", DataTable).focus()
        self.refresh_bindings()  # a delivered checklist offers only what still applies

    # Once delivered nothing changes: only writing the note's files again, and leaving.
    AFTER_DELIVERY = frozenset({"issue", "back"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.view is not None and self.view.delivered and action in {b.action for b in self.BINDINGS}:
            return action in self.AFTER_DELIVERY
        return super().check_action(action, parameters)

    def _fill(self, view: Any) -> None:
        table = self.query_one("#checklist", Table)
        row, previous = table.cursor_row, table.cursor_key()
        wanted, self.wanted_key = self.wanted_key, None
        rows = checklist_rows(view)
        # "What" takes up to 62 % of the width, no more than its longest line needs; the detail
        # (who decided a waiver, where a document is) has the rest, in any language.
        wide = max(self.size.width - 10, 70)
        longest = max((cell_len(str(what)) for _k, _m, what, _d, _s in rows), default=0)
        what_width = min(wide * 62 // 100, longest + 3)
        table.columns["what"].width = what_width  # type: ignore[index]
        table.columns["detail"].width = wide - what_width  # type: ignore[index]
        table.clear()
        self.keys = []

        for key, mark, what, detail, style in rows:
            self.keys.append(key)
            cell = what if isinstance(what, Text) else Text(what, style=style)
            table.add_row(Text(mark, style=style), cell, Text(detail, style="dim"), key=key)

        # On a line just added; else on the same line; else on the same row number.
        if not (table.keep_cursor_on(wanted) or table.keep_cursor_on(previous)) and row > 0:
            table.move_cursor(row=min(row, len(self.keys) - 1), animate=False)

    # --- where the cursor is --------------------------------------------------------------------

    def _key(self) -> str | None:
        table = self.query_one("#checklist", DataTable)
        return self.keys[table.cursor_row] if self.keys and 0 <= table.cursor_row < len(self.keys) else None

    def _section(self) -> str:
        """The section the cursor is in: tests, note or documents."""
        table = self.query_one("#checklist", DataTable)
        for key in reversed(self.keys[: table.cursor_row + 1]):
            if key.startswith("part:"):
                return key.split(":")[1]
        return "tests"

    def _line(self, prefix: str, rows: list[Any]) -> Any:
        key = self._key() or ""
        if not key.startswith(prefix + ":"):
            return None
        line_id = int(key.split(":")[1])
        return next((row for row in rows if row.id == line_id), None)

    def _call(self, fn: Any, *args: Any, done: Any = None) -> None:
        self.call_store(
            fn,
            *args,
            done=done or (lambda _r: self.reload()),
            failed=lambda exc: self._say(str(exc), _("Not saved")),
            group="delivery-write",
        )

    # --- actions ---------------------------------------------------------------------------------

    def action_toggle(self) -> None:
        from msptui.store import deliveries as store

        if self.view is None:
            return
        key = self._key() or ""
        if key.startswith("test:"):
            self._call(store.cycle_test, int(key.split(":")[1]))
        elif key.startswith("doc:"):
            self._call(store.toggle_document, int(key.split(":")[1]), self.msptui.clock.now())
        elif key == "note" and self.view.note is None:
            self.action_issue()
        elif key.startswith(("part:", "empty:")):
            self.action_add()

    def action_next_todo(self) -> None:
        """Move to the next line that is not done yet (wrapping around)."""
        if self.view is None:
            return
        todo = todo_keys(self.view) | {k for k in self.keys if k.startswith("empty:")}
        table = self.query_one("#checklist", DataTable)
        order = list(range(table.cursor_row + 1, len(self.keys))) + list(range(0, table.cursor_row + 1))
        target = next((i for i in order if self.keys[i] in todo), None)
        if target is None:
            self.msptui.notify(
                _("Nothing left to do here. Press m to mark delivered.")
                if self.view.readiness.ready
                else _("Nothing left to do here.")
            )
            return
        table.move_cursor(row=target)

    def _frozen(self, section: str) -> bool:
        """Say at once (not after typing a form) that an issued note freezes this section."""
        if self.view is None or self.view.note is None:
            return False
        from msptui.core.rules.delivery import frozen_refusal

        # The rules' keys for what the note lists, not words shown (frozen_refusal words the sentence).
        what = {"tests": "its tests", "note": "its items", "documents": "its documents"}[section]  # i18n: not shown
        self._say(frozen_refusal(self.view.note.number, what), _("Not saved"))
        return True

    def action_add(self) -> None:
        if self.delivery_id is None or self._frozen(self._section()):
            return
        self._line_form({"tests": "test", "note": "item", "documents": "doc"}[self._section()], None)

    def action_edit(self) -> None:
        if self.view is None:
            return
        if (self._key() or "").split(":")[0] in ("test", "item", "doc") and self._frozen(self._section()):
            return
        for prefix, rows in (("test", self.view.tests), ("item", self.view.items), ("doc", self.view.documents)):
            if (line := self._line(prefix, rows)) is not None:
                self._line_form(prefix, line)
                return
        self.msptui.notify(_("Move to a test, an item or a document to edit it (a adds one)."))

    def action_delete(self) -> None:
        from msptui.store import deliveries as store
        from msptui.ui.widgets.confirm import ConfirmScreen

        if self.view is None:
            return
        for prefix, rows, fn, question in (
            ("test", self.view.tests, store.delete_test, _("Remove the test '{label}' from this delivery?")),
            ("item", self.view.items, store.delete_item, _("Remove the item '{label}' from this delivery?")),
            ("doc", self.view.documents, store.delete_document, _("Remove the document '{label}' from this delivery?")),
        ):
            line = self._line(prefix, rows)
            if line is not None:
                label = getattr(line, "description", None) or line.title
                self.app.push_screen(
                    ConfirmScreen(question.format(label=label)),
                    callback=lambda yes, fn=fn, line_id=line.id: yes and self._call(fn, line_id),
                )
                return
        self.msptui.notify(_("Move to a test, an item or a document to remove it."))

    def action_waive(self) -> None:
        """On a failed test: waive that test. Elsewhere: waive (or withdraw the waiver of) the section."""
        from msptui.store import deliveries as store
        from msptui.ui.widgets.confirm import ConfirmScreen

        if self.view is None:
            return
        if self._section() != "note" and self._frozen(self._section()):
            return
        test = self._line("test", self.view.tests)
        if test is not None and test.result == "failed":
            if test.waived_reason:
                self.app.push_screen(
                    ConfirmScreen(_("Withdraw the waiver of the failed test '{test}'?").format(test=test.description)),
                    callback=lambda yes: yes and self._call(store.waive_test, test.id, None),
                )
            else:
                self._waiver_form(
                    _("Waive the failed test: {test}").format(test=test.description),
                    lambda engine, waiver: store.waive_test(engine, test.id, waiver),
                    part=None,
                )
            return
        part = self._section()
        if part == "note" and not self.view.delivery.note_waived_reason:
            from msptui.core.rules.delivery import NOTE_NOT_WAIVABLE

            self._say(_(NOTE_NOT_WAIVABLE), _("Not waived"))
            return
        if getattr(self.view.delivery, f"{part}_waived_reason"):
            self.app.push_screen(
                ConfirmScreen(_(WITHDRAW_PART_WAIVER[part])),
                callback=lambda yes: yes and self._call(store.waive_part, self.delivery_id, part, None),
            )
            return
        delivery_id = self.delivery_id
        self._waiver_form(
            _(WAIVE_PART[part]),
            lambda engine, waiver: store.waive_part(engine, delivery_id, part, waiver),
            part=part,
        )

    def _say(self, message: str, title: str) -> None:
        """A refusal in words: in the status line under the checklist and as a notification."""
        self.query_one("#delivery-status", Static).update(message)
        self.msptui.notify(message, title=title, severity="warning", timeout=10)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)

    # --- forms -------------------------------------------------------------------------------------

    def _line_form(self, prefix: str, line: Any) -> None:
        """Add (line None) or edit a test, an item delivered or a document."""
        from msptui.ui.screens.deliveries import forms

        form = {"test": forms.test_form, "item": forms.item_form, "doc": forms.document_form}[prefix]
        self.app.push_screen(form(self.delivery_id, line), callback=self._saved_as(prefix))

    def _waiver_form(self, title: str, waive: Any, part: str | None) -> None:
        from msptui.ui.screens.deliveries.forms import waiver_form

        self.app.push_screen(waiver_form(title, waive, part), callback=self._saved)

    def _saved(self, _result: Any) -> None:
        self.reload()

    def _saved_as(self, prefix: str) -> Any:
        """After a form: reload, with the cursor on the line just added (add_* returns its id)."""

        def saved(result: Any) -> None:
            if isinstance(result, int):
                self.wanted_key = f"{prefix}:{result}"
            self.reload()

        return saved
