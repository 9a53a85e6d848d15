"""The demo's district is set up through the admin use cases (on SQLite and PostgreSQL): every
organisation, member, user, grant, target and enterprise but the first admin's is an
administrative event of the setting-up admin, before any case step, and the chain verifies."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from db.demo import load_demo
from db.models import Enterprise, Event, Organisation, RoleGrant, Target, User
from db.read.history import verify


def test_the_setup_is_a_history_of_admin_use_cases(runtime):
    load_demo(runtime)
    with runtime.sessions() as session:

        def count(model: type) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        events = session.execute(select(Event.action, Event.username, Event.at).order_by(Event.id))
        events = events.all()
        first_step = next(n for n, e in enumerate(events) if not e.action.startswith("admin_"))
        setup = events[:first_step]  # all of it before the first case step
        assert {e.username for e in setup} == {"admin"}
        assert setup[-1].at < events[first_step].at
        # Later, the admin enters the yearly admissions outside hoso and the 2025 reform.
        later = {e.action for e in events[first_step:] if e.action.startswith("admin_")}
        assert later == {
            "admin_set_outside_admissions",
            "admin_split_organisation",
            "admin_move_organisation",
            "admin_dissolve_organisation",
            "admin_move_grant",
            "admin_create_target",
        }
        made = Counter(e.action for e in setup)
        # The first admin, their grant and the organisation of their scope (Tỉnh ủy) are the
        # only rows written without an event; the reform's four communes are split off later.
        assert made["admin_create_organisation"] == count(Organisation) - 1 - 4
        assert made["admin_create_user"] == count(User) - 1
        assert made["admin_grant_role"] == count(RoleGrant) - 1
        assert made["admin_add_member"] == 64  # members.csv; the admitted cases add theirs
        assert made["admin_create_target"] == count(Target) - 8  # the communes' 2025–2026
        assert made["admin_create_enterprise"] == count(Enterprise)
    report = verify(runtime.engine)
    assert report.intact, report.problem
    assert report.checked == len(events)
