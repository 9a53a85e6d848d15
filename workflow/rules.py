"""The eligibility rules: small predicates that explain, in Vietnamese and English, why they fail.

A rule takes an :class:`Attempt` and returns ``None`` when it holds, or a :class:`Failure` whose
``rule`` is the rule's name. Rules never raise and never touch storage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from workflow.dates import add_months, full_months, full_years
from workflow.errors import Failure
from workflow.facts import Actor, CaseFacts, IntroducerFacts, MemberFacts, VoteFacts
from workflow.settings import RuleSettings
from workflow.states import IntroducerKind, MemberStatus, Source


@dataclass(frozen=True)
class Attempt:
    """One try at a transition: the case, who tries, when, under which settings, with what."""

    facts: CaseFacts
    actor: Actor
    today: date
    settings: RuleSettings
    fields: Mapping[str, Any]

    @property
    def vote_date(self) -> date:
        return self.fields.get("vote_date") or self.today


Rule = Callable[[Attempt], Failure | None]


def _fail(rule: Callable, vi: str, en: str) -> Failure:
    return Failure(rule.__name__, vi, en)


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- identify -------------------------------------------------------------------------------


def person_valid(a: Attempt) -> Failure | None:
    """The person has a name and a plausible date of birth."""
    name = (a.fields.get("full_name") or "").strip()
    born = a.fields.get("birth_date")
    if not name:
        return _fail(person_valid, "Chưa ghi họ và tên.", "The full name is missing.")
    if born is None:
        return _fail(person_valid, "Chưa ghi ngày sinh.", "The date of birth is missing.")
    if born >= a.today or born.year < 1900:
        return _fail(
            person_valid,
            f"Ngày sinh {_d(born)} không hợp lệ.",
            f"The date of birth {_d(born)} is not plausible.",
        )
    return None


def single_open_case(a: Attempt) -> Failure | None:
    """A person has at most one open case."""
    if a.facts.has_other_open_case:
        return _fail(
            single_open_case,
            "Người này đã có một hồ sơ đang mở.",
            "This person already has an open case.",
        )
    return None


def source_recorded(a: Attempt) -> Failure | None:
    """The source of the introduction is one of the known ones, with its detail where needed."""
    source = a.fields.get("source")
    if source not in set(Source):
        return _fail(
            source_recorded,
            "Chưa ghi nguồn giới thiệu (chi bộ rà soát, đoàn thể giới thiệu, hoặc xin qua xã).",
            "The source of the introduction is missing (cell review, mass organisation or "
            "commune application).",
        )
    if source == Source.mass_organisation and not (a.fields.get("source_detail") or "").strip():
        return _fail(
            source_recorded,
            "Chưa ghi tên đoàn thể giới thiệu.",
            "The introducing mass organisation is not named.",
        )
    return None


# --- mentors --------------------------------------------------------------------------------


def mentor_official_member_of_cell(a: Attempt) -> Failure | None:
    """The mentor is an official member of the candidate's cell."""
    mentor: MemberFacts | None = a.fields.get("mentor")
    if mentor is None:
        return _fail(
            mentor_official_member_of_cell,
            "Chưa chọn đảng viên giúp đỡ.",
            "No mentor is chosen.",
        )
    if mentor.cell_id != a.facts.cell_id:
        return _fail(
            mentor_official_member_of_cell,
            f"{mentor.name} không sinh hoạt tại chi bộ của quần chúng.",
            f"{mentor.name} is not a member of the candidate's cell.",
        )
    if mentor.status != MemberStatus.official:
        return _fail(
            mentor_official_member_of_cell,
            f"{mentor.name} là đảng viên dự bị, chưa được phân công giúp đỡ.",
            f"{mentor.name} is a probationary member and may not mentor.",
        )
    return None


def mentor_not_candidate(a: Attempt) -> Failure | None:
    """Nobody mentors themself."""
    mentor: MemberFacts | None = a.fields.get("mentor")
    if (
        mentor is not None
        and mentor.person_id is not None
        and mentor.person_id == a.facts.person_id
    ):
        return _fail(
            mentor_not_candidate,
            "Người giúp đỡ không thể là chính quần chúng.",
            "The mentor cannot be the candidate.",
        )
    return None


# --- training -------------------------------------------------------------------------------


