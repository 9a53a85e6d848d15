"""The admin pages (``/admin/``): users and their role grants, organisations, the deciding body.

Admins fire no transition; every change here goes through a use case of
``workflow.services.admin``; the pages read ``db.read.admin`` within the admin's scope.
"""

from flask import Blueprint, abort, render_template
from flask_login import login_required

from db.read import admin
from web import logs
from web.context import actor, db_session
from workflow.services.admin_scope import manage_scope
from workflow.states import Role

bp = Blueprint("admin", __name__, url_prefix="/admin", static_folder="static")
bp.after_request(logs.log_admin_change)  # every admin change on the security log


@bp.before_request
@login_required
def _admins_only():
    """Only admins see or change anything here, GET or POST."""
    if Role.admin not in actor().roles():
        abort(403)


@bp.get("/")
def index():
    """An overview: the users, the tree, and who decides admissions for each cell."""
    session, scope = db_session(), manage_scope(actor())
    people = admin.users(session, scope)
    tree = admin.organisation_tree(session, scope)
    return render_template(
        "admin/index.html",
        users=people,
        active=sum(u.active for u in people),
        tree=tree,
        deciding=admin.deciding_bodies(session, scope),
    )


from web.admin import organisations as _organisations  # noqa: E402,F401
from web.admin import restructure as _restructure  # noqa: E402,F401
from web.admin import tasks as _tasks  # noqa: E402,F401
from web.admin import users as _users  # noqa: E402,F401
