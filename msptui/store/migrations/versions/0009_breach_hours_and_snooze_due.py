"""breach notification hours kept on the record; a snooze holds for one due instant

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Review of issue 18. A breach's notification delay is kept on its record when recorded
(editing the contract later moves no countdown): existing records get their contract's
delay as it stands now, or GDPR art. 33's 72 hours without a contract. A snooze keeps the
item's due instant and holds for that due only; existing snoozes have none and match no
item any more (their items show again, nothing stays hidden by a reused id).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import msptui.store.types


revision: str = '0009'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# The append-only triggers of 0008 on the tables changed here: lifted for the backfill
# (and a table rebuilt by SQLite's batch mode loses its triggers), then put back.
APPEND_ONLY = ("snooze", "data_breach")


def _triggers(create: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()}")
            if create:
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def upgrade() -> None:
    _triggers(create=False)
    with op.batch_alter_table('snooze', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', msptui.store.types.UTCDateTime(), nullable=True))

    with op.batch_alter_table('data_breach', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notification_hours', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE data_breach SET notification_hours = COALESCE("
        "(SELECT contract.breach_notification_hours FROM contract WHERE contract.id = data_breach.contract_id), 72)"
    )
    with op.batch_alter_table('data_breach', schema=None) as batch_op:
        batch_op.alter_column('notification_hours', existing_type=sa.Integer(), nullable=False)
    _triggers(create=True)


def downgrade() -> None:
    _triggers(create=False)
    with op.batch_alter_table('data_breach', schema=None) as batch_op:
        batch_op.drop_column('notification_hours')

    with op.batch_alter_table('snooze', schema=None) as batch_op:
        batch_op.drop_column('due_at')
    _triggers(create=True)
