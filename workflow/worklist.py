"""Who acts next: the step each case waits for, by role and state, and the deadline governing it.

The one worklist of hoso. The home page (each role's list), the committee's review queue, the
deadlines overview and the reminder digests all read it: rows in (any object with a case's dates,
such as ``db.read.worklist.CaseRow``), plain values out. Which rows fall in whose scope is asked of
``workflow.policy.scope`` here (``role_scope``) and said in SQL by ``db.read.worklist``; how a
step is worded is the web's business (step codes here, labels in ``web.work.steps``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from workflow.dates import LOCAL_ZONE, add_months
from workflow.deadlines import (
    Deadline,
    DeadlineStatus,
    WorkingCalendar,
    calendar_for,
    case_deadlines,
)
from workflow.facts import Actor
from workflow.policy import Purpose, Scope, scope
from workflow.settings import RuleSettings
from workflow.states import OPEN_STATES, PROBATION_STATES, Role, State
from workflow.verification import VERIFICATION_STATES

#: The roles that have a work list (each list is one query, see ``db.read.worklist``).
WORKING_ROLES = (Role.mentor, Role.secretary, Role.committee)

#: The states each role's list reads; ``next_step`` then says which of those cases wait on it.
ROLE_STATES: dict[Role, frozenset[State]] = {
    Role.mentor: OPEN_STATES,
    Role.secretary: frozenset({State.identified, State.trained, State.returned}) | PROBATION_STATES,
    Role.committee: frozenset({State.dossier_submitted}) | PROBATION_STATES,
}

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
    # The grassroots committee sent the verification's requests and chases the answers (the
    # secretary of a chi bộ cơ sở may run it too: workflow.policy.verification_role).
    "verification_answer": (Role.committee, Role.secretary),
}

#: How long before the end of probation the cell sees the recognition vote coming.
RECOGNITION_NOTICE = timedelta(days=30)
#: The default look-ahead: deadlines due within this many working days are "due soon".
DEFAULT_WITHIN = 10
#: Slack for the month arithmetic of the SQL pre-filters (the exact test runs in Python).
_SLACK = timedelta(days=3)


class CaseDates(Protocol):
    """What a case must tell about itself for its step and deadlines to be known."""

    id: int
    name: str
    cell: str
    state: str
    cell_vote_date: date | None
    decision_date: date | None
    decision_extension_days: int | None
    ceremony_on: date | None
    recognition_vote_date: date | None
    #: The biography verification under way (requests sent, no conclusion), and when its oldest
    #: unanswered request was sent; rows without these columns have no verification under way.
    verification_pending: bool
    verification_sent_on: date | None


class WaitingCase(CaseDates, Protocol):
    """A case on a work list: its dates and the UTC stamp of its last event."""

    last_change: str | None


# --- whose turn it is ---------------------------------------------------------------------------


def role_scope(actor: Actor, role: str) -> Scope:
    """Where the actor acts in `role`: a secretary's cells, a committee's deciding bodies (the
    query narrows to them), a mentor's own candidates only (not every case they may read)."""
    if role == Role.secretary:
        return scope(actor, Purpose.identify)
    if role == Role.committee:
        return scope(actor, Purpose.decide)
    if role == Role.mentor:
        readable = scope(actor, Purpose.cases)
        return Scope(Purpose.cases, (), readable.mentor_paths, readable.member_id)
    return Scope(Purpose.cases)


@dataclass(frozen=True)
class Step:
    """What a case waits for (a code the web words), and which deadline governs it (if any)."""

    code: str
    deadline: str | None = None


def probation_ended(row: CaseDates, on: date, settings: RuleSettings) -> bool:
    """The probation that began with the ceremony is over on `on`."""
    return (
        row.ceremony_on is not None and add_months(row.ceremony_on, settings.probation_months) <= on
    )


def ceremony_cutoff(role: str, on: date, settings: RuleSettings) -> date | None:
    """A bound on the ceremony dates whose probation may matter to `role`'s list on `on` (for the
    SQL pre-filter), or ``None`` when the list reads every ceremony."""
    if role == Role.secretary:
        on = on + RECOGNITION_NOTICE  # the cell sees the vote coming
    elif role != Role.committee:
        return None
    return add_months(on, -settings.probation_months) + _SLACK


def _mentor_step(row: CaseDates, on: date, settings: RuleSettings) -> Step | None:
    state = row.state
    if state == State.identified:
        return Step("await_assignment")
    if state == State.mentored:
        return Step("record_certificate")
    if state == State.trained:
        return Step("prepare_dossier")
    if state == State.returned:
        return Step("correct_dossier")
    if state == State.dossier_submitted:
        return Step("await_decision", "decision")
    if state == State.admitted:
        if row.ceremony_on is None:
            return Step("await_ceremony", "ceremony")
        if row.recognition_vote_date is not None:
            return Step("await_recognition_decision", "recognition_decision")
        if probation_ended(row, on, settings):
            return Step("write_assessment", "recognition_vote")
        return Step("help_probationer", "probation_end")
    return None


