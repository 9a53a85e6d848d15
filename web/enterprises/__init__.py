"""The enterprise registry (``/enterprises/``): the committee and auditors read it, admins
register and edit enterprises. The views are in ``views``."""

from web.enterprises.views import bp

__all__ = ["bp"]
