"""The candidates pages."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("candidates", __name__, url_prefix="/candidates")


@bp.get("/")
@login_required
def index():
    return render_template("base.html")
