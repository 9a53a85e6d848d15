"""Work items: a case, the next step it waits for, and the legal deadline of that step.

Rows come from ``db.worklist`` (one query per list); deadlines are computed here in Python with
one working calendar per process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from db.worklist import CaseRow
from workflow.dates import add_months
from workflow.deadlines import Deadline, WorkingCalendar, calendar_for, case_deadlines
from workflow.services import LOCAL_ZONE, Clock
from workflow.settings import RuleSettings
from workflow.states import State

#: How long before the end of probation the cell sees the recognition vote coming (days).
RECOGNITION_NOTICE = timedelta(days=30)
#: Slack for the month arithmetic of the SQL pre-filter (the exact test runs in Python).
_SLACK = timedelta(days=3)


def working_calendar(settings: RuleSettings) -> WorkingCalendar:
    """The working calendar with the instance's corrections (cached per set of them)."""
    return calendar_for(settings)


def today() -> date:
    """The local date the deadlines are counted against."""
    return Clock.system().today


@dataclass(frozen=True)
class Step:
    """What a case waits for, and which of its deadlines governs it (if any)."""

    text: object  # a lazy translated string
    deadline: str | None = None


@dataclass(frozen=True)
class WorkItem:
    """A case on a work list with its next step and the legal deadline of that step."""

    case: CaseRow
    step: object
    deadline: Deadline | None
    days_left: int | None
    status: str | None
    waiting_since: date | None

    def sort_key(self) -> tuple:
        # Deadlines first, the earliest first; then those waiting longest.
        return (
            self.deadline is None,
            self.deadline.due if self.deadline else date.max,
            self.case.last_change or "",
            self.case.id,
        )


def probation_ended(row: CaseRow, on: date, settings: RuleSettings) -> bool:
    """The probation that began with the ceremony is over on `on`."""
    return (
        row.ceremony_on is not None and add_months(row.ceremony_on, settings.probation_months) <= on
    )


def ceremony_cutoff(on: date, settings: RuleSettings) -> date:
    """A bound on the ceremony dates whose probation is over by `on` (for the SQL pre-filter)."""
    return add_months(on, -settings.probation_months) + _SLACK


def mentor_step(row: CaseRow, on: date, settings: RuleSettings) -> Step | None:
    """The next step of the mentor's own candidate."""
    state = row.state
    if state == State.identified:
        return Step(_l("Awaiting the cell's assignment"))
    if state == State.mentored:
        return Step(_l("Record the awareness-class certificate"))
    if state == State.trained:
        return Step(_l("Prepare the dossier: introductions and forms"))
    if state == State.returned:
        return Step(_l("Correct the dossier"))
    if state == State.dossier_submitted:
        return Step(_l("Awaiting the committee's decision"), "decision")
    if state == State.admitted:
        if row.ceremony_on is None:
            return Step(_l("Awaiting the admission ceremony"), "ceremony")
        if row.recognition_vote_date is not None:
            return Step(_l("Awaiting the recognition decision"), "recognition_decision")
        if probation_ended(row, on, settings):
            return Step(_l("Write your assessment for recognition (11-KNĐ)"), "recognition_vote")
        return Step(_l("Help the probationary member"), "probation_end")
    return None


def secretary_step(row: CaseRow, on: date, settings: RuleSettings) -> Step | None:
    """The cell's next step on one of its cases, or ``None`` if the case waits on others."""
    state = row.state
    if state == State.identified:
        return Step(_l("Assign a mentor"))
    if state == State.trained:
        return Step(_l("Submit the dossier when ready"))
    if state == State.returned:
        return Step(_l("Correct the dossier and submit it again"))
    if state == State.admitted and row.recognition_vote_date is None:
        if row.ceremony_on is None:
            return Step(_l("Hold the admission ceremony and record it"), "ceremony")
        if probation_ended(row, on + RECOGNITION_NOTICE, settings):
            return Step(_l("Hold the recognition vote"), "recognition_vote")
    return None


def committee_step(row: CaseRow, on: date, settings: RuleSettings) -> Step | None:
    """The deciding body's next step: a dossier to decide, or a recognition coming due."""
    if row.state == State.dossier_submitted:
        return Step(_l("Decide on admission"), "decision")
    if row.state == State.admitted:
        if row.recognition_vote_date is not None:
            return Step(_l("Decide on recognition"), "recognition_decision")
        if probation_ended(row, on, settings):
            return Step(_l("Recognition due: awaiting the cell's vote"), "recognition_vote")
    return None


def _local_day(stamp: str | None) -> date | None:
    if not stamp:
        return None
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(LOCAL_ZONE).date()


def deadline_of(row: CaseRow, name: str | None, settings: RuleSettings) -> Deadline | None:
    """The case's pending deadline called `name`, counted from the row's dates."""
    if name is None:
        return None
    pending = case_deadlines(
        working_calendar(settings),
        settings,
        state=row.state,
        cell_vote_date=row.cell_vote_date,
        decision_received=row.decision_date,
        extension_days=row.decision_extension_days or 0,
        ceremony_on=row.ceremony_on,
        recognition_vote_date=row.recognition_vote_date,
    )
    return next((d for d in pending if d.name == name), None)


def work_items(
    rows: Iterable[CaseRow],
    step_of: Callable[[CaseRow, date, RuleSettings], Step | None],
    settings: RuleSettings,
    on: date,
) -> list[WorkItem]:
    """The rows that wait on somebody, with their step and deadline, most urgent first."""
    calendar = working_calendar(settings)
    items = []
    for row in rows:
        step = step_of(row, on, settings)
        if step is None:
            continue
        deadline = deadline_of(row, step.deadline, settings)
        items.append(
            WorkItem(
                case=row,
                step=step.text,
                deadline=deadline,
                days_left=deadline.days_left(calendar, on) if deadline else None,
                status=str(deadline.status(calendar, on)) if deadline else None,
                waiting_since=_local_day(row.last_change),
            )
        )
    return sorted(items, key=WorkItem.sort_key)
