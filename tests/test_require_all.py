"""The HOSO_REQUIRE_ALL guard in tests/conftest.py turns every skip or xfail into a failure.

Each case runs pytest in a subprocess on a scratch project that holds a copy of the guard section,
once as a conftest.py and once as a plugin module loaded with -p; and each runs both in one process
and under pytest-xdist with two workers (``-n 2``, as ``make test`` runs the suite), where the
report hooks run in the workers and the session's end on the controller.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")
BEGIN = "# --- begin HOSO_REQUIRE_ALL guard ---"
END = "# --- end HOSO_REQUIRE_ALL guard ---"

SAMPLE_TESTS = """
import pytest


def test_runs():
    assert True


@pytest.mark.skipif(True, reason="marker-reason-123")
def test_skipped_by_marker():
    pass


def test_skipped_inline():
    pytest.skip("inline-reason-456")


@pytest.mark.xfail(reason="xfail-reason-789")
def test_expected_failure():
    assert False
"""


def guard_source() -> str:
    text = CONFTEST.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "tests/conftest.py lost its HOSO_REQUIRE_ALL markers"
    return text[text.index(BEGIN) : text.index(END) + len(END)] + "\n"


def run_pytest(
    project: Path,
    require_all: bool,
    *args: str,
    as_plugin: bool = False,
    workers: int | None = None,
) -> subprocess.CompletedProcess[str]:
    # PYTEST_* also drops what an xdist worker running this test has set (PYTEST_XDIST_WORKER...).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST_") and k != "HOSO_REQUIRE_ALL"
    }
    if require_all:
        env["HOSO_REQUIRE_ALL"] = "1"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "--color=no"]
    if workers is not None:
        command += ["-n", str(workers)]
    if as_plugin:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
        command += ["-p", "require_all_plugin"]
    result = subprocess.run(
        [*command, *args],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if workers is not None:
        # The run must really have gone through the workers, not quietly in one process.
        assert f"created: {workers}/{workers} workers" in result.stdout, result.stdout
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_sample.py").write_text(SAMPLE_TESTS, encoding="utf-8")
    return tmp_path


@pytest.fixture(params=[None, 2], ids=["one-process", "xdist-2"])
def workers(request: pytest.FixtureRequest) -> int | None:
    """The run in one process, and under pytest-xdist with two workers."""
    return request.param


@pytest.fixture(params=["conftest", "plugin"])
def mode(request: pytest.FixtureRequest, project: Path) -> str:
    name = "conftest.py" if request.param == "conftest" else "require_all_plugin.py"
    (project / name).write_text(guard_source(), encoding="utf-8")
    return request.param


def test_without_the_variable_skips_stay_skips(
    project: Path, mode: str, workers: int | None
) -> None:
    result = run_pytest(project, False, as_plugin=mode == "plugin", workers=workers)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "1 passed, 2 skipped, 1 xfailed" in out, out


def test_with_the_variable_every_skip_and_xfail_fails(
    project: Path, mode: str, workers: int | None
) -> None:
    result = run_pytest(project, True, as_plugin=mode == "plugin", workers=workers)
    out = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, out
    # The marker skip happens at setup, so it shows as an error; the others as failures.
    assert "2 failed, 1 passed, 1 error" in out, out
    assert "skipped" not in out.splitlines()[-1], out
    for reason in ("marker-reason-123", "inline-reason-456", "xfail-reason-789"):
        assert reason in out, f"{reason!r} missing from the report:\n{out}"
    assert "HOSO_REQUIRE_ALL=1: test_sample.py::test_skipped_inline was skipped" in out, out


def test_with_the_variable_an_xpass_fails(project: Path, workers: int | None) -> None:
    (project / "conftest.py").write_text(guard_source(), encoding="utf-8")
    (project / "test_sample.py").write_text(
        "import pytest\n\n\n@pytest.mark.xfail(reason='xpass-reason')\n"
        "def test_passes_anyway():\n    assert True\n",
        encoding="utf-8",
    )
    assert run_pytest(project, False, workers=workers).returncode == 0
    result = run_pytest(project, True, workers=workers)
    out = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, out
    assert "xpassed (xpass-reason)" in out, out


def test_with_the_variable_a_module_skipped_at_collection_fails(
    project: Path, workers: int | None
) -> None:
    (project / "conftest.py").write_text(guard_source(), encoding="utf-8")
    (project / "test_needs_module.py").write_text(
        "import pytest\n\npytest.importorskip('hoso_no_such_module')\n\n\n"
        "def test_never_runs():\n    pass\n",
        encoding="utf-8",
    )
    assert run_pytest(project, False, workers=workers).returncode == 0
    result = run_pytest(project, True, workers=workers)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "hoso_no_such_module" in out, out
    assert "skipped at collection" in out, out


def test_with_the_variable_no_tests_collected_fails(project: Path, workers: int | None) -> None:
    (project / "conftest.py").write_text(guard_source(), encoding="utf-8")
    (project / "test_sample.py").write_text("# no tests here\n", encoding="utf-8")
    assert (
        run_pytest(project, False, workers=workers).returncode == pytest.ExitCode.NO_TESTS_COLLECTED
    )
    result = run_pytest(project, True, workers=workers)
    out = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, out
    assert "no tests were collected" in out, out
