"""Who the load scenario's users are and which cases each may act on (``benchmarks.load``).

After ``benchmarks._web_pages_data.populate``: every user gets the bench password; the other
cells' secretaries (``sec.<c>``), more committee members (``com.<n>``) and an auditor (``audit``)
are added. The plan then gives each simulated user a login and cases of its own, chosen so that
no two users ever act on one case and every action it tries is allowed in the case's state:
- mentors note on their own mentees that are open and not awaiting the committee
  (mentored, trained, returned, admitted; the mentor is ``cases.mentor_id``);
- secretaries withdraw and reinstate cases of their own cell without a mentor (identified,
  withdrawn: a mentored case would leave its mentor's hands);
- committee members return submitted dossiers (dossier_submitted), each from its own share.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select, update

from benchmarks._data import CASES, ORGANISATIONS, PEOPLE, USERS
from benchmarks._web_pages_data import PASSWORD
from db.models import RoleGrant, User
from db.passwords import hash_password
from db.session import session_factory

#: How many cases a user keeps in its plan: enough for a run of ten minutes, a small file.
PER_USER = 200
MENTOR_STATES = ("mentored", "trained", "returned", "admitted")
SECRETARY_STATES = ("identified", "withdrawn")
#: Shares of the users, as in the issue's 50: mentors the rest, and at least one of each.
SHARES = {"secretary": 10 / 50, "committee": 12 / 50, "auditor": 2 / 50}


def counts(users: int, cells: int) -> dict[str, int]:
    """How many simulated users of each role, `users` in all (secretaries: one per cell at most)."""
    if users < 4:
        raise ValueError("the scenario needs at least 4 users (one of each role)")
    shares = {role: max(1, round(users * share)) for role, share in SHARES.items()}
    shares["secretary"] = min(shares["secretary"], cells)
    return {"mentor": users - sum(shares.values()), **shares}


def _cells(engine: Engine) -> tuple[int, list[int]]:
    """The committee and its cells, in the order build_district made them."""
    with engine.connect() as conn:
        committee = conn.scalar(
            select(ORGANISATIONS.c.id).where(ORGANISATIONS.c.type == "committee")
        )
        cells = list(
            conn.scalars(
                select(ORGANISATIONS.c.id)
                .where(ORGANISATIONS.c.type == "cell")
                .order_by(ORGANISATIONS.c.id)
            )
        )
    return committee, cells


def add_users(engine: Engine, roles: dict[str, int]) -> None:
    """The users the plan needs beyond populate's, then the bench password for everyone."""
    committee, cells = _cells(engine)
    password = hash_password(PASSWORD)  # as the app stores one: no upgrade on the first login
    wanted = [(f"sec.{c}", "secretary", cells[c]) for c in range(1, roles["secretary"])]
    wanted += [(f"com.{n}", "committee", committee) for n in range(1, roles["committee"])]
    wanted.append(("audit", "auditor", committee))
    with session_factory(engine)() as session:
        for username, role, organisation in wanted:
            user = User(username=username, full_name=username, password_hash=password)
            user.grants.append(RoleGrant(role=role, organisation_id=organisation))
            session.add(user)
        session.commit()
    with engine.begin() as conn:
        conn.execute(update(USERS).values(password_hash=password))


def _shares(items: Sequence[int], parts: int) -> list[list[int]]:
    """`items` dealt out to `parts` users, each at most PER_USER."""
    return [list(items[n::parts][:PER_USER]) for n in range(parts)]


def _mentor_slots(engine: Engine, n: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        logins = conn.execute(
            select(USERS.c.username, USERS.c.member_id)
            .where(USERS.c.username.like("mentor.%"))
            .order_by(USERS.c.id)
        ).all()
        slots = []
        sharing = -(-n // len(logins))  # users per login
        for i in range(n):
            username, member = logins[i % len(logins)]
            mine = select(CASES.c.id).where(CASES.c.mentor_id == member).order_by(CASES.c.id)
            acts = list(conn.scalars(mine.where(CASES.c.state.in_(MENTOR_STATES))))
            every = list(conn.scalars(mine.limit(4 * PER_USER)))
            part = i // len(logins)
            slots.append(
                {
                    "username": username,
                    "cases": _shares(acts, sharing)[part],
                    "browse": _shares(every, sharing)[part],
                }
            )
    return slots


def _secretary_slots(engine: Engine, n: int) -> list[dict[str, Any]]:
    _committee, cells = _cells(engine)
    slots = []
    with engine.connect() as conn:
        for c in range(n):
            in_cell = select(CASES.c.id, CASES.c.state).where(CASES.c.cell_id == cells[c])
            rows = conn.execute(
                in_cell.where(CASES.c.state.in_(SECRETARY_STATES)).order_by(CASES.c.id)
            ).all()[:PER_USER]
            browse = conn.scalars(
                select(CASES.c.id).where(CASES.c.cell_id == cells[c]).limit(2 * PER_USER)
            )
            slots.append(
                {
                    "username": "sec" if c == 0 else f"sec.{c}",
                    "cases": [case for case, _state in rows],
                    "states": {str(case): state for case, state in rows},
                    "browse": list(browse),
                }
            )
    return slots


def _committee_slots(engine: Engine, n: int, sample: list[int]) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        submitted = list(
            conn.scalars(
                select(CASES.c.id)
                .where(CASES.c.state == "dossier_submitted")
                .order_by(CASES.c.id)
                .limit(n * PER_USER)
            )
        )
    return [
        {"username": "com" if k == 0 else f"com.{k}", "cases": mine, "browse": mine + sample}
        for k, mine in enumerate(_shares(submitted, n))
    ]


def build(engine: Engine, roles: dict[str, int], seed: int = 11) -> dict[str, Any]:
    """The plan the locustfile reads: the password, each role's slots, names to search for."""
    chosen = random.Random(seed)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(CASES.c.id).order_by(CASES.c.id)))
        sample = chosen.sample(ids, min(PER_USER, len(ids)))
        _committee, cells = _cells(engine)
        names = list(
            conn.scalars(
                select(PEOPLE.c.search_name)
                .join(CASES, CASES.c.person_id == PEOPLE.c.id)
                .where(CASES.c.cell_id == cells[0])
                .limit(5)
            )
        )
    return {
        "password": PASSWORD,
        "mentor": _mentor_slots(engine, roles["mentor"]),
        "secretary": _secretary_slots(engine, roles["secretary"]),
        "committee": _committee_slots(engine, roles["committee"], sample),
        "auditor": [
            {"username": "audit", "cases": [], "browse": sample} for _ in range(roles["auditor"])
        ],
        # A common surname (thousands of rows: the capped count) and single people's full names
        # (the trigram index), as a secretary types them.
        "searches": ["nguyen", "tran+thi", *(n.replace(" ", "+") for n in names[:3])],
    }
