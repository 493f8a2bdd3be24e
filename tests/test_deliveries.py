"""Deliveries at store level: the checklist, the delivery note's numbering, closing."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from msptui.core.rules.delivery import PartState
from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.clients import RefusedError
from msptui.store.models import Contract, DeliveryNote, NoteCounter
from msptui.store.schemas.deliveries import DocumentCreate, ItemCreate, NoteIssue, NoteVoid, TestLineCreate, Waiver
from tests.delivery_fixtures import (
    deliveries_ready_for_a_note,
    fill_checklist,
    make_engagement,
    passed_test,
    provide,
)
from tests.engines import database_url

CONSENT = dict(decided_by="client", client_name="Sophie Martin", agreed_on="2026-11-23", how="email")


@pytest.fixture
def delivery(engine, sample, clock):
    """An open delivery on an accepted engagement of the bakery (contract MSP-2026-001); the provider's identity is set."""
    provide(engine)
    engagement = make_engagement(engine, sample["BOUL"], clock.now())
    return d.open_delivery(engine, engagement, clock.now())


def test_a_delivery_opens_only_on_an_accepted_engagement_and_only_once(engine, sample, clock):
    proposed = make_engagement(engine, sample["BOUL"], clock.now(), status="proposed")
    with pytest.raises(RefusedError, match="proposed"):
        d.open_delivery(engine, proposed, clock.now())

    accepted = make_engagement(engine, sample["BOUL"], clock.now(), status="accepted_with_partner")
    first = d.open_delivery(engine, accepted, clock.now())
    assert d.open_delivery(engine, accepted, clock.now()) == first


def test_a_new_delivery_is_not_ready_and_says_what_is_missing(engine, delivery):
    readiness = d.readiness(engine, delivery)
    assert not readiness.ready
    assert readiness.progress == (0, 3)
    assert "The delivery note is not issued yet." in readiness.blockers


def test_a_complete_checklist_closes_the_delivery_and_the_engagement_at_the_same_instant(engine, delivery, clock):
    fill_checklist(engine, delivery, clock.now())
    assert d.readiness(engine, delivery).ready

    clock.advance(timedelta(hours=2))
    d.mark_delivered(engine, delivery, clock.now())

    view = d.get_delivery(engine, delivery)
    assert view.delivery.delivered_at == clock.now()
    assert view.engagement.status == "delivered"
    assert view.engagement.delivered_at == clock.now()


def test_marking_an_unready_delivery_delivered_is_refused_with_every_blocker_and_changes_nothing(
    engine, delivery, clock
):
    test = d.add_test(engine, delivery, TestLineCreate(description="VPN depuis la maison"))
    d.set_test_result(engine, test, "failed")

    with pytest.raises(RefusedError) as refused:
        d.mark_delivered(engine, delivery, clock.now())
    message = str(refused.value)
    assert "Test 'VPN depuis la maison' failed" in message
    assert "The delivery note is not issued yet." in message
    assert "No documentation listed" in message

    view = d.get_delivery(engine, delivery)
    assert view.delivery.delivered_at is None
    assert view.engagement.status == "accepted"


def test_a_failed_test_blocks_until_waived_with_a_reason_and_a_new_result_drops_the_waiver(engine, delivery, clock):
    fill_checklist(engine, delivery, clock.now())
    d.void_note(engine, delivery, NoteVoid(reason="Un test oublié"), clock.now())
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    assert d.readiness(engine, delivery).ready
    d.void_note(engine, delivery, NoteVoid(reason="Encore un test oublié"), clock.now())
    test = d.add_test(engine, delivery, TestLineCreate(description="Impression étage 2"))
    with pytest.raises(RefusedError, match="Only a failed test"):
        d.waive_test(engine, test, Waiver(reason="imprimante absente"))

    assert d.cycle_test(engine, test) == "passed"
    assert d.cycle_test(engine, test) == "failed"
    assert not d.readiness(engine, delivery).ready

    with pytest.raises(ValidationError):
        Waiver(reason="   ")
    d.waive_test(engine, test, Waiver(reason="Imprimante remplacée par le client la semaine prochaine."))
    assert d.readiness(engine, delivery).tests is PartState.complete

    assert d.cycle_test(engine, test) == "pending"
    d.set_test_result(engine, test, "failed")
    assert d.get_delivery(engine, delivery).tests[-1].waived_reason is None
    assert d.readiness(engine, delivery).tests is PartState.pending


def test_waived_parts_count_as_done_and_a_withdrawn_waiver_blocks_again(engine, delivery, clock):
    d.add_item(engine, delivery, ItemCreate(description="Licence Microsoft 365", quantity=5))
    d.waive_part(engine, delivery, "tests", Waiver(reason="Licences only: nothing to test on site.", **CONSENT))
    d.waive_part(engine, delivery, "documents", Waiver(reason="Documentation sent by the vendor.", **CONSENT))
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    readiness = d.readiness(engine, delivery)
    assert (readiness.tests, readiness.note, readiness.documents) == (
        PartState.waived,
        PartState.complete,
        PartState.waived,
    )
    assert readiness.ready

    d.void_note(engine, delivery, NoteVoid(reason="Documentation finally handed over by us"), clock.now())
    d.waive_part(engine, delivery, "documents", None)
    assert not d.readiness(engine, delivery).ready


