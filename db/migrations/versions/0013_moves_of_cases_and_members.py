"""Moves of cases and members (issue 10): hand-overs of a case's file between cells, transfers of
a member's party activity, and the cell an admission is counted at (``decisions.cell_id``).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_hand_overs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_cell_id", sa.Integer(), nullable=False),
        sa.Column("to_cell_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=500), nullable=True),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_hand_overs_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["from_cell_id"],
            ["organisations.id"],
            name=op.f("fk_case_hand_overs_from_cell_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["to_cell_id"],
            ["organisations.id"],
            name=op.f("fk_case_hand_overs_to_cell_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_case_hand_overs_requested_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_case_hand_overs_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["members.id"], name=op.f("fk_case_hand_overs_mentor_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_hand_overs")),
    )
    with op.batch_alter_table("case_hand_overs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_hand_overs_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_hand_overs_from_cell_id"), ["from_cell_id"], unique=False
        )
        batch_op.create_index(
            "ix_case_hand_overs_status_to_cell", ["status", "to_cell_id"], unique=False
        )
    op.create_table(
        "member_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_cell_id", sa.Integer(), nullable=False),
        sa.Column("to_cell_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_transfers_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["from_cell_id"],
            ["organisations.id"],
            name=op.f("fk_member_transfers_from_cell_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["to_cell_id"],
            ["organisations.id"],
            name=op.f("fk_member_transfers_to_cell_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_member_transfers_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_transfers")),
    )
    with op.batch_alter_table("member_transfers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_transfers_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_transfers_from_cell_id"), ["from_cell_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_transfers_to_cell_id"), ["to_cell_id"], unique=False
        )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cell_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_decisions_cell_id_organisations"), "organisations", ["cell_id"], ["id"]
        )
    # Nothing has moved yet: every decision was taken at its case's cell.
    op.execute(
        "UPDATE decisions SET cell_id = (SELECT cases.cell_id FROM cases"
        " WHERE cases.id = decisions.case_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_decisions_cell_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_column("cell_id")
    with op.batch_alter_table("member_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_transfers_to_cell_id"))
        batch_op.drop_index(batch_op.f("ix_member_transfers_from_cell_id"))
        batch_op.drop_index(batch_op.f("ix_member_transfers_member_id"))
    op.drop_table("member_transfers")
    with op.batch_alter_table("case_hand_overs", schema=None) as batch_op:
        batch_op.drop_index("ix_case_hand_overs_status_to_cell")
        batch_op.drop_index(batch_op.f("ix_case_hand_overs_from_cell_id"))
        batch_op.drop_index(batch_op.f("ix_case_hand_overs_case_id"))
    op.drop_table("case_hand_overs")
