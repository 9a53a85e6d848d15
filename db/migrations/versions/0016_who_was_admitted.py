"""Who was admitted (issue 10): the person's category, the targets that count one category, and
the admissions decided outside hoso as yearly totals per committee.

Existing people get no category: NULL means "not recorded", and the counts show it as such. Nothing
is inferred (a candidate of a school cell under 20 is likely a student, but "likely" is a guess
the statistics would then report upward as a fact); docs/statistics.md says how to record them.
Existing targets count everyone (``category = 'all'``), as they did.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=30), nullable=True))
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("category", sa.String(length=30), server_default="all", nullable=False)
        )
    op.create_table(
        "outside_admissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("enterprise_workers", sa.Integer(), nullable=False),
        sa.Column("by_category", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_outside_admissions_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outside_admissions")),
        sa.UniqueConstraint(
            "organisation_id", "year", name=op.f("uq_outside_admissions_organisation_id")
        ),
    )
    with op.batch_alter_table("outside_admissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outside_admissions_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outside_admissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outside_admissions_organisation_id"))
    op.drop_table("outside_admissions")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_column("category")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("category")
