"""The Host header never reaches a generated document: every download that prints a verification
address (the form's newest copy, a copy by id, the packet, the API's two) prints the configured
one, in its text and in its QR code (decoded from the rendered page), whatever ``Host`` or
``X-Forwarded-Host`` the client sends; without a configured address the code stands alone
(production) or points to ``hoso run``'s address (development)."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from db.runtime import Runtime
from tests.api.support import ApiClient, mint
from tests.documents.conftest import pdf_text
from tests.web.conftest import Browser
from tests.web.test_documents_web import CHU_VAN_AN, case_of, generated_of
from workflow.settings import ReminderSettings

BASE = "https://hoso.example.vn"
EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}


def make_app(demo_runtime, tmp_path, monkeypatch, base: str | None, development: bool = False):
    """The demo's app with `base` as its configured address (HOSO_BASE_URL), trusting one proxy
    (so that forwarded headers are in play, as behind nginx)."""
    from web import create_app

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("HOSO_PROXY_FIX", "1")
    settings = replace(demo_runtime.settings, reminders=ReminderSettings(base_url=base))
    runtime = Runtime(demo_runtime.engine, demo_runtime.sessions, settings)
    config = {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True}
    return create_app(config, runtime=runtime, development=development)


def downloads(app, runtime) -> dict[str, bytes]:
    """Every PDF of an admitted case that carries a verification address, asked for with a
    forged Host and X-Forwarded-Host."""
    case_id = case_of(runtime, "admitted", CHU_VAN_AN)
    made = generated_of(runtime, case_id)
    web = Browser(app.test_client())
    assert web.login("bithu.chuvanan").status_code == 302
    # The session cookie was set for the test client's own host: sent by hand to the forged one
    # (as a browser sends it to the server it reached, whatever Host the request then names).
    cookie = "; ".join(f"{c.key}={c.value}" for c in web.client._cookies.values())
    forged = {**EVIL, "Cookie": cookie}
    bare = app.test_client(use_cookies=False)
    api = ApiClient(app, mint(runtime, "bithu.chuvanan"))
    answers = {
        "form": bare.get(f"/candidates/{case_id}/documents/9-KNĐ.pdf", headers=forged),
        "generated": bare.get(f"/candidates/{case_id}/generated/{made.id}.pdf", headers=forged),
        "packet": bare.get(f"/candidates/{case_id}/packet.pdf", headers=forged),
        "api form": api.get(f"/cases/{case_id}/documents/9-KNĐ.pdf", headers=EVIL),
        "api generated": api.get(f"/cases/{case_id}/generated/{made.id}.pdf", headers=EVIL),
    }
    for name, answer in answers.items():
        assert answer.status_code == 200 and answer.data.startswith(b"%PDF-"), name
    return {name: answer.data for name, answer in answers.items()} | {"code": made.verify_code}


def test_a_forged_host_reaches_no_document(demo_runtime, tmp_path, monkeypatch):
    app = make_app(demo_runtime, tmp_path, monkeypatch, BASE)
    got = downloads(app, demo_runtime)
    code = got.pop("code")
    for name, pdf in got.items():
        text = pdf_text(pdf)
        assert f"{BASE}/verify/{code}" in text, name
        assert "evil" not in text and "localhost" not in text, name


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils")
def test_the_qr_code_leads_to_the_configured_address(demo_runtime, tmp_path, monkeypatch):
    from tests.documents.test_verification_url import page_image, qr_codes

    app = make_app(demo_runtime, tmp_path, monkeypatch, BASE)
    got = downloads(app, demo_runtime)
    code = got.pop("code")
    for name in ("generated", "api generated"):
        folder = tmp_path / name.replace(" ", "-")
        folder.mkdir()
        (found,) = qr_codes(page_image(got[name], folder))
        assert found.text == f"{BASE}/verify/{code}", name


def test_without_an_address_the_code_stands_alone(demo_runtime, tmp_path, monkeypatch):
    app = make_app(demo_runtime, tmp_path, monkeypatch, None)
    got = downloads(app, demo_runtime)
    code = got.pop("code")
    for name, pdf in got.items():
        text = pdf_text(pdf)
        assert code in text and "chưa cấu hình địa chỉ tra cứu" in text, name
        assert "/verify/" not in text and "evil" not in text, name


def test_in_development_the_address_is_hoso_runs(demo_runtime, tmp_path, monkeypatch):
    app = make_app(demo_runtime, tmp_path, monkeypatch, None, development=True)
    got = downloads(app, demo_runtime)
    code = got.pop("code")
    for name, pdf in got.items():
        assert f"http://127.0.0.1:5000/verify/{code}" in pdf_text(pdf), name
        assert "evil" not in pdf_text(pdf), name


def test_a_configured_address_with_a_path_and_a_trailing_slash(demo_runtime, tmp_path, monkeypatch):
    app = make_app(demo_runtime, tmp_path, monkeypatch, "https://dang.example.vn/hoso/")
    got = downloads(app, demo_runtime)
    code = got.pop("code")
    assert f"https://dang.example.vn/hoso/verify/{code}" in pdf_text(got["generated"])
