"""Yearly targets (chỉ tiêu) against results: pure computation over plain rows.

The storage layer hands over the organisations, the targets of the year and small aggregates
(admissions per cell and year, open cases per cell and state, introductions per cell, source and
year, and the open cases with the day they entered their state); everything else, the roll-up
over the tree, the projection, the verdicts and the past years, is computed here. The formulas
are explained in docs/targets.md; the numbers they use are ``TargetSettings``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from workflow.states import OrgType, State, UnitKind


class Metric(StrEnum):
    """What a target counts."""

    admissions = "admissions"  # admission decisions signed in the year, in the subtree
    enterprise_share = "enterprise_share"  # % of the subtree's admissions from enterprise cells
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


#: States of the pipeline: candidates who may still be admitted.
PIPELINE_STATES: tuple[str, ...] = (
    State.identified,
    State.mentored,
    State.trained,
    State.dossier_submitted,
    State.returned,
)
#: Pipeline states that can reach a decision within months: trained or further.
RIPE_STATES: tuple[str, ...] = (State.trained, State.dossier_submitted, State.returned)


@dataclass(frozen=True)
class TargetSettings:
    """The projection's and "stuck"'s numbers (``hoso.toml``, table ``[targets]``)."""

    #: Share of the cases in each pipeline state expected to be admitted by the year's end.
    conversion: Mapping[str, Fraction] = field(
        default_factory=lambda: {
            State.dossier_submitted: Fraction(1),
            State.returned: Fraction(1, 2),
            State.trained: Fraction(1, 2),
            State.mentored: Fraction(1, 10),
            State.identified: Fraction(0),
        }
    )
    #: Past this share of the year, a count target with no ripe case in its pipeline is at risk.
    late_in_year: Fraction = Fraction(1, 2)
    #: A case that has stayed longer than this many days in its state is stuck.
    stuck_days: Mapping[str, int] = field(
        default_factory=lambda: {
            State.identified: 120,
            State.mentored: 180,
            State.trained: 180,
            State.dossier_submitted: 90,
            State.returned: 60,
        }
    )
    #: The first year the comparison with past years shows.
    first_year: int = 2020

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> TargetSettings:
        """Settings from a TOML table; unknown names and states are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown target settings: {', '.join(unknown)}")
        base = cls()
        changes: dict[str, Any] = {}
        for name in ("conversion", "stuck_days"):
            if name in values:
                table = dict(values[name])
                bad = sorted(set(table) - set(PIPELINE_STATES))
                if bad:
                    raise ValueError(f"targets.{name}: not a pipeline state: {', '.join(bad)}")
                convert = _rate if name == "conversion" else int
                changes[name] = {**getattr(base, name), **{k: convert(v) for k, v in table.items()}}
        if "late_in_year" in values:
            changes["late_in_year"] = _rate(values["late_in_year"])
        if "first_year" in values:
            changes["first_year"] = int(values["first_year"])
        return replace(base, **changes)


def _rate(value: Any) -> Fraction:
    rate = Fraction(str(value))
    if not 0 <= rate <= 1:
        raise ValueError(f"a rate is between 0 and 1, not {value}")
    return rate


DEFAULT_TARGET_SETTINGS = TargetSettings()


# --- the rows the storage layer hands over -----------------------------------------------------


@dataclass(frozen=True)
class OrgNode:
    """An organisation; ``path`` is its materialised path (``/1/4/9/``)."""

    id: int
    parent_id: int | None
    name: str
    type: str
    unit_kind: str
    path: str
    mass_kind: str | None = None

    @property
    def depth(self) -> int:
        return self.path.strip("/").count("/")

    def covers(self, path: str) -> bool:
        return path.startswith(self.path)


@dataclass(frozen=True)
class Target:
    """A yearly target of an organisation."""

    id: int
    organisation_id: int
    year: int
    metric: str
    kind: str
    value: Decimal
    unit_kind: str = ALL_UNITS
    note: str | None = None


@dataclass(frozen=True)
class CellYearCount:
    """Admissions of one cell in one year (decisions signed that year)."""

    cell_id: int
    year: int
    count: int


@dataclass(frozen=True)
class CellStateCount:
    """Open cases of one cell in one state, now."""

    cell_id: int
    state: str
    count: int


