"""Out-of-hours work: only the technician's work counts, surcharged only where the contract sells it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import func, select

from msptui.core.rules.out_of_hours import (
    TECHNICIAN_WORK,
    Classification,
    HoursClass,
    OutOfHoursTerms,
    WorkKind,
    classify,
    describe,
    summarise,
)
from msptui.store import db
from msptui.store import tickets as T
from msptui.store.contracts import contract_detail, update_contract
from msptui.store.models import Contract
from msptui.store.reads.board import load_board, read_board_file
from msptui.store.schemas import ContractCreate, ContractUpdate, field_errors
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on, paris

SOLD_P1 = OutOfHoursTerms.of(True, 25, ["P1"])
NOT_SOLD = OutOfHoursTerms.of(False, 25, ["P1"])


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [WorkKind.opened, WorkKind.note, WorkKind.priority])
@pytest.mark.parametrize("terms", [SOLD_P1, NOT_SOLD], ids=["sold", "not_sold"])
def test_the_clients_opening_a_note_or_a_priority_change_is_never_out_of_hours(kind, terms):
    assert classify(kind, True, terms, "P1") == Classification(HoursClass.in_hours)


@pytest.mark.parametrize("kind", sorted(TECHNICIAN_WORK))
def test_the_technicians_work_at_night_is_surcharged_only_for_a_priority_the_contract_covers(kind):
    assert classify(kind, True, SOLD_P1, "P1") == Classification(HoursClass.surcharged, 25)
    assert classify(kind, True, SOLD_P1, "P2") == Classification(HoursClass.outside_contract, 0)
    assert classify(kind, True, NOT_SOLD, "P1") == Classification(HoursClass.outside_contract, 0)
    assert classify(kind, False, SOLD_P1, "P1") == Classification(HoursClass.in_hours)
    assert classify(kind, True, None, "P1") == Classification(HoursClass.in_hours)  # no contract


def test_an_offered_service_naming_no_priority_covers_p1():
    assert OutOfHoursTerms.of(True, 40, []).covered == frozenset({"P1"})
    assert OutOfHoursTerms.of(False, 40, ["P1", "P2"]) == OutOfHoursTerms(False, 0, frozenset())


def test_the_classification_in_words():
    assert describe("surcharged", 25) == "out of hours, +25 %"
    assert describe("surcharged", 0) == "out of hours, no surcharge"
    assert describe("outside_contract") == "outside the contract"
    assert summarise([("surcharged", 25), ("surcharged", 50), ("outside_contract", 0)]) == (
        "☾ 2 out of hours, +25/50 % · ☾ 1 outside the contract: goodwill or billable extra, your call"
    )
    assert summarise([("outside_contract", 0)], short=True) == "☾ 1 outside the contract"
    assert summarise([]) == ""


@given(
    kind=st.sampled_from(list(WorkKind)),
    outside=st.booleans(),
    offered=st.booleans(),
    pct=st.integers(0, 500),
    covered=st.sets(st.sampled_from(["P1", "P2", "P3", "P4"])),
    priority=st.sampled_from(["P1", "P2", "P3", "P4"]),
)
def test_nothing_is_surcharged_that_the_contract_does_not_sell(kind, outside, offered, pct, covered, priority):
    terms = OutOfHoursTerms.of(offered, pct, covered)
    c = classify(kind, outside, terms, priority)
    if c.hours_class is HoursClass.surcharged:
        assert offered and priority in terms.covered and kind in TECHNICIAN_WORK and outside
        assert c.surcharge_pct == pct
    else:
        assert c.surcharge_pct == 0
    if kind not in TECHNICIAN_WORK or not outside:
        assert c.hours_class is HoursClass.in_hours


# --- the store --------------------------------------------------------------------------------


def test_night_work_on_a_contract_without_out_of_hours_service_is_outside_the_contract(engine):
    contract = make_contract(engine)  # no out-of-hours service
    tid = open_on(engine, contract, paris(23, 22), priority="P1")
    result = T.acknowledge(engine, tid, paris(23, 22, 5))
    assert (result.out_of_hours, result.hours_class, result.surcharge_pct) == (True, "outside_contract", 0)
    assert result.hours_words == "outside the contract"
    opened, ack = T.ticket_events(engine, tid)
    assert (opened.hours_class, ack.hours_class, ack.surcharge_pct) == ("in_hours", "outside_contract", 0)


def test_night_work_on_a_priority_the_service_does_not_cover_is_outside_the_contract(engine):
    contract = make_contract(engine, out_of_hours=True, covered=["P1"])
    tid = open_on(engine, contract, paris(23, 10), priority="P3")
    assert T.start_intervention(engine, tid, "remote", paris(23, 20)).hours_class == "outside_contract"
    T.change_priority(engine, tid, "P1", paris(23, 20, 30))  # re-rating is not work
    assert T.resolve(engine, tid, paris(23, 21)).hours_class == "surcharged"  # P1 now: covered
    assert [e.hours_class for e in T.ticket_events(engine, tid)] == [
        "in_hours",
        "outside_contract",
        "in_hours",
        "surcharged",
    ]


def test_what_was_surcharged_stays_as_it_was_when_the_contract_changes(engine):
    client_id, contract_id = make_contract(engine, out_of_hours=True, covered=["P1"])
    tid = open_on(engine, (client_id, contract_id), paris(23, 21), priority="P1")
    T.acknowledge(engine, tid, paris(23, 21, 5))
    detail = contract_detail(engine, contract_id)
    values = {k: getattr(detail.contract, k) for k in ContractUpdate.model_fields if k != "client_id"}
    update_contract(
        engine,
        contract_id,
        ContractUpdate(
            **{**values, "client_id": client_id, "out_of_hours_surcharge_pct": 80, "out_of_hours_available": False}
        ),
    )
    T.start_intervention(engine, tid, "on_site", paris(23, 21, 30))
    assert [(e.hours_class, e.surcharge_pct) for e in T.ticket_events(engine, tid)][1:] == [
        ("surcharged", 30),
        ("outside_contract", 0),
    ]
    [ticket] = load_board(engine).tickets
    assert ticket.hours_summary == "☾ 1 out of hours, +30 % · ☾ 1 outside the contract"


def test_the_boards_fast_read_and_the_store_agree_on_out_of_hours_work(engine, paths):
    contract = make_contract(engine, out_of_hours=True, covered=["P1"])
    tid = open_on(engine, contract, paris(23, 21), priority="P1")
    T.acknowledge(engine, tid, paris(23, 21, 5))
    other = open_on(engine, contract, paris(23, 21), priority="P2")
    T.acknowledge(engine, other, paris(23, 21, 5))
    fast = {t.id: (t.out_of_hours, t.out_of_hours_work) for t in read_board_file(paths.database).tickets}
    store = {t.id: (t.out_of_hours, t.out_of_hours_work) for t in load_board(engine).tickets}
    assert fast == store == {tid: (1, (("surcharged", 30),)), other: (1, (("outside_contract", 0),))}


# --- contracts: what the service covers -------------------------------------------------------


def contract_input(**kw) -> dict:
    return dict(reference="C-1", client_id=1, title="Support", start_date=date(2026, 1, 1), **kw)


def test_an_offered_service_covers_p1_unless_the_contract_says_which_priorities():
    assert ContractCreate(**contract_input(out_of_hours_available=True)).out_of_hours_priorities == ["P1"]
    both = ContractCreate(**contract_input(out_of_hours_available=True, out_of_hours_priorities=["P2", "P1"]))
    assert both.out_of_hours_priorities == ["P1", "P2"]
    assert ContractCreate(**contract_input(out_of_hours_priorities=["P1"])).out_of_hours_priorities == []


def test_an_offered_service_covering_no_priority_is_refused_and_nothing_is_written(engine):
    with pytest.raises(ValidationError) as exc:
        ContractCreate(**contract_input(out_of_hours_available=True, out_of_hours_priorities=[]))
    assert field_errors(exc.value) == {
        "out_of_hours_priorities": "Name at least one priority the service covers, e.g. P1."
    }
    with db.read(engine) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 0


def test_new_sla_targets_default_to_business_hours_unless_out_of_hours_service_is_offered(engine):
    from msptui.ui.screens.clients.forms import targets_form

    def round_the_clock(contract_id):
        detail = contract_detail(engine, contract_id)
        form = targets_form(contract_id, [], detail.contract)
        return [f.name[:2] for f in form.fields if f.name.endswith("round_the_clock") and f.value], form.intro

    _, plain = make_contract(engine, code="PLAIN")
    _, sold = make_contract(engine, code="SOLD", out_of_hours=True, covered=["P1", "P2"])
    assert round_the_clock(plain) == (
        [],
        "No out-of-hours service on this contract: every priority defaults to business hours.",
    )
    assert round_the_clock(sold) == (
        ["P1", "P2"],
        "Out-of-hours service covers P1, P2: they default to round the clock, the others to business hours.",
    )


# --- the contract form, as the technician sees it ---------------------------------------------


async def test_the_contract_form_refuses_an_out_of_hours_service_that_covers_nothing(paths, clock, engine):
    from msptui.store.clients import get_client
    from msptui.ui.app import MsptuiApp
    from msptui.ui.screens.clients.forms import contract_form

    client_id, contract_id = make_contract(engine)
    client = get_client(engine, client_id)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = contract_form(client, None, clock.now)
        await app.push_screen(form)
        await pilot.pause()
        assert "SLA targets default to business hours for every priority" in str(form.query_one("#form-intro").render())
        form.query_one("#field-reference").value = "C-NEW"
        form.query_one("#field-out_of_hours_available").value = True
        form.query_one("#field-out_of_hours_priorities").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#error-out_of_hours_priorities").render())
        assert error == "Name at least one priority the service covers, e.g. P1."
    with db.read(engine) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 1


# --- migration 0004 ---------------------------------------------------------------------------


def test_migration_0004_keeps_the_contracts_offer_and_reclassifies_past_events(paths):
    from msptui.store.db import make_engine, sqlite_url

    engine = make_engine(sqlite_url(paths.database))
    try:
        upgrade_to(engine, "0003")
        night = "2026-11-23 21:00:00.000000"
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO client (id, name, code, status, address, postcode, city, country, "
                "timezone, notes, created_at) VALUES (1, 'Acme', 'ACME', 'active', '', '', '', 'FR', "
                f"'Europe/Paris', '', '{night}')"
            )
            for cid, offered, pct in ((1, 1, 40), (2, 1, 25), (3, 0, 30)):
                conn.exec_driver_sql(
                    "INSERT INTO contract (id, reference, client_id, title, start_date, status, service_lines, "
                    "exclusions, business_hours, timezone, holiday_country, whit_monday_worked, extra_closed_dates, "
                    "pause_on_third_party, out_of_hours_available, out_of_hours_surcharge_pct, out_of_hours_terms, "
                    "breach_notification_hours, non_solicitation_months, non_solicitation_indemnity, "
                    "payment_terms_days, warranty_months, lead_time_days, client_owns_ip, ip_notes, created_at) "
                    f"VALUES ({cid}, 'C-{cid}', 1, 'Support', '2026-01-01', 'active', '[]', '', "
                    "'{\"0\": [[\"09:00\", \"18:00\"]]}', 'Europe/Paris', 'FR', 0, '[]', 0, "
                    f"{offered}, {pct}, '', 48, 0, '', 30, 0, 0, 1, '', '{night}')"
                )
            # Contract 1 runs P2 round the clock (so its service covers P2); contract 2 names none (P1).
            conn.exec_driver_sql("INSERT INTO sla_target (contract_id, priority, round_the_clock) VALUES (1, 'P2', 1)")
            conn.exec_driver_sql("INSERT INTO sla_target (contract_id, priority, round_the_clock) VALUES (1, 'P3', 0)")
            for tid, contract_id, priority in ((1, 1, "P2"), (2, 2, "P2"), (3, 3, "P1"), (4, 2, "P3")):
                conn.exec_driver_sql(
                    "INSERT INTO ticket (id, client_id, contract_id, title, description, priority, status, opened_at, "
                    f"billable) VALUES ({tid}, 1, {contract_id}, 'T', '', '{priority}', 'acknowledged', '{night}', 0)"
                )
            events = [
                # (ticket, kind, status, priority, out_of_hours) in time order
                (1, "opened", "new", "P2", 1),
                (1, "note", None, None, 1),
                (1, "status", "acknowledged", None, 1),
                (2, "opened", "new", "P2", 1),
                (2, "status", "acknowledged", None, 1),
                (3, "opened", "new", "P1", 1),
                (3, "status", "acknowledged", None, 1),
                (4, "opened", "new", "P3", 0),
                (4, "priority", None, "P1", 1),
                (4, "status", "acknowledged", None, 1),
                (4, "status", "in_progress", None, 0),
            ]
            for n, (tid, kind, status, priority, flagged) in enumerate(events, 1):
                conn.exec_driver_sql(
                    "INSERT INTO ticket_event (id, ticket_id, at, kind, status, priority, channel, note, out_of_hours) "
                    f"VALUES ({n}, {tid}, '2026-11-23 21:{n:02d}:00.000000', '{kind}', "
                    f"{'NULL' if status is None else repr(status)}, {'NULL' if priority is None else repr(priority)}, "
                    f"NULL, '', {flagged})"
                )
        upgrade_to(engine, "0004")
        with engine.connect() as conn:
            covered = dict(conn.exec_driver_sql("SELECT id, out_of_hours_priorities FROM contract ORDER BY id").all())
            classes = conn.exec_driver_sql(
                "SELECT id, out_of_hours, hours_class, surcharge_pct FROM ticket_event ORDER BY id"
            ).all()
            triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert covered == {1: '["P2"]', 2: '["P1"]', 3: "[]"}
        assert classes == [
            (1, 0, "in_hours", 0),
            (2, 0, "in_hours", 0),
            (3, 1, "surcharged", 40),  # opening and note: never
            (4, 0, "in_hours", 0),
            (5, 1, "outside_contract", 0),  # contract 2 covers P1 only
            (6, 0, "in_hours", 0),
            (7, 1, "outside_contract", 0),  # contract 3 sells no out-of-hours service
            (8, 0, "in_hours", 0),
            (9, 0, "in_hours", 0),
            (10, 1, "surcharged", 25),
            (11, 0, "in_hours", 0),
        ]
        assert {"ticket_event_no_update", "ticket_event_no_delete"} <= triggers
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql("UPDATE ticket_event SET hours_class = 'in_hours' WHERE id = 3")
    finally:
        engine.dispose()


def upgrade_to(engine, revision: str) -> None:
    """Alembic's upgrade on a real SQLite file, configured as msptui.store.migrate does."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "msptui.store:migrations")
    with engine.connect() as conn:
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()


