"""Yearly targets (chỉ tiêu) against results: pure computation over plain rows.

The storage layer hands over the organisations, the targets and small aggregates (admissions per
cell and year, open cases per cell and state, introductions per cell, source and year, and the
open cases with the day they entered their state); everything else, the roll-up over the tree,
the projection, the verdicts and the past years, is computed here. The formulas are explained in
docs/targets.md; the numbers they use are ``TargetSettings``.

- ``names``: metrics, verdicts, the pipeline's states;  ``settings``: ``TargetSettings``;
- ``rows``: what storage hands over;  ``projection``: the formulas and verdicts;
- ``results`` and ``report``: the report and ``build_report``;  ``edits``: the admins' edit rules.
"""

from workflow.targets.names import (
    ALL_CATEGORIES,
    ALL_UNITS,
    METRIC_KIND,
    PIPELINE_STATES,
    RIPE_STATES,
    Metric,
    Phase,
    Status,
    TargetKind,
)
from workflow.targets.projection import (
    expected,
    judge_count,
    judge_pace,
    judge_share,
    percent,
    phase_of,
    round_half_up,
    year_elapsed,
)
from workflow.targets.report import Introductions, build_report
from workflow.targets.results import (
    CountCheck,
    OrgRow,
    QuotaRow,
    ShareRow,
    StuckCase,
    TargetReport,
    YearRow,
)
from workflow.targets.rows import (
    CellStateCount,
    CellYearCount,
    IntroducedCount,
    OpenCase,
    OrgNode,
    OutsideTotal,
    Target,
    tree_order,
)
from workflow.targets.settings import DEFAULT_TARGET_SETTINGS, TargetSettings

__all__ = [
    "ALL_CATEGORIES",
    "ALL_UNITS",
    "DEFAULT_TARGET_SETTINGS",
    "METRIC_KIND",
    "PIPELINE_STATES",
    "RIPE_STATES",
    "CellStateCount",
    "CellYearCount",
    "CountCheck",
    "IntroducedCount",
    "Introductions",
    "Metric",
    "OpenCase",
    "OrgNode",
    "OrgRow",
    "OutsideTotal",
    "Phase",
    "QuotaRow",
    "ShareRow",
    "Status",
    "StuckCase",
    "Target",
    "TargetKind",
    "TargetReport",
    "TargetSettings",
    "YearRow",
    "build_report",
    "expected",
    "judge_count",
    "judge_pace",
    "judge_share",
    "percent",
    "phase_of",
    "round_half_up",
    "tree_order",
    "year_elapsed",
]