@dataclass(frozen=True)
class IntroducedCount:
    """Accepted introductions: cell, the organisation named as their source, year."""

    cell_id: int
    source_detail: str
    year: int
    count: int


@dataclass(frozen=True)
class OpenCase:
    """An open case and the day it entered its current state."""

    case_id: int
    name: str
    cell_id: int
    state: str
    since: date


# --- small formulas ----------------------------------------------------------------------------


def round_half_up(value: Fraction, places: int = 1) -> Decimal:
    """`value` rounded half away from zero to `places` decimals (2.05 → 2.1, 1.96 → 2.0)."""
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return (Decimal(-magnitude if value < 0 else magnitude) / scale).quantize(
        Decimal(1).scaleb(-places)
    )


def percent(part: int | Fraction, whole: int | Fraction) -> Fraction | None:
    """`part` of `whole` in per cent, exactly; ``None`` when `whole` is 0 (undefined)."""
    if not whole:
        return None
    return Fraction(part) * 100 / Fraction(whole)


def phase_of(year: int, today: date) -> Phase:
    if year < today.year:
        return Phase.past
    return Phase.current if year == today.year else Phase.future


def year_elapsed(year: int, today: date) -> Fraction:
    """How much of `year` has gone by on `today` (0 before it, 1 after it)."""
    if year < today.year:
        return Fraction(1)
    if year > today.year:
        return Fraction(0)
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    return Fraction(today.timetuple().tm_yday, days)


def expected(pipeline: Mapping[str, int], settings: TargetSettings) -> Fraction:
    """Admissions expected from the pipeline by the year's end: Σ rate(state) × cases(state)."""
    return sum(
        (settings.conversion.get(state, Fraction(0)) * n for state, n in pipeline.items()),
        Fraction(0),
    )


def judge_count(
    target: Decimal,
    reached: int,
    projection: Fraction,
    ripe: int,
    phase: Phase,
    elapsed: Fraction,
    settings: TargetSettings,
) -> Status:
    """The verdict on a count target (admissions)."""
    if reached >= target:
        return Status.met
    if phase is Phase.past:
        return Status.missed
    late = elapsed > settings.late_in_year
    if projection < target or (late and ripe == 0):
        return Status.at_risk
    return Status.on_track


def judge_pace(target: Decimal, reached: int, phase: Phase, elapsed: Fraction) -> Status:
    """The verdict on a quota that is met evenly over the year (introductions)."""
    if reached >= target:
        return Status.met
    if phase is Phase.past:
        return Status.missed
    return Status.on_track if reached >= Fraction(target) * elapsed else Status.at_risk


def judge_share(
    target: Decimal, exact: Fraction | None, projected: Fraction | None, phase: Phase
) -> Status:
    """The verdict on a percentage: the exact fraction is compared, never the rounded one.

    With no admission at all the share is undefined: met only by a target of 0.
    """
    goal = Fraction(target)
    reached = exact is not None and exact >= goal
    if goal <= 0:
        return Status.met
    if phase is Phase.past:
        return Status.met if reached else Status.missed
    holds = projected is not None and projected >= goal
    if reached and holds:
        return Status.met
    return Status.on_track if holds else Status.at_risk


# --- the results -------------------------------------------------------------------------------


@dataclass
class CountCheck:
    """An admissions target of an organisation and where it stands."""

    target: Target
    admitted: int
    pipeline: int
    projection: Fraction
    status: Status


@dataclass
class OrgRow:
    """One committee or cell: what it admitted, its pipeline, and its admissions targets."""

    org: OrgNode
    depth: int
    admitted: int
    by_unit: dict[str, int]
    pipeline: dict[str, int]
    expected: Fraction
    projection: Fraction
    checks: list[CountCheck]
    stuck: int
    oldest_days: int | None
    #: admitted per year of the comparison, and the admissions target of that year (if any)
    by_year: dict[int, tuple[int, Decimal | None]]

    @property
    def in_pipeline(self) -> int:
        return sum(self.pipeline.values())

    @property
    def status(self) -> Status:
        """The worst verdict of its targets."""
        order = [Status.missed, Status.at_risk, Status.on_track, Status.met]
        verdicts = {c.status for c in self.checks}
        return next((s for s in order if s in verdicts), Status.no_target)

    @property
    def no_pipeline(self) -> bool:
        return self.org.type == OrgType.cell and self.in_pipeline == 0


