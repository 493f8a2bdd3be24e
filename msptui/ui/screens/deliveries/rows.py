"""The lines of the on-site checklist, built from a delivery's view (no widget here).

Each line is (key, mark, what, detail, style); the key says what the line is
("part:tests", "test:3", "void:7", "note", "item:5", "doc:2", "empty:tests").
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from msptui.core.i18n import N_, _

# Marked for the catalogue; shown translated: `_(PART_TITLES[part])`.
PART_TITLES = {"tests": N_("Tests"), "note": N_("Delivery note"), "documents": N_("Documentation")}
# One sentence per part: in French the article and the agreement change with the part's name.
WITHDRAW_PART_WAIVER = {
    "tests": N_("Withdraw the waiver of the tests part?"),
    "note": N_("Withdraw the waiver of the delivery note part?"),
    "documents": N_("Withdraw the waiver of the documentation part?"),
}
WAIVE_PART = {
    "tests": N_("Waive the whole tests part"),
    "note": N_("Waive the whole delivery note part"),
    "documents": N_("Waive the whole documentation part"),
}
RESULT_MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "pending": ("·", "")}
Row = tuple[str, str, "Text | str", str, str]


def checklist_rows(view: Any) -> list[Row]:
    """Every line of the checklist, in order: tests, the delivery note (voided notes,
    the note in force, items), documentation."""
    from msptui.core.vocabulary import GivenAs

    rows: list[Row] = []

    def add(key: str, mark: str, what: Text | str, detail: str = "", style: str = "") -> None:
        rows.append((key, mark, what, detail, style))

    d, r = view.delivery, view.readiness
    add(
        "part:tests",
        "",
        _part_title("tests", r.tests, _count(view.tests, lambda t: t.result == "passed" or t.waived_reason)),
        _who(d.tests_waived_reason, d.tests_waived_by),
    )
    for t in view.tests:
        mark, style = RESULT_MARKS[t.result]
        detail = _who(t.waived_reason, t.waived_by) if t.waived_reason else t.note
        add(f"test:{t.id}", mark, t.description, detail, style)
    if not view.tests:
        add("empty:tests", "", "  " + _("no test yet: press a to add one"), style="italic dim")

    old_waiver = (
        _("waived before it was required: {reason}").format(reason=d.note_waived_reason) if d.note_waived_reason else ""
    )
    add("part:note", "", _part_title("note", r.note, ""), old_waiver)
    for voided, void in view.voided:
        add(f"void:{voided.id}", "✗", _("{number} void").format(number=voided.number), void.reason, "dim")
    if view.note is not None:
        issued = _local_day(view.note.issued_at, view.client.timezone)
        add(
            "note",
            "✓",
            _("{number} issued {day} (frozen)").format(number=view.note.number, day=issued),
            _("signed by {signatory}").format(signatory=view.note.signatory),
            "green",
        )
    else:
        add("note", "·", _("Not issued yet: press i"), _("needs settled tests"))
    for item in view.items:
        add(f"item:{item.id}", "▪", item.description, " · ".join(p for p in (f"×{item.quantity}", item.serial) if p))
    if not view.items:
        add("empty:items", "", "  " + _("no item yet: press a to add what was delivered"), style="italic dim")

    add(
        "part:documents",
        "",
        _part_title("documents", r.documents, _count(view.documents, lambda doc: doc.confirmed_at)),
        _who(d.documents_waived_reason, d.documents_waived_by),
    )
    for doc in view.documents:
        confirmed = doc.confirmed_at is not None
        given_as = GivenAs(doc.given_as).label.lower() if doc.given_as else ""
        detail = " · ".join(p for p in (given_as, doc.location) if p)
        add(f"doc:{doc.id}", "✓" if confirmed else "·", doc.title, detail, "green" if confirmed else "")
    if not view.documents:
        add("empty:documents", "", "  " + _("no document yet: press a to add one"), style="italic dim")
    return rows


def todo_keys(view: Any) -> set[str]:
    """The keys of the lines still to do: tests not passed (nor failed and waived), the note
    not issued, documents not handed over."""
    todo = {
        f"test:{t.id}" for t in view.tests if not (t.result == "passed" or (t.result == "failed" and t.waived_reason))
    }
    if view.note is None and not view.delivery.note_waived_reason:
        todo.add("note")
    return todo | {f"doc:{doc.id}" for doc in view.documents if doc.confirmed_at is None}


def local_time(instant: Any, zone: str) -> str:
    """`instant` in the client's zone, as the interface's language writes a date and time."""
    from zoneinfo import ZoneInfo

    from msptui.core.formats import date_time

    return date_time(instant.astimezone(ZoneInfo(zone)))


def _local_day(instant: Any, zone: str) -> str:
    """The client's day of `instant`, as the interface's language writes a date ("23 Nov 2026")."""
    from zoneinfo import ZoneInfo

    from msptui.core.formats import medium_date

    return medium_date(instant.astimezone(ZoneInfo(zone)).date())


def _who(reason: str | None, decided_by: str | None) -> str:
    """A waiver in the checklist: who decided, then why."""
    if not reason:
        return ""
    if decided_by == "client":
        return _("client agreed: {reason}").format(reason=reason)
    return _("reservation: {reason}").format(reason=reason)


def _count(rows: list[Any], done: Any) -> str:
    return f"{sum(1 for r in rows if done(r))}/{len(rows)}" if rows else ""


def _part_title(part: str, state: Any, count: str) -> Text:
    text = Text(_(PART_TITLES[part]).upper(), style="bold")
    if count:
        text.append(f"  {count}", style="bold")
    colour = {"complete": "green", "waived": "yellow"}.get(state.value, "")
    text.append(f"  {state.label.lower()}", style=colour)
    return text
