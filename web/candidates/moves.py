"""Moves on the web: the hand-over panel of the case page, the hand-overs list both cells'
secretaries see (``/candidates/hand-overs``), and the committee's transfers of members
(``/candidates/transfers``). Each route turns a form into a ``workflow.services.moves`` call."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from db.models import Organisation
from db.read import moves as read
from db.read.case_page import CasePage, official_members
from web.candidates import bp
from web.context import actor, db_session, runtime
from web.labels import pick
from workflow import policy
from workflow.errors import Conflict, InvalidInput, InvalidTransition
from workflow.fields import INT_MAX
from workflow.moves import (
    HAND_OVER_LABELS,
    MOVABLE_STATES,
    REASON_LIMIT,
    TRANSFER_LABELS,
    TransferKind,
)
from workflow.services import moves as service
from workflow.states import OrgType

#: The labels of the fields a refusal may name.
_FIELDS = {
    "to_cell": ("Chi bộ nhận", "Receiving cell"),
    "reason": ("Lý do", "Reason"),
    "mentor": ("Đảng viên giúp đỡ", "Mentor"),
    "case": ("Hồ sơ", "Case"),
    "kind": ("Hình thức", "Kind"),
    "starts_on": ("Từ ngày", "From"),
    "ends_on": ("Đến ngày", "Until"),
}


def _message(bad: InvalidInput) -> str:
    name = pick(*_FIELDS[bad.field]) if bad.field in _FIELDS else bad.field
    return _("%(field)s: %(problem)s", field=name, problem=bad.message)


def _cells() -> list[tuple[int, str]]:
    """Every party cell: a file may be handed over to one outside the sender's scope."""
    query = select(Organisation.id, Organisation.name).where(Organisation.type == OrgType.cell)
    return [(r.id, r.name) for r in db_session().execute(query.order_by(Organisation.name))]


def _int(name: str) -> int | None:
    value = (request.form.get(name) or "").strip()
    if not value.isdigit():
        return None
    # A forged id past the columns' range is refused by name, before a query would overflow.
    if len(value) > len(str(INT_MAX)) or int(value) > INT_MAX:
        raise InvalidInput(name, f"must be at most {INT_MAX}")
    return int(value)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"moves_panel": moves_panel}


def moves_panel(case: CasePage) -> dict[str, Any]:
    """What the case page's hand-over panel shows: a pending hand-over, or the form."""
    session = db_session()
    path = session.scalar(select(Organisation.path).where(Organisation.id == case.cell_id)) or ""
    secretary = policy.scope(actor(), policy.Purpose.identify).covers(path)
    pending = read.pending_for_case(session, case.id)
    return {
        "pending": pending,
        "may_cancel": secretary and pending is not None,
        "may_hand_over": secretary and pending is None and case.state in MOVABLE_STATES,
        "cells": [c for c in _cells() if c[0] != case.cell_id] if secretary else [],
        "maxlength": REASON_LIMIT,
    }


def _case_refused(case_id: int, status: int, message: str):
    from web.candidates.case import Outcome, _page  # the case page shows the refusal

    data = {k: v for k, v in request.form.items() if k != "csrf_token"}
    return _page(case_id, Outcome(status, "moves", "hand_over", data, message=message))


@bp.post("/<int:case_id>/hand-over", endpoint="hand_over")
@login_required
def hand_over(case_id: int):
    """The sending cell's secretary hands the case's file over to another cell."""
    try:
        service.hand_over_case(
            runtime().uow(), actor(), case_id, _int("to_cell"), request.form.get("reason")
        )
    except InvalidInput as bad:
        return _case_refused(case_id, 422, _message(bad))
    except (InvalidTransition, Conflict):
        return _case_refused(case_id, 409, _("Not saved: the case is already being handed over."))
    flash(_("The file is handed over; it moves when the receiving cell accepts it."), "success")
    return redirect(url_for("candidates.case", case_id=case_id, _anchor="moves"), code=303)


