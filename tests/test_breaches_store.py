"""The breach register: a countdown from discovery to the contract's notification delay, the
notification recorded, corrections kept beside what they correct, and the notice for the client."""

from __future__ import annotations

import re
import stat
from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from msptui.store import breaches as B
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.contracts import add_processing
from msptui.store.files.breach_notice import breach_markdown, export_breach
from msptui.store.models import DataBreach
from msptui.store.provider import set_provider_identity
from msptui.store.reads.coming_due import coming_due
from msptui.store.schemas import FieldError, GdprProcessingCreate, field_errors
from tests.delivery_fixtures import PROVIDER
from tests.migration_helpers import database_at, upgrade
from tests.test_tickets import MONDAY_10, make_contract, paris


@pytest.fixture
def acme(engine):
    client_id, contract_id = make_contract(engine)
    with db.write(engine) as s:  # English notices (a French address gives French ones: test_documents_french.py)
        s.execute(text("UPDATE client SET language = 'en' WHERE id = :id"), {"id": client_id})
    processing = add_processing(
        engine, contract_id, GdprProcessingCreate(purpose="Payroll mailboxes", data_categories="names, salaries")
    )
    return client_id, contract_id, processing


def discovered(acme, **kw) -> B.DataBreachCreate:
    client_id, contract_id, processing = acme
    values = {
        "client_id": client_id,
        "contract_id": contract_id,
        "discovered_at": paris(23, 9),
        "description": "A phishing mail opened the payroll mailbox to an outsider.",
        "data_concerned": "Names and salaries of 40 employees",
        "processing_id": processing,
        "measures": "Password reset, sessions revoked.",
    }
    return B.DataBreachCreate(**{**values, **kw})


def told(at: datetime, how: str = "email to the DPO", measures: str = "") -> B.BreachNotification:
    return B.BreachNotification(notified_at=at, notified_how=how, measures=measures)


# --- the register ---------------------------------------------------------------------------------


def test_a_breach_is_recorded_with_its_contracts_notification_delay(engine, acme):
    breach_id = B.record_breach(engine, discovered(acme), MONDAY_10)
    b = B.breach(engine, breach_id)
    assert (b.first_id, b.id, b.contract, b.processing) == (breach_id, breach_id, "C-ACME", "Payroll mailboxes")
    assert b.notification_hours == 48 and not b.notified  # the contract's default delay


def test_the_notification_is_a_new_record_and_the_first_stays_as_it_was(engine, acme):
    first = B.record_breach(engine, discovered(acme), MONDAY_10)
    newer = B.record_notification(engine, first, told(paris(24, 15), measures="MFA enforced."), paris(24, 16))
    b = B.breach(engine, first)
    assert (b.id, b.first_id, b.corrections) == (newer, first, 1)
    assert (b.notified_at, b.notified_how, b.measures) == (paris(24, 15), "email to the DPO", "MFA enforced.")
    with db.read(engine) as s:
        original = s.get(DataBreach, first)
        assert original.notified_at is None and original.measures == "Password reset, sessions revoked."
    with pytest.raises(RefusedError, match="already notified"):
        B.record_notification(engine, newer, told(paris(24, 17)), paris(24, 18))


def test_a_correction_keeps_the_notification_and_the_old_record(engine, acme):
    first = B.record_breach(engine, discovered(acme), MONDAY_10)
    B.record_notification(engine, first, told(paris(24, 15)), paris(24, 16))
    B.correct_breach(
        engine,
        first,
        B.DataBreachCorrection(discovered_at=paris(23, 8), description="Phishing: payroll mailbox read."),
        paris(25, 9),
    )
    b = B.breach(engine, first)
    assert (b.description, b.discovered_at, b.notified_at, b.corrections) == (
        "Phishing: payroll mailbox read.",
        paris(23, 8),
        paris(24, 15),
        2,
    )
    assert [x.first_id for x in B.client_breaches(engine, acme[0])] == [first]


def test_the_register_cannot_be_changed_or_deleted_underneath(engine, acme):
    B.record_breach(engine, discovered(acme), MONDAY_10)
    for statement in ("UPDATE data_breach SET description = 'nothing'", "DELETE FROM data_breach"):
        with pytest.raises(DatabaseError, match="append-only"):
            with db.write(engine) as s:
                s.execute(text(statement))


def test_a_breach_discovered_in_the_future_is_refused(engine, acme):
    with pytest.raises(FieldError, match="still to come") as caught:
        B.record_breach(engine, discovered(acme, discovered_at=paris(23, 11)), MONDAY_10)
    assert caught.value.field == "discovered_at"
    assert B.client_breaches(engine, acme[0]) == []


