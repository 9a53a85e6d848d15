"""The app for any WSGI server: ``gunicorn web.wsgi:app`` (production unless HOSO_ENV=development).

Built at import, as WSGI servers expect; ``hoso serve`` is the usual way (it checks the
migrations first), this module is for a server of the operator's choosing.
"""

from __future__ import annotations

from web import create_app

app = create_app()
