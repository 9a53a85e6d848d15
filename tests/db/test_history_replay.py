"""A case on a past date is its events replayed."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from db.models import Case, Certificate, Decision
from db.read.cases import case_detail
from tests.db.history_support import at
from tests.factories import TODAY


def test_the_state_on_a_past_date_is_rebuilt_from_the_events(district):
    d, sec = district, "sec"
    case = d.identify(clock=at("2024-01-05T03:00"))
    d.fire(case.id, "assign_mentor", clock=at("2024-01-08T03:00"), mentor=d.members[1].id)
    d.fire(case.id, "reassign_mentor", clock=at("2024-02-01T03:00"), mentor=d.members[2].id)
    d.fire(
        case.id,
        "complete_training",
        clock=at("2024-03-01T03:00"),
        certificate_number="CN-07",
        certificate_date="2024-02-20",
    )
    for member in d.members[1:3]:
        d.record(
            case.id,
            "introduction",
            sec,
            at("2024-04-01T03:00"),
            kind="member",
            member=member.id,
            known_since="2020-01-01",
            dated="2024-04-01",
        )
    for code in ("1-KNĐ", "2-KNĐ", "5-KNĐ", "6-KNĐ"):  # 3-KNĐ: the introductions put them
        d.record(case.id, "document", sec, at("2024-04-01T03:00"), code=code, dated="2024-04-01")
    d.fire(
        case.id,
        "submit_dossier",
        clock=at("2024-04-10T03:00"),
        vote_date="2024-04-10",
        votes_for=len(d.members),
    )
    d.fire(
        case.id,
        "admit",
        "com",
        at("2024-05-20T03:00"),
        vote_date="2024-05-10",
        votes_for=10,
        decision_number="45-QĐ/HU",
        decision_date="2024-05-20",
    )

    with d.runtime.sessions() as session:

        def on(day: str) -> dict[str, Any]:
            return case_detail(session, case.id, date.fromisoformat(day))

        before = on("2024-01-04")
        assert (before["exists"], before["state"], before["events"]) == (False, None, [])
        expected = {
            "2024-01-05": "identified",
            "2024-01-07": "identified",
            "2024-01-08": "mentored",
            "2024-02-01": "mentored",
            "2024-02-29": "mentored",
            "2024-03-01": "trained",
            "2024-04-01": "trained",
            "2024-04-09": "trained",
            "2024-04-10": "dossier_submitted",
            "2024-05-19": "dossier_submitted",
            "2024-05-20": "admitted",
            "2025-01-01": "admitted",
        }
        assert {day: on(day)["state"] for day in expected} == expected
        assert on("2024-01-05")["exists"] is True
        # The mentor of that day, not today's.
        mentors = {day: on(day)["mentor"] for day in ("2024-01-07", "2024-01-08", "2024-02-01")}
        assert mentors == {"2024-01-07": None, "2024-01-08": "mentor", "2024-02-01": "mentor2"}
        assert len(on("2024-01-31")["events"]) == 2
        assert on("2024-01-31")["data"]["assign_mentor"]["mentor_id"] == d.members[1].id
        assert "complete_training" not in on("2024-02-29")["data"]
        # Four typed, and each member's introduction put its letter (3-KNĐ) on file.
        documents = on("2024-04-01")["facts"]["document"]
        assert sorted(d["code"] for d in documents) == sorted(
            ["1-KNĐ", "2-KNĐ", "3-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"]
        )
        assert len(on("2024-04-01")["facts"]["introduction"]) == 2

        stored = session.get(Case, case.id)
        now, today = case_detail(session, case.id), on(TODAY.isoformat())
        assert today["state"] == now["state"] == stored.state == "admitted"
        assert today["events"] == now["events"]
        assert len(now["events"]) == stored.version == 14  # two 3-KNĐ, one per introducer
        assert today["mentor"] == now["mentor"] == "mentor2"
        # What the events recorded is what the tables hold.
        data = now["data"]
        assert data["reassign_mentor"]["mentor_id"] == stored.mentor_id == d.members[2].id
        certificate = session.scalars(select(Certificate).where(Certificate.case_id == case.id))
        assert [c.number for c in certificate] == ["CN-07"]
        assert data["complete_training"]["certificate_number"] == stored.certificate_number
        assert data["complete_training"]["certificate_date"] == "2024-02-20"
        assert stored.certificate_date == date(2024, 2, 20)
        decision = session.scalars(select(Decision).where(Decision.case_id == case.id)).one()
        assert data["admit"]["decision_number"] == stored.decision_number == decision.number
        assert data["admit"]["decision_date"] == decision.signed_on.isoformat()
        assert data["submit_dossier"]["vote_date"] == stored.cell_vote_date.isoformat()


def test_a_past_date_is_a_day_of_the_local_calendar(district):
    # The rules count days in Vietnam (UTC+7); so do opened_on and the dates asked for.
    case = district.identify(clock=at("2024-01-05T20:00"))  # 6 January, 03:00 local
    district.fire(
        case.id,
        "assign_mentor",
        clock=at("2024-01-06T16:59:59.999999"),
        mentor=district.members[1].id,
    )
    district.fire(case.id, "withdraw", clock=at("2024-01-06T17:00"), reason="chuyển trường")
    with district.runtime.sessions() as session:
        assert session.get(Case, case.id).opened_on == date(2024, 1, 6)
        states = {
            day: case_detail(session, case.id, date.fromisoformat(day))["state"]
            for day in ("2024-01-05", "2024-01-06", "2024-01-07")
        }
    assert states == {"2024-01-05": None, "2024-01-06": "mentored", "2024-01-07": "withdrawn"}
