"""Work done later, off the request: a use case or a view says *what* through ``Tasks.defer``.

Two implementations (``web.tasks``): on PostgreSQL the task is queued with procrastinate and a
``hoso worker`` process runs it (retrying when it fails); on SQLite, the embedded default, it runs
right away in the same process, so a one-process instance needs no worker. Arguments are plain
JSON values (ids, strings, numbers), because a queued task is stored as JSON.

A use case defers through its unit of work (``uow.tasks``, an ``AfterCommit``): the task is handed
over only after the unit of work commits (``db.uow.SqlUnitOfWork.commit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

#: Render a case's packet into the packet cache: ``case_id``, ``today`` (ISO), ``verify_url``
#: (the verification address with ``{code}`` where the code goes).
RENDER_PACKET = "render_packet"
#: Render re-issued (or any generated) documents into the file store: ``case_id``, ``doc_ids``
#: and ``verify_url`` (the web fills it in when a use case's unit of work hands the task over).
RENDER_DOCUMENTS = "render_documents"
#: Send one e-mail, already rendered: ``to_name``, ``to_address``, ``subject``, ``text``,
#: ``html``.
SEND_MAIL = "send_mail"

TASK_NAMES = (RENDER_PACKET, RENDER_DOCUMENTS, SEND_MAIL)


class Tasks(Protocol):
    """Where work to be done later is handed over."""

    #: True when a deferred task has already run when ``defer`` returns (SQLite).
    inline: bool

    def defer(self, name: str, *, lock: str | None = None, **args: Any) -> None:
        """Have task `name` run with `args` (plain JSON values). `lock`: while a task of that lock
        waits, deferring it again adds nothing. Inline, what the task raises is raised here."""
        ...


@dataclass(frozen=True)
class Deferred:
    """A task a unit of work was asked for: handed over only once the unit of work commits."""

    name: str
    lock: str | None
    args: dict[str, Any]


class AfterCommit:
    """The unit of work's ``tasks``: what a use case defers is kept here, in memory, and handed to
    the real ``Tasks`` only after the commit succeeds (``take``), so that a task never sees
    uncommitted data nor runs for a change rolled back (``clear``)."""

    #: Nothing runs when ``defer`` returns: it runs, if at all, after the commit.
    inline = False

    def __init__(self) -> None:
        self.pending: list[Deferred] = []

    def defer(self, name: str, *, lock: str | None = None, **args: Any) -> None:
        """Keep task `name` with `args` until the commit."""
        if name not in TASK_NAMES:
            raise KeyError(f"no task {name!r}")
        self.pending.append(Deferred(name, lock, dict(args)))

    def take(self) -> list[Deferred]:
        """The tasks kept so far, in order; none are kept after."""
        taken, self.pending = self.pending, []
        return taken

    def clear(self) -> None:
        """Forget every task kept (the change was rolled back)."""
        self.pending.clear()
