"""Logging in and out, the current user, and throttling of failed logins."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from threading import Lock
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from db.actors import actor_of
from db.models import User
from web.context import runtime
from workflow.facts import Actor

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
#: A fixed hash to compare against when the user does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a password")


class WebUser(UserMixin):
    """The logged-in user: the stored user's names and the domain's Actor."""

    def __init__(self, user: User, actor: Actor):
        self.id = str(user.id)
        self.username = user.username
        self.full_name = user.full_name or user.username
        self.actor = actor

    @property
    def roles(self) -> set[str]:
        return self.actor.roles()


@login_manager.user_loader
def _load_user(user_id: str) -> WebUser | None:
    with runtime().sessions() as session:
        user = session.get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.active:
            return None
        return WebUser(user, actor_of(user, session))


class Throttle:
    """At most `limit` failures per key within `window` seconds (kept in this process)."""

    def __init__(self, limit: int, window: int):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def clear(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


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


def _throttle() -> Throttle:
    return current_app.extensions["hoso_throttle"]


def _ip_throttle() -> Throttle:
    return current_app.extensions["hoso_ip_throttle"]


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data.strip()
        user_key, ip_key = f"user:{username.lower()}", f"ip:{request.remote_addr}"
        # One address has its own, higher limit: users behind one school's or company's
        # address must not lock each other out with a few typos.
        if _throttle().blocked(user_key) or _ip_throttle().blocked(ip_key):
            flash(_("Too many failed attempts. Try again in a few minutes."), "error")
            return render_template("auth/login.html", form=form), 429
        with runtime().sessions() as session:
            user = session.scalar(select(User).where(User.username == username))
            valid = check_password_hash(
                user.password_hash if user else _DUMMY_HASH, form.password.data
            )
            if user is not None and valid and user.active and user.password_hash:
                _throttle().clear(user_key)
                login_user(WebUser(user, actor_of(user, session)))
                return redirect(safe_next(request.args.get("next")))
        _throttle().fail(user_key)
        _ip_throttle().fail(ip_key)
        flash(_("Wrong username or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    app.extensions["hoso_throttle"] = Throttle(
        app.config["LOGIN_MAX_FAILURES"], app.config["LOGIN_LOCK_SECONDS"]
    )
    app.extensions["hoso_ip_throttle"] = Throttle(
        app.config.get("LOGIN_MAX_FAILURES_PER_IP", 10 * app.config["LOGIN_MAX_FAILURES"]),
        app.config["LOGIN_LOCK_SECONDS"],
    )
    app.register_blueprint(bp)

    @app.context_processor
    def _roles() -> dict:
        def has_role(*roles: str) -> bool:
            return current_user.is_authenticated and bool(current_user.roles & set(roles))

        return {"has_role": has_role}
