"""Administrative events: an event may concern an organisation instead of a case.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from db.migrations.guards import create_append_only_guard, drop_append_only_guard

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite rebuilds the table in batch mode, which would lose its triggers: drop and remake them.
    drop_append_only_guard()
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_events_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
        )
    create_append_only_guard()


def downgrade() -> None:
    drop_append_only_guard()
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_events_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_column("organisation_id")
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
    create_append_only_guard()
