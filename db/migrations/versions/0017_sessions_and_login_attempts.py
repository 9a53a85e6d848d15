"""Sessions that end everywhere and login attempts kept in the database (issue 11).

Filled in by the auth work: ``users.session_version`` and the ``login_attempts`` table.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 00:10:00
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
