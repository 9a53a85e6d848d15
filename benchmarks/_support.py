"""What every benchmark shares: fresh databases, clocks, memory probes, counters and tables."""

from __future__ import annotations

import cProfile
import gc
import io
import os
import platform
import pstats
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url

from db.migrate import upgrade
from db.session import make_engine

POSTGRES_ENV = "HOSO_BENCH_POSTGRES_URL"


# --- databases ------------------------------------------------------------------------------


def backends() -> list[str]:
    """SQLite always; PostgreSQL when ``HOSO_BENCH_POSTGRES_URL`` names a server."""
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@contextmanager
def fresh_database(backend: str, label: str) -> Iterator[Engine]:
    """A migrated, empty database of `backend` for one benchmark run, thrown away afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"hoso-bench-{label}-") as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'hoso.sqlite3'}")
            try:
                upgrade(engine)
                yield engine
            finally:
                engine.dispose()
        return
    base = os.environ[POSTGRES_ENV]
    name = f"hoso_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def server_version(engine: Engine) -> str:
    """The database's own version string, short."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return "SQLite " + conn.exec_driver_sql("select sqlite_version()").scalar_one()
        return "PostgreSQL " + conn.exec_driver_sql("show server_version").scalar_one().split()[0]


@contextmanager
def count_statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement `engine` sends while the block runs (BEGIN/COMMIT not included)."""
    seen: list[str] = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _before)


# --- clocks ---------------------------------------------------------------------------------


@dataclass
class Timings:
    """Wall-clock seconds of repeated runs of one contender."""

    runs: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.runs.append(seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def total(self) -> float:
        return sum(self.runs)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """`fn`'s result and how many seconds it took."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# --- memory ---------------------------------------------------------------------------------

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kib(key: str) -> int | None:
    try:
        match = re.search(rf"^{key}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(match.group(1)) if match else None


def rss_kib() -> int:
    """The process's resident set now (Linux), else its peak so far."""
    return _status_kib("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux ≥ 4.0); False where that is not possible."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class MemoryUse:
    """Memory a call needed: RSS before it, peak RSS during it, peak traced Python allocations."""

    rss_before_kib: int
    rss_peak_kib: int
    traced_peak_bytes: int | None
    #: False when the peak is the process's lifetime peak (no per-call reset was possible).
    per_call_peak: bool

    @property
    def rss_growth_kib(self) -> int:
        return max(0, self.rss_peak_kib - self.rss_before_kib)


def measure_memory(fn: Callable[[], Any], traced: bool = True) -> MemoryUse:
    """Run `fn` twice, untimed: once for peak RSS, once under tracemalloc for Python's peak."""
    gc.collect()
    before = rss_kib()
    per_call = _reset_peak()
    result = fn()
    peak = _status_kib("VmHWM") if per_call else None
    peak = peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del result
    traced_peak = None
    if traced:
        gc.collect()
        tracemalloc.start()
        try:
            result = fn()
            traced_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        del result
    gc.collect()
    return MemoryUse(before, peak, traced_peak, per_call)


def mib(kib_or_bytes: float, unit: str = "kib") -> str:
    """A size in MiB with one decimal."""
    divisor = 1024 if unit == "kib" else 1024 * 1024
    return f"{kib_or_bytes / divisor:.1f} MiB"


# --- counting machines and loaded rows ------------------------------------------------------


@contextmanager
def count_machines() -> Iterator[dict[str, int]]:
    """How many ``transitions.Machine`` objects are built and models added while the block runs."""
    from transitions.core import Machine

    counts = {"machines": 0, "add_model": 0}
    original_init, original_add = Machine.__init__, Machine.add_model

    def counting_init(self, *args, **kwargs):
        counts["machines"] += 1
        original_init(self, *args, **kwargs)

    def counting_add(self, model, *args, **kwargs):
        if model is not None:
            counts["add_model"] += 1
        return original_add(self, model, *args, **kwargs)

    Machine.__init__, Machine.add_model = counting_init, counting_add
    try:
        yield counts
    finally:
        Machine.__init__, Machine.add_model = original_init, original_add


@contextmanager
def count_loads(mapped: type) -> Iterator[dict[str, int]]:
    """How many instances of an ORM class (or of its subclasses) are loaded from rows."""
    counts = {"loaded": 0}

    def _on_load(target, context):
        counts["loaded"] += 1

    event.listen(mapped, "load", _on_load, propagate=True)
    try:
        yield counts
    finally:
        event.remove(mapped, "load", _on_load)


# --- profiles and tables --------------------------------------------------------------------


def profile(fn: Callable[[], Any], title: str, top: int = 25) -> str:
    """Run `fn` under cProfile and print (and return) its top entries by own time."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    report = f"--- profile: {title} ---\n{out.getvalue()}"
    print(report)
    return report


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a small aligned table."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    print(f"\n{title}")
    for n, row in enumerate(cells):
        print(
            "  "
            + "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def goal(met: bool) -> str:
    """How a table says whether a goal is met."""
    return "met" if met else "MISSED"


def machine_info() -> dict[str, Any]:
    """The machine the numbers come from."""
    import psycopg
    import sqlalchemy

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlalchemy": sqlalchemy.__version__,
        "psycopg": psycopg.__version__,
    }


def on_every_backend(
    name: str,
    run_on: Callable[[Any, bool, bool], dict[str, Any]],
    show: Callable[[dict[str, Any]], None],
    quick: bool,
    profile: bool,
) -> dict[str, Any]:
    """Run a benchmark on a fresh database of every backend, print its table, return the numbers."""
    results = {}
    for backend in backends():
        with fresh_database(backend, name) as engine:
            results[backend] = run_on(engine, quick, profile)
    show(results)
    return results
