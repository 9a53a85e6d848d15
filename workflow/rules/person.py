"""Who the candidate is: a named, plausible person with one open case, a known source, of age.

And whether they are of Đoàn age, which changes who must introduce them and which forms the
dossier needs.
"""

from __future__ import annotations

from datetime import date

from workflow.dates import full_months, full_years
from workflow.education import education_label, meets_floor
from workflow.errors import Failure
from workflow.facts import CaseFacts
from workflow.rules.attempt import Attempt, day_text, fail
from workflow.settings import RuleSettings
from workflow.states import Source

#: The kinds of exception a case may record (``CaseFacts.exceptions``).
OVER_AGE, EDUCATION = "over_age", "education"


def person_valid(a: Attempt) -> Failure | None:
    """The person has a name and a plausible date of birth."""
    name = (a.fields.get("full_name") or "").strip()
    born = a.fields.get("birth_date")
    if not name:
        return fail(person_valid, "Chưa ghi họ và tên.", "The full name is missing.")
    if born is None:
        return fail(person_valid, "Chưa ghi ngày sinh.", "The date of birth is missing.")
    if born >= a.today or born.year < 1900:
        return fail(
            person_valid,
            f"Ngày sinh {day_text(born)} không hợp lệ.",
            f"The date of birth {day_text(born)} is not plausible.",
        )
    return None


def single_open_case(a: Attempt) -> Failure | None:
    """A person has at most one open case."""
    if a.facts.has_other_open_case:
        return fail(
            single_open_case,
            "Người này đã có một hồ sơ đang mở.",
            "This person already has an open case.",
        )
    return None


def source_recorded(a: Attempt) -> Failure | None:
    """The source of the introduction is one of the known ones, with its detail where needed."""
    source = a.fields.get("source")
    if source not in set(Source):
        return fail(
            source_recorded,
            "Chưa ghi nguồn giới thiệu (chi bộ rà soát, đoàn thể giới thiệu, hoặc xin qua xã).",
            "The source of the introduction is missing (cell review, mass organisation or "
            "commune application).",
        )
    if source == Source.mass_organisation and not (a.fields.get("source_detail") or "").strip():
        return fail(
            source_recorded,
            "Chưa ghi tên đoàn thể giới thiệu.",
            "The introducing mass organisation is not named.",
        )
    return None


def age_in_range(a: Attempt) -> Failure | None:
    """18 to 60 years of age, counted in whole months, on the date of the chi bộ vote."""
    born = a.facts.birth_date
    if born is None:
        return fail(age_in_range, "Chưa có ngày sinh.", "The date of birth is unknown.")
    months = full_months(born, a.vote_date)
    low, high = a.settings.min_age_months, a.settings.max_age_months
    if months < low:
        return fail(
            age_in_range,
            f"Chưa đủ {low // 12} tuổi vào ngày chi bộ biểu quyết {day_text(a.vote_date)} "
            f"({months // 12} tuổi {months % 12} tháng).",
            f"Under {low // 12} on the vote date {day_text(a.vote_date)} "
            f"({months // 12} years {months % 12} months).",
        )
    if months > high:
        if OVER_AGE in a.facts.exceptions:
            return None  # the provincial committee's approval is on file
        return fail(
            age_in_range,
            f"Quá {high // 12} tuổi vào ngày chi bộ biểu quyết {day_text(a.vote_date)} "
            f"({months // 12} tuổi {months % 12} tháng): cần ý kiến đồng ý của tỉnh ủy (cấp ủy "
            "trực thuộc Trung ương) được ghi nhận trong hồ sơ.",
            f"Over {high // 12} on the vote date {day_text(a.vote_date)} ({months // 12} years "
            f"{months % 12} months): the provincial committee's approval must be on file.",
        )
    return None


def education_floor(a: Attempt) -> Failure | None:
    """Lower-secondary education (tốt nghiệp THCS) or above, unless a hardship-area exception
    is recorded for the case (mountain, island, ethnic-minority area)."""
    if meets_floor(a.facts.education):
        return None
    if EDUCATION in a.facts.exceptions:
        return None
    if a.facts.education is None:
        return fail(
            education_floor,
            "Chưa ghi trình độ học vấn của quần chúng (phải từ tốt nghiệp THCS trở lên).",
            "The candidate's education is not recorded (lower secondary or above is required).",
        )
    label_vi, label_en = (
        education_label(a.facts.education, "vi"),
        education_label(a.facts.education, "en"),
    )
    return fail(
        education_floor,
        f"Trình độ học vấn ({label_vi}) dưới tốt nghiệp THCS, và chưa ghi nhận trường hợp ngoại lệ "
        "vùng cao, hải đảo, vùng đồng bào dân tộc thiểu số.",
        f"Education ({label_en}) is below lower secondary, and no hardship-area exception "
        "(mountain, island, ethnic-minority area) is recorded.",
    )


def is_youth(facts: CaseFacts, on: date, settings: RuleSettings) -> bool:
    """Of Đoàn age (up to 30 full years) on the given date."""
    return facts.birth_date is not None and (
        full_years(facts.birth_date, on) <= settings.youth_max_age_years
    )
