"""``hoso docs render`` and ``hoso docs packet`` on an instance folder holding the demo district:
the PDFs the case page serves, written whole; bad input refused with a message and no file."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader
from sqlalchemy import select

from db.demo import load_demo
from db.migrate import upgrade
from db.models import Case, GeneratedDocument
from db.runtime import Runtime
from tests.documents.conftest import pdf_text
from web.cli import cli
from web.cli.docs import page_count
from workflow.settings import Settings

BASE_URL = "https://hoso.example.vn"


@dataclass
class Demo:
    """An instance folder with the demo district, and a way to run ``hoso`` on it."""

    folder: Path
    runtime: Runtime

    def run(self, *args: Any, **env: str | None) -> Result:
        environ = {
            "HOSO_INSTANCE": str(self.folder),
            "HOSO_DATABASE_URL": None,
            "HOSO_BASE_URL": None,
            "HOSO_LANG": "en",  # these tests read the English messages (test_language.py: vi)
            **env,
        }
        return CliRunner().invoke(cli, [str(a) for a in args], env=environ)

    def case(self, state: str) -> tuple[int, str]:
        """The first demo case in `state`: its id and the candidate's name."""
        with self.runtime.sessions() as session:
            case = session.scalars(
                select(Case).where(Case.state == state).order_by(Case.id)
            ).first()
            return case.id, case.person.full_name


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Demo:
    folder = tmp_path_factory.mktemp("cli-docs") / "instance"
    folder.mkdir()
    runtime = Runtime.from_url(f"sqlite:///{folder / 'hoso.sqlite3'}", settings=Settings())
    upgrade(runtime.engine)
    load_demo(runtime)
    yield Demo(folder, runtime)
    runtime.engine.dispose()


def pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def test_a_form_is_written_as_a_pdf_with_the_candidates_name(demo, tmp_path):
    case_id, name = demo.case("trained")
    out = tmp_path / "don.pdf"
    result = demo.run("docs", "render", case_id, "1-KNĐ", "-o", out)
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and name in pdf_text(pdf)
    assert f"{out}: 1-KNĐ, draft, 1 page, " in result.output
    assert f"{len(pdf) / 1024:.1f} kB" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["don.pdf"]  # no temporary file left


def test_a_generated_form_is_its_newest_copy_with_its_verification_code(demo, tmp_path):
    case_id, name = demo.case("admitted")
    with demo.runtime.sessions() as session:
        made = session.scalars(
            select(GeneratedDocument)
            .where(GeneratedDocument.case_id == case_id, GeneratedDocument.code == "9-KNĐ")
            .order_by(GeneratedDocument.id.desc())
        ).first()
    out = tmp_path / "9.pdf"
    result = demo.run("docs", "render", case_id, "9-KNĐ", "-o", out, HOSO_BASE_URL=BASE_URL)
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert name in text and made.verify_code in text
    assert f"{BASE_URL}/verify/{made.verify_code}" in text
    assert f"generated copy {made.number}" in result.output


def test_without_a_base_url_the_code_is_printed_alone_and_the_operator_told(demo, tmp_path):
    case_id, _name = demo.case("admitted")
    out = tmp_path / "9.pdf"
    result = demo.run("docs", "render", case_id, "9-KNĐ", "-o", out)
    assert result.exit_code == 0, result.output
    assert "HOSO_BASE_URL" in result.output and "/verify/" not in pdf_text(out.read_bytes())


def test_the_packet_binds_every_form_and_is_cached(demo, tmp_path):
    case_id, name = demo.case("official")
    out = tmp_path / "ho-so.pdf"
    result = demo.run("docs", "packet", case_id, "-o", out, HOSO_BASE_URL=BASE_URL)
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    forms = int(result.output.split(": ", 1)[1].split(" forms", 1)[0])
    assert forms >= 10 and pages(pdf) >= forms
    assert page_count(pdf) == pages(pdf)
    assert f"{pages(pdf)} pages" in result.output and "from the cache" not in result.output
    assert name in pdf_text(pdf)
    assert len(list((demo.folder / "cache" / "packets").glob("*.pdf"))) >= 1

    again = demo.run(
        "docs", "packet", case_id, "-o", tmp_path / "again.pdf", HOSO_BASE_URL=BASE_URL
    )
    assert again.exit_code == 0 and "from the cache" in again.output
    assert (tmp_path / "again.pdf").read_bytes() == pdf


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("render", 999_999, "1-KNĐ"), 4, "no case 999999"),
        (("packet", 999_999), 4, "no case 999999"),
        (("render", "{trained}", "99-KNĐ"), 2, "unknown form '99-KNĐ' (known: CN-NTVĐ, 1-KNĐ"),
        (
            ("render", "{trained}", "9-KNĐ"),
            2,
            "Mẫu 9-KNĐ thiếu dữ liệu: số quyết định kết nạp (decisions.admission.number)",
        ),
        (("render", "{trained}", "1-KNĐ"), 2, "no folder"),
        (("packet", "{trained}"), 2, "no folder"),
        (("render", "{trained}", "1-KNĐ"), 2, "is a folder; name a file"),
        (("packet", "{withdrawn}"), 2, "no form of case"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_no_file(demo, tmp_path, args, code, message):
    ids = {state: demo.case(state)[0] for state in ("trained", "withdrawn")}
    argv = [str(a).format(**ids) for a in args]
    if message == "no folder":
        out = tmp_path / "missing" / "out.pdf"
    elif message.startswith("is a folder"):
        out = tmp_path
    else:
        out = tmp_path / "out.pdf"
    result = demo.run("docs", *argv, "-o", out)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert not list(tmp_path.rglob("*")), "nothing is written"


def test_a_refused_render_leaves_an_existing_file_alone(demo, tmp_path):
    out = tmp_path / "9.pdf"
    out.write_bytes(b"an older file")
    result = demo.run("docs", "render", demo.case("trained")[0], "9-KNĐ", "-o", out)
    assert result.exit_code == 2
    assert out.read_bytes() == b"an older file"
    assert [p.name for p in tmp_path.iterdir()] == ["9.pdf"]
