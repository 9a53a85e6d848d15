"""The demo district's enterprises (issue 6, "Thứ ba"), loaded at the end of ``hoso demo``.

The seed's three non-state enterprises with a party cell are linked to their cells; five more of
Đức Trọng have none (most in the Phú Hội industrial zone): where the 2% target can grow. Rows are
written directly, like the demo's targets: no history event, so that the demo's chain of events
stays as it is and two loads stay identical. The tax codes are made up.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db.models import Enterprise, Organisation
from db.runtime import Runtime

DISTRICT = "Đảng bộ huyện Đức Trọng"
KCN = "Khu công nghiệp Phú Hội, huyện Đức Trọng"

#: (name, tax code, address, workforce, cell name, Đoàn, Công đoàn, survey, survey date, plan)
ENTERPRISES = (
    (
        "Công ty TNHH Đồng Thúy (Lado Taxi)",
        "5800000101",
        "Thị trấn Liên Nghĩa, huyện Đức Trọng",
        420,
        "Chi bộ Công ty TNHH Đồng Thúy",
        False,
        True,
        "plan_agreed",
        date(2024, 1, 15),
        "Công đoàn giới thiệu lái xe, nhân viên tổng đài ưu tú; "
        "mỗi năm kết nạp ít nhất 01 đảng viên.",
    ),
    (
        "Công ty Cổ phần May mặc Phú Hội",
        "5800000102",
        KCN,
        650,
        "Chi bộ Công ty Cổ phần May mặc Phú Hội",
        True,
        True,
        "plan_agreed",
        date(2024, 1, 18),
        "Đoàn Thanh niên và Công đoàn cùng giới thiệu công nhân trẻ; "
        "tổ trưởng sản xuất là nguồn chính.",
    ),
    (
        "Công ty TNHH Nông sản Hiệp Thạnh",
        "5800000103",
        "Xã Hiệp Thạnh, huyện Đức Trọng",
        150,
        "Chi bộ Công ty TNHH Nông sản Hiệp Thạnh",
        False,
        True,
        "surveyed",
        date(2024, 2, 2),
        "Chưa có quần chúng trong diện; Công đoàn rà soát lại công nhân lâu năm.",
    ),
    (
        "Công ty TNHH Dệt Phú Hội Xanh",
        "5800000201",
        KCN,
        380,
        None,
        True,
        True,
        "plan_agreed",
        date(2026, 3, 12),
        "Phối hợp Đảng ủy xã Phú Hội: Đoàn cơ sở giới thiệu 03 công nhân trẻ dự lớp nhận thức "
        "về Đảng trong năm 2026; hướng tới thành lập chi bộ khi đủ 03 đảng viên.",
    ),
    (
        "Công ty Cổ phần Chế biến Rau quả Liên Nghĩa",
        "5800000202",
        KCN,
        210,
        None,
        False,
        True,
        "surveyed",
        date(2026, 5, 20),
        "Có 01 đảng viên sinh hoạt tại nơi cư trú; vận động chủ doanh nghiệp đồng ý thành lập "
        "chi bộ ghép.",
    ),
    (
        "Công ty TNHH Cà phê Ninh Gia",
        "5800000203",
        "Xã Ninh Gia, huyện Đức Trọng",
        140,
        None,
        False,
        False,
        "surveyed",
        date(2026, 6, 8),
        None,
    ),
    (
        "Công ty TNHH Hoa Tân Hội",
        "5800000204",
        "Xã Tân Hội, huyện Đức Trọng",
        95,
        None,
        False,
        False,
        "not_surveyed",
        None,
        None,
    ),
    (
        "Công ty TNHH Gạch ngói N'Thol Hạ",
        None,
        "Xã N'Thol Hạ, huyện Đức Trọng",
        60,
        None,
        False,
        False,
        "not_surveyed",
        None,
        None,
    ),
)


def load_enterprises(runtime: Runtime) -> int:
    """Add the district's enterprises; returns how many."""
    with runtime.sessions() as session:
        ids = dict(session.execute(select(Organisation.name, Organisation.id)).all())
        for name, tax, address, workforce, cell, doan, congdoan, status, on, plan in ENTERPRISES:
            session.add(
                Enterprise(
                    name=name,
                    tax_code=tax,
                    address=address,
                    workforce=workforce,
                    cell_id=ids[cell] if cell else None,
                    has_doan=doan,
                    has_congdoan=congdoan,
                    committee_id=ids[DISTRICT],
                    survey_status=status,
                    surveyed_on=on,
                    plan=plan,
                )
            )
        session.commit()
    return len(ENTERPRISES)