def certificate_recorded(a: Attempt) -> Failure | None:
    """The certificate's number and date are given, and the date is not in the future."""
    number = (a.fields.get("certificate_number") or "").strip()
    issued = a.fields.get("certificate_date")
    if not number or issued is None:
        return _fail(
            certificate_recorded,
            "Chưa ghi số và ngày cấp giấy chứng nhận học lớp nhận thức về Đảng.",
            "The awareness-class certificate's number and date are missing.",
        )
    if issued > a.today:
        return _fail(
            certificate_recorded,
            f"Ngày cấp giấy chứng nhận {_d(issued)} ở tương lai.",
            f"The certificate date {_d(issued)} is in the future.",
        )
    return None


def _certificate_expired(issued: date, on: date, months: int) -> bool:
    return add_months(issued, months) < on


def certificate_fresh(a: Attempt) -> Failure | None:
    """A certificate older than its validity cannot be recorded."""
    issued = a.fields.get("certificate_date")
    months = a.settings.certificate_valid_months
    if issued is not None and _certificate_expired(issued, a.today, months):
        return _fail(
            certificate_fresh,
            f"Giấy chứng nhận cấp ngày {_d(issued)} đã quá {months} tháng.",
            f"The certificate of {_d(issued)} is older than {months} months.",
        )
    return None


def certificate_valid_on_vote(a: Attempt) -> Failure | None:
    """The certificate is still valid on the date of the chi bộ vote."""
    issued = a.facts.certificate_date
    months = a.settings.certificate_valid_months
    if issued is None:
        return _fail(
            certificate_valid_on_vote,
            "Chưa có giấy chứng nhận học lớp nhận thức về Đảng.",
            "There is no awareness-class certificate on file.",
        )
    if _certificate_expired(issued, a.vote_date, months):
        return _fail(
            certificate_valid_on_vote,
            f"Giấy chứng nhận cấp ngày {_d(issued)} đã hết hạn {months} tháng vào ngày biểu "
            f"quyết {_d(a.vote_date)}.",
            f"The certificate of {_d(issued)} is older than {months} months on the vote date "
            f"{_d(a.vote_date)}.",
        )
    return None


# --- the dossier ----------------------------------------------------------------------------


def age_in_range(a: Attempt) -> Failure | None:
    """18 to 60 years of age, counted in whole months, on the date of the chi bộ vote."""
    born = a.facts.birth_date
    if born is None:
        return _fail(age_in_range, "Chưa có ngày sinh.", "The date of birth is unknown.")
    months = full_months(born, a.vote_date)
    low, high = a.settings.min_age_months, a.settings.max_age_months
    if months < low:
        return _fail(
            age_in_range,
            f"Chưa đủ {low // 12} tuổi vào ngày chi bộ biểu quyết {_d(a.vote_date)} "
            f"({months // 12} tuổi {months % 12} tháng).",
            f"Under {low // 12} on the vote date {_d(a.vote_date)} "
            f"({months // 12} years {months % 12} months).",
        )
    if months > high:
        return _fail(
            age_in_range,
            f"Quá {high // 12} tuổi vào ngày chi bộ biểu quyết {_d(a.vote_date)}.",
            f"Over {high // 12} on the vote date {_d(a.vote_date)}.",
        )
    return None


def is_youth(facts: CaseFacts, on: date, settings: RuleSettings) -> bool:
    """Of Đoàn age (up to 30 full years) on the given date."""
    return facts.birth_date is not None and (
        full_years(facts.birth_date, on) <= settings.youth_max_age_years
    )


def _member_introducer_problem(intro: IntroducerFacts, on: date, months: int) -> str | None:
    member = intro.member
    if member is None or member.status != MemberStatus.official:
        return "official"
    if intro.known_since is None or add_months(intro.known_since, months) > on:
        return "known"
    return None


def introducers(a: Attempt) -> Failure | None:
    """Two official members who have known the candidate 12 months; or, for youth, the Đoàn
    (Công đoàn where the unit has no Đoàn) by resolution plus one official member."""
    on, months = a.vote_date, a.settings.introducer_known_months
    members = [i for i in a.facts.introductions if i.kind == IntroducerKind.member]
    for intro in members:
        # The 12 months are counted up to the day the member signs the introduction.
        problem = _member_introducer_problem(intro, intro.dated, months)
        if problem == "official":
            return _fail(
                introducers,
                f"Người giới thiệu {intro.name} không phải đảng viên chính thức.",
                f"The introducer {intro.name} is not an official member.",
            )
        if problem == "known":
            return _fail(
                introducers,
                f"Người giới thiệu {intro.name} chưa cùng công tác, học tập hoặc sinh sống với "
                f"quần chúng đủ {months} tháng tính đến ngày giới thiệu {_d(intro.dated)}.",
                f"The introducer {intro.name} had not worked, studied or lived with the candidate "
                f"for {months} months by the introduction of {_d(intro.dated)}.",
            )
    if is_youth(a.facts, on, a.settings):
        return _youth_introducers(a, members)
    needed = a.settings.introducers_required
    count = len({i.member.id for i in members if i.member is not None})  # one member counts once
    if count < needed:
        return _fail(
            introducers,
            f"Cần {needed} đảng viên chính thức giới thiệu; mới có {count}.",
            f"{needed} official members must introduce the candidate; there are {count}.",
        )
    return None


