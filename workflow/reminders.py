"""Who must act on which deadline, and the reminder digest each of them gets.

Pure: rows in (any object with a case's dates, such as ``db.worklist.CaseRow``), plain data and
text out. Which cases fall in whose scope is the database's business (``db.reminders``); how the
digest travels is too. The digest is written in Vietnamese with the English below it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Protocol

from workflow.deadlines import Deadline, DeadlineStatus, WorkingCalendar, case_deadlines
from workflow.settings import RuleSettings
from workflow.states import Role

#: Who must act before each deadline; the first role is the one answerable for it.
ACTING_ROLES: dict[str, tuple[Role, ...]] = {
    # The deciding body decides on the dossier, then on the recognition.
    "decision": (Role.committee,),
    "recognition_decision": (Role.committee,),
    # The cell holds the ceremony and the recognition vote; the mentor (the helper during
    # probation) prepares the recognition with the probationary member (10-KNĐ, 11-KNĐ).
    "ceremony": (Role.secretary,),
    "probation_end": (Role.secretary, Role.mentor),
    "recognition_vote": (Role.secretary, Role.mentor),
}

#: The roles that get a digest.
REMINDED_ROLES = (Role.secretary, Role.committee, Role.mentor)

#: The roles' names in the digest: (Vietnamese, English), as the interface names them.
ROLE_WORDS: dict[str, tuple[str, str]] = {
    Role.secretary: ("Bí thư chi bộ", "Cell secretary"),
    Role.committee: ("Cấp ủy", "Committee"),
    Role.mentor: ("Đảng viên giúp đỡ", "Mentor"),
}

#: The default look-ahead: deadlines due within this many working days are "due soon".
DEFAULT_WITHIN = 10


class CaseDates(Protocol):
    """What a case must tell about itself for its deadlines to be computed."""

    id: int
    name: str
    cell: str
    state: str
    cell_vote_date: date | None
    decision_date: date | None
    decision_extension_days: int | None
    ceremony_on: date | None
    recognition_vote_date: date | None


@dataclass(frozen=True)
class DueItem:
    """A deadline of a case that is missed or near: the case, the deadline, how far."""

    case_id: int
    name: str
    cell: str
    deadline: Deadline
    days_left: int
    status: DeadlineStatus

    @property
    def overdue(self) -> bool:
        return self.status == DeadlineStatus.overdue

    @property
    def roles(self) -> tuple[Role, ...]:
        """Who must act, the answerable role first."""
        return ACTING_ROLES[self.deadline.name]

    @property
    def key(self) -> tuple[int, str]:
        return (self.case_id, self.deadline.name)

    def sort_key(self) -> tuple:
        return (self.deadline.due, self.name, self.case_id, self.deadline.name)


def pending_deadlines(
    row: CaseDates, calendar: WorkingCalendar, settings: RuleSettings
) -> list[Deadline]:
    """The case's pending deadlines, counted from its dates (the decision's date is when the
    cell received it)."""
    return case_deadlines(
        calendar,
        settings,
        state=row.state,
        cell_vote_date=row.cell_vote_date,
        extension_days=row.decision_extension_days or 0,
        decision_received=row.decision_date,
        ceremony_on=row.ceremony_on,
        recognition_vote_date=row.recognition_vote_date,
    )


def due_items(
    rows: Iterable[CaseDates],
    calendar: WorkingCalendar,
    settings: RuleSettings,
    today: date,
    within: int = DEFAULT_WITHIN,
) -> list[DueItem]:
    """The deadlines of `rows` that are overdue on `today` or due within `within` working days.

    The end of probation is no act of anybody's: it is listed while it approaches and dropped once
    passed, when the recognition vote's own deadline has taken over.
    """
    if within < 0:
        raise ValueError(f"the look-ahead cannot be negative ({within} working days)")
    found = []
    for row in rows:
        for deadline in pending_deadlines(row, calendar, settings):
            left = deadline.days_left(calendar, today)
            if left > within or (left < 0 and deadline.name == "probation_end"):
                continue
            status = DeadlineStatus.overdue if left < 0 else DeadlineStatus.due_soon
            found.append(DueItem(row.id, row.name, row.cell, deadline, left, status))
    return sorted(found, key=DueItem.sort_key)


# --- the digest ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """A user who gets a digest."""

    user_id: int
    username: str
    full_name: str
    email: str

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@dataclass(frozen=True)
class DigestItem:
    """A due item as one recipient gets it: with the roles under which they must act on it."""

    item: DueItem
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class Digest:
    """One e-mail: the recipient's missed and near deadlines on one day."""

    recipient: Recipient
    today: date
    within: int
    items: tuple[DigestItem, ...]
    #: The address of the web interface, for links (none: the digest has no link).
    base_url: str | None = None

    @property
    def overdue(self) -> list[DigestItem]:
        return [i for i in self.items if i.item.overdue]

    @property
    def due_soon(self) -> list[DigestItem]:
        return [i for i in self.items if not i.item.overdue]

    @property
    def subject(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} việc quá hạn")
        if self.due_soon:
            parts.append(f"{len(self.due_soon)} việc sắp đến hạn")
        return "[hồ sơ] " + ", ".join(parts)

    def link(self, path: str) -> str | None:
        if not self.base_url:
            return None
        return self.base_url.rstrip("/") + path

    def text(self) -> str:
        """The plain-text body: Vietnamese, then English."""
        return "\n".join([*_text_body(self, VI), "", "-" * 60, "", *_text_body(self, EN)]) + "\n"

    def html(self) -> str:
        """A simple HTML body (inline styles only): Vietnamese, then English."""
        return _html(self)


