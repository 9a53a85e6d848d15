"""The committee's review queue (``/reviews/``): dossiers to decide, several in one meeting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from db.read.worklist import dossiers_to_decide
from web.candidates.vote_total import needed_votes
from web.context import actor, db_session, runtime
from web.reviews.batch import ACTION_LABELS, Outcome, decide, read_decisions
from web.work import steps
from workflow import services
from workflow.errors import NotFound
from workflow.facts import Actor
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


def _committee(who: Actor, case_id: int) -> dict[str, int] | None:
    """The committee whose 2/3 the admission's vote needs, as the rule will count it: its size
    and the votes for needed; ``None`` where no đảng ủy cơ sở sits between (no vote)."""
    try:
        facts = services.view_case(runtime().uow(write=False), who, case_id)
    except NotFound:
        return None
    if not facts.has_grassroots_committee:
        return None
    size = facts.grassroots_committee_size
    return {"size": size, "needed": needed_votes(size, runtime().settings.rules.vote_threshold)}


def _queue(
    values: Mapping[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
    outcomes: list[Outcome] | None = None,
):
    """The queue page, with what was typed when a submission is shown again (and what became
    of each decision sent)."""
    who = actor()
    rules = runtime().settings.rules
    on = steps.today()
    made = work_items(dossiers_to_decide(db_session(), who), Role.committee, rules, on)
    # Oldest first: in the order of the chi bộ votes.
    queue = sorted(made, key=lambda i: (i.case.cell_vote_date or date.max, i.case.id))
    threshold = rules.vote_threshold
    page = render_template(
        "reviews/index.html",
        queue=queue,
        committees={item.case.id: _committee(who, item.case.id) for item in queue},
        share=f"{threshold.numerator}/{threshold.denominator}",
        outcomes=outcomes,
        done=sum(o.done for o in outcomes or ()),
        refused=sum(not o.done for o in outcomes or ()),
        values=values or {},
        error=error,
        today=on,
        decision_days=rules.deadlines["decision"],
    )
    return page, status


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
    # The names are read before deciding: decided dossiers leave the queue.
    names = {row.id: row.name for row in dossiers_to_decide(db_session(), who)}
    db_session().close()
    outcomes = decide(runtime(), who, decisions, names, str(get_locale() or "vi"))
    done = sum(o.done for o in outcomes)
    status = 200 if done else 422
    if done < len(outcomes):
        # A refused decision: the queue again, every value typed kept, what became of each.
        db_session().close()  # the queue is read again after the decisions' commits
        return _queue(request.form, None, status, outcomes)
    return render_template(
        "reviews/result.html", outcomes=outcomes, done=done, refused=len(outcomes) - done
    ), status
