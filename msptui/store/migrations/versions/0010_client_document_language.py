"""each client's documents in the client's language

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Issue 19. A client gets its delivery notes, statements, reports and notices in its own
language: French for France, Monaco and the French overseas territories (the list in
msptui.core.rules.clients), English elsewhere until the technician chooses.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# As msptui.core.rules.clients.FRENCH_BY_DEFAULT stood when this migration was written
# (a migration is history: it never imports the rule, which may change later).
FRENCH_BY_DEFAULT = ("FR", "MC", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF")


def upgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(), nullable=False, server_default='fr'))
    countries = ", ".join(f"'{c}'" for c in FRENCH_BY_DEFAULT)
    op.execute(f"UPDATE client SET language = 'en' WHERE UPPER(country) NOT IN ({countries})")


def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('language')
