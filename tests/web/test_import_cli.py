"""``hoso import``: the command line's import, with its report and exit codes."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import select

from db.models import Person
from tests.web.transfer_support import (
    CVA,
    GOOD,
    MIXED,
    SECRETARY,
    imported_people,
    snapshot,
)
from web.cli import cli

# --- hoso import ----------------------------------------------------------------------------


@pytest.fixture
def hoso(demo_runtime, tmp_path):
    """Run ``hoso`` on the demo database."""

    def run(*args):
        env = {
            "HOSO_DATABASE_URL": demo_runtime.engine.url.render_as_string(hide_password=False),
            "HOSO_INSTANCE": str(tmp_path / "instance"),
            "HOSO_LANG": "en",  # these tests read the English report (test_language.py: vi)
        }
        return CliRunner().invoke(cli, [str(a) for a in args], env=env)

    return run


def write(tmp_path, data: bytes, name: str = "danh_sach.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_cli_import(hoso, tmp_path, demo_runtime):
    path = write(tmp_path, GOOD)
    result = hoso("import", path, "--as", SECRETARY)
    assert result.exit_code == 0, result.output
    assert "imported 2 candidate(s) from danh_sach.csv" in result.output
    assert "Importing" not in result.output  # no progress bar without a terminal
    assert imported_people(demo_runtime) == [
        ("Nguyễn Thị Ánh Tuyết", "import_file", "danh_sach.csv"),
        ("Đặng Văn Đức", "import_file", "danh_sach.csv"),
    ]


def test_cli_progress_bar_on_a_terminal(hoso, tmp_path, monkeypatch):
    import web.cli.importing

    monkeypatch.setattr(web.cli.importing, "_terminal", lambda: True)
    result = hoso("import", write(tmp_path, GOOD), "--as", SECRETARY)
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr  # click draws the bar itself only on a real terminal
    assert "Importing" not in result.stdout


def test_cli_refused_rows_are_a_table_and_nothing_is_imported(hoso, tmp_path, demo_runtime):
    before = snapshot(demo_runtime)
    path = write(tmp_path, MIXED)
    result = hoso("import", path, "--as", SECRETARY)
    assert result.exit_code == 7
    lines = result.output.splitlines()
    assert lines[0].split() == ["row", "name", "field", "problem"]
    assert any(line.startswith("3 ") and "31/02/2007" in line for line in lines)
    assert any(line.startswith("4 ") and "row 2 of the file" in line for line in lines)
    assert "nothing imported from danh_sach.csv: 2 of 3 row(s) refused" in result.output
    assert snapshot(demo_runtime) == before


def test_cli_dry_run_and_json(hoso, tmp_path, demo_runtime):
    before = snapshot(demo_runtime)
    good = hoso("import", write(tmp_path, GOOD), "--as", SECRETARY, "--dry-run")
    assert good.exit_code == 0 and "nothing was stored" in good.output
    bad = hoso("import", write(tmp_path, MIXED), "--as", SECRETARY, "--dry-run", "--json")
    assert bad.exit_code == 7
    report = json.loads(bad.stdout)
    assert (report["dry_run"], report["committed"], report["accepted"], report["refused"]) == (
        True,
        False,
        1,
        2,
    )
    assert [r["status"] for r in report["results"]] == ["ok", "refused", "refused"]
    assert report["results"][1]["problems"][0]["kind"] == "bad_date"
    assert report["results"][1]["problems"][0]["message_vi"]
    assert snapshot(demo_runtime) == before


def test_cli_skip_bad(hoso, tmp_path, demo_runtime):
    result = hoso("import", write(tmp_path, MIXED), "--as", SECRETARY, "--skip-bad", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["committed"], report["imported"], report["refused"]) == (True, 1, 2)
    assert [name for name, *_ in imported_people(demo_runtime)] == ["Nguyễn Thị Ánh Tuyết"]


def test_cli_refusals_of_the_whole_command(hoso, tmp_path):
    path = write(tmp_path, GOOD)
    assert hoso("import", path, "--as", "nobody").exit_code == 2
    not_secretary = hoso("import", path, "--as", "bantochuc")
    assert not_secretary.exit_code == 3 and "secretary" in not_secretary.output
    unreadable = hoso("import", write(tmp_path, b"a,b\n1,2\n", "x.csv"), "--as", SECRETARY)
    assert unreadable.exit_code == 2 and "no header row" in unreadable.output
    assert hoso("import", tmp_path / "missing.csv", "--as", SECRETARY).exit_code == 2


def test_cli_reads_xlsx_with_excel_serials(hoso, tmp_path, demo_runtime):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Chi bộ"])
    sheet.append(["Vũ Thị Thu Hà", 39000, CVA])
    buffer = io.BytesIO()
    book.save(buffer)
    result = hoso("import", write(tmp_path, buffer.getvalue(), "ds.xlsx"), "--as", SECRETARY)
    assert result.exit_code == 0, result.output
    with demo_runtime.sessions() as session:
        born = session.scalar(select(Person.birth_date).where(Person.full_name == "Vũ Thị Thu Hà"))
    assert born == date(2006, 10, 10)