def test_the_note_is_numbered_dated_and_carries_the_contracts_warranty_and_ip_terms(engine, delivery, sample, clock):
    passed_test(engine, delivery)
    d.add_item(engine, delivery, ItemCreate(description="NAS Synology DS923+", serial="2350QWR01234"))
    note = d.issue_note(engine, delivery, NoteIssue(signatory="  Sophie Martin "), clock.now())
    assert note.number == "BL-2026-0001"
    assert note.issued_at == clock.now()
    assert note.signatory == "Sophie Martin"
    assert note.warranty_months == 12
    # BOUL is in France: its note is written in French, frozen so.
    assert note.ip_statement.startswith("Le client est propriétaire de la propriété intellectuelle")

    # A later change of contract never rewrites an issued note.
    with db.write(engine) as s:
        contract = s.scalars(select(Contract).where(Contract.client_id == sample["BOUL"])).first()
        contract.warranty_months, contract.client_owns_ip = 3, False
    assert d.get_delivery(engine, delivery).note.warranty_months == 12


def test_the_ip_statement_follows_a_contract_that_keeps_the_rights(engine, sample, clock):
    with db.write(engine) as s:
        contract = s.scalars(select(Contract).where(Contract.client_id == sample["DENT"])).first()
        contract.client_owns_ip, contract.ip_notes, contract.warranty_months = (
            False,
            "Scripts restent la propriété du prestataire.",
            24,
        )
    provide(engine)
    delivery = d.open_delivery(engine, make_engagement(engine, sample["DENT"], clock.now()), clock.now())
    passed_test(engine, delivery)
    d.add_item(engine, delivery, ItemCreate(description="Scripts de sauvegarde"))
    note = d.issue_note(engine, delivery, NoteIssue(signatory="Dr Paul Lefèvre"), clock.now())
    assert note.warranty_months == 24
    assert "n'est pas cédée" in note.ip_statement  # DENT is in France: the note is in French
    assert note.ip_statement.endswith("Scripts restent la propriété du prestataire.")


def test_issuing_needs_a_signatory_and_an_item_and_happens_once(engine, delivery, clock):
    with pytest.raises(ValidationError) as invalid:
        NoteIssue(signatory="  ")
    assert "signatory" in str(invalid.value)
    passed_test(engine, delivery)
    with pytest.raises(RefusedError, match="lists no item"):
        d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())

    item = d.add_item(engine, delivery, ItemCreate(description="Switch 24 ports"))
    first = d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    # The refused attempt above consumed no number.
    assert first.number == "BL-2026-0001"
    with pytest.raises(RefusedError, match="already issued"):
        d.issue_note(engine, delivery, NoteIssue(signatory="Marc"), clock.now())
    with pytest.raises(RefusedError, match="so its items can no longer change"):
        d.update_item(engine, item, ItemCreate(description="Switch 48 ports"))
    with pytest.raises(RefusedError, match="can no longer change"):
        d.add_item(engine, delivery, ItemCreate(description="Câble"))


def test_numbers_follow_each_other_across_deliveries_and_restart_with_the_clients_new_year(engine, sample, clock):
    provide(engine)
    numbers = []
    for code in ("BOUL", "DENT", "HORI"):
        delivery = d.open_delivery(engine, make_engagement(engine, sample[code], clock.now()), clock.now())
        passed_test(engine, delivery)
        d.add_item(engine, delivery, ItemCreate(description="Poste de travail"))
        numbers.append(d.issue_note(engine, delivery, NoteIssue(signatory="X"), clock.now()).number)
    assert numbers == ["BL-2026-0001", "BL-2026-0002", "BL-2026-0003"]

    # 31 December 23:30 UTC is already New Year's Day in Paris, where the client signs.
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    delivery = d.open_delivery(engine, make_engagement(engine, sample["GDUP"], new_year), new_year)
    passed_test(engine, delivery)
    d.add_item(engine, delivery, ItemCreate(description="Poste de travail"))
    assert d.issue_note(engine, delivery, NoteIssue(signatory="Jean Dupont"), new_year).number == "BL-2027-0001"


def test_a_counter_behind_the_issued_notes_never_hands_out_a_used_number(engine, sample, clock):
    provide(engine)
    first = d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now()), clock.now())
    passed_test(engine, first)
    d.add_item(engine, first, ItemCreate(description="Poste"))
    d.issue_note(engine, first, NoteIssue(signatory="X"), clock.now())
    with db.write(engine) as s:  # e.g. a counter row restored from an older backup
        s.get(NoteCounter, 2026).last_seq = 0
    second = d.open_delivery(engine, make_engagement(engine, sample["DENT"], clock.now()), clock.now())
    passed_test(engine, second)
    d.add_item(engine, second, ItemCreate(description="Poste"))
    assert d.issue_note(engine, second, NoteIssue(signatory="Y"), clock.now()).number == "BL-2026-0002"


