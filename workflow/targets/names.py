"""The targets' names: what a target counts, its verdicts, and the states of the pipeline."""

from __future__ import annotations

from enum import StrEnum

from workflow.states import OPEN_STATES, PROBATION_STATES, State


class Metric(StrEnum):
    """What a target counts."""

    admissions = "admissions"  # admission decisions signed in the year, in the subtree
    # % of the subtree's admissions (outside hoso's included) who are enterprise workers
    enterprise_share = "enterprise_share"
    introductions = "introductions"  # a mass organisation's accepted introductions


class TargetKind(StrEnum):
    count = "count"
    percentage = "percentage"


#: Each metric is measured in one way.
METRIC_KIND: dict[str, TargetKind] = {
    Metric.admissions: TargetKind.count,
    Metric.enterprise_share: TargetKind.percentage,
    Metric.introductions: TargetKind.count,
}
#: The ``unit_kind`` of a target that counts every kind of unit.
ALL_UNITS = "all"
#: The ``category`` of a target that counts everyone admitted, whatever their category.
ALL_CATEGORIES = "all"


class Status(StrEnum):
    """A target's verdict."""

    met = "met"  # reached (for a percentage in the current year: and projected to stay so)
    on_track = "on_track"  # the current year: not reached yet, but the projection reaches it
    at_risk = "at_risk"  # the current year: the projection falls short, or nobody is ripe late
    missed = "missed"  # a closed year, not reached
    no_target = "no_target"


class Phase(StrEnum):
    """Where the report's year stands against today."""

    past = "past"
    current = "current"
    future = "future"


#: States of the pipeline: candidates who may still be admitted (open, not yet on probation), in
#: the order of the path.
PIPELINE_STATES: tuple[str, ...] = tuple(
    s for s in State if s in OPEN_STATES and s not in PROBATION_STATES
)
#: Pipeline states that can reach a decision within months: trained or further.
RIPE_STATES: tuple[str, ...] = (State.trained, State.dossier_submitted, State.returned)
