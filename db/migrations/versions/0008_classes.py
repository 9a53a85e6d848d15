"""Awareness classes: classes, their sessions, enrolments, attendance, certificate sequences.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "awareness_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["organisations.id"],
            name=op.f("fk_awareness_classes_centre_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_awareness_classes_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"], ["users.id"], name=op.f("fk_awareness_classes_issued_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_classes")),
    )
    op.create_index(
        "ix_awareness_classes_centre_id_ends_on",
        "awareness_classes",
        ["centre_id", "ends_on"],
        unique=False,
    )
    op.create_table(
        "certificate_sequences",
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["organisations.id"],
            name=op.f("fk_certificate_sequences_centre_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("centre_id", "year", name=op.f("pk_certificate_sequences")),
    )
    op.create_table(
        "class_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["awareness_classes.id"],
            name=op.f("fk_class_sessions_class_id_awareness_classes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_sessions")),
        sa.UniqueConstraint(
            "class_id", "held_on", "starts_at", name=op.f("uq_class_sessions_class_id")
        ),
    )
    op.create_table(
        "class_enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("enrolled_by", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.Column("certificate_number", sa.String(length=50), nullable=True),
        sa.Column("certificate_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_class_enrolments_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["awareness_classes.id"],
            name=op.f("fk_class_enrolments_class_id_awareness_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolled_by"], ["users.id"], name=op.f("fk_class_enrolments_enrolled_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_enrolments")),
        sa.UniqueConstraint("class_id", "case_id", name=op.f("uq_class_enrolments_class_id")),
        sa.UniqueConstraint(
            "certificate_number", name=op.f("uq_class_enrolments_certificate_number")
        ),
    )
    op.create_index(
        op.f("ix_class_enrolments_case_id"), "class_enrolments", ["case_id"], unique=False
    )
    op.create_table(
        "class_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["class_enrolments.id"],
            name=op.f("fk_class_attendance_enrolment_id_class_enrolments"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_class_attendance_session_id_class_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_attendance")),
        sa.UniqueConstraint(
            "session_id", "enrolment_id", name=op.f("uq_class_attendance_session_id")
        ),
    )
    op.create_index(
        op.f("ix_class_attendance_enrolment_id"),
        "class_attendance",
        ["enrolment_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_class_attendance_enrolment_id"), table_name="class_attendance")
    op.drop_table("class_attendance")
    op.drop_index(op.f("ix_class_enrolments_case_id"), table_name="class_enrolments")
    op.drop_table("class_enrolments")
    op.drop_table("class_sessions")
    op.drop_table("certificate_sequences")
    op.drop_index("ix_awareness_classes_centre_id_ends_on", table_name="awareness_classes")
    op.drop_table("awareness_classes")
