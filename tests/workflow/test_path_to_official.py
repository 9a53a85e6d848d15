"""The whole path on the fakes: from identified to official."""

from __future__ import annotations

from tests.workflow.fakes import (
    ACTORS,
    CLOCK,
    MENTOR,
    MENTOR2,
    FakeUnitOfWork,
)
from tests.workflow.transition_table import (
    PERSON,
)
from workflow.services import Clock, fire_transition, identify_candidate, record_fact
from workflow.services.verification import (
    conclude_verification,
    record_verification_answer,
    request_verification,
)
from workflow.verification import VerificationAction


def test_from_identified_to_official_on_the_fakes() -> None:
    uow = FakeUnitOfWork()
    person = {**PERSON, "birth_date": "1990-01-01"}
    case_id = identify_candidate(uow, ACTORS["sec"], person, clock=CLOCK).id
    a_year_later = Clock(CLOCK.now.replace(year=2027))

    def fire(username: str, trigger: str, clock: Clock = CLOCK, **raw: object) -> None:
        fire_transition(uow, ACTORS[username], case_id, trigger, raw, clock=clock)

    def record(fact: str, clock: Clock = CLOCK, **raw: object) -> None:
        record_fact(uow, ACTORS["mentor"], case_id, fact, raw, clock=clock)

    fire("sec", "assign_mentor", mentor=MENTOR.id)
    fire("trainer", "complete_training", certificate_number="CN-1", certificate_date="2026-03-01")
    for member_id in (MENTOR2.id, 104):
        record("introduction", kind="member", member=member_id, known_since="2020-01-01",
               dated="2026-09-01")  # fmt: skip
    for code in ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"):
        record("document", code=code, dated="2026-09-01")
    # The committee verifies the biography before the cell votes (required from the reform).
    com = ACTORS["com"]
    sent = {"addressee": "UBND xã", "subject": "candidate", "sent_on": "2026-09-02"}
    request_id = request_verification(uow, com, case_id, sent, clock=CLOCK).id
    answer = {"answered_on": "2026-09-10", "finding": "Tốt", "favourable": True}
    record_verification_answer(uow, com, case_id, request_id, answer, clock=CLOCK)
    concluded = {"concluded_on": "2026-09-15", "favourable": True, "conclusion": "Lý lịch rõ"}
    conclude_verification(uow, com, case_id, concluded, clock=CLOCK)
    fire("mentor", "submit_dossier", vote_date="2026-10-01", votes_for=6)
    fire("com", "admit", vote_date="2026-10-10", votes_for=10, decision_number="1-QĐ",
         decision_date="2026-10-15")  # fmt: skip
    record_fact(
        uow, ACTORS["sec"], case_id, "ceremony", {"ceremony_date": "2026-10-20"}, clock=CLOCK
    )
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"):
        record("document", a_year_later, code=code, dated="2027-10-25")
    fire("com", "recognize", a_year_later, vote_date="2027-10-26", votes_for=6,
         decision_number="2-QĐ", decision_date="2027-11-02")  # fmt: skip

    case = uow.cases.items[case_id]
    assert case.state == "official"
    states = [e.to_state for e in uow.history.events if e.to_state]
    assert states == [
        "identified",
        "mentored",
        "trained",
        "dossier_submitted",
        "admitted",
        "official",
    ]
    # Created at 1, one step per later event; the verification's events change no state and
    # bump no version.
    verifying = set(VerificationAction)
    steps = [e for e in uow.history.events if e.action not in verifying]
    assert case.version == len(steps)
