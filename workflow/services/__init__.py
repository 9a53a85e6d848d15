"""The use cases, by area: each ``verb_noun(uow, actor, ...)`` commits once or not at all.

The case use cases are re-exported here because every door (web, CLI, API, demo, import) uses
them; the other areas are imported from their modules (``workflow.services.classes``...).
"""

from workflow.clock import Clock
from workflow.dates import LOCAL_ZONE
from workflow.services.cases import (
    NewCase,
    append_event,
    fire_transition,
    identify_candidate,
    record_fact,
    upload_document,
    view_case,
)

__all__ = [
    "LOCAL_ZONE",
    "Clock",
    "NewCase",
    "append_event",
    "fire_transition",
    "identify_candidate",
    "record_fact",
    "upload_document",
    "view_case",
]
