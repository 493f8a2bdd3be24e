"""delivery notes: settled tests, frozen issued notes, voids, waiver consent, provider identity

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Part of "Records that tell the truth" (issue 11). Carries existing data over:
every existing waiver becomes the technician's own (printed as the provider's
reservation), and every note already issued is frozen with what it says today
(content built by a frozen copy of the renderer's rules, so a later change of
code never changes what this migration wrote). Issued notes and their voids
become append-only on SQLite.
"""
from datetime import datetime, timezone
from typing import Sequence, Union
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

APPEND_ONLY = ("delivery_note", "delivery_note_void")


def _waiver_columns(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}waived_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column(f"{prefix}waiver_client", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""),
        sa.Column(f"{prefix}waiver_agreed_on", sa.Date(), nullable=True),
        sa.Column(f"{prefix}waiver_how", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    op.create_table(
        "provider_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trade_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("company_number", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("vat_number", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("updated_at", msptui.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("delivery_test", schema=None) as batch_op:
        for column in _waiver_columns(""):
            batch_op.add_column(column)
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        for column in _waiver_columns("tests_") + _waiver_columns("documents_"):
            batch_op.add_column(column)
    with op.batch_alter_table("delivery_note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("replaces_note_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_delivery_note_replaces_note_id", "delivery_note", ["replaces_note_id"], ["id"], ondelete="RESTRICT"
        )
    op.create_table(
        "delivery_note_void",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("voided_at", msptui.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["delivery_note.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("note_id"),
    )

    bind = op.get_bind()
    # Before consent was asked for, every waiver was the technician's own decision.
    bind.execute(sa.text("UPDATE delivery_test SET waived_by = 'technician' WHERE waived_reason IS NOT NULL"))
    for part in ("tests", "documents"):
        bind.execute(sa.text(
            f"UPDATE delivery SET {part}_waived_by = 'technician' WHERE {part}_waived_reason IS NOT NULL"
        ))
    _freeze_issued_notes(bind)

    if bind.dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


# --- a frozen copy of what a note said at this revision (msptui.store.delivery_notes) ----------

_RESULTS = {"passed": "Passed", "failed": "Failed", "pending": "Not run"}


def _rows(bind, sql: str, **params) -> list[dict]:
    return [dict(r) for r in bind.execute(sa.text(sql), params).mappings()]


def _instant(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _add_months(day, months: int):
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _freeze_issued_notes(bind) -> None:
    notes = _rows(bind, "SELECT * FROM delivery_note ORDER BY id")
    for note in notes:
        delivery = _rows(bind, "SELECT * FROM delivery WHERE id = :id", id=note["delivery_id"])[0]
        engagement = _rows(bind, "SELECT * FROM engagement WHERE id = :id", id=delivery["engagement_id"])[0]
        client = _rows(bind, "SELECT * FROM client WHERE id = :id", id=engagement["client_id"])[0]
        contract = (
            _rows(bind, "SELECT * FROM contract WHERE id = :id", id=engagement["contract_id"])[0]
            if engagement["contract_id"] else None
        )
        on = _instant(note["issued_at"]).astimezone(ZoneInfo(client["timezone"])).date()
        months = note["warranty_months"] or 0
        warranty = (
            f"{months} {'month' if months == 1 else 'months'} from {on.isoformat()}, until {_add_months(on, months).isoformat()}."
            if months else "No contractual warranty on this delivery."
        )
        town = " ".join(p for p in (client["postcode"], client["city"]) if p)
        tests_reason = delivery["tests_waived_reason"]
        docs_reason = delivery["documents_waived_reason"]
        content = {
            "format": 1,
            "number": note["number"],
            "issued_on": on.isoformat(),
            "provider": None,  # not recorded before this revision
            "client": {
                "name": client["name"], "code": client["code"],
                "address": ", ".join(p for p in (client["address"], town) if p),
            },
            "contract": f"{contract['reference']} - {contract['title']}" if contract else "None (engagement outside a contract)",
            "project": engagement["title"],
            "replaces": None,
            "items": [
                {"description": i["description"], "quantity": i["quantity"], "serial": i["serial"]}
                for i in _rows(bind, "SELECT * FROM delivery_item WHERE delivery_id = :id ORDER BY id", id=delivery["id"])
            ],
            "tests_waiver": f"Provider's reservation: {' '.join(tests_reason.split())}" if tests_reason else None,
            "tests": [
                {
                    "description": t["description"], "result": _RESULTS.get(t["result"], t["result"]), "note": t["note"],
                    "waiver": f"Provider's reservation: {' '.join(t['waived_reason'].split())}" if t["waived_reason"] else None,
                }
                for t in _rows(bind, "SELECT * FROM delivery_test WHERE delivery_id = :id ORDER BY id", id=delivery["id"])
            ],
            "documents_waiver": f"Provider's reservation: {' '.join(docs_reason.split())}" if docs_reason else None,
            "documents": [
                {"title": d["title"], "given_as": d["given_as"], "location": d["location"],
                 "handed_over": d["confirmed_at"] is not None}
                for d in _rows(bind, "SELECT * FROM delivery_document WHERE delivery_id = :id ORDER BY id", id=delivery["id"])
            ],
            "partners": [],
            "change_requests": [],
            "warranty": warranty,
            "ip_statement": note["ip_statement"],
            "signatory": note["signatory"],
        }
        bind.execute(
            sa.text("UPDATE delivery_note SET content = :content WHERE id = :id").bindparams(
                sa.bindparam("content", type_=sa.JSON())
            ),
            {"content": content, "id": note["id"]},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    op.drop_table("delivery_note_void")
    with op.batch_alter_table("delivery_note", schema=None) as batch_op:
        batch_op.drop_constraint("fk_delivery_note_replaces_note_id", type_="foreignkey")
        batch_op.drop_column("replaces_note_id")
        batch_op.drop_column("content")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        for column in _waiver_columns("tests_") + _waiver_columns("documents_"):
            batch_op.drop_column(column.name)
    with op.batch_alter_table("delivery_test", schema=None) as batch_op:
        for column in _waiver_columns(""):
            batch_op.drop_column(column.name)
    op.drop_table("provider_identity")
