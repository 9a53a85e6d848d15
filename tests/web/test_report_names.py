"""Names in reports follow the case scope (issue 11): the demo admin's report pages and exports
name no candidate; a secretary's name only their own cell's."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

REPORTS = (
    "/reports/targets",
    "/reports/targets.xlsx",
    "/reports/targets.csv",
    "/reports/statistics",
    "/reports/statistics.xlsx",
)
CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"


def _names(demo_runtime, inside: bool | None = None) -> set[str]:
    """The candidates' names (of Chu Văn An's cell only, of the others only, or all)."""
    query = """
        SELECT p.full_name, o.name FROM cases c
        JOIN people p ON p.id = c.person_id JOIN organisations o ON o.id = c.cell_id
    """
    with demo_runtime.engine.connect() as conn:
        rows = conn.execute(text(query)).all()
    return {n for n, cell in rows if inside is None or (cell == CHU_VAN_AN) == inside}


def _text(response) -> str:
    """What a page or an export shows, as text (a workbook: every cell of every sheet)."""
    assert response.status_code == 200
    if response.data[:2] != b"PK":
        return response.get_data(as_text=True)
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


@pytest.mark.parametrize("path", REPORTS)
def test_the_admin_sees_counts_not_names(login, demo_runtime, path):
    shown = _text(login("admin").get(path))
    named = sorted(n for n in _names(demo_runtime) if n in shown)
    assert not named, f"{path} names {named[:5]}"


def test_the_admin_report_still_counts_the_stuck_cases(login):
    page = login("admin").get("/reports/targets").get_data(as_text=True)
    assert "stuck" in page or "chậm" in page


@pytest.mark.parametrize("path", ["/reports/targets", "/reports/targets.xlsx"])
def test_a_secretary_sees_their_own_cells_names_only(login, demo_runtime, path):
    shown = _text(login("bithu.chuvanan").get(path))
    outside = sorted(n for n in _names(demo_runtime, inside=False) if n in shown)
    assert not outside, f"{path} names {outside[:5]} of other cells"


def test_the_committee_sees_the_names_of_its_stuck_cases(login, demo_runtime):
    shown = _text(login("bantochuc").get("/reports/targets.xlsx"))
    assert any(n in shown for n in _names(demo_runtime))


@pytest.mark.parametrize("text_output", [False, True])
def test_the_cli_report_of_an_admin_names_nobody_and_the_operators_names_the_stuck(
    demo_runtime, text_output
):
    from click.testing import CliRunner

    from web.cli import cli

    url = demo_runtime.engine.url.render_as_string(hide_password=False)
    flags = [] if text_output else ["--json"]

    def shown(*args: str) -> str:
        command = ["report", "targets", "--today", "2026-11-28", *flags, *args]
        result = CliRunner().invoke(cli, command, env={"HOSO_DATABASE_URL": url})
        assert result.exit_code == 0, result.output
        return result.output

    as_admin = shown("--as", "admin")
    assert not sorted(n for n in _names(demo_runtime) if n in as_admin)
    assert any(n in shown() for n in _names(demo_runtime)), "the operator's report names them"
