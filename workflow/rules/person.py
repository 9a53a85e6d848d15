"""Who the candidate is: a named, plausible person with one open case, a known source, of age.

And whether they are of Đoàn age, which changes who must introduce them and which forms the
dossier needs.
"""

from __future__ import annotations

from datetime import date

from workflow.dates import full_months, full_years
from workflow.errors import Failure
from workflow.facts import CaseFacts
from workflow.rules.attempt import Attempt, day_text, fail
from workflow.settings import RuleSettings
from workflow.states import Source


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
        return fail(
            age_in_range,
            f"Quá {high // 12} tuổi vào ngày chi bộ biểu quyết {day_text(a.vote_date)}.",
            f"Over {high // 12} on the vote date {day_text(a.vote_date)}.",
        )
    return None


def is_youth(facts: CaseFacts, on: date, settings: RuleSettings) -> bool:
    """Of Đoàn age (up to 30 full years) on the given date."""
    return facts.birth_date is not None and (
        full_years(facts.birth_date, on) <= settings.youth_max_age_years
    )
