"""What the shell's capture commands look up and how they write it on one line (see cli_capture).

The reads here are small ones the store has no function for yet: a client by its code, the
contract a new ticket goes on (as the board's form proposes it), and the ticket list. They
belong in `store/clients.py` and `store/tickets.py` once those files are free to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any

from msptui.core.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine

MAX_ID = 2**63 - 1  # SQLite's largest integer: a longer number is no ticket of ours


class CaptureError(Exception):
    """A refusal the user reads: one sentence, said on stderr."""


@dataclass(frozen=True)
class ClientRef:
    id: int
    code: str
    name: str
    archived: bool


@dataclass(frozen=True)
class ContractRef:
    id: int
    reference: str


@dataclass(frozen=True)
class TicketLine:
    id: int
    code: str
    client: str
    contract: str | None
    priority: str
    status: str
    title: str
    opened_at: datetime
    billable: bool


def client_by_code(engine: Engine, typed: str) -> ClientRef:
    from sqlalchemy import select
    from sqlmodel import col

    from msptui.store import db
    from msptui.store.models import Client

    code = typed.strip().upper()
    with db.read(engine) as s:
        found = s.execute(
            select(col(Client.id), col(Client.code), col(Client.name), col(Client.archived_at)).where(
                col(Client.code) == code
            )
        ).first()
        if found is None:
            codes = list(s.scalars(select(col(Client.code))))
    if found is None:
        near = get_close_matches(code, codes, n=1)
        said = repr(one_line(typed.strip()))
        if near:
            raise CaptureError(
                _("No client has the code {typed} (did you mean {code}?).").format(typed=said, code=near[0])
            )
        raise CaptureError(_("No client has the code {typed}.").format(typed=said))
    return ClientRef(found.id, found.code, found.name, found.archived_at is not None)


def contract_for(engine: Engine, client: ClientRef, typed: str | None, now: datetime) -> ContractRef | None:
    """The contract asked, else the client's only active one (as the board's form proposes)."""
    from msptui.store.contracts import client_contracts

    if typed is not None and typed.strip().lower() == "none":
        return None
    contracts = client_contracts(engine, client.id, include_archived=False)
    today = now.date()
    active = [c for c in contracts if c.status == "active" and (c.end_date is None or c.end_date >= today)]
    refs = ", ".join(c.reference for c in active)
    if typed is not None:
        chosen = next((c for c in contracts if c.reference.upper() == typed.strip().upper()), None)
        if chosen is None:
            if refs:
                said = _("{client} has no contract {typed}; its active contracts: {contracts}.")
            else:
                said = _("{client} has no contract {typed}; it has no active contract (use --contract none).")
            raise CaptureError(said.format(client=client.code, typed=repr(one_line(typed.strip())), contracts=refs))
        if chosen not in active:
            raise CaptureError(
                _("{contract} is not active: choose an active contract of {client} or --contract none.").format(
                    contract=chosen.reference, client=client.code
                )
            )
        return ContractRef(_id(chosen.id), chosen.reference)
    if len(active) > 1:
        raise CaptureError(
            _(
                "{client} has several active contracts ({contracts}): choose one with --contract REF"
                " (or --contract none)."
            ).format(client=client.code, contracts=refs)
        )
    return ContractRef(_id(active[0].id), active[0].reference) if active else None


def ticket_lines(engine: Engine, *, only_open: bool, client_id: int | None) -> list[TicketLine]:
    from sqlalchemy import select
    from sqlmodel import col

    from msptui.core.vocabulary import OPEN_TICKET_STATUSES
    from msptui.store import db
    from msptui.store.models import Client, Contract, Ticket

    q = (
        select(
            col(Ticket.id),
            col(Client.code),
            col(Client.name),
            col(Contract.reference),
            col(Ticket.priority),
            col(Ticket.status),
            col(Ticket.title),
            col(Ticket.opened_at),
            col(Ticket.billable),
        )
        .join(Client, col(Client.id) == col(Ticket.client_id))
        .outerjoin(Contract, col(Contract.id) == col(Ticket.contract_id))
        .order_by(col(Ticket.opened_at).desc(), col(Ticket.id).desc())
    )
    if only_open:
        q = q.where(col(Ticket.status).in_([str(s) for s in OPEN_TICKET_STATUSES]))
    if client_id is not None:
        q = q.where(col(Ticket.client_id) == client_id)
    with db.read(engine) as s:
        return [TicketLine(r[0], r[1], r[2], r[3], r[4], r[5], r[6], utc(r[7]), bool(r[8])) for r in s.execute(q).all()]


def as_json(r: TicketLine) -> dict[str, Any]:
    return {
        "id": r.id,
        "client": r.code,
        "client_name": r.client,
        "contract": r.contract,
        "priority": r.priority,
        "status": r.status,
        "title": r.title,
        "opened_at": r.opened_at.isoformat().replace("+00:00", "Z"),
        "billable": r.billable,
    }


def response_due(engine: Engine, ticket_id: int, now: datetime) -> str:
    """When the response is due in the technician's zone: '10:45' today, else '2026-11-24 10:45';
    '' without a response target."""
    from msptui.store.tickets import clocks_from_log
    from msptui.ui.widgets.zones import technician_zone

    try:
        clock = clocks_from_log(engine, ticket_id, now).get("response")
    except Exception:  # noqa: BLE001 - the ticket is saved: the due time is a courtesy, never a failure
        return ""
    if clock is None or clock.due_at is None:
        return ""
    zone = technician_zone()
    due = clock.due_at.astimezone(zone)
    return f"{due:%H:%M}" if due.date() == now.astimezone(zone).date() else f"{due:%Y-%m-%d %H:%M}"


def ticket_number(typed: str) -> int:
    text = typed.strip().removeprefix("#")
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise CaptureError(_("A ticket number is digits such as 123, not {typed}.").format(typed=repr(one_line(typed))))
    return int(text)


def _id(value: int | None) -> int:
    assert value is not None, "a saved row has an id"
    return value


def utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def one_line(text: str) -> str:
    """Whatever a title holds, it stays on its line (the output is read line by line)."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
