"""Proposals: mass organisations propose outstanding members to their party cell.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("introducer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=True),
        sa.Column("birth_place", sa.String(length=200), nullable=True),
        sa.Column("hometown", sa.String(length=200), nullable=True),
        sa.Column("ethnicity", sa.String(length=50), nullable=True),
        sa.Column("religion", sa.String(length=50), nullable=True),
        sa.Column("education", sa.String(length=100), nullable=True),
        sa.Column("residence", sa.String(length=300), nullable=True),
        sa.Column("occupation", sa.String(length=200), nullable=True),
        sa.Column("id_number", sa.String(length=20), nullable=True),
        sa.Column("is_doan_member", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("achievements", sa.Text(), nullable=True),
        sa.Column("movement", sa.String(length=300), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_proposals_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["cell_id"], ["organisations.id"], name=op.f("fk_proposals_cell_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_proposals_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["introducer_id"], ["users.id"], name=op.f("fk_proposals_introducer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_proposals_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
        sa.UniqueConstraint("case_id", name=op.f("uq_proposals_case_id")),
    )
    op.create_index("ix_proposals_cell_id_status", "proposals", ["cell_id", "status"])
    op.create_index("ix_proposals_status_decided_on", "proposals", ["status", "decided_on"])
    op.create_index(
        op.f("ix_proposals_introducer_id"), "proposals", ["introducer_id"], unique=False
    )
    op.create_index(
        op.f("ix_proposals_organisation_id"), "proposals", ["organisation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_proposals_organisation_id"), table_name="proposals")
    op.drop_index(op.f("ix_proposals_introducer_id"), table_name="proposals")
    op.drop_index("ix_proposals_status_decided_on", table_name="proposals")
    op.drop_index("ix_proposals_cell_id_status", table_name="proposals")
    op.drop_table("proposals")
