"""hoso's benchmarks: each measures the engine against a bare library call doing the same work.

Run them with ``make bench`` or ``.venv/bin/python -m benchmarks [NAME...] [--quick]``; the
results and how to read them are in ``docs/performance.md``. Each benchmark module exposes
``NAME``, ``TITLE`` and ``run(quick=False, profile=False) -> dict``, which prints small tables and
returns its numbers. Databases are fresh: a SQLite file in a temporary folder, and a dedicated
PostgreSQL database too when ``HOSO_BENCH_POSTGRES_URL`` names a server.
"""

from __future__ import annotations

#: The benchmarks in the order ``python -m benchmarks`` runs them.
NAMES = ("transitions", "listing", "audit", "web_pages", "importing", "documents")
