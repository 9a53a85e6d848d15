"""The unit of work's tasks, faked: what a use case defers is kept until the commit, then recorded
as handed over (``handed``); a rollback forgets it."""

from __future__ import annotations

from workflow.ports.tasks import AfterCommit, Deferred


class FakeTasks(AfterCommit):
    """``AfterCommit`` that records the tasks a commit handed over, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.handed: list[Deferred] = []

    def hand_over(self) -> None:
        """What a commit does: the kept tasks are handed over."""
        self.handed.extend(self.take())
