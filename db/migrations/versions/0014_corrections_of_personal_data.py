"""Corrections of personal data (issue 10): proposals with before and after, the committee's
decision, and the generated documents re-issued in place of those the correction outdated.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("evidence_text", sa.String(length=500), nullable=True),
        sa.Column("evidence_file_id", sa.Integer(), nullable=True),
        sa.Column("evidence_name", sa.String(length=200), nullable=True),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_corrections_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_person_corrections_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_file_id"],
            ["stored_files.id"],
            name=op.f("fk_person_corrections_evidence_file_id_stored_files"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["users.id"], name=op.f("fk_person_corrections_proposed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_person_corrections_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_corrections")),
    )
    with op.batch_alter_table("person_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_corrections_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_person_corrections_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_corrections_status"), ["status"], unique=False)
    op.create_table(
        "document_supersessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=False),
        sa.Column("correction_id", sa.Integer(), nullable=True),
        sa.Column("superseded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["generated_documents.id"],
            name=op.f("fk_document_supersessions_document_id_generated_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["generated_documents.id"],
            name=op.f("fk_document_supersessions_superseded_by_id_generated_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["correction_id"],
            ["person_corrections.id"],
            name=op.f("fk_document_supersessions_correction_id_person_corrections"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_supersessions")),
        sa.UniqueConstraint("document_id", name=op.f("uq_document_supersessions_document_id")),
    )


def downgrade() -> None:
    op.drop_table("document_supersessions")
    with op.batch_alter_table("person_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_corrections_status"))
        batch_op.drop_index(batch_op.f("ix_person_corrections_case_id"))
        batch_op.drop_index(batch_op.f("ix_person_corrections_person_id"))
    op.drop_table("person_corrections")
