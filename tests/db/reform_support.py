"""A district that crosses the 01/07/2025 reform, for the tests of the tree over time.

Beside the test district's own tree: Tỉnh ủy Lâm Đồng → Đảng bộ huyện Đức Trọng (it decides)
→ two cells; on 01/07/2025 the admin splits the district: Đảng ủy xã Hiệp Thạnh, under the
province and deciding, takes both cells, and the district is dissolved. Cases walk through the
use cases on dated clocks, under the users of the test district with grants on this tree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from db.models import Organisation
from db.repositories.organisations import add_organisation
from tests.factories import District, _member
from workflow.clock import Clock
from workflow.facts import Actor, Grant
from workflow.services import restructure

REFORM = date(2025, 7, 1)
COMMUNE = "Đảng ủy xã Hiệp Thạnh"


def at(day: date) -> Clock:
    return Clock(datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC))


@dataclass
class Reform:
    """The tree's ids and a ``District`` walker bound to its school cell."""

    walker: District
    province: int
    huyen: int
    cell: int
    other: int
    commune: int | None = None

    @property
    def admin(self) -> Actor:
        return self.walker.actor("adm")

    def cross(self) -> int:
        """The reform as the admin records it on 01/07/2025; the commune committee's id."""
        uow = self.walker.runtime.uow
        self.commune = restructure.split_organisation(
            uow(),
            self.admin,
            self.huyen,
            name=COMMUNE,
            children=[self.cell, self.other],
            as_of=REFORM,
            parent_id=self.province,
            decides_admissions=True,
            committee_size=9,
            clock=at(REFORM),
        )
        restructure.dissolve_organisation(uow(), self.admin, self.huyen, REFORM, clock=at(REFORM))
        # The actors' grants carry the paths of the tree as it is now (as a login reads them).
        self.walker.actors = _actors(self.walker, self.province, self.cell)
        return self.commune

    def admitted(self, opened: date, decided: date, name: str, cross_before: bool = False) -> int:
        """A case opened on `opened` and admitted by a decision of `decided`; its id. The reform
        is crossed on the way when `cross_before` (after the training, before the dossier)."""
        w = self.walker
        case = w.identify(clock=at(opened), full_name=name, birth_date="1985-05-15")
        w.fire(case.id, "assign_mentor", clock=at(opened), mentor=w.members[1].id)
        trained = opened + timedelta(days=30)
        w.fire(
            case.id,
            "complete_training",
            clock=at(trained),
            certificate_number=f"CN-{case.id}",
            certificate_date=trained.isoformat(),
        )
        if cross_before:
            self.cross()
        vote = decided - timedelta(days=30)
        dossier = vote - timedelta(days=10)
        for member in w.members[1:3]:
            w.record(
                case.id,
                "introduction",
                clock=at(dossier),
                kind="member",
                member=member.id,
                known_since="2015-01-01",
                dated=dossier.isoformat(),
            )
        for code in ("1-KNĐ", "2-KNĐ", "5-KNĐ", "6-KNĐ"):  # 3-KNĐ: the introductions put them
            w.record(case.id, "document", clock=at(dossier), code=code, dated=dossier.isoformat())
        w.verify(case.id, dossier.isoformat(), clock=at(dossier))
        w.fire(
            case.id,
            "submit_dossier",
            clock=at(vote),
            vote_date=vote.isoformat(),
            votes_for=len(w.members),
        )
        w.fire(
            case.id,
            "admit",
            "com",
            clock=at(decided),
            vote_date=(decided - timedelta(days=5)).isoformat(),
            votes_for=9,
            decision_number=f"{case.id}-QĐ",
            decision_date=decided.isoformat(),
        )
        return case.id


def build_reform(district: District) -> Reform:
    """The Lâm Đồng tree beside the test district's, with the district's users granted on it."""
    with district.runtime.sessions() as session:
        province = add_organisation(session, "Tỉnh ủy Lâm Đồng", "committee")
        huyen = add_organisation(
            session,
            "Đảng bộ huyện Đức Trọng",
            "committee",
            province,
            decides_admissions=True,
            committee_size=13,
        )
        cell = add_organisation(
            session, "Chi bộ trường THPT Đức Trọng", "cell", huyen, unit_kind="school"
        )
        other = add_organisation(
            session, "Chi bộ Công ty TNHH Đồng Thúy", "cell", huyen, unit_kind="enterprise"
        )
        members = [_member(session, cell, f"Đảng viên Đức Trọng {i}") for i in range(6)]
        session.commit()
        ids = province.id, huyen.id, cell.id, other.id
        cell_org = session.get(Organisation, cell.id)
        huyen_org = session.get(Organisation, huyen.id)
        other_org = session.get(Organisation, other.id)
        session.expunge_all()

    walker = District(district.runtime, huyen_org, cell_org, other_org, members, [], {})
    walker.actors = _actors(district, ids[0], ids[2])
    return Reform(walker, *ids)


def _actors(district: District, province: int, cell: int) -> dict[str, Actor]:
    """The test district's ``sec``, ``com`` and ``adm`` with grants on this tree (as it is now)."""
    with district.runtime.sessions() as session:
        paths = {i: session.get(Organisation, i).path for i in (province, cell)}

    def grant(name: str, role: str, org_id: int) -> Actor:
        return replace(district.actor(name), grants=(Grant(role, org_id, paths[org_id]),))

    return {
        "sec": grant("sec", "secretary", cell),
        "com": grant("com", "committee", province),
        "adm": grant("adm", "admin", province),
    }
