"""The demo district (``hoso demo``): Đảng bộ huyện Đức Trọng, its cells, people and history.

The seed (Kế hoạch 159-KH/HU of Huyện ủy Đức Trọng) describes 6 high-school and 3 non-state
enterprise party organisations; 3 students and 5 workers admitted in 2020–2023; in Q1 2024 one
employee admitted at Công ty TNHH Đồng Thúy and one student's dossier completed at THPT Đức Trọng;
and cells or mass organisations that do little. The story lives in data files (``data/``,
described in docs/demo.md); this package reads them (``story``), sets the district up through
the admin use cases (``district``) after creating its first admin (``direct``: the demo's only
writes outside the use cases, each explained there), and plays every step through the same use
cases as the web and the CLI (``timeline``, ``actions``), on the story's dates, so that the rules
judge every step and the history chain is real.

Everything is deterministic: no dependence on today's date. Two loads produce the same rows and
the same event digests (password hashes aside: they are salted).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from db.demo import actions
from db.demo.direct import demo_passwords, first_admin, paper_register
from db.demo.district import Setup
from db.demo.files import DataError
from db.demo.story import DATA, read_story
from db.demo.timeline import Timeline
from db.models import Case, Event, Member, Organisation, User
from db.runtime import Runtime
from workflow.states import State

__all__ = ["DATA", "LAST_DAY", "DataError", "DemoSummary", "load_demo"]


def __getattr__(name: str) -> Any:
    # ``LAST_DAY`` is the story's, read from its data when asked for (not at import).
    if name == "LAST_DAY":
        return read_story().frame.last_day
    raise AttributeError(name)


@dataclass
class DemoSummary:
    """What was loaded, for the command to print."""

    organisations: int
    members: int  # party members still on the rolls (not removed)
    users: int
    cases: dict[str, int]  # by state, every state listed
    events: int
    accounts: list[tuple[str, str, str]]  # (username, role, scope name): the demo accounts

    @property
    def total_cases(self) -> int:
        return sum(self.cases.values())

    def describe(self) -> str:
        states = ", ".join(f"{state} {count}" for state, count in self.cases.items())
        return (
            f"{self.organisations} organisations, {self.members} party members, {self.users} "
            f"users, {self.total_cases} cases ({states}), {self.events} history events"
        )


def load_demo(runtime: Runtime, data: Path = DATA) -> DemoSummary:
    """Build the demo district of the data folder `data` into an empty (migrated) database.

    The data files are read and checked first (a malformed one raises ``DataError`` naming the
    file and the entry, before anything is written). After the first admin, every change is
    then its own committed use case, as in real use; one the rules refuse is a bug in the data
    and stops the load with the file, the entry and the rule named (the database, then partly
    loaded, is to be recreated: its history cannot be deleted).
    """
    if not runtime.is_empty():
        raise ValueError("the database is not empty; the demo loads only into an empty one")
    story = read_story(data)
    ids = first_admin(runtime, story)
    accounts = Setup(runtime, story, ids).run()
    demo_passwords(runtime, story, ids)
    with runtime.sessions() as session:
        actors = actions.actors(session)
    timeline = Timeline(runtime, story, ids, actors)
    timeline.run_cases()
    paper_register(runtime, story, ids)
    timeline.run_later()
    return summarise(runtime, accounts)


def _scopes_now(session: Any, accounts: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The demo accounts with the organisation their role is held on now (the 2025 reform moved
    the district's roles to the province)."""
    found = []
    for username, role, scope in accounts:
        user = session.scalar(select(User).where(User.username == username))
        grant = next((g for g in user.grants if g.role == role), None) if user else None
        found.append((username, role, grant.organisation.name if grant else scope))
    return found


def summarise(runtime: Runtime, accounts: list[tuple[str, str, str]]) -> DemoSummary:
    """Count what the database holds."""
    with runtime.sessions() as session:

        def count(model: type, *where: Any) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        by_state = dict(
            session.execute(select(Case.state, func.count()).group_by(Case.state)).all()
        )
        return DemoSummary(
            organisations=count(Organisation),
            members=count(Member, Member.left_on.is_(None)),
            users=count(User),
            cases={state.value: by_state.get(state.value, 0) for state in State},
            events=count(Event),
            accounts=_scopes_now(session, accounts),
        )