def _youth_introducers(a: Attempt, members: list[IntroducerFacts]) -> Failure | None:
    organisation = IntroducerKind.doan if a.facts.unit_has_doan else IntroducerKind.congdoan
    label = "Đoàn" if organisation == IntroducerKind.doan else "Công đoàn"
    if organisation == IntroducerKind.doan and not a.facts.is_doan_member:
        return _fail(
            introducers,
            "Quần chúng trong độ tuổi Đoàn phải là đoàn viên.",
            "A candidate of Đoàn age must be a Đoàn member.",
        )
    if not any(i.kind == organisation for i in a.facts.introductions):
        return _fail(
            introducers,
            f"Quần chúng trong độ tuổi Đoàn cần nghị quyết giới thiệu của {label}.",
            f"A candidate of Đoàn age needs the {label} resolution introducing them.",
        )
    if not members:
        return _fail(
            introducers,
            f"Cần thêm một đảng viên chính thức giới thiệu, cùng với {label}.",
            f"One official member must introduce the candidate together with the {label}.",
        )
    return None


def _vote_share_failure(
    rule: Callable, vote: VoteFacts | None, threshold: Fraction, what_vi: str, what_en: str
) -> Failure | None:
    if vote is None:
        return _fail(
            rule,
            f"Chưa ghi kết quả biểu quyết của {what_vi}.",
            f"The {what_en} vote is not recorded.",
        )
    if vote.eligible <= 0 or vote.votes_for + vote.votes_against > vote.eligible:
        return _fail(
            rule,
            f"Kết quả biểu quyết của {what_vi} không hợp lệ ({vote.votes_for} tán thành, "
            f"{vote.votes_against} không tán thành trên {vote.eligible}).",
            f"The {what_en} vote does not add up ({vote.votes_for} for, {vote.votes_against} "
            f"against, of {vote.eligible}).",
        )
    if Fraction(vote.votes_for, vote.eligible) < threshold:
        return _fail(
            rule,
            f"{what_vi.capitalize()} chỉ có {vote.votes_for}/{vote.eligible} tán thành, chưa đạt "
            f"{threshold.numerator}/{threshold.denominator}.",
            f"The {what_en} vote has {vote.votes_for} of {vote.eligible} in favour, under "
            f"{threshold.numerator}/{threshold.denominator}.",
        )
    return None


def vote_date_not_future(a: Attempt) -> Failure | None:
    """A vote cannot be recorded before it is held."""
    held = a.fields.get("vote_date")
    if held is None:
        return _fail(vote_date_not_future, "Chưa ghi ngày biểu quyết.", "The vote date is missing.")
    if held > a.today:
        return _fail(
            vote_date_not_future,
            f"Ngày biểu quyết {_d(held)} ở tương lai.",
            f"The vote date {_d(held)} is in the future.",
        )
    return None


def cell_vote_two_thirds(a: Attempt) -> Failure | None:
    """At least 2/3 of all official members of the chi bộ vote for admission."""
    return _vote_share_failure(
        cell_vote_two_thirds, a.fields.get("vote"), a.settings.vote_threshold, "chi bộ", "chi bộ"
    )


def dossier_forms_present(a: Attempt) -> Failure | None:
    """The forms of the dossier are on file."""
    missing = [c for c in a.settings.dossier_forms if c not in a.facts.documents]
    if is_youth(a.facts, a.vote_date, a.settings):
        # The Đoàn's resolution (4-KNĐ), or the Công đoàn's (4A-KNĐ) where the unit has no Đoàn.
        doan_form, union_form = a.settings.youth_forms
        needed = doan_form if a.facts.unit_has_doan else union_form
        if needed not in a.facts.documents:
            missing.append(needed)
    if missing:
        return _fail(
            dossier_forms_present,
            f"Hồ sơ còn thiếu: {', '.join(missing)}.",
            f"The dossier lacks: {', '.join(missing)}.",
        )
    return None