def test_the_explain_view_marks_each_action_as_it_was_classified(engine):
    from zoneinfo import ZoneInfo

    from msptui.ui.screens.tickets.explain import explain_report

    contract = make_contract(engine, out_of_hours=True, covered=["P1"])
    tid = open_on(engine, contract, paris(23, 21), priority="P3")  # the client opens at night
    T.add_note(engine, tid, T.NoteCreate(note="Called the manager"), paris(23, 21, 2))
    T.acknowledge(engine, tid, paris(23, 21, 5))
    T.change_priority(engine, tid, "P1", paris(23, 21, 10))
    T.start_intervention(engine, tid, "remote", paris(23, 21, 15))
    lines = [line for _style, line in explain_report(engine, tid, paris(23, 22), ZoneInfo("Europe/Paris"))]
    log = lines[lines.index("Log") + 1 :]
    assert [line.split("  ", 1)[1] for line in log[:-1]] == [
        "opened as P3",
        "note: Called the manager",
        "acknowledged ☾ outside the contract",
        "priority changed to P1",
        "in progress (remote) ☾ out of hours, +30 %",
    ]
    assert log[-1] == (
        "Work out of the contract's business hours: 1 out of hours, +30 % · "
        "1 outside the contract: goodwill or billable extra, your call"
    )
