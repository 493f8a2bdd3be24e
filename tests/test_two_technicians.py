"""Two technicians on one database at the same moment (issue 20): each in a process of its
own, as two terminals (SQLite, one machine) or two machines (PostgreSQL) are. They go for
the same tickets, issue delivery notes and start timers at once: nothing is lost, no note
number is taken twice or skipped, each has their own running timer, and every record says
who made it.
"""

from __future__ import annotations

import multiprocessing
from datetime import datetime

import pytest
from sqlalchemy import select

from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.models import DeliveryNote, TicketEvent, TimeEntry
from msptui.store.schemas.deliveries import NoteIssue
from msptui.store.tickets import TicketCreate, open_ticket
from tests.delivery_fixtures import deliveries_ready_for_a_note
from tests.engines import database_url

TICKETS = 20
NOTES_EACH = 10
TECHNICIANS = ("sophie", "karim")


def _work_as(name: str, url: str, tickets: list[int], deliveries: list[int], now: datetime, start, results) -> None:
    """In a child process: a technician acknowledging every ticket it can, issuing its
    notes and starting a timer, as fast as it can, from the moment both are ready."""
    from msptui.store import team
    from msptui.store.clients import RefusedError
    from msptui.store.db import make_engine
    from msptui.store.tickets import acknowledge
    from msptui.store.time_entries import start_timer

    team.set_acting(name)
    engine = make_engine(url)
    acknowledged, numbers, errors = [], [], []
    start.wait()
    try:
        for ticket_id in tickets:
            try:
                acknowledge(engine, ticket_id, now)
                acknowledged.append(ticket_id)
            except RefusedError:
                pass  # the colleague was first: what the board would say
        for delivery_id in deliveries:
            numbers.append(d.issue_note(engine, delivery_id, NoteIssue(signatory=name.title()), now).number)
        start_timer(engine, ticket_id=tickets[0], now=now)
    except Exception as exc:  # every error must reach the parent's assertion
        errors.append(repr(exc))
    engine.dispose()
    results.put((name, acknowledged, numbers, errors))


@pytest.mark.slow
def test_two_technicians_at_once_lose_nothing_share_no_number_and_each_record_says_who(engine, store, sample, clock):
    now = clock.now()
    tickets = [
        open_ticket(engine, TicketCreate(client_id=sample["BOUL"], title=f"Outage {n}"), now) for n in range(TICKETS)
    ]
    deliveries = deliveries_ready_for_a_note(engine, sample["BOUL"], now, 2 * NOTES_EACH)

    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(
            target=_work_as,
            args=(name, database_url(store), tickets, deliveries[i::2], now, start, results),
        )
        for i, name in enumerate(TECHNICIANS)
    ]
    for w in workers:
        w.start()
    outcomes = {
        name: (acked, numbers, errors) for name, acked, numbers, errors in (results.get(timeout=120) for _ in workers)
    }
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0

    assert {name: errors for name, (_a, _n, errors) in outcomes.items()} == {name: [] for name in TECHNICIANS}
    with db.read(engine) as s:
        acks = s.execute(
            select(TicketEvent.ticket_id, TicketEvent.technician).where(
                TicketEvent.status == "acknowledged", TicketEvent.ticket_id.in_(tickets)
            )
        ).all()
        notes = s.execute(
            select(DeliveryNote.number, DeliveryNote.seq, DeliveryNote.technician).where(DeliveryNote.year == 2026)
        ).all()
        running = s.execute(select(TimeEntry.technician, TimeEntry.ticket_id).where(TimeEntry.running == 1)).all()

    # Every ticket acknowledged exactly once, by whoever the store told it was done.
    assert sorted(t for t, _who in acks) == sorted(tickets)
    told = {t: name for name, (acked, _n, _e) in outcomes.items() for t in acked}
    assert dict(acks) == told
    # Notes: gap-free numbers, none taken twice, each signed by the technician who issued it.
    assert sorted(seq for _n, seq, _who in notes) == list(range(1, 2 * NOTES_EACH + 1))
    issued = {number: name for name, (_a, numbers, _e) in outcomes.items() for number in numbers}
    assert {number: who for number, _seq, who in notes} == issued
    assert all(len(numbers) == NOTES_EACH for _a, numbers, _e in outcomes.values())
    # One running timer each, on the same ticket: two technicians may work on one problem.
    assert sorted(running) == sorted((name, tickets[0]) for name in TECHNICIANS)
