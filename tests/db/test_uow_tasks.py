"""``SqlUnitOfWork`` hands the tasks a use case deferred to the queue only after its commit
succeeded, on SQLite and PostgreSQL: the task then sees what was committed; nothing is handed
over for a change rolled back or a commit that failed; a failed hand-over leaves the change."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from db.models import TaskFailure
from tests.conftest import BACKENDS
from workflow.errors import Conflict
from workflow.ports.tasks import RENDER_DOCUMENTS, SEND_MAIL

pytestmark = pytest.mark.parametrize("database_url", BACKENDS, indirect=True)


class Sink:
    """A ``Tasks`` that notes each task handed over and how many rows another connection sees."""

    inline = True

    def __init__(self, runtime, fail: bool = False) -> None:
        self.runtime, self.fail = runtime, fail
        self.handed: list[tuple[str, str | None, dict[str, Any], int]] = []

    def defer(self, name: str, *, lock: str | None = None, **args: Any) -> None:
        self.handed.append((name, lock, args, rows(self.runtime)))
        if self.fail:
            raise RuntimeError("the queue is down")


def rows(runtime) -> int:
    """The rows written by the unit of work below, as a separate connection sees them."""
    with runtime.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(TaskFailure))


def change(uow) -> None:
    """A change of the unit of work (any row: what matters is when it is committed)."""
    uow.session.add(
        TaskFailure(task="x", args="{}", attempt=1, error="e", failed_at=datetime.now(UTC))
    )


@pytest.fixture
def sink(runtime) -> Sink:
    runtime.tasks = Sink(runtime)
    return runtime.tasks


def test_tasks_are_handed_over_after_the_commit_and_see_it(runtime, sink):
    with runtime.uow() as uow:
        change(uow)
        uow.tasks.defer(RENDER_DOCUMENTS, case_id=7, doc_ids=[1, 2])
        uow.tasks.defer(SEND_MAIL, lock="m-1", to_address="a@example.vn")
        assert sink.handed == []  # not before the commit
        uow.commit()
    assert sink.handed == [
        (RENDER_DOCUMENTS, None, {"case_id": 7, "doc_ids": [1, 2]}, 1),
        (SEND_MAIL, "m-1", {"to_address": "a@example.vn"}, 1),
    ]


def test_a_change_rolled_back_hands_over_nothing(runtime, sink):
    with pytest.raises(ValueError), runtime.uow() as uow:
        change(uow)
        uow.tasks.defer(RENDER_DOCUMENTS, case_id=7, doc_ids=[1])
        raise ValueError("refused after the defer")
    assert sink.handed == [] and rows(runtime) == 0
    with runtime.uow() as uow:
        uow.tasks.defer(RENDER_DOCUMENTS, case_id=7, doc_ids=[1])
        uow.rollback()
        uow.commit()  # nothing left to hand over
    assert sink.handed == []


def test_a_commit_that_fails_hands_over_nothing(runtime, sink, monkeypatch):
    with pytest.raises(Conflict), runtime.uow() as uow:
        change(uow)
        uow.tasks.defer(RENDER_DOCUMENTS, case_id=7, doc_ids=[1])

        def stale() -> None:
            raise StaleDataError("version changed")

        monkeypatch.setattr(uow.session, "flush", stale)
        uow.commit()
    assert sink.handed == [] and rows(runtime) == 0


def test_a_failed_hand_over_is_logged_and_the_change_stands(runtime, caplog):
    runtime.tasks = sink = Sink(runtime, fail=True)
    with caplog.at_level(logging.ERROR, logger="db.uow"), runtime.uow() as uow:
        change(uow)
        uow.tasks.defer(RENDER_DOCUMENTS, case_id=7, doc_ids=[1])
        uow.tasks.defer(SEND_MAIL, to_address="a@example.vn")
        uow.commit()
    assert [name for name, *_ in sink.handed] == [RENDER_DOCUMENTS, SEND_MAIL]  # both tried
    assert rows(runtime) == 1
    assert "render_documents could not be handed over" in caplog.text


def test_without_a_queue_tasks_are_dropped(runtime):
    assert runtime.tasks is None
    with runtime.uow() as uow:
        change(uow)
        uow.tasks.defer(RENDER_DOCUMENTS, case_id=7, doc_ids=[1])
        uow.commit()
    assert rows(runtime) == 1 and uow.tasks.pending == []
