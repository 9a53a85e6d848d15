"""Who gets which reminder: the digest of each person, gathered from a fake source and handed to
a fake sender. Plain data, no database, no mail server (the wording: tests/web/test_mail.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tests.workflow.test_worklist import CAL, CELL, OTHER, ROWS, SETTINGS, TODAY, Row
from workflow.facts import Actor, Grant
from workflow.policy import Scope
from workflow.ports.mail import Mail
from workflow.reminders import Digest, Recipient, build_digest
from workflow.services.reminders import (
    DIGEST_TEMPLATE,
    digest_mail,
    gather_digests,
    send_reminders,
)
from workflow.states import Role
from workflow.worklist import due_items

ITEMS = due_items(ROWS, CAL, SETTINGS, TODAY)
ANH = Recipient(1, "sec", "Nguyễn Văn Anh", "anh@example.org")


# --- the digest ---------------------------------------------------------------------------------


def test_only_what_the_recipient_must_act_on() -> None:
    as_secretary = [i for i in ITEMS if i.cell == CELL]
    digest = build_digest(ANH, [(Role.secretary, as_secretary)], TODAY)
    assert digest is not None
    # Not the decision on case 1: that is the committee's.
    assert [(e.item.case_id, e.item.deadline.name, e.roles) for e in digest.items] == [
        (3, "probation_end", (Role.secretary,)),
        (2, "ceremony", (Role.secretary,)),
    ]
    assert build_digest(ANH, [(Role.mentor, [ITEMS[0]])], TODAY) is None
    assert build_digest(ANH, [], TODAY) is None


def test_an_item_under_two_roles_is_listed_once() -> None:
    cell_items = [i for i in ITEMS if i.cell == CELL]
    digest = build_digest(ANH, [(Role.mentor, cell_items), (Role.secretary, cell_items)], TODAY)
    assert [(e.item.case_id, e.roles) for e in digest.items] == [
        (3, (Role.secretary, Role.mentor)),  # the answerable role first
        (2, (Role.secretary,)),
    ]


def test_overdue_and_due_soon_and_links() -> None:
    recipient = Recipient(2, "com", "Trần Thị Bích", "bich@example.org")
    digest = build_digest(recipient, [(Role.committee, ITEMS)], TODAY, 10, "https://x.vn/")
    assert [e.item.case_id for e in digest.overdue] == [1]
    assert [e.item.case_id for e in digest.due_soon] == [5]
    assert digest.link("/deadlines/") == "https://x.vn/deadlines/"
    assert build_digest(recipient, [(Role.committee, ITEMS)], TODAY).link("/x") is None


# --- gathering: one query per distinct scope ----------------------------------------------------

CELL_PATH, OTHER_PATH = "/1/2/", "/1/3/"


@dataclass
class FakeSource:
    """The recipients, and the rows each (role, scope) reads, as the read model would give."""

    people: list[tuple[Recipient, Actor]]
    mentees: dict[int, list[int]] = field(default_factory=dict)
    asked: list[tuple[str, Scope]] = field(default_factory=list)

    def recipients(self) -> list[tuple[Recipient, Actor]]:
        return self.people

    def deadline_rows(self, role: str, scope: Scope, by: date, settings) -> Sequence[Row]:
        self.asked.append((role, scope))
        cells = {CELL: CELL_PATH, OTHER: OTHER_PATH}
        if role == Role.mentor:
            return [r for r in ROWS if r.id in self.mentees.get(scope.member_id, [])]
        # The committee's deciding body is the root: it covers both cells.
        return [r for r in ROWS if scope.covers(cells[r.cell])]


def person(user_id: int, username: str, *grants: tuple[str, str], member: int | None = None):
    recipient = Recipient(user_id, username, "", f"{username}@example.org")
    actor = Actor(user_id, username, tuple(Grant(role, 0, path) for role, path in grants), member)
    return recipient, actor


def test_each_user_gets_what_they_must_act_on_one_query_per_scope() -> None:
    source = FakeSource(
        [
            person(1, "com", (Role.committee, "/1/")),
            person(2, "com2", (Role.committee, "/1/")),
            person(3, "mentor", (Role.mentor, CELL_PATH), member=30),
            person(4, "sec", (Role.secretary, CELL_PATH)),
            person(5, "sec_other", (Role.secretary, OTHER_PATH), (Role.mentor, OTHER_PATH),
                   member=50),
            person(6, "aud", (Role.auditor, "/1/")),
        ],
        mentees={30: [1, 2, 3], 50: [4]},
    )  # fmt: skip
    found = {d.recipient.username: d for d in gather_digests(source, SETTINGS, TODAY)}

    def listed(name: str) -> list[tuple[int, str]]:
        return [(e.item.case_id, e.item.deadline.name) for e in found[name].items]

    assert sorted(found) == ["com", "com2", "mentor", "sec", "sec_other"]
    assert listed("com") == [(1, "decision"), (5, "recognition_decision")]
    assert listed("com2") == listed("com")
    assert listed("sec") == [(3, "probation_end"), (2, "ceremony")]
    # The mentor's candidates include cases 1 and 2, but those acts are not theirs.
    assert listed("mentor") == [(3, "probation_end")]
    assert listed("sec_other") == [(4, "recognition_vote")]
    assert found["sec_other"].items[0].roles == (Role.secretary, Role.mentor)
    # com and com2 share one committee scope: one query for both.
    assert len(source.asked) == len(set(source.asked)) == 5


def test_the_look_ahead_and_the_base_address_reach_the_digest() -> None:
    source = FakeSource([person(1, "com", (Role.committee, "/1/"))])
    (digest,) = gather_digests(source, SETTINGS, TODAY, 14, "https://x.vn")
    assert digest.within == 14 and digest.base_url == "https://x.vn"
    assert (6, "recognition_decision") in [(e.item.case_id, e.item.deadline.name)
                                           for e in digest.items]  # fmt: skip


# --- sending through the port -------------------------------------------------------------------


@dataclass
class FakeSender:
    """Takes every mail except those to `refuse`; keeps what it was given."""

    refuse: tuple[str, ...] = ()
    mails: list[Mail] = field(default_factory=list)

    def send(self, mails: Sequence[Mail]) -> list[str | None]:
        self.mails.extend(mails)
        return ["refused" if m.to_address in self.refuse else None for m in mails]


def digests() -> list[Digest]:
    com = Recipient(2, "com", "Trần Thị Bích", "bich@example.org")
    return [
        build_digest(com, [(Role.committee, ITEMS)], TODAY),
        build_digest(ANH, [(Role.secretary, ITEMS)], TODAY),
    ]


def test_each_digest_goes_as_one_templated_mail() -> None:
    sender = FakeSender(refuse=("anh@example.org",))
    results = send_reminders(sender, digests())
    assert [(r.digest.recipient.username, r.ok, r.error) for r in results] == [
        ("com", True, None),
        ("sec", False, "refused"),
    ]
    mail = sender.mails[0]
    assert (mail.to_name, mail.to_address, mail.template) == (
        "Trần Thị Bích", "bich@example.org", DIGEST_TEMPLATE,
    )  # fmt: skip
    assert mail.context == {"digest": digests()[0]}
    # No full name: the username.
    assert digest_mail(build_digest(Recipient(3, "x", "", "x@y"), [(Role.committee, ITEMS)],
                                    TODAY)).to_name == "x"  # fmt: skip
