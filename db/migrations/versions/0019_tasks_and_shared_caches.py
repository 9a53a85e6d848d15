"""Work off the request (issue 11): the failed attempts of tasks (``task_failures``) and, on
PostgreSQL, procrastinate's own schema (its tables, types and functions, all named
``procrastinate_*``: ``db.migrate.include_name`` leaves them out of the comparison with the
models). SQLite runs tasks inline and needs no queue.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 00:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "task_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=True),
        sa.Column("task", sa.String(length=64), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("org_path", sa.String(length=255), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_failures")),
    )
    op.create_index(op.f("ix_task_failures_job_id"), "task_failures", ["job_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from db.tasks import apply_queue_schema

        apply_queue_schema(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from db.tasks import drop_queue_schema

        drop_queue_schema(bind)
    op.drop_index(op.f("ix_task_failures_job_id"), table_name="task_failures")
    op.drop_table("task_failures")
