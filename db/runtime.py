"""What a command or the web app needs to run use cases: engine, sessions, rule settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Organisation
from db.session import instance_path, make_engine, session_factory
from db.uow import SqlUnitOfWork
from workflow.settings import DEFAULT_SETTINGS, RuleSettings


def load_settings(folder: Path | None = None) -> RuleSettings:
    """The ``[rules]`` table of ``hoso.toml`` in the instance folder, over the defaults."""
    path = (folder or instance_path()) / "hoso.toml"
    if not path.exists():
        return DEFAULT_SETTINGS
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"{path}: {err}") from err
    try:
        return RuleSettings.from_mapping({**data.get("rules", {}), **data.get("calendar", {})})
    except (TypeError, ValueError) as err:
        raise ValueError(f"{path}: {err}") from err


@dataclass
class Runtime:
    """An engine, its session factory and the rule settings, made once per process."""

    engine: Engine
    sessions: sessionmaker[Session]
    settings: RuleSettings

    @classmethod
    def from_url(cls, url: str | None = None, settings: RuleSettings | None = None) -> Runtime:
        engine = make_engine(url)
        return cls(engine, session_factory(engine), settings or load_settings())

    def uow(self, write: bool = True) -> SqlUnitOfWork:
        """A new unit of work (a write one takes SQLite's lock when it begins)."""
        return SqlUnitOfWork(self.sessions, self.settings, write=write)

    def is_empty(self) -> bool:
        """No organisation exists yet."""
        with self.sessions() as session:
            return not session.scalar(select(func.count()).select_from(Organisation))
