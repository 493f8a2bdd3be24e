"""time and billing: time entries, one running timer, rates, prepaid blocks, closed periods, breach justifications

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Part of "Time spent, transparent billing, prepaid hours" (issue 16). New tables only,
plus the contract's rates (existing contracts: no hourly rate, VAT 20 %, EUR).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# What was closed, said or justified never changes (corrections are new rows pointing at the old).
APPEND_ONLY = ("billing_period", "prepaid_alert", "breach_justification")


def upgrade() -> None:
    op.create_table('billing_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('closed_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_id', 'month'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('billing_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_period_client_id'), ['client_id'], unique=False)

    op.create_table('prepaid_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('blocks', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('said_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'threshold', 'blocks')
    )
    with op.batch_alter_table('prepaid_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prepaid_alert_contract_id'), ['contract_id'], unique=False)

    op.create_table('prepaid_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('purchased_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('prepaid_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prepaid_block_contract_id'), ['contract_id'], unique=False)

    op.create_table('breach_justification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('clock', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['supersedes_id'], ['breach_justification.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('supersedes_id')
    )
    with op.batch_alter_table('breach_justification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breach_justification_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('time_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('engagement_id', sa.Integer(), nullable=True),
    sa.Column('started_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.Column('ended_at', msptui.store.types.UTCDateTime(), nullable=True),
    sa.Column('running', sa.Integer(), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('out_of_scope', sa.Boolean(), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('created_at', msptui.store.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(running = 1 AND ended_at IS NULL) OR (running IS NULL AND ended_at IS NOT NULL)', name='ck_time_entry_running'),
    sa.CheckConstraint('(ticket_id IS NULL) <> (engagement_id IS NULL)', name='ck_time_entry_one_subject'),
    sa.CheckConstraint('ended_at IS NULL OR ended_at > started_at', name='ck_time_entry_ends_after_start'),
    sa.ForeignKeyConstraint(['corrects_id'], ['time_entry.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagement.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['period_id'], ['billing_period.id'], ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('corrects_id'),
    # At most one running timer, whatever process starts it: `running` is 1 or NULL.
    sa.UniqueConstraint('running')
    )
    with op.batch_alter_table('time_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_entry_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_entry_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_time_entry_ticket_id'), ['ticket_id'], unique=False)

    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hourly_rate', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('category_rates', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('vat_pct', sa.Numeric(precision=5, scale=2), server_default='20.00', nullable=False))
        batch_op.add_column(sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(), server_default='EUR', nullable=False))

    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
        # An entry of a closed period is billed: it never changes or goes away. Setting
        # period_id on an open entry (closing its period) is the one write allowed.
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER time_entry_frozen_no_{verb.lower()} BEFORE {verb} ON time_entry "
                "WHEN OLD.period_id IS NOT NULL "
                "BEGIN SELECT RAISE(ABORT, 'time_entry is frozen: its billing period is closed'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY + ("time_entry_frozen",):
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_column('currency')
        batch_op.drop_column('vat_pct')
        batch_op.drop_column('category_rates')
        batch_op.drop_column('hourly_rate')

    with op.batch_alter_table('time_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_entry_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_time_entry_period_id'))
        batch_op.drop_index(batch_op.f('ix_time_entry_engagement_id'))

    op.drop_table('time_entry')
    with op.batch_alter_table('breach_justification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breach_justification_ticket_id'))

    op.drop_table('breach_justification')
    with op.batch_alter_table('prepaid_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prepaid_block_contract_id'))

    op.drop_table('prepaid_block')
    with op.batch_alter_table('prepaid_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prepaid_alert_contract_id'))

    op.drop_table('prepaid_alert')
    with op.batch_alter_table('billing_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_period_client_id'))

    op.drop_table('billing_period')