def test_a_delivered_delivery_no_longer_changes(engine, delivery, clock):
    fill_checklist(engine, delivery, clock.now())
    d.mark_delivered(engine, delivery, clock.now())
    view = d.get_delivery(engine, delivery)
    with pytest.raises(RefusedError, match="marked delivered on 2026-11-23"):
        d.add_test(engine, delivery, TestLineCreate(description="Encore un test"))
    with pytest.raises(RefusedError, match="no longer change"):
        d.toggle_document(engine, view.documents[0].id, clock.now())
    with pytest.raises(RefusedError):
        d.mark_delivered(engine, delivery, clock.now())


def test_documents_are_confirmed_and_unconfirmed_with_the_instant(engine, delivery, clock):
    doc = d.add_document(
        engine, delivery, DocumentCreate(title="Plan réseau", given_as="link", location="https://wiki/plan")
    )
    with pytest.raises(ValidationError):
        DocumentCreate(title="Plan", given_as="fax")
    assert d.toggle_document(engine, doc, clock.now()) is True
    assert d.get_delivery(engine, delivery).documents[0].confirmed_at == clock.now()
    assert d.toggle_document(engine, doc, clock.now()) is False
    assert d.get_delivery(engine, delivery).documents[0].confirmed_at is None


def test_the_overview_lists_open_deliveries_engagements_to_deliver_and_handover_candidates(engine, sample, clock):
    open_one = d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now(), title="NAS"), clock.now())
    make_engagement(engine, sample["DENT"], clock.now(), title="Radiologie", status="in_progress")
    make_engagement(engine, sample["SCHM"], clock.now(), title="Annulé", status="cancelled")
    make_engagement(engine, sample["GDUP"], clock.now(), title="Pas encore", status="proposed")
    done = d.open_delivery(engine, make_engagement(engine, sample["NOTW"], clock.now(), title="Fini"), clock.now())
    fill_checklist(engine, done, clock.now())
    d.mark_delivered(engine, done, clock.now())

    mine = {"NAS", "Radiologie", "Annulé", "Pas encore", "Fini"}
    rows = [r for r in d.deliveries_overview(engine) if r.engagement_title in mine or r.stage == "former"]
    stages = [(r.stage, r.engagement_title or r.client_name) for r in rows]
    assert stages == [
        ("in_progress", "NAS"),
        ("to_open", "Radiologie"),
        ("delivered", "Fini"),
        ("cancelled", "Annulé"),
        ("former", "Crèche Les Petits Pas"),
    ]
    assert rows[0].delivery_id == open_one and rows[0].progress == (0, 3)
    assert rows[2].note_number == "BL-2026-0001"


# --- numbering under two real processes ---------------------------------------------------


def _issue_many(database: str, delivery_ids: list[int], signatory: str, now: datetime, start, results) -> None:
    """In a child process: its own engine on the same file; read each checklist, then issue its note
    (as the screen does), as fast as possible."""
    from msptui.store.db import make_engine

    engine = make_engine(database)
    numbers, errors = [], []
    start.wait()
    for delivery_id in delivery_ids:
        try:
            d.get_delivery(engine, delivery_id)
            numbers.append(d.issue_note(engine, delivery_id, NoteIssue(signatory=signatory), now).number)
        except Exception as exc:  # every error must reach the parent's assertion
            errors.append(repr(exc))
    engine.dispose()
    results.put((signatory, numbers, errors))


@pytest.mark.slow
def test_two_processes_issuing_notes_at_once_get_unique_gap_free_numbers(engine, store, sample, clock):
    per_process = 25
    deliveries = deliveries_ready_for_a_note(engine, sample["BOUL"], clock.now(), 2 * per_process)

    ctx = multiprocessing.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_issue_many, args=(database_url(store), deliveries[i::2], who, clock.now(), start, results))
        for i, who in enumerate(("terminal A", "terminal B"))
    ]
    for w in workers:
        w.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0

    assert [errors for _who, _numbers, errors in outcomes] == [[], []]
    a, b = (set(numbers) for _who, numbers, _errors in outcomes)
    assert len(a) == len(b) == per_process and not a & b
    with db.read(engine) as s:
        # This year's numbers (the sample's delivered engagement has its note in an earlier year).
        seqs = sorted(s.scalars(select(DeliveryNote.seq).where(DeliveryNote.year == 2026)))
        counter = s.get(NoteCounter, 2026).last_seq
    assert seqs == list(range(1, 2 * per_process + 1))
    assert counter == 2 * per_process
    assert a | b == {f"BL-2026-{n:04d}" for n in seqs}


def test_the_sample_data_has_one_delivery_in_progress_left_to_finish(engine, sample):
    rows = [r for r in d.deliveries_overview(engine) if r.stage == "in_progress"]
    assert len(rows) == 1
    view = d.get_delivery(engine, rows[0].delivery_id)
    assert view.engagement.status in ("accepted", "in_progress")
    assert view.note is None
    assert view.readiness.progress == (4, 7)
    assert "1 test not run yet." in view.readiness.blockers
