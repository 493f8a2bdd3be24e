"""coming due: recurring tasks and their occurrences, renewals, snoozes, data breaches, skills that expire

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Part of "Coming due: recurring maintenance, renewals and breach notifications on the
board" (issue 18). New tables, plus a nullable expiry date on skills (existing skills:
none, they never expire).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# What was created, put off or recorded never changes (a breach's correction is a new row).
APPEND_ONLY = ("recurring_occurrence", "snooze", "data_breach")


def upgrade() -> None:
    op.create_table('snooze',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('until', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('snooze', schema=None) as batch_op:
        batch_op.create_index('ix_snooze_kind_ref_id', ['kind', 'ref_id'], unique=False)

    op.create_table('renewal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('what', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('auto_renew', sa.Boolean(), nullable=False),
    sa.Column('cost', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('done_at', msptui.store.types.UTCDateTime(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['renewal.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('replaced_by_id')
    )
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewal_client_id'), ['client_id'], unique=False)

    op.create_table('recurring_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('schedule', sa.JSON(), nullable=False),
    sa.Column('first_on', sa.Date(), nullable=False),
    sa.Column('at_time', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('priority', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lead_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recurring_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_task_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recurring_task_contract_id'), ['contract_id'], unique=False)

    op.create_table('data_breach',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('discovered_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('data_concerned', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('processing_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', msptui.store.types.UTCDateTime(), nullable=True),
    sa.Column('notified_how', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('measures', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['processing_id'], ['gdpr_processing.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['data_breach.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('supersedes_id')
    )
    with op.batch_alter_table('data_breach', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_breach_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_breach_contract_id'), ['contract_id'], unique=False)

    op.create_table('recurring_occurrence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['recurring_task.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    # Each occurrence exactly once, whichever process (or terminal) gets there first.
    sa.UniqueConstraint('task_id', 'due_on'),
    sa.UniqueConstraint('ticket_id')
    )
    with op.batch_alter_table('recurring_occurrence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_occurrence_task_id'), ['task_id'], unique=False)

    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_on', sa.Date(), nullable=True))

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
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.drop_column('expires_on')

    with op.batch_alter_table('recurring_occurrence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recurring_occurrence_task_id'))

    op.drop_table('recurring_occurrence')
    with op.batch_alter_table('data_breach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_breach_contract_id'))
        batch_op.drop_index(batch_op.f('ix_data_breach_client_id'))

    op.drop_table('data_breach')
    with op.batch_alter_table('recurring_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recurring_task_contract_id'))
        batch_op.drop_index(batch_op.f('ix_recurring_task_client_id'))

    op.drop_table('recurring_task')
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renewal_client_id'))

    op.drop_table('renewal')
    with op.batch_alter_table('snooze', schema=None) as batch_op:
        batch_op.drop_index('ix_snooze_kind_ref_id')

    op.drop_table('snooze')
