"""The case's packet (``/candidates/<id>/packet.pdf``): one PDF of its forms, made off the request.

A request answers at once: the PDF when the cache holds it (``db.packets``), else the packet is
handed to the ``render_packet`` task (``web.tasks``) and the page says "being prepared" (202); its
script (``web/static/wait.js``, or a refresh without script) asks ``packet.status`` until the PDF
is ready, then fetches it. On SQLite the task has run before the page answers: the PDF comes
straight away. A packet whose task failed for good says so; the admin sees why (/admin/tasks).
"""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from db import tasks as queue
from db.packets import PREFIX, Packet, PacketCache
from db.read.packets import plan_packet
from documents.errors import DocumentError
from web.context import db_session, runtime
from web.documents import bp
from web.documents.views import cannot_draw, case_page, pdf, verify_url, visible
from web.tasks import app_files, app_tasks
from workflow.clock import Clock
from workflow.ports.tasks import RENDER_PACKET

#: Seconds between two checks of the waiting page.
CHECK_SECONDS = 2


def _plan(case_id: int) -> Packet:
    today = Clock.system().today
    return plan_packet(db_session(), case_id, runtime().settings.rules, today, verify_url)


def _lock(packet: Packet) -> str:
    return f"packet-{packet.key}"


def _state(packet: Packet) -> str:
    """``ready`` (cached), ``failed`` (its task gave up), ``waiting`` (queued or running) or
    ``none`` (never asked for)."""
    if PacketCache(app_files(), prefix=PREFIX).has(packet.key):
        return "ready"
    if app_tasks().inline:
        return "none"
    with runtime().engine.connect() as conn:
        job = queue.latest_job(conn, RENDER_PACKET, _lock(packet))
    if job is None:
        return "none"
    return "failed" if job[1] == "failed" else "waiting" if job[1] in ("todo", "doing") else "none"


def _defer(case_id: int, packet: Packet) -> None:
    from web.documents.views import verify_url_pattern

    with runtime().engine.connect() as conn:
        org_path = queue.case_org_path(conn, case_id)
    app_tasks().defer(
        RENDER_PACKET,
        lock=_lock(packet),
        org_path=org_path,
        case_id=case_id,
        today=Clock.system().today.isoformat(),
        verify_url=verify_url_pattern(),
    )


@bp.get("/candidates/<int:case_id>/packet.pdf")
@login_required
def packet(case_id: int):
    """The case's forms, in the dossier's order, as one PDF (``db.read.packets``): from the
    cache, else made by a task while the page waits (``?again=1`` after a failure: once more)."""
    visible(case_id)
    plan = _plan(case_id)
    if not plan.codes:
        flash(_("No form of this case can be filled yet."), "error")
        return redirect(case_page(case_id), code=303)
    cache = PacketCache(app_files(), prefix=PREFIX)
    content = cache.get(plan.key)
    if content is not None:
        return pdf(content, f"ho-so_{case_id}.pdf")
    state = _state(plan)
    if state == "none" or (state == "failed" and request.args.get("again") == "1"):
        try:
            _defer(case_id, plan)
        except DocumentError as error:  # inline: the data cannot fill a form
            return cannot_draw(case_id, error)
        content = cache.get(plan.key)
        if content is not None:  # inline: made already
            return pdf(content, f"ho-so_{case_id}.pdf")
        state = "waiting"
    page = render_template(
        "documents/packet_wait.html",
        case_id=case_id,
        failed=state == "failed",
        status_url=url_for("documents.packet_status", case_id=case_id),
        packet_url=url_for("documents.packet", case_id=case_id),
        again_url=url_for("documents.packet", case_id=case_id, again=1),
        case_url=case_page(case_id),
        seconds=CHECK_SECONDS,
    )
    response = app_response(page, 503 if state == "failed" else 202)
    return response


def app_response(page: str, status: int):
    """The waiting page, never cached (it changes when the packet is ready)."""
    from flask import make_response

    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = "60"
    return response


@bp.get("/candidates/<int:case_id>/packet.status")
@login_required
def packet_status(case_id: int):
    """Whether the case's packet is ready: ``{"state": "ready"|"waiting"|"failed"|"none"}``."""
    visible(case_id)
    plan = _plan(case_id)
    if not plan.codes:
        return jsonify(state="none")
    response = jsonify(state=_state(plan))
    response.headers["Cache-Control"] = "no-store"
    return response
