"""Awareness classes (``/classes/``): the political centre schedules classes and records their
attendance, the cells enrol their mentored candidates, the centre issues the certificates, and
``/classes/waiting`` shows who still waits for a class. The views are in ``views``."""

from web.classes.views import bp

__all__ = ["bp"]
