"""The day each case entered its current state, kept on the case (issue 11, load):
``cases.state_since``.

The targets report counts how long each open case has waited in its state. It read that day from
the case's newest event into the state, one walk of ``ix_events_case_id_at`` per open case (130
ms of the page over the load's 50,000 open cases). The write path now sets the column with every
change of state; this backfill gives it the value the report computed: the local day (Việt Nam,
UTC+7:00, no summer time since 1975) of the newest event that brought the case into its state
from another one (or opened it), else the opening day. No index: the report reads the column of
the cases it already selects by state.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

#: An event's stamp (``YYYY-MM-DDTHH:MM:SS.ffffffZ``, UTC, as text) as a local day, per dialect.
_DAY = {
    "sqlite": "date(substr(e.at, 1, 19), '+420 minutes')",
    "postgresql": "CAST(CAST(substr(e.at, 1, 19) AS TIMESTAMP) + INTERVAL '420 minutes' AS DATE)",
}
#: The same statement on both dialects but for the day's expression (frozen here: the code's
#: copy, ``db.repositories.state_since``, may change later, a migration may not).
_BACKFILL = (
    "UPDATE cases SET state_since = COALESCE(("
    "SELECT {day} FROM events e WHERE e.case_id = cases.id AND e.to_state = cases.state "
    "AND (e.from_state IS NULL OR e.from_state <> e.to_state) ORDER BY e.at DESC LIMIT 1"
    "), opened_on)"
)


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state_since", sa.Date(), nullable=True))
    bind = op.get_bind()
    op.execute(_BACKFILL.format(day=_DAY[bind.dialect.name]))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+ has it for a column without index or key): a batch
    # rebuild of ``cases`` would drop the table that other tables' foreign keys point at.
    op.drop_column("cases", "state_since")
