"""Rule fixes of the admission (issue 10).

- ``votes``: the cell's vote record (official members on the date, exempted and absent, present);
  old rows get ``official_members = eligible`` and ``excused_absent = 0`` (their denominator was
  every official member).
- ``introductions``: a replacement introducer named by the cell, and why.
- ``case_exceptions``: the provincial committee's approval over 60; hardship exceptions to the
  education floor.
- ``cases.recognition_referred_on``: three failed recognition votes sent the case up.
- ``organisations.has_branch_committee``: a đảng ủy bộ phận above the cell (7-KNĐ, 14-KNĐ).
- ``people.education`` becomes a level of ``workflow.education``: the free text is read with the
  same words the forms accept ("12/12", "THPT", "Đại học sư phạm"...); text naming no known level
  becomes NULL (the rule then asks for it; docs/rules.md).
- ``members.official_since`` of members recognised through hoso: the end of probation (12 months
  from the ceremony, as 16-KNĐ says), not the decision's date, wherever the ceremony is known.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 22:30:00
"""

import sqlalchemy as sa
from alembic import op

from workflow.dates import add_months
from workflow.education import parse_education

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

#: Probation in months when this migration was written (``RuleSettings.probation_months``).
_PROBATION_MONTHS = 12


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN (SQLite has it): a batch would copy and drop the tables,
    # which their foreign keys forbid once they hold rows.
    op.add_column("votes", sa.Column("official_members", sa.Integer(), nullable=True))
    op.add_column("votes", sa.Column("excused_absent", sa.Integer(), nullable=True))
    op.add_column("votes", sa.Column("present", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE votes SET official_members = eligible, excused_absent = 0 "
        "WHERE body IN ('cell', 'recognition')"
    )
    op.add_column(
        "introductions",
        sa.Column("replacement", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "introductions", sa.Column("replacement_reason", sa.String(length=500), nullable=True)
    )
    op.add_column("cases", sa.Column("recognition_referred_on", sa.Date(), nullable=True))
    op.add_column(
        "organisations",
        sa.Column("has_branch_committee", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "case_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dated", sa.Date(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=True),
        sa.Column("issued_by", sa.String(length=200), nullable=True),
        sa.Column("area", sa.String(length=30), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_exceptions_case_id"), ["case_id"], unique=False)
    _education_levels()
    _official_from_end_of_probation()


def _education_levels() -> None:
    """The free text of ``people.education`` as a level; NULL where it names none."""
    conn = op.get_bind()
    people = sa.table("people", sa.column("education", sa.String))
    texts = conn.execute(
        sa.select(people.c.education).where(people.c.education.is_not(None)).distinct()
    ).scalars()
    for text in list(texts):
        try:
            level = parse_education(text)
        except ValueError:
            level = None
        value = level.value if level is not None else None
        if value != text:
            conn.execute(people.update().where(people.c.education == text).values(education=value))


def _official_from_end_of_probation() -> None:
    """Members recognised through hoso: official from 12 months after their ceremony."""
    conn = op.get_bind()
    cases = sa.table("cases", sa.column("member_id", sa.Integer), sa.column("ceremony_on", sa.Date))
    members = sa.table(
        "members",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("official_since", sa.Date),
    )
    rows = conn.execute(
        sa.select(members.c.id, cases.c.ceremony_on)
        .join(cases, cases.c.member_id == members.c.id)
        .where(members.c.status == "official", cases.c.ceremony_on.is_not(None))
    ).all()
    for member_id, ceremony_on in rows:
        conn.execute(
            members.update()
            .where(members.c.id == member_id)
            .values(official_since=add_months(ceremony_on, _PROBATION_MONTHS))
        )


def downgrade() -> None:
    # The education levels and the official dates stay as they are: the old free text and the
    # decision dates are not kept anywhere to go back to.
    with op.batch_alter_table("case_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_exceptions_case_id"))
    op.drop_table("case_exceptions")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("has_branch_committee")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("recognition_referred_on")
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.drop_column("replacement_reason")
        batch_op.drop_column("replacement")
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_column("present")
        batch_op.drop_column("excused_absent")
        batch_op.drop_column("official_members")
