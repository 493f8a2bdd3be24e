"""A sample delivery in progress, so the checklist has something to show on the sample data.

It goes on the first sample engagement in progress (else accepted) that has no
delivery yet: most tests passed, one not run, items listed, one document
handed over and one still to give, and no delivery note yet, so a new user can
finish it, issue the note and mark it delivered. Nothing is added when there
is no such engagement.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import col

from msptui.store import db
from msptui.store.models import Delivery, DeliveryDocument, DeliveryItem, DeliveryTest, Engagement, saved_id

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
