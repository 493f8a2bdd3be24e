"""satisfaction: the client's score at a ticket's close or a delivery, or "not asked"

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08

Part of "Client service reports, satisfaction, and the monthly review" (issue 17).
A new table only; append-only like the other records of what a client said.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# What a client said never changes (a correction is a new row superseding the old).
APPEND_ONLY = ("satisfaction",)


def upgrade() -> None:
    op.create_table('satisfaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('delivery_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('given_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('asked_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('recorded_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(ticket_id IS NULL) <> (delivery_id IS NULL)', name='ck_satisfaction_one_occasion'),
    sa.CheckConstraint('score IS NULL OR (score >= 1 AND score <= 5)', name='ck_satisfaction_score'),
    sa.CheckConstraint('length(comment) <= 1000', name='ck_satisfaction_comment_length'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['satisfaction.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('supersedes_id')
    )
    with op.batch_alter_table('satisfaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_ticket_id'), ['ticket_id'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    with op.batch_alter_table('satisfaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_satisfaction_delivery_id'))
        batch_op.drop_index(batch_op.f('ix_satisfaction_client_id'))

    op.drop_table('satisfaction')
