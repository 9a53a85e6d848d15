"""My work (``/``): what waits on the logged-in user, most urgent first."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("work", __name__)


@bp.get("/")
@login_required
def index():
    return render_template("work/index.html")
