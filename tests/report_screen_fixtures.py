"""Two months of the bakery's (BOUL) tickets, recorded through the store, for the report screens.

The clock is frozen on Monday 23 November 2026 (tests/conftest.py). BOUL's contract:
P1 response 30 min, P2 60 min, P3 4 h, in business hours (Mon-Fri 08:30-18:30, Paris).
- October: one P2 ticket answered in 10 minutes and resolved the same morning: every clock met.
- November: a P2 ticket answered in 10 minutes and resolved (three clocks met); a P1 answered
  and started after 5 hours, resolved within its 8 hours (response late, justified; intervention
  late, not justified; resolution met); a P3 never answered (its three clocks late, not
  justified). November: 4 met, 5 breached (1 justified), 44.4 %; October 100 %: trend down.
Plus the statement fixture's work (tests/billing_fixtures.py) in October, unbilled, and an
undisclosed conflict at the dentist's (DENT).
"""

from __future__ import annotations

from tests.billing_fixtures import boul_contract, paris


def two_months(engine, sample) -> dict[str, int]:
    from msptui.store.justifications import justify_breach
    from msptui.store.tickets import TicketCreate, acknowledge, open_ticket, resolve, start_intervention

    client = sample["BOUL"]
    contract = boul_contract(engine, client)

    def ticket(title: str, priority: str, opened, answered=None, resolved=None) -> int:
        tid = open_ticket(
            engine, TicketCreate(client_id=client, contract_id=contract, title=title, priority=priority), opened
        )
        if answered is not None:
            acknowledge(engine, tid, answered)
            start_intervention(engine, tid, "remote", answered)
        if resolved is not None:
            resolve(engine, tid, resolved)
        return tid

    october = ticket(
        "Sauvegarde en échec", "P2", paris(2026, 10, 6, 9, 0), paris(2026, 10, 6, 9, 10), paris(2026, 10, 6, 11, 0)
    )
    met = ticket(
        "Imprimante du fournil", "P2", paris(2026, 11, 3, 9, 0), paris(2026, 11, 3, 9, 10), paris(2026, 11, 3, 11, 0)
    )
    late = ticket(
        "Terminal de paiement bloqué",
        "P1",
        paris(2026, 11, 5, 10, 0),
        paris(2026, 11, 5, 15, 0),
        paris(2026, 11, 5, 16, 0),
    )
    justify_breach(engine, late, "response", "Panne générale de l'opérateur ce jour-là.", paris(2026, 11, 6, 9, 0))
    forgotten = ticket("Licence antivirus à renouveler", "P3", paris(2026, 11, 10, 9, 0))
    return {
        "client": client,
        "contract": contract,
        "october": october,
        "met": met,
        "late": late,
        "forgotten": forgotten,
    }


def satisfaction_falling(engine, ids: dict[str, int], clock) -> None:
    """The bakery was pleased in June (5, a ticket opened for it) and is not in November (2): its
    trend is down. Skipped in a build without the satisfaction area (the review then says so)."""
    from msptui.store.tickets import TicketCreate, open_ticket, resolve

    try:
        from msptui.store.satisfaction import record_satisfaction
        from msptui.store.schemas.satisfaction import SatisfactionCreate
    except ImportError:
        return
    june = open_ticket(
        engine,
        TicketCreate(client_id=ids["client"], contract_id=ids["contract"], title="Poste de caisse lent", priority="P4"),
        paris(2026, 6, 2, 9, 0),
    )
    resolve(engine, june, paris(2026, 6, 2, 10, 0))
    for ticket, score, at in ((june, 5, paris(2026, 6, 2, 12, 0)), (ids["met"], 2, paris(2026, 11, 3, 12, 0))):
        record_satisfaction(
            engine,
            SatisfactionCreate(ticket_id=ticket, score=score, given_by="Sophie Martin", asked_at=at),
            clock.now(),
        )


def undisclosed_conflict(engine, sample, clock) -> int:
    from msptui.store.conflicts import register_conflict
    from msptui.store.schemas.engagements import ConflictCreate

    data = ConflictCreate(
        client_id=sample["DENT"], kind="vendor_incentive", description="Commission du fournisseur de radiologie"
    )
    return register_conflict(engine, data, clock.now())
