"""The reviews pages."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


@bp.get("/")
@login_required
def index():
    return render_template("base.html")
