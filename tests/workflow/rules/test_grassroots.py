"""8-KNĐ, 15-KNĐ and the grassroots committee's vote only where a đảng ủy cơ sở sits between
the cell and the deciding body (``CaseFacts.has_grassroots_committee``); a chi bộ cơ sở sends its
resolution straight up."""

from __future__ import annotations

from dataclasses import replace

from documents.registry import forms_for_case, required_forms
from tests.workflow.rules.attempts import attempt, fails, holds
from workflow import rules as r
from workflow.settings import DEFAULT_SETTINGS, DOSSIER_FORMS, RECOGNITION_FORMS

WITHOUT_15 = {code: attempt().facts.documents[code] for code in DOSSIER_FORMS}
WITHOUT_15.update({c: attempt().facts.documents[c] for c in RECOGNITION_FORMS if c != "15-KNĐ"})


def test_the_grassroots_vote_only_where_a_grassroots_committee_sits_between() -> None:
    fails(r.grassroots_vote_two_thirds, attempt(), "grassroots_vote_two_thirds")
    holds(r.grassroots_vote_two_thirds, attempt(has_grassroots_committee=False))


def test_admit_without_a_grassroots_committee_needs_no_vote_date() -> None:
    def on(trigger: str, **facts) -> r.Attempt:
        return replace(attempt(vote_date=None, **facts), trigger=trigger)

    holds(r.vote_date_not_future, on("admit", has_grassroots_committee=False))
    fails(r.vote_date_not_future, on("admit"), "vote_date_not_future")
    # The cell's votes are dated wherever the cell sits.
    for trigger in ("submit_dossier", "recognize"):
        fails(
            r.vote_date_not_future,
            on(trigger, has_grassroots_committee=False),
            "vote_date_not_future",
        )


def test_15_knd_only_where_a_grassroots_committee_sits_between() -> None:
    holds(
        r.recognition_forms_present,
        attempt(documents=WITHOUT_15, has_grassroots_committee=False),
    )
    failure = fails(
        r.recognition_forms_present, attempt(documents=WITHOUT_15), "recognition_forms_present"
    )
    assert "15-KNĐ" in failure.en and "15-KNĐ" in failure.vi


def test_8_knd_required_by_an_instance_only_where_a_grassroots_committee_sits_between() -> None:
    settings = replace(DEFAULT_SETTINGS, dossier_forms=(*DOSSIER_FORMS, "8-KNĐ"))
    documents = {c: d for c, d in attempt().facts.documents.items() if c != "8-KNĐ"}
    lacking = attempt(settings=settings, documents=documents)
    assert "8-KNĐ" in fails(r.dossier_forms_present, lacking, "dossier_forms_present").en
    holds(
        r.dossier_forms_present,
        replace(lacking, facts=replace(lacking.facts, has_grassroots_committee=False)),
    )


def test_the_forms_of_a_case_leave_out_8_and_15_without_a_grassroots_committee() -> None:
    for state in ("dossier_submitted", "admitted", "official"):
        kept = forms_for_case(state, True, False)
        left = forms_for_case(state, True, False, has_grassroots_committee=False)
        assert set(kept) - set(left) == {"8-KNĐ", "15-KNĐ"} & set(kept)
        assert "8-KNĐ" in kept and "8-KNĐ" not in left
    assert "15-KNĐ" in required_forms("recognize", has_doan=True, is_youth=False)
    assert "15-KNĐ" not in required_forms(
        "recognize", has_doan=True, is_youth=False, has_grassroots_committee=False
    )
