"""a team on one database: who did what, one timer per technician, PostgreSQL's own guards

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Issue 20.
- Every action, time entry, check, disclosure and note records the technician who made it
  (a short name set per machine; '' for what was recorded before, by the solo technician).
- A ticket may be assigned to a technician (`ticket.assignee`, NULL = unassigned).
- One running timer per technician instead of one in all: `running` stays 1 or NULL, and
  the UNIQUE moves from (running) to (technician, running).
- On PostgreSQL, the append-only rules of migrations 0001-0009 (SQLite triggers there) as
  PostgreSQL triggers, so a shared server refuses the same rewrites a SQLite file does.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The tables whose rows record who made them.
ATTRIBUTED = (
    "ticket_event",
    "time_entry",
    "competence_check",
    "check_disclosure",
    "conflict_disclosure",
    "delivery_note",
    "delivery_note_void",
    "breach_justification",
    "billing_period",
    "satisfaction",
)

# Every append-only table as of this migration (the SQLite triggers of 0001-0009).
APPEND_ONLY = (
    "ticket_event",
    "competence_check",
    "delivery_note",
    "delivery_note_void",
    "engagement_partner",
    "check_disclosure",
    "change_request",
    "billing_period",
    "prepaid_alert",
    "breach_justification",
    "satisfaction",
    "recurring_occurrence",
    "snooze",
    "data_breach",
)

# Adding a column to a table with triggers is a plain ALTER TABLE on SQLite (no rebuild),
# so only time_entry, rebuilt to move its UNIQUE, loses and regains its triggers.
SQLITE_TIME_ENTRY_TRIGGERS = {
    verb: (
        f"CREATE TRIGGER time_entry_frozen_no_{verb.lower()} BEFORE {verb} ON time_entry "
        "WHEN OLD.period_id IS NOT NULL "
        "BEGIN SELECT RAISE(ABORT, 'time_entry is frozen: its billing period is closed'); END"
    )
    for verb in ("UPDATE", "DELETE")
}


def _postgresql_guards() -> None:
    # One function per message; the trigger passes the table's name (TG_TABLE_NAME).
    op.execute(
        "CREATE FUNCTION msptui_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END $$"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION msptui_append_only()"
        )
    op.execute(
        "CREATE FUNCTION msptui_time_entry_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'time_entry is frozen: its billing period is closed' "
        "USING ERRCODE = 'restrict_violation'; END $$"
    )
    op.execute(
        "CREATE TRIGGER time_entry_frozen BEFORE UPDATE OR DELETE ON time_entry "
        "FOR EACH ROW WHEN (OLD.period_id IS NOT NULL) EXECUTE FUNCTION msptui_time_entry_frozen()"
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ATTRIBUTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('technician', sa.String(), nullable=False, server_default=''))
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignee', sa.String(), nullable=True))
        batch_op.create_index('ix_ticket_assignee', ['assignee'], unique=False)

    if sqlite:
        for verb in SQLITE_TIME_ENTRY_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS time_entry_frozen_no_{verb.lower()}")
    # SQLite's UNIQUE (running) has no name: the naming convention gives it one to drop.
    unique_running = "uq_time_entry_running" if sqlite else "time_entry_running_key"
    with op.batch_alter_table(
        'time_entry', schema=None, naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}
    ) as batch_op:
        batch_op.drop_constraint(unique_running, type_="unique")
        batch_op.create_unique_constraint('uq_time_entry_technician_running', ['technician', 'running'])
    if sqlite:
        for statement in SQLITE_TIME_ENTRY_TRIGGERS.values():
            op.execute(statement)
    else:
        _postgresql_guards()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for verb in SQLITE_TIME_ENTRY_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS time_entry_frozen_no_{verb.lower()}")
    else:
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP TRIGGER IF EXISTS time_entry_frozen ON time_entry")
        op.execute("DROP FUNCTION IF EXISTS msptui_append_only()")
        op.execute("DROP FUNCTION IF EXISTS msptui_time_entry_frozen()")
    with op.batch_alter_table('time_entry', schema=None) as batch_op:
        batch_op.drop_constraint('uq_time_entry_technician_running', type_="unique")
        batch_op.create_unique_constraint('uq_time_entry_running', ['running'])
    if sqlite:
        for statement in SQLITE_TIME_ENTRY_TRIGGERS.values():
            op.execute(statement)
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_assignee')
        batch_op.drop_column('assignee')
    for table in ATTRIBUTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('technician')
