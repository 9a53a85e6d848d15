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
