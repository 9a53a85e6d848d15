"""Work done later, off the request: a use case or a view says *what* through ``Tasks.defer``.

Two implementations (``web.tasks``): on PostgreSQL the task is queued with procrastinate and a
``hoso worker`` process runs it (retrying when it fails); on SQLite, the embedded default, it runs
right away in the same process, so a one-process instance needs no worker. Arguments are plain
JSON values (ids, strings, numbers), because a queued task is stored as JSON.
"""

from __future__ import annotations

from typing import Any, Protocol

#: Render a case's packet into the packet cache: ``case_id``, ``today`` (ISO), ``verify_url``
#: (the verification address with ``{code}`` where the code goes).
RENDER_PACKET = "render_packet"
#: Render re-issued (or any generated) documents into the file store: ``doc_ids``,
#: ``verify_url``.
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
