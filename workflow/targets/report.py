"""Building the report: the cells' counts rolled up over the tree, the projections, the
verdicts, the past years and the stuck cases, from the rows storage hands over."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from workflow.people import NOT_RECORDED, Category
from workflow.policy import Purpose, Scope
from workflow.states import OrgType, UnitKind
from workflow.targets.names import (
    ALL_CATEGORIES,
    ALL_UNITS,
    PIPELINE_STATES,
    RIPE_STATES,
    Metric,
    Phase,
    Status,
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


class _Tree:
    """Cells rolled up into every ancestor through their paths."""

    def __init__(self, orgs: Sequence[OrgNode]):
        self.orgs = {o.id: o for o in orgs}
        self.cells = {o.id: o for o in orgs if o.type == OrgType.cell}
        self._ancestors: dict[int, list[int]] = {}

    def ancestors(self, cell_id: int) -> list[int]:
        """The cell (or committee) and every organisation above it (by its path)."""
        found = self._ancestors.get(cell_id)
        if found is None:
            org = self.orgs.get(cell_id)
            found = [int(p) for p in org.path.strip("/").split("/")] if org else []
            self._ancestors[cell_id] = found
        return found

    def roll_up(self, rows: Iterable[tuple[int, Any, int]]) -> dict[tuple[int, Any], int]:
        """``(cell_id, key, n)`` rows summed per ``(organisation_id, key)`` over the tree."""
        out: dict[tuple[int, Any], int] = defaultdict(int)
        for cell_id, key, n in rows:
            for org_id in self.ancestors(cell_id):
                out[(org_id, key)] += n
        return out


def _keys(unit: str, category: str | None) -> list[tuple[str, str]]:
    """The (unit kind, category) pairs one count adds to: its own, and "all" of each."""
    cat = category or NOT_RECORDED
    return [(unit, cat), (unit, ALL_CATEGORIES), (ALL_UNITS, cat), (ALL_UNITS, ALL_CATEGORIES)]


def _by_year_unit(tree: _Tree, admissions: Iterable[CellYearCount]) -> dict:
    """``(org_id, (year, unit_kind, category))`` → admitted; "all" of each included."""
    rows = []
    for a in admissions:
        cell = tree.cells.get(a.cell_id)
        if cell is None:
            continue
        for unit, cat in _keys(cell.unit_kind, a.category):
            rows.append((a.cell_id, (a.year, unit, cat), a.count))
    return tree.roll_up(rows)


def _pipelines(tree: _Tree, pipeline: Iterable[CellStateCount]) -> dict:
    """``(org_id, (unit_kind, category, state))`` → open cases; "all" of each included."""
    rows = []
    for p in pipeline:
        cell = tree.cells.get(p.cell_id)
        if cell is None or p.state not in PIPELINE_STATES:
            continue
        for unit, cat in _keys(cell.unit_kind, p.category):
            rows.append((p.cell_id, (unit, cat, p.state), p.count))
    return tree.roll_up(rows)


def _outside(tree: _Tree, outside: Iterable[OutsideTotal]) -> dict:
    """``(org_id, (year, what))`` → admitted outside hoso, ``what`` "all" or the enterprise
    workers, rolled up from the committee that entered them."""
    rows = []
    for o in outside:
        if o.organisation_id in tree.orgs:
            rows.append((o.organisation_id, (o.year, ALL_CATEGORIES), o.total))
            rows.append((o.organisation_id, (o.year, Category.enterprise_worker.value),
                         o.enterprise_workers))  # fmt: skip
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
        # The party organisation it is attached to, as a scope: the one subtree rule.
        area = Scope(Purpose.reports, (parent.path if parent is not None else mass.path,))
        return sum(n for path, n in self.by_name.get((year, mass.name), ()) if area.covers(path))


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
    outside: Sequence[OutsideTotal] = (),
    stuck_counts: Mapping[int, tuple[int, int]] | None = None,
) -> TargetReport:
    """The report of `year` as seen on `today`, over `orgs` (the reader's scope).

    `orgs` must hold every organisation on the paths of the cells it holds (so that the roll-up
    finds them); `targets` may span several years (the comparison uses them). `outside` are
    the admissions decided outside hoso (yearly totals per committee): they count in the
    enterprise share and the yearly totals, never in a cell's or a category's count.
    With `stuck_counts` (per cell: its stuck cases and the longest in days, counted by the
    database), `open_cases` are only the longest stuck cases to list.
    """
    tree = _Tree(orgs)
    phase = phase_of(year, today)
    elapsed = year_elapsed(year, today)
    admitted = _by_year_unit(tree, admissions)
    open_now = _pipelines(tree, pipeline)
    elsewhere = _outside(tree, outside)
    live = phase is not Phase.past  # the pipeline can still change this year's numbers
    years = list(range(min(settings.first_year, year), year + 1))
    indexed: dict[tuple[int, str, int], list[Target]] = defaultdict(list)
    for t in targets:
        indexed[(t.organisation_id, t.metric, t.year)].append(t)

    stuck = _stuck(tree, open_cases, today, settings)
    stuck_count: dict[int, int] = defaultdict(int)
    oldest: dict[int, int] = {}
    per_cell = stuck_counts
    if per_cell is None:
        per_cell = defaultdict(lambda: (0, 0))
        for case in stuck:
            n, days = per_cell[case.cell_id]
            per_cell[case.cell_id] = (n + 1, max(days, case.days))
    per_cell = {cell: found for cell, found in per_cell.items() if cell in tree.cells}
    for cell_id, (n, days) in per_cell.items():
        for org_id in tree.ancestors(cell_id):
            stuck_count[org_id] += n
            oldest[org_id] = max(oldest.get(org_id, 0), days)

    def pipe(org_id: int, unit: str, cat: str = ALL_CATEGORIES) -> dict[str, int]:
        return {str(s): open_now.get((org_id, (unit, cat, s)), 0) for s in PIPELINE_STATES}

    def got_in(org_id: int, y: int, unit: str = ALL_UNITS, cat: str = ALL_CATEGORIES) -> int:
        return admitted.get((org_id, (y, unit, cat)), 0)

    rows: list[OrgRow] = []
    for org in sorted(orgs, key=tree_order):
        if org.type not in (OrgType.committee, OrgType.cell):
            continue
        everything = pipe(org.id, ALL_UNITS)
        coming = expected(everything, settings) if live else Fraction(0)
        got = got_in(org.id, year)
        checks = []
        for t in indexed[(org.id, Metric.admissions, year)]:
            # A target of one category counts only those people (a teacher is no student).
            unit_pipe = pipe(org.id, t.unit_kind, t.category)
            reached = got_in(org.id, year, t.unit_kind, t.category)
            projection = reached + (expected(unit_pipe, settings) if live else 0)
            ripe = sum(unit_pipe[s] for s in RIPE_STATES)
            status = judge_count(t.value, reached, projection, ripe, phase, elapsed, settings)
            checks.append(CountCheck(t, reached, sum(unit_pipe.values()), projection, status))
        by_year = {}
        for y in years:
            ts = indexed.get((org.id, Metric.admissions, y))
            unit = ts[0].unit_kind if ts else ALL_UNITS
            cat = ts[0].category if ts else ALL_CATEGORIES
            by_year[y] = (got_in(org.id, y, unit, cat), ts[0].value if ts else None)
        rows.append(
            OrgRow(
                org=org,
                depth=org.depth,
                admitted=got,
                by_unit={k.value: got_in(org.id, year, k.value) for k in UnitKind},
                pipeline=everything,
                expected=coming,
                projection=got + coming,
                checks=checks,
                stuck=stuck_count.get(org.id, 0),
                oldest_days=oldest.get(org.id),
                by_year=by_year,
                outside=elsewhere.get((org.id, (year, ALL_CATEGORIES)), 0),
            )
        )
    roots = [r for r in rows if r.org.parent_id not in {x.org.id for x in rows}]
    _relative_depth(rows)

    shares = []
    for t in (t for t in targets if t.metric == Metric.enterprise_share and t.year == year):
        org = tree.orgs.get(t.organisation_id)
        if org is not None:
            shares.append(_share(org, t, admitted, elsewhere, pipe, live, phase, settings))

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
        history.append(_year_row(y, roots, rows, admitted, elsewhere, indexed, intro))
    total = None if stuck_counts is None else sum(n for n, _days in per_cell.values())
    return TargetReport(
        year, today, phase, elapsed, settings, rows, shares, quotas, history, stuck, total
    )


def _relative_depth(rows: list[OrgRow]) -> None:
    """Indent from the shallowest organisation shown (a cell's secretary sees depth 0)."""
    if rows:
        top = min(r.depth for r in rows)
        for row in rows:
            row.depth -= top


_WORKER = Category.enterprise_worker.value


def _share(org, t, admitted, elsewhere, pipe, live, phase, settings) -> ShareRow:
    """Enterprise workers admitted (in hoso and outside it) ÷ all admitted (both), exactly."""
    in_hoso = admitted.get((org.id, (t.year, ALL_UNITS, _WORKER)), 0)
    all_in_hoso = admitted.get((org.id, (t.year, ALL_UNITS, ALL_CATEGORIES)), 0)
    out_workers = elsewhere.get((org.id, (t.year, _WORKER)), 0)
    out_total = elsewhere.get((org.id, (t.year, ALL_CATEGORIES)), 0)
    enterprise, total = in_hoso + out_workers, all_in_hoso + out_total
    exact = percent(enterprise, total)
    projected = exact
    if live:
        projected = percent(
            enterprise + expected(pipe(org.id, ALL_UNITS, _WORKER), settings),
            total + expected(pipe(org.id, ALL_UNITS), settings),
        )
    shown = round_half_up(exact) if exact is not None else None
    status = judge_share(t.value, exact, projected, phase)
    return ShareRow(
        org, t, enterprise, total, exact, shown, projected, status, out_workers, out_total
    )


def _year_row(y, roots, rows, admitted, elsewhere, indexed, introductions: int) -> YearRow:
    def over_roots(table: dict, key: tuple) -> int:
        return sum(table.get((r.org.id, key), 0) for r in roots)

    by_unit = {k.value: over_roots(admitted, (y, k.value, ALL_CATEGORIES)) for k in UnitKind}
    outside = over_roots(elsewhere, (y, ALL_CATEGORIES))
    workers = over_roots(admitted, (y, ALL_UNITS, _WORKER)) + over_roots(elsewhere, (y, _WORKER))
    total = over_roots(admitted, (y, ALL_UNITS, ALL_CATEGORIES))
    share = percent(workers, total + outside)
    met = counted = 0
    for row in rows:
        for t in indexed.get((row.org.id, Metric.admissions, y), ()):
            counted += 1
            met += admitted.get((row.org.id, (y, t.unit_kind, t.category)), 0) >= t.value
    shown = round_half_up(share) if share is not None else None
    return YearRow(y, total, by_unit, shown, met, counted, introductions, workers, outside)


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
