"""Deliveries: the list of deliveries to close, the on-site checklist, the handover pack.

The checklist is one line per thing to do, in three sections (Tests, Delivery
note, Documentation), driven from the keyboard at 80x24: space (or t, the
shorter word the footer shows) toggles the line under the cursor, a adds to
the section under the cursor, n jumps to the next thing left to do, i issues
the delivery note, m marks the delivery delivered. Every write goes through `msptui.store.deliveries`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static

from msptui.screens.base import MsptuiScreen

STAGE_WORDS = {
    "in_progress": "In progress",
    "to_open": "To deliver",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
    "former": "Former client",
}
PART_TITLES = {"tests": "Tests", "note": "Delivery note", "documents": "Documentation"}
RESULT_MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "pending": ("·", "")}


def _local(instant: Any, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


# --- the list ----------------------------------------------------------------------------------


class DeliveriesScreen(MsptuiScreen):
    """Open deliveries, engagements ready for one, delivered ones, and handover candidates."""

    TITLE = "Deliveries"

    DEFAULT_CSS = """
    DeliveriesScreen #deliveries { height: 1fr; }
    DeliveriesScreen #deliveries-help { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open checklist", id="deliveries.open", priority=True),
        Binding("h", "handover", "Handover pack", id="deliveries.handover"),
        Binding("escape", "back", "Back", id="deliveries.back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        table = DataTable(id="deliveries", cursor_type="row", zebra_stripes=True)
        for key, label, width in (("stage", "Stage", 13), ("client", "Client", 22), ("engagement", "Engagement", 22), ("where", "Where it stands", 15)):
            table.add_column(label, key=key, width=width)
        yield table
        yield Static("Opening the database…", id="deliveries-help", markup=False)
        yield Footer()

    def load(self) -> None:
        from msptui.store.deliveries import deliveries_overview

        self.msptui.call_store(deliveries_overview, done=self._show, group="deliveries", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#deliveries-help", Static).update(message)

    def _show(self, rows: list[Any]) -> None:
        table = self.query_one("#deliveries", DataTable)
        keep = table.cursor_row
        self.rows = rows
        # Client and engagement share what the fixed columns leave (cell padding and scrollbar included).
        flexible = max(self.size.width - 13 - 15 - 10, 30)
        table.columns["client"].width = flexible * 45 // 100  # type: ignore[index]
        table.columns["engagement"].width = flexible - flexible * 45 // 100  # type: ignore[index]
        table.clear()
        for n, row in enumerate(rows):
            table.add_row(
                Text(STAGE_WORDS[row.stage]), Text(row.client_name), Text(row.engagement_title or "-"),
                Text(_where_it_stands(row)), key=str(n),
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        self.query_one("#deliveries-help", Static).update(
            "Enter opens the on-site checklist of an engagement; h writes a handover pack for its client."
            if rows else "No accepted engagement to deliver yet: accept one in Engagements first."
        )
        table.focus()

    def _current(self) -> Any:
        table = self.query_one("#deliveries", DataTable)
        return self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    def action_open(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.engagement_id is None:
            self.msptui.notify("A former client has no project to deliver: press h for its handover pack.")
            return
        self.app.push_screen(DeliveryScreen(row.engagement_id), callback=lambda _r: self.load())

    def action_handover(self) -> None:
        row = self._current()
        if row is None:
            return
        from msptui.widgets.confirm import ConfirmScreen

        subject = f"the cancelled engagement '{row.engagement_title}' of " if row.stage == "cancelled" else ""
        question = (
            f"Write a handover pack for {subject}{row.client_name}?\n\n"
            "It holds the client, contracts, third parties, SLA targets, GDPR processing, open tickets "
            "with their history, deliveries and documentation, and the labels of its secrets "
            f"(never their values), in {self.msptui.paths.exports / 'handover'}."
        )
        engagement_id = row.engagement_id if row.stage == "cancelled" else None
        self.app.push_screen(ConfirmScreen(question), callback=lambda yes: yes and self._write_handover(row.client_id, engagement_id))

    def _write_handover(self, client_id: int, engagement_id: int | None) -> None:
        from msptui.store.handover import write_handover_pack

        self.msptui.call_store(
            write_handover_pack, self.msptui.paths.exports, client_id, self.msptui.clock.now(), engagement_id,
            done=self._handover_written, group="handover",
        )

    def _handover_written(self, pack: Any) -> None:
        message = f"Handover pack written:\n{pack.folder}\n{pack.zip}"
        self.query_one("#deliveries-help", Static).update(message)
        self.msptui.notify(message, title="Handover pack", timeout=15)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _where_it_stands(row: Any) -> str:
    if row.stage == "in_progress":
        done, total = row.progress
        return f"{done}/{total} done"
    if row.stage == "delivered":
        return row.note_number or ("note waived" if row.delivery_id else "no checklist")
    if row.stage == "to_open":
        return "not started"
    return "handover: h"


# --- the on-site checklist -------------------------------------------------------------------------


class DeliveryScreen(MsptuiScreen):
    """The checklist of one engagement's delivery (opened on first visit)."""

    TITLE = "Delivery checklist"

    DEFAULT_CSS = """
    DeliveryScreen #delivery-title { height: 1; padding: 0 1; text-style: bold; }
    DeliveryScreen #delivery-progress { height: 1; padding: 0 1; }
    DeliveryScreen #progress-count { width: auto; padding-right: 1; }
    DeliveryScreen #progress-bar { width: 24; }
    DeliveryScreen #progress-state { width: 1fr; padding-left: 1; color: $text-muted; }
    DeliveryScreen #checklist { height: 1fr; }
    DeliveryScreen #delivery-status { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        # Short words so the whole footer fits 80 columns; the tooltip is the palette's help line.
        Binding("t", "toggle", "Toggle", id="delivery.toggle", tooltip="Test: not run → passed → failed. Document: handed over or not."),
        Binding("space", "toggle", "Toggle", id="delivery.toggle_space", show=False),
        Binding("a", "add", "Add", id="delivery.add", tooltip="Add a test, an item delivered or a document, in the section under the cursor"),
        Binding("n", "next_todo", "Next", id="delivery.next", tooltip="Move to the next line left to do"),
        Binding("e", "edit", "Edit", id="delivery.edit", tooltip="Edit the line under the cursor"),
        Binding("d", "delete", "Del", id="delivery.delete", tooltip="Remove the line under the cursor"),
        Binding("w", "waive", "Waive", id="delivery.waive", tooltip="Waive a failed test, or a whole section, with a written reason"),
        Binding("i", "issue", "Note", id="delivery.issue", tooltip="Issue the delivery note (number, client's signatory), or write its Markdown and PDF again"),
        Binding("m", "mark_delivered", "Deliver", id="delivery.delivered", tooltip="Mark delivered once every section is complete or waived"),
        Binding("escape", "back", "Back", id="delivery.back", show=False),
    ]

    def __init__(self, engagement_id: int) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.delivery_id: int | None = None
        self.view: Any = None
        self.keys: list[str] = []  # row key per table row: "part:tests", "test:3", "note", "item:5", ...
        self.wanted_key: str | None = None  # where the cursor goes at the next fill (a line just added)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Opening the delivery…", id="delivery-title", markup=False)
        with Horizontal(id="delivery-progress"):
            yield Static("", id="progress-count", markup=False)
            yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress-bar")
            yield Static("", id="progress-state", markup=False)
        table = DataTable(id="checklist", cursor_type="row", show_header=False)
        table.add_column("", key="mark", width=1)
        table.add_column("", key="what", width=44)
        table.add_column("", key="detail", width=25)
        yield table
        yield Static("", id="delivery-status", markup=False)
        yield Footer()

    # --- loading -----------------------------------------------------------------------------

    def load(self) -> None:
        from msptui.store.deliveries import open_delivery

        if self.delivery_id is None:
            self.msptui.call_store(
                open_delivery, self.engagement_id, self.msptui.clock.now(), done=self._opened, failed=self._refused_open,
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
            self.msptui.call_store(get_delivery, self.delivery_id, done=self._show, group="delivery", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#delivery-title", Static).update(message)

    def _show(self, view: Any) -> None:
        self.view = view
        readiness = view.readiness
        done, total = readiness.progress
        title = f"{view.engagement.title} — {view.client.name}"
        if view.delivered:
            title += f" — delivered {_local(view.delivery.delivered_at, view.client.timezone)}"
        self.query_one("#delivery-title", Static).update(title)
        self.query_one("#progress-count", Static).update(f"{done}/{total}")
        self.query_one("#progress-bar", ProgressBar).update(total=total, progress=done)
        state = "delivered" if view.delivered else "ready: press m to mark delivered" if readiness.ready else "to do"
        self.query_one("#progress-state", Static).update(state)
        self._fill(view)
        if not view.delivered and readiness.blockers:
            self.query_one("#delivery-status", Static).update("Left to do: " + " ".join(readiness.blockers))
        elif view.delivered:
            self.query_one("#delivery-status", Static).update("")
        self.query_one("#checklist", DataTable).focus()

    def _fill(self, view: Any) -> None:
        table = self.query_one("#checklist", DataTable)
        row = table.cursor_row
        previous = self.keys[row] if self.keys and 0 <= row < len(self.keys) else None
        wanted, self.wanted_key = self.wanted_key, None
        wide = max(self.size.width - 10, 70)
        table.columns["what"].width = wide * 62 // 100  # type: ignore[index]
        table.columns["detail"].width = wide - wide * 62 // 100  # type: ignore[index]
        table.clear()
        self.keys = []

        def add(key: str, mark: str, what: Text | str, detail: str = "", style: str = "") -> None:
            self.keys.append(key)
            cell = what if isinstance(what, Text) else Text(what, style=style)
            table.add_row(Text(mark, style=style), cell, Text(detail, style="dim"), key=key)

        d, r = view.delivery, view.readiness
        add("part:tests", "", _part_title("tests", r.tests, _count(view.tests, lambda t: t.result == "passed" or t.waived_reason)), d.tests_waived_reason or "")
        for t in view.tests:
            mark, style = RESULT_MARKS[t.result]
            detail = f"waived: {t.waived_reason}" if t.waived_reason else t.note
            add(f"test:{t.id}", mark, t.description, detail, style)
        if not view.tests:
            add("empty:tests", "", "  no test yet: press a to add one", style="italic dim")

        add("part:note", "", _part_title("note", r.note, ""), d.note_waived_reason or "")
        if view.note is not None:
            issued = _local(view.note.issued_at, view.client.timezone)[:10]
            add("note", "✓", f"{view.note.number} issued {issued}", f"signed by {view.note.signatory}", "green")
        else:
            add("note", "·", "Not issued yet: press i", "needs the signatory")
        for item in view.items:
            add(f"item:{item.id}", "▪", item.description, " · ".join(p for p in (f"×{item.quantity}", item.serial) if p))
        if not view.items:
            add("empty:items", "", "  no item yet: press a to add what was delivered", style="italic dim")

        add("part:documents", "", _part_title("documents", r.documents, _count(view.documents, lambda doc: doc.confirmed_at)), d.documents_waived_reason or "")
        for doc in view.documents:
            confirmed = doc.confirmed_at is not None
            detail = " · ".join(p for p in (doc.given_as, doc.location) if p)
            add(f"doc:{doc.id}", "✓" if confirmed else "·", doc.title, detail, "green" if confirmed else "")
        if not view.documents:
            add("empty:documents", "", "  no document yet: press a to add one", style="italic dim")

        # Stay on the same line, or on a line just added; else on the same row number.
        target = wanted if wanted in self.keys else previous
        if target in self.keys:
            table.move_cursor(row=self.keys.index(target), animate=False)
        elif row > 0:
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
        self.msptui.call_store(fn, *args, done=done or (lambda _r: self.reload()), group="delivery-write")

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
        todo = set()
        for t in self.view.tests:
            if not (t.result == "passed" or (t.result == "failed" and t.waived_reason)):
                todo.add(f"test:{t.id}")
        if self.view.note is None and not self.view.delivery.note_waived_reason:
            todo.add("note")
        todo |= {f"doc:{doc.id}" for doc in self.view.documents if doc.confirmed_at is None}
        todo |= {k for k in self.keys if k.startswith("empty:")}
        table = self.query_one("#checklist", DataTable)
        order = list(range(table.cursor_row + 1, len(self.keys))) + list(range(0, table.cursor_row + 1))
        target = next((i for i in order if self.keys[i] in todo), None)
        if target is None:
            self.msptui.notify("Nothing left to do here." + (" Press m to mark delivered." if self.view.readiness.ready else ""))
            return
        table.move_cursor(row=target)

    def action_add(self) -> None:
        if self.delivery_id is None:
            return
        section = self._section()
        if section == "tests":
            self._test_form(None)
        elif section == "note":
            self._item_form(None)
        else:
            self._document_form(None)

    def action_edit(self) -> None:
        if self.view is None:
            return
        if (test := self._line("test", self.view.tests)) is not None:
            self._test_form(test)
        elif (item := self._line("item", self.view.items)) is not None:
            self._item_form(item)
        elif (doc := self._line("doc", self.view.documents)) is not None:
            self._document_form(doc)
        else:
            self.msptui.notify("Move to a test, an item or a document to edit it (a adds one).")

    def action_delete(self) -> None:
        from msptui.store import deliveries as store
        from msptui.widgets.confirm import ConfirmScreen

        if self.view is None:
            return
        for prefix, rows, fn, what in (
            ("test", self.view.tests, store.delete_test, "test"),
            ("item", self.view.items, store.delete_item, "item"),
            ("doc", self.view.documents, store.delete_document, "document"),
        ):
            line = self._line(prefix, rows)
            if line is not None:
                label = getattr(line, "description", None) or line.title
                self.app.push_screen(
                    ConfirmScreen(f"Remove the {what} '{label}' from this delivery?"),
                    callback=lambda yes, fn=fn, line_id=line.id: yes and self._call(fn, line_id),
                )
                return
        self.msptui.notify("Move to a test, an item or a document to remove it.")

    def action_waive(self) -> None:
        """On a failed test: waive that test. Elsewhere: waive (or withdraw the waiver of) the section."""
        from msptui.store import deliveries as store
        from msptui.widgets.confirm import ConfirmScreen

        if self.view is None:
            return
        test = self._line("test", self.view.tests)
        if test is not None and test.result == "failed":
            if test.waived_reason:
                self.app.push_screen(
                    ConfirmScreen(f"Withdraw the waiver of the failed test '{test.description}'?"),
                    callback=lambda yes: yes and self._call(store.waive_test, test.id, None),
                )
            else:
                self._waiver_form(f"Waive the failed test: {test.description}",
                                  lambda engine, waiver: store.waive_test(engine, test.id, waiver))
            return
        part = self._section()
        if getattr(self.view.delivery, f"{part}_waived_reason"):
            self.app.push_screen(
                ConfirmScreen(f"Withdraw the waiver of the {PART_TITLES[part].lower()} part?"),
                callback=lambda yes: yes and self._call(store.waive_part, self.delivery_id, part, None),
            )
            return
        delivery_id = self.delivery_id
        self._waiver_form(f"Waive the whole {PART_TITLES[part].lower()} part",
                          lambda engine, waiver: store.waive_part(engine, delivery_id, part, waiver))

    def action_issue(self) -> None:
        from msptui.store import deliveries as store
        from msptui.store.delivery_schemas import NoteIssue
        from msptui.widgets.form import FieldSpec, FormScreen

        if self.view is None or self.delivery_id is None:
            return
        if self.view.note is not None:
            self.action_export()  # issued already: write its files again (a lost or damaged copy)
            return
        delivery_id, clock = self.delivery_id, self.msptui.clock
        intro = (
            "The note takes the next number of the year (BL-YYYY-NNNN), never reused, and lists "
            f"{len(self.view.items)} item(s); warranty and intellectual property come from the contract. "
            "Items and signatory can no longer change once it is issued."
        )
        form = FormScreen(
            "Issue the delivery note",
            [FieldSpec("signatory", "Client's signatory", placeholder="name of the person who signs for the client")],
            lambda engine, values: store.issue_note(engine, delivery_id, NoteIssue(signatory=values["signatory"]), clock.now()),
            intro=intro,
        )
        self.app.push_screen(form, callback=self._issued)

    def _issued(self, note: Any) -> None:
        if note is None:
            return
        self.msptui.notify(f"Delivery note {note.number} issued.", title="Delivery note")
        self.reload()
        self.action_export()

    def action_export(self) -> None:
        from msptui.delivery_note import export_note

        if self.delivery_id is not None:
            self.msptui.call_store(export_note, self.msptui.paths.exports, self.delivery_id, done=self._exported, group="note-export")

    def _exported(self, files: Any) -> None:
        font = "" if files.font else " (no Unicode font found: PDF uses the built-in font)"
        message = f"Note written: {files.markdown} and .pdf{font}"
        self.query_one("#delivery-status", Static).update(message)
        self.msptui.notify(message, title="Delivery note", timeout=15)

    def action_mark_delivered(self) -> None:
        from msptui.store import deliveries as store
        from msptui.widgets.confirm import ConfirmScreen

        if self.view is None or self.delivery_id is None:
            return
        readiness = self.view.readiness
        if not readiness.ready:
            self.msptui.notify("\n".join(readiness.blockers), title="Not ready to mark delivered", severity="warning", timeout=10)
            return
        delivery_id, clock = self.delivery_id, self.msptui.clock
        question = (
            f"Mark '{self.view.engagement.title}' delivered now?\n\n"
            "The engagement moves to delivered and the checklist can no longer change."
        )
        self.app.push_screen(
            ConfirmScreen(question),
            callback=lambda yes: yes and self._call(store.mark_delivered, delivery_id, clock.now(), done=self._delivered),
        )

    def _delivered(self, _result: Any) -> None:
        self.msptui.notify(f"'{self.view.engagement.title}' delivered.", title="Delivery")
        self.reload()
        if self.view.note is not None:
            self.action_export()  # the files then show the documentation as finally handed over

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)

    # --- forms -------------------------------------------------------------------------------------

    def _test_form(self, test: Any) -> None:
        from msptui.store import deliveries as store
        from msptui.store.delivery_schemas import TestLineCreate
        from msptui.widgets.form import FieldSpec, FormScreen

        delivery_id = self.delivery_id

        def submit(engine: Any, values: dict[str, Any]) -> Any:
            data = TestLineCreate(**values)
            return store.update_test(engine, test.id, data) if test else store.add_test(engine, delivery_id, data)

        fields = [
            FieldSpec("description", "What was tested", value=test.description if test else ""),
            FieldSpec("note", "Note", value=test.note if test else "", placeholder="measure, observation (optional)"),
        ]
        self.app.push_screen(FormScreen("Edit the test" if test else "Add a test", fields, submit), callback=self._saved_as("test"))

    def _item_form(self, item: Any) -> None:
        from msptui.store import deliveries as store
        from msptui.store.delivery_schemas import ItemCreate
        from msptui.widgets.form import FieldSpec, FormScreen

        delivery_id = self.delivery_id

        def submit(engine: Any, values: dict[str, Any]) -> Any:
            data = ItemCreate(**values)
            return store.update_item(engine, item.id, data) if item else store.add_item(engine, delivery_id, data)

        fields = [
            FieldSpec("description", "Item delivered", value=item.description if item else ""),
            FieldSpec("quantity", "Quantity", value=item.quantity if item else 1),
            FieldSpec("serial", "Serial or version", value=item.serial if item else ""),
        ]
        self.app.push_screen(FormScreen("Edit the item" if item else "Add an item delivered", fields, submit), callback=self._saved_as("item"))

    def _document_form(self, doc: Any) -> None:
        from msptui.store import deliveries as store
        from msptui.store.delivery_schemas import DocumentCreate
        from msptui.vocab import GivenAs
        from msptui.widgets.form import FieldSpec, FormScreen

        delivery_id = self.delivery_id

        def submit(engine: Any, values: dict[str, Any]) -> Any:
            data = DocumentCreate(**values)
            return store.update_document(engine, doc.id, data) if doc else store.add_document(engine, delivery_id, data)

        fields = [
            FieldSpec("title", "Document", value=doc.title if doc else ""),
            FieldSpec("given_as", "Given as", "select", value=doc.given_as if doc else "file", choices=GivenAs.choices()),
            FieldSpec("location", "Where", value=doc.location if doc else "", placeholder="file path, link, or who received it"),
        ]
        self.app.push_screen(FormScreen("Edit the document" if doc else "Add documentation handed over", fields, submit), callback=self._saved_as("doc"))

    def _waiver_form(self, title: str, waive: Any) -> None:
        from msptui.store.delivery_schemas import Waiver
        from msptui.widgets.form import FieldSpec, FormScreen

        form = FormScreen(
            title,
            [FieldSpec("reason", "Reason", placeholder="why, in words the client would accept")],
            lambda engine, values: waive(engine, Waiver(**values)),
            intro="The reason is kept with the delivery and printed on the delivery note.",
        )
        self.app.push_screen(form, callback=self._saved)

    def _saved(self, _result: Any) -> None:
        self.reload()

    def _saved_as(self, prefix: str) -> Any:
        """After a form: reload, with the cursor on the line just added (add_* returns its id)."""

        def saved(result: Any) -> None:
            if isinstance(result, int):
                self.wanted_key = f"{prefix}:{result}"
            self.reload()

        return saved


def _count(rows: list[Any], done: Any) -> str:
    return f"{sum(1 for r in rows if done(r))}/{len(rows)}" if rows else ""


def _part_title(part: str, state: Any, count: str) -> Text:
    text = Text(PART_TITLES[part].upper(), style="bold")
    if count:
        text.append(f"  {count}", style="bold")
    colour = {"complete": "green", "waived": "yellow"}.get(state.value, "")
    text.append(f"  {state.label.lower()}", style=colour)
    return text
