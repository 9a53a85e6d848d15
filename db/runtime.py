"""What a command or the web app needs to run use cases: engine, sessions, settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Organisation
from db.session import instance_path, make_engine, session_factory
from db.uow import SqlUnitOfWork
from workflow.ports.tasks import Tasks
from workflow.settings import Settings, load_settings


def instance_settings(folder: Path | None = None) -> Settings:
    """The instance's ``hoso.toml`` with the environment's overrides, checked (at start-up)."""
    return load_settings((folder or instance_path()) / "hoso.toml", os.environ)


@dataclass
class Runtime:
    """An engine, its session factory and the rule settings, made once per process."""

    engine: Engine
    sessions: sessionmaker[Session]
    settings: Settings
    #: Where units of work hand the tasks their use cases defer (``web.tasks``); none: dropped.
    tasks: Tasks | None = None

    @classmethod
    def from_url(cls, url: str | None = None, settings: Settings | None = None) -> Runtime:
        engine = make_engine(url)
        return cls(engine, session_factory(engine), settings or instance_settings())

    def uow(self, write: bool = True) -> SqlUnitOfWork:
        """A new unit of work (a write one takes SQLite's lock when it begins)."""
        return SqlUnitOfWork(self.sessions, self.settings, write=write, tasks=self.tasks)

    def is_empty(self) -> bool:
        """No organisation exists yet."""
        with self.sessions() as session:
            return not session.scalar(select(func.count()).select_from(Organisation))
