"""The proposals of mass organisations: introducers propose, the cells' secretaries decide."""

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

from web.proposals import views as _views  # noqa: E402,F401
