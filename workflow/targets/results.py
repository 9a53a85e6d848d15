"""What the report computes: per organisation, per share target, per quota, per year, and the
stuck cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from workflow.states import OrgType, UnitKind
from workflow.targets.names import Phase, Status
from workflow.targets.rows import OrgNode, Target
from workflow.targets.settings import TargetSettings


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
    #: admitted outside hoso in the year, entered by this committee or those under it
    outside: int = 0

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
    #: of which admitted outside hoso (yearly totals entered by committees)
    outside_enterprise: int = 0
    outside_total: int = 0

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
    #: workers of non-state enterprises admitted, in hoso and outside it (the share's numerator)
    enterprise_workers: int = 0
    #: admitted outside hoso (not in ``admitted``, which counts hoso's decisions)
    outside: int = 0


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
    #: Every stuck case in scope when ``stuck`` lists only the longest (the page's report).
    stuck_total: int | None = None

    @property
    def stuck_count(self) -> int:
        """How many cases are stuck (``stuck`` may list fewer)."""
        return len(self.stuck) if self.stuck_total is None else self.stuck_total

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
