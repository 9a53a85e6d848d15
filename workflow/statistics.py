"""The yearly statistics of new members reported upward: pure computation over plain rows.

Each level reports, each year, who it admitted: by category (học sinh, công nhân...), sex,
ethnicity, religion, age band at admission and education, and per organisation of its tree.
Storage hands over the people admitted in the year (one row each, as recorded: a value never
recorded stays ``None`` and is counted as "not recorded", never guessed) and the yearly totals
that committees entered for admissions outside hoso. Those totals are included where they carry
the breakdown (the enterprise workers, and the categories when entered) and shown apart where
they do not (sex, ethnicity...). docs/statistics.md explains the tables.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from workflow.education import EDUCATION_LABELS, LEVELS
from workflow.people import NOT_RECORDED, NOT_RECORDED_LABELS, Category, category_label
from workflow.states import OrgType
from workflow.targets.rows import OrgNode, OutsideTotal, tree_order

#: The breakdowns, in the order the report shows them.
DIMENSIONS = ("category", "sex", "ethnicity", "religion", "age_band", "education")
#: The default upper bounds of the age bands (≤ 30, 31–40, 41–50, > 50): ``[targets] age_bands``.
DEFAULT_AGE_BANDS: tuple[int, ...] = (30, 40, 50)
_WORKER = Category.enterprise_worker.value
#: The education levels (``workflow.education``: ``people.education`` holds one since migration
#: 0015), lowest first, and their labels (vi, en): the report lists every level in this order;
#: a value that is no level (none should be) follows by count, as written.
EDUCATION_VALUES: tuple[str, ...] = tuple(level.value for level in LEVELS)
EDUCATION_NAMES: dict[str, tuple[str, str]] = {
    level.value: labels for level, labels in EDUCATION_LABELS.items()
}


@dataclass(frozen=True)
class AdmittedPerson:
    """One person admitted in the year (an admission decision signed that year), as recorded."""

    cell_id: int
    admitted_on: date
    category: str | None = None
    sex: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    education: str | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class Line:
    """One value of a breakdown and how many were admitted with it."""

    key: str
    count: int


@dataclass
class Breakdown:
    """One dimension: its lines (hoso's admissions, and outside ones where their breakdown is
    known), and the outside admissions whose breakdown is unknown, shown apart."""

    dimension: str
    lines: list[Line]
    outside_included: int = 0
    outside_apart: int = 0

    @property
    def counted(self) -> int:
        return sum(line.count for line in self.lines)


@dataclass
class OrgStats:
    """One committee or cell: its admissions in hoso (its subtree's), by category and sex, and
    the outside admissions entered by it or the committees under it."""

    org: OrgNode
    depth: int
    admitted: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    women: int = 0
    outside: int = 0
    outside_workers: int = 0


@dataclass
class StatisticsReport:
    """Everything the page, the workbook and ``hoso report statistics`` show."""

    year: int
    age_bands: tuple[int, ...]
    admitted: int  # in hoso
    outside: int  # entered as totals
    breakdowns: dict[str, Breakdown]
    organisations: list[OrgStats]
    outside_entries: list[OutsideTotal]

    @property
    def total(self) -> int:
        return self.admitted + self.outside


def age_on(born: date, on: date) -> int:
    """Full years of age on `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def band_keys(bounds: Sequence[int]) -> list[str]:
    """The bands' keys: ``0-30``, ``31-40``, ``41-50``, ``51+`` for (30, 40, 50)."""
    keys, low = [], 0
    for high in bounds:
        keys.append(f"{low}-{high}")
        low = high + 1
    keys.append(f"{low}+")
    return keys


def band_of(age: int, bounds: Sequence[int]) -> str:
    """The band of `age` (an upper bound belongs to its band: 30 is in ``0-30``)."""
    keys = band_keys(bounds)
    for key, high in zip(keys, bounds, strict=False):
        if age <= high:
            return key
    return keys[-1]


def band_label(key: str) -> str:
    """``0-30`` → ``≤ 30``, ``51+`` → ``> 50``, ``31-40`` → ``31–40``."""
    if key == NOT_RECORDED:
        return key
    if key.endswith("+"):
        return f"> {int(key[:-1]) - 1}"
    low, high = key.split("-")
    return f"≤ {high}" if low == "0" else f"{low}–{high}"


def _value(person: AdmittedPerson, dimension: str, bounds: Sequence[int]) -> str:
    if dimension == "age_band":
        if person.birth_date is None:
            return NOT_RECORDED
        return band_of(age_on(person.birth_date, person.admitted_on), bounds)
    raw = getattr(person, dimension)
    text = raw.strip() if isinstance(raw, str) else raw
    return str(text) if text else NOT_RECORDED


def _ordered(counts: Counter, order: Sequence[str] | None) -> list[Line]:
    """Known values in `order` (all of them, zeros too), others by count then name; "not
    recorded" last."""
    rest = {k: n for k, n in counts.items() if k != NOT_RECORDED}
    lines = [Line(k, rest.pop(k, 0)) for k in order] if order else []
    lines += [Line(k, n) for k, n in sorted(rest.items(), key=lambda kv: (-kv[1], kv[0]))]
    if counts.get(NOT_RECORDED):
        lines.append(Line(NOT_RECORDED, counts[NOT_RECORDED]))
    return lines


def _orders(bounds: Sequence[int], education: Sequence[str] | None) -> dict[str, list[str]]:
    return {
        "category": [c.value for c in Category],
        "sex": ["nam", "nữ"],
        "age_band": band_keys(bounds),
        "education": list(education or ()),
    }


def build_statistics(
    year: int,
    orgs: Sequence[OrgNode],
    people: Iterable[AdmittedPerson],
    outside: Iterable[OutsideTotal],
    age_bands: Sequence[int] = DEFAULT_AGE_BANDS,
    education_order: Sequence[str] | None = EDUCATION_VALUES,
) -> StatisticsReport:
    """The statistics of `year` over `orgs` (the reader's scope, with every organisation on the
    paths of its cells). `people` and `outside` outside `orgs` are ignored."""
    nodes = {o.id: o for o in orgs}
    admitted = [p for p in people if p.cell_id in nodes and p.admitted_on.year == year]
    entries = [o for o in outside if o.organisation_id in nodes and o.year == year]
    bounds = tuple(age_bands)
    orders = _orders(bounds, education_order)

    breakdowns: dict[str, Breakdown] = {}
    outside_total = sum(o.total for o in entries)
    for dimension in DIMENSIONS:
        counts = Counter(_value(p, dimension, bounds) for p in admitted)
        included = 0
        if dimension == "category":
            for entry in entries:
                split = entry.by_category or {_WORKER: entry.enterprise_workers}
                for key, n in split.items():
                    counts[key] += n
                    included += n
        breakdowns[dimension] = Breakdown(
            dimension,
            _ordered(counts, orders.get(dimension)),
            outside_included=included,
            outside_apart=outside_total - included,
        )
    return StatisticsReport(
        year,
        bounds,
        len(admitted),
        outside_total,
        breakdowns,
        _per_organisation(nodes, admitted, entries),
        sorted(entries, key=lambda e: tree_order(nodes[e.organisation_id])),
    )


def _ancestors(node: OrgNode) -> list[int]:
    return [int(part) for part in node.path.strip("/").split("/") if part]


def _per_organisation(
    nodes: dict[int, OrgNode], admitted: list[AdmittedPerson], entries: list[OutsideTotal]
) -> list[OrgStats]:
    """Every committee and cell of the tree with its subtree's numbers."""
    rows = {
        o.id: OrgStats(o, o.depth, by_category=defaultdict(int))
        for o in nodes.values()
        if o.type in (OrgType.committee, OrgType.cell)
    }
    for person in admitted:
        for org_id in _ancestors(nodes[person.cell_id]):
            row = rows.get(org_id)
            if row is not None:
                row.admitted += 1
                row.by_category[person.category or NOT_RECORDED] += 1
                row.women += person.sex == "nữ"
    for entry in entries:
        for org_id in _ancestors(nodes[entry.organisation_id]):
            row = rows.get(org_id)
            if row is not None:
                row.outside += entry.total
                row.outside_workers += entry.enterprise_workers
    ordered = sorted(rows.values(), key=lambda r: tree_order(r.org))
    top = min((r.depth for r in ordered), default=0)
    for row in ordered:
        row.depth -= top
        row.by_category = dict(row.by_category)
    return ordered


_SEX_LABELS = {"nam": ("Nam", "Male"), "nữ": ("Nữ", "Female")}
DIMENSION_LABELS: dict[str, tuple[str, str]] = {
    "category": ("Đối tượng", "Category"),
    "sex": ("Giới tính", "Sex"),
    "ethnicity": ("Dân tộc", "Ethnicity"),
    "religion": ("Tôn giáo", "Religion"),
    "age_band": ("Độ tuổi khi kết nạp", "Age at admission"),
    "education": ("Trình độ học vấn", "Education"),
}


def value_label(dimension: str, key: str, lang: str = "vi") -> str:
    """How a line of a breakdown is named in `lang` ("vi" or "en")."""
    i = 0 if lang == "vi" else 1
    if key == NOT_RECORDED:
        return NOT_RECORDED_LABELS[i]
    if dimension == "category":
        return category_label(key, lang)
    if dimension == "sex" and key in _SEX_LABELS:
        return _SEX_LABELS[key][i]
    if dimension == "age_band":
        return band_label(key)
    if dimension == "education" and key in EDUCATION_NAMES:
        return EDUCATION_NAMES[key][i]
    return key
