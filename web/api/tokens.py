"""``/account/tokens``: a user's personal API tokens: make one (its secret shown once, on the
answer to the POST, never stored), list them, revoke one. The use cases are
``workflow.services.tokens``; this page only turns the form into a call."""

from __future__ import annotations

from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm

from web.context import actor, runtime
from workflow.clock import Clock
from workflow.errors import InvalidInput
from workflow.fields import parse_date
from workflow.services import tokens as use_cases
from workflow.services.tokens import NewToken
from workflow.tokens import MAX_DAYS, MAX_LIVE, MAX_NAME, TokenRecord

bp = Blueprint("api_tokens", __name__)

#: What each refused field means, in the page's words.
MESSAGES = {
    "name": _l(
        "Give the token a name of at most %(n)s characters, without invisible characters.",
        n=MAX_NAME,
    ),
    "expires_on": _l("Choose an expiry date from today to %(n)s days ahead.", n=MAX_DAYS),
    "grants": _l("Choose at least one of your roles."),
    "tokens": _l("You already hold %(n)s live tokens: revoke one first.", n=MAX_LIVE),
}
#: The expiry offered by default.
DEFAULT_DAYS = 90


class TokenForm(FlaskForm):
    """Only the CSRF token: the values go to the use case as typed, the domain judges them."""


def _grant_ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 10]


def _page(
    form: TokenForm, made: NewToken | None = None, error: tuple[str, str] | None = None
) -> Response:
    today = Clock.system().today
    user = runtime().uow(write=False)
    with user:
        record = user.users.get(actor().user_id)
    grants = list(record.grants) if record else []
    tokens = use_cases.list_tokens(runtime().uow(write=False), actor())
    by_id = {g.id: g for g in grants}
    body = render_template(
        "api/tokens.html",
        form=form,
        made=made,
        error=error,
        grants=grants,
        tokens=[_row(t, today, by_id) for t in tokens],
        chosen=set(_grant_ids(request.form.getlist("grants"))) if error else set(),
        name=request.form.get("name", "") if error else "",
        expires_on=request.form.get("expires_on", "")
        if error
        else (today + timedelta(DEFAULT_DAYS)).isoformat(),
        today=today.isoformat(),
    )
    response = make_response(body, 422 if error else 200)
    # The answer that shows a secret is kept by no cache, the browser's included.
    response.headers["Cache-Control"] = "no-store"
    return response


def _row(token: TokenRecord, today: date, grants: dict) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "status": token.status(today).value,
        "created_at": token.created_at,
        "expires_on": token.expires_on,
        "grants": [grants[g] for g in token.grant_ids if g in grants],
    }


@bp.get("/account/tokens")
@login_required
def index():
    """The user's tokens and the form for a new one."""
    return _page(TokenForm())


@bp.post("/account/tokens")
@login_required
def create():
    """Make a token; the answer shows its secret, once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, error=("form", _("The form expired: send it again."))), 400
    try:
        expires = parse_date("expires_on", request.form.get("expires_on", ""))
        made = use_cases.create_token(
            runtime().uow(),
            actor(),
            request.form.get("name", ""),
            expires,
            _grant_ids(request.form.getlist("grants")),
        )
    except InvalidInput as refused:
        message = MESSAGES.get(refused.field, refused.message)
        return _page(form, error=(refused.field, str(message)))
    return _page(TokenForm(), made=made)


@bp.post("/account/tokens/<int(max=2147483647):token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke one of the user's tokens (another's is 404)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return redirect(url_for("api_tokens.index"), code=303)
    token = use_cases.revoke_token(runtime().uow(), actor(), token_id)
    flash(_("Token “%(name)s” revoked: it opens nothing any more.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"), code=303)
