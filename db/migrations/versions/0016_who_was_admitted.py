"""Who was admitted (issue 10).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 22:30:00
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