def build_digest(
    recipient: Recipient,
    assignments: Iterable[tuple[str, Iterable[DueItem]]],
    today: date,
    within: int = DEFAULT_WITHIN,
    base_url: str | None = None,
) -> Digest | None:
    """The recipient's digest from the due items in each of their roles' scope, or ``None``.

    `assignments` pairs a role with the items of the cases in the recipient's scope for that role;
    an item is kept only under a role that must act on it, and listed once whatever the number of
    roles it is kept under.
    """
    roles: dict[tuple[int, str], list[Role]] = {}
    items: dict[tuple[int, str], DueItem] = {}
    for role, role_items in assignments:
        for item in role_items:
            if role not in item.roles:
                continue
            items.setdefault(item.key, item)
            held = roles.setdefault(item.key, [])
            if role not in held:
                held.append(Role(role))
    if not items:
        return None
    ordered = sorted(items.values(), key=DueItem.sort_key)
    kept = tuple(
        DigestItem(item, tuple(r for r in item.roles if r in roles[item.key])) for item in ordered
    )
    return Digest(recipient, today, within, kept, base_url)


# --- the words ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    """The digest's sentences in one language."""

    lang: str
    heading: str
    greeting: str
    summary: str
    overdue: str
    due_soon: str
    due: str
    who: str
    columns: tuple[str, ...]
    all_link: str
    calendar: str
    footer: str

    def left(self, days_left: int) -> str:
        if self.lang == "vi":
            if days_left < 0:
                return f"quá hạn {-days_left} ngày làm việc"
            return "đến hạn hôm nay" if days_left == 0 else f"còn {days_left} ngày làm việc"
        if days_left < 0:
            n = -days_left
            return f"{n} working day{'s' if n != 1 else ''} overdue"
        if days_left == 0:
            return "due today"
        return f"{days_left} working day{'s' if days_left != 1 else ''} left"

    def deadline(self, deadline: Deadline) -> str:
        return deadline.vi if self.lang == "vi" else deadline.en

    def roles(self, roles: Iterable[str]) -> str:
        index = 0 if self.lang == "vi" else 1
        return ", ".join(ROLE_WORDS[r][index] for r in roles)

    def counts(self, overdue: int, soon: int, within: int) -> str:
        if self.lang == "vi":
            soon_words = f"{soon} việc sắp đến hạn (trong {within} ngày làm việc tới)"
            return f"{overdue} việc quá hạn, {soon_words}"
        return f"{overdue} overdue, {soon} due within the next {within} working days"


VI = _Words(
    lang="vi",
    heading="Nhắc việc theo thời hạn",
    greeting="Kính gửi đồng chí {name},",
    summary="Đến ngày {today}, các hồ sơ sau cần đồng chí xử lý: {counts}.",
    overdue="QUÁ HẠN",
    due_soon="SẮP ĐẾN HẠN",
    due="hạn",
    who="Người thực hiện",
    columns=("Người vào Đảng", "Chi bộ", "Việc", "Hạn", "Tình trạng", "Người thực hiện"),
    all_link="Xem tất cả các thời hạn",
    calendar="Thời hạn tính theo ngày làm việc (thứ Hai đến thứ Sáu, trừ ngày lễ, Tết).",
    footer="Thư này do hệ thống hồ sơ gửi tự động mỗi ngày (hoso remind).",
)
EN = _Words(
    lang="en",
    heading="Deadline reminder",
    greeting="Dear {name},",
    summary="As of {today}, these cases wait on you: {counts}.",
    overdue="OVERDUE",
    due_soon="DUE SOON",
    due="due",
    who="Who acts",
    columns=("Candidate", "Party cell", "Deadline", "Due", "Status", "Who acts"),
    all_link="See every deadline",
    calendar="Deadlines count working days (Monday to Friday, less public holidays and Tết).",
    footer="Sent automatically every day by hồ sơ (hoso remind).",
)


