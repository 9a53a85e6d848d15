"""Organisation tree over time (issue 10): the versions of organisations, their dates, and the
legal bases of the procedure with their validity.

An organisation's row keeps its current values from ``valid_from`` (existing ones: since ever,
1900-01-01) until ``dissolved_on``; ``organisation_versions`` keeps the values it had before.
``legal_bases`` is seeded with domain.md's list (the dates are those of signature; 294-QĐ/TW's
guidance is not known yet: add it as a row when it is).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 22:30:00
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: (code, kind, title as a decision prints it, signed on, valid from, valid until) — a frozen
#: copy of ``workflow.legal.KNOWN_BASES`` as of this migration.
_BASES = (
    (
        "29-QĐ/TW",
        "regulation",
        "Quy định số 29-QĐ/TW ngày 25/7/2016 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng",
        date(2016, 7, 25),
        date(2016, 7, 25),
        date(2021, 7, 30),
    ),
    (
        "01-HD/TW",
        "guidance",
        "Hướng dẫn số 01-HD/TW ngày 20/9/2016 của Ban Bí thư về một số vấn đề cụ thể thi hành "
        "Điều lệ Đảng",
        date(2016, 9, 20),
        date(2016, 9, 20),
        date(2022, 1, 18),
    ),
    (
        "24-QĐ/TW",
        "regulation",
        "Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng",
        date(2021, 7, 30),
        date(2021, 7, 30),
        date(2025, 7, 1),
    ),
    (
        "12-HD/BTCTW",
        "guidance",
        "Hướng dẫn số 12-HD/BTCTW ngày 18/01/2022 của Ban Tổ chức Trung ương về nghiệp vụ công "
        "tác đảng viên",
        date(2022, 1, 18),
        date(2022, 1, 18),
        date(2025, 7, 1),
    ),
    (
        "294-QĐ/TW",
        "regulation",
        "Quy định số 294-QĐ/TW ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ "
        "Đảng",
        date(2025, 5, 26),
        date(2025, 7, 1),
        None,
    ),
)


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("valid_from", sa.Date(), server_default="1900-01-01", nullable=False)
        )
        batch_op.add_column(sa.Column("dissolved_on", sa.Date(), nullable=True))

    op.create_table(
        "organisation_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("decides_admissions", sa.Boolean(), nullable=False),
        sa.Column("committee_size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_versions_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_versions_parent_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_versions")),
        sa.UniqueConstraint(
            "organisation_id",
            "valid_from",
            name=op.f("uq_organisation_versions_organisation_id"),
        ),
    )
    with op.batch_alter_table("organisation_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_versions_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    bases = op.create_table(
        "legal_bases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_bases")),
        sa.UniqueConstraint("code", name=op.f("uq_legal_bases_code")),
    )
    op.bulk_insert(
        bases,
        [
            dict(
                zip(
                    ("code", "kind", "title", "signed_on", "valid_from", "valid_until"),
                    row,
                    strict=True,
                )
            )
            for row in _BASES
        ],
    )


def downgrade() -> None:
    op.drop_table("legal_bases")
    with op.batch_alter_table("organisation_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_versions_organisation_id"))
    op.drop_table("organisation_versions")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("dissolved_on")
        batch_op.drop_column("valid_from")
