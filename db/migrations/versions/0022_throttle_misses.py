"""The misses of public lookups kept in the database, so that the verification page's throttle
holds across workers and hosts (issue 12): ``throttle_misses``.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-12 00:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle_misses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_misses")),
    )
    with op.batch_alter_table("throttle_misses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_throttle_misses_at"), ["at"], unique=False)
        batch_op.create_index(
            "ix_throttle_misses_kind_key_at", ["kind", "key", "at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("throttle_misses")
