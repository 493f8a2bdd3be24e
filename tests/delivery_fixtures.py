"""Helpers shared by the delivery tests: accepted engagements and a delivery ready to close.

Engagements go through the engagements module (proposal, competence check,
status change), as a user's would.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from msptui.store import db
from msptui.store.models import Contract, Engagement
from msptui.store.schemas.deliveries import DocumentCreate, ItemCreate, NoteIssue, TestLineCreate
from msptui.store.schemas.provider import ProviderIdentityInput


def make_engagement(
    engine,
    client_id: int,
    now: datetime,
    *,
    status: str = "accepted",
    title: str = "Serveur de fichiers NAS",
    with_contract: bool = True,
) -> int:
    """An engagement of the client (on its first contract) brought to `status` the way a user would:
    proposed, then a competence check's decision, then a status change. Falls back to a plain row
    while the engagements module does not exist."""
    with db.read(engine) as s:
        contract_id = (
            s.scalars(select(Contract.id).where(Contract.client_id == client_id)).first() if with_contract else None
        )
    try:
        from msptui.store import engagements
    except ImportError:
        return _engagement_row(engine, client_id, contract_id, now, status, title)
    from msptui.store.schemas.engagements import CompetenceCheckInput, EngagementCreate

    engagement_id = engagements.create_engagement(
        engine,
        EngagementCreate(client_id=client_id, contract_id=contract_id, title=title, technologies=["Synology DSM"]),
        now,
    )
    if status in ("accepted", "in_progress"):
        engagements.record_check(engine, engagement_id, CompetenceCheckInput(**CLEAR_YES, decision="accept"), now)
    elif status == "accepted_with_partner":
        fields = CompetenceCheckInput.model_fields
        # The disclosure as the engagements module records it (to whom, when, how), or its older flag.
        disclosure = (
            dict(
                partner_competence="Câblage réseau",
                disclosed_to="Sophie Martin",
                disclosed_on=now.date(),
                disclosed_how="email",
            )
            if "disclosed_to" in fields
            else dict(partner_disclosed_to_client=True)
        )
        check = CompetenceCheckInput(
            **{**CLEAR_YES, "know_how": "partly"},
            decision="accept_with_partner",
            partner_name="Câblage Ouest SARL",
            **disclosure,
        )
        engagements.record_check(engine, engagement_id, check, now)
    if status in ("in_progress", "cancelled"):
        engagements.set_status(engine, engagement_id, status, now)
    return engagement_id


CLEAR_YES = dict(
    familiarity="yes",
    familiarity_evidence="Synology DSM administré chez trois clients.",
    prior_projects="yes",
    prior_projects_evidence="NAS du cabinet Fournier en 2025.",
    know_how="yes",
    know_how_evidence="Certification Synology SCNA.",
)


def _engagement_row(engine, client_id, contract_id, now, status, title) -> int:  # noqa: ANN001
    with db.write(engine) as s:
        row = Engagement(
            client_id=client_id,
            contract_id=contract_id,
            title=title,
            technologies=["Synology DSM"],
            status=status,
            proposed_at=now,
            decided_at=now,
        )
        s.add(row)
        s.flush()
        return row.id


PROVIDER = ProviderIdentityInput(
    trade_name="Durand Informatique",
    address="4 rue des Tanneurs, 67000 Strasbourg",
    company_number="732 829 320 00074",
    vat_number="FR44732829320",
    contact="contact@durand-info.fr, 03 88 00 00 00",
)


def provide(engine) -> None:
    """The provider's identity, as set once in the settings screen."""
    from msptui.store.provider import set_provider_identity

    set_provider_identity(engine, PROVIDER)


def passed_test(engine, delivery_id: int, description: str = "Restauration de la sauvegarde") -> int:
    """A test run and passed: the tests are then settled (if no other test is pending)."""
    from msptui.store import deliveries as d

    test = d.add_test(engine, delivery_id, TestLineCreate(description=description))
    d.set_test_result(engine, test, "passed")
    return test


def deliveries_ready_for_a_note(engine, client_id: int, now: datetime, count: int) -> list[int]:
    """`count` deliveries, each with a passed test and one item: a note can be issued for each."""
    from msptui.store import deliveries as d

    provide(engine)
    ready = []
    for n in range(count):
        delivery = d.open_delivery(engine, make_engagement(engine, client_id, now, title=f"Lot {n}"), now)
        passed_test(engine, delivery)
        d.add_item(engine, delivery, ItemCreate(description=f"Poste {n}"))
        ready.append(delivery)
    return ready


def fill_checklist(engine, delivery_id: int, now: datetime, *, signatory: str = "Sophie Martin") -> None:
    """Tests passed, items listed, documentation confirmed, note issued: ready to close."""
    from msptui.store import deliveries as d

    provide(engine)
    passed_test(engine, delivery_id)
    d.add_item(engine, delivery_id, ItemCreate(description="NAS Synology DS923+", quantity=1, serial="2350QWR01234"))
    doc = d.add_document(engine, delivery_id, DocumentCreate(title="Guide d'administration", given_as="printed"))
    d.toggle_document(engine, doc, now)
    d.issue_note(engine, delivery_id, NoteIssue(signatory=signatory), now)