def test_a_processing_entry_of_another_contract_is_refused(engine, acme):
    _, beta_contract = make_contract(engine, code="BETA")
    other = add_processing(engine, beta_contract, GdprProcessingCreate(purpose="CRM"))
    with pytest.raises(FieldError, match="processing entry of the breach's contract"):
        B.record_breach(engine, discovered(acme, processing_id=other), MONDAY_10)
    with pytest.raises(FieldError, match="is not a contract of"):
        B.record_breach(engine, discovered(acme, contract_id=beta_contract, processing_id=None), MONDAY_10)


def test_a_notification_before_the_discovery_is_refused(engine, acme):
    first = B.record_breach(engine, discovered(acme), MONDAY_10)
    with pytest.raises(FieldError, match="before the breach was discovered"):
        B.record_notification(engine, first, told(paris(23, 8)), MONDAY_10)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"description": "  "}, "description", "required"),
        ({"discovered_at": datetime(2026, 11, 23, 9)}, "discovered_at", "time zone"),
    ],
)
def test_a_bad_breach_is_refused_with_a_sentence(acme, values, field, message):
    with pytest.raises(ValidationError) as caught:
        discovered(acme, **values)
    assert message in field_errors(caught.value)[field]


def test_a_notification_says_how_the_client_was_told():
    with pytest.raises(ValidationError) as caught:
        told(paris(24, 15), how="")
    assert "how the client was told" in field_errors(caught.value)["notified_how"]


# --- the countdown on the board ----------------------------------------------------------------------


def test_an_unnotified_breach_counts_down_to_the_contracts_delay_and_leaves_once_notified(engine, acme):
    first = B.record_breach(engine, discovered(acme), MONDAY_10)
    [item] = [i for i in coming_due(engine, MONDAY_10) if i.kind == "breach"]
    assert (item.ref_id, item.due_at, item.client) == (first, paris(25, 9), "Client ACME")
    assert item.lead == timedelta(hours=12)  # the last quarter of 48 h, as an SLA clock's 75 %
    B.record_notification(engine, first, told(paris(24, 15)), paris(24, 16))
    assert [i for i in coming_due(engine, paris(24, 16)) if i.kind == "breach"] == []


# --- the notice for the client -------------------------------------------------------------------------


def test_the_notice_carries_the_provider_the_delay_the_notification_and_the_measures(engine, acme, paths):
    set_provider_identity(engine, PROVIDER)
    first = B.record_breach(engine, discovered(acme), MONDAY_10)
    B.record_notification(engine, first, told(paris(25, 15), measures="MFA enforced."), paris(25, 16))
    files = export_breach(engine, paths.exports, first)
    md = files.markdown.read_text("utf-8")
    assert "Durand Informatique" in md and "SIRET 732 829 320 00074" in md
    assert "48 hours from discovery: by Wed 25 Nov 2026, 09:00 (Europe/Paris)" in md
    assert "Wed 25 Nov 2026, 15:00 (Europe/Paris), by email to the DPO (after the delay)" in md
    assert "MFA enforced." in md and "Payroll mailboxes" in md
    assert files.pdf.read_bytes().startswith(b"%PDF")
    for path in (files.markdown, files.pdf):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert files.markdown.name == "ACME-breach-1.md"


def test_the_clients_words_are_printed_literally(engine, acme):
    first = B.record_breach(
        engine, discovered(acme, description="<img src=x onerror=alert(1)> [click](javascript:x)"), MONDAY_10
    )
    md = breach_markdown(B.breach(engine, first), None)
    assert re.search(r"(?<!\\)<img", md) is None and "\\<img" in md and "\\[click\\]" in md
    assert "Provider's identity not set" in md
    assert "Client notified | not yet" in md


# --- the delay is the one in force when the breach was recorded ---------------------------------------


def contract_hours(engine, contract_id: int, hours: int) -> None:
    with db.write(engine) as s:
        s.execute(
            text("UPDATE contract SET breach_notification_hours = :h WHERE id = :id"), {"h": hours, "id": contract_id}
        )


def test_editing_the_contract_later_moves_no_countdown_and_no_notice(engine, acme):
    contract_hours(engine, acme[1], 24)
    first = B.record_breach(engine, discovered(acme), MONDAY_10)
    [before] = coming_due(engine, MONDAY_10)
    contract_hours(engine, acme[1], 72)  # the contract renegotiated afterwards
    [after] = coming_due(engine, MONDAY_10)
    assert after.due_at == before.due_at == paris(24, 9)
    B.record_notification(engine, first, told(paris(24, 8)), paris(24, 10))  # a new record: the delay copied
    b = B.breach(engine, first)
    assert b.notification_hours == 24 and b.corrections == 1
    assert "24 hours from discovery" in breach_markdown(b, PROVIDER)


