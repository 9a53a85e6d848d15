"""Importing candidates into the database, in one transaction; and the export's rows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import event, func, select

from db.models import Case, ChainHead, Event, Person
from db.read.history import verify
from db.read.importing import export_rows
from db.read.search import CaseFilters
from tests.factories import NOW
from workflow import services
from workflow.errors import NotAllowed
from workflow.importing.problems import ImportFileError
from workflow.importing.sheet import parse_sheet
from workflow.policy import has_case_list
from workflow.services.importing import import_candidates

HEADER = "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Chi bộ"


def csv_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\ufeff" + "\r\n".join((header, *lines)) + "\r\n").encode("utf-8")


def snapshot(runtime) -> tuple:
    """Everything an import that keeps nothing must leave as it was."""
    with runtime.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Person)),
            session.scalar(select(func.count()).select_from(Case)),
            session.scalar(select(func.count()).select_from(Event)),
            session.scalar(select(ChainHead.digest)),
        )


def run_import(runtime, actor, data: bytes, name: str, **options):
    """What ``hoso import`` and the upload page do: read the file, then the use case."""
    return import_candidates(runtime.uow(), actor, parse_sheet(data, name), **options)


def load(district, data: bytes, name: str = "ds.csv", user: str = "sec", **options):
    return run_import(district.runtime, district.actor(user), data, name, clock=NOW, **options)


def test_an_import_opens_cases_with_their_identify_events(district):
    cell = district.cell.name
    data = csv_file(
        f"Nguyễn Thị Ánh Tuyết;14/01/2004;nữ;068304000001;{cell}",
        f"Đặng Văn Đức;2003-12-01;Nam;;{district.cell.id}",
    )
    result = load(district, data, "Danh sách quý 4.csv")
    assert result.committed and result.imported == 2 and result.refused == 0
    with district.runtime.sessions() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert [c.person.full_name for c in cases] == ["Nguyễn Thị Ánh Tuyết", "Đặng Văn Đức"]
        assert [c.person.sex for c in cases] == ["nữ", "nam"]
        assert cases[0].person.birth_date == date(2004, 1, 14)
        assert cases[0].person.search_name == "nguyen thi anh tuyet"
        assert {(c.state, c.source, c.source_detail, c.cell_id) for c in cases} == {
            ("identified", "import_file", "Danh sách quý 4.csv", district.cell.id)
        }
        events = session.scalars(select(Event).order_by(Event.id)).all()
    assert [(e.case_id, e.action, e.username, e.role) for e in events] == [
        (cases[0].id, "identify", "sec", "secretary"),
        (cases[1].id, "identify", "sec", "secretary"),
    ]
    assert '"source_detail":"Danh sách quý 4.csv"' in events[0].data
    assert [row.case_id for row in result.rows] == [c.id for c in cases]
    assert verify(district.runtime.engine).intact


def test_an_imported_case_is_stored_as_identify_stores_one(district):
    """The import's storage shortcuts (SqlNewCases, history.append_many) write the same person,
    case and event as identify_candidate."""
    raw = {
        "full_name": "Hoàng Thị Mai",
        "birth_date": "2006-04-12",
        "sex": "nữ",
        "birth_place": "Lâm Hà",
        "hometown": "Đức Trọng",
        "ethnicity": "Kinh",
        "religion": "Không",
        "education": "12/12",
        "residence": "Liên Nghĩa",
        "occupation": "Học sinh",
        "id_number": "068306000999",
        "is_doan_member": "có",
        "cell": str(district.cell.id),
    }
    header = "full_name,birth_date,sex,birth_place,hometown,ethnicity,religion,education,"
    header += "residence,occupation,id_number,is_doan_member,cell"
    line = ",".join(raw[k] for k in header.split(","))
    imported = load(district, csv_file(line, header=header), "x.csv").rows[0].case_id
    district.fire(imported, "withdraw", reason="đối chiếu")
    typed = services.identify_candidate(
        district.runtime.uow(),
        district.actor("sec"),
        {**raw, "is_doan_member": "1", "source": "import_file", "source_detail": "x.csv"},
        clock=NOW,
    ).id

    def stored(case_id):
        with district.runtime.sessions() as session:
            case = session.get(Case, case_id)
            person = {
                k: v for k, v in vars(case.person).items() if k not in ("id", "_sa_instance_state")
            }
            kept = ("cell_id", "source", "source_detail", "opened_on", "mentor_id")
            first = session.scalars(
                select(Event).where(Event.case_id == case_id).order_by(Event.id)
            ).first()
            skip = ("id", "case_id", "prev_digest", "digest", "_sa_instance_state")
            event_row = {k: v for k, v in vars(first).items() if k not in skip}
            return person, {k: getattr(case, k) for k in kept}, event_row

    ours, theirs = stored(imported), stored(typed)
    assert ours == theirs
    assert ours[0]["is_doan_member"] is True


def test_the_chain_is_the_one_identify_after_identify_makes(tmp_path):
    """Two equal districts: one imports a file, the other identifies the same people one by one
    through the use case. Their histories end on the same digest."""
    from db.migrate import upgrade
    from db.runtime import Runtime
    from tests.factories import build_district
    from workflow.settings import Settings

    people = [
        ("Nguyễn Thị Ánh Tuyết", "2004-01-14", "nữ", "068304000001"),
        ("Đặng Văn Đức", "2003-12-01", "nam", ""),
        ("K'Brơh", "2002-02-02", "nam", "068202000003"),
    ]
    heads = []
    for name in ("imported", "identified"):
        runtime = Runtime.from_url(f"sqlite:///{tmp_path / name}.sqlite3", Settings())
        upgrade(runtime.engine)
        place = build_district(runtime)
        if name == "imported":
            lines = [f"{n};{b[8:]}/{b[5:7]}/{b[:4]};{x};{i};" for n, b, x, i in people]
            assert load(place, csv_file(*lines), "ds.csv").committed
        else:
            for full_name, born, sex, number in people:
                raw = {"full_name": full_name, "birth_date": born, "sex": sex}
                raw |= {"id_number": number, "cell": str(place.cell.id)}
                raw |= {"source": "import_file", "source_detail": "ds.csv"}
                services.identify_candidate(runtime.uow(), place.actor("sec"), raw, clock=NOW)
        report = verify(runtime.engine)
        assert report.intact and report.checked == 3
        heads.append(report.head)
        runtime.engine.dispose()
    assert heads[0] == heads[1]


def test_every_kind_of_bad_row_is_reported_and_nothing_is_imported(district):
    other = district.other_cell.name
    district.identify(full_name="Đã Có Hồ Sơ", birth_date="1999-09-09", id_number="068099000009")
    before = snapshot(district.runtime)
    data = csv_file(
        "Tốt Văn Một;01/01/2000;nam;068000000001;",  # good (the secretary's only cell)
        "Sai Ngày;31/02/2000;nam;068000000002;",
        ";02/02/2000;nam;068000000003;",
        f"Chi Bộ Lạ;03/03/2000;nam;068000000004;{other}",  # outside the secretary's scope
        "Trùng Tệp;04/04/2000;nam;068000000001;",  # same ID as row 2
        "Trùng Hồ Sơ;05/05/2000;nam;068099000009;",  # an open case in the database
        "Tương Lai;06/06/2030;nam;068000000006;",  # person_valid refuses
        "Sai Giới;07/07/2000;không;068000000007;",
    )
    result = load(district, data)
    assert not result.committed and result.imported == 0
    assert [(r.line, [p.kind for p in r.problems]) for r in result.rows if r.refused] == [
        (3, ["bad_date"]),
        (4, ["missing"]),
        (5, ["unknown_cell"]),
        (6, ["duplicate_in_file"]),
        (7, ["duplicate_open_case"]),
        (8, ["rule"]),
        (9, ["bad_value"]),
    ]
    by_line = {row.line: row for row in result.rows}
    open_case = by_line[7].problems[0]
    assert open_case.rule == "single_open_case"
    assert open_case.en.startswith("This person already has an open case. (case ")
    assert district.cell.name in open_case.en and district.cell.name in open_case.vi
    assert by_line[8].problems[0].rule == "person_valid"
    assert "06/06/2030" in by_line[8].problems[0].vi
    assert snapshot(district.runtime) == before


def test_an_open_case_outside_the_importers_scope_is_not_named(district):
    # The other cell's secretary has opened a case for the same person.
    services.identify_candidate(
        district.runtime.uow(),
        district.actor("sec_other"),
        {
            "full_name": "Lê Văn Chí",
            "birth_date": "1998-03-03",
            "cell": str(district.other_cell.id),
            "source": "cell_review",
        },
        clock=NOW,
    )
    result = load(district, csv_file("le van chi;03/03/1998;nam;;"))
    problem = result.rows[0].problems[0]
    assert problem.kind == "duplicate_open_case"
    assert problem.en == "This person already has an open case."


def test_a_closed_case_does_not_stop_a_new_one(district):
    case = district.identify(full_name="Phạm Thị Dung", birth_date="1999-04-04")
    district.fire(case.id, "withdraw", reason="chuyển trường")
    result = load(district, csv_file("Phạm Thị Dung;04/04/1999;nữ;;"))
    assert result.committed and result.imported == 1


def test_skip_bad_imports_the_good_rows_in_one_transaction(district):
    data = csv_file("Tốt Văn Một;01/01/2000;nam;;", "Sai Ngày;hôm qua;nam;;", "Tốt Thị Hai;;nữ;;")
    result = load(district, data, skip_bad=True)
    assert result.committed and (result.imported, result.refused) == (1, 2)
    with district.runtime.sessions() as session:
        assert session.scalars(select(Person.full_name).join(Case)).all() == ["Tốt Văn Một"]


def test_a_dry_run_changes_nothing(district):
    before = snapshot(district.runtime)
    result = load(district, csv_file("Tốt Văn Một;01/01/2000;nam;;"), dry_run=True)
    assert not result.committed and result.accepted == 1 and result.rows[0].case_id is None
    assert snapshot(district.runtime) == before
    assert verify(district.runtime.engine).intact


def test_case_numbers_have_no_gaps(district):
    """Ids are reserved only for the rows to come, and a dry run or a refused import (run as
    one) reserves none: PostgreSQL's sequences would not give them back."""
    first = district.identify(full_name="Trước Văn Nhập", birth_date="1990-01-01").id
    lines = [f"Người Thứ {i};01/01/2000;nam;06800000000{i};" for i in range(3)]
    assert load(district, csv_file(*lines), dry_run=True).accepted == 3
    assert not load(district, csv_file(*lines, "Sai;hôm qua;nam;;")).committed
    result = load(district, csv_file(*lines))
    assert [row.case_id for row in result.rows] == [first + 1, first + 2, first + 3]
    after = district.identify(full_name="Sau Văn Nhập", birth_date="1990-01-01").id
    assert after == first + 4


