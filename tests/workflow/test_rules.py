"""The eligibility rules at their boundaries; every failure names its rule and explains itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from workflow import rules as r
from workflow.definition import TRANSITIONS
from workflow.errors import Failure
from workflow.facts import Actor, CaseFacts, IntroducerFacts, MemberFacts, VoteFacts
from workflow.rules import Attempt, Rule
from workflow.settings import DEFAULT_SETTINGS, DOSSIER_FORMS, RECOGNITION_FORMS, RuleSettings
from workflow.states import IntroducerKind, MemberStatus, UnitKind, VoteBody

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


# --- age ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vote", "eligible"),
    [
        (date(2026, 3, 9), False),  # turns 18 the day after the vote
        (date(2026, 3, 10), True),  # turns 18 on the day of the vote
        (date(2026, 3, 11), True),  # turned 18 the day before the vote
    ],
)
def test_eighteen_on_the_vote_date(vote: date, eligible: bool) -> None:
    a = attempt(birth_date=date(2008, 3, 10), vote_date=vote, today=vote)
    if eligible:
        holds(r.age_in_range, a)
    else:
        failure = fails(r.age_in_range, a, "age_in_range")
        assert "17 years 11 months" in failure.en


def test_born_on_29_february() -> None:
    born = date(2008, 2, 29)
    holds(r.age_in_range, attempt(birth_date=born, vote_date=date(2026, 2, 28)))
    fails(r.age_in_range, attempt(birth_date=born, vote_date=date(2026, 2, 27)), "age_in_range")


@pytest.mark.parametrize(
    ("vote", "eligible"),
    [
        (date(2026, 3, 10), True),  # exactly 720 months
        (date(2026, 4, 9), True),  # still 720 full months
        (date(2026, 4, 10), False),  # 721 months
    ],
)
def test_sixty_years_counted_in_months(vote: date, eligible: bool) -> None:
    a = attempt(birth_date=date(1966, 3, 10), vote_date=vote, today=vote)
    if eligible:
        holds(r.age_in_range, a)
    else:
        assert "Over 60" in fails(r.age_in_range, a, "age_in_range").en


def test_age_without_birth_date() -> None:
    fails(r.age_in_range, attempt(birth_date=None), "age_in_range")


# --- votes ----------------------------------------------------------------------------------

VOTES = [
    (r.cell_vote_two_thirds, "cell_vote_two_thirds", VoteBody.cell),
    (r.grassroots_vote_two_thirds, "grassroots_vote_two_thirds", VoteBody.grassroots),
    (r.recognition_vote_two_thirds, "recognition_vote_two_thirds", VoteBody.recognition),
]


def voted(body: VoteBody, votes_for: int, against: int, eligible: int, **kw) -> Attempt:
    return attempt(fields={"vote": VoteFacts(body, VOTE_DAY, votes_for, against, eligible)}, **kw)


@pytest.mark.parametrize(("rule", "name", "body"), VOTES)
@pytest.mark.parametrize(
    ("votes_for", "against", "eligible", "passes"),
    [
        (6, 0, 9, True),  # exactly 2/3
        (6, 3, 9, True),
        (5, 0, 9, False),  # just under
        (5, 4, 9, False),
        (2, 1, 3, True),
        (1, 0, 3, False),
        (9, 0, 9, True),
        (6, 4, 9, False),  # 10 votes cast out of 9 who may vote
        (10, 0, 9, False),
        (0, 0, 0, False),  # nobody may vote
    ],
)
def test_two_thirds_of_all_who_may_vote(
    rule: Rule, name: str, body: VoteBody, votes_for: int, against: int, eligible: int, passes: bool
) -> None:
    a = voted(body, votes_for, against, eligible)
    if passes:
        holds(rule, a)
    else:
        fails(rule, a, name)


@pytest.mark.parametrize(("rule", "name", "body"), VOTES)
def test_a_vote_must_be_recorded(rule: Rule, name: str, body: VoteBody) -> None:
    fails(rule, attempt(), name)


def test_the_message_gives_the_count_and_the_threshold() -> None:
    failure = fails(r.cell_vote_two_thirds, voted(VoteBody.cell, 5, 0, 9), "cell_vote_two_thirds")
    assert "5/9" in failure.vi and "2/3" in failure.vi
    assert "5 of 9" in failure.en and "2/3" in failure.en


def test_a_threshold_of_three_quarters_from_the_settings() -> None:
    settings = RuleSettings.from_mapping({"vote_threshold": "3/4", "version": "2026.1"})
    assert settings.vote_threshold == Fraction(3, 4)
    holds(r.cell_vote_two_thirds, voted(VoteBody.cell, 6, 0, 9))
    failure = fails(
        r.cell_vote_two_thirds,
        voted(VoteBody.cell, 6, 0, 9, settings=settings),
        "cell_vote_two_thirds",
    )
    assert "3/4" in failure.en
    holds(r.cell_vote_two_thirds, voted(VoteBody.cell, 7, 0, 9, settings=settings))


# --- the certificate ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("issued", "on", "valid"),
    [
        (date(2021, 3, 10), date(2026, 3, 10), True),  # exactly 60 months old
        (date(2021, 3, 10), date(2026, 3, 11), False),  # 60 months and a day
        (date(2020, 2, 29), date(2025, 2, 28), True),  # no 29/02/2025: the month's last day
        (date(2020, 2, 29), date(2025, 3, 1), False),
    ],
)
def test_certificate_sixty_months(issued: date, on: date, valid: bool) -> None:
    recorded = attempt(today=on, fields={"certificate_number": "CN-1", "certificate_date": issued})
    on_vote = attempt(certificate_date=issued, vote_date=on, today=on)
    if valid:
        holds(r.certificate_fresh, recorded)
        holds(r.certificate_valid_on_vote, on_vote)
    else:
        fails(r.certificate_fresh, recorded, "certificate_fresh")
        fails(r.certificate_valid_on_vote, on_vote, "certificate_valid_on_vote")


def test_certificate_recorded_needs_number_date_and_no_future() -> None:
    name = "certificate_recorded"
    fails(r.certificate_recorded, attempt(fields={"certificate_date": VOTE_DAY}), name)
    fails(r.certificate_recorded, attempt(fields={"certificate_number": "CN-1"}), name)
    future = {"certificate_number": "CN-1", "certificate_date": date(2026, 3, 11)}
    fails(r.certificate_recorded, attempt(fields=future), name)
    holds(r.certificate_recorded, attempt(fields={**future, "certificate_date": VOTE_DAY}))


def test_no_certificate_on_file_at_the_vote() -> None:
    fails(r.certificate_valid_on_vote, attempt(certificate_date=None), "certificate_valid_on_vote")


def test_a_shorter_certificate_validity_from_the_settings() -> None:
    settings = RuleSettings.from_mapping({"certificate_valid_months": 24})
    a = attempt(certificate_date=date(2024, 1, 1), settings=settings)
    assert "24" in fails(r.certificate_valid_on_vote, a, "certificate_valid_on_vote").en
    holds(r.certificate_valid_on_vote, replace(a, settings=DEFAULT_SETTINGS))


# --- introducers ----------------------------------------------------------------------------

AGED_30 = date(1995, 3, 11)  # 30 years 11 months on VOTE_DAY: still of Đoàn age
AGED_31 = date(1995, 3, 10)  # 31 on VOTE_DAY


@pytest.mark.parametrize(
    ("born", "introductions", "passes"),
    [
        (AGED_30, (DOAN, by_member(A)), True),
        (AGED_30, (by_member(A), by_member(B)), False),  # youth: the Đoàn resolution is needed
        (AGED_30, (DOAN,), False),  # and one official member with it
        (AGED_31, (DOAN, by_member(A)), False),  # no longer youth: two members
        (AGED_31, (by_member(A), by_member(B)), True),
    ],
)
def test_youth_age_switches_the_introducers_rule(
    born: date, introductions: tuple, passes: bool
) -> None:
    a = attempt(birth_date=born, is_doan_member=True, introductions=introductions)
    if passes:
        holds(r.introducers, a)
    else:
        fails(r.introducers, a, "introducers")


def test_a_youth_must_be_a_doan_member_where_there_is_a_doan() -> None:
    a = attempt(birth_date=AGED_30, is_doan_member=False, introductions=(DOAN, by_member(A)))
    assert "Đoàn member" in fails(r.introducers, a, "introducers").en


def test_the_cong_doan_replaces_the_doan_where_the_unit_has_none() -> None:
    youth = {"birth_date": AGED_30, "unit_has_doan": False, "unit_kind": UnitKind.enterprise}
    holds(r.introducers, attempt(introductions=(CONGDOAN, by_member(A)), **youth))
    failure = fails(
        r.introducers, attempt(introductions=(DOAN, by_member(A)), **youth), "introducers"
    )
    assert "Công đoàn" in failure.vi and "Công đoàn" in failure.en
    # Where the unit has a Đoàn, the Công đoàn's resolution does not take its place.
    where_doan = {**youth, "unit_has_doan": True, "is_doan_member": True}
    fails(
        r.introducers, attempt(introductions=(CONGDOAN, by_member(A)), **where_doan), "introducers"
    )


def test_a_probationary_introducer_fails_and_is_named() -> None:
    probationary = member(7, MemberStatus.probationary)
    a = attempt(introductions=(by_member(A), by_member(probationary)))
    failure = fails(r.introducers, a, "introducers")
    assert probationary.name in failure.vi and probationary.name in failure.en


@pytest.mark.parametrize(
    ("known_since", "passes"),
    [
        (date(2025, 2, 5), False),  # 11 months before the introduction of 05/01/2026
        (date(2025, 1, 6), False),  # a day short of 12 months
        (date(2025, 1, 5), True),  # exactly 12 months by the day of the introduction
    ],
)
def test_an_introducer_has_known_the_candidate_twelve_months(
    known_since: date, passes: bool
) -> None:
    a = attempt(introductions=(by_member(A), by_member(B, known_since)))
    if passes:
        holds(r.introducers, a)
    else:
        assert B.name in fails(r.introducers, a, "introducers").en


def test_an_introducer_who_never_said_since_when_fails() -> None:
    a = attempt(introductions=(by_member(A), replace(by_member(B), known_since=None)))
    fails(r.introducers, a, "introducers")


def test_two_introductions_by_the_same_member_count_once() -> None:
    a = attempt(introductions=(by_member(A), by_member(A, date(2021, 1, 1))))
    fails(r.introducers, a, "introducers")


def test_fewer_introducers_than_required() -> None:
    assert (
        "there are 1"
        in fails(r.introducers, attempt(introductions=(by_member(A),)), "introducers").en
    )
    three = RuleSettings(introducers_required=3)
    fails(r.introducers, attempt(settings=three), "introducers")


# --- the dossier ----------------------------------------------------------------------------


def test_missing_forms_are_named() -> None:
    documents = {code: VOTE_DAY for code in DOSSIER_FORMS if code not in ("2-KNĐ", "5-KNĐ")}
    failure = fails(r.dossier_forms_present, attempt(documents=documents), "dossier_forms_present")
    for text in (failure.vi, failure.en):
        assert "2-KNĐ" in text and "5-KNĐ" in text and "1-KNĐ" not in text
    holds(r.dossier_forms_present, attempt())


@pytest.mark.parametrize(
    ("has_doan", "needed", "other"), [(True, "4-KNĐ", "4A-KNĐ"), (False, "4A-KNĐ", "4-KNĐ")]
)
def test_a_youth_dossier_needs_the_resolution_of_the_units_organisation(
    has_doan: bool, needed: str, other: str
) -> None:
    youth = {"birth_date": AGED_30, "unit_has_doan": has_doan}
    failure = fails(r.dossier_forms_present, attempt(**youth), "dossier_forms_present")
    assert needed in failure.vi and needed in failure.en
    # The other organisation's resolution does not take its place.
    wrong = {**BASE.documents, other: VOTE_DAY}
    fails(r.dossier_forms_present, attempt(documents=wrong, **youth), "dossier_forms_present")
    right = {**BASE.documents, needed: VOTE_DAY}
    holds(r.dossier_forms_present, attempt(documents=right, **youth))


@pytest.mark.parametrize(
    ("dated", "fresh"),
    [
        (date(2025, 3, 10), True),  # 12 months before the vote
        (date(2025, 3, 9), False),  # 12 months and a day
    ],
)
def test_staleness_of_the_introductions(dated: date, fresh: bool) -> None:
    a = attempt(documents={**BASE.documents, "3-KNĐ": dated, "1-KNĐ": date(2020, 1, 1)})
    if fresh:
        holds(r.documents_fresh, a)  # the application itself does not go stale
    else:
        failure = fails(r.documents_fresh, a, "documents_fresh")
        assert "3-KNĐ" in failure.vi and "3-KNĐ" in failure.en
        assert "1-KNĐ" not in failure.en


def test_a_longer_staleness_period_from_the_settings() -> None:
    a = attempt(documents={**BASE.documents, "5-KNĐ": date(2024, 12, 1)})
    fails(r.documents_fresh, a, "documents_fresh")
    holds(r.documents_fresh, replace(a, settings=RuleSettings(staleness_months=18)))


# --- the committee --------------------------------------------------------------------------


def test_four_eyes() -> None:
    fails(r.four_eyes, attempt(actor=Actor(10, "sec")), "four_eyes")
    holds(r.four_eyes, attempt(actor=Actor(30, "com")))
    holds(r.four_eyes, attempt(actor=Actor(10, "sec"), submitted_by_user_id=None))


@pytest.mark.parametrize(
    ("vote", "over"),
    [
        (date(2026, 3, 9), False),  # a day before the first anniversary of the ceremony
        (date(2026, 3, 10), True),  # 12 months from the ceremony of 10/03/2025
    ],
)
def test_probation_twelve_months_from_the_ceremony(vote: date, over: bool) -> None:
    a = attempt(vote_date=vote)
    if over:
        holds(r.probation_complete, a)
    else:
        assert "10/03/2026" in fails(r.probation_complete, a, "probation_complete").en


def test_no_ceremony_is_explained_by_its_own_rule() -> None:
    a = attempt(ceremony_on=None)
    holds(r.probation_complete, a)
    fails(r.ceremony_recorded, a, "ceremony_recorded")


def test_missing_recognition_forms_are_named() -> None:
    documents = {c: VOTE_DAY for c in RECOGNITION_FORMS if c != "11-KNĐ"}
    failure = fails(
        r.recognition_forms_present, attempt(documents=documents), "recognition_forms_present"
    )
    assert "11-KNĐ" in failure.vi and "11-KNĐ" in failure.en


@pytest.mark.parametrize(
    ("fields", "passes"),
    [
        ({}, False),
        ({"decision_number": "9-QĐ/HU"}, False),
        ({"decision_number": " ", "decision_date": VOTE_DAY}, False),
        ({"decision_number": "9-QĐ/HU", "decision_date": date(2026, 3, 11)}, False),  # future
        ({"decision_number": "9-QĐ/HU", "decision_date": date(2026, 3, 9)}, False),  # before vote
        ({"decision_number": "9-QĐ/HU", "decision_date": VOTE_DAY}, True),
    ],
)
def test_decision_recorded(fields: dict, passes: bool) -> None:
    a = attempt(fields=fields)
    if passes:
        holds(r.decision_recorded, a)
    else:
        fails(r.decision_recorded, a, "decision_recorded")


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_reason_is_required(reason: str | None) -> None:
    fails(r.reason_given, attempt(fields={"reason": reason}), "reason_given")


def test_vote_date_not_future() -> None:
    fails(r.vote_date_not_future, attempt(vote_date=None), "vote_date_not_future")
    fails(r.vote_date_not_future, attempt(vote_date=date(2026, 3, 11)), "vote_date_not_future")
    holds(r.vote_date_not_future, attempt())


# --- identify and mentors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"birth_date": date(2000, 1, 1)},
        {"full_name": "  ", "birth_date": date(2000, 1, 1)},
        {"full_name": "An"},
        {"full_name": "An", "birth_date": VOTE_DAY},
        {"full_name": "An", "birth_date": date(1899, 12, 31)},
    ],
)
def test_person_valid(fields: dict) -> None:
    fails(r.person_valid, attempt(fields=fields), "person_valid")


def test_single_open_case() -> None:
    fails(r.single_open_case, attempt(has_other_open_case=True), "single_open_case")
    holds(r.single_open_case, attempt())


@pytest.mark.parametrize(
    ("fields", "passes"),
    [
        ({}, False),
        ({"source": "rumour"}, False),
        ({"source": "mass_organisation"}, False),  # which one?
        ({"source": "mass_organisation", "source_detail": "Đoàn trường"}, True),
        ({"source": "cell_review"}, True),
        ({"source": "commune_application"}, True),
    ],
)
def test_source_recorded(fields: dict, passes: bool) -> None:
    a = attempt(fields=fields)
    if passes:
        holds(r.source_recorded, a)
    else:
        fails(r.source_recorded, a, "source_recorded")


def test_the_mentor_is_an_official_member_of_the_cell() -> None:
    name = "mentor_official_member_of_cell"
    fails(r.mentor_official_member_of_cell, attempt(fields={"mentor": None}), name)
    elsewhere = replace(A, cell_id=4)
    fails(r.mentor_official_member_of_cell, attempt(fields={"mentor": elsewhere}), name)
    probationary = member(7, MemberStatus.probationary)
    fails(r.mentor_official_member_of_cell, attempt(fields={"mentor": probationary}), name)
    holds(r.mentor_official_member_of_cell, attempt(fields={"mentor": A}))


def test_the_mentor_is_not_the_candidate() -> None:
    themself = replace(A, person_id=BASE.person_id)
    fails(r.mentor_not_candidate, attempt(fields={"mentor": themself}), "mentor_not_candidate")
    holds(r.mentor_not_candidate, attempt(fields={"mentor": replace(A, person_id=501)}))


# --- every rule of the definition -----------------------------------------------------------

# One failing attempt for each rule a transition uses.
FAILING: dict[str, Attempt] = {
    "person_valid": attempt(),
    "single_open_case": attempt(has_other_open_case=True),
    "source_recorded": attempt(),
    "mentor_official_member_of_cell": attempt(),
    "mentor_not_candidate": attempt(fields={"mentor": replace(A, person_id=500)}),
    "certificate_recorded": attempt(),
    "certificate_fresh": attempt(fields={"certificate_date": date(2000, 1, 1)}),
    "vote_date_not_future": attempt(vote_date=None),
    "age_in_range": attempt(birth_date=date(2010, 1, 1)),
    "introducers": attempt(introductions=()),
    "cell_vote_two_thirds": attempt(),
    "dossier_forms_present": attempt(documents={}),
    "certificate_valid_on_vote": attempt(certificate_date=None),
    "documents_fresh": attempt(documents={"3-KNĐ": date(2020, 1, 1)}),
    "reason_given": attempt(),
    "grassroots_vote_two_thirds": attempt(),
    "decision_recorded": attempt(),
    "four_eyes": attempt(actor=Actor(10, "sec")),
    "ceremony_recorded": attempt(ceremony_on=None),
    "probation_complete": attempt(ceremony_on=VOTE_DAY),
    "recognition_vote_two_thirds": attempt(),
    "recognition_forms_present": attempt(documents={}),
}
RULES = {rule.__name__: rule for spec in TRANSITIONS for rule in spec.rules}


def test_every_rule_of_the_definition_has_a_failing_example() -> None:
    assert set(RULES) == set(FAILING)


@pytest.mark.parametrize("name", sorted(FAILING))
def test_every_rule_names_itself_in_both_languages(name: str) -> None:
    fails(RULES[name], FAILING[name], name)


def test_evaluate_reports_every_failure_in_order() -> None:
    a = attempt(has_other_open_case=True)
    failures = r.evaluate((r.person_valid, r.single_open_case, r.source_recorded), a)
    assert [f.rule for f in failures] == ["person_valid", "single_open_case", "source_recorded"]
    assert r.evaluate((r.single_open_case,), attempt()) == []


def test_the_vote_date_defaults_to_today() -> None:
    assert attempt(vote_date=None, today=date(2026, 5, 1)).vote_date == date(2026, 5, 1)
