"""Where the parts of "records that tell the truth" meet: the delivery note carries the
engagement's partner and agreed changes, and delivering asks the competence check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pypdf import PdfReader

from msptui.store import deliveries as d
from msptui.store import engagements
from msptui.store.clients import RefusedError
from msptui.store.files.delivery_note import export_note_by_id
from msptui.store.schemas.deliveries import ItemCreate, NoteIssue
from msptui.store.schemas.engagements import ChangeAgreement, EngagementUpdate
from tests.delivery_fixtures import fill_checklist, make_engagement, passed_test, provide


def test_the_note_prints_the_partner_its_competence_how_the_client_was_told_and_each_agreed_change(
    engine, paths, sample, clock
):
    with engine.begin() as conn:  # an English note (a French address gives a French one: test_documents_french.py)
        conn.exec_driver_sql("UPDATE client SET language = 'en' WHERE id = ?", (sample["BOUL"],))
    eid = make_engagement(engine, sample["BOUL"], clock.now(), status="accepted_with_partner")
    detail = engagements.engagement_detail(engine, eid)
    e = detail.engagement
    engagements.update_engagement(
        engine,
        eid,
        EngagementUpdate(
            title=e.title,
            description=e.description,
            technologies=e.technologies,
            contract_id=e.contract_id,
            price="1850.00",
        ),
        clock.now(),
        ChangeAgreement(
            change_reason="A second NAS for the annex",
            agreed_by="Sophie Martin",
            agreed_on=clock.now().date(),
            agreed_how="email",
        ),
    )
    delivery = d.open_delivery(engine, eid, clock.now())
    provide(engine)
    passed_test(engine, delivery)
    d.add_item(engine, delivery, ItemCreate(description="NAS Synology DS923+"))
    note = d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    files = export_note_by_id(engine, paths.exports, note.id)
    markdown, pdf = files.markdown, files.pdf
    for text in (markdown.read_text(encoding="utf-8"), "\n".join(p.extract_text() for p in PdfReader(pdf).pages)):
        flat = " ".join(text.split())
        assert (
            "Câblage Ouest SARL: Câblage réseau (disclosed to Sophie Martin on 2026-11-23 by e-mail)"
            in flat.replace("\\", "")
        )
        assert "Price: not set -> 1850.00" in flat.replace("\\", "")
        assert "agreed by Sophie Martin on 23 Nov 2026 by e-mail" in flat


def test_delivering_is_refused_on_a_stale_check_and_nothing_is_marked(engine, sample, clock):
    eid = make_engagement(engine, sample["BOUL"], clock.now())
    delivery = d.open_delivery(engine, eid, clock.now())
    fill_checklist(engine, delivery, clock.now())
    detail = engagements.engagement_detail(engine, eid)
    e = detail.engagement
    engagements.update_engagement(  # a technology added after the check: the check is about another project
        engine,
        eid,
        EngagementUpdate(
            title=e.title,
            description=e.description,
            technologies=[*e.technologies, "Active Directory"],
            contract_id=e.contract_id,
        ),
        clock.now() + timedelta(minutes=1),
    )
    with pytest.raises(RefusedError, match="technologies changed since the check in force.*before delivering"):
        d.mark_delivered(engine, delivery, clock.now() + timedelta(minutes=2))
    assert d.get_delivery(engine, delivery).delivery.delivered_at is None
    assert engagements.engagement_detail(engine, eid).engagement.status == "accepted"
