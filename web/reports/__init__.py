"""The reports (``/reports/``): yearly targets against results, their exports, and the admins'
editing of the targets. Readers: the committee, secretaries, auditors and admins, each within
the scope of their grants.
"""

from flask import Blueprint, abort
from flask_login import login_required

from web.context import actor
from workflow.policy import Purpose, scope

bp = Blueprint("reports", __name__, url_prefix="/reports", static_folder="static")


@bp.before_request
@login_required
def _readers_only():
    """Only the roles that read the targets come in (admins' edits check more)."""
    if not scope(actor(), Purpose.reports):
        abort(403)


from web.reports import edit as _edit  # noqa: E402,F401
from web.reports import statistics as _statistics  # noqa: E402,F401
from web.reports import views as _views  # noqa: E402,F401
