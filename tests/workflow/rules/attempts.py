"""Attempts on one base case, and the assertions every rule test makes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workflow.errors import Failure
from workflow.facts import Actor, CaseFacts, IntroducerFacts, MemberFacts
from workflow.rules import Attempt, Rule
from workflow.settings import DEFAULT_SETTINGS, DOSSIER_FORMS, RECOGNITION_FORMS, RuleSettings
from workflow.states import IntroducerKind, MemberStatus, UnitKind

VOTE_DAY = date(2026, 3, 10)
ACTOR = Actor(30, "com")


def member(member_id: int, status: MemberStatus = MemberStatus.official) -> MemberFacts:
    return MemberFacts(member_id, f"Đảng viên {member_id}", 3, status, date(2010, 1, 1))


def by_member(who: MemberFacts, known_since: date = date(2020, 1, 1)) -> IntroducerFacts:
    return IntroducerFacts(IntroducerKind.member, who.name, date(2026, 1, 5), who, known_since)


A, B = member(1), member(2)
DOAN = IntroducerFacts(IntroducerKind.doan, "BCH Đoàn trường", date(2026, 1, 5))
CONGDOAN = IntroducerFacts(IntroducerKind.congdoan, "BCH Công đoàn công ty", date(2026, 1, 5))
BASE = CaseFacts(
    case_id=1,
    state="trained",
    version=1,
    person_id=500,
    person_name="Nguyễn Văn An",
    birth_date=date(1980, 5, 15),
    is_doan_member=False,
    cell_id=3,
    cell_path="/1/2/3/",
    deciding_body_path="/1/",
    unit_kind=UnitKind.school,
    unit_has_doan=True,
    certificate_number="CN-01",
    certificate_date=date(2025, 6, 1),
    introductions=(by_member(A), by_member(B)),
    documents={code: date(2026, 1, 5) for code in (*DOSSIER_FORMS, *RECOGNITION_FORMS)},
    submitted_by_user_id=10,
    ceremony_on=date(2025, 3, 10),
    cell_official_members=9,
    grassroots_committee_size=9,
    education="upper_secondary",
)


def attempt(
    *,
    today: date = VOTE_DAY,
    settings: RuleSettings = DEFAULT_SETTINGS,
    actor: Actor = ACTOR,
    vote_date: date | None = VOTE_DAY,
    fields: dict | None = None,
    **facts,
) -> Attempt:
    """An attempt on BASE with `facts` replaced, the vote held on `vote_date`."""
    values = {"vote_date": vote_date, **(fields or {})}
    return Attempt(replace(BASE, **facts), actor, today, settings, values)


def holds(rule: Rule, a: Attempt) -> None:
    assert rule(a) is None, rule(a)


def fails(rule: Rule, a: Attempt, name: str) -> Failure:
    """Assert that `rule` refuses, under the rule name `name`, in both languages."""
    failure = rule(a)
    assert failure is not None, f"{name} should fail"
    assert failure.rule == name
    assert failure.vi.strip() and failure.en.strip()
    assert failure.vi != failure.en
    return failure


AGED_30 = date(1995, 3, 11)  # 30 years 11 months on VOTE_DAY: still of Đoàn age
AGED_31 = date(1995, 3, 10)  # 31 on VOTE_DAY
