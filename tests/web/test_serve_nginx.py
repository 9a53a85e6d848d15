"""deploy/nginx/hoso.conf in front of a live ``hoso serve`` with ``HOSO_PROXY_FIX=1``: https and
its Secure cookie, http redirected, other host names refused, and a client's forged
X-Forwarded-For never taken for its address."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from db.migrate import upgrade
from tests.web.gunicorn_support import ROOT, free_port

SITE = ROOT / "deploy" / "nginx" / "hoso.conf"
NAME = "hoso.example.vn"
KEY = "n" * 40

# One xdist worker runs the module (make test's loadgroup), so nginx and the server start once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve_nginx")]


class Pinned(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 naming `host` in SNI and Host, as a browser at that name would."""

    def connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def request(port: int, method: str, path: str, *, tls: bool = True, host: str = NAME, **kw):
    """One request through nginx; the response with its body read."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = Pinned(host, port, timeout=20, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Host": host, **kw.pop("headers", {})}
    connection.request(method, path, headers=headers, **kw)
    response = connection.getresponse()
    response.text = response.read().decode()
    connection.close()
    return response


def _wait(check, what: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _site(app_port: int, http_port: int, https_port: int, folder: Path) -> str:
    """The site as shipped, on local ports and a throwaway certificate."""
    text = SITE.read_text()
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = re.sub(r"listen 80\b", f"listen 127.0.0.1:{http_port}", text)
    text = re.sub(r"listen 443\b", f"listen 127.0.0.1:{https_port}", text)
    text = text.replace("server 127.0.0.1:8000", f"server 127.0.0.1:{app_port}")
    text = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {folder}/cert.pem;", text)
    return re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {folder}/key.pem;", text)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """(https port, http port, the server's log): nginx → hoso serve on a migrated SQLite."""
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx and openssl are not installed (.ci/run installs nginx-light)")
    from db.session import make_engine

    folder = tmp_path_factory.mktemp("nginx")
    instance = folder / "instance"
    instance.mkdir()
    engine = make_engine(f"sqlite:///{instance / 'hoso.sqlite3'}")
    upgrade(engine)
    engine.dispose()
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", f"/CN={NAME}", "-keyout", f"{folder}/key.pem", "-out", f"{folder}/cert.pem"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    (folder / "site.conf").write_text(_site(app_port, http_port, https_port, folder))
    (folder / "logs").mkdir()
    user = "user root;" if os.geteuid() == 0 else ""  # workers able to read the scratch folder
    (folder / "nginx.conf").write_text(
        f"""{user}
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log;
events {{}}
http {{
    access_log {folder}/logs/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    include {folder}/site.conf;
}}
"""
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    environment.update(
        HOSO_INSTANCE=str(instance),
        HOSO_SECRET_KEY=KEY,
        HOSO_PROXY_FIX="1",
        HOSO_SECURITY_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    log = folder / "serve.log"
    hoso = [sys.executable, "-c", "from web.cli import main; main()", "serve"]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*hoso, "--workers", "1", "--threads", "2", "--port", str(app_port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proxy = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait(lambda: _listening(app_port), "hoso serve", log)
        _wait(lambda: _listening(https_port), "nginx", folder / "logs" / "error.log")
        yield https_port, http_port, log
    finally:
        _stop(proxy)
        _stop(server)


def test_https_through_nginx_gets_a_secure_cookie_and_hsts(proxied):
    https_port, _, _ = proxied
    response = request(https_port, "GET", "/login")
    assert response.status == 200
    assert "Secure" in response.getheader("Set-Cookie")
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"


def test_health_through_nginx(proxied):
    response = request(proxied[0], "GET", "/healthz")
    assert response.status == 200 and json.loads(response.text)["migrations"] == "current"


def test_plain_http_is_redirected_to_https(proxied):
    _, http_port, _ = proxied
    response = request(http_port, "GET", "/login?next=/", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{NAME}/login?next=/"


def test_another_host_name_gets_nothing(proxied):
    https_port, http_port, _ = proxied
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        request(http_port, "GET", "/login", tls=False, host="evil.example")
    with pytest.raises(ssl.SSLError):
        request(https_port, "GET", "/login", host="evil.example")


def test_a_forged_forwarded_for_is_not_the_address(proxied):
    """A failed login names nginx's view of the client (127.0.0.1), not the header's 6.6.6.6."""
    https_port, _, log = proxied
    page = request(https_port, "GET", "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    cookie = page.getheader("Set-Cookie").split(";")[0]
    forged = {
        "X-Forwarded-For": "6.6.6.6",
        "X-Forwarded-Host": "evil.example",
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        # Over https the CSRF check wants a same-site Referer, as a browser sends.
        "Referer": f"https://{NAME}/login",
    }
    body = urlencode({"username": "nobody.here", "password": "wrong-pass", "csrf_token": token})
    response = request(https_port, "POST", "/login", headers=forged, body=body)
    assert response.status == 401
    time.sleep(0.5)
    events = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    failed = [e for e in events if e.get("event") == "login_failed"]
    assert failed and failed[-1]["address"] == "127.0.0.1"
    assert "6.6.6.6" not in log.read_text()
