"""Issue 12: the ``hoso`` command speaks Vietnamese by default, rule refusals and click's own
messages included, and English with ``hoso --lang en`` or ``HOSO_LANG=en``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db.migrate import upgrade
from db.runtime import Runtime
from tests.factories import build_district
from web.cli import cli
from workflow.settings import Settings

SAME_PERSON = ("full_name=Nguyễn Văn An", "birth_date=1990-05-15", "source=cell_review")
RULE_VI = "bị từ chối theo quy tắc single_open_case: Người này đã có một hồ sơ đang mở."
RULE_EN = "refused by rule single_open_case: This person already has an open case."


@pytest.fixture
def district(tmp_path):
    """A small district (tests/factories.py) whose An has an open case, in an instance folder."""
    runtime = Runtime.from_url(f"sqlite:///{tmp_path / 'hoso.sqlite3'}", settings=Settings())
    upgrade(runtime.engine)
    built = build_district(runtime)
    built.identify()
    yield tmp_path, built
    runtime.engine.dispose()


def run(folder: Path, *args: object, lang: str | None = None) -> Result:
    env = {"HOSO_INSTANCE": str(folder), "HOSO_DATABASE_URL": None, "HOSO_LANG": lang}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_a_rule_refusal_is_vietnamese_by_default_and_english_on_request(district):
    folder, built = district
    args = ("case", "new", "--as", "sec", f"cell={built.cell.id}", *SAME_PERSON)
    vi = run(folder, *args)
    assert vi.exit_code == 7 and vi.output.strip() == RULE_VI
    for english in (run(folder, "--lang", "en", *args), run(folder, *args, lang="en")):
        assert english.exit_code == 7 and english.output.strip() == RULE_EN
    # The option beats the variable.
    assert run(folder, "--lang", "vi", *args, lang="en").output.strip() == RULE_VI


def test_other_refusals_say_their_kind_in_vietnamese(district):
    folder, built = district
    args = ("case", "new", "--as", "aud", f"cell={built.cell.id}")
    vi = run(folder, *args)
    assert vi.exit_code == 3 and vi.output.startswith("lỗi (không được phép): ")
    en = run(folder, "--lang", "en", *args)
    assert en.exit_code == 3 and en.output.startswith("error (NotAllowed): ")


def test_clicks_own_messages_follow_the_language(tmp_path):
    vi = run(tmp_path, "case", "nosuch")
    assert vi.exit_code == 2
    assert "Cách dùng: cli case" in vi.output and "Lỗi: Không có lệnh 'nosuch'." in vi.output
    en = run(tmp_path, "--lang", "en", "case", "nosuch")
    assert "Usage: cli case" in en.output and "Error: No such command 'nosuch'." in en.output
    helped = run(tmp_path, "--help")
    assert "--lang [vi|en]" in helped.output and "Hiện hướng dẫn này rồi thoát." in helped.output
    assert run(tmp_path, "--lang", "fr", "case").exit_code == 2  # only vi and en


def test_the_help_option_speaks_the_language_of_each_run(tmp_path):
    """click makes each command's --help option once per process, before --lang is read."""
    for _ in range(2):  # a second run of the same process says it again in its own language
        en = run(tmp_path, "--lang", "en", "--help").output
        assert "Show this message and exit." in en and "Hiện hướng dẫn" not in en
        vi = run(tmp_path, "--help").output
        assert "Hiện hướng dẫn này rồi thoát." in vi and "Show this message" not in vi
        sub = run(tmp_path, "case", "--help", lang="en").output
        assert "Show this message and exit." in sub


def test_a_bad_value_says_its_field_and_reason_in_vietnamese(district):
    """The domain's English ("full_name: too long") said as the web says it, from its catalogue."""
    folder, _ = district
    args = ("user", "create", "newu", "--full-name", "x" * 300, "--as", "adm", "--password-stdin")
    vi = CliRunner().invoke(cli, args, env=_env(folder), input="Hoa-Sen-Tham-2025!\n")
    assert (
        vi.exit_code == 2
        and vi.output.strip() == "lỗi (giá trị không hợp lệ): Họ và tên: Nội dung quá dài."
    )
    en = CliRunner().invoke(cli, ["--lang", "en", *args], env=_env(folder), input="x\n")
    assert en.exit_code == 2 and en.output.strip() == "error (InvalidInput): full_name: too long"


def test_an_unknown_id_is_said_in_vietnamese(district):
    folder, _ = district
    vi = run(folder, "case", "show", 99999)
    assert vi.exit_code == 4 and vi.output.strip() == "lỗi (không tìm thấy): Không có hồ sơ 99999."
    en = run(folder, "case", "show", 99999, lang="en")
    assert en.exit_code == 4 and en.output.strip() == "error (NotFound): no case 99999"
    # A value click's converter refuses: its reason too.
    assert "'abc' không phải là mã số" in run(folder, "case", "show", "abc").output
    assert "'abc' is not an id" in run(folder, "--lang", "en", "case", "show", "abc").output


def test_an_import_report_lists_its_problems_in_vietnamese(district, tmp_path):
    folder, _ = district
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,parent,type\nA,Chi bộ A,Không có,cell\nB,Chi bộ B,Huyện ủy Thử,nhóm\n"
        f"C,{'x' * 300},Huyện ủy Thử,cell\n",
        encoding="utf-8",
    )
    vi = run(folder, "org", "import", bad, "--as", "adm")
    assert vi.exit_code == 7
    lines = [" ".join(line.split()) for line in vi.output.splitlines()]
    assert lines[0] == "dòng tên mục vấn đề"
    assert lines[2] == (
        "2 Chi bộ A Cấp trên Không có tổ chức nào mang mã hay tên này trong tệp hay trong phạm vi "
        "của đồng chí."
    )
    assert lines[3].startswith("3 Chi bộ B Loại 'nhóm' không phải là committee (cấp ủy)")
    assert lines[4].endswith("Tên tổ chức Nội dung quá dài.")
    assert lines[-1] == "không nhập gì từ bad.csv: 3/3 dòng bị từ chối"
    en = run(folder, "--lang", "en", "org", "import", bad, "--as", "adm")
    lines = [" ".join(line.split()) for line in en.output.splitlines()]
    assert en.exit_code == 7 and lines[0] == "row name field problem"
    assert (
        lines[2]
        == "2 Chi bộ A parent no organisation of this code or name in the file, nor in your scope"
    )
    assert lines[4].endswith("name too long")
    assert lines[-1] == "nothing imported from bad.csv: 3 of 3 row(s) refused"


def test_the_commands_are_described_in_vietnamese(tmp_path):
    vi = run(tmp_path, "--help").output
    assert "hoso: hồ sơ kết nạp Đảng" in vi and "Hồ sơ của quần chúng." in vi
    assert "Candidates' cases." not in vi and "Party admission dossiers" not in vi
    en = run(tmp_path, "--help", lang="en").output
    assert "Candidates' cases." in en and "Hồ sơ của quần chúng." not in en
    group = run(tmp_path, "user", "--help").output
    assert "Người dùng và vai trò" in group and "Mở lại tài khoản TARGET." in group
    assert "Reactivate user TARGET." in run(tmp_path, "--lang", "en", "user", "--help").output


def _env(folder: Path) -> dict[str, str | None]:
    return {"HOSO_INSTANCE": str(folder), "HOSO_DATABASE_URL": None, "HOSO_LANG": None}
