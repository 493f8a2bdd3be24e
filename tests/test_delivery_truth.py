"""A delivery note says only what happened, and an issued note never changes (issue 11, section 2).

Store level: every refusal with the exact words the user sees and nothing
written; the frozen note read byte for byte after every attempted change; voids
(VOID printed, number kept, the next note refers to it); gap-free numbering;
waivers printed as who decided them; the provider's identity; migration 0002.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from pydantic import ValidationError
from pypdf import PdfReader
from sqlalchemy import select, text

from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.clients import RefusedError
from msptui.store.delivery_notes import note_in_force
from msptui.store.files import delivery_note as dn
from msptui.store.models import Client, Contract, Delivery, DeliveryNote, DeliveryNoteVoid, DeliveryTest, NoteCounter
from msptui.store.provider import provider_identity, set_provider_identity
from msptui.store.schemas import field_errors
from msptui.store.schemas.deliveries import DocumentCreate, ItemCreate, NoteIssue, NoteVoid, TestLineCreate, Waiver
from msptui.store.schemas.provider import ProviderIdentityInput
from tests.delivery_fixtures import PROVIDER, make_engagement, passed_test, provide
from tests.migration_helpers import database_at, upgrade

CONSENT = dict(decided_by="client", client_name="Sophie Martin", agreed_on="2026-11-20", how="signed_form")


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def english(engine, client_id: int) -> None:
    """The client reads English documents (a French address gives French ones: tests/test_documents_french.py)."""
    with db.write(engine) as s:
        s.get(Client, client_id).language = "en"


@pytest.fixture
def delivery(engine, sample, clock):
    """An open delivery at the bakery, the provider's identity set, its documents in English."""
    provide(engine)
    english(engine, sample["BOUL"])
    return d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now()), clock.now())


def snapshot(engine) -> dict:
    """Every delivery row that a refused action must leave untouched."""
    with db.read(engine) as s:
        return {
            "delivery": [r.model_dump() for r in s.scalars(select(Delivery))],
            "tests": [r.model_dump() for r in s.scalars(select(DeliveryTest))],
            "notes": [r.model_dump() for r in s.scalars(select(DeliveryNote))],
            "voids": [r.model_dump() for r in s.scalars(select(DeliveryNoteVoid))],
            "counters": [r.model_dump() for r in s.scalars(select(NoteCounter))],
        }


def refused(engine, fn, *args) -> str:
    before = snapshot(engine)
    with pytest.raises(RefusedError) as caught:
        fn(engine, *args)
    assert snapshot(engine) == before, "a refused action wrote something"
    return str(caught.value)


# --- refusals -------------------------------------------------------------------------------------


def test_the_delivery_note_can_no_longer_be_waived(engine, delivery):
    message = refused(engine, d.waive_part, delivery, "note", Waiver(reason="Purchase order instead", **CONSENT))
    assert message == "The delivery note cannot be waived: the providers' charter requires one for every delivery."


@pytest.mark.parametrize(("part", "word"), [("tests", "Testing"), ("documents", "Documentation")])
def test_tests_and_documentation_are_waived_only_with_the_clients_consent(engine, delivery, part, word):
    message = refused(engine, d.waive_part, delivery, part, Waiver(reason="Nothing to test on site."))
    assert message == f"{word} can be waived only with the client's consent: record who agreed, when and how."

    d.waive_part(engine, delivery, part, Waiver(reason="Nothing to test on site.", **CONSENT))
    assert getattr(d.readiness(engine, delivery), part).value == "waived"


def test_the_clients_consent_needs_a_name_a_date_and_how(engine):
    with pytest.raises(ValidationError) as invalid:
        Waiver(reason="Pas de test", decided_by="client", client_name="Sophie Martin")
    assert field_errors(invalid.value) == {"agreed_on": "is required: the date the client agreed (YYYY-MM-DD)"}
    with pytest.raises(ValidationError) as invalid:
        Waiver(reason="Pas de test", decided_by="client")
    assert field_errors(invalid.value) == {
        "client_name": "is required: the name of the person who agreed for the client"
    }


