"""Forms that survive real data: with a 200-character name, a 300-character address and long
organisation names, no page holds only the signature block, a form grows by one page at most, the
header's names never leave one word alone on a line, and a blank date is never cut in two."""

from __future__ import annotations

import copy
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from io import BytesIO

import pytest
from pypdf import PdfReader
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from documents.context import form_context
from documents.registry import FORMS
from documents.render import BASE_URL, FETCHER, STYLESHEET, document_html, render_html, render_pdf
from tests.documents.conftest import ISSUED_ON, VERIFY_CODE, VERIFY_URL, nfc


def _fill(length: int, words: str) -> str:
    """`words` repeated to exactly `length` characters (the last one cut if need be)."""
    text = " ".join([words] * (length // len(words) + 1))[:length]
    return text if not text.endswith(" ") else text[:-1] + words[0]


LONG_NAME = _fill(200, "Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Ngọc Bảo Châu Minh Khôi")
LONG_ADDRESS = _fill(
    300,
    "Thôn Phú Thạnh, xã Hiệp Thạnh, huyện Đức Trọng, tỉnh Lâm Đồng, tổ dân phố số 12,",
)
LONG_COMPANY = (
    "Công ty trách nhiệm hữu hạn một thành viên Thương mại Dịch vụ Vận tải Hành khách Đồng Thúy"
)
LONG_CELL = f"Chi bộ {LONG_COMPANY}"


def long_data(dossier: dict) -> dict:
    """`dossier` with the longest values the model holds: names of 200 characters, addresses of
    300 (200 where the column is shorter), organisations named at length."""
    d = copy.deepcopy(dossier)
    person = d["person"]
    person.update(
        full_name=LONG_NAME,
        residence=LONG_ADDRESS,
        birth_place=LONG_ADDRESS[:200],
        hometown=LONG_ADDRESS[:200],
        occupation=f"Nhân viên điều hành, {LONG_COMPANY}",
    )
    d["cell"]["name"] = LONG_CELL
    for org in d["cell"].get("mass_organisations") or []:
        org["name"] = f"{org['name']} {LONG_COMPANY}"
    for intro in d["introductions"]:
        if intro["kind"] == "member":
            intro["name"] = _fill(200, "Trịnh Đình Hải Tôn Thất Quang")
            intro["member"]["cell_name"] = LONG_CELL
        else:
            intro["name"] = f"{intro['name']} {LONG_COMPANY}"
    for key in ("grassroots", "deciding"):
        if d.get(key):
            d[key]["name"] = f"{d[key]['name']} Lâm Hà Di Linh Bảo Lộc"
    if d.get("mentor"):
        d["mentor"]["name"] = _fill(200, "Lê Văn Thành Công Tôn Nữ")
    return d


def dossier_of(code: str, official: dict, official_grassroots: dict, official_union: dict) -> dict:
    """The demo dossier a form is drawn from: 4A-KNĐ's has a Công đoàn, 8- and 15-KNĐ's a đảng ủy
    cơ sở."""
    if code == "4A-KNĐ":
        return official_union
    return official_grassroots if code in ("8-KNĐ", "15-KNĐ") else official


def _render(code: str, dossier: dict) -> bytes:
    ctx = form_context(
        code, dossier, issued_on=ISSUED_ON, verify_code=VERIFY_CODE, verify_url=VERIFY_URL
    )
    return render_pdf([render_html(code, ctx)], [code])


def _pages(pdf: bytes) -> list[str]:
    return [nfc(page.extract_text() or "") for page in PdfReader(BytesIO(pdf)).pages]


class _Signatures(HTMLParser):
    """The text inside every ``table.signatures`` of a form's HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.depth or (tag == "table" and "signatures" in classes):
            self.depth += tag != "br"

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag != "br":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"[^\s…]+", nfc(text)))


def signature_words(code: str, dossier: dict) -> Counter[str]:
    """Every word the form's signature blocks print (places, dates, roles, names, recipients)."""
    parser = _Signatures()
    parser.feed(render_html(code, form_context(code, dossier, issued_on=ISSUED_ON)))
    return _words(" ".join(parser.text))


FOOTER = _words(f"Mẫu · in ngày {ISSUED_ON:%d/%m/%Y} Mã xác minh: {VERIFY_CODE} {VERIFY_URL}")


@pytest.fixture(scope="module")
def drawn(official, official_grassroots, official_union) -> dict[str, tuple[bytes, bytes]]:
    """Each form's PDF with the demo's data and with long data."""
    out = {}
    for code in FORMS:
        dossier = dossier_of(code, official, official_grassroots, official_union)
        out[code] = (_render(code, dossier), _render(code, long_data(dossier)))
    return out


@pytest.mark.parametrize("code", list(FORMS))
def test_no_page_holds_only_the_signatures(
    code, drawn, official, official_grassroots, official_union
):
    dossier = long_data(dossier_of(code, official, official_grassroots, official_union))
    signatures = signature_words(code, dossier)
    for number, text in enumerate(_pages(drawn[code][1]), start=1):
        rest = _words(text) - FOOTER - _words(code) - signatures
        assert rest, f"{code}: page {number} holds only the signature block: {text!r}"


def test_the_check_finds_a_page_of_signatures_alone(official):
    """The check above fails on a page that holds only the signatures (as the forms printed
    before the closing block kept the last paragraph with them)."""
    code = "9-KNĐ"
    dossier = long_data(official)
    html = render_html(code, form_context(code, dossier, issued_on=ISSUED_ON))
    start = html.index('<table class="signatures">')
    alone = html[:start] + '<div style="break-before: page"></div>' + html[start:]
    last = _pages(render_pdf([alone], [code]))[-1]
    assert not _words(last) - FOOTER - _words(code) - signature_words(code, dossier)


@pytest.mark.parametrize("code", list(FORMS))
def test_long_data_adds_one_page_at_most(code, drawn):
    """A form that spills keeps its last paragraph with the signatures on the next page: one
    page more at most (most one-page forms become two with a 200-character name printed five
    times or more; 2-KNĐ goes from four pages to five)."""
    normal, long = (len(_pages(pdf)) for pdf in drawn[code])
    assert long <= normal + 1, (code, normal, long)


# --- the header and the dates, measured in WeasyPrint's own layout --------------------------------

_CSS: list[CSS] = []


def _lines(code: str, dossier: dict) -> list[tuple[str, str]]:
    """Every line WeasyPrint lays out for the form, with the class of the block that holds it."""
    if not _CSS:
        _CSS.append(CSS(url=BASE_URL + STYLESHEET, url_fetcher=FETCHER))
    html = render_html(code, form_context(code, dossier, issued_on=ISSUED_ON))
    document = HTML(
        string=document_html([html], link_css=False), base_url=BASE_URL, url_fetcher=FETCHER
    ).render(stylesheets=_CSS)
    out: list[tuple[str, str]] = []

    def walk(box: boxes.Box, holder: str) -> None:
        if box.element is not None and box.element_tag == "div":
            holder = box.element.get("class") or holder
        if isinstance(box, boxes.LineBox):
            text = "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))
            out.append((holder, nfc(text)))
            return
        for child in getattr(box, "children", ()):
            walk(child, holder)

    for page in document.pages:
        walk(page._page_box, "")
    return out


#: The forms an organisation issues (a person's own have no issuing body in their header).
ISSUED = [code for code, spec in FORMS.items() if spec.issuer not in ("person", "member", "helper")]


@pytest.mark.parametrize("code", ISSUED)
def test_the_issuing_bodys_names_leave_no_word_alone(
    code, official, official_grassroots, official_union
):
    dossier = long_data(dossier_of(code, official, official_grassroots, official_union))
    names = [text for holder, text in _lines(code, dossier) if holder in ("upper", "lower")]
    assert len(names) >= 2, names  # the long names do wrap
    for text in names:
        words = text.replace("\u00a0", " ").split()
        assert len(words) >= 2 or set(text) <= {"…"}, f"{code}: a word alone: {names}"


_CUT_DATE = re.compile(r"(ngày|tháng|năm)( …+)?\s*$")


@pytest.mark.parametrize("code", ["1-KNĐ", "2-KNĐ", "3-KNĐ", "4-KNĐ", "6-KNĐ", "8-KNĐ"])
def test_blank_dates_are_never_cut(code, trained, official_grassroots):
    """A dossier before any vote or paper prints its dates blank; none is cut at a line's end."""
    dossier = long_data(official_grassroots if code == "8-KNĐ" else trained)
    dossier.update(votes={}, documents={}, decisions={}, introductions=[])
    lines = [text for _, text in _lines(code, dossier)]
    assert any("…… tháng ……" in line for line in lines)
    for first, second in zip(lines, lines[1:], strict=False):
        cut = _CUT_DATE.search(first) and second.lstrip().startswith("…")
        assert not cut, f"{code}: a blank date cut: {first!r} / {second!r}"


def test_the_date_line_of_a_company_committee_is_its_district(official_grassroots):
    """Đảng ủy Công ty … names no place: its papers are dated where the deciding body sits."""
    ctx = form_context("8-KNĐ", official_grassroots, issued_on=date(2026, 11, 25))
    assert ctx["header"]["place"] == "Đức Trọng"
