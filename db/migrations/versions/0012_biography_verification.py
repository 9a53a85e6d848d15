"""Biography verification (issue 10): the requests sent and the committee's conclusion.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verification_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("addressee", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("finding", sa.Text(), nullable=True),
        sa.Column("favourable", sa.Boolean(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_verification_requests_answered_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_verification_requests_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_verification_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_requests")),
    )
    op.create_index(
        op.f("ix_verification_requests_case_id"),
        "verification_requests",
        ["case_id"],
        unique=False,
    )
    op.create_table(
        "verification_conclusions",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=False),
        sa.Column("favourable", sa.Boolean(), nullable=False),
        sa.Column("conclusion", sa.Text(), nullable=False),
        sa.Column("unanswered_reason", sa.Text(), nullable=True),
        sa.Column("concluded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_verification_conclusions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["concluded_by_id"],
            ["users.id"],
            name=op.f("fk_verification_conclusions_concluded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_verification_conclusions")),
    )


def downgrade() -> None:
    op.drop_table("verification_conclusions")
    op.drop_index(op.f("ix_verification_requests_case_id"), table_name="verification_requests")
    op.drop_table("verification_requests")
