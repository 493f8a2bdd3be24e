"""What the client browser's detail pane says about a client: its card, its
contacts, its tickets. Plain `Text` built from the store's one read
(`store.reads.client_detail`); the browser decides where it goes.

Contacts and tickets are lines that wrap, not table columns: at 80 columns
the pane is about 45 characters wide, and a table cut e-mails and phones.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from msptui.core.i18n import N_, _

# How each SLA word of the read is shown: the worst clock of an open ticket.
SLA_STYLES = {
    "breached": "bold red",
    "warning": "yellow",
    "running": "green",
    "paused": "cyan",
    "met": "green",
    "no SLA": "dim",
    "calendar error": "bold red",
}
SLA_WORDS = {
    "breached": N_("breached"),
    "warning": N_("warning"),
    "running": N_("on time"),
    "paused": N_("paused"),
    "met": N_("SLA met"),
    "no SLA": N_("no SLA"),
    "calendar error": N_("calendar error"),
}
# The language of the client's documents, on its card (the form offers the languages by their own names).
DOCUMENTS_IN = {"en": N_("documents in English"), "fr": N_("documents in French")}


def load_detail(engine: Any, client_id: int, now: datetime) -> Any:
    """(Thread.) The client's detail, or None when it is gone."""
    from msptui.store.reads.client_detail import client_detail

    return client_detail(engine, client_id, now)


def client_card(client: Any, satisfaction: Any = None) -> Text:
    """The client's card; with its `satisfaction` summary (issue 17) once it has answers."""
    text = Text()
    text.append(client.name, style="bold")
    text.append(f"  {client.code}", style="dim")
    status = status_word(client.status, client=True)
    if client.archived_at:
        status = _("{status}, archived").format(status=status)
    text.append(f"  [{status}]\n", style="italic")
    address = ", ".join(p for p in (client.address, f"{client.postcode} {client.city}".strip(), client.country) if p)
    text.append(address + "\n")
    holidays = client.country + (f"-{client.subdivision}" if client.subdivision else "")
    place = _("Time zone {zone} · holidays {holidays}").format(zone=client.timezone, holidays=holidays)
    language = DOCUMENTS_IN.get(client.language)
    text.append(place + (f" · {_(language)}" if language else "") + "\n", style="dim")
    text.append(satisfaction_line(satisfaction))
    if client.notes:
        text.append(client.notes + "\n", style="italic")
    return text


def satisfaction_line(satisfaction: Any) -> Text:
    """The line "Satisfaction: 4.3/5 over 3 months (12 months: 4.1, 80 % answered) — last: «…»",
    or nothing for a client never asked (a new client's card stays as it was)."""
    if satisfaction is None or not (satisfaction.occasions_12m or satisfaction.last_comments):
        return Text()
    from msptui.core.rules.satisfaction import describe

    return Text(describe(satisfaction) + "\n", overflow="fold")


def contact_lines(contacts: list[Any]) -> RenderableType:
    """One contact per two or three lines: name and role, then phone and e-mail, each
    whole on its own line under it (indented, and folded rather than cut if longer)."""
    if not contacts:
        return Text(_("No contact: press c to add one"), style="italic")
    parts: list[RenderableType] = []
    for person in contacts:
        head = Text(person.name, style="bold")
        if person.role:
            head.append(f" — {person.role}", style="dim")
        parts.append(head)
        reach = "\n".join(p for p in (person.phone, person.email) if p)
        body = Text(reach, overflow="fold") if reach else Text(_("no phone or e-mail"), style="dim italic")
        parts.append(Padding(body, (0, 0, 0, 2)))
    return Group(*parts)


def ticket_lines(open_tickets: list[Any], closed_tickets: list[Any], zone_name: str) -> RenderableType:
    """The client's open tickets (worst SLA clock under each), then the last closed ones
    (dated in the client's time zone, as the client would say it). Titles wrap under
    themselves, never under the ticket number."""
    zone = _zone(zone_name)
    parts: list[RenderableType] = []
    if not open_tickets:
        parts.append(Text(_("No open ticket: press N to open one"), style="italic"))
    else:
        grid = _grid()
        for t in open_tickets:
            grid.add_row(_head(t), Text(t.title))
            state = Text(f"{t.status_label} · ")
            word = SLA_WORDS.get(t.sla)
            state.append(_(word) if word else t.sla, style=SLA_STYLES.get(t.sla, ""))
            grid.add_row("", state)
        parts.append(grid)
    if closed_tickets:
        parts.append(Text(_("Last closed"), style="bold dim"))
        grid = _grid()
        for t in closed_tickets:
            grid.add_row(_head(t, style="dim"), Text(t.title, style="dim"))
            closed = _("closed {date}").format(date=_day(t.when.astimezone(zone).date()))
            grid.add_row("", Text(closed, style="dim"))
        parts.append(grid)
    return Group(*parts)


def _day(day: date) -> str:
    """ "02 Dec 2026" / "02 déc. 2026": the month's name from the catalogue, no Babel (the pane
    is redrawn as the cursor moves; Babel costs 0.1 s to load and more per date)."""
    from msptui.core.formats import month_abbr

    return f"{day:%d} {month_abbr(day)} {day:%Y}"


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    return grid


def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # a bad zone in a client record must not break the pane
        return ZoneInfo("UTC")


def _head(ticket: Any, style: str = "") -> Text:
    head = Text(f"#{ticket.id} ", style=style or "bold")
    head.append(ticket.priority, style=style or ("bold red" if ticket.priority == "P1" else "bold"))
    return head


def status_word(value: str, *, client: bool = False) -> str:
    """A client's or a contract's stored status as the technician reads it ("active" / "actif")."""
    from msptui.core.vocabulary import ClientStatus, ContractStatus

    try:
        return (ClientStatus if client else ContractStatus)(value).label.lower()
    except ValueError:
        return value
