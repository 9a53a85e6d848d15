"""Where a successful action on a case lands: the case page while the user may still see it,
else the page they came from (or their list) with the message, never a 404 after a success.

An action may take the case out of the user's scope: the trainer who records the class moves the
case on to ``trained``, which trainers no longer see; a case moved to another cell leaves its
old secretary's scope. ``workflow.policy.can_see`` (through ``services.view_case``) decides.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from web.context import actor, runtime
from workflow import policy, services
from workflow.errors import NotFound


def still_visible(case_id: int) -> bool:
    """Whether the user may still see the case after the change just committed."""
    try:
        services.view_case(runtime().uow(write=False), actor(), case_id)
    except NotFound:
        return False
    return True


def _came_from(case_id: int) -> str | None:
    """The page the form was sent from, when it is one of ours and not the case's own page."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    ours = parts.netloc in ("", request.host) and parts.scheme in ("", "http", "https")
    if not referrer or not ours:
        return None  # another site's address is never followed (open redirect)
    path = parts.path or "/"
    if path.rstrip("/") == url_for("candidates.case", case_id=case_id).rstrip("/"):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def land_after(case_id: int, anchor: str | None = None) -> Response:
    """The 303 after a successful action on the case (the message already flashed)."""
    if still_visible(case_id):
        return redirect(url_for("candidates.case", case_id=case_id, _anchor=anchor), code=303)
    flash(_("The case has left your list: it is now for others to act on."), "info")
    back = _came_from(case_id)
    if back is None:
        has_list = policy.has_case_list(actor())
        back = url_for("candidates.index") if has_list else url_for("work.index")
    return redirect(back, code=303)
