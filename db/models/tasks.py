"""Why tasks failed (``db.tasks``): one row per failed attempt, for the admin's task page.

procrastinate keeps a job's status and attempts but not the error; inline tasks (SQLite) have no
job at all. The organisation a task concerns (a packet's case's cell) scopes who sees the row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class TaskFailure(Base):
    """A failed attempt of a task: which, with what, why, when."""

    __tablename__ = "task_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: procrastinate's job id; ``None`` for a task run inline.
    job_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    task: Mapped[str] = mapped_column(String(64))
    #: The task's arguments as JSON (the same the job holds), to run it again inline.
    args: Mapped[str] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(Integer)
    #: The exception's type and message, at most ``db.tasks.ERROR_LENGTH`` characters.
    error: Mapped[str] = mapped_column(Text)
    #: The path of the organisation the task concerns (a case's cell), else ``None``.
    org_path: Mapped[str | None] = mapped_column(String(255))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