@dataclass
class ShareRow:
    """The enterprise share of an organisation's admissions against its percentage target."""

    org: OrgNode
    target: Target
    enterprise: int
    total: int
    exact: Fraction | None
    shown: Decimal | None  # rounded half-up to one decimal, for display only
    projected: Fraction | None
    status: Status

    @property
    def rounding_hides_miss(self) -> bool:
        """Displayed as reaching the target while the exact share falls short (1/51 → 2.0%)."""
        return (
            self.exact is not None
            and self.shown is not None
            and self.exact < self.target.value <= self.shown
        )


@dataclass
class QuotaRow:
    """A mass organisation's accepted introductions against its yearly quota."""

    org: OrgNode
    attached_to: str
    target: Target | None
    introduced: int
    status: Status


@dataclass
class YearRow:
    """One year of the comparison."""

    year: int
    admitted: int
    by_unit: dict[str, int]
    enterprise_share: Decimal | None
    targets_met: int
    targets_counted: int
    introductions: int


@dataclass
class StuckCase:
    case_id: int
    name: str
    cell: str
    cell_id: int
    state: str
    since: date
    days: int


@dataclass
class TargetReport:
    """Everything the page, the exports and ``hoso report targets`` show."""

    year: int
    today: date
    phase: Phase
    elapsed: Fraction
    settings: TargetSettings
    rows: list[OrgRow]
    shares: list[ShareRow]
    quotas: list[QuotaRow]
    history: list[YearRow]
    stuck: list[StuckCase]

    @property
    def cells_without_pipeline(self) -> list[OrgRow]:
        return [r for r in self.rows if r.no_pipeline]

    @property
    def totals(self) -> dict[str, int]:
        """Admissions of the year over the visible tree (each cell once)."""
        cells = [r for r in self.rows if r.org.type == OrgType.cell]
        out = {kind.value: 0 for kind in UnitKind}
        for row in cells:
            out[row.org.unit_kind] = out.get(row.org.unit_kind, 0) + row.admitted
        out["all"] = sum(r.admitted for r in cells)
        return out


# --- building the report -----------------------------------------------------------------------


class _Tree:
    """Cells rolled up into every ancestor through their paths."""

    def __init__(self, orgs: Sequence[OrgNode]):
        self.orgs = {o.id: o for o in orgs}
        self.cells = {o.id: o for o in orgs if o.type == OrgType.cell}
        self._ancestors: dict[int, list[int]] = {}

    def ancestors(self, cell_id: int) -> list[int]:
        """The cell and every organisation above it (by its path)."""
        found = self._ancestors.get(cell_id)
        if found is None:
            cell = self.cells.get(cell_id)
            found = [int(p) for p in cell.path.strip("/").split("/")] if cell else []
            self._ancestors[cell_id] = found
        return found

    def roll_up(self, rows: Iterable[tuple[int, Any, int]]) -> dict[tuple[int, Any], int]:
        """``(cell_id, key, n)`` rows summed per ``(organisation_id, key)`` over the tree."""
        out: dict[tuple[int, Any], int] = defaultdict(int)
        for cell_id, key, n in rows:
            for org_id in self.ancestors(cell_id):
                out[(org_id, key)] += n
        return out


def _by_year_unit(tree: _Tree, admissions: Iterable[CellYearCount]) -> dict:
    """``(org_id, (year, unit_kind))`` → admitted; ``unit_kind`` "all" included."""
    rows = []
    for a in admissions:
        cell = tree.cells.get(a.cell_id)
        if cell is None:
            continue
        rows.append((a.cell_id, (a.year, cell.unit_kind), a.count))
        rows.append((a.cell_id, (a.year, ALL_UNITS), a.count))
    return tree.roll_up(rows)


def _pipelines(tree: _Tree, pipeline: Iterable[CellStateCount]) -> dict:
    """``(org_id, (unit_kind, state))`` → open cases; ``unit_kind`` "all" included."""
    rows = []
    for p in pipeline:
        cell = tree.cells.get(p.cell_id)
        if cell is None or p.state not in PIPELINE_STATES:
            continue
        rows.append((p.cell_id, (cell.unit_kind, p.state), p.count))
        rows.append((p.cell_id, (ALL_UNITS, p.state), p.count))
    return tree.roll_up(rows)