def documents_fresh(a: Attempt) -> Failure | None:
    """Introductions and opinion summaries older than 12 months at the vote must be redone."""
    months = a.settings.staleness_months
    stale = [
        code
        for code in a.settings.stale_forms
        if code in a.facts.documents and add_months(a.facts.documents[code], months) < a.vote_date
    ]
    if stale:
        return _fail(
            documents_fresh,
            f"Quá {months} tháng chưa biểu quyết, phải làm lại: {', '.join(stale)}.",
            f"Older than {months} months at the vote, must be redone: {', '.join(stale)}.",
        )
    return None


# --- the committee --------------------------------------------------------------------------


def reason_given(a: Attempt) -> Failure | None:
    """Returning, refusing, removing, withdrawing and reinstating each need a reason."""
    if not (a.fields.get("reason") or "").strip():
        return _fail(reason_given, "Phải ghi rõ lý do.", "A reason is required.")
    return None


def grassroots_vote_two_thirds(a: Attempt) -> Failure | None:
    """At least 2/3 of the grassroots committee's members vote for admission."""
    return _vote_share_failure(
        grassroots_vote_two_thirds,
        a.fields.get("vote"),
        a.settings.vote_threshold,
        "đảng ủy cơ sở",
        "grassroots committee",
    )


def decision_recorded(a: Attempt) -> Failure | None:
    """The decision's number and date are given; it is not dated before its vote nor ahead."""
    number = (a.fields.get("decision_number") or "").strip()
    signed = a.fields.get("decision_date")
    if not number:
        return _fail(
            decision_recorded, "Chưa ghi số quyết định.", "The decision number is missing."
        )
    if signed is None:
        return _fail(
            decision_recorded, "Chưa ghi ngày quyết định.", "The decision date is missing."
        )
    if signed > a.today:
        return _fail(
            decision_recorded,
            f"Ngày quyết định {_d(signed)} ở tương lai.",
            f"The decision date {_d(signed)} is in the future.",
        )
    held = a.fields.get("vote_date")
    if held is not None and signed < held:
        return _fail(
            decision_recorded,
            f"Ngày quyết định {_d(signed)} trước ngày biểu quyết {_d(held)}.",
            f"The decision date {_d(signed)} is before the vote of {_d(held)}.",
        )
    return None


def four_eyes(a: Attempt) -> Failure | None:
    """The person who admits is not the person who submitted the dossier."""
    if a.facts.submitted_by_user_id is not None and a.facts.submitted_by_user_id == a.actor.user_id:
        return _fail(
            four_eyes,
            "Người trình hồ sơ không được đồng thời quyết định kết nạp.",
            "The person who submitted the dossier may not also admit it.",
        )
    return None


# --- recognition ----------------------------------------------------------------------------


def ceremony_recorded(a: Attempt) -> Failure | None:
    """The admission ceremony's date is on file."""
    if a.facts.ceremony_on is None:
        return _fail(
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
        return _fail(
            probation_complete,
            f"Chưa đủ {months} tháng dự bị: lễ kết nạp {_d(a.facts.ceremony_on)}, hết hạn "
            f"{_d(ends)}.",
            f"Probation of {months} months is not over: ceremony {_d(a.facts.ceremony_on)}, "
            f"ends {_d(ends)}.",
        )
    return None


def recognition_vote_two_thirds(a: Attempt) -> Failure | None:
    """At least 2/3 of the chi bộ's official members vote to recognise."""
    return _vote_share_failure(
        recognition_vote_two_thirds,
        a.fields.get("vote"),
        a.settings.vote_threshold,
        "chi bộ (công nhận chính thức)",
        "chi bộ recognition",
    )


def recognition_forms_present(a: Attempt) -> Failure | None:
    """The recognition forms are on file."""
    missing = [c for c in a.settings.recognition_forms if c not in a.facts.documents]
    if missing:
        return _fail(
            recognition_forms_present,
            f"Hồ sơ công nhận chính thức còn thiếu: {', '.join(missing)}.",
            f"The recognition file lacks: {', '.join(missing)}.",
        )
    return None


def evaluate(rules: tuple[Rule, ...], attempt: Attempt) -> list[Failure]:
    """Every failure among the rules, in the order given."""
    return [failure for rule in rules if (failure := rule(attempt)) is not None]
