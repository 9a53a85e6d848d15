"""The candidates pages: the list (``list.py``) and one case (``case.py``)."""

from flask import Blueprint

bp = Blueprint("candidates", __name__, url_prefix="/candidates")

from web.candidates import case as _case  # noqa: E402,F401
from web.candidates import corrections as _corrections  # noqa: E402,F401
from web.candidates import importing as _importing  # noqa: E402,F401
from web.candidates import list as _list  # noqa: E402,F401
from web.candidates import moves as _moves  # noqa: E402,F401
from web.candidates import new as _new  # noqa: E402,F401
from web.candidates import scans as _scans  # noqa: E402,F401
from web.candidates import transfer as _transfer  # noqa: E402,F401
from web.candidates import verification as _verification  # noqa: E402,F401