class Introductions:
    """Accepted introductions indexed by the names that can match them, per year.

    Each count names its source: the organisation of an accepted proposal, or the recorded source
    of a case opened from an introduction. It counts for a mass organisation when it names the
    organisation (exactly, or followed by `` (`` and details) and its cell lies under the party
    organisation the mass organisation is attached to.
    """

    def __init__(self, tree: _Tree, counts: Iterable[IntroducedCount]):
        self.tree = tree
        self.by_name: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
        for c in counts:
            cell = tree.cells.get(c.cell_id)
            if cell is None:
                continue
            names = {c.source_detail}
            cut = c.source_detail.find(" (")
            while cut > 0:  # every prefix that a name followed by " (" could be
                names.add(c.source_detail[:cut])
                cut = c.source_detail.find(" (", cut + 1)
            for name in names:
                self.by_name[(c.year, name)].append((cell.path, c.count))

    def of(self, mass: OrgNode, year: int) -> int:
        """The accepted introductions of `mass` in `year`."""
        parent = self.tree.orgs.get(mass.parent_id) if mass.parent_id is not None else None
        under = parent.path if parent is not None else mass.path
        return sum(
            n for path, n in self.by_name.get((year, mass.name), ()) if path.startswith(under)
        )


def build_report(
    year: int,
    today: date,
    orgs: Sequence[OrgNode],
    targets: Sequence[Target],
    admissions: Sequence[CellYearCount],
    pipeline: Sequence[CellStateCount],
    introductions: Sequence[IntroducedCount],
    open_cases: Sequence[OpenCase],
    settings: TargetSettings = DEFAULT_TARGET_SETTINGS,
) -> TargetReport:
    """The report of `year` as seen on `today`, over `orgs` (the reader's scope).

    `orgs` must hold every organisation on the paths of the cells it holds (so that the roll-up
    finds them); `targets` may span several years (the comparison uses them).
    """
    tree = _Tree(orgs)
    phase = phase_of(year, today)
    elapsed = year_elapsed(year, today)
    admitted = _by_year_unit(tree, admissions)
    open_now = _pipelines(tree, pipeline)
    live = phase is not Phase.past  # the pipeline can still change this year's numbers
    years = list(range(min(settings.first_year, year), year + 1))
    indexed: dict[tuple[int, str, int], list[Target]] = defaultdict(list)
    for t in targets:
        indexed[(t.organisation_id, t.metric, t.year)].append(t)

    stuck = _stuck(tree, open_cases, today, settings)
    stuck_count: dict[int, int] = defaultdict(int)
    oldest: dict[int, int] = {}
    for case in stuck:
        for org_id in tree.ancestors(case.cell_id):
            stuck_count[org_id] += 1
            oldest[org_id] = max(oldest.get(org_id, 0), case.days)

    def pipe(org_id: int, unit: str) -> dict[str, int]:
        return {str(s): open_now.get((org_id, (unit, s)), 0) for s in PIPELINE_STATES}

    rows: list[OrgRow] = []
    for org in sorted(orgs, key=tree_order):
        if org.type not in (OrgType.committee, OrgType.cell):
            continue
        everything = pipe(org.id, ALL_UNITS)
        coming = expected(everything, settings) if live else Fraction(0)
        got = admitted.get((org.id, (year, ALL_UNITS)), 0)
        checks = []
        for t in indexed[(org.id, Metric.admissions, year)]:
            unit_pipe = pipe(org.id, t.unit_kind)
            reached = admitted.get((org.id, (year, t.unit_kind)), 0)
            projection = reached + (expected(unit_pipe, settings) if live else 0)
            ripe = sum(unit_pipe[s] for s in RIPE_STATES)
            status = judge_count(t.value, reached, projection, ripe, phase, elapsed, settings)
            checks.append(CountCheck(t, reached, sum(unit_pipe.values()), projection, status))
        by_year = {}
        for y in years:
            ts = indexed.get((org.id, Metric.admissions, y))
            unit = ts[0].unit_kind if ts else ALL_UNITS
            by_year[y] = (admitted.get((org.id, (y, unit)), 0), ts[0].value if ts else None)
        rows.append(
            OrgRow(
                org=org,
                depth=org.depth,
                admitted=got,
                by_unit={k.value: admitted.get((org.id, (year, k.value)), 0) for k in UnitKind},
                pipeline=everything,
                expected=coming,
                projection=got + coming,
                checks=checks,
                stuck=stuck_count.get(org.id, 0),
                oldest_days=oldest.get(org.id),
                by_year=by_year,
            )
        )
    roots = [r for r in rows if r.org.parent_id not in {x.org.id for x in rows}]
    _relative_depth(rows)

    shares = []
    for t in (t for t in targets if t.metric == Metric.enterprise_share and t.year == year):
        org = tree.orgs.get(t.organisation_id)
        if org is not None:
            shares.append(_share(org, t, admitted, pipe, live, phase, settings))

    introduced = Introductions(tree, introductions)
    masses = sorted((o for o in orgs if o.type == OrgType.mass), key=tree_order)
    quotas = []
    for org in masses:
        ts = indexed.get((org.id, Metric.introductions, year))
        n = introduced.of(org, year)
        parent = tree.orgs.get(org.parent_id) if org.parent_id is not None else None
        status = judge_pace(ts[0].value, n, phase, elapsed) if ts else Status.no_target
        quotas.append(
            QuotaRow(org, parent.name if parent else "", ts[0] if ts else None, n, status)
        )

    history = []
    for y in years:
        intro = sum(introduced.of(o, y) for o in masses)
        history.append(_year_row(y, roots, rows, admitted, indexed, intro))
    return TargetReport(year, today, phase, elapsed, settings, rows, shares, quotas, history, stuck)


