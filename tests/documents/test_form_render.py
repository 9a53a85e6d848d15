"""Every form renders for a demo case: the PDF's text names the candidate with every diacritic,
and carries the numbers and dates of resolutions and decisions; errors are clear and leave no
half-written file; a packet is one PDF made in one WeasyPrint pass."""

from __future__ import annotations

import base64
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from documents import render
from documents.context import form_context
from documents.errors import MissingData, RenderError, UnknownForm
from documents.registry import FORMS, forms_for_case
from documents.render import (
    qr_data_uri,
    render_form,
    render_html,
    render_packet,
    save_form,
    save_packet,
    write_pdf,
)
from documents.wording import words
from tests.documents.conftest import (
    ISSUED_ON,
    VERIFY_CODE,
    dossier_for,
    nfc,
    page_count,
    pdf_text,
)


@pytest.mark.parametrize("code", list(FORMS))
def test_every_form_names_the_candidate(code, rendered, official, official_union):
    pdf = rendered[code]
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    name = nfc(dossier_for(code, official, official_union)["person"]["full_name"])
    assert name in text
    assert f"Mẫu {code}" in text
    assert VERIFY_CODE in text


def _day(iso: str) -> str:
    return words(date.fromisoformat(iso))


@pytest.mark.parametrize(
    ("code", "number", "day"),
    [
        ("6-KNĐ", ("votes", "cell", "resolution_number"), ("votes", "cell", "held_on")),
        ("9-KNĐ", ("decisions", "admission", "number"), ("decisions", "admission", "signed_on")),
        (
            "16-KNĐ",
            ("decisions", "recognition", "number"),
            ("decisions", "recognition", "signed_on"),
        ),
    ],
)
def test_resolutions_and_decisions_carry_number_and_date(code, number, day, rendered, official):
    def at(path: tuple[str, ...]):
        value = official
        for part in path:
            value = value[part]
        return value

    text = pdf_text(rendered[code])
    assert f"Số {at(number)}" in text
    assert _day(at(day)) in text


def test_the_grassroots_resolution_carries_its_number_and_date(official_grassroots):
    """8-KNĐ exists where a đảng ủy cơ sở sits between the cell and the deciding body: the demo
    must have such a cell (``official_grassroots``)."""
    d = official_grassroots
    text = pdf_text(render_form("8-KNĐ", d, issued_on=ISSUED_ON, verify_code=VERIFY_CODE))
    assert f"Số {d['documents']['8-KNĐ']['number']}" in text
    assert _day(d["votes"]["grassroots"]["held_on"]) in text


def test_decision_states_the_vote_and_the_bodies(rendered, official):
    text = pdf_text(rendered["6-KNĐ"])
    vote = official["votes"]["cell"]
    assert f"{vote['votes_for']}/{vote['eligible']} đồng chí" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "ĐẢNG BỘ HUYỆN ĐỨC TRỌNG" in text and "T/M CHI BỘ" in text
    decision = pdf_text(rendered["9-KNĐ"])
    assert "HUYỆN ỦY ĐỨC TRỌNG" in decision and "T/M BAN THƯỜNG VỤ" in decision
    assert "Điều 1." in decision and "Điều 2." in decision and "Điều 3." in decision
    biography = pdf_text(rendered["2-KNĐ"])
    assert nfc(official["person"]["full_name"]).upper() in biography


def test_a_resolution_before_its_vote_leaves_blanks(trained):
    text = pdf_text(render_form("6-KNĐ", trained, issued_on=ISSUED_ON))
    assert nfc(trained["person"]["full_name"]) in text
    assert "……/…… đồng chí, đạt ……%" in text
    # The resolution's number on file is printed; without one, a blank to number by hand.
    assert f"Số {trained['documents']['6-KNĐ']['number']}" in text
    unnumbered = {**trained, "documents": {}}
    assert "Số ………-NQ/CB" in pdf_text(render_form("6-KNĐ", unnumbered, issued_on=ISSUED_ON))


def test_a_missing_datum_is_named(trained):
    with pytest.raises(MissingData) as caught:
        render_form("9-KNĐ", trained, issued_on=ISSUED_ON)
    assert caught.value.keys == ["decisions.admission.number", "decisions.admission.signed_on"]
    assert "số quyết định kết nạp" in str(caught.value)
    incomplete = {**trained, "person": {**trained["person"], "full_name": None}}
    with pytest.raises(MissingData, match="person.full_name"):
        form_context("1-KNĐ", incomplete, issued_on=ISSUED_ON)


def test_an_unknown_form(official):
    for call in (
        lambda: render_form("17-KNĐ", official, issued_on=ISSUED_ON),
        lambda: form_context("X", official, issued_on=ISSUED_ON),
        lambda: render_html("X", {}),
        lambda: render_packet(["1-KNĐ", "X"], official, {}),
    ):
        with pytest.raises(UnknownForm):
            call()


def test_a_number_given_replaces_the_one_on_record(official):
    context = form_context("9-KNĐ", official, issued_on=ISSUED_ON, number="999-QĐ/HU")
    assert context["header"]["number"] == "Số 999-QĐ/HU"


def test_qr_code_is_an_svg_data_uri():
    uri = qr_data_uri("https://hoso.example.vn/verify/HS7K-2Q9M")
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    svg = base64.b64decode(uri.removeprefix(prefix)).decode()
    assert "<svg" in svg and "<path" in svg


