"""Handover pack: what another provider receives when a client leaves or a project is cancelled."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import select

from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.clients import RefusedError
from msptui.store.files import delivery_note
from msptui.store.files.handover import handover_data, write_handover_pack
from msptui.store.models import (
    Client,
    Contact,
    Contract,
    CoveredAsset,
    Delivery,
    DeliveryDocument,
    DeliveryItem,
    DeliveryNote,
    DeliveryTest,
    Engagement,
    GdprProcessing,
    Secret,
    SlaTarget,
    ThirdParty,
    Ticket,
    TicketEvent,
)
from tests.delivery_fixtures import fill_checklist, make_engagement

SECRET_VALUE = "Tr0ub4dor&3-cabinet"


@pytest.fixture
def leaving_client(engine, sample, clock, paths):
    """The dental practice: open tickets, a closed one, a delivered project with its note exported,
    a cancelled project, and a secret whose value sits in the keyring."""
    client_id = sample["DENT"]
    with db.write(engine) as s:  # English documents (a French address gives French ones: test_documents_french.py)
        s.get(Client, client_id).language = "en"
    done = d.open_delivery(
        engine, make_engagement(engine, client_id, clock.now(), title="NAS | sauvegarde"), clock.now()
    )
    fill_checklist(engine, done, clock.now(), signatory="Dr Paul Lefèvre")
    d.mark_delivered(engine, done, clock.now())
    delivery_note.export_note(engine, paths.exports, done)
    cancelled = make_engagement(engine, client_id, clock.now(), title="Téléphonie IP", status="cancelled")
    with db.write(engine) as s:
        closed = Ticket(client_id=client_id, title="Ancien incident clos", status="closed", opened_at=clock.now())
        s.add(closed)
    from msptui.store.secrets import SecretCreate, add_secret

    add_secret(
        engine,
        client_id,
        SecretCreate(label="Console NAS admin", username="admin", location="https://nas.local"),
        SECRET_VALUE,
        clock.now(),
    )
    return client_id, cancelled


def dumped(rows) -> list[dict]:
    return [r.model_dump(mode="json") for r in rows]


def test_the_pack_json_loads_back_and_matches_the_database(engine, paths, clock, leaving_client):
    client_id, cancelled = leaving_client
    pack = write_handover_pack(engine, paths.exports, client_id, clock.now(), engagement_id=cancelled)
    data = json.loads(pack.json.read_text(encoding="utf-8"))

    with db.read(engine) as s:

        def rows(model, *where, order=None):  # noqa: ANN001, ANN202
            return dumped(s.scalars(select(model).where(*where).order_by(*(order or (model.id,)))))

        assert data["client"] == s.get(Client, client_id).model_dump(mode="json")
        assert data["contacts"] == rows(Contact, Contact.client_id == client_id)
        contracts = s.scalars(select(Contract).where(Contract.client_id == client_id)).all()
        assert [k["reference"] for k in data["contracts"]] == [k.reference for k in contracts]
        for k in data["contracts"]:
            parts = {
                name: k.pop(name) for name in ("covered_assets", "third_parties", "sla_targets", "gdpr_processing")
            }
            assert k == s.get(Contract, k["id"]).model_dump(mode="json")
            assert parts["covered_assets"] == rows(CoveredAsset, CoveredAsset.contract_id == k["id"])
            assert parts["third_parties"] == rows(ThirdParty, ThirdParty.contract_id == k["id"])
            assert parts["sla_targets"] == rows(
                SlaTarget, SlaTarget.contract_id == k["id"], order=(SlaTarget.priority,)
            )
            assert parts["gdpr_processing"] == rows(GdprProcessing, GdprProcessing.contract_id == k["id"])
            assert {p["name"] for p in parts["third_parties"]} >= {"ESET", "OVHcloud", "Dell Technologies"}

        open_tickets = s.scalars(
            select(Ticket)
            .where(Ticket.client_id == client_id, Ticket.status.not_in(["resolved", "closed"]))
            .order_by(Ticket.opened_at)
        ).all()
        assert len(open_tickets) >= 2
        assert [t["id"] for t in data["open_tickets"]] == [t.id for t in open_tickets]
        for t in data["open_tickets"]:
            events = t.pop("events")
            assert t == s.get(Ticket, t["id"]).model_dump(mode="json")
            assert events == rows(TicketEvent, TicketEvent.ticket_id == t["id"], order=(TicketEvent.at, TicketEvent.id))
            assert events[0]["kind"] == "opened"

        engagements = s.scalars(select(Engagement).where(Engagement.client_id == client_id)).all()
        assert sorted(e["id"] for e in data["engagements"]) == sorted(e.id for e in engagements)
        for e in data["engagements"]:
            deliveries = e.pop("deliveries")
            assert e == s.get(Engagement, e["id"]).model_dump(mode="json")
            for delivery in deliveries:
                parts = {name: delivery.pop(name) for name in ("tests", "items", "documents", "notes", "voids")}
                assert delivery == s.get(Delivery, delivery["id"]).model_dump(mode="json")
                assert parts["tests"] == rows(DeliveryTest, DeliveryTest.delivery_id == delivery["id"])
                assert parts["items"] == rows(DeliveryItem, DeliveryItem.delivery_id == delivery["id"])
                assert parts["documents"] == rows(DeliveryDocument, DeliveryDocument.delivery_id == delivery["id"])
                assert parts["notes"] == rows(DeliveryNote, DeliveryNote.delivery_id == delivery["id"])
                assert parts["voids"] == []
                if e["title"] == "NAS | sauvegarde":
                    assert [n["number"] for n in parts["notes"]] == ["BL-2026-0001"]

        secret = s.scalars(select(Secret).where(Secret.client_id == client_id)).one()
        assert data["secrets"] == [
            {"label": secret.label, "username": secret.username, "location": secret.location, "notes": secret.notes}
        ]
    assert data["engagement_id"] == cancelled
    assert data["format"] == "msptui-handover/1"
    assert data["provider"]["trade_name"] == "Durand Informatique"


def test_the_pack_never_holds_a_secret_value_nor_asks_the_keyring(
    engine, paths, clock, leaving_client, memory_keyring, monkeypatch
):
    client_id, _cancelled = leaving_client
    with db.read(engine) as s:
        keyring_key = s.scalars(select(Secret.keyring_key)).one()

    def refuse(*_args):  # noqa: ANN202
        raise AssertionError("the handover pack asked the keyring")

    monkeypatch.setattr(memory_keyring, "get_password", refuse)
    pack = write_handover_pack(engine, paths.exports, client_id, clock.now())

    written = [p.read_bytes() for p in pack.folder.rglob("*") if p.is_file()] + [pack.zip.read_bytes()]
    with zipfile.ZipFile(pack.zip) as archive:
        written += [archive.read(name) for name in archive.namelist()]
    for blob in written:
        assert SECRET_VALUE.encode() not in blob
        assert keyring_key.encode() not in blob
    assert "Console NAS admin" in pack.markdown.read_text(encoding="utf-8")


def test_the_pack_is_a_folder_and_a_zip_of_it_with_the_notes_already_exported(engine, paths, clock, leaving_client):
    client_id, _cancelled = leaving_client
    pack = write_handover_pack(engine, paths.exports, client_id, clock.now())
    assert pack.folder == paths.exports / "handover" / "DENT-20261123-100000"
    assert pack.zip == paths.exports / "handover" / "DENT-20261123-100000.zip"
    with zipfile.ZipFile(pack.zip) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "DENT-20261123-100000/handover.json",
            "DENT-20261123-100000/handover.md",
            "DENT-20261123-100000/notes/BL-2026-0001.md",
            "DENT-20261123-100000/notes/BL-2026-0001.pdf",
        ]
        assert archive.read("DENT-20261123-100000/handover.json") == pack.json.read_bytes()

    # A second pack in the same second never overwrites the first.
    again = write_handover_pack(engine, paths.exports, client_id, clock.now())
    assert again.folder.name == "DENT-20261123-100000-2"
    assert pack.json.exists()


def test_the_markdown_reads_as_a_handover(engine, paths, clock, leaving_client):
    client_id, cancelled = leaving_client
    text = write_handover_pack(
        engine, paths.exports, client_id, clock.now(), engagement_id=cancelled
    ).markdown.read_text(encoding="utf-8")
    assert text.startswith("# Handover pack: Cabinet Dentaire Lefèvre (DENT)\n")
    # Who hands it over, as on every document a client receives.
    assert "From:\n\nDurand Informatique  \n4 rue des Tanneurs, 67000 Strasbourg  \nSIRET 732 829 320 00074  \n" in text
    assert "VAT FR44732829320  \ncontact@durand-info.fr, 03 88 00 00 00  \n" in text
    assert "Prepared for the engagement: **Téléphonie IP** (cancelled)." in text
    for heading in (
        "## Client",
        "### Contacts",
        "## Contracts",
        "#### Third parties",
        "#### SLA targets",
        "#### GDPR processing",
        "## Open tickets",
        "## Engagements and deliveries",
        "## Secrets (labels only)",
    ):
        assert f"\n{heading}" in text
    assert "| Dr Paul Lefèvre | Praticien | cabinet@lefevre-dentaire.fr | 02 40 11 22 33 |" in text
    assert "### NAS \\| sauvegarde" in text  # user text stays literal
    assert "BL-2026-0001" in text
    assert "Ancien incident clos" not in text  # closed tickets are history, not handover
    assert "hand them over through a separate, secure channel" in text


def test_a_pack_for_an_unknown_client_or_another_clients_engagement_is_refused(engine, sample, clock):
    with pytest.raises(RefusedError):
        handover_data(engine, 10_000, clock.now())
    other = make_engagement(engine, sample["BOUL"], clock.now(), title="Autre client")
    with pytest.raises(RefusedError):
        handover_data(engine, sample["DENT"], clock.now(), engagement_id=other)
