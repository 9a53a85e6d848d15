"""What the use cases need from storage, as protocols: ``db`` implements them, tests fake them.

One unit of work holds every repository and the instance's settings; a use case opens it, reads
and changes through its repositories, appends its events to ``history`` and commits once.
"""

from __future__ import annotations

from typing import Protocol

from workflow.ports.admin import OrganisationRepository, UserRepository
from workflow.ports.cases import CaseRecord, CaseRepository
from workflow.ports.classes import ClassRepository
from workflow.ports.corrections import CorrectionRepository
from workflow.ports.documents import DocumentRepository
from workflow.ports.enterprises import EnterpriseRepository
from workflow.ports.history import Appended, History, NewEvent
from workflow.ports.importing import ImportRepository
from workflow.ports.logins import LoginRepository
from workflow.ports.moves import MoveRepository
from workflow.ports.outside import OutsideRepository
from workflow.ports.proposals import ProposalRepository
from workflow.ports.setup import SetupRepository
from workflow.ports.targets import TargetRepository
from workflow.ports.tasks import AfterCommit
from workflow.ports.throttle import MissRepository
from workflow.ports.tokens import TokenRepository
from workflow.ports.tree import TreeRepository
from workflow.ports.verification import VerificationRepository
from workflow.settings import Settings

__all__ = [
    "Appended",
    "CaseRecord",
    "CaseRepository",
    "History",
    "NewEvent",
    "UnitOfWork",
]


class UnitOfWork(Protocol):
    """One use case's transaction: nothing is kept unless ``commit`` is called."""

    settings: Settings
    cases: CaseRepository
    history: History
    documents: DocumentRepository
    users: UserRepository
    organisations: OrganisationRepository
    tree: TreeRepository
    targets: TargetRepository
    outside: OutsideRepository
    enterprises: EnterpriseRepository
    proposals: ProposalRepository
    imports: ImportRepository
    classes: ClassRepository
    moves: MoveRepository
    corrections: CorrectionRepository
    verifications: VerificationRepository
    logins: LoginRepository
    setup: SetupRepository
    tokens: TokenRepository
    misses: MissRepository
    tasks: AfterCommit

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
