"""competence: outcomes, partners, disclosures to the client, stale checks, change requests

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Part of "Records that tell the truth" (issue 11). Carries existing data over:

- an engagement accepted on a check "against my own judgement" becomes
  "accepted at the client's request"; no record of giving the risks to the
  client exists, so none is made: the engagement shows it as to complete;
- a partner named on a check becomes a third party of the engagement
  (engagement_partner), its competence empty (it was never asked), and its
  disclosure to the client likewise to complete;
- checks already remember the technologies they were made on (since 0001),
  so a check made before this revision can be stale too.

Checks stay untouched (append-only); the new records are append-only as well.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

APPEND_ONLY = ("engagement_partner", "check_disclosure", "change_request")


def upgrade() -> None:
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("price", sa.Numeric(12, 2), nullable=True))

    op.create_table(
        "engagement_partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("competence", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_at", msptui.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagement.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["check_id"], ["competence_check.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_engagement_partner_engagement_id", "engagement_partner", ["engagement_id"])
    op.create_index("ix_engagement_partner_check_id", "engagement_partner", ["check_id"])

    op.create_table(
        "check_disclosure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("disclosed_to", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("disclosed_how", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_at", msptui.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["check_id"], ["competence_check.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_check_disclosure_check_id", "check_disclosure", ["check_id"])

    op.create_table(
        "change_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("what", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("new_value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("agreed_how", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_at", msptui.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["engagement_id"], ["engagement.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_change_request_engagement_id", "change_request", ["engagement_id"])

    # The check in force is the engagement's newest one (highest id), as the store reads it.
    op.execute(
        "UPDATE engagement SET status = 'accepted_at_client_request' WHERE status = 'accepted'"
        " AND (SELECT c.decision FROM competence_check c WHERE c.engagement_id = engagement.id"
        " ORDER BY c.id DESC LIMIT 1) = 'accept_against_judgement'"
    )
    op.execute(
        "INSERT INTO engagement_partner (engagement_id, check_id, name, competence, recorded_at)"
        " SELECT engagement_id, id, partner_name, '', COALESCE(partner_disclosed_at, checked_at)"
        " FROM competence_check WHERE decision = 'accept_with_partner' AND partner_name IS NOT NULL"
        " ORDER BY id"
    )

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
    op.execute("UPDATE engagement SET status = 'accepted' WHERE status = 'accepted_at_client_request'")
    op.drop_index("ix_change_request_engagement_id", table_name="change_request")
    op.drop_table("change_request")
    op.drop_index("ix_check_disclosure_check_id", table_name="check_disclosure")
    op.drop_table("check_disclosure")
    op.drop_index("ix_engagement_partner_check_id", table_name="engagement_partner")
    op.drop_index("ix_engagement_partner_engagement_id", table_name="engagement_partner")
    op.drop_table("engagement_partner")
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_column("price")
