"""The user's own account (``/account``, "Tài khoản"): their names and roles, and a new password.

Every logged-in user changes their own password here: the current one, the new one twice. The
use case (``workflow.services.accounts.change_own_password``) checks the current password and the
new one's strength, and ends every other session; this one stays logged in with the new version.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from web import logs
from web.admin.forms import message
from web.auth.users import web_user
from web.context import actor, runtime
from workflow import admin as rules
from workflow import logins
from workflow.errors import InvalidInput
from workflow.services import accounts

bp = Blueprint("account", __name__)

_REQUIRED = _l("This field is required.")
#: The refusals of this page's use case, in words (the password's strength: as on the admin pages).
MESSAGES = {
    logins.WRONG_PASSWORD: _l("This is not your current password."),
    logins.SAME_PASSWORD: _l("The new password is the same as the current one."),
}


class OwnPasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[InputRequired(message=_REQUIRED), Length(max=200)]
    )
    password = PasswordField(
        _l("New password"), validators=[InputRequired(message=_REQUIRED), Length(max=200)]
    )
    confirm = PasswordField(
        _l("The new password again"),
        validators=[
            InputRequired(message=_REQUIRED),
            EqualTo("password", message=_l("The two new passwords differ.")),
        ],
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def index():
    """The account page; a POST changes the password."""
    form = OwnPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            version = accounts.change_own_password(
                runtime().uow(), actor(), form.current.data, form.password.data
            )
        except InvalidInput as err:
            target = form._fields.get(err.field, form.password)
            target.errors = [*target.errors, str(MESSAGES.get(err.message, message(err.message)))]
            status = 422
        else:
            with runtime().sessions() as session:
                user = web_user(session, int(current_user.id))
            assert user is not None and user.session_version == version
            login_user(user)  # this session carries the new version; every other one ended
            logs.security("password_changed")
            flash(_("Your password was changed; your other sessions were ended."), "success")
            return redirect(url_for("account.index"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "account/index.html", form=form, password_min=rules.PASSWORD_MIN, roles=actor().roles()
    ), status
