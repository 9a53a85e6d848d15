"""The load benchmark's scenario (benchmarks/load_locustfile.py) against a tiny live server.

The whole path of ``python -m benchmarks load`` on a small database: populate, the plan, the app
under gunicorn, locust headless in a subprocess, its CSV statistics read back. Each simulated
user first does every one of its tasks once (the plan's ``tour``) and thinks briefly, so that a
run of a few seconds logs in, browses and acts as every role does; none of it may fail.
"""

from __future__ import annotations

import pytest

from benchmarks import _load_plan, load

#: Every request the scenario makes, by the name its statistics group it under.
REQUESTS = {
    "GET /login",
    "POST /login",
    "GET /",
    "GET /candidates/",
    "GET /candidates/?q=[name]",
    "GET /candidates/[id]",
    "POST /candidates/[id]/facts/note",
    "GET /reviews/",
    "POST /reviews/decide",
    "GET /reports/statistics",
    "GET /reports/targets",
    "GET /audit/",
    "GET /audit/cases/[id]",
    "GET /audit/verify",
    # The new database has no stored check: the first visit answers 202 and the auditor asks
    # the status until the worker (started beside the server) has stored one.
    "GET /audit/verify/status",
}
#: The secretary's act: a withdrawal of one of its identified cases, or the reinstatement of one
#: of its withdrawn ones (the plan holds both; which one a short run draws first is chance).
SECRETARY_ACTS = {
    "POST /candidates/[id]/actions/withdraw",
    "POST /candidates/[id]/actions/reinstate",
}


def test_the_users_of_each_role():
    assert _load_plan.counts(50, 20) == {
        "mentor": 26,
        "secretary": 10,
        "committee": 12,
        "auditor": 2,
    }
    assert _load_plan.counts(4, 1) == {"mentor": 1, "secretary": 1, "committee": 1, "auditor": 1}
    assert _load_plan.counts(50, 3)["secretary"] == 3  # one per cell at most
    with pytest.raises(ValueError):
        _load_plan.counts(3, 20)


def test_load_runs_only_by_name_and_a_failed_request_fails_the_command(monkeypatch, capsys):
    from benchmarks import __main__ as bench

    assert "load" not in bench.NAMES  # make bench: the others; load needs PostgreSQL
    monkeypatch.setattr(load, "run", lambda quick, profile: {"failed_requests": 0})
    assert bench.main(["load", "--quick"]) == 0
    monkeypatch.setattr(load, "run", lambda quick, profile: {"failed_requests": 2})
    assert bench.main(["load", "--quick"]) == 1


def test_without_postgresql_it_says_so_and_skips(monkeypatch, capsys):
    monkeypatch.delenv("HOSO_BENCH_POSTGRES_URL", raising=False)
    assert load.run(quick=True) == {"skipped": "HOSO_BENCH_POSTGRES_URL not set"}
    assert "PostgreSQL only" in capsys.readouterr().out


def test_the_stats_are_read_from_locusts_csv(tmp_path):
    prefix = tmp_path / "locust"
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    )
    numbers = "40,1,51,60,9,900,1000,2.0,0.1,51,60,70,80,90,300,500,700,900,900,900\n"
    (tmp_path / "locust_stats.csv").write_text(
        f"{header}GET,/candidates/[id],{numbers},Aggregated,{numbers}"
    )
    (tmp_path / "locust_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nGET,/candidates/[id],answered 409,1\n"
    )
    (tmp_path / "locust_exceptions.csv").write_text(
        'Count,Message,Traceback,Nodes\n2,"KeyError(\'x\')","  File ...",local\n'
    )
    stats = load.read_stats(prefix)
    (page,) = stats["pages"]
    assert (page["requests"], page["failures"], page["p50_ms"], page["p95_ms"]) == (40, 1, 51, 300)
    assert page["p99_ms"] == 700
    assert stats["total"]["name"] == "Aggregated"
    assert stats["errors"] == [
        {"method": "GET", "name": "/candidates/[id]", "error": "answered 409", "occurrences": 1},
        # a bug of the scenario's own code is an error too
        {"method": "", "name": "(the scenario's code)", "error": "KeyError('x')", "occurrences": 2},
    ]
    assert stats["retried"] == {}


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_scenario_runs_without_failures(runtime, tmp_path):
    size = {
        **load.settings(quick=True),
        **{"cases": 300, "events": 3_000, "cells": 2, "heavy": 40},
        **{"users": 5, "duration": "6s", "workers": 1, "threads": 4},
        **{"think": 0.05, "tour": True},
    }
    result = load.measure(runtime.engine, size, keep=tmp_path)
    assert result["failed_requests"] == 0, result["errors"]
    assert result["errors"] == []
    done = {f"{p['method']} {p['name']}": p["requests"] for p in result["pages"]}
    assert set(done) >= REQUESTS, REQUESTS - set(done)
    assert set(done) & SECRETARY_ACTS, "the secretary neither withdrew nor reinstated a case"
    assert done["POST /login"] == 5  # each user logs in once
    assert result["users"] == {"mentor": 2, "secretary": 1, "committee": 1, "auditor": 1}
