"""Logging in and out, the current user and their session's version.

``web.auth.users``: the logged-in user, whose session carries their session version (logout, a
password change or reset and deactivation end every session at once). ``web.auth.views``: the
login (throttled through ``workflow.services.accounts.log_in``) and the logout.
``web.auth.device``: the signed known-device cookie that spares a user other people's failures.
"""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from web import logs
from web.auth.users import WebUser, login_manager
from web.auth.views import bp, safe_next

__all__ = ["WebUser", "bp", "init_app", "safe_next"]


def init_app(app: Flask) -> None:
    """The login manager, the security log's level, the login and logout routes."""
    logs.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    app.register_blueprint(bp)

    @app.context_processor
    def _roles() -> dict:
        def has_role(*roles: str) -> bool:
            return current_user.is_authenticated and bool(current_user.roles & set(roles))

        return {"has_role": has_role}