def test_without_a_contract_chosen_the_shortest_delay_of_the_clients_active_contracts_counts(engine, acme):
    from datetime import date

    from msptui.store.clients import ClientCreate, create_client
    from msptui.store.contracts import create_contract, set_archived
    from msptui.store.schemas import ContractCreate

    client_id = acme[0]

    def contract(reference: str, hours: int) -> int:
        values = {"reference": reference, "client_id": client_id, "title": "Extra", "start_date": date(2026, 1, 1)}
        return create_contract(engine, ContractCreate(**values, breach_notification_hours=hours), MONDAY_10)

    contract("C-ACME-2", 36)
    archived = contract("C-ACME-OLD", 12)
    set_archived(engine, archived, True, MONDAY_10)
    assert B.breach_hours(engine, client_id) == 36  # 48 and 36 in force; the archived 12 no longer binds
    breach_id = B.record_breach(engine, discovered(acme, contract_id=None, processing_id=None), MONDAY_10)
    assert B.breach(engine, breach_id).notification_hours == 36
    lone = create_client(engine, ClientCreate(name="No contract", code="NONE"), MONDAY_10)
    lone_breach = B.record_breach(
        engine,
        B.DataBreachCreate(client_id=lone, discovered_at=paris(23, 9), description="Lost laptop"),
        MONDAY_10,
    )
    assert B.breach(engine, lone_breach).notification_hours == 72  # GDPR art. 33


def test_migration_0009_keeps_the_delay_existing_breaches_count_down_to(tmp_path):
    import sqlite3

    path = tmp_path / "old.db"
    engine = database_at(path, "0008")
    con = sqlite3.connect(path)
    con.executescript("""
        INSERT INTO client (id, name, code, status, address, postcode, city, country, timezone, notes, created_at)
        VALUES (1, 'Boulangerie Martin', 'BOUL', 'active', '', '', '', 'FR', 'Europe/Paris', '', '2026-01-05 09:00:00');
        INSERT INTO contract (id, reference, client_id, title, start_date, status, service_lines, exclusions,
            business_hours, timezone, holiday_country, whit_monday_worked, extra_closed_dates, pause_on_third_party,
            out_of_hours_available, out_of_hours_surcharge_pct, out_of_hours_terms, out_of_hours_priorities,
            breach_notification_hours, non_solicitation_months, non_solicitation_indemnity, payment_terms_days,
            warranty_months, lead_time_days, client_owns_ip, ip_notes, created_at, category_rates)
        VALUES (1, 'C-BOUL', 1, 'Support', '2026-01-01', 'active', '[]', '', '{}', 'Europe/Paris', 'FR', 0, '[]', 0,
            0, 0, '', '[]', 24, 0, '', 30, 0, 0, 1, '', '2026-01-05 09:00:00', '{}');
        INSERT INTO data_breach (id, client_id, contract_id, discovered_at, description, data_concerned,
            notified_how, measures, created_at)
        VALUES (1, 1, 1, '2026-11-23 08:00:00', 'Lost laptop', '', '', '', '2026-11-23 09:00:00'),
               (2, 1, NULL, '2026-11-23 08:00:00', 'Phishing', '', '', '', '2026-11-23 09:00:00');
        INSERT INTO snooze (id, kind, ref_id, until, reason, created_at)
        VALUES (1, 'breach', 1, '2026-11-23 20:00:00', 'old', '2026-11-23 09:00:00');
    """)
    con.commit()
    con.close()

    upgrade(engine, "0009", foreign_keys=False)

    con = sqlite3.connect(path)
    assert con.execute("SELECT id, notification_hours FROM data_breach ORDER BY id").fetchall() == [(1, 24), (2, 72)]
    assert con.execute("SELECT due_at FROM snooze").fetchall() == [(None,)]  # matches no item: it shows again
    for table in ("data_breach", "snooze"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(f"UPDATE {table} SET id = id")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(f"DELETE FROM {table}")
    con.close()
    upgrade(engine, "head")  # today's code reads today's schema
    assert [i.due_at for i in coming_due(engine, datetime(2026, 11, 23, 10, tzinfo=paris(23, 9).tzinfo))] == [
        paris(24, 9),  # 24 h after its discovery, snooze or not
        paris(26, 9),
    ]