@bp.post("/hand-overs/<int:hand_over_id>/cancel", endpoint="hand_over_cancel")
@login_required
def cancel(hand_over_id: int):
    """The sending cell's secretary withdraws a hand-over not yet accepted."""
    h = service.view_hand_over(runtime().uow(write=False), actor(), hand_over_id)
    try:
        service.cancel_hand_over(runtime().uow(), actor(), hand_over_id, request.form.get("reason"))
    except InvalidInput as bad:
        return _case_refused(h.case_id, 422, _message(bad))
    except (InvalidTransition, Conflict):
        return _case_refused(h.case_id, 409, _("Not saved: the hand-over was already decided."))
    flash(_("The hand-over is withdrawn."), "success")
    return redirect(url_for("candidates.case", case_id=h.case_id, _anchor="moves"), code=303)


@bp.get("/hand-overs", endpoint="hand_overs")
@login_required
def hand_overs():
    """The hand-overs from and to the reader's cells; the receiving secretary's forms."""
    return _hand_overs_page()


def _hand_overs_page(status: int = 200, message: str | None = None, open_id: int | None = None):
    session = db_session()
    rows = read.hand_overs(session, actor())
    mentors = {r.to_cell_id: official_members(session, r.to_cell_id) for r in rows if r.may_accept}
    body = render_template(
        "candidates/hand_overs.html",
        rows=rows,
        mentors=mentors,
        labels={k: pick(*v) for k, v in HAND_OVER_LABELS.items()},
        message=message,
        open_id=open_id,
        maxlength=REASON_LIMIT,
    )
    return body, status


def _decide(hand_over_id: int, call):
    try:
        call()
    except InvalidInput as bad:
        return _hand_overs_page(422, _message(bad), hand_over_id)
    except (InvalidTransition, Conflict):
        message = _("Not saved: the hand-over was already decided, or the case has moved on.")
        return _hand_overs_page(409, message, hand_over_id)
    flash(_("Saved."), "success")
    return redirect(url_for("candidates.hand_overs"), code=303)


@bp.post("/hand-overs/<int:hand_over_id>/accept", endpoint="hand_over_accept")
@login_required
def accept(hand_over_id: int):
    """The receiving cell's secretary takes the case over and names its mentor."""
    mentor = _int("mentor")
    return _decide(
        hand_over_id,
        lambda: service.accept_hand_over(runtime().uow(), actor(), hand_over_id, mentor),
    )


@bp.post("/hand-overs/<int:hand_over_id>/decline", endpoint="hand_over_decline")
@login_required
def decline(hand_over_id: int):
    """The receiving cell's secretary declines, with a reason."""
    reason = request.form.get("reason")
    return _decide(
        hand_over_id,
        lambda: service.decline_hand_over(runtime().uow(), actor(), hand_over_id, reason),
    )


# --- members' transfers ---------------------------------------------------------------------


@bp.get("/transfers", endpoint="transfers")
@login_required
def transfers():
    """The transfers of members from and to the reader's cells; the committee's form."""
    return _transfers_page()


def _transfers_page(status: int = 200, message: str | None = None):
    session = db_session()
    committee = bool(policy.scope(actor(), policy.Purpose.decide))
    body = render_template(
        "candidates/transfers.html",
        rows=read.transfers(session, actor()),
        members=read.members_in_scope(session, actor()) if committee else [],
        cells=_cells() if committee else [],
        kinds=[(k.value, pick(*TRANSFER_LABELS[k])) for k in TransferKind],
        labels={k: pick(*v) for k, v in TRANSFER_LABELS.items()},
        message=message,
        form={k: v for k, v in request.form.items() if k != "csrf_token"},
        maxlength=REASON_LIMIT,
    )
    return body, status


@bp.post("/transfers", endpoint="transfer_member")
@login_required
def transfer():
    """The committee transfers a member's party activity."""
    member = _int("member")
    if member is None:
        return _transfers_page(
            422,
            _("%(field)s: %(problem)s", field=pick("Đảng viên", "Member"), problem="is required"),
        )
    form = request.form
    try:
        service.transfer_member(
            runtime().uow(),
            actor(),
            member,
            form.get("kind", ""),
            _int("to_cell"),
            form.get("starts_on"),
            form.get("ends_on"),
            form.get("reason"),
            mentor_id=_int("mentor"),
        )
    except InvalidInput as bad:
        return _transfers_page(422, _message(bad))
    flash(_("The transfer is recorded."), "success")
    return redirect(url_for("candidates.transfers"), code=303)
