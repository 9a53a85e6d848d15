"""The unit of work: one session, one transaction, every repository, rolled back unless committed.

This is the only place in ``db`` that commits.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db.repositories.cases import SqlCases
from db.repositories.classes import SqlClasses
from db.repositories.corrections import SqlCorrections
from db.repositories.documents import SqlDocuments
from db.repositories.enterprises import SqlEnterprises
from db.repositories.history import HeadSeen, SqlHistory
from db.repositories.importing import SqlImports
from db.repositories.logins import SqlLogins
from db.repositories.moves import SqlMoves
from db.repositories.organisations import SqlOrganisations, SqlTree
from db.repositories.outside import SqlOutside
from db.repositories.proposals import SqlProposals
from db.repositories.round_trips import KEY as TRIPS
from db.repositories.round_trips import Trips
from db.repositories.setup import SqlSetup
from db.repositories.targets import SqlTargets
from db.repositories.throttle import SqlMisses
from db.repositories.tokens import SqlTokens
from db.repositories.users import SqlUsers
from db.repositories.verification import SqlVerifications
from db.session import WRITE
from workflow.errors import Conflict
from workflow.ports.tasks import AfterCommit, Tasks
from workflow.settings import Settings

_DEFAULT = Settings()
log = logging.getLogger(__name__)


class SqlUnitOfWork:
    """A use case's transaction. Write transactions take SQLite's lock at BEGIN."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        settings: Settings = _DEFAULT,
        write: bool = True,
        tasks: Tasks | None = None,
    ):
        self.factory = factory
        self.settings = settings
        self.write = write
        # Where the tasks a use case defers go once it has committed (none: they are dropped).
        self.handover = tasks

    def __enter__(self) -> SqlUnitOfWork:
        # The unit of work owns a connection and its transaction; the session rides on it
        # (``rollback_only``: it never commits or closes that transaction itself). The write
        # path's Core statements then skip the session's transaction bookkeeping, and ORM
        # repositories still flush into the same transaction.
        self.connection = self.factory.kw["bind"].connect()
        #: PostgreSQL's write transactions in two messages (``round_trips``); None elsewhere.
        self.trips: Trips | None = None
        if self.write and self.connection.dialect.name == "postgresql":
            # Autocommit at the driver: BEGIN and COMMIT are the unit of work's to send.
            self.connection.execution_options(**WRITE, isolation_level="AUTOCOMMIT")
            self.trips = Trips(self.connection)
            self.connection.info[TRIPS] = self.trips
        elif self.write:
            self.connection.execution_options(**WRITE)
        self.connection.begin()
        self.session = self.factory(bind=self.connection, join_transaction_mode="rollback_only")
        # The chain head a case loaded for update brings, handed to the history's append.
        self.head = HeadSeen()
        self.history = SqlHistory(self.session, self.head, self.trips)
        # On PostgreSQL the case's UPDATE may travel in its event's statement (``SqlCases.record``
        # hands it to the history, ``commit`` sends one still held).
        self.cases = SqlCases(
            self.session, self.settings.rules, self.head, self.history, self.trips
        )
        self.users = SqlUsers(self.session)
        self.organisations = SqlOrganisations(self.session)
        self.tree = SqlTree(self.session)
        self.targets = SqlTargets(self.session)
        self.outside = SqlOutside(self.session)
        self.enterprises = SqlEnterprises(self.session)
        self.documents = SqlDocuments(self.session, self.settings.rules)
        self.proposals = SqlProposals(self.session)
        self.imports = SqlImports(self.session, self.cases)
        self.classes = SqlClasses(self.session)
        self.verifications = SqlVerifications(self.session)
        self.moves = SqlMoves(self.session)
        self.corrections = SqlCorrections(self.session)
        self.logins = SqlLogins(self.session)
        self.setup = SqlSetup(self.session)
        self.tokens = SqlTokens(self.session)
        self.misses = SqlMisses(self.session)
        self.tasks = AfterCommit()
        self._committed = False
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # Closing ends the transaction: rolled back unless committed. (No session rollback: it
        # would expire the objects a read-only use case hands back.)
        if self.trips is not None:
            self.connection.info.pop(TRIPS, None)
        self.session.close()
        self.connection.close()
        if isinstance(exc, StaleDataError):
            raise Conflict(
                "the case was changed by someone else meanwhile; reload and retry"
            ) from exc
        if isinstance(exc, OperationalError) and "could not serialize" in str(exc):
            raise Conflict("a concurrent change won; reload and retry") from exc

    def commit(self) -> None:
        self.history.settle()  # a case write that no event carried
        try:
            self.session.flush()
        except StaleDataError as err:
            raise Conflict(
                "the case was changed by someone else meanwhile; reload and retry"
            ) from err
        if self.trips is not None:
            self.trips.commit()  # the held write and COMMIT in one message (if one is held)
            self.trips.forget()
        self.connection.commit()
        self._committed = True
        self._hand_over()

    def _hand_over(self) -> None:
        """Give the tasks deferred in this unit of work to the queue, now that what they read is
        committed. The change stands whatever happens here: a task that cannot be handed over
        (or, inline, fails; ``web.tasks`` keeps its error) is logged, not raised."""
        for task in self.tasks.take():
            if self.handover is None:
                log.info("task %s dropped: this process has no task queue", task.name)
                continue
            try:
                self.handover.defer(task.name, lock=task.lock, **task.args)
            except Exception:
                log.exception("task %s could not be handed over after the commit", task.name)

    def rollback(self) -> None:
        self.session.rollback()
        if self.trips is not None:
            self.trips.forget()
        self.head.forget()
        self.tasks.clear()
        self.history.pending = None
