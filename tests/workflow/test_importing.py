"""Reading candidate spreadsheets: headers, dates, CSV and XLSX, bad rows, cells (no database)."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import MAC_EPOCH, from_excel

from tests.workflow.fakes import CELL_ID, OTHER_CELL_ID
from tests.workflow.fakes.importing import CELL_NAMES
from workflow.importing.cells import cell_lookup, resolve_cells
from workflow.importing.fields import HEADERS, accepted_headers, fold_header
from workflow.importing.problems import ImportFileError
from workflow.importing.sheet import parse_sheet
from workflow.importing.values import excel_serial_date

CELLS = [(CELL_ID, CELL_NAMES[CELL_ID]), (OTHER_CELL_ID, CELL_NAMES[OTHER_CELL_ID])]


def csv_bytes(*lines: str, bom: bool = True, sep: str = ",") -> bytes:
    text = "\r\n".join(line.replace("|", sep) for line in lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows: list[list], date_format: dict[int, str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for column, fmt in (date_format or {}).items():
        for cells in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cells[0].number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems(sheet) -> list[tuple[int, str, str | None]]:
    return [(row.line, p.kind, p.field) for row in sheet.rows for p in row.problems]


# --- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("ho va ten", "full_name"),
        ("Ho  va   ten ", "full_name"),
        ("full_name", "full_name"),
        ("Full name", "full_name"),
        ("Ngày sinh", "birth_date"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("ngay thang nam sinh", "birth_date"),
        ("birth_date", "birth_date"),
        ("Chi bộ", "cell"),
        ("chi bo", "cell"),
        ("Số CCCD", "id_number"),
        ("so cccd", "id_number"),
        ("Số CMND/CCCD", "id_number"),
        ("Giới tính", "sex"),
        ("Là đoàn viên", "is_doan_member"),
        ("Đoàn viên", "is_doan_member"),
        ("Quê quán", "hometown"),
        ("Nơi cư trú", "residence"),
        ("Trình độ học vấn", "education"),
        ("Dân tộc", "ethnicity"),
        ("Tôn giáo", "religion"),
        ("Nghề nghiệp", "occupation"),
        ("Nơi sinh", "birth_place"),
    ],
)
def test_headers_match_whatever_their_case_and_diacritics(header: str, field: str) -> None:
    assert HEADERS[fold_header(header)] == field
    decomposed = unicodedata.normalize("NFD", header)
    assert HEADERS[fold_header(decomposed)] == field


def test_the_documentation_lists_every_accepted_header() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    for name, headers in accepted_headers().items():
        line = next(line for line in doc.splitlines() if line.startswith(f"| `{name}` |"))
        assert all(f"`{header}`" in line for header in headers), (name, headers)


def test_source_columns_are_not_fields() -> None:
    assert fold_header("Nguồn giới thiệu") not in HEADERS
    assert fold_header("Trạng thái") not in HEADERS


# --- Excel serials ---------------------------------------------------------------------------


def test_excel_serials_are_dates_as_openpyxl_reads_them() -> None:
    assert excel_serial_date(38000) == date(2004, 1, 14)
    assert excel_serial_date(1) == date(1900, 1, 1)
    assert excel_serial_date(59) == date(1900, 2, 28)
    assert excel_serial_date(61) == date(1900, 3, 1)  # after Excel's 29/02/1900
    for serial in [*range(1, 70), *range(70, 80_000, 7), 38000.25, 38000.9999999, 45291.5]:
        assert excel_serial_date(serial) == from_excel(serial).date(), serial
        assert excel_serial_date(serial, mac_1904=True) == from_excel(serial, MAC_EPOCH).date()
    for bad in (0, -3, 3_000_000):
        with pytest.raises(ValueError):
            excel_serial_date(bad)


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("sep", [",", ";"])
def test_csv_with_or_without_bom_comma_or_semicolon(bom: bool, sep: str) -> None:
    data = csv_bytes(
        "Họ và tên|Ngày sinh|Giới tính|Chi bộ",
        "Nguyễn Thị Ánh|14/01/2004|Nữ|Chi bộ trường THPT Thử",
        "Đặng Văn Đức|2003-12-01|nam|3",
        bom=bom,
        sep=sep,
    )
    sheet = parse_sheet(data, "ds.csv")
    assert problems(sheet) == []
    assert [(r.line, r.values["full_name"], r.values["birth_date"]) for r in sheet.rows] == [
        (2, "Nguyễn Thị Ánh", date(2004, 1, 14)),
        (3, "Đặng Văn Đức", date(2003, 12, 1)),
    ]
    assert [r.values["sex"] for r in sheet.rows] == ["nữ", "nam"]
    assert sheet.rows[0].values["cell"] == "Chi bộ trường THPT Thử"


def test_vietnamese_text_is_kept_and_normalised_to_nfc() -> None:
    name = "Nguyễn Thị Hương Thảo"
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    data = csv_bytes(
        "Họ và tên|Ngày sinh|Quê quán", f'{decomposed}|01/02/2005|"Đức Trọng, Lâm Đồng"'
    )
    row = parse_sheet(data, "x.csv").rows[0]
    assert row.values["full_name"] == name
    assert unicodedata.is_normalized("NFC", row.values["full_name"])
    assert row.values["hometown"] == "Đức Trọng, Lâm Đồng"


def test_title_rows_above_the_header_and_blank_rows_are_skipped() -> None:
    data = csv_bytes(
        "DANH SÁCH QUẦN CHÚNG ƯU TÚ||",
        "||",
        "STT|Họ và tên|Ngày sinh",
        "1|Lê Văn Chí|03/03/1998",
        "||",
        "2|Phạm Thị Dung|04/04/1999",
    )
    sheet = parse_sheet(data, "x.csv")
    assert sheet.header_line == 3
    assert [r.line for r in sheet.rows] == [4, 6]
    assert sheet.ignored == ["STT"]


def test_a_thousand_blank_rows_end_the_table() -> None:
    blank = ["|"] * 1000
    data = csv_bytes("Họ và tên|Ngày sinh", "A|01/01/2000", *blank, "B|02/02/2000")
    assert [row.name for row in parse_sheet(data, "x.csv").rows] == ["A"]
    data = csv_bytes("Họ và tên|Ngày sinh", "A|01/01/2000", *blank[:999], "B|02/02/2000")
    assert [row.name for row in parse_sheet(data, "x.csv").rows] == ["A", "B"]


def test_a_csv_saved_from_excel_with_serials_as_text() -> None:
    data = csv_bytes("Họ và tên|Ngày sinh", "An|38000")
    assert parse_sheet(data, "x.csv").rows[0].values["birth_date"] == date(2004, 1, 14)


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_dates_serials_text_and_numbers() -> None:
    data = xlsx_bytes(
        [
            ["Danh sách cảm tình Đảng năm 2026"],
            [],
            ["Họ và tên", "Ngày sinh", "Số CCCD", "Là đoàn viên", "Chi bộ"],
            ["Nguyễn Văn An", datetime(2004, 1, 14), "068204000123", "x", CELL_ID],
            ["Trần Thị Bình", 38000, 68204000124, "có", "Chi bộ trường THPT Thử"],
            ["Lê Văn Chí", "15/05/1990", 12345678, "không", None],
            ["Phạm Thị Dung", 38001.0, None, True, "chi bo truong thpt thu"],
        ]
    )
    sheet = parse_sheet(data, "ds.xlsx")
    assert problems(sheet) == []
    assert sheet.header_line == 3
    assert [r.values["birth_date"] for r in sheet.rows] == [
        date(2004, 1, 14),
        date(2004, 1, 14),
        date(1990, 5, 15),
        date(2004, 1, 15),
    ]
    # A CCCD typed as a number lost its leading zero; an old 9-digit CMND too.
    assert [r.values.get("id_number") for r in sheet.rows] == [
        "068204000123",
        "068204000124",
        "012345678",
        None,
    ]
    assert [r.values["is_doan_member"] for r in sheet.rows] == [True, True, False, True]
    assert [r.line for r in sheet.rows] == [4, 5, 6, 7]


def test_xlsx_dates_formatted_as_dates_come_back_as_dates() -> None:
    data = xlsx_bytes(
        [["full_name", "birth_date"], ["Hoàng Minh Khánh", 38000]], date_format={2: "DD/MM/YYYY"}
    )
    assert parse_sheet(data, "x.xlsx").rows[0].values["birth_date"] == date(2004, 1, 14)


def test_a_sheet_with_a_wrong_used_range_is_read_to_its_end() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh"])
    for i in range(30):
        sheet.append([f"Người {i}", "01/01/2000"])
    buffer = io.BytesIO()
    book.save(buffer)
    # Rewrite the dimension tag as some programs write it.
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<dimension ref="A1:B31"/>', b'<dimension ref="A1"/>')
            target.writestr(item, content)
    assert len(parse_sheet(out.getvalue(), "x.xlsx").rows) == 30


# --- bad rows --------------------------------------------------------------------------------


def test_bad_rows_are_reported_with_their_row_numbers() -> None:
    data = csv_bytes(
        "Họ và tên|Ngày sinh|Giới tính|Là đoàn viên|Nơi cư trú",
        "Tốt Văn Một|01/01/2000|nam|có|",
        "|02/02/2000|nữ||",  # no name
        "Thiếu Ngày Sinh||nam||",
        "Sai Ngày|31/02/2001|nam||",
        "Chỉ Năm|1999|nam||",
        "Sai Giới|03/03/2000|không rõ||",
        "Sai Đoàn|04/04/2000|nam|có lẽ|",
        "Dài Quá|05/05/2000|nam||" + "x" * 301,
        "Ký\x07Tự|06/06/2000|nam||",
    )
    sheet = parse_sheet(data, "bad.csv")
    assert problems(sheet) == [
        (3, "missing", "full_name"),
        (4, "missing", "birth_date"),
        (5, "bad_date", "birth_date"),
        (6, "bad_date", "birth_date"),
        (7, "bad_value", "sex"),
        (8, "bad_value", "is_doan_member"),
        (9, "bad_value", "residence"),
        (10, "bad_value", "full_name"),
    ]
    by_line = {row.line: row for row in sheet.rows}
    assert "31/02/2001" in by_line[5].problems[0].en
    assert "dd/mm/yyyy" in by_line[5].problems[0].vi
    assert "only a year" in by_line[6].problems[0].en
    assert by_line[3].problems[0].vi == "Thiếu họ và tên."


def test_duplicates_within_the_file() -> None:
    data = csv_bytes(
        "Họ và tên|Ngày sinh|Số CCCD",
        "Nguyễn Văn An|15/05/1990|068090000001",
        "Nguyễn Văn Ân|16/05/1990|068090000001",  # the same ID number
        "Trần Thị Bình|02/02/1995|",
        "tran thi binh|02/02/1995|",  # the same name (folded) and date of birth
        "Trần Thị Bình|03/02/1995|",  # another day: someone else
        "Nguyễn Văn An|15/05/1990|",  # no ID: same name and date as row 2
    )
    sheet = parse_sheet(data, "dup.csv")
    assert problems(sheet) == [
        (3, "duplicate_in_file", "id_number"),
        (5, "duplicate_in_file", "full_name"),
        (7, "duplicate_in_file", "full_name"),
    ]
    assert sheet.rows[1].problems[0].en == (
        "The same person as row 2 of the file (the same ID number)."
    )


# --- files that cannot be read --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"", "x.csv", "empty"),
        (csv_bytes("a|b", "1|2"), "x.csv", "no header row"),
        (csv_bytes("Họ và tên|Quê quán", "An|Huế"), "x.csv", "no column for Date of birth"),
        (csv_bytes("Họ và tên|Ngày sinh|Full name", "A|01/01/2000|B"), "x.csv", "two columns"),
        (csv_bytes("Họ và tên|Ngày sinh"), "x.csv", "no candidate rows"),
        ("Ho va ten,Ngay sinh\nTr\xe2n,01/01/2000".encode("cp1258"), "x.csv", "not UTF-8"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.xls", ".xls"),
        (b"PK\x03\x04garbage", "x.xlsx", "not a readable XLSX"),
    ],
)
def test_files_that_cannot_be_imported_say_why(data: bytes, name: str, says: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        parse_sheet(data, name)
    assert says in refused.value.en
    assert refused.value.vi


def test_too_many_rows() -> None:
    data = csv_bytes("Họ và tên|Ngày sinh", *(f"Người {i}|01/01/2000" for i in range(11)))
    assert len(parse_sheet(data, "x.csv", max_rows=11).rows) == 11
    with pytest.raises(ImportFileError, match="more than 10 rows"):
        parse_sheet(data, "x.csv", max_rows=10)


# --- cells -----------------------------------------------------------------------------------


def test_cells_by_id_name_or_name_without_chi_bo() -> None:
    data = csv_bytes(
        "Họ và tên|Ngày sinh|Chi bộ",
        f"A|01/01/2000|{CELL_ID}",
        "B|01/01/2000|CHI BO TRUONG THPT THU",
        "C|01/01/2000|Công ty Thử",
        "D|01/01/2000|Chi bộ khác",
        "E|01/01/2000|99",
        "F|01/01/2000|",
    )
    sheet = parse_sheet(data, "x.csv")
    resolve_cells(sheet, cell_lookup(CELLS))
    assert [row.values.get("cell") for row in sheet.rows] == [
        CELL_ID,
        CELL_ID,
        OTHER_CELL_ID,
        None,
        None,
        None,
    ]
    assert problems(sheet) == [
        (5, "unknown_cell", "cell"),
        (6, "unknown_cell", "cell"),
        (7, "missing", "cell"),
    ]


def test_a_row_without_a_cell_takes_the_importers_only_cell() -> None:
    sheet = parse_sheet(csv_bytes("Họ và tên|Ngày sinh", "A|01/01/2000"), "x.csv")
    resolve_cells(sheet, cell_lookup(CELLS[:1]), default=CELL_ID)
    assert sheet.rows[0].values["cell"] == CELL_ID


def test_two_cells_of_the_same_name_must_be_named_by_id() -> None:
    lookup = cell_lookup([(3, "Chi bộ Thôn 1"), (4, "Chi bộ thôn 1")])
    sheet = parse_sheet(csv_bytes("Họ và tên|Ngày sinh|Chi bộ", "A|01/01/2000|Thôn 1"), "x.csv")
    resolve_cells(sheet, lookup)
    assert "give the cell's id" in sheet.rows[0].problems[0].en