@pytest.mark.parametrize("where", ["create", "append_many"])
def test_a_failure_half_way_keeps_nothing(district, monkeypatch, where):
    """The database fails after some rows were written (or while the events are): nothing."""
    from db.repositories.history import SqlHistory
    from db.repositories.importing import SqlNewCases

    before = snapshot(district.runtime)
    owner, where = (SqlNewCases, "create") if where == "create" else (SqlHistory, "append_many")
    original, calls = getattr(owner, where), []

    def failing(self, *args):
        calls.append(args)
        if len(calls) == 3 or where == "append_many":
            raise RuntimeError("the disk is full")
        return original(self, *args)

    monkeypatch.setattr(owner, where, failing)
    lines = [f"Người Thứ {i};01/01/2000;nam;06800000000{i};" for i in range(5)]
    with pytest.raises(RuntimeError):
        load(district, csv_file(*lines))
    assert snapshot(district.runtime) == before


def test_only_a_secretary_imports_and_only_into_their_cells(district):
    data = csv_file("Tốt Văn Một;01/01/2000;nam;;")
    with pytest.raises(NotAllowed):
        load(district, data, user="com")
    with pytest.raises(NotAllowed):
        load(district, data, user="mentor")


def test_a_secretary_of_several_cells_must_name_the_cell(district):
    from db.actors import actor_by_username
    from db.models import RoleGrant, User

    with district.runtime.sessions() as session:
        user = session.scalar(select(User).where(User.username == "sec"))
        grant = RoleGrant(user_id=user.id, role="secretary", organisation_id=district.other_cell.id)
        session.add(grant)
        session.commit()
    with district.runtime.sessions() as session:
        both = actor_by_username(session, "sec")
    data = "\ufeffHọ và tên,Ngày sinh\r\nAn,01/01/2000\r\n".encode()
    with pytest.raises(ImportFileError, match="no 'Chi bộ'"):
        run_import(district.runtime, both, data, "x.csv")


