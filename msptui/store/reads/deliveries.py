"""The list of deliveries: what is in progress, what is ready to open, delivered, cancelled, former clients."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import col

from msptui.core.vocabulary import EngagementStatus
from msptui.store import db
from msptui.store.deliveries import DELIVERABLE, _note_of, _view
from msptui.store.models import Client, Delivery, Engagement, saved_id


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """One line of the deliveries list.

    stage: "in_progress" (a delivery is open), "to_open" (an accepted engagement
    without delivery), "delivered", "cancelled" (an engagement), or "former"
    (a former client, for its handover pack; engagement fields are then None).
    """

    stage: str
    client_id: int
    client_name: str
    engagement_id: int | None = None
    engagement_title: str = ""
    delivery_id: int | None = None
    progress: tuple[int, int] | None = None
    note_number: str | None = None
    when: datetime | None = None


STAGE_ORDER = {"in_progress": 0, "to_open": 1, "delivered": 2, "cancelled": 3, "former": 4}


def deliveries_overview(engine: Engine, delivered_limit: int = 50) -> list[DeliveryRow]:
    """Open deliveries, accepted engagements (any of the accepted statuses) ready for one, the latest delivered ones,
    cancelled engagements and former clients (the last two for handover packs)."""
    rows: list[DeliveryRow] = []
    with db.read(engine) as s:
        latest = {
            e_id: d_id
            for e_id, d_id in s.execute(
                select(col(Delivery.engagement_id), func.max(Delivery.id)).group_by(col(Delivery.engagement_id))
            )
        }
        stmt = (
            select(Engagement, Client)
            .join(Client, col(Client.id) == Engagement.client_id)
            .where(col(Engagement.status).in_([*DELIVERABLE, EngagementStatus.delivered, EngagementStatus.cancelled]))
        )
        delivered = 0
        for engagement, client in s.execute(stmt.order_by(col(Engagement.delivered_at).desc(), col(Engagement.id))):
            engagement_id = saved_id(engagement)
            delivery_id = latest.get(engagement_id)
            # The row as "to_open"; the other stages are this row with their own fields.
            base = DeliveryRow(
                "to_open",
                client_id=saved_id(client),
                client_name=client.name,
                engagement_id=engagement_id,
                engagement_title=engagement.title,
                delivery_id=delivery_id,
            )
            if engagement.status == EngagementStatus.cancelled:
                rows.append(replace(base, stage="cancelled", when=engagement.cancelled_at))
            elif engagement.status == EngagementStatus.delivered:
                delivered += 1
                if delivered <= delivered_limit:
                    note = _note_of(s, delivery_id) if delivery_id else None
                    rows.append(
                        replace(
                            base,
                            stage="delivered",
                            note_number=note.number if note else None,
                            when=engagement.delivered_at,
                        )
                    )
            elif delivery_id is None:
                rows.append(base)
            else:
                view = _view(s, delivery_id)
                rows.append(
                    replace(
                        base,
                        stage="in_progress",
                        progress=view.readiness.progress if view.readiness else None,
                        note_number=view.note.number if view.note else None,
                        when=view.delivery.created_at,
                    )
                )
        for client in s.scalars(select(Client).where(col(Client.status) == "former").order_by(col(Client.name))):
            rows.append(DeliveryRow("former", client_id=saved_id(client), client_name=client.name))
    rows.sort(key=lambda r: (STAGE_ORDER[r.stage], r.client_name.lower(), r.engagement_title.lower()))
    return rows
