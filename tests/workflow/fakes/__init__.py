"""In-memory fakes of workflow/ports: the use cases run on them with no database, no Flask.

The district of these fakes: a deciding committee at ``/1/``, a grassroots committee at
``/1/2/`` and two party cells below it, ``/1/2/3/`` (ours) and ``/1/2/4/`` (the other one).
``FakeUnitOfWork`` holds a fake of every repository; each area's fake lives in its own module.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tests.workflow.fakes.admin import FakeEnterprises, FakeOrganisations, FakeTargets, FakeUsers
from tests.workflow.fakes.cases import *  # noqa: F403 (the fake district's names)
from tests.workflow.fakes.cases import FakeCase, FakeCases
from tests.workflow.fakes.classes import FakeClasses
from tests.workflow.fakes.corrections import FakeCorrections
from tests.workflow.fakes.documents import FakeDocuments
from tests.workflow.fakes.importing import FakeImports
from tests.workflow.fakes.logins import FakeLogins
from tests.workflow.fakes.moves import FakeMoves
from tests.workflow.fakes.outside import FakeOutside
from tests.workflow.fakes.proposals import FakeProposals
from tests.workflow.fakes.tasks import FakeTasks
from tests.workflow.fakes.throttle import FakeMisses
from tests.workflow.fakes.tokens import FakeTokens
from tests.workflow.fakes.tree import FakeTree
from tests.workflow.fakes.verification import FakeVerifications
from workflow.ports.history import Appended, ChainCheckpoint, NewEvent
from workflow.settings import RuleSettings, Settings


class FakeHistory:
    """The History port: a list of the events appended."""

    def __init__(self) -> None:
        self.events: list[NewEvent] = []
        self.checks: list[ChainCheckpoint] = []

    def append(self, event: NewEvent) -> Appended:
        return self.append_many((event,))[0]

    def append_many(self, events: Sequence[NewEvent]) -> list[Appended]:
        start = len(self.events)
        self.events.extend(events)
        return [Appended(start + i + 1, f"fake{start + i + 1}") for i in range(len(events))]

    def save_check(self, checkpoint: ChainCheckpoint) -> None:
        self.checks.append(checkpoint)


class FakeUnitOfWork:
    """A unit of work that keeps changes only when committed; ``committed`` is per use case."""

    def __init__(
        self,
        *cases: FakeCase,
        repository: FakeCases | None = None,
        rules: RuleSettings | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.settings = settings or Settings()
        if rules is not None:
            self.settings = replace(self.settings, rules=rules)
        self.cases = repository if repository is not None else FakeCases(cases)
        self.history = FakeHistory()
        self.documents = FakeDocuments()
        self.proposals = FakeProposals()
        self.organisations = FakeOrganisations()
        self.users = FakeUsers(self.organisations)
        self.tree = FakeTree(self.organisations, self.users, self.cases)
        self.targets = FakeTargets()
        self.outside = FakeOutside()
        self.enterprises = FakeEnterprises()
        self.imports = FakeImports(self.cases)
        self.classes = FakeClasses(self.cases)
        self.moves = FakeMoves(self.cases)
        self.corrections = FakeCorrections(self.cases, self.documents)
        self.verifications = FakeVerifications(self.cases)
        self.logins = FakeLogins(self.users)
        self.tokens = FakeTokens(self.users)
        self.misses = FakeMisses()
        self.tasks = FakeTasks()
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self.committed = False
        self._saved: Any = (
            copy.deepcopy(self.cases.items),
            len(self.history.events),
            len(self.documents.generated),
        )
        # Repositories that keep their own state say how to put it back (``snapshot``/``restore``).
        self._snapshots = {n: r.snapshot() for n, r in vars(self).items() if hasattr(r, "snapshot")}
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.rollback()

    def commit(self) -> None:
        self.committed = True
        self.tasks.hand_over()

    def rollback(self) -> None:
        """Put every case back as it was at the start, in place; drop what was added."""
        saved, events, generated = self._saved
        for case_id in list(self.cases.items):
            if case_id in saved:
                vars(self.cases.items[case_id]).update(vars(saved[case_id]))
            else:
                del self.cases.items[case_id]
        del self.history.events[events:]
        del self.documents.generated[generated:]
        self.tasks.clear()
        for name, saved_state in self._snapshots.items():
            getattr(self, name).restore(saved_state)