def tree_order(org: OrgNode) -> list[int]:
    """Parents before children, siblings in the order they were created (ids along the path)."""
    return [int(part) for part in org.path.strip("/").split("/") if part]


def _relative_depth(rows: list[OrgRow]) -> None:
    """Indent from the shallowest organisation shown (a cell's secretary sees depth 0)."""
    if rows:
        top = min(r.depth for r in rows)
        for row in rows:
            row.depth -= top


def _share(org, t, admitted, pipe, live, phase, settings) -> ShareRow:
    enterprise = admitted.get((org.id, (t.year, UnitKind.enterprise.value)), 0)
    total = admitted.get((org.id, (t.year, ALL_UNITS)), 0)
    exact = percent(enterprise, total)
    projected = exact
    if live:
        projected = percent(
            enterprise + expected(pipe(org.id, UnitKind.enterprise.value), settings),
            total + expected(pipe(org.id, ALL_UNITS), settings),
        )
    shown = round_half_up(exact) if exact is not None else None
    status = judge_share(t.value, exact, projected, phase)
    return ShareRow(org, t, enterprise, total, exact, shown, projected, status)


def _year_row(y, roots, rows, admitted, indexed, introductions: int) -> YearRow:
    by_unit = {
        k.value: sum(admitted.get((r.org.id, (y, k.value)), 0) for r in roots) for k in UnitKind
    }
    total = sum(admitted.get((r.org.id, (y, ALL_UNITS)), 0) for r in roots)
    share = percent(by_unit[UnitKind.enterprise.value], total)
    met = counted = 0
    for row in rows:
        for t in indexed.get((row.org.id, Metric.admissions, y), ()):
            counted += 1
            met += admitted.get((row.org.id, (y, t.unit_kind)), 0) >= t.value
    shown = round_half_up(share) if share is not None else None
    return YearRow(y, total, by_unit, shown, met, counted, introductions)


def _stuck(
    tree: _Tree, cases: Iterable[OpenCase], today: date, settings: TargetSettings
) -> list[StuckCase]:
    """Open cases longer in their state than the setting allows, the longest first."""
    out = []
    for case in cases:
        limit = settings.stuck_days.get(case.state)
        cell = tree.cells.get(case.cell_id)
        days = (today - case.since).days
        if limit is not None and cell is not None and days > limit:
            out.append(
                StuckCase(case.case_id, case.name, cell.name, cell.id, case.state, case.since, days)
            )
    out.sort(key=lambda c: (-c.days, c.case_id))
    return out
