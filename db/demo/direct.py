"""Everything the demo writes outside the use cases, and why: three small writes, all here.

- ``first_admin``: the setting-up admin (``admin`` in district.toml), their one grant and the
  organisations from the root down to its scope. Before them nobody may act through the admin
  use cases (they are the actor of all the others), and nobody may create what lies above an
  admin's scope: this is what ``hoso setup`` will do for a real instance. No history event.
- ``demo_passwords``: the demo accounts' password (``demo``) is shorter than a real one may be
  (``workflow.admin.PASSWORD_MIN``), so it is stored here rather than through ``reset_password``;
  the other users keep none (``create_user`` gave them an unusable random one).
- ``paper_register``: the proposals kept on paper before hoso kept proposals, each accepted on
  the day its case opened: historic rows typed in, not decisions taken in hoso (the cases they
  opened are, through ``identify``), so they carry no event of their own.

Each is one transaction of the session factory (``sessions.begin()`` commits when the block
ends): db/ calls ``commit()`` only in the unit of work, and these are not use cases.
"""

from __future__ import annotations

from db.demo.district import Ids
from db.demo.story import Story
from db.models import Case, User
from db.models.proposals import Proposal
from db.repositories.organisations import add_organisation, org_record
from db.repositories.users import SqlUsers
from db.runtime import Runtime
from workflow.proposals import PERSON_NAMES, ProposalStatus


def first_admin(runtime: Runtime, story: Story) -> Ids:
    """The setting-up admin, their grant, and the organisations from the root to its scope."""
    ids = Ids()
    admin = next(u for u in story.users if u.username == story.frame.admin)
    with runtime.sessions.begin() as session:
        parent = None
        for spec in story.admin_chain():
            parent = add_organisation(session, spec.name, spec.type, parent, **spec.values)
            ids.orgs[spec.key] = org_record(parent)
        users = SqlUsers(session)
        user_id = users.add(
            username=admin.username,
            full_name=admin.full_name,
            email=None,
            password=story.frame.password,
            active=True,
            member_id=None,
        )
        assert user_id is not None, "the demo loads only into an empty database"
        users.add_grant(user_id, admin.role, ids.orgs[admin.scope].id)
    ids.users[admin.username] = user_id
    return ids


def demo_passwords(runtime: Runtime, story: Story, ids: Ids) -> None:
    """The demo password for the active users (the demo accounts), none for the others."""
    with runtime.sessions.begin() as session:
        users = SqlUsers(session)
        for spec in story.users:
            if spec.username == story.frame.admin:
                continue  # set with the account
            if spec.active:
                users.set_password(ids.users[spec.username], story.frame.password)
            else:
                session.get(User, ids.users[spec.username]).password_hash = ""


def paper_register(runtime: Runtime, story: Story, ids: Ids) -> int:
    """An accepted proposal for every case opened from a mass organisation's introduction,
    written as the cell decided it on the day the case was opened; returns how many."""
    with runtime.sessions.begin() as session:
        for paper in story.papers:
            case = session.get(Case, ids.cases[paper.case])
            org = ids.orgs[paper.organisation]
            session.add(
                Proposal(
                    organisation_id=org.id,
                    cell_id=org.parent_id,
                    introducer_id=ids.users[paper.introducer],
                    status=ProposalStatus.accepted.value,
                    proposed_on=paper.proposed_on,
                    **{name: getattr(case.person, name) for name in PERSON_NAMES},
                    **paper.texts,
                    decided_on=case.opened_on,
                    decided_by_id=ids.users[paper.decided_by],
                    case_id=case.id,
                )
            )
    return len(story.papers)
