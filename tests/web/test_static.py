"""Static files under URLs naming their content: a year's cache for the current hash, a short
one for an unhashed or stale URL; the app's static folder and every blueprint's."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for

from web.static import LONG, SHORT


@pytest.fixture(scope="module")
def site(demo_template, tmp_path_factory):
    from tests.web.security_support import start_site

    yield from start_site(demo_template, tmp_path_factory)


def static_files(app) -> list[tuple[str, Path, Path]]:
    """(endpoint, folder, file) for every file of the app's and each blueprint's static folder."""
    folders = {"static": app.static_folder}
    folders |= {f"{name}.static": bp.static_folder for name, bp in app.blueprints.items()}
    found = []
    for endpoint, folder in folders.items():
        if folder and Path(folder).is_dir():
            files = sorted(p for p in Path(folder).rglob("*") if p.is_file())
            found += [(endpoint, Path(folder), path) for path in files]
    return found


def _url(app, endpoint: str, folder: Path, path: Path) -> str:
    with app.test_request_context():
        return url_for(endpoint, filename=path.relative_to(folder).as_posix())


def test_every_static_folder_is_covered(site):
    endpoints = {endpoint for endpoint, _, _ in static_files(site)}
    # The app's own and the blueprints' that have files (admin, audit, classes, ...).
    assert {"static", "admin.static", "audit.static", "reports.static"} <= endpoints


def _client(site, endpoint: str):
    """A client the blueprint lets in (some serve their static files to their users only)."""
    from tests.web.security_support import client_of

    return client_of(site, "admin" if endpoint == "admin.static" else "bantochuc").client


def test_every_static_url_names_its_content_and_is_cached_for_a_year(site):
    for endpoint, folder, path in static_files(site):
        client = _client(site, endpoint)
        url = _url(site, endpoint, folder, path)
        (version,) = parse_qs(urlsplit(url).query)["v"]
        assert version == hashlib.sha256(path.read_bytes()).hexdigest()[: len(version)], url
        assert len(version) >= 8
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.data == path.read_bytes()
        assert response.headers["Cache-Control"] == LONG, url
        assert "Expires" not in response.headers


def test_an_unhashed_or_stale_url_still_works_briefly(site):
    client = _client(site, "admin.static")
    for url in ("/static/hoso.css", "/static/hoso.css?v=0123456789ab", "/admin/static/admin.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == SHORT, url


def test_a_missing_file_is_not_cached(site):
    response = site.test_client().get("/static/nothing.css?v=0123456789ab")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("Cache-Control", "")


def test_pages_link_hashed_urls_only(site):
    """The login page (base.html) names its CSS and icon by hash; each link is served."""
    client = site.test_client()
    page = client.get("/login").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/[^"]*static/[^"]*)"', page)
    assert links
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{12}$", link), link
        assert client.get(link.replace("&amp;", "&")).headers["Cache-Control"] == LONG


def test_a_changed_file_gets_a_new_url_after_a_restart(tmp_path, monkeypatch):
    """The hash is computed once per process: a deploy (new process) names the new content."""
    from web.static import Digests

    (tmp_path / "a.css").write_text("body{}")
    first = Digests().of(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("body{color:red}")
    digests = Digests()
    second = digests.of(str(tmp_path), "a.css")
    assert first != second
    (tmp_path / "a.css").write_text("p{}")
    assert digests.of(str(tmp_path), "a.css") == second  # not read again in this process
    assert digests.of(str(tmp_path), "../etc/passwd") is None