def _verifying(row: CaseDates) -> bool:
    """The case's biography verification is under way (before the cell's vote)."""
    return row.state in VERIFICATION_STATES and bool(getattr(row, "verification_pending", False))


def _secretary_step(row: CaseDates, on: date, settings: RuleSettings) -> Step | None:
    state = row.state
    if state in (State.trained, State.returned) and _verifying(row):
        return Step("await_verification")
    if state == State.identified:
        return Step("assign_mentor")
    if state == State.trained:
        return Step("submit_dossier")
    if state == State.returned:
        return Step("resubmit_dossier")
    if state == State.admitted and row.recognition_vote_date is None:
        if row.ceremony_on is None:
            return Step("hold_ceremony", "ceremony")
        if probation_ended(row, on + RECOGNITION_NOTICE, settings):
            return Step("hold_recognition_vote", "recognition_vote")
    return None


def _committee_step(row: CaseDates, on: date, settings: RuleSettings) -> Step | None:
    if _verifying(row):
        if getattr(row, "verification_sent_on", None) is not None:
            return Step("await_verification_answers", "verification_answer")
        return Step("conclude_verification")
    if row.state == State.dossier_submitted:
        return Step("decide_admission", "decision")
    if row.state == State.admitted:
        if getattr(row, "recognition_referred_on", None) is not None:
            # Three recognition votes failed: the higher committee decides, no fourth vote.
            return Step("decide_referred_recognition", "recognition_decision")
        if row.recognition_vote_date is not None:
            return Step("decide_recognition", "recognition_decision")
        if probation_ended(row, on, settings):
            return Step("recognition_due", "recognition_vote")
    return None


_STEPS: dict[str, Callable[[CaseDates, date, RuleSettings], Step | None]] = {
    Role.mentor: _mentor_step,
    Role.secretary: _secretary_step,
    Role.committee: _committee_step,
}

#: Every step code each role's list may show (the web words each one).
STEP_CODES: dict[Role, tuple[str, ...]] = {
    Role.mentor: (
        "await_assignment", "record_certificate", "prepare_dossier", "correct_dossier",
        "await_decision", "await_ceremony", "await_recognition_decision", "write_assessment",
        "help_probationer",
    ),
    Role.secretary: (
        "assign_mentor", "submit_dossier", "resubmit_dossier", "hold_ceremony",
        "hold_recognition_vote", "await_verification",
    ),
    Role.committee: (
        "decide_admission", "decide_recognition", "recognition_due",
        "await_verification_answers", "conclude_verification", "decide_referred_recognition",
    ),
}  # fmt: skip


def next_step(role: str, row: CaseDates, on: date, settings: RuleSettings) -> Step | None:
    """The step the case waits for from `role` on `on`, or ``None`` if it waits on others."""
    step_of = _STEPS.get(role)
    return step_of(row, on, settings) if step_of else None


# --- deadlines ----------------------------------------------------------------------------------


def working_calendar(settings: RuleSettings) -> WorkingCalendar:
    """The working calendar with the instance's corrections (cached per set of them)."""
    return calendar_for(settings)


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
        verification_sent_on=getattr(row, "verification_sent_on", None),
    )


def horizon(calendar: WorkingCalendar, today: date, within: int) -> date:
    """A day after every deadline due within `within` working days of `today`."""
    return calendar.add_working_days(today, within + 1)


# --- the work lists -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkItem:
    """A case on a work list with its next step and the legal deadline of that step."""

    case: WaitingCase
    step: Step
    deadline: Deadline | None
    days_left: int | None
    status: DeadlineStatus | None

    @property
    def waiting_since(self) -> date | None:
        """The local day of the case's last event (worked out for the rows a page shows only:
        parsing and converting the stamp was half of the time of a list of 10,000)."""
        return _local_day(self.case.last_change)

    def sort_key(self) -> tuple:
        # Deadlines first, the earliest first; then those waiting longest.
        return (
            self.deadline is None,
            self.deadline.due if self.deadline else date.max,
            self.case.last_change or "",
            self.case.id,
        )


def _local_day(stamp: str | None) -> date | None:
    if not stamp:
        return None
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(LOCAL_ZONE).date()


def work_items(
    rows: Iterable[WaitingCase], role: str, settings: RuleSettings, on: date
) -> list[WorkItem]:
    """The rows that wait on `role`, with their step and its deadline, most urgent first."""
    calendar = working_calendar(settings)
    items = []
    for row in rows:
        step = next_step(role, row, on, settings)
        if step is None:
            continue
        deadline = None
        if step.deadline is not None:
            pending = pending_deadlines(row, calendar, settings)
            deadline = next((d for d in pending if d.name == step.deadline), None)
        items.append(
            WorkItem(
                case=row,
                step=step,
                deadline=deadline,
                days_left=deadline.days_left(calendar, on) if deadline else None,
                status=deadline.status(calendar, on) if deadline else None,
            )
        )
    return sorted(items, key=WorkItem.sort_key)


# --- missed and near deadlines (the overview and the reminders) -------------------------------


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
