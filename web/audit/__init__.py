"""The audit pages (``/audit/``): the history of the user's scope, one case's chain, the chain's
verification and a CSV export. Read-only: no form here changes anything.
"""

from flask import Blueprint, abort
from flask_login import login_required

from db.read.audit_log import may_audit
from web.context import actor

bp = Blueprint("audit", __name__, url_prefix="/audit", static_folder="static")


@bp.before_request
@login_required
def _readers_only():
    """Auditors and the committee read the history; everyone else is refused."""
    if not may_audit(actor()):
        abort(403)


from web.audit import views as _views  # noqa: E402,F401
