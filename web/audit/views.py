"""The audit views: each turns a request into a read query and renders it."""

from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import login_required

from db.read.audit_log import ACTIONS, case_history, event_case_in_scope, event_page
from web.audit import bp
from web.audit.chain import checks
from web.audit.export import csv_chunks
from web.audit.filters import kept_args, read_filters
from web.candidates.forms import recorded_data
from web.context import actor, db_session, runtime
from web.labels import action_label

#: Seconds between two questions of the waiting verification page (web/static/wait.js).
POLL_SECONDS = 1
#: The answer of /audit/verify to each state of the check (``web.audit.chain.Visit``).
VERIFY_STATUS = {"done": 200, "running": 202, "failed": 503}


def _page_number() -> int:
    value = request.args.get("page", "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@bp.get("/")
@login_required
def index():
    """The events of the user's scope, filtered, newest first, one page at a time."""
    parsed = read_filters(request.args)
    page = None
    if not parsed.errors:
        page = event_page(
            db_session(),
            actor(),
            parsed.filters,
            page=_page_number(),
            page_size=current_app.config["PAGE_SIZE"],
        )
    return render_template(
        "audit/index.html",
        parsed=parsed,
        page=page,
        actions=[(a, action_label(a)) for a in ACTIONS],
        check=checks().recent(),
        link=lambda **changes: kept_args(parsed.values, **changes),
    ), (400 if parsed.errors else 200)


@bp.get("/verify")
@login_required
def verify():
    """The last check of the chain when fresh; else a new check is asked for and, while it runs,
    the last stored one is shown (202) by a page that reloads when the new one is stored. A GET:
    the walk itself is a task (``web.audit.chain``), never this request's work."""
    visit = checks().visit(again=request.args.get("again") == "1")
    check = visit.check
    problem = check.report.problem if check is not None else None
    bad_case = None
    if problem is not None and problem.event_id is not None:
        bad_case = event_case_in_scope(db_session(), actor(), problem.event_id)
    page = render_template(
        "audit/verify.html",
        check=check,
        bad_case=bad_case,
        state=visit.state,
        status_url=url_for("audit.verify_status"),
        page_url=url_for("audit.verify"),
        again_url=url_for("audit.verify", again=1),
        seconds=POLL_SECONDS,
    )
    status = VERIFY_STATUS[visit.state]
    response = make_response(page, status)
    if status != 200:  # it changes when the check is stored
        response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = "60"
    return response


@bp.get("/verify/status")
@login_required
def verify_status():
    """Where the check stands, for the waiting page: ``{"state": "running"|"failed"|"none",
    "at": the last stored check's moment (ISO) or null}`` (two one-row reads)."""
    chain = checks()
    last = chain.last()
    response = jsonify(state=chain.job_state(), at=last.at.isoformat() if last else None)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    """One case's chain: every event with its data, previous digest and digest."""
    history = case_history(db_session(), actor(), case_id)
    if history is None:
        abort(404)
    cells = {history.cell_id: history.cell}

    def shown_data(action: str, data: object) -> list[tuple[str, str]]:
        return recorded_data(action, data, cells) if isinstance(data, dict) else []

    return render_template("audit/case.html", history=history, shown_data=shown_data)


@bp.get("/export.csv")
@login_required
def export():
    """The filtered events as CSV, streamed (the same filters and scope as the page)."""
    parsed = read_filters(request.args)
    if parsed.errors:
        message = "\n".join(f"{key}: {text}" for key, text in parsed.errors.items())
        return Response(message + "\n", status=400, mimetype="text/plain")
    name = f"hoso-audit-{date.today():%Y%m%d}.csv"
    chunks = csv_chunks(runtime(), actor(), parsed.filters, action_label)
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
