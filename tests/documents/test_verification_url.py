"""The verification printed on a generated form: the QR code is at least 2 cm wide on paper and
reads back as the address printed beside it (decoded from the rendered page, as a phone would);
without an address the code stands alone with a note; the QR costs the body no room."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from documents.render import render_form
from tests.documents.conftest import ISSUED_ON, VERIFY_CODE, VERIFY_URL, page_count, pdf_text

zxingcpp = pytest.importorskip("zxingcpp")  # test dependency: zxing-cpp (a QR decoder)
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils")

#: Pixels per inch of the rasterised page: a module of the code is several pixels wide.
DPI = 300
CM_PER_INCH = 2.54


def page_image(pdf: bytes, tmp_path: Path, page: int = 1) -> Image.Image:
    """Page `page` of the PDF as an image at ``DPI`` (poppler's pdftoppm, as printed)."""
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            source,
            tmp_path / "p",
        ],
        check=True,
    )
    (png,) = tmp_path.glob("p-*.png")
    return Image.open(BytesIO(png.read_bytes())).convert("L")


def qr_codes(image: Image.Image) -> list:
    return [b for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]


def width_cm(barcode) -> float:
    """The code's width on paper (its modules, without the quiet zone around them)."""
    p = barcode.position
    return abs(p.top_right.x - p.top_left.x) / DPI * CM_PER_INCH


@needs_pdftoppm
@pytest.mark.parametrize("code", ["9-KNĐ", "6-KNĐ", "16-KNĐ"])
def test_the_qr_code_reads_back_as_the_printed_address_at_least_2_cm_wide(code, official, tmp_path):
    pdf = render_form(
        code, official, issued_on=ISSUED_ON, verify_code=VERIFY_CODE, verify_url=VERIFY_URL
    )
    assert VERIFY_URL in pdf_text(pdf) and VERIFY_CODE in pdf_text(pdf)
    image = page_image(pdf, tmp_path)
    (found,) = qr_codes(image)
    assert found.text == VERIFY_URL
    assert width_cm(found) >= 2.0
    # In the left margin (3 cm), clear of the paper's edges and of the body (from 3 cm).
    left = min(found.position.top_left.x, found.position.bottom_left.x) / DPI * CM_PER_INCH
    bottom = max(found.position.bottom_left.y, found.position.bottom_right.y)
    assert left >= 0.5 and left + width_cm(found) <= 3.0
    assert (image.height - bottom) / DPI * CM_PER_INCH >= 1.5


def test_the_qr_code_costs_the_body_no_room(official):
    """A generated copy has as many pages as the draft of the same form: the QR code stands in
    the margin, not in the page's body."""
    for code in ("2-KNĐ", "6-KNĐ", "9-KNĐ"):
        draft = render_form(code, official, issued_on=ISSUED_ON)
        made = render_form(
            code, official, issued_on=ISSUED_ON, verify_code=VERIFY_CODE, verify_url=VERIFY_URL
        )
        assert page_count(made) == page_count(draft), code


@needs_pdftoppm
def test_without_an_address_the_code_stands_alone_and_says_why(official, tmp_path):
    pdf = render_form("9-KNĐ", official, issued_on=ISSUED_ON, verify_code=VERIFY_CODE)
    text = pdf_text(pdf)
    assert VERIFY_CODE in text and "chưa cấu hình địa chỉ tra cứu" in text
    assert "/verify/" not in text
    assert qr_codes(page_image(pdf, tmp_path)) == []


def test_the_qr_block_is_sized_in_the_stylesheet():
    """The CSS value itself: 2.2 cm (the modules at least 2 cm inside a one-module border)."""
    from documents.render import PACKAGE, STYLESHEET

    css = (Path(PACKAGE) / STYLESHEET).read_text()
    assert ".verify-qr img.qr { width: 2.2cm; height: 2.2cm;" in css
