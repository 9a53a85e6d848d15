"""The PDFs use only the bundled Liberation Serif (SIL OFL), never a font of the system."""

from __future__ import annotations

import re
from io import BytesIO

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from documents.registry import FORMS
from documents.render import PACKAGE, render_packet
from tests.documents.conftest import ISSUED_ON

FONTS = PACKAGE / "fonts"
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")


def _fonts_of(resources, seen: set[int]):
    """Every font dict reachable from `resources`, form XObjects (the QR code...) included."""
    if resources is None:
        return
    resources = resources.get_object()
    yield from (ref.get_object() for ref in (resources.get("/Font") or {}).values())
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if id(xobject) not in seen:
            seen.add(id(xobject))
            yield from _fonts_of(xobject.get("/Resources"), seen)


def embedded_fonts(pdf: bytes) -> dict[str, str]:
    """Each font of the PDF: its PDF name → the family named inside its embedded program."""
    found: dict[str, str] = {}
    seen: set[int] = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in _fonts_of(page.get("/Resources"), seen):
            name = str(font["/BaseFont"])
            assert font["/Subtype"] == "/Type0", f"{name} is a {font['/Subtype']} font"
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            assert program is not None, f"{name} is not embedded"
            names = TTFont(BytesIO(program.get_object().get_data()))["name"]
            found[name] = names.getDebugName(1)
    return found


def test_the_four_liberation_serif_files_and_their_licence_are_bundled():
    for style in STYLES:
        font = TTFont(FONTS / f"LiberationSerif-{style}.ttf")
        assert font["name"].getDebugName(1) == "Liberation Serif"
        assert "Open Font License" in font["name"].getDebugName(13)
        cmap = font.getBestCmap()
        assert all(ord(c) in cmap for c in "ĐđƠơƯưẠạẶặỆệỘộỢợỰựỸỹ…")  # Vietnamese, every mark
    licence = (FONTS / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Red Hat" in licence


def test_the_stylesheet_loads_only_the_bundled_fonts():
    css = (PACKAGE / "static" / "forms.css").read_text()
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert sorted(urls) == sorted(f"../fonts/LiberationSerif-{s}.ttf" for s in STYLES)
    families = set(re.findall(r"font-family:\s*([^;]+);", css))
    assert families == {'"Hoso Serif"'}


def test_only_liberation_serif_is_embedded(official):
    pdf = render_packet(list(FORMS), official, {"*": {"issued_on": ISSUED_ON}})
    fonts = embedded_fonts(pdf)
    assert fonts, "no font embedded"
    assert set(fonts.values()) == {"Liberation Serif"}
    # WeasyPrint names a subset after the @font-face family: only the bundled faces are there.
    assert {name.split("+")[-1] for name in fonts} == {
        "Hoso-Serif",
        "Hoso-Serif-Bold",
        "Hoso-Serif-Italic",
        "Hoso-Serif-Bold-Italic",
    }
