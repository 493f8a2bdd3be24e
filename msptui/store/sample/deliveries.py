"""Sample deliveries: one in progress, and the closed checklist of every delivered engagement.

The one in progress goes on the first sample engagement in progress (else
accepted) that has no delivery yet: most tests passed, one not run, items
listed, one document handed over and one still to give, and no delivery note
yet, so a new user can finish it, issue the note and mark it delivered.
Nothing is added when there is no such engagement.

An engagement is delivered only from its checklist, so each delivered sample
engagement gets one as the checklist would have left it: every test passed,
every document handed over, and a delivery note issued (numbered, its content
frozen) before it was marked delivered.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from msptui.core.rules.delivery import format_note_number
from msptui.core.rules.provider import ProviderIdentity, provider_lines
from msptui.core.vocabulary import EngagementStatus
from msptui.store import db
from msptui.store.models import (
    Delivery,
    DeliveryDocument,
    DeliveryItem,
    DeliveryNote,
    DeliveryTest,
    Engagement,
    NoteCounter,
    saved_id,
)

TESTS = [
    ("Sauvegarde complète du serveur de fichiers", "passed", "2 h 10 min, 412 Go"),
    ("Restauration d'un acte numérisé pris au hasard", "passed", "Acte 2019-0412 restauré et ouvert"),
    ("Copie externalisée chiffrée vers OVHcloud", "passed", ""),
    ("Alerte par courriel en cas d'échec", "pending", ""),
]
ITEMS = [
    ("Veeam Backup & Replication, licence 1 an", 1, "v12.3"),
    ("NAS Synology DS923+", 1, "2350QWR01234"),
    ("Disque Seagate IronWolf 8 To", 4, ""),
]
DOCUMENTS = [
    ("Procédure de restauration pas à pas", "file", r"\\srv-etude\docs\restauration.pdf", True),
    ("Plan de sauvegarde (planning, rétention)", "printed", "à remettre à Mme Weber", False),
]


# The closed checklist of the delivered sample engagement (the mail migration of the dental practice).
DELIVERED_TESTS = [
    ("Envoi et réception depuis chaque boîte", "6 boîtes sur 6"),
    ("Archives POP importées et consultables", "12 400 messages"),
    ("Messagerie sur les smartphones du cabinet", ""),
    ("Enregistrements MX, SPF et DKIM vérifiés", ""),
]
DELIVERED_ITEMS = [
    ("Licences Microsoft 365 Business Standard", 6, "abonnement annuel"),
    ("Boîtes aux lettres migrées vers Exchange Online", 6, ""),
]
DELIVERED_DOCUMENTS = [
    ("Guide de connexion à Outlook et au webmail", "printed", "remis au Dr Paul Lefèvre"),
    ("Fiche des enregistrements DNS du domaine", "file", r"\\srv-cabinet\docs\dns-lefevre.pdf"),
]
DELIVERED_SIGNATORY = "Dr Paul Lefèvre"
# Who issued the sample note, as printed on it then. The user's own identity (Settings) is not set by
# the sample: a note issued on the sample data asks for it first.
SAMPLE_PROVIDER = ProviderIdentity(
    trade_name="Votre entreprise (données d'exemple)",
    address="1 place de l'Exemple\n67000 Strasbourg",
    company_number="123 456 789 00007",  # a valid key, no real company's
    vat_number="",
    contact="contact@exemple.fr",
)


def load_sample_deliveries(engine: Engine, now: datetime) -> int | None:
    """Open the sample delivery (one transaction); returns its id, or None when no engagement fits."""
    with db.write(engine) as s:
        delivered_on = select(col(Delivery.engagement_id))
        engagement = None
        for status in ("in_progress", "accepted"):
            engagement = s.scalars(
                select(Engagement)
                .where(col(Engagement.status) == status, col(Engagement.id).not_in(delivered_on))
                .order_by(col(Engagement.id))
            ).first()
            if engagement is not None:
                break
        if engagement is None:
            return None
        delivery = Delivery(engagement_id=saved_id(engagement), created_at=now - timedelta(hours=3))
        s.add(delivery)
        s.flush()
        delivery_id = saved_id(delivery)
        s.add_all(DeliveryTest(delivery_id=delivery_id, description=d, result=r, note=n) for d, r, n in TESTS)
        s.add_all(DeliveryItem(delivery_id=delivery_id, description=d, quantity=q, serial=v) for d, q, v in ITEMS)
        s.add_all(
            DeliveryDocument(
                delivery_id=delivery_id,
                title=t,
                given_as=g,
                location=where,
                confirmed_at=now - timedelta(hours=1) if confirmed else None,
            )
            for t, g, where, confirmed in DOCUMENTS
        )
        return delivery_id


def load_delivered_checklists(engine: Engine) -> list[int]:
    """Give each delivered engagement without a delivery its closed checklist and issued note
    (one transaction); returns the delivery ids."""
    added: list[int] = []
    with db.write(engine) as s:
        delivered = s.scalars(
            select(Engagement)
            .where(
                col(Engagement.status) == EngagementStatus.delivered.value,
                col(Engagement.id).not_in(select(col(Delivery.engagement_id))),
                col(Engagement.delivered_at).is_not(None),
            )
            .order_by(col(Engagement.delivered_at))
        ).all()
        for engagement in delivered:
            delivered_at = engagement.delivered_at
            assert delivered_at is not None  # filtered above; says so to the type checker
            delivery = Delivery(
                engagement_id=saved_id(engagement),
                created_at=delivered_at - timedelta(days=2),
                delivered_at=delivered_at,
            )
            s.add(delivery)
            s.flush()
            delivery_id = saved_id(delivery)
            s.add_all(
                DeliveryTest(delivery_id=delivery_id, description=d, result="passed", note=n)
                for d, n in DELIVERED_TESTS
            )
            s.add_all(
                DeliveryItem(delivery_id=delivery_id, description=d, quantity=q, serial=v)
                for d, q, v in DELIVERED_ITEMS
            )
            s.add_all(
                DeliveryDocument(
                    delivery_id=delivery_id,
                    title=t,
                    given_as=g,
                    location=where,
                    confirmed_at=delivered_at - timedelta(hours=3),
                )
                for t, g, where in DELIVERED_DOCUMENTS
            )
            s.flush()
            _issue_sample_note(s, delivery_id, delivered_at - timedelta(hours=2))
            added.append(delivery_id)
    return added


def _issue_sample_note(s: Session, delivery_id: int, issued_at: datetime) -> None:
    """The note as `delivery_notes.issue_note` would have issued it at `issued_at`: the next number
    of that year (the counter moved on too), its content frozen from the checklist."""
    from msptui.store.deliveries import _view
    from msptui.store.delivery_notes import _changes, _partners, ip_statement, note_content

    view = _view(s, delivery_id)
    zone = ZoneInfo(view.client.timezone)
    year = issued_at.astimezone(zone).year
    counter = s.get(NoteCounter, year)
    if counter is None:
        counter = NoteCounter(year=year, last_seq=0)
        s.add(counter)
    highest = s.scalar(select(func.max(DeliveryNote.seq)).where(col(DeliveryNote.year) == year)) or 0
    counter.last_seq = seq = max(counter.last_seq, highest) + 1
    number = format_note_number(year, seq)
    warranty_months = view.contract.warranty_months if view.contract else 0
    ip = ip_statement(view.contract)
    s.add(
        DeliveryNote(
            delivery_id=delivery_id,
            number=number,
            year=year,
            seq=seq,
            issued_at=issued_at,
            signatory=DELIVERED_SIGNATORY,
            warranty_months=warranty_months,
            ip_statement=ip,
            content=note_content(
                view,
                number=number,
                issued_on=issued_at.astimezone(zone).date(),
                signatory=DELIVERED_SIGNATORY,
                provider=provider_lines(SAMPLE_PROVIDER),
                warranty_months=warranty_months,
                ip=ip,
                replaces=None,
                partners=_partners(s, saved_id(view.engagement)),
                changes=_changes(s, saved_id(view.engagement)),
            ),
        )
    )
    view.delivery.signatory = DELIVERED_SIGNATORY