def test_an_xlsx_file(district):
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "HỌ VÀ TÊN", "NGÀY SINH", "SỐ CCCD", "CHI BỘ"])
    sheet.append([1, "Vũ Thị Thu Hà", 38000, 68304000123, district.cell.name])
    buffer = io.BytesIO()
    book.save(buffer)
    result = load(district, buffer.getvalue(), "ds.xlsx")
    assert result.committed and result.sheet.ignored == ["STT"]
    with district.runtime.sessions() as session:
        person = session.scalar(select(Person).join(Case))
    assert (person.full_name, person.birth_date, person.id_number) == (
        "Vũ Thị Thu Hà",
        date(2004, 1, 14),
        "068304000123",
    )


@pytest.mark.slow
def test_ten_thousand_rows_in_one_transaction(district):
    rows = [
        f"Nguyễn Văn Thứ {i};{1 + i % 28:02d}/{1 + i % 12:02d}/{1980 + i % 25};"
        f"{'nam' if i % 2 else 'nữ'};{i:012d};{district.cell.name}"
        for i in range(10_000)
    ]
    data = csv_file(*rows)
    engine = district.runtime.engine
    commits: list[int] = []

    def count(_connection) -> None:
        commits.append(1)

    event.listen(engine, "commit", count)
    try:
        ticks: list[int] = []
        result = run_import(
            district.runtime,
            district.actor("sec"),
            data,
            "ds.csv",
            clock=NOW,
            progress=ticks.append,
        )
    finally:
        event.remove(engine, "commit", count)
    assert result.committed and result.imported == 10_000 and len(ticks) == 10_000
    assert len(commits) == 1
    with district.runtime.sessions() as session:
        identify = session.scalar(
            select(func.count()).select_from(Event).where(Event.action == "identify")
        )
        cases = session.scalar(select(func.count()).select_from(Case))
    assert (identify, cases) == (10_000, 10_000)
    report = verify(engine)
    assert report.intact and report.checked == 10_000


