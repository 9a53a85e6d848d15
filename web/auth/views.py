"""The login and the logout.

A login goes through ``workflow.services.accounts.log_in``: a client that failed too often waits
(429, the wait named, ``Retry-After``) before its password is even compared; the failures are
kept in the database, so every worker judges alike. A successful login marks the browser as a
known device of that user (``web.auth.device``). Logout ends every session of the user.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from web import logs
from web.auth.device import known_device, remember_device
from web.auth.users import web_user
from web.context import actor, runtime
from workflow.logins import Limits
from workflow.services import accounts

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=200)])


def safe_next(target: str | None) -> str:
    """Only a path on this site: an absolute or scheme-relative URL goes home instead."""
    if not target:
        return url_for("work.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("work.index")
    if "\\" in target:
        return url_for("work.index")
    return target


def _limits() -> Limits:
    """The throttle's rules: ``LOGIN_LIMITS`` in the app's config (tests), else the defaults."""
    return current_app.config.get("LOGIN_LIMITS") or Limits()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    username = form.username.data.strip()
    address = request.remote_addr or "-"
    device = known_device(username)
    outcome = accounts.log_in(
        runtime().uow(), username, form.password.data, address, device, limits=_limits()
    )
    if outcome.throttled:
        logs.security(
            "login_throttled", logging.WARNING, user=username, wait=outcome.wait, status=429
        )
        flash(
            _(
                "Too many failed attempts. Wait %(seconds)s seconds and try again.",
                seconds=outcome.wait,
            ),
            "error",
        )
        g.security_logged = True
        page = render_template("auth/login.html", form=form)
        return page, 429, {"Retry-After": str(outcome.wait)}
    if not outcome.ok:
        logs.security(
            "login_failed", logging.WARNING, user=username, known_device=device is not None
        )
        flash(_("Wrong username or password."), "error")
        return render_template("auth/login.html", form=form), 401
    with runtime().sessions() as session:
        user = web_user(session, outcome.user_id)
    if user is None:  # deactivated in between
        flash(_("Wrong username or password."), "error")
        return render_template("auth/login.html", form=form), 401
    login_user(user)
    logs.security("login", user=user.username, known_device=device is not None)
    response = redirect(safe_next(request.args.get("next")))
    remember_device(response, user.username)
    return response


@bp.post("/logout")
@login_required
def logout():
    """End every session of this user, here and on every other browser and worker."""
    accounts.log_out(runtime().uow(), actor())
    logs.security("logout")
    logout_user()
    return redirect(url_for("auth.login"))
