"""out of hours: only the technician's work, surcharge only where the contract sells it

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Part of "Records that tell the truth" (issue 11). Carries existing data over.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# Frozen copies of the rule as it stood at this revision (msptui.core.rules.out_of_hours):
# a migration must give the same result whatever later code says.
_WORK = ("status",)
_DEFAULT_COVERED = ["P1"]
_TRIGGERS = ("ticket_event_no_update", "ticket_event_no_delete")

contract = sa.table(
    "contract",
    sa.column("id", sa.Integer), sa.column("out_of_hours_available", sa.Boolean),
    sa.column("out_of_hours_surcharge_pct", sa.Integer), sa.column("out_of_hours_priorities", sa.JSON),
)
sla_target = sa.table(
    "sla_target", sa.column("contract_id", sa.Integer), sa.column("priority", sa.String),
    sa.column("round_the_clock", sa.Boolean),
)
ticket = sa.table("ticket", sa.column("id", sa.Integer), sa.column("contract_id", sa.Integer))
ticket_event = sa.table(
    "ticket_event",
    sa.column("id", sa.Integer), sa.column("ticket_id", sa.Integer), sa.column("at", sa.DateTime),
    sa.column("kind", sa.String), sa.column("priority", sa.String), sa.column("out_of_hours", sa.Boolean),
    sa.column("hours_class", sa.String), sa.column("surcharge_pct", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("out_of_hours_priorities", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    with op.batch_alter_table("ticket_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hours_class", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="in_hours"))
        batch_op.add_column(sa.Column("surcharge_pct", sa.Integer(), nullable=False, server_default="0"))

    bind = op.get_bind()
    covered = _carry_contracts_over(bind)
    sqlite = bind.dialect.name == "sqlite"
    # ticket_event is append-only (0001's triggers). Reclassifying the events recorded
    # under the old rule is the one sanctioned change: the triggers are dropped for
    # this data fix only, inside the migration, and put back as they were.
    if sqlite:
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    _reclassify_events(bind, covered)
    if sqlite:
        for table in ("ticket_event",):
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def _carry_contracts_over(bind) -> dict[int, tuple[int, list[str]]]:
    """Existing contracts offering out-of-hours service keep it for the priorities whose
    SLA runs round the clock, or P1 when none does; returns {contract id: (surcharge, covered)}
    for those contracts."""
    round_the_clock: dict[int, list[str]] = {}
    for contract_id, priority in bind.execute(
        sa.select(sla_target.c.contract_id, sla_target.c.priority).where(sla_target.c.round_the_clock == sa.true())
    ):
        round_the_clock.setdefault(contract_id, []).append(priority)
    offering: dict[int, tuple[int, list[str]]] = {}
    for contract_id, pct in bind.execute(
        sa.select(contract.c.id, contract.c.out_of_hours_surcharge_pct).where(contract.c.out_of_hours_available == sa.true())
    ):
        covered = sorted(round_the_clock.get(contract_id, [])) or list(_DEFAULT_COVERED)
        offering[contract_id] = (pct or 0, covered)
        bind.execute(contract.update().where(contract.c.id == contract_id).values(out_of_hours_priorities=covered))
    return offering


def _reclassify_events(bind, offering: dict[int, tuple[int, list[str]]]) -> None:
    """Events flagged out of hours under the old rule: an opening, a note or a priority
    change is not the technician's work (never out of hours); a change of status is
    surcharged at the contract's present percent (the only one known) if the contract
    offers the service for the ticket's priority at that moment, else outside the contract."""
    bind.execute(
        ticket_event.update()
        .where(ticket_event.c.out_of_hours == sa.true(), ticket_event.c.kind.not_in(_WORK))
        .values(out_of_hours=False)
    )
    flagged_tickets = sa.select(ticket_event.c.ticket_id).where(ticket_event.c.out_of_hours == sa.true()).distinct()
    rows = bind.execute(
        sa.select(ticket_event.c.id, ticket_event.c.ticket_id, ticket_event.c.kind, ticket_event.c.priority,
                  ticket_event.c.out_of_hours, ticket.c.contract_id)
        .join(ticket, ticket.c.id == ticket_event.c.ticket_id)
        .where(ticket_event.c.ticket_id.in_(flagged_tickets))
        .order_by(ticket_event.c.ticket_id, ticket_event.c.at, ticket_event.c.id)
    ).all()
    priority_now: dict[int, str] = {}
    for event_id, ticket_id, kind, priority, flagged, contract_id in rows:
        if priority is not None:
            priority_now[ticket_id] = priority
        if not flagged:
            continue
        terms = offering.get(contract_id)
        if terms is not None and priority_now.get(ticket_id) in terms[1]:
            values = {"hours_class": "surcharged", "surcharge_pct": terms[0]}
        else:
            values = {"hours_class": "outside_contract", "surcharge_pct": 0}
        bind.execute(ticket_event.update().where(ticket_event.c.id == event_id).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("ticket_event", schema=None) as batch_op:
        batch_op.drop_column("surcharge_pct")
        batch_op.drop_column("hours_class")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_column("out_of_hours_priorities")
