"""The audit pages."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@login_required
def index():
    return render_template("base.html")
