"""``python -m benchmarks [NAME...] [--quick] [--profile] [--json FILE]``: run the benchmarks."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

from benchmarks import NAMES
from benchmarks._support import POSTGRES_ENV, backends, machine_info

NAMES = (*NAMES, "targets")  # the targets report (benchmarks/targets.py)
#: Run only when named: load needs PostgreSQL and takes minutes (benchmarks/load.py);
#: audit_resume builds 100,000 cases per backend (benchmarks/audit_resume.py).
BY_NAME = ("load", "audit_resume")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure hoso against bare library calls doing the same work "
        "(docs/performance.md). SQLite always; PostgreSQL too when "
        f"{POSTGRES_ENV} names a server.",
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"one of {', '.join(NAMES + BY_NAME)}"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--profile", action="store_true", help="also print cProfile's top entries for the engine"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every number to FILE")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in NAMES + BY_NAME]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r} (known: {', '.join(NAMES + BY_NAME)})")

    info = machine_info()
    print(
        f"hoso benchmarks{' (quick)' if args.quick else ''}: {info['cores']} cores "
        f"({info['cpu']}), Python {info['python']}, SQLAlchemy {info['sqlalchemy']}, "
        f"psycopg {info['psycopg']}; databases: {', '.join(backends())}"
    )
    if POSTGRES_ENV not in os.environ:
        print(f"  (set {POSTGRES_ENV} to also measure on PostgreSQL)")
    results: dict = {"machine": info, "quick": args.quick, "benchmarks": {}}
    for name in args.names or NAMES:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"\n=== {name}: {module.TITLE}")
        start = time.perf_counter()
        results["benchmarks"][name] = module.run(quick=args.quick, profile=args.profile)
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        results.setdefault("load_average", {})[name] = os.getloadavg()
        print(f"  ({name} took {time.perf_counter() - start:.0f} s in all; load average {load})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
        print(f"\nnumbers written to {args.json}")
    # A goal missed is written down, not an error; a failed request under load is.
    failed = any(r.get("failed_requests") for r in results["benchmarks"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
