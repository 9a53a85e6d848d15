"""The committee's review queue (``/reviews/``): dossiers to decide, several in one meeting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from db.read.reviews import Cursor, cells_of, committee_sizes, names_of, queue_page
from db.read.worklist import CaseRow
from web.candidates.vote_total import needed_votes
from web.context import actor, db_session, runtime
from web.reviews.batch import ACTION_LABELS, Outcome, decide, read_decisions
from web.work import steps
from workflow.errors import InvalidInput
from workflow.fields import parse_date
from workflow.states import Role
from workflow.worklist import work_items

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


@bp.context_processor
def _labels() -> dict:
    return {"action_labels": ACTION_LABELS}


@bp.before_request
@login_required
def _committee_only():
    """Only the committee decides dossiers; everyone else is refused before anything runs."""
    if Role.committee not in actor().roles():
        abort(403)


def _meeting_day(values: Mapping[str, str], default: date) -> date:
    """The meeting's day as the form gives it (its vote date, dd/mm/yyyy), else `default`."""
    try:
        return parse_date("vote_date", values.get("vote_date") or None) or default
    except InvalidInput:
        return default  # a mistyped date is refused by the decision itself, by name


def _committees(rows: list[CaseRow], on: date) -> dict[int, dict[str, int] | None]:
    """Per dossier, the committee whose 2/3 the admission's vote needs as it stood on the
    meeting's day `on`: its size and the votes for needed; ``None`` where no đảng ủy cơ sở sits
    between (no vote). One read of that day's tree for the page, not a query per dossier."""
    session = db_session()
    cells = cells_of(session, (row.id for row in rows))
    sizes = committee_sizes(session, cells.values(), on)
    threshold = runtime().settings.rules.vote_threshold
    shown: dict[int, dict[str, int] | None] = {}
    for row in rows:
        size = sizes.get(cells.get(row.id, -1))
        shown[row.id] = (
            None if size is None else {"size": size, "needed": needed_votes(size, threshold)}
        )
    return shown


def _queue(
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
    outcomes: list[Outcome] | None = None,
):
    """A page of the queue (``after``: its cursor), with what was typed when a submission is
    shown again (and what became of each decision sent)."""
    values = values or {}
    who = actor()
    rules = runtime().settings.rules
    on = steps.today()
    after = Cursor.parse(values.get("after") or request.args.get("after"))
    page = queue_page(db_session(), who, after)
    made = work_items(page.rows, Role.committee, rules, on)
    # The longest waiting first: in the order of the chi bộ votes, as the page was read.
    order = {row.id: i for i, row in enumerate(page.rows)}
    queue = sorted(made, key=lambda i: order[i.case.id])
    meeting = _meeting_day({**request.args, **values}, on)
    threshold = rules.vote_threshold
    body = render_template(
        "reviews/index.html",
        queue=queue,
        committees=_committees(page.rows, meeting),
        meeting=meeting,
        after=after.token() if after else "",
        more=page.next.token() if page.next else None,
        total=page.total,
        share=f"{threshold.numerator}/{threshold.denominator}",
        outcomes=outcomes,
        done=sum(o.done for o in outcomes or ()),
        refused=sum(not o.done for o in outcomes or ()),
        values=values,
        error=error,
        today=on,
        decision_days=rules.deadlines["decision"],
    )
    return body, status


@bp.get("/")
def index():
    """The dossiers waiting for the committee's decision, with the meeting form."""
    return _queue()


@bp.post("/decide")
def decide_dossiers():
    """Decide the chosen dossiers one by one; list what became of each."""
    decisions = read_decisions(request.form)
    if not decisions:
        return _queue(request.form, _("Choose a decision for at least one dossier."), 400)
    who = actor()
    # The names of the dossiers decided (not the whole queue's), read before deciding.
    names = names_of(db_session(), (d.case_id for d in decisions))
    db_session().close()
    outcomes = decide(runtime(), who, decisions, names, str(get_locale() or "vi"))
    done = sum(o.done for o in outcomes)
    if done < len(outcomes):
        # A refused decision (whatever became of the others): 422, the queue again with every
        # value typed kept and what became of each dossier.
        db_session().close()  # the queue is read again after the decisions' commits
        return _queue(request.form, None, 422, outcomes)
    return render_template(
        "reviews/result.html", outcomes=outcomes, done=done, refused=len(outcomes) - done
    ), 200
