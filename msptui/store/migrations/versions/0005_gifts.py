"""gifts and offers: what, by whom, when, and what the technician did

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Part of "Records that tell the truth" (issue 11). Carries existing data over.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


conflict = sa.table(
    "conflict_disclosure",
    sa.column("kind", sa.String), sa.column("identified_at", sa.DateTime),
    sa.column("offered_at", sa.DateTime), sa.column("gift_action", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("conflict_disclosure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offered_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("offered_at", msptui.store.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("gift_action", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("gift_policy", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))
    # Every gift recorded so far was recorded as refused: it stays so, offered when it was
    # identified; who offered it was never asked, so it stays blank ("not recorded").
    op.get_bind().execute(
        conflict.update()
        .where(conflict.c.kind == "gift_or_bribe")
        .values(gift_action="refused", offered_at=conflict.c.identified_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("conflict_disclosure", schema=None) as batch_op:
        batch_op.drop_column("gift_policy")
        batch_op.drop_column("gift_action")
        batch_op.drop_column("offered_at")
        batch_op.drop_column("offered_by")
