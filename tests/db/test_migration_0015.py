"""Migration 0015 on data: free-text education becomes a level (unknown text NULL), and members
recognised through hoso are official from the end of probation, not the decision's date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from db.migrate import upgrade
from db.session import make_engine

EDUCATION = {
    "12/12": "upper_secondary",
    "THPT": "upper_secondary",
    "Đại học sư phạm": "university",
    "Đang học lớp 12 (THPT)": "lower_secondary",
    "Tốt nghiệp THCS": "lower_secondary",
    "giỏi toàn diện": None,  # names no level: NULL, the rule then asks for it
}


def test_education_and_official_dates_are_migrated(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0014")
        with engine.begin() as conn:
            for i, education in enumerate(EDUCATION, start=1):
                conn.execute(
                    text(
                        "INSERT INTO people (id, full_name, search_name, is_doan_member, "
                        "education) VALUES (:id, :name, :name, false, :education)"
                    ),
                    {"id": i, "name": f"Người {i}", "education": education},
                )
            conn.execute(
                text(
                    "INSERT INTO organisations (id, path, name, type, unit_kind, "
                    "decides_admissions, committee_size, has_doan) "
                    "VALUES (1, '/1/', 'Chi bộ', 'cell', 'school', false, 0, true)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO members (id, person_id, cell_id, status, admitted_on, excused, "
                    "official_since) VALUES (1, 1, 1, 'official', '2024-05-20', false, "
                    "'2025-06-20'), (2, 2, 1, 'official', '2010-01-01', false, '2011-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO cases (id, person_id, cell_id, state, version, source, "
                    "opened_on, ceremony_on, member_id) VALUES (1, 1, 1, 'official', 1, "
                    "'cell_review', '2024-01-05', '2024-06-01', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO votes (id, case_id, body, held_on, votes_for, votes_against, "
                    "eligible) VALUES (1, 1, 'recognition', '2025-06-10', 6, 0, 6)"
                )
            )
        upgrade(engine)
        with engine.connect() as conn:
            levels = dict(conn.execute(text("SELECT full_name, education FROM people")).all())
            since = dict(conn.execute(text("SELECT id, official_since FROM members")).all())
            vote = conn.execute(
                text("SELECT official_members, excused_absent, present FROM votes")
            ).one()
        assert levels == {f"Người {i}": level for i, level in enumerate(EDUCATION.values(), 1)}
        # Ceremony 01/06/2024: official from 01/06/2025; a member without a case keeps their date.
        assert str(since[1]) == str(date(2025, 6, 1)) and str(since[2]) == str(date(2011, 1, 1))
        assert tuple(vote) == (6, 0, None)
    finally:
        engine.dispose()
