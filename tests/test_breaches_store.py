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
from tests.test_tickets import MONDAY_10, make_contract, paris


@pytest.fixture
def acme(engine):
    client_id, contract_id = make_contract(engine)
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


def test_without_a_contract_the_delay_is_gdprs_72_hours(engine, acme):
    breach_id = B.record_breach(engine, discovered(acme, contract_id=None, processing_id=None), MONDAY_10)
    assert B.breach(engine, breach_id).notification_hours == 72


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
    assert "48 hours from discovery: by 2026-11-25 09:00 (Europe/Paris)" in md
    assert "2026-11-25 15:00 (Europe/Paris), by email to the DPO (after the delay)" in md
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
