"""Forms to PDF: a sandboxed, autoescaping Jinja environment, then one WeasyPrint pass.

Templates get only the plain values of ``documents.context``. WeasyPrint fetches through
``PackageFetcher``, which serves the package's own files (fonts, stylesheet) and ``data:`` URIs and
refuses everything else, so neither a template nor a value smuggled into one can reach the network
or the file system. A PDF is written to disk only whole (``write_pdf``).
"""

from __future__ import annotations

import base64
import mimetypes
import os
import tempfile
import threading
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import qrcode
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from qrcode.image.svg import SvgPathImage
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from documents.context import form_context
from documents.errors import FetchRefused, RenderError
from documents.registry import form

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
#: Relative URLs of the forms (the stylesheet, and the fonts from it) resolve in the package.
BASE_URL = PACKAGE.as_uri() + "/"
STYLESHEET = "static/forms.css"
#: The only folders whose files a form may load: its fonts and its stylesheet.
ASSETS = (PACKAGE / "fonts", PACKAGE / "static")

_HEAD = (
    '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
)
_LINK = '<link rel="stylesheet" href="{css}">\n'


# --- fetching -----------------------------------------------------------------------------------


def _package_file(url: str) -> Path | None:
    """The asset of the package (font, stylesheet) that a ``file:`` URL names, if it names one."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()  # resolves "..", and symbolic links
    if not any(path.is_relative_to(folder) for folder in ASSETS) or not path.is_file():
        return None
    return path


def fetch_url(url: str) -> URLFetcherResponse:
    """The resource at `url` if it is one of the package's fonts or stylesheets (under
    ``documents/fonts`` or ``documents/static``) or a ``data:`` URI; else ``FetchRefused``
    (http:, https:, ftp:, any other file...)."""
    if url.startswith("data:"):
        return _DATA.fetch(url)
    path = _package_file(url)
    if path is None:
        raise FetchRefused(url)
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


class PackageFetcher(URLFetcher):
    """WeasyPrint's fetcher, narrowed to ``fetch_url``."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        return fetch_url(url)


#: Decodes data: URIs only (WeasyPrint's own handler, which opens no connection for them).
_DATA = URLFetcher(allowed_protocols=("data",))
FETCHER = PackageFetcher(allowed_protocols=("data", "file"))


# --- HTML ---------------------------------------------------------------------------------------


@cache
def environment() -> ImmutableSandboxedEnvironment:
    """The one Jinja environment of the forms: sandboxed, autoescaping, strict (built once)."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG ``data:`` URI (drawn as one path: no Pillow, no fonts)."""
    image = qrcode.make(text, image_factory=SvgPathImage, box_size=10, border=1)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_html(code: str, context: dict[str, Any]) -> str:
    """Form `code` as an HTML ``<section>`` (one part of a document for ``render_pdf``)."""
    spec = form(code)
    values = dict(context)
    if values.get("verify_url") and not values.get("qr_svg"):
        values["qr_svg"] = qr_data_uri(values["verify_url"])
    try:
        return environment().get_template(spec.template).render(values)
    except TemplateError as err:
        raise RenderError(code, f"template {spec.template}: {err}") from err


# --- PDF ----------------------------------------------------------------------------------------


def document_html(html_parts: list[str], title: str = "Hồ sơ", *, link_css: bool = True) -> str:
    """One HTML document of the parts, each form starting on a new page (see forms.css).

    With `link_css` the document links its stylesheet and stands alone (as a benchmark's "bare
    WeasyPrint" renders it); ``render_pdf`` passes the stylesheet parsed once instead.
    """
    head = _HEAD.format(title=title.replace("<", "&lt;"))
    if link_css:
        head += _LINK.format(css=STYLESHEET)
    return head + "</head>\n<body>\n" + "\n".join(html_parts) + "\n</body>\n</html>\n"


_LOCAL = threading.local()


def _stylesheet() -> tuple[CSS, FontConfiguration]:
    """The stylesheet, parsed once per thread with its font configuration.

    Sharing the FontConfiguration lets Pango keep the loaded faces: a form renders in about 60 %
    of the time. Pango's font maps are not thread-safe, hence one per thread (freed with it).
    """
    cached = getattr(_LOCAL, "stylesheet", None)
    if cached is None:
        fonts = FontConfiguration()
        css = CSS(url=BASE_URL + STYLESHEET, url_fetcher=FETCHER, font_config=fonts)
        cached = _LOCAL.stylesheet = (css, fonts)
    return cached


def render_pdf(html_parts: list[str], codes: list[str] | None = None) -> bytes:
    """The PDF of the parts, made in ONE WeasyPrint pass; ``RenderError`` names `codes`."""
    if not html_parts:
        raise RenderError(codes or [], "nothing to render")
    try:
        css, fonts = _stylesheet()
        document = HTML(
            string=document_html(html_parts, link_css=False),
            base_url=BASE_URL,
            url_fetcher=FETCHER,
        )
        return document.write_pdf(stylesheets=[css], font_config=fonts)
    except Exception as err:  # WeasyPrint raises many kinds; the caller needs one
        raise RenderError(codes or [], f"{type(err).__name__}: {err}") from err


def write_pdf(pdf_bytes: bytes, path: str | os.PathLike[str]) -> Path:
    """Write the PDF at `path` whole or not at all (a temporary file beside it, then a rename)."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent or Path(".")
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf_bytes)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def render_form(
    code: str,
    dossier: dict[str, Any],
    *,
    issued_on: date,
    number: str | None = None,
    verify_code: str | None = None,
    verify_url: str | None = None,
) -> bytes:
    """The PDF of one form for this dossier."""
    context = form_context(
        code,
        dossier,
        issued_on=issued_on,
        number=number,
        verify_code=verify_code,
        verify_url=verify_url,
    )
    return render_pdf([render_html(code, context)], [code])


def render_packet(
    codes: list[str] | tuple[str, ...],
    dossier: dict[str, Any],
    meta_by_code: Mapping[str, Mapping[str, Any]],
) -> bytes:
    """The forms `codes`, in that order, as one PDF laid out in one pass, with a bookmark per
    form (``documents.packet.bind_packet``: also the scans bound in, drafts and the cover).

    ``meta_by_code[code]`` holds that form's ``issued_on`` and optional ``number``,
    ``verify_code`` and ``verify_url`` (a code missing from it is printed with ``issued_on`` of
    the ``"*"`` entry, or today). Every form's data are checked before anything is drawn.
    """
    from documents.packet import bind_packet  # it builds on this module

    return bind_packet(codes, dossier, meta_by_code)


def save_form(
    path: str | os.PathLike[str], code: str, dossier: dict[str, Any], **meta: Any
) -> Path:
    """Render form `code` and write it at `path`; on any error nothing is left there."""
    return write_pdf(render_form(code, dossier, **meta), path)


def save_packet(
    path: str | os.PathLike[str],
    codes: list[str] | tuple[str, ...],
    dossier: dict[str, Any],
    meta_by_code: Mapping[str, Mapping[str, Any]],
) -> Path:
    """Render the packet and write it at `path`; on any error nothing is left there."""
    return write_pdf(render_packet(codes, dossier, meta_by_code), path)
