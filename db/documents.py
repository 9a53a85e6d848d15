"""Interim: the case repository still imports ``attach_scan`` from here.

# removed by the lead's effects change: once ``db/repositories/cases.py`` imports ``attach_scan``
# from ``db.repositories.documents`` (or calls ``uow.documents.attach_scan``), delete this file.
"""

from db.repositories.documents import attach_scan

__all__ = ["attach_scan"]
