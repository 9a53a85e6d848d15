"""Rendering is safe: the fetcher serves only the package's files and data: URIs, values are
escaped, the Jinja environment is sandboxed, and nothing is fetched from the network."""

from __future__ import annotations

import logging
import socket
import urllib.request

import pytest
from jinja2.exceptions import SecurityError

from documents import render
from documents.context import form_context
from documents.errors import FetchRefused
from documents.render import (
    BASE_URL,
    FETCHER,
    PACKAGE,
    environment,
    fetch_url,
    render_html,
    render_pdf,
)
from tests.documents.conftest import ISSUED_ON, pdf_text

INJECTED = '<img src="http://example.com/x.png">'


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        f"{BASE_URL}../pyproject.toml",
        f"{BASE_URL}static/../../db/session.py",
        f"{BASE_URL}fonts/missing.ttf",
        f"{BASE_URL}render.py",
        f"{BASE_URL}templates/1-KND.html",
        f"{BASE_URL}fonts/../render.py",
        "file://evil.example.com/documents/static/forms.css",
        "javascript:alert(1)",
        "/etc/passwd",
    ],
)
def test_the_fetcher_refuses_anything_outside_the_package(url):
    with pytest.raises(FetchRefused, match="refused to fetch"):
        fetch_url(url)
    with pytest.raises(FetchRefused):
        FETCHER(url)


def test_the_fetcher_serves_the_package_files_and_data_uris():
    css = fetch_url(BASE_URL + "static/forms.css")
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    font = fetch_url(BASE_URL + "fonts/LiberationSerif-Regular.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    data = fetch_url("data:text/plain;base64,aG9zbw==")
    assert data.read() == b"hoso"
    assert (PACKAGE / "fonts" / "OFL.txt").is_file()


def test_a_value_that_looks_like_html_is_printed_as_text(official):
    dossier = {**official, "person": {**official["person"], "full_name": INJECTED}}
    context = form_context("1-KNĐ", dossier, issued_on=ISSUED_ON)
    html = render_html("1-KNĐ", context)
    assert INJECTED not in html
    assert "&lt;img src=&#34;http://example.com/x.png&#34;&gt;" in html
    text = pdf_text(render_pdf([html], ["1-KNĐ"]))
    assert INJECTED in text  # shown to the reader as the text it is


def test_an_injected_url_is_never_fetched(monkeypatch, caplog):
    """Were a template to reference remote or local files, WeasyPrint asks the fetcher, which
    refuses: the PDF is made without them and no connection is opened."""

    def no_network(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    part = (
        '<section class="form"><p>Hồ sơ</p>'
        '<img src="http://example.com/x.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://example.com/evil.css">'
        '<p style="background: url(file:///etc/hostname)">x</p></section>'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf([part])
    assert pdf.startswith(b"%PDF-")
    refused = " ".join(record.getMessage() for record in caplog.records)
    assert "example.com/x.png" in refused and "/etc/passwd" in refused
    assert "refused to fetch" in refused


def test_the_environment_is_sandboxed_autoescaping_and_built_once():
    env = environment()
    assert env is environment()
    assert env.autoescape is True
    assert env.is_safe_attribute is not None
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__ }}").render(x="")
    with pytest.raises(SecurityError):
        env.from_string("{{ x.append(1) }}").render(x=[])  # immutable sandbox
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_the_package_base_url_is_the_package_folder():
    assert BASE_URL.startswith("file://") and BASE_URL.endswith("/documents/")
    assert render.STYLESHEET == "static/forms.css"
