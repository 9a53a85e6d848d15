"""The members who stand for the candidate: the mentor, and the introducers at the vote."""

from __future__ import annotations

from datetime import date

from workflow.dates import add_months
from workflow.errors import Failure
from workflow.facts import IntroducerFacts, MemberFacts
from workflow.introductions import kinds_introducing
from workflow.rules.attempt import Attempt, day_text, fail
from workflow.rules.person import is_youth
from workflow.states import IntroducerKind, MemberStatus


def mentor_official_member_of_cell(a: Attempt) -> Failure | None:
    """The mentor is an official member of the candidate's cell."""
    mentor: MemberFacts | None = a.fields.get("mentor")
    if mentor is None:
        return fail(
            mentor_official_member_of_cell,
            "Chưa chọn đảng viên giúp đỡ.",
            "No mentor is chosen.",
        )
    if mentor.cell_id != a.facts.cell_id:
        return fail(
            mentor_official_member_of_cell,
            f"{mentor.name} không sinh hoạt tại chi bộ của quần chúng.",
            f"{mentor.name} is not a member of the candidate's cell.",
        )
    if mentor.status != MemberStatus.official:
        return fail(
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
        return fail(
            mentor_not_candidate,
            "Người giúp đỡ không thể là chính quần chúng.",
            "The mentor cannot be the candidate.",
        )
    return None


def official_on(member: MemberFacts | None, on: date) -> bool:
    """The member was an official (not probationary) member on `on`: recognised by now, and
    official since that day or before (a register without the date: since admission)."""
    if member is None or member.status != MemberStatus.official:
        return False
    return (member.official_since or member.since) <= on


def _member_introducer_problem(intro: IntroducerFacts, on: date, months: int) -> str | None:
    # Official status on the day the member signs 3-KNĐ, not today (domain.md).
    if not official_on(intro.member, on):
        return "official"
    if intro.replacement:
        return None  # named by the cell in place of another: no 12 months' acquaintance needed
    if intro.known_since is None or add_months(intro.known_since, months) > on:
        return "known"
    return None


def introducer_failures(a: Attempt) -> list[Failure]:
    """Every problem with the introducers at once (a youth lacking both the Đoàn resolution and
    the member is told both in one look): what ``introducers`` sums up in one failure."""
    on, months = a.vote_date, a.settings.introducer_known_months
    members = [i for i in a.facts.introductions if i.kind == IntroducerKind.member]
    found: list[Failure] = []
    good: list[IntroducerFacts] = []
    for intro in members:
        # The 12 months are counted up to the day the member signs the introduction.
        problem = _member_introducer_problem(intro, intro.dated, months)
        if problem == "official":
            found.append(
                fail(
                    introducers,
                    f"Người giới thiệu {intro.name} không phải đảng viên chính thức vào ngày ký "
                    f"giấy giới thiệu {day_text(intro.dated)}.",
                    f"The introducer {intro.name} was not an official member on the day they "
                    f"signed the introduction, {day_text(intro.dated)}.",
                )
            )
        elif problem == "known":
            found.append(
                fail(
                    introducers,
                    f"Người giới thiệu {intro.name} chưa cùng công tác, học tập hoặc sinh sống "
                    f"với quần chúng đủ {months} tháng tính đến ngày giới thiệu "
                    f"{day_text(intro.dated)}.",
                    f"The introducer {intro.name} had not worked, studied or lived with the "
                    f"candidate for {months} months by the introduction of "
                    f"{day_text(intro.dated)}.",
                )
            )
        else:
            good.append(intro)
    if is_youth(a.facts, on, a.settings):
        return found + _youth_introducers(a, members)
    needed = a.settings.introducers_required
    count = len({i.member.id for i in good if i.member is not None})  # one member counts once
    if count < needed and not (found and count + len(found) >= needed):
        found.append(
            fail(
                introducers,
                f"Cần {needed} đảng viên chính thức giới thiệu; mới có {count}.",
                f"{needed} official members must introduce the candidate; there are {count}.",
            )
        )
    return found


def introducers(a: Attempt) -> Failure | None:
    """Two official members who have known the candidate 12 months; or, for youth, the Đoàn
    (Công đoàn where the unit has no Đoàn) by resolution plus one official member."""
    found = introducer_failures(a)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    # One failure naming every problem: the refusal tells all of them in one round.
    return fail(introducers, " ".join(f.vi for f in found), " ".join(f.en for f in found))


#: ``workflow.rules.evaluate_all`` reports each problem as its own failure.
introducers.every = introducer_failures  # type: ignore[attr-defined]


def _youth_introducers(a: Attempt, members: list[IntroducerFacts]) -> list[Failure]:
    organisation = IntroducerKind.doan if a.facts.unit_has_doan else IntroducerKind.congdoan
    label = "Đoàn" if organisation == IntroducerKind.doan else "Công đoàn"
    found: list[Failure] = []
    if organisation == IntroducerKind.doan and not a.facts.is_doan_member:
        found.append(
            fail(
                introducers,
                "Quần chúng trong độ tuổi Đoàn phải là đoàn viên.",
                "A candidate of Đoàn age must be a Đoàn member.",
            )
        )
    if organisation not in kinds_introducing(a.facts):  # its resolution on file counts
        found.append(
            fail(
                introducers,
                f"Quần chúng trong độ tuổi Đoàn cần nghị quyết giới thiệu của {label}.",
                f"A candidate of Đoàn age needs the {label} resolution introducing them.",
            )
        )
    if not members:
        found.append(
            fail(
                introducers,
                f"Cần thêm một đảng viên chính thức giới thiệu, cùng với {label}.",
                f"One official member must introduce the candidate together with the {label}.",
            )
        )
    return found
