"""Users: the list, a new user, one user's details, password, activity and role grants."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from db.read import admin
from web.admin import bp
from web.admin.forms import (
    ActiveForm,
    GrantForm,
    NewUserForm,
    PasswordForm,
    PlainForm,
    UserForm,
    options,
    refuse,
)
from web.context import actor, db_session, runtime
from workflow import admin as rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.services import admin as use_cases
from workflow.services.admin_scope import manage_scope


@bp.context_processor
def _password_min() -> dict:
    return {"password_min": rules.PASSWORD_MIN}


def _member_choices(user_id: int | None = None) -> list[SelectChoice]:
    return options(
        [("", "—"), *admin.linkable_members(db_session(), manage_scope(actor()), user_id)]
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _scope_orgs() -> list[tuple[int, str]]:
    """The organisations of the admin's scope, indented as in the tree."""
    return [
        (row.id, "\u2003" * row.depth + row.name)
        for row in admin.organisation_tree(db_session(), manage_scope(actor()))
    ]


@bp.get("/users")
def users():
    return render_template(
        "admin/users.html", users=admin.users(db_session(), manage_scope(actor()))
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    form.member.choices = _member_choices()
    status = 200
    if form.validate_on_submit():
        try:
            user_id = use_cases.create_user(
                runtime().uow(),
                actor(),
                username=form.username.data,
                full_name=form.full_name.data,
                email=form.email.data,
                password=form.password.data,
                active=form.active.data,
                member_id=_int(form.member.data),
            )
        except InvalidInput as err:
            refuse(form, err.field, err.message)
        else:
            flash(
                _(
                    "User %(name)s created. Grant them a role below.",
                    name=form.username.data.strip().lower(),
                ),
                "success",
            )
            return redirect(url_for("admin.user", user_id=user_id))
    if form.is_submitted():
        status = 422
    return render_template("admin/new_user.html", form=form), status


def _load(user_id: int) -> admin.UserRow:
    row = admin.user(db_session(), manage_scope(actor()), user_id)
    if row is None:
        abort(404)
    return row


def _user_page(user_id: int, status: int = 200, **forms):
    row = _load(user_id)
    edit = forms.get("edit") or UserForm(
        formdata=None,
        full_name=row.full_name,
        email=row.email or "",
        member=str(row.member_id or ""),
    )
    edit.member.choices = _member_choices(user_id)
    grant = forms.get("grant") or GrantForm(formdata=None)
    grant.fill(_scope_orgs())
    return render_template(
        "admin/user.html",
        user=row,
        edit=edit,
        password=forms.get("password") or PasswordForm(formdata=None),
        active=ActiveForm(formdata=None, active="0" if row.active else "1"),
        grant=grant,
        plain=PlainForm(formdata=None),
    ), status


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    return _user_page(user_id)


#: The user page's forms that show their own errors.
_SHOWN = ("edit", "password", "grant")


def _change(user_id: int, call, form, success: str, name: str):
    """Run a use case for the user page; a refusal re-shows the page with the form (422)."""
    _load(user_id)
    if form.validate_on_submit():
        try:
            call()
        except NotFound:
            abort(404)
        except NotAllowed:
            abort(403)
        except InvalidInput as err:
            refuse(form, err.field, err.message)
        else:
            flash(success, "success")
            return redirect(url_for("admin.user", user_id=user_id))
    if name not in _SHOWN:  # a button without inputs: its refusal is said above the page
        for text in [*(e for f in form for e in f.errors), *form.form_errors]:
            flash(text, "error")
    return _user_page(user_id, 422, **{name: form})


@bp.post("/users/<int:user_id>")
def edit_user(user_id: int):
    form = UserForm()
    form.member.choices = _member_choices(user_id)
    return _change(
        user_id,
        lambda: use_cases.update_user(
            runtime().uow(),
            actor(),
            user_id,
            full_name=form.full_name.data,
            email=form.email.data,
            member_id=_int(form.member.data),
        ),
        form,
        _("Saved."),
        "edit",
    )


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    form = PasswordForm()
    return _change(
        user_id,
        lambda: use_cases.reset_password(runtime().uow(), actor(), user_id, form.password.data),
        form,
        _("The password was changed."),
        "password",
    )


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    form = ActiveForm()
    active = form.active.data == "1"
    return _change(
        user_id,
        lambda: use_cases.set_user_active(runtime().uow(), actor(), user_id, active),
        form,
        _("The user may log in again.") if active else _("The user can no longer log in."),
        "active_form",
    )


@bp.post("/users/<int:user_id>/grants")
def add_grant(user_id: int):
    form = GrantForm().fill(_scope_orgs())
    return _change(
        user_id,
        lambda: use_cases.grant_role(
            runtime().uow(),
            actor(),
            user_id,
            form.role.data,
            _int(form.organisation.data) or 0,
        ),
        form,
        _("Role granted."),
        "grant",
    )


@bp.post("/users/<int:user_id>/grants/<int:grant_id>/delete")
def remove_grant(user_id: int, grant_id: int):
    form = PlainForm()
    return _change(
        user_id,
        lambda: use_cases.revoke_grant(runtime().uow(), actor(), user_id, grant_id),
        form,
        _("Role removed."),
        "plain",
    )
