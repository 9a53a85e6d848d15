"""The dossier and the decisions on it: forms on file, reasons, decisions, four eyes, probation."""

from __future__ import annotations

from workflow.dates import add_months
from workflow.errors import Failure
from workflow.introductions import forms_on_file
from workflow.rules.attempt import Attempt, day_text, fail
from workflow.rules.person import is_youth

#: The đảng ủy bộ phận's appraisal on recognition (14-KNĐ), required where one exists.
BRANCH_RECOGNITION_FORM = "14-KNĐ"
#: The đảng ủy cơ sở's resolutions (admission, recognition): required only where a grassroots
#: committee sits between the cell and the deciding body (``CaseFacts.has_grassroots_committee``).
GRASSROOTS_FORMS = ("8-KNĐ", "15-KNĐ")


def _expected(codes: tuple[str, ...], a: Attempt) -> list[str]:
    """`codes` less the grassroots committee's resolutions where no such committee sits between."""
    if a.facts.has_grassroots_committee:
        return list(codes)
    return [c for c in codes if c not in GRASSROOTS_FORMS]


def missing_dossier_forms(a: Attempt) -> list[str]:
    """The forms of the dossier not on file, in the settings' order (the youth's resolution
    last): what ``dossier_forms_present`` names, and the checklist lists one by one. A recorded
    introduction is its form on file (``workflow.introductions``)."""
    on_file = forms_on_file(a.facts)
    missing = [c for c in _expected(a.settings.dossier_forms, a) if c not in on_file]
    if is_youth(a.facts, a.vote_date, a.settings):
        # The Đoàn's resolution (4-KNĐ), or the Công đoàn's (4A-KNĐ) where the unit has no Đoàn.
        doan_form, union_form = a.settings.youth_forms
        needed = doan_form if a.facts.unit_has_doan else union_form
        if needed not in on_file:
            missing.append(needed)
    return missing


def missing_recognition_forms(a: Attempt) -> list[str]:
    """The recognition forms not on file (14-KNĐ where a đảng ủy bộ phận sits above the cell)."""
    expected = _expected(a.settings.recognition_forms, a)
    missing = [c for c in expected if c not in a.facts.documents]
    if a.facts.cell_has_branch_committee and BRANCH_RECOGNITION_FORM not in a.facts.documents:
        # The đảng ủy bộ phận's appraisal, where one sits above the cell (as 7-KNĐ on admission).
        missing.append(BRANCH_RECOGNITION_FORM)
    return missing


def dossier_forms_present(a: Attempt) -> Failure | None:
    """The forms of the dossier are on file (8-KNĐ only where a grassroots committee sits
    between the cell and the deciding body, should an instance require it)."""
    missing = missing_dossier_forms(a)
    if missing:
        return fail(
            dossier_forms_present,
            f"Hồ sơ còn thiếu: {', '.join(missing)}.",
            f"The dossier lacks: {', '.join(missing)}.",
        )
    return None


def recognition_forms_present(a: Attempt) -> Failure | None:
    """The recognition forms are on file (15-KNĐ only where a grassroots committee sits between
    the cell and the deciding body)."""
    missing = missing_recognition_forms(a)
    if missing:
        return fail(
            recognition_forms_present,
            f"Hồ sơ công nhận chính thức còn thiếu: {', '.join(missing)}.",
            f"The recognition file lacks: {', '.join(missing)}.",
        )
    return None


def reason_given(a: Attempt) -> Failure | None:
    """Returning, refusing, removing, withdrawing and reinstating each need a reason."""
    if not (a.fields.get("reason") or "").strip():
        return fail(reason_given, "Phải ghi rõ lý do.", "A reason is required.")
    return None


def decision_recorded(a: Attempt) -> Failure | None:
    """The decision's number and date are given; it is not dated before its vote nor ahead."""
    number = (a.fields.get("decision_number") or "").strip()
    signed = a.fields.get("decision_date")
    if not number:
        return fail(decision_recorded, "Chưa ghi số quyết định.", "The decision number is missing.")
    if signed is None:
        return fail(decision_recorded, "Chưa ghi ngày quyết định.", "The decision date is missing.")
    if signed > a.today:
        return fail(
            decision_recorded,
            f"Ngày quyết định {day_text(signed)} ở tương lai.",
            f"The decision date {day_text(signed)} is in the future.",
        )
    held = a.fields.get("vote_date")
    if held is not None and signed < held:
        return fail(
            decision_recorded,
            f"Ngày quyết định {day_text(signed)} trước ngày biểu quyết {day_text(held)}.",
            f"The decision date {day_text(signed)} is before the vote of {day_text(held)}.",
        )
    return None


def four_eyes(a: Attempt) -> Failure | None:
    """The person who admits is not the person who submitted the dossier."""
    if a.facts.submitted_by_user_id is not None and a.facts.submitted_by_user_id == a.actor.user_id:
        return fail(
            four_eyes,
            "Người trình hồ sơ không được đồng thời quyết định kết nạp.",
            "The person who submitted the dossier may not also admit it.",
        )
    return None


def ceremony_recorded(a: Attempt) -> Failure | None:
    """The admission ceremony's date is on file."""
    if a.facts.ceremony_on is None:
        return fail(
            ceremony_recorded,
            "Chưa ghi ngày tổ chức lễ kết nạp.",
            "The admission ceremony's date is not recorded.",
        )
    return None


def probation_complete(a: Attempt) -> Failure | None:
    """Twelve months of probation have passed since the ceremony, on the recognition vote."""
    if a.facts.ceremony_on is None:
        return None  # ceremony_recorded explains it
    months = a.settings.probation_months
    ends = add_months(a.facts.ceremony_on, months)
    if ends > a.vote_date:
        return fail(
            probation_complete,
            f"Chưa đủ {months} tháng dự bị: lễ kết nạp {day_text(a.facts.ceremony_on)}, hết hạn "
            f"{day_text(ends)}.",
            f"Probation of {months} months is not over: ceremony {day_text(a.facts.ceremony_on)}, "
            f"ends {day_text(ends)}.",
        )
    return None
