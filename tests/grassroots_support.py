"""Put the test district's school cell under a đảng ủy cơ sở, so that its grassroots vote, 8-KNĐ
and 15-KNĐ are required (the test district's cells are chi bộ cơ sở, directly under the deciding
committee, which need none of them)."""

from __future__ import annotations

from datetime import date

from db.actors import actor_by_username
from db.models import Organisation
from db.repositories.organisations import add_organisation
from tests.factories import NOW, District
from workflow.services import restructure

GRASSROOTS = "Đảng ủy Khối trường học Thử"


def under_grassroots_committee(district: District, as_of: date = date(2020, 1, 1)) -> int:
    """Move the district's cell under a new grassroots committee (15 members) from `as_of`,
    through the restructuring use case; refresh the actors' grants and the cell; its id."""
    with district.runtime.sessions() as session:
        root = session.get(Organisation, district.committee.id)
        committee = add_organisation(session, GRASSROOTS, "committee", root, committee_size=15)
        session.commit()
        committee_id = committee.id
    restructure.move_organisation(
        district.runtime.uow(),
        district.actor("adm"),
        district.cell.id,
        committee_id,
        as_of,
        clock=NOW,
    )
    with district.runtime.sessions() as session:
        # The grants carry the paths of the tree as it is now (as a login reads them).
        district.actors = {name: actor_by_username(session, name) for name in district.actors}
        district.cell = session.get(Organisation, district.cell.id)
        session.expunge(district.cell)
    return committee_id