def day(value: date) -> str:
    """A date as dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def _text_body(digest: Digest, words: _Words) -> list[str]:
    lines = [
        words.greeting.format(name=digest.recipient.display_name),
        "",
        words.summary.format(
            today=day(digest.today),
            counts=words.counts(len(digest.overdue), len(digest.due_soon), digest.within),
        ),
    ]
    for title, group in ((words.overdue, digest.overdue), (words.due_soon, digest.due_soon)):
        if not group:
            continue
        lines += ["", f"{title} ({len(group)})"]
        for number, entry in enumerate(group, 1):
            item = entry.item
            lines.append(f"{number}. {item.name} — {item.cell}")
            lines.append(
                f"   {words.deadline(item.deadline)}: {words.due} {day(item.deadline.due)},"
                f" {words.left(item.days_left)}"
            )
            lines.append(f"   {words.who}: {words.roles(entry.roles)}")
            link = digest.link(f"/candidates/{item.case_id}")
            if link:
                lines.append(f"   {link}")
    lines.append("")
    link = digest.link("/deadlines/")
    if link:
        lines.append(f"{words.all_link}: {link}")
    lines += [words.calendar, words.footer]
    return lines


_CELL = "padding:4px 8px;border-bottom:1px solid #d9dce1;text-align:left;vertical-align:top"
_RED = "#b3261e"
_AMBER = "#a15c00"


def _html_section(digest: Digest, words: _Words) -> str:
    e = escape
    counts = words.counts(len(digest.overdue), len(digest.due_soon), digest.within)
    parts = [
        f'<div lang="{words.lang}">',
        f'<h2 style="font-size:18px;margin:16px 0 8px">{e(words.heading)}</h2>',
        f"<p>{e(words.greeting.format(name=digest.recipient.display_name))}</p>",
        f"<p>{e(words.summary.format(today=day(digest.today), counts=counts))}</p>",
    ]
    groups = ((words.overdue, digest.overdue, _RED), (words.due_soon, digest.due_soon, _AMBER))
    for title, group, colour in groups:
        if not group:
            continue
        parts.append(
            f'<h3 style="font-size:15px;margin:12px 0 4px;color:{colour}">'
            f"{e(title)} ({len(group)})</h3>"
        )
        head = "".join(f'<th style="{_CELL};background:#fafbfc">{e(c)}</th>' for c in words.columns)
        parts.append(
            f'<table style="border-collapse:collapse;font-size:14px;width:100%"><tr>{head}</tr>'
        )
        for entry in group:
            item = entry.item
            link = digest.link(f"/candidates/{item.case_id}")
            name = f'<a href="{e(link)}">{e(item.name)}</a>' if link else e(item.name)
            cells = (
                name,
                e(item.cell),
                e(words.deadline(item.deadline)),
                f'<span style="white-space:nowrap">{e(day(item.deadline.due))}</span>',
                f'<span style="color:{colour};font-weight:bold">{e(words.left(item.days_left))}'
                "</span>",
                e(words.roles(entry.roles)),
            )
            parts.append("<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in cells) + "</tr>")
        parts.append("</table>")
    link = digest.link("/deadlines/")
    if link:
        parts.append(f'<p><a href="{e(link)}">{e(words.all_link)}</a></p>')
    parts.append(f'<p style="color:#5f6368;font-size:12px">{e(words.calendar)}<br>')
    parts.append(f"{e(words.footer)}</p>")
    parts.append("</div>")
    return "\n".join(parts)


def _html(digest: Digest) -> str:
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="vi"><head><meta charset="utf-8">',
            f"<title>{escape(digest.subject)}</title></head>",
            '<body style="font-family:Arial,Helvetica,sans-serif;color:#1d1d1f">',
            _html_section(digest, VI),
            '<hr style="border:0;border-top:1px solid #d9dce1;margin:24px 0">',
            _html_section(digest, EN),
            "</body></html>",
        ]
    )