def test_the_note_is_issued_only_once_the_tests_are_settled(engine, delivery, clock):
    d.add_item(engine, delivery, ItemCreate(description="Switch 24 ports"))
    message = refused(engine, d.issue_note, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    assert message == (
        "The tests are not settled, so the note cannot be issued yet. "
        "No test recorded: add at least one test, or waive testing with a reason."
    )
    vpn = d.add_test(engine, delivery, TestLineCreate(description="VPN depuis la maison"))
    d.set_test_result(engine, vpn, "failed")
    message = refused(engine, d.issue_note, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    assert message == (
        "The tests are not settled, so the note cannot be issued yet. "
        "Test 'VPN depuis la maison' failed: fix it or waive it with a reason."
    )
    d.waive_test(engine, vpn, Waiver(reason="Box du client hors service"))
    assert d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now()).number == "BL-2026-0001"


def test_issuing_asks_for_the_providers_identity_until_it_is_set(engine, sample, clock):
    english(engine, sample["BOUL"])
    delivery = d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now()), clock.now())
    passed_test(engine, delivery)
    d.add_item(engine, delivery, ItemCreate(description="Switch 24 ports"))
    assert provider_identity(engine) is None
    message = refused(engine, d.issue_note, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    assert message == "Set the provider's identity first: it is printed on every delivery note."

    provide(engine)
    note = d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    assert note.number == "BL-2026-0001"  # the refused attempt consumed no number
    assert note.content["provider"] == [
        "Durand Informatique",
        "4 rue des Tanneurs, 67000 Strasbourg",
        "SIRET 732 829 320 00074",
        "VAT FR44732829320",
        "contact@durand-info.fr, 03 88 00 00 00",
    ]


def test_the_providers_identity_is_validated_field_by_field(engine):
    with pytest.raises(ValidationError) as invalid:
        ProviderIdentityInput(trade_name=" ", address="", company_number="732 829 320 00075", contact="")
    assert field_errors(invalid.value) == {
        "trade_name": "is required",
        "address": "is required",
        "company_number": "is not a valid SIRET: its check digit does not match (look for a typo)",
        "contact": "is required",
    }
    # Not a SIRET (another country's number): taken as typed.
    ok = ProviderIdentityInput(trade_name="Acme", address="1 Main St", company_number="HRB 12345", contact="a@b.de")
    assert set_provider_identity(engine, ok).company_number == "HRB 12345"
    assert provider_identity(engine).trade_name == "Acme"


# --- an issued note is frozen --------------------------------------------------------------------


@pytest.fixture
def issued(engine, delivery, clock):
    """Tests settled (one passed, one failed and waived by the client), items, documents, note issued."""
    passed_test(engine, delivery, "Restauration d'un fichier")
    failed = d.add_test(engine, delivery, TestLineCreate(description="Alerte par SMS"))
    d.set_test_result(engine, failed, "failed")
    d.waive_test(engine, failed, Waiver(reason="Pas d'abonnement SMS pour l'instant", **CONSENT))
    d.add_item(engine, delivery, ItemCreate(description="NAS Synology DS923+", serial="2350QWR01234"))
    doc = d.add_document(engine, delivery, DocumentCreate(title="Guide d'administration", given_as="printed"))
    d.toggle_document(engine, doc, clock.now())
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    return delivery


def test_every_change_to_an_issued_note_is_refused_in_words(engine, issued, clock):
    view = d.get_delivery(engine, issued)
    test, item, doc = view.tests[0], view.items[0], view.documents[0]
    frozen = "Delivery note BL-2026-0001 is issued, so {} can no longer change. Void the note first to correct it."
    attempts = [
        (d.add_item, (issued, ItemCreate(description="Câble")), "its items"),
        (d.update_item, (item.id, ItemCreate(description="NAS DS1522+")), "its items"),
        (d.delete_item, (item.id,), "its items"),
        (d.add_test, (issued, TestLineCreate(description="Encore")), "its tests"),
        (d.update_test, (test.id, TestLineCreate(description="Autre")), "its tests"),
        (d.set_test_result, (test.id, "failed"), "its tests"),
        (d.cycle_test, (test.id,), "its tests"),
        (d.waive_test, (view.tests[1].id, None), "its tests"),
        (d.delete_test, (test.id,), "its tests"),
        (d.add_document, (issued, DocumentCreate(title="Plan")), "its documents"),
        (d.update_document, (doc.id, DocumentCreate(title="Plan")), "its documents"),
        (d.toggle_document, (doc.id, clock.now()), "its documents"),
        (d.delete_document, (doc.id,), "its documents"),
        (d.waive_part, (issued, "tests", Waiver(reason="x", **CONSENT)), "its tests"),
        (d.waive_part, (issued, "documents", Waiver(reason="x", **CONSENT)), "its documents"),
    ]
    for fn, args, what in attempts:
        assert refused(engine, fn, *args) == frozen.format(what), fn.__name__
    assert refused(engine, d.issue_note, issued, NoteIssue(signatory="Marc"), clock.now()) == (
        "Delivery note BL-2026-0001 is already issued for this delivery."
    )


def test_an_issued_notes_files_read_the_same_byte_for_byte_after_any_attempted_change(
    engine, paths, issued, sample, clock
):
    first = dn.export_note(engine, paths.exports, issued)
    markdown, text = first.markdown.read_bytes(), pdf_text(first.pdf)
    assert "Accepted by the client (Sophie Martin, 20 Nov 2026, signed form): Pas d'abonnement SMS" in markdown.decode()

    view = d.get_delivery(engine, issued)
    for fn, args in (
        (d.update_item, (view.items[0].id, ItemCreate(description="Autre NAS"))),
        (d.set_test_result, (view.tests[0].id, "failed")),
        (d.update_document, (view.documents[0].id, DocumentCreate(title="Autre guide"))),
        (d.issue_note, (issued, NoteIssue(signatory="Quelqu'un d'autre"), clock.now())),
    ):
        with pytest.raises(RefusedError):
            fn(engine, *args)
    # What may change elsewhere changes nothing on the note: client, contract, provider, the day.
    with db.write(engine) as s:
        client = s.get(Client, sample["BOUL"])
        client.name, client.address = "Boulangerie Renommée", "1 autre rue"
        contract = s.scalars(select(Contract).where(Contract.client_id == sample["BOUL"])).first()
        contract.warranty_months, contract.client_owns_ip = 1, False
    set_provider_identity(engine, PROVIDER.model_copy(update={"trade_name": "Durand & Fils"}))
    clock.advance(timedelta(days=40))

    again = dn.export_note(engine, paths.exports, issued)
    assert again.markdown.read_bytes() == markdown
    assert pdf_text(again.pdf) == text


def test_the_database_refuses_to_edit_or_delete_an_issued_note_or_a_void(engine, issued, clock):
    d.void_note(engine, issued, NoteVoid(reason="Mauvais numéro de série"), clock.now())
    for statement in (
        "UPDATE delivery_note SET signatory = 'X'",
        "DELETE FROM delivery_note",
        "UPDATE delivery_note_void SET reason = 'autre'",
        "DELETE FROM delivery_note_void",
    ):
        with pytest.raises(Exception, match="append-only"):
            with db.write(engine) as s:
                s.execute(text(statement))


# --- voiding ---------------------------------------------------------------------------------------


def test_voiding_needs_a_reason_and_a_note_in_force(engine, delivery, clock):
    with pytest.raises(ValidationError) as invalid:
        NoteVoid(reason="  ")
    assert field_errors(invalid.value) == {"reason": "is required: say in a few words why"}
    message = refused(engine, d.void_note, delivery, NoteVoid(reason="Erreur"), clock.now())
    assert message == "No delivery note is in force for this delivery: there is nothing to void."


def test_a_voided_note_prints_void_keeps_its_number_and_the_next_one_refers_to_it(engine, paths, issued, clock):
    first = d.get_delivery(engine, issued).note
    clock.advance(timedelta(days=1))
    d.void_note(engine, issued, NoteVoid(reason="Mauvais numéro de série sur le NAS"), clock.now())
    view = d.get_delivery(engine, issued)
    assert view.note is None and [n.number for n, _v in view.voided] == ["BL-2026-0001"]

    files = dn.export_note_by_id(engine, paths.exports, first.id)
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown.startswith(
        "# VOID\n\n**This delivery note was voided on Tuesday 24 November 2026: Mauvais numéro de série sur le NAS**\n"
    )
    assert "# Delivery note BL-2026-0001" in markdown
    pdf = pdf_text(files.pdf)
    assert pdf.startswith("VOID\n")
    assert "voided on Tuesday 24 November 2026: Mauvais numéro de série sur le NAS" in " ".join(pdf.split())

    # The checklist opens again; the correction is issued under the next number.
    d.update_item(engine, view.items[0].id, ItemCreate(description="NAS Synology DS923+", serial="2350QWR09999"))
    second = d.issue_note(engine, issued, NoteIssue(signatory="Sophie Martin"), clock.now())
    assert second.number == "BL-2026-0002" and second.replaces_note_id == first.id
    text = dn.export_note(engine, paths.exports, issued).markdown.read_text(encoding="utf-8")
    assert "| Replaces | BL-2026-0001 (void) |" in text and "2350QWR09999" in text
    assert not text.startswith("# VOID")


def test_numbering_stays_gap_free_with_voids(engine, sample, clock):
    provide(engine)
    numbers = []
    for code in ("BOUL", "DENT"):
        delivery = d.open_delivery(engine, make_engagement(engine, sample[code], clock.now()), clock.now())
        passed_test(engine, delivery)
        d.add_item(engine, delivery, ItemCreate(description="Poste"))
        numbers.append(d.issue_note(engine, delivery, NoteIssue(signatory="X"), clock.now()).number)
        d.void_note(engine, delivery, NoteVoid(reason="Signataire erroné"), clock.now())
        numbers.append(d.issue_note(engine, delivery, NoteIssue(signatory="Y"), clock.now()).number)
    assert numbers == ["BL-2026-0001", "BL-2026-0002", "BL-2026-0003", "BL-2026-0004"]
    with db.read(engine) as s:
        # The sample's delivered engagement holds a note of the year before.
        assert sorted(s.scalars(select(DeliveryNote.seq).where(DeliveryNote.year == 2026))) == [1, 2, 3, 4]
        assert s.get(NoteCounter, 2026).last_seq == 4


def test_a_waiver_by_the_technician_alone_prints_as_the_providers_reservation(engine, paths, delivery, clock):
    failed = d.add_test(engine, delivery, TestLineCreate(description="Alerte par SMS"))
    d.set_test_result(engine, failed, "failed")
    d.waive_test(engine, failed, Waiver(reason="Module SMS livré plus tard", client_name="ignored"))
    d.add_item(engine, delivery, ItemCreate(description="NAS"))
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    content = note_in_force(engine, delivery).content
    assert content["tests"][0]["waiver"] == "Provider's reservation: Module SMS livré plus tard"
    assert content["partners"] == [] and content["change_requests"] == []


# --- migration 0002 carries existing data over ------------------------------------------------


def test_migration_0002_freezes_existing_notes_and_makes_existing_waivers_the_technicians(tmp_path):
    path = tmp_path / "old.db"
    engine = database_at(path, "0001")
    con = sqlite3.connect(path)
    con.executescript("""
        INSERT INTO client (id, name, code, status, address, postcode, city, country, timezone, notes, created_at)
        VALUES (1, 'Boulangerie Martin', 'BOUL', 'active', '3 rue du Four', '44000', 'Nantes', 'FR',
                'Europe/Paris', '', '2026-01-05 09:00:00.000000');
        INSERT INTO engagement (id, client_id, title, description, technologies, status, proposed_at)
        VALUES (1, 1, 'NAS', '', '["Synology DSM"]', 'accepted', '2026-11-01 09:00:00.000000');
        INSERT INTO delivery (id, engagement_id, created_at, tests_waived_reason, documents_waived_reason)
        VALUES (1, 1, '2026-11-20 09:00:00.000000', NULL, 'Docs sent by the vendor');
        INSERT INTO delivery_test (id, delivery_id, description, result, note, waived_reason)
        VALUES (1, 1, 'Restore', 'passed', '', NULL), (2, 1, 'SMS alert', 'failed', '', 'No SMS plan yet');
        INSERT INTO delivery_item (id, delivery_id, description, quantity, serial) VALUES (1, 1, 'NAS DS923+', 1, 'SN1');
        INSERT INTO delivery_note (id, delivery_id, number, year, seq, issued_at, signatory, warranty_months, ip_statement)
        VALUES (1, 1, 'BL-2026-0001', 2026, 1, '2026-11-20 23:30:00.000000', 'Sophie Martin', 12, 'The client owns it.');
        INSERT INTO note_counter (year, last_seq) VALUES (2026, 1);
    """)
    con.commit()
    con.close()

    upgrade(engine, "0002", foreign_keys=False)

    con = sqlite3.connect(path)
    assert con.execute("SELECT id, waived_by FROM delivery_test ORDER BY id").fetchall() == [
        (1, None),
        (2, "technician"),
    ]
    assert con.execute(
        "SELECT tests_waived_by, documents_waived_by, documents_waived_reason FROM delivery"
    ).fetchall() == [(None, "technician", "Docs sent by the vendor")]
    number, signatory = con.execute("SELECT number, signatory FROM delivery_note").fetchone()
    assert (number, signatory) == ("BL-2026-0001", "Sophie Martin")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE delivery_note SET signatory = 'X'")
    con.close()

    from msptui.store.delivery_notes import read_note

    upgrade(engine, "head")  # today's models read today's schema; 0002's freezing must survive it
    record = read_note(engine, 1)
    assert record.content["issued_on"] == "2026-11-21"  # 23:30 UTC is the next day in Paris
    assert record.content["tests"][1] == {
        "description": "SMS alert",
        "result": "Failed",
        "note": "",
        "waiver": "Provider's reservation: No SMS plan yet",
    }
    assert record.content["documents_waiver"] == "Provider's reservation: Docs sent by the vendor"
    assert record.content["items"] == [{"description": "NAS DS923+", "quantity": 1, "serial": "SN1"}]
    markdown = dn.note_markdown(record.content)
    assert "Provider's identity not recorded on this note" in markdown
    assert "12 months from 2026-11-21, until 2027-11-21." in markdown  # frozen by the migration, as worded then
    engine.dispose()


def test_the_handover_pack_says_which_notes_were_voided_and_who_decided_each_waiver(
    engine, paths, issued, sample, clock
):
    from msptui.store.files.handover import write_handover_pack

    d.void_note(engine, issued, NoteVoid(reason="Mauvais signataire"), clock.now())
    d.issue_note(engine, issued, NoteIssue(signatory="Paul Martin"), clock.now())
    text = write_handover_pack(engine, paths.exports, sample["BOUL"], clock.now()).markdown.read_text(encoding="utf-8")
    assert "BL-2026-0001 (void: Mauvais signataire), BL-2026-0002." in text
    assert (
        "| Alerte par SMS | Failed | - | Accepted by the client (Sophie Martin, 20 Nov 2026, signed form): Pas d'abonnement SMS pour l'instant |"
        in text
    )
