"""Targets: yearly targets (chỉ tiêu) per organisation, year and metric.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Numeric(precision=9, scale=2), nullable=False),
        sa.Column("unit_kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_targets_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint(
            "organisation_id",
            "year",
            "metric",
            "unit_kind",
            name=op.f("uq_targets_organisation_id"),
        ),
    )
    op.create_index(
        "ix_targets_year_organisation_id", "targets", ["year", "organisation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_targets_year_organisation_id", table_name="targets")
    op.drop_table("targets")
