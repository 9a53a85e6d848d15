"""The documents of a case (``/candidates/<id>/...``): uploads of signed scans, their downloads,
the forms as PDFs; and the public check of a generated document (``/verify/<code>``).

Uploads are limited to ``HOSO_UPLOAD_MAX_BYTES`` (10 MB unless configured); Flask's
``MAX_CONTENT_LENGTH`` refuses a larger request (413) before it is read, leaving room for the
form's other fields.
"""

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from workflow.uploads import DEFAULT_MAX_BYTES

bp = Blueprint("documents", __name__, static_folder="static", static_url_path="/documents/static")

#: What a request may carry beyond the scan itself: the form's fields and the multipart framing.
FORM_OVERHEAD = 256 * 1024


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    app = state.app
    app.config.setdefault("HOSO_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = app.config["HOSO_UPLOAD_MAX_BYTES"] + FORM_OVERHEAD


from web.documents import packet as _packet  # noqa: E402,F401
from web.documents import panel as _panel  # noqa: E402,F401
from web.documents import views as _views  # noqa: E402,F401
