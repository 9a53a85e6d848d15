"""The classes' pages. Each view turns a request into a call of ``workflow.services.classes``
(changes) or ``db.read.classes`` (pages) and shows the result; a refused input or a broken rule
shows the page again (422) with what was wrong."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from db.read import class_waiting
from db.read import classes as pages
from web.classes import texts
from web.context import actor, db_session, runtime
from web.labels import locale
from workflow import classes as rules
from workflow.classes import ClassSettings
from workflow.clock import Clock
from workflow.errors import InvalidInput, RuleViolation
from workflow.services import classes as services
from workflow.states import Role

bp = Blueprint("classes", __name__, url_prefix="/classes", static_folder="static")

#: Who may open the classes' pages (each sees what their scope allows).
VIEWERS = (Role.trainer, Role.secretary, Role.mentor, Role.committee, Role.auditor)
#: Rows of sessions the schedule form offers.
SESSION_ROWS = 12


def settings() -> ClassSettings:
    """The class settings of this instance (``[classes]`` of ``hoso.toml``)."""
    return runtime().settings.classes


def clock() -> Clock:
    """Now (the tests replace it)."""
    return Clock.system()


@bp.before_request
@login_required
def _viewers_only():
    if not actor().roles() & set(VIEWERS):
        abort(403)


@bp.context_processor
def _words() -> dict:
    return {
        "kinds": texts.KINDS,
        "kind_hints": texts.KIND_HINTS,
        "reasons": texts.REASONS,
        "statuses": texts.STATUSES,
        "outcomes": texts.OUTCOMES,
        "enrolled_as": texts.ROLES,
        "failure_text": lambda f: f.text(locale()),
    }


@bp.get("/")
def index():
    """The classes the user may know of; the centre schedules new ones from here."""
    who = actor()
    session = db_session()
    return render_template(
        "classes/index.html",
        rows=pages.class_rows(session, who, clock().today),
        centres=pages.trainer_centres(session, who),
        today=clock().today,
    )


# --- scheduling ----------------------------------------------------------------------------


def _rows(form) -> list[tuple[str, str, str]]:
    return [
        (
            form.get(f"session_date-{n}", ""),
            form.get(f"session_start-{n}", ""),
            form.get(f"session_end-{n}", ""),
        )
        for n in range(1, SESSION_ROWS + 1)
    ]


@bp.route("/new", methods=["GET", "POST"])
def new():
    """The schedule form (GET); the centre schedules the class (POST)."""
    centres = pages.trainer_centres(db_session(), actor())
    if not centres:
        abort(403)
    if request.method == "GET":
        return _new_page(centres, {})
    form = request.form
    centre = form.get("centre", "")
    if not centre.isdigit():
        centre = str(centres[0][0]) if len(centres) == 1 else ""
    if not centre:
        return _new_page(centres, form, _("Choose the centre."), status=422)
    try:
        class_id = services.schedule_class(
            runtime().uow(), actor(), int(centre), form, _rows(form), clock=clock()
        )
    except InvalidInput as bad:
        return _new_page(centres, form, texts.problem(bad), bad.field, 422)
    flash(_("The class is scheduled."), "success")
    return redirect(url_for("classes.view", class_id=class_id), code=303)


def _new_page(centres, form, message=None, field=None, status=200):
    page = render_template(
        "classes/new.html",
        centres=centres,
        form=form,
        rows=range(1, SESSION_ROWS + 1),
        message=message,
        bad_field=field,
        kind_choices=list(rules.SessionKind),
    )
    return page, status


# --- one class -----------------------------------------------------------------------------


def _view(class_id: int, today) -> pages.ClassView:
    """The class as the user may see it; 404 if they may not know of it."""
    view = pages.class_view(db_session(), actor(), class_id, today, settings())
    if view is None:
        abort(404)
    return view


def _class_page(class_id: int, *, failures=None, message=None, status=200):
    who = actor()
    session = db_session()
    today = clock().today
    view = _view(class_id, today)
    may_enrol = bool(who.grants_for(Role.secretary) or who.grants_for(Role.mentor))
    candidates = pages.enrollable(session, who, class_id) if may_enrol else []
    page = render_template(
        "classes/class.html",
        view=view,
        today=today,
        may_enrol=may_enrol and rules.enrolment_open(view.facts, today) is None,
        may_cancel=rules.cancellation_failure(view.facts, today) is None,
        candidates=candidates,
        failures=failures or [],
        message=message,
        needed=rules.needed_sessions(len(view.sessions), settings().attendance_share),
    )
    return page, status


@bp.get("/<int:class_id>")
def view(class_id: int):
    """A class: its sessions, its register (what the user may see of it), and the actions."""
    return _class_page(class_id)


@bp.post("/<int:class_id>/enrol")
def enrol(class_id: int):
    """A secretary or a mentor enrols a mentored candidate."""
    case_id = request.form.get("case_id", "")
    if not case_id.isdigit():
        return _class_page(class_id, message=_("Choose a candidate."), status=422)
    try:
        services.enrol_candidate(
            runtime().uow(),
            actor(),
            class_id,
            int(case_id),
            {"registered_on": request.form.get("registered_on", "")},
            clock=clock(),
        )
    except RuleViolation as refused:
        return _class_page(class_id, failures=refused.failures, status=422)
    except InvalidInput as bad:
        return _class_page(class_id, message=texts.problem(bad), status=422)
    flash(_("The candidate is enrolled."), "success")
    return redirect(url_for("classes.view", class_id=class_id), code=303)


@bp.post("/<int:class_id>/cancel/<int:case_id>")
def cancel(class_id: int, case_id: int):
    """Take a candidate off a class that has not begun."""
    try:
        services.cancel_enrolment(
            runtime().uow(),
            actor(),
            class_id,
            case_id,
            request.form.get("reason"),
            clock=clock(),
        )
    except RuleViolation as refused:
        return _class_page(class_id, failures=refused.failures, status=422)
    except InvalidInput as bad:
        return _class_page(class_id, message=texts.problem(bad), status=422)
    flash(_("The candidate is no longer enrolled."), "success")
    return redirect(url_for("classes.view", class_id=class_id), code=303)


# --- attendance ----------------------------------------------------------------------------


@bp.route("/<int:class_id>/sessions/<int:session_id>", methods=["GET", "POST"])
def attendance(class_id: int, session_id: int):
    """The register of one session (GET); the centre records it (POST)."""
    who = actor()
    view = _view(class_id, clock().today)
    meeting = next((s for s in view.sessions if s.id == session_id), None)
    if meeting is None:
        abort(404)
    if not view.runs:
        abort(403)
    if request.method == "GET":
        return _attendance_page(view, meeting, None)
    try:
        services.record_attendance(
            runtime().uow(), who, class_id, session_id, request.form, clock=clock()
        )
    except RuleViolation as refused:
        return _attendance_page(view, meeting, request.form, failures=refused.failures)
    except InvalidInput as bad:
        return _attendance_page(view, meeting, request.form, texts.problem(bad), bad.field)
    flash(_("Attendance of %(day)s recorded.", day=meeting.held_on.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("classes.view", class_id=class_id), code=303)


def _attendance_page(view, meeting, form, message=None, field=None, failures=None):
    page = render_template(
        "classes/attendance.html",
        view=view,
        meeting=meeting,
        form=form,
        message=message,
        bad_field=field,
        failures=failures or [],
        reason_choices=list(rules.AbsenceReason),
        today=clock().today,
    )
    return page, 200 if form is None else 422


# --- certificates --------------------------------------------------------------------------


@bp.post("/<int:class_id>/issue")
def issue(class_id: int):
    """Issue the certificates of every candidate who finished; list what became of each."""
    who = actor()
    db_session().close()
    try:
        result = services.issue_certificates(
            runtime().uow(),
            who,
            class_id,
            {"certificate_date": request.form.get("certificate_date", "")},
            clock=clock(),
        )
    except RuleViolation as refused:
        return _class_page(class_id, failures=refused.failures, status=422)
    except InvalidInput as bad:
        return _class_page(class_id, message=texts.problem(bad), status=422)
    if result.having("refused") or result.having("not_finished"):
        return render_template("classes/issued.html", result=result)  # each one's reasons
    # Every candidate certified: their cases are now trained, out of the trainer's sight; back
    # to the class page with the message, never on to a case page that would be a 404.
    issued = len(result.having("certified"))
    flash(
        ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", issued), "success"
    )
    return redirect(url_for("classes.view", class_id=class_id), code=303)


# --- who waits -----------------------------------------------------------------------------


@bp.get("/waiting")
def waiting():
    """Who waits for a class and since when; who missed sessions and why; which cells wait."""
    today = clock().today
    view = class_waiting.waiting_view(db_session(), actor(), today)
    return render_template(
        "classes/waiting.html",
        view=view,
        today=today,
        waited=lambda since: rules.waited_days(since, today),
        kind_order=list(rules.SessionKind),
    )
