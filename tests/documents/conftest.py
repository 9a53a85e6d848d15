"""Fixtures of the documents tests: the demo district in a SQLite file, its cases' dossiers, and
the PDFs of their forms (rendered once per session: WeasyPrint takes a fraction of a second)."""

from __future__ import annotations

import re
import shutil
import unicodedata
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.models import Case
from db.read.dossier import dossier_data
from db.runtime import Runtime
from db.session import make_engine, session_factory
from documents.registry import FORMS
from documents.render import render_form
from workflow.settings import Settings

ISSUED_ON = date(2026, 11, 25)
VERIFY_CODE = "HS7K-2Q9M"
VERIFY_URL = "https://hoso.example.vn/verify/HS7K-2Q9M"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in NFC with every run of whitespace made one space (lines wrap anywhere)."""
    reader = PdfReader(BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", nfc(text))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


@pytest.fixture(scope="session")
def demo(demo_template, tmp_path_factory) -> Runtime:
    """The demo district in a SQLite file of its own (a copy of tests/conftest.py's template)."""
    path = tmp_path_factory.mktemp("documents-demo") / "hoso.sqlite3"
    shutil.copyfile(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    runtime = Runtime(engine, session_factory(engine), Settings())
    yield runtime
    engine.dispose()


@pytest.fixture(scope="session")
def dossiers(demo) -> dict[int, dict]:
    """Every demo case's dossier, by case id."""
    with demo.sessions() as session:
        ids = session.scalars(select(Case.id).order_by(Case.id)).all()
        return {case_id: dossier_data(session, case_id) for case_id in ids}


def _first(
    dossiers: dict[int, dict], state: str, intro_kind: str | None = None, vote: str | None = None
) -> dict:
    for dossier in dossiers.values():
        kinds = {i["kind"] for i in dossier["introductions"]}
        if (
            dossier["case"]["state"] == state
            and (intro_kind is None or intro_kind in kinds)
            and (vote is None or vote in dossier["votes"])
        ):
            return dossier
    raise LookupError(f"the demo has no {state} case introduced by {intro_kind} ({vote} vote)")


@pytest.fixture(scope="session")
def official(dossiers) -> dict:
    """An official member's dossier, introduced by the Đoàn, from a school's chi bộ cơ sở (its
    resolutions go straight to the deciding body; ``official_grassroots`` has a đảng ủy cơ sở)."""
    schools = {case_id: d for case_id, d in dossiers.items() if d["cell"]["unit_kind"] == "school"}
    return _first(schools, "official", "doan")


@pytest.fixture(scope="session")
def official_grassroots(dossiers) -> dict:
    """An official member's dossier from a cell under a đảng ủy cơ sở (8-KNĐ and 15-KNĐ)."""
    return _first(dossiers, "official", vote="grassroots")


@pytest.fixture(scope="session")
def official_union(dossiers) -> dict:
    """An official member's dossier introduced by the Công đoàn (for 4A-KNĐ)."""
    return _first(dossiers, "official", "congdoan")


@pytest.fixture(scope="session")
def trained(dossiers) -> dict:
    """A candidate's dossier before the chi bộ vote: no vote, no decision."""
    return _first(dossiers, "trained")


def dossier_for(code: str, official: dict, official_union: dict) -> dict:
    return official_union if code == "4A-KNĐ" else official


@pytest.fixture(scope="session")
def rendered(official, official_union) -> dict[str, bytes]:
    """Each form's PDF for the official demo cases, with a verification code."""
    return {
        code: render_form(
            code,
            dossier_for(code, official, official_union),
            issued_on=ISSUED_ON,
            verify_code=VERIFY_CODE,
            verify_url=VERIFY_URL,
        )
        for code in FORMS
    }
