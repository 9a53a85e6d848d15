"""An index of the events by case and time (issue 11, load): ``ix_events_case_id_at``.

The worklist's "last change" of each case and the targets report's day each open case entered its
state are the newest matching event of the case: with this index each is one short backward walk
of the case's entries instead of reading all of them (the worklist) or scanning the 1,000,000
events of the load's data (the report). On PostgreSQL the index carries the states too, so the
report's walk never reads the table.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 01:50:00
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_events_case_id_at",
            ["case_id", "at"],
            unique=False,
            postgresql_include=["to_state", "from_state"],
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_case_id_at")
