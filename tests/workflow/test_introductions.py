"""A fact entered once: an introduction and the form that evidences it are one fact
(``workflow.introductions``), recorded together, counted by the rules and the checklist once."""

from __future__ import annotations

from datetime import date

from tests.workflow.fakes import ACTORS, CLOCK, TODAY, FakeCases, FakeUnitOfWork, ready_case
from workflow.checklist import Fix, checklist
from workflow.facts import IntroducerFacts
from workflow.introductions import (
    evidenced_kind,
    evidencing_form,
    form_put_on_file,
    forms_on_file,
    kinds_introducing,
)
from workflow.rules import Attempt
from workflow.rules.dossier import missing_dossier_forms
from workflow.rules.introducers import introducer_failures
from workflow.services import record_fact
from workflow.settings import RuleSettings
from workflow.states import IntroducerKind

SETTINGS = RuleSettings()
SEC = ACTORS["sec"]
YOUTH = {"birth_date": date(2000, 4, 1), "is_doan_member": True}
#: A youth's file with everything but the Đoàn's introduction and its resolution.
NO_DOAN = {**YOUTH, "documents": {c: date(2026, 9, 1) for c in SETTINGS.dossier_forms}}


def _facts(state: str = "trained", **overrides):
    return FakeCases().facts(ready_case(state, **overrides))


def _attempt(facts) -> Attempt:
    return Attempt(facts, SEC, TODAY, SETTINGS, {}, "submit_dossier")


def test_one_place_says_which_form_evidences_which_introduction() -> None:
    assert evidencing_form("doan") == "4-KNĐ" and evidenced_kind("4-KNĐ") == "doan"
    assert evidencing_form("congdoan") == "4A-KNĐ" and evidenced_kind("4A-KNĐ") == "congdoan"
    assert evidencing_form("member") == "3-KNĐ" and evidenced_kind("3-KNĐ") == "member"
    assert evidenced_kind("6-KNĐ") is None


def test_a_recorded_introduction_is_its_form_on_file() -> None:
    doan = IntroducerFacts(IntroducerKind.doan, "Đoàn xã", date(2026, 10, 2))
    facts = _facts(**NO_DOAN, introductions=(*_facts().introductions, doan))
    assert forms_on_file(facts)["4-KNĐ"] == date(2026, 10, 2)
    assert "4-KNĐ" not in missing_dossier_forms(_attempt(facts))
    assert "4-KNĐ" in missing_dossier_forms(_attempt(_facts(**NO_DOAN)))


def test_a_resolution_on_file_is_the_organisations_introduction() -> None:
    with_form = _facts(**{**NO_DOAN, "documents": {**NO_DOAN["documents"], "4-KNĐ": TODAY}})
    assert "doan" in kinds_introducing(with_form)
    assert introducer_failures(_attempt(with_form)) == []
    without = [f.vi for f in introducer_failures(_attempt(_facts(**NO_DOAN)))]
    assert without == ["Quần chúng trong độ tuổi Đoàn cần nghị quyết giới thiệu của Đoàn."]


def test_a_members_letter_alone_does_not_name_the_member() -> None:
    facts = _facts(introductions=(), documents={"3-KNĐ": TODAY})
    assert "member" not in kinds_introducing(facts)
    assert introducer_failures(_attempt(facts))  # the member is still to be recorded


def test_the_checklist_asks_for_the_introduction_not_also_its_form() -> None:
    items = checklist(_facts(**NO_DOAN), SEC, TODAY, SETTINGS).items
    assert [i.fix for i in items] == [Fix("fact", "introduction")]
    assert "nghị quyết giới thiệu của Đoàn" in items[0].text("vi")


def test_what_an_introduction_puts_on_file() -> None:
    values = {"kind": "doan", "dated": date(2026, 10, 2), "number": "12-NQ/ĐTN"}
    assert form_put_on_file("introduction", values, _facts(**NO_DOAN)) == {
        "code": "4-KNĐ",
        "dated": date(2026, 10, 2),
        "number": "12-NQ/ĐTN",
    }
    on_file = _facts(**{**NO_DOAN, "documents": {"4-KNĐ": TODAY}})
    assert form_put_on_file("introduction", values, on_file) == {}  # the resolution is there
    member = {"kind": "member", "dated": date(2026, 10, 2)}
    assert form_put_on_file("introduction", member, on_file)["code"] == "3-KNĐ"  # each letter
    assert form_put_on_file("note", {"text": "x"}, on_file) == {}


def test_recording_the_doan_introduction_puts_4_knd_on_file_in_one_unit_of_work() -> None:
    case = ready_case("trained", **NO_DOAN)
    uow = FakeUnitOfWork(case)
    raw = {"kind": "doan", "name": "Đoàn xã", "dated": "2026-10-02", "number": "12-NQ/ĐTN"}
    record_fact(uow, SEC, 1, "introduction", raw, clock=CLOCK)
    assert uow.committed
    assert case.documents["4-KNĐ"] == date(2026, 10, 2)
    assert [i.kind for i in case.introductions][-1] == "doan"
    actions = [(e.action, e.data.get("code"), e.data.get("number")) for e in uow.history.events]
    assert actions == [
        ("record_introduction", None, "12-NQ/ĐTN"),
        ("record_document", "4-KNĐ", "12-NQ/ĐTN"),
    ]
    assert checklist(FakeCases((case,)).facts(case), SEC, TODAY, SETTINGS).items == ()


def test_an_introduction_with_its_resolution_on_file_adds_no_second_copy() -> None:
    case = ready_case("trained", **{**NO_DOAN, "documents": {"4-KNĐ": date(2026, 9, 30)}})
    uow = FakeUnitOfWork(case)
    raw = {"kind": "doan", "name": "Đoàn xã", "dated": "2026-10-02"}
    record_fact(uow, SEC, 1, "introduction", raw, clock=CLOCK)
    assert [e.action for e in uow.history.events] == ["record_introduction"]
    assert case.documents["4-KNĐ"] == date(2026, 9, 30)