def test_the_footer_shows_the_verification(official):
    context = form_context(
        "1-KNĐ", official, issued_on=ISSUED_ON, verify_code="ABCD-EFGH", verify_url="https://x/v/1"
    )
    html = render_html("1-KNĐ", context)
    assert "ABCD-EFGH" in html and 'src="data:image/svg+xml;base64,' in html
    bare = render_html("1-KNĐ", form_context("1-KNĐ", official, issued_on=ISSUED_ON))
    assert "Mã xác minh" not in bare and "<img" not in bare


# --- the packet ---------------------------------------------------------------------------------


class CountingHTML:
    """Stands in for weasyprint.HTML and counts the documents made."""

    calls = 0

    def __init__(self, *args, **kwargs):
        type(self).calls += 1
        self._document = _REAL_HTML(*args, **kwargs)

    def write_pdf(self, *args, **kwargs):
        return self._document.write_pdf(*args, **kwargs)

    def render(self, *args, **kwargs):  # the packet lays out, then binds (documents.packet)
        return self._document.render(*args, **kwargs)


_REAL_HTML = render.HTML


def test_packet_is_one_pdf_made_in_one_pass(monkeypatch, official, rendered):
    codes = forms_for_case("official", official["cell"]["has_doan"], True)
    assert len(codes) == 15
    CountingHTML.calls = 0
    monkeypatch.setattr(render, "HTML", CountingHTML)
    meta = {"*": {"issued_on": ISSUED_ON, "verify_code": VERIFY_CODE}}
    pdf = render_packet(codes, official, meta)
    assert CountingHTML.calls == 1
    assert page_count(pdf) == sum(page_count(rendered[code]) for code in codes)
    text = pdf_text(pdf)
    positions = [text.index(f"Mẫu {code}") for code in codes]
    assert positions == sorted(positions)


def test_a_form_in_the_packet_is_laid_out_as_alone(official):
    """2-KNĐ's photo box once shared its class with the packet's cover page (``page: cover``):
    in the packet the form broke after its header, one page longer than alone."""
    meta = {"*": {"issued_on": ISSUED_ON, "verify_code": VERIFY_CODE}}
    alone = render_form("2-KNĐ", official, issued_on=ISSUED_ON, verify_code=VERIFY_CODE)
    packet = render_packet(["2-KNĐ"], official, meta)
    assert page_count(packet) == page_count(alone)
    first = nfc(PdfReader(BytesIO(packet)).pages[0].extract_text())
    assert "LÝ LỊCH CỦA NGƯỜI XIN VÀO ĐẢNG" in first and "SƠ LƯỢC LÝ LỊCH" in first


def test_packet_checks_every_form_before_drawing(monkeypatch, trained):
    CountingHTML.calls = 0
    monkeypatch.setattr(render, "HTML", CountingHTML)
    with pytest.raises(MissingData) as caught:
        render_packet(["1-KNĐ", "9-KNĐ"], trained, {"*": {"issued_on": ISSUED_ON}})
    assert caught.value.code == "9-KNĐ"
    assert CountingHTML.calls == 0


# --- writing files ------------------------------------------------------------------------------


class FailingHTML:
    def __init__(self, *args, **kwargs):
        pass

    def write_pdf(self, *args, **kwargs):
        raise ValueError("layout exploded")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_render_error_leaves_no_file(monkeypatch, tmp_path, official):
    monkeypatch.setattr(render, "HTML", FailingHTML)
    target = tmp_path / "9-KND.pdf"
    with pytest.raises(RenderError, match="9-KNĐ.*layout exploded"):
        save_form(target, "9-KNĐ", official, issued_on=ISSUED_ON)
    assert _leftovers(tmp_path) == []
    with pytest.raises(RenderError, match="1-KNĐ, 2-KNĐ"):
        save_packet(target, ["1-KNĐ", "2-KNĐ"], official, {"*": {"issued_on": ISSUED_ON}})
    assert _leftovers(tmp_path) == []


def test_a_failed_render_keeps_the_previous_file(monkeypatch, tmp_path, official):
    target = tmp_path / "1-KND.pdf"
    save_form(target, "1-KNĐ", official, issued_on=ISSUED_ON)
    before = target.read_bytes()
    monkeypatch.setattr(render, "HTML", FailingHTML)
    with pytest.raises(RenderError):
        save_form(target, "1-KNĐ", official, issued_on=ISSUED_ON)
    assert target.read_bytes() == before
    assert _leftovers(tmp_path) == ["1-KND.pdf"]


def test_a_failed_write_removes_its_temporary_file(monkeypatch, tmp_path):
    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(render.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_pdf(b"%PDF-1.7 whole", tmp_path / "x.pdf")
    assert _leftovers(tmp_path) == []


def test_write_pdf_replaces_whole(tmp_path):
    target = tmp_path / "x.pdf"
    write_pdf(b"%PDF-old", target)
    write_pdf(b"%PDF-new", target)
    assert target.read_bytes() == b"%PDF-new"
    assert _leftovers(tmp_path) == ["x.pdf"]


def _minimal(code: str) -> dict:
    """A dossier made by hand with only the data that form `code` needs."""
    dossier: dict = {}
    for key in FORMS[code].needs:
        *path, last = key.split(".")
        node = dossier
        for part in path:
            node = node.setdefault(part, {})
        node[last] = "2025-04-17" if last.endswith(("_on", "_date")) else f"{last} mẫu"
    return dossier


@pytest.mark.parametrize("code", list(FORMS))
def test_a_dossier_with_only_the_needed_data_renders(code):
    html = render_html(code, form_context(code, _minimal(code), issued_on=ISSUED_ON))
    assert "full_name mẫu" in html
    assert "…" in html  # what the dossier lacks is left blank, to fill in by hand
    assert "None" not in html
