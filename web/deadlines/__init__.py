"""Deadlines (``/deadlines/``): the legal deadlines missed or near across the user's scope.

For the committee the district, for a secretary their cell(s), for an auditor what they read. The
cases come in one query (``db.read.worklist``); the deadlines are counted in working days by the
worklist (``workflow.worklist.due_items``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from db.read.worklist import cells_in_scope, readable_deadline_rows
from web.context import actor, db_session, runtime
from web.work import steps
from workflow.states import Role
from workflow.worklist import DEFAULT_WITHIN, DueItem, due_items, horizon, working_calendar

bp = Blueprint("deadlines", __name__, url_prefix="/deadlines", static_folder="static")

#: The roles that see the page.
VIEWERS = (Role.committee, Role.secretary, Role.auditor)
#: The largest look-ahead the filter accepts (working days: about half a year).
MAX_WITHIN = 120
#: The look-aheads offered as quick links.
CHOICES = (5, 10, 20, 30)


@dataclass(frozen=True)
class CellCount:
    """How many deadlines of one cell are missed and near."""

    id: int | None
    name: str
    overdue: int
    due_soon: int


@bp.before_request
@login_required
def _viewers_only():
    """Mentors, trainers, introducers and admins have no deadline overview."""
    if not actor().roles() & set(VIEWERS):
        abort(403)


def _within(value: str | None) -> tuple[int, bool]:
    """The look-ahead asked for, and whether it was understood (else the default)."""
    if value is None or value == "":
        return DEFAULT_WITHIN, True
    ok = value.isascii() and value.isdigit() and int(value) <= MAX_WITHIN
    return (int(value), True) if ok else (DEFAULT_WITHIN, False)


def _cell(value: str | None, cells: dict[int, str]) -> int | None:
    if value and value.isascii() and value.isdigit() and int(value) in cells:
        return int(value)
    return None


def cell_counts(found: list[DueItem], cells: dict[int, str]) -> list[CellCount]:
    """Per cell with anything missed or near: the counts, the most overdue first."""
    ids = {name: cell_id for cell_id, name in cells.items()}
    overdue: dict[str, int] = {}
    soon: dict[str, int] = {}
    for item in found:
        bucket = overdue if item.overdue else soon
        bucket[item.cell] = bucket.get(item.cell, 0) + 1
    counts = [
        CellCount(ids.get(name), name, overdue.get(name, 0), soon.get(name, 0))
        for name in set(overdue) | set(soon)
    ]
    return sorted(counts, key=lambda c: (-c.overdue, -c.due_soon, c.name))


@bp.get("/")
def index():
    """The overdue deadlines, then those due within the look-ahead, with counts per cell."""
    who = actor()
    session = db_session()
    within, understood = _within(request.args.get("within"))
    descending = request.args.get("sort") == "-due"
    on = steps.today()
    rules = runtime().settings.rules
    calendar = working_calendar(rules)
    rows = readable_deadline_rows(session, who, horizon(calendar, on, within), rules)
    found = due_items(rows, calendar, rules, on, within)
    cells = dict(cells_in_scope(session, who))
    counts = cell_counts(found, cells)
    cell = _cell(request.args.get("cell"), cells)
    shown = [i for i in found if cell is None or i.cell == cells[cell]]
    shown.sort(key=DueItem.sort_key, reverse=descending)
    return render_template(
        "deadlines/index.html",
        overdue=[i for i in shown if i.overdue],
        due_soon=[i for i in shown if not i.overdue],
        counts=counts,
        quiet_cells=len(cells) - len(counts),
        cells=sorted(cells.items(), key=lambda c: (c[1], c[0])),
        cell=cell,
        within=within,
        default_within=DEFAULT_WITHIN,
        within_error=not understood,
        choices=CHOICES,
        max_within=MAX_WITHIN,
        descending=descending,
        today=on,
    )
