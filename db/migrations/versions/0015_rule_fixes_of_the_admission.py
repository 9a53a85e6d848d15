"""Rule fixes of the admission (issue 10).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 22:30:00
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
