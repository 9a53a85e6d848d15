"""Every response carries the security headers; no page loads from another host or inline script.

And every static asset a page names is served.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.web.security_support import CHU_VAN_AN, client_of, scalar, sql, start_site, user_id_of


@pytest.fixture(scope="module")
def site(demo_template, tmp_path_factory):
    """The demo district copied once for the module's read-only checks."""
    yield from start_site(demo_template, tmp_path_factory)


#: (account, method, path): pages, redirects, errors, static files, a download.
RESPONSES = [
    (None, "GET", "/login"),
    (None, "GET", "/"),
    (None, "GET", "/static/hoso.css"),
    (None, "GET", "/nowhere"),
    (None, "POST", "/login"),
    ("admin", "GET", "/admin/"),
    ("admin", "GET", "/admin/users"),
    ("admin", "GET", "/admin/static/admin.css"),
    ("admin", "GET", "/candidates/"),
    ("admin", "GET", "/candidates/1"),
    ("admin", "GET", "/logout"),
    ("kiemtra", "GET", "/audit/"),
    ("kiemtra", "GET", "/audit/export.csv"),
    ("kiemtra", "GET", "/audit/verify"),
    ("kiemtra", "POST", "/candidates/1/actions/admit"),
    ("bantochuc", "GET", "/reviews/"),
    ("bithu.chuvanan", "GET", "/candidates/"),
    ("bithu.chuvanan", "GET", "/candidates/1"),
]


def _directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = words[1:]
    return found


@pytest.mark.parametrize(("account", "method", "path"), RESPONSES)
def test_every_response_carries_the_security_headers(site, account, method, path):
    browser = client_of(site, account)
    response = browser.client.open(path, method=method)
    headers = response.headers
    policy = _directives(headers.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None, f"{path}: no script policy"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts and "http:" not in scripts and "https:" not in scripts
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Referrer-Policy") in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    )


class _Links(HTMLParser):
    """Every URL an element of the page names."""

    ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "xlink:href"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.inline: list[str] = []  # inline scripts and event handlers

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                urls = [u.split()[0] for u in value.split(",")] if name == "srcset" else [value]
                self.urls.extend((tag, name, url.strip()) for url in urls)
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=...>")
        if tag == "script" and not dict(attrs).get("src"):
            self.inline.append("<script> without src")


def _main_pages(app) -> list[tuple[str | None, str]]:
    runtime = app.extensions["hoso"]
    cases = [row[0] for row in sql(runtime, "SELECT min(id) FROM cases GROUP BY state")]
    user = user_id_of(runtime, "bithu.chuvanan")
    org = scalar(runtime, "SELECT id FROM organisations WHERE name = :n", n=CHU_VAN_AN)
    pages: list[tuple[str | None, str]] = [(None, "/login"), (None, "/nowhere")]
    pages += [
        ("admin", path)
        for path in (
            "/",
            "/admin/",
            "/admin/users",
            "/admin/users/new",
            f"/admin/users/{user}",
            "/admin/organisations",
            "/admin/organisations/new",
            f"/admin/organisations/{org}",
            "/candidates/",  # 403
        )
    ]
    pages += [
        ("bantochuc", path)
        for path in ("/", "/candidates/", "/reviews/", "/audit/", "/audit/verify")
    ]
    pages += [("bantochuc", f"/candidates/{case}") for case in cases]
    pages += [("kiemtra", f"/audit/cases/{case}") for case in cases]
    pages += [("kiemtra", "/candidates/99999")]
    pages += [
        (username, "/")
        for username in (
            "bithu.chuvanan",
            "giupdo.chuvanan",
            "bithu.dongthuy",
            "giupdo.dongthuy",
            "doan.chuvanan",
            "congdoan.dongthuy",
            "trungtam",
        )
    ]
    pages += [
        ("bithu.chuvanan", "/candidates/"),
        ("bithu.chuvanan", "/candidates/new"),
        ("giupdo.chuvanan", "/candidates/"),
    ]
    return pages


def _links_of_main_pages(app) -> list[tuple[str | None, str, str, str, str]]:
    """(user, page, tag, attribute, url) of every URL on the main pages; inline scripts too."""
    found = []
    for username, path in _main_pages(app):
        response = client_of(app, username).get(path)
        assert response.mimetype == "text/html", path
        parser = _Links()
        parser.feed(response.text)
        where = f"{path} (as {username or 'nobody'})"
        found += [(username, where, tag, attr, url) for tag, attr, url in parser.urls]
        found += [(username, where, "inline", "script", text) for text in parser.inline]
    return found


def test_no_page_uses_another_host_or_inline_script(site):
    bad = []
    for _, page, tag, attribute, url in _links_of_main_pages(site):
        if tag == "inline":
            bad.append(f"{page}: {url}")
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https", "mailto"):
            bad.append(f"{page}: <{tag} {attribute}={url!r}> ({parts.scheme}: URL)")
        elif parts.netloc and parts.netloc != "localhost":
            bad.append(f"{page}: <{tag} {attribute}={url!r}> links to {parts.netloc}")
    assert not bad, "\n".join(bad)


def test_every_static_asset_referenced_is_served(site):
    """Style sheets, icons, images and scripts, each fetched as the user whose page names it
    (and what a style sheet loads in turn)."""
    assets = {
        (username, urlsplit(url).path)
        for username, _, tag, attribute, url in _links_of_main_pages(site)
        if (tag, attribute) in {("link", "href"), ("script", "src"), ("img", "src")}
    }
    assert {"/static/hoso.css", "/static/favicon.svg"} <= {path for _, path in assets}
    checked = set()
    while assets:
        username, path = asset = assets.pop()
        checked.add(asset)
        response = client_of(site, username).get(path)
        assert response.status_code == 200, f"{path} is referenced but not served"
        assert response.data, f"{path} is empty"
        if path.endswith(".css"):
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", response.text):
                if url.startswith(("data:", "#")):
                    continue
                parts = urlsplit(urljoin(path, url))
                assert not parts.netloc, f"{path} loads {url} from another host"
                if (username, parts.path) not in checked:
                    assets.add((username, parts.path))
