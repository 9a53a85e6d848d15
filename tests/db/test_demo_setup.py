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
        setup = [e for e in events if e.action.startswith("admin_")]
        assert {e.username for e in setup} == {"admin"}
        assert events[: len(setup)] == setup  # all of it before the first case step
        assert setup[-1].at < events[len(setup)].at
        made = Counter(e.action for e in setup)
        # The first admin, their grant and the two organisations above the district's cells
        # (Tỉnh ủy, huyện) are the only rows written without an event.
        assert made["admin_create_organisation"] == count(Organisation) - 2
        assert made["admin_create_user"] == count(User) - 1
        assert made["admin_grant_role"] == count(RoleGrant) - 1
        assert made["admin_add_member"] == 64  # members.csv; the admitted cases add theirs
        assert made["admin_create_target"] == count(Target)
        assert made["admin_create_enterprise"] == count(Enterprise)
    report = verify(runtime.engine)
    assert report.intact, report.problem
    assert report.checked == len(events)
