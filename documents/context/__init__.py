"""The safe context of a form: plain values built from the dossier dict, never ORM objects.

``values`` turns the dossier's parts into what a form prints, ``header`` draws who issues it,
``extras`` adds what only some forms print, and ``form`` puts them together in `form_context`.
"""

from __future__ import annotations

from documents.context.form import form_context
from documents.context.header import NUMBERED
from documents.context.values import Context

__all__ = ["NUMBERED", "Context", "form_context"]
