"""The use cases through the fakes: every state × trigger × role, and what a refusal leaves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflow.fakes import (
    ACTORS,
    CANDIDATE_AS_MEMBER,
    CELL_ID,
    CLOCK,
    MENTOR,
    MENTOR2,
    OTHER_CELL_ID,
    OUTSIDER,
    PROBATIONARY,
    FakeUnitOfWork,
    ready_case,
)
from workflow.effects import (
    CreateMember,
    FileDocument,
    IssueForm,
    MakeOfficial,
    RecordDecision,
    RecordVote,
)
from workflow.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)
from workflow.facts import VoteFacts
from workflow.ports import NewEvent
from workflow.services import Clock, fire_transition, identify_candidate, record_fact, view_case
from workflow.settings import RuleSettings
from workflow.states import VoteBody

STATES = (
    "identified",
    "mentored",
    "trained",
    "dossier_submitted",
    "returned",
    "admitted",
    "official",
    "rejected",
    "withdrawn",
    "removed",
)
# Outcomes: ok = the state moves; NA = NotAllowed; IT = InvalidTransition; NF = NotFound.
# Columns follow STATES: identified mentored trained dossier_submitted returned admitted official
# rejected withdrawn removed.
SECRETARY = {  # of the case's cell
    "assign_mentor": "ok IT IT IT IT IT IT IT IT IT",
    "reassign_mentor": "IT ok ok IT ok IT IT IT IT IT",
    "complete_training": "IT ok IT IT IT IT IT IT IT IT",
    "submit_dossier": "IT IT ok IT ok IT IT IT IT IT",
    "return_dossier": "NA NA NA NA NA NA NA NA NA NA",
    "reject": "NA NA NA NA NA NA NA NA NA NA",
    "admit": "NA NA NA NA NA NA NA NA NA NA",
    "recognize": "NA NA NA NA NA NA NA NA NA NA",
    "remove": "NA NA NA NA NA NA NA NA NA NA",
    "withdraw": "ok ok ok IT ok IT IT IT IT IT",
    "reinstate": "IT IT IT IT IT IT IT IT ok IT",
}
MENTOR_OWN = {  # an identified case has no mentor yet, so its would-be mentor does not see it
    "assign_mentor": "NF NA NA NA NA NA NA NA NA NA",
    "reassign_mentor": "NF NA NA NA NA NA NA NA NA NA",
    "complete_training": "NF ok IT IT IT IT IT IT IT IT",
    "submit_dossier": "NF IT ok IT ok IT IT IT IT IT",
    "return_dossier": "NF NA NA NA NA NA NA NA NA NA",
    "reject": "NF NA NA NA NA NA NA NA NA NA",
    "admit": "NF NA NA NA NA NA NA NA NA NA",
    "recognize": "NF NA NA NA NA NA NA NA NA NA",
    "remove": "NF NA NA NA NA NA NA NA NA NA",
    "withdraw": "NF NA NA NA NA NA NA NA NA NA",
    "reinstate": "NF NA NA NA NA NA NA NA NA NA",
}
COMMITTEE = {  # its grant covers the deciding body
    "assign_mentor": "NA NA NA NA NA NA NA NA NA NA",
    "reassign_mentor": "NA NA NA NA NA NA NA NA NA NA",
    "complete_training": "NA NA NA NA NA NA NA NA NA NA",
    "submit_dossier": "NA NA NA NA NA NA NA NA NA NA",
    "return_dossier": "IT IT IT ok IT IT IT IT IT IT",
    "reject": "IT IT IT ok IT IT IT IT IT IT",
    "admit": "IT IT IT ok IT IT IT IT IT IT",
    "recognize": "IT IT IT IT IT ok IT IT IT IT",
    "remove": "IT IT IT IT IT ok IT IT IT IT",
    "withdraw": "NA NA NA NA NA NA NA NA NA NA",
    "reinstate": "NA NA NA NA NA NA NA NA NA NA",
}
TRAINER = {  # sees the cases waiting for the awareness class, and only records its certificate
    "assign_mentor": "NF NA NF NF NF NF NF NF NF NF",
    "reassign_mentor": "NF NA NF NF NF NF NF NF NF NF",
    "complete_training": "NF ok NF NF NF NF NF NF NF NF",
    "submit_dossier": "NF NA NF NF NF NF NF NF NF NF",
    "return_dossier": "NF NA NF NF NF NF NF NF NF NF",
    "reject": "NF NA NF NF NF NF NF NF NF NF",
    "admit": "NF NA NF NF NF NF NF NF NF NF",
    "recognize": "NF NA NF NF NF NF NF NF NF NF",
    "remove": "NF NA NF NF NF NF NF NF NF NF",
    "withdraw": "NF NA NF NF NF NF NF NF NF NF",
    "reinstate": "NF NA NF NF NF NF NF NF NF NF",
}
EVERYWHERE_NA = {trigger: " ".join(["NA"] * len(STATES)) for trigger in SECRETARY}
EVERYWHERE_NF = {trigger: " ".join(["NF"] * len(STATES)) for trigger in SECRETARY}
EXPECTED = {
    "sec": SECRETARY,
    "sec_other": EVERYWHERE_NF,  # another cell's secretary
    "mentor": MENTOR_OWN,
    "mentor2": EVERYWHERE_NF,  # a mentor of the same cell, but not of this case
    "com": COMMITTEE,
    "com_grassroots": EVERYWHERE_NA,  # sees the case, is not the deciding body
    "aud": EVERYWHERE_NA,
    "adm": EVERYWHERE_NF,  # admin manages users and organisations, reads no case
    "trainer": TRAINER,
    "intro": EVERYWHERE_NF,  # introducers see their proposals, not cases
}
ERRORS = {"NA": NotAllowed, "IT": InvalidTransition, "NF": NotFound}

# Inputs under which every rule holds for the ready case of fakes.py (today: 27/11/2026).
VALID_INPUT: dict[str, dict] = {
    "assign_mentor": {"mentor": str(MENTOR.id), "since": "2026-11-01"},
    "reassign_mentor": {"mentor": str(MENTOR2.id)},
    "complete_training": {"certificate_number": "CN-01", "certificate_date": "01/03/2026"},
    "submit_dossier": {"vote_date": "2026-10-01", "votes_for": "6", "votes_against": "0"},
    "return_dossier": {"reason": "thiếu lý lịch"},
    "reject": {"reason": "không đủ tiêu chuẩn"},
    "admit": {
        "vote_date": "2026-10-10",
        "votes_for": "10",
        "decision_number": "123-QĐ/HU",
        "decision_date": "2026-10-15",
    },
    "recognize": {
        "vote_date": "2026-11-01",
        "votes_for": "5",
        "votes_against": "1",
        "decision_number": "9-QĐ/HU",
        "decision_date": "2026-11-10",
    },
    "remove": {"reason": "vi phạm tư cách"},
    "withdraw": {"reason": "chuyển trường"},
    "reinstate": {"reason": "đã trở lại"},
}
DEST = {
    "assign_mentor": "mentored",
    "complete_training": "trained",
    "submit_dossier": "dossier_submitted",
    "return_dossier": "returned",
    "reject": "rejected",
    "admit": "admitted",
    "recognize": "official",
    "remove": "removed",
    "withdraw": "withdrawn",
    "reinstate": "identified",
}

GRID = [
    (username, state, trigger, row.split()[column])
    for username, table in EXPECTED.items()
    for trigger, row in table.items()
    for column, state in enumerate(STATES)
]


def assert_unchanged(uow: FakeUnitOfWork, state: str, version: int = 1) -> None:
    case = uow.cases.items[1]
    assert (case.state, case.version, case.recorded) == (state, version, [])
    assert uow.history.events == []
    assert not uow.committed


@pytest.mark.parametrize(("username", "state", "trigger", "outcome"), GRID)
def test_state_trigger_role(username: str, state: str, trigger: str, outcome: str) -> None:
    uow = FakeUnitOfWork(ready_case(state))

    def run():
        return fire_transition(uow, ACTORS[username], 1, trigger, VALID_INPUT[trigger], clock=CLOCK)

    if outcome == "ok":
        case = run()
        assert case.state == DEST.get(trigger, state)
        assert case.version == 2
        assert [e.action for e in uow.history.events] == [trigger]
        assert uow.committed
    else:
        with pytest.raises(ERRORS[outcome]):
            run()
        assert_unchanged(uow, state)


def test_the_table_covers_every_role_state_and_trigger() -> None:
    assert {len(table) for table in EXPECTED.values()} == {11}
    assert {len(row.split()) for table in EXPECTED.values() for row in table.values()} == {10}
    assert set(ACTORS) == set(EXPECTED)


# A refusal by the rules: (trigger, state, who, input, the rule that refuses, case overrides).
BROKEN = [
    (
        "assign_mentor",
        "identified",
        "sec",
        {"mentor": PROBATIONARY.id},
        "mentor_official_member_of_cell",
        {},
    ),
    (
        "assign_mentor",
        "identified",
        "sec",
        {"mentor": OUTSIDER.id},
        "mentor_official_member_of_cell",
        {},
    ),
    (
        "reassign_mentor",
        "returned",
        "sec",
        {"mentor": CANDIDATE_AS_MEMBER.id},
        "mentor_not_candidate",
        {},
    ),
    (
        "complete_training",
        "mentored",
        "trainer",
        {"certificate_number": "CN", "certificate_date": "2026-12-01"},
        "certificate_recorded",
        {},
    ),
    (
        "complete_training",
        "mentored",
        "mentor",
        {"certificate_number": "CN", "certificate_date": "2021-01-01"},
        "certificate_fresh",
        {},
    ),
    (
        "submit_dossier",
        "trained",
        "mentor",
        {"vote_date": "2026-10-01", "votes_for": "3"},
        "cell_vote_two_thirds",
        {},
    ),
    (
        "submit_dossier",
        "returned",
        "sec",
        {"vote_date": "2026-10-01", "votes_for": "6"},
        "dossier_forms_present",
        {"documents": {}},
    ),
    ("return_dossier", "dossier_submitted", "com", {}, "reason_given", {}),
    ("reject", "dossier_submitted", "com", {"reason": " "}, "reason_given", {}),
    (
        "admit",
        "dossier_submitted",
        "com",
        VALID_INPUT["admit"],
        "four_eyes",
        {"submitted_by_user_id": 30},
    ),
    (
        "recognize",
        "admitted",
        "com",
        VALID_INPUT["recognize"],
        "probation_complete",
        {"ceremony_on": date(2026, 1, 1)},
    ),
    ("remove", "admitted", "com", {}, "reason_given", {}),
    ("withdraw", "mentored", "sec", {}, "reason_given", {}),
    ("reinstate", "withdrawn", "sec", {}, "reason_given", {}),
]


@pytest.mark.parametrize(("trigger", "state", "username", "raw", "rule", "overrides"), BROKEN)
def test_a_broken_rule_refuses_and_changes_nothing(
    trigger: str, state: str, username: str, raw: dict, rule: str, overrides: dict
) -> None:
    uow = FakeUnitOfWork(ready_case(state, **overrides))
    with pytest.raises(RuleViolation) as refused:
        fire_transition(uow, ACTORS[username], 1, trigger, raw, clock=CLOCK)
    assert rule in [f.rule for f in refused.value.failures]
    assert all(f.vi and f.en for f in refused.value.failures)
    assert_unchanged(uow, state)


def test_bad_input_refuses_and_changes_nothing() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"))
    with pytest.raises(InvalidInput) as refused:
        fire_transition(uow, ACTORS["com"], 1, "admit", {"votes_for": "-1"}, clock=CLOCK)
    assert refused.value.field == "votes_for"
    assert_unchanged(uow, "dossier_submitted")


def test_a_case_that_does_not_exist_is_not_found() -> None:
    uow = FakeUnitOfWork(ready_case("identified"))
    with pytest.raises(NotFound):
        fire_transition(uow, ACTORS["sec"], 99, "withdraw", {"reason": "x"}, clock=CLOCK)
    assert_unchanged(uow, "identified")


@pytest.mark.parametrize("trigger", ["identify", "to_official", "set_state"])
def test_identify_and_unknown_triggers_do_not_fire_on_a_case(trigger: str) -> None:
    uow = FakeUnitOfWork(ready_case("identified"))
    with pytest.raises(InvalidTransition):
        fire_transition(uow, ACTORS["sec"], 1, trigger, {}, clock=CLOCK)
    assert_unchanged(uow, "identified")


def test_the_state_change_and_its_event_are_kept_together_or_not_at_all() -> None:
    uow = FakeUnitOfWork(ready_case("identified"))

    def broken(event: NewEvent) -> None:
        raise OSError("the history is unavailable")

    uow.history.append = broken  # the machine has moved the case when the event fails
    with pytest.raises(OSError):
        fire_transition(uow, ACTORS["sec"], 1, "withdraw", {"reason": "x"}, clock=CLOCK)
    assert_unchanged(uow, "identified")


def test_a_stale_version_is_a_conflict() -> None:
    uow = FakeUnitOfWork(ready_case("identified", version=3))
    with pytest.raises(Conflict):
        fire_transition(
            uow, ACTORS["sec"], 1, "withdraw", {"reason": "x"}, expected_version=2, clock=CLOCK
        )
    assert_unchanged(uow, "identified", version=3)
    case = fire_transition(
        uow, ACTORS["sec"], 1, "withdraw", {"reason": "x"}, expected_version=3, clock=CLOCK
    )
    assert (case.state, case.version) == ("withdrawn", 4)


def test_the_event_records_who_what_when_and_the_ruleset() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"), rules=RuleSettings(version="test-7"))
    fire_transition(
        uow, ACTORS["com"], 1, "return_dossier", {"reason": " thiếu lý lịch "}, clock=CLOCK
    )
    assert uow.history.events == [
        NewEvent(
            case_id=1,
            at=CLOCK.now,
            user_id=30,
            username="com",
            role="committee",
            action="return_dossier",
            from_state="dossier_submitted",
            to_state="returned",
            reason="thiếu lý lịch",
            data={},
            ruleset="test-7",
        )
    ]


def test_the_event_keeps_the_data_recorded_and_references_by_id() -> None:
    uow = FakeUnitOfWork(ready_case("mentored"))
    fire_transition(uow, ACTORS["sec"], 1, "reassign_mentor", {"mentor": "101"}, clock=CLOCK)
    (event,) = uow.history.events
    assert (event.from_state, event.to_state, event.role) == ("mentored", "mentored", "secretary")
    assert event.data == {"mentor_id": 101, "mentor_name": MENTOR2.name}
    assert uow.cases.items[1].mentor == MENTOR2


def test_the_role_under_which_the_mentor_acts_is_recorded() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    fire_transition(
        uow, ACTORS["mentor"], 1, "submit_dossier", VALID_INPUT["submit_dossier"], clock=CLOCK
    )
    (event,) = uow.history.events
    assert (event.role, event.username, event.user_id) == ("mentor", "mentor", 20)
    assert event.data["eligible"] == 6
    assert uow.cases.items[1].submitted_by_user_id == 20


def test_the_submitter_may_not_admit_but_a_colleague_may() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    fire_transition(
        uow, ACTORS["sec"], 1, "submit_dossier", VALID_INPUT["submit_dossier"], clock=CLOCK
    )
    colleague = ACTORS["com"]
    # The same user who submitted, also holding a committee grant.
    submitter = replace(colleague, user_id=ACTORS["sec"].user_id)
    with pytest.raises(RuleViolation, match="four_eyes"):
        fire_transition(uow, submitter, 1, "admit", VALID_INPUT["admit"], clock=CLOCK)
    case = fire_transition(uow, colleague, 1, "admit", VALID_INPUT["admit"], clock=CLOCK)
    assert case.state == "admitted"


# --- identify -------------------------------------------------------------------------------

PERSON = {
    "full_name": "Trần Thị Bình",
    "birth_date": "12/04/2001",
    "cell": str(CELL_ID),
    "source": "mass_organisation",
    "source_detail": "Đoàn trường",
    "id_number": "068301000111",
}


def test_identify_opens_a_case_and_logs_it() -> None:
    uow = FakeUnitOfWork()
    case = identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    assert (case.state, case.birth_date) == ("identified", date(2001, 4, 12))
    assert uow.committed
    (event,) = uow.history.events
    assert (event.action, event.from_state, event.to_state) == ("identify", None, "identified")
    assert (event.role, event.user_id) == ("secretary", 10)


def test_identify_refuses_a_second_open_case_for_the_same_person() -> None:
    uow = FakeUnitOfWork()
    identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    with pytest.raises(RuleViolation) as refused:
        identify_candidate(uow, ACTORS["sec"], {**PERSON, "full_name": "T. T. Bình"}, clock=CLOCK)
    assert [f.rule for f in refused.value.failures] == ["single_open_case"]
    assert len(uow.cases.items) == 1
    assert len(uow.history.events) == 1
    assert not uow.committed


def test_identify_refuses_the_same_name_and_birth_date_without_id_number() -> None:
    person = {k: v for k, v in PERSON.items() if k != "id_number"}
    uow = FakeUnitOfWork()
    identify_candidate(uow, ACTORS["sec"], person, clock=CLOCK)
    with pytest.raises(RuleViolation, match="single_open_case"):
        identify_candidate(uow, ACTORS["sec"], {**person, "birth_date": "2001-04-12"}, clock=CLOCK)


def test_identify_again_once_the_first_case_is_closed() -> None:
    uow = FakeUnitOfWork()
    first = identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    fire_transition(uow, ACTORS["sec"], first.id, "withdraw", {"reason": "x"}, clock=CLOCK)
    second = identify_candidate(uow, ACTORS["sec"], PERSON, clock=CLOCK)
    assert second.id != first.id
    assert second.state == "identified"


@pytest.mark.parametrize(
    "username", ["sec_other", "mentor", "com", "aud", "adm", "trainer", "intro"]
)
def test_only_the_cells_secretary_identifies(username: str) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(NotAllowed):
        identify_candidate(uow, ACTORS[username], PERSON, clock=CLOCK)
    assert (uow.cases.items, uow.history.events, uow.committed) == ({}, [], False)


def test_identify_in_an_unknown_cell_names_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        identify_candidate(FakeUnitOfWork(), ACTORS["sec"], {**PERSON, "cell": "77"}, clock=CLOCK)
    assert refused.value.field == "cell"


def test_identify_without_source_breaks_its_rule() -> None:
    uow = FakeUnitOfWork()
    raw = {k: v for k, v in PERSON.items() if k not in ("source", "source_detail")}
    with pytest.raises(RuleViolation, match="source_recorded"):
        identify_candidate(uow, ACTORS["sec"], raw, clock=CLOCK)
    assert uow.cases.items == {}


def test_identify_in_the_other_cell_by_its_secretary() -> None:
    uow = FakeUnitOfWork()
    case = identify_candidate(
        uow, ACTORS["sec_other"], {**PERSON, "cell": str(OTHER_CELL_ID)}, clock=CLOCK
    )
    assert case.cell_id == OTHER_CELL_ID
    with pytest.raises(NotFound):
        view_case(uow, ACTORS["sec"], case.id)


# --- facts recorded on a case -----------------------------------------------------------------


def test_recording_a_fact_keeps_the_state_and_is_logged() -> None:
    uow = FakeUnitOfWork(ready_case("admitted", ceremony_on=None))
    case = record_fact(
        uow, ACTORS["sec"], 1, "ceremony", {"ceremony_date": "2026-11-01"}, clock=CLOCK
    )
    assert (case.state, case.version, case.ceremony_on) == ("admitted", 2, date(2026, 11, 1))
    (event,) = uow.history.events
    assert (event.action, event.from_state, event.to_state) == ("record_ceremony", None, None)


@pytest.mark.parametrize(
    ("username", "error"), [("aud", NotAllowed), ("adm", NotFound), ("mentor2", NotFound)]
)
def test_recording_a_fact_is_refused_like_a_transition(username: str, error: type) -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    with pytest.raises(error):
        record_fact(uow, ACTORS[username], 1, "note", {"text": "ghi chú"}, clock=CLOCK)
    assert_unchanged(uow, "trained")


def test_a_fact_out_of_its_states_is_an_invalid_transition() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    with pytest.raises(InvalidTransition):
        record_fact(uow, ACTORS["sec"], 1, "ceremony", {"ceremony_date": "2026-11-01"}, clock=CLOCK)
    assert_unchanged(uow, "trained")


# --- the whole path on the fakes ----------------------------------------------------------------


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
    assert case.version == len(uow.history.events)  # created at 1, one step per later event


# --- what a transition stores: its effects, handed to the repositories ---------------------------


def test_admit_stores_the_vote_the_decision_the_member_and_issues_9_knd() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"))
    fire_transition(uow, ACTORS["com"], 1, "admit", VALID_INPUT["admit"], clock=CLOCK)
    case = uow.cases.items[1]
    assert case.recorded == [
        RecordVote("grassroots", date(2026, 10, 10), 10, 0, 15),
        RecordDecision("admission", "123-QĐ/HU", date(2026, 10, 15)),
        CreateMember(date(2026, 10, 15)),
        IssueForm("9-KNĐ"),
    ]
    [(case_id, form)] = uow.documents.generated
    assert (case_id, form.code, form.number) == (1, "9-KNĐ", "1/2026/9-KNĐ")
    # The event names the form made in the same unit of work.
    assert uow.history.events[-1].data["generated_number"] == "1/2026/9-KNĐ"


def test_recognize_with_the_vote_on_file_does_not_record_it_twice() -> None:
    vote = VoteFacts(VoteBody.recognition, date(2026, 11, 1), 5, 1, 6)
    uow = FakeUnitOfWork(ready_case("admitted"))
    uow.cases.items[1].documents["13-KNĐ"] = date(2026, 11, 1)
    raw = {k: v for k, v in VALID_INPUT["recognize"].items() if not k.startswith("vote")}
    base = uow.cases.facts

    def with_vote(case, action=None):  # the cell's 13-KNĐ vote recorded earlier as a fact
        return replace(base(case, action), votes={VoteBody.recognition: vote})

    uow.cases.facts = with_vote
    fire_transition(uow, ACTORS["com"], 1, "recognize", raw, clock=CLOCK)
    assert uow.cases.items[1].recorded == [
        RecordDecision("recognition", "9-QĐ/HU", date(2026, 11, 10)),
        # Official from the end of probation: 12 months after the ceremony of 20/10/2025.
        MakeOfficial(date(2026, 10, 20)),
        IssueForm("16-KNĐ"),
    ]


def test_a_refused_admission_issues_no_form() -> None:
    uow = FakeUnitOfWork(ready_case("dossier_submitted"))
    with pytest.raises(RuleViolation):
        fire_transition(
            uow, ACTORS["com"], 1, "admit", {**VALID_INPUT["admit"], "votes_for": "3"}, clock=CLOCK
        )
    assert uow.documents.generated == [] and uow.cases.items[1].recorded == []


def test_a_document_put_on_file_is_stored_with_its_number() -> None:
    uow = FakeUnitOfWork(ready_case("trained"))
    record_fact(
        uow, ACTORS["sec"], 1, "document", {"code": "2-KNĐ", "dated": "2026-11-01", "number": "7"},
        clock=CLOCK,
    )  # fmt: skip
    assert uow.cases.items[1].recorded == [FileDocument("2-KNĐ", date(2026, 11, 1), "7")]