# --- export ---------------------------------------------------------------------------------


def test_export_rows_keep_the_lists_scope_filters_and_order(district):
    ours = [
        district.identify(full_name=f"Của Chi Bộ {i}", birth_date="2000-01-0" + str(i + 1))
        for i in range(3)
    ]
    district.fire(ours[1].id, "withdraw", reason="chuyển đi")
    services.identify_candidate(
        district.runtime.uow(),
        district.actor("sec_other"),
        {
            "full_name": "Chi Bộ Khác",
            "birth_date": "1990-01-01",
            "cell": str(district.other_cell.id),
            "source": "cell_review",
        },
        clock=NOW,
    )
    with district.runtime.sessions() as session:
        mine = list(export_rows(session, district.actor("sec"), CaseFilters()))
        everyone = list(export_rows(session, district.actor("com"), CaseFilters(sort="id")))
        open_only = list(
            export_rows(session, district.actor("sec"), CaseFilters(state="identified"))
        )
        # An admin has no case list (the export page refuses it, 403), and no rows either.
        assert not has_case_list(district.actor("adm"))
        assert list(export_rows(session, district.actor("adm"), CaseFilters())) == []
    assert [r["id"] for r in mine] == [c.id for c in reversed(ours)]
    assert {r["cell"] for r in mine} == {district.cell.name}
    assert [r["name"] for r in everyone][-1] == "Chi Bộ Khác" and len(everyone) == 4
    assert [r["id"] for r in open_only] == [ours[2].id, ours[0].id]
    assert {"sex", "id_number", "is_doan_member", "birth_date", "state"} <= set(mine[0])
