"""The demo district's yearly targets (Kế hoạch 159-KH/HU), loaded at the end of ``hoso demo``.

The plan dates from 25/12/2023; its targets are loaded for 2020–2026 so that the report can hold
the past years against the same yardstick. The mass organisations' quotas of introductions were
first assigned by the plan, so they start in 2024. Rows are written directly, like the demo's
organisations: no history event, so that two loads stay identical.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from db.models import Organisation, Target
from db.runtime import Runtime
from workflow.states import OrgType, UnitKind
from workflow.targets import ALL_UNITS, METRIC_KIND, Metric

YEARS = range(2020, 2027)
PLAN_YEAR = 2024
PLAN = "Kế hoạch 159-KH/HU ngày 25/12/2023"
#: Introductions a mass organisation of each kind is asked for each year.
QUOTAS = {"doan": 2, "congdoan": 1}
SHARE = "Ít nhất 2% đảng viên mới là công nhân, người lao động DN ngoài Nhà nước"
SCHOOL = "Mỗi trường THPT kết nạp ít nhất 01 học sinh"
ENTERPRISE = "Mỗi doanh nghiệp ngoài Nhà nước có tổ chức đảng kết nạp ít nhất 01 đảng viên"
SOURCES = "Chỉ tiêu tạo nguồn: giới thiệu quần chúng ưu tú"


def _note(year: int, text: str) -> str:
    if year < PLAN_YEAR:
        return f"{text} ({PLAN}; áp dụng để so sánh)"
    return f"{text} ({PLAN})"


def load_targets(runtime: Runtime) -> int:
    """Add the seed's targets for every school and enterprise cell, the deciding body and every
    mass organisation; returns how many."""
    with runtime.sessions() as session:
        orgs = list(session.scalars(select(Organisation).order_by(Organisation.path)))
        rows: list[Target] = []

        def add(org: Organisation, year: int, metric: Metric, value: int | str, note: str):
            rows.append(
                Target(
                    organisation_id=org.id,
                    year=year,
                    metric=metric,
                    kind=METRIC_KIND[metric],
                    value=Decimal(value),
                    unit_kind=ALL_UNITS,
                    note=_note(year, note),
                )
            )

        for year in YEARS:
            for org in orgs:
                if org.type == OrgType.committee and org.decides_admissions:
                    add(org, year, Metric.enterprise_share, "2.00", SHARE)
                elif org.type == OrgType.cell and org.unit_kind == UnitKind.school:
                    add(org, year, Metric.admissions, 1, SCHOOL)
                elif org.type == OrgType.cell and org.unit_kind == UnitKind.enterprise:
                    add(org, year, Metric.admissions, 1, ENTERPRISE)
                elif org.type == OrgType.mass and year >= PLAN_YEAR and org.mass_kind in QUOTAS:
                    add(org, year, Metric.introductions, QUOTAS[org.mass_kind], SOURCES)
        session.add_all(rows)
        session.commit()
        return len(rows)
