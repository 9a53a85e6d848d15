"""deploy/: the systemd units pass ``systemd-analyze verify``, the nginx site passes ``nginx -t``,
and every command they and the compose file run is a real ``hoso`` command with valid options,
every variable they set documented in the README."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from tests.test_environment_table import table_names
from web.cli import cli

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
SITE = DEPLOY / "nginx" / "hoso.conf"
COMPOSE = DEPLOY / "compose.yaml"
#: Where the units expect hoso (a checkout in /opt/hoso with its .venv, as `make setup` makes).
INSTALLED = "/opt/hoso/.venv/bin/hoso"


def parse_hoso(args: list[str]) -> click.Context:
    """Parse `args` (``hoso <command> [options]``) as the real command would, without running."""
    assert args[0] in ("hoso", INSTALLED), args
    assert len(args) > 1 and args[1] in cli.commands, f"no command `hoso {args[1:2]}`"
    command = cli.commands[args[1]]
    return command.make_context(f"hoso {args[1]}", list(args[2:]))


def unit_values(path: Path, key: str) -> list[str]:
    return [
        line.split("=", 1)[1]
        for line in path.read_text().splitlines()
        if line.startswith(f"{key}=")
    ]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_there_are_units_for_the_server_and_the_worker():
    commands = {shlex.split(unit_values(u, "ExecStart")[0])[1] for u in UNITS}
    assert commands == {"serve", "worker"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_runs_a_real_command_with_valid_options(unit):
    (start,) = unit_values(unit, "ExecStart")
    args = shlex.split(start)
    assert args[0] == INSTALLED
    parse_hoso(args)  # raises on an unknown option or a bad value
    (environment,) = unit_values(unit, "EnvironmentFile")
    assert environment == "/etc/hoso/hoso.env"
    # A refused configuration (exit 2) must not restart in a loop.
    assert unit_values(unit, "RestartPreventExitStatus") == ["2"]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_analyze_verifies_the_unit(unit, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (.ci/run installs systemd)")
    # verify checks that the command exists: point it at this checkout's hoso.
    hoso = Path(sys.executable).with_name("hoso")
    copy = tmp_path / unit.name
    copy.write_text(unit.read_text().replace(INSTALLED, str(hoso)))
    result = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    # Any line (an unknown key, a missing command) is a finding, even with exit code 0.
    findings = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 0 and not findings, "\n".join(findings)


def test_the_example_environment_sets_only_documented_variables():
    lines = (DEPLOY / "hoso.env.example").read_text().splitlines()
    names = [re.match(r"#?\s*(HOSO_[A-Z0-9_]+)=", line) for line in lines]
    names = [m.group(1) for m in names if m]
    assert {"HOSO_SECRET_KEY", "HOSO_DATABASE_URL", "HOSO_PROXY_FIX"} <= set(names)
    assert set(names) <= set(table_names())


def _site_with(certificate: Path, key: Path) -> str:
    text = SITE.read_text()
    text = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {certificate};", text)
    return re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {key};", text)


def test_nginx_accepts_the_site(tmp_path):
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx and openssl are not installed (.ci/run installs nginx-light)")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=hoso.example.vn", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    (tmp_path / "site.conf").write_text(_site_with(certificate, key))
    (tmp_path / "logs").mkdir()
    # A wrapper as /etc/nginx/nginx.conf would be, with every path in the scratch folder.
    (tmp_path / "nginx.conf").write_text(
        f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{}}
http {{
    access_log {tmp_path}/logs/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    include {tmp_path}/site.conf;
}}
"""
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_matches_the_app_settings():
    """client_max_body_size leaves room above HOSO_UPLOAD_MAX_BYTES; forwarded headers are the
    ones HOSO_PROXY_FIX believes, the others cleared."""
    text = SITE.read_text()
    env = (DEPLOY / "hoso.env.example").read_text()
    limit = int(re.search(r"^HOSO_UPLOAD_MAX_BYTES=(\d+)$", env, re.M).group(1))
    (body,) = re.findall(r"client_max_body_size (\d+)m;", text)
    assert limit < int(body) * 1024 * 1024 <= limit + 2 * 1024 * 1024
    assert re.search(r"^HOSO_PROXY_FIX=1$", env, re.M)
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    for cleared in ("Host", "Port", "Prefix"):
        assert f'proxy_set_header X-Forwarded-{cleared} "";' in text
    assert "proxy_pass http://hoso_app;" in text and "server 127.0.0.1:8000" in text


def test_compose_runs_postgres_the_app_and_the_worker():
    services = compose()["services"]
    assert services["db"]["image"] == "postgres:15"
    commands = {name: s["command"] for name, s in services.items() if "command" in s}
    assert {args[1] for args in commands.values()} >= {"init", "serve", "worker"}
    for args in commands.values():
        parse_hoso(args)
    # The app and the worker share the instance folder (uploads, the packet cache).
    for name in ("app", "worker"):
        assert "instance:/var/lib/hoso" in services[name]["volumes"]
        assert services[name]["environment"]["HOSO_INSTANCE"] == "/var/lib/hoso"
        assert services[name]["depends_on"]["init"]["condition"] == (
            "service_completed_successfully"
        )
    assert {"pgdata", "instance"} <= set(compose()["volumes"])
    dockerfile = DEPLOY / services["app"]["build"]["dockerfile"].removeprefix("deploy/")
    assert dockerfile.is_file()


def test_compose_sets_only_documented_variables():
    documented = set(table_names())
    for name, service in compose()["services"].items():
        if name == "db":
            continue
        unknown = set(service["environment"]) - documented
        assert not unknown, f"{name} sets undocumented {sorted(unknown)}"
        assert service["environment"]["HOSO_SECRET_KEY"].startswith("${HOSO_SECRET_KEY:?")
