#!/usr/bin/env python3
"""Time ``score_units`` at district scale on PostgreSQL (issue 6: under 60 s for 50,000 units).

    DATABASE_URL=postgres://portal@127.0.0.1:5432/engine_bench \\
        .venv/bin/python scripts/bench_scoring.py [--period 2026-10] [--runs 2] [--seed 1]

The database named in DATABASE_URL is created when missing (the role needs CREATEDB), migrated,
and seeded once with ``seed_demo --scale district`` (50,000 units with a year of complaints,
sampling, checks and enforcement records); later runs reuse it, ``--reseed`` drops and rebuilds
it. Then ``score_units`` for the month runs ``--runs`` times in one process (the first run on a
period may insert, later ones replace), each with its query count and the split of its time,
and once more as ``manage.py score_units`` for the wall clock a user sees. The database is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DISTRICT_UNITS = 50_000

TIMED_RUNS = """
import json, os
from django.db import connection
from django.test.utils import CaptureQueriesContext
from scoring import periods
from scoring.grading import engine
from scoring.models import UnitScore
from units.models import Unit
from complaints.models import Complaint
from inspections.models import SamplingBatch, OnSiteCheck, Finding
from units.models import Commitment, ServiceStation

period = periods.parse(os.environ["BENCH_PERIOD"])
counts = {
    "units": Unit.objects.count(),
    "operating units": Unit.objects.filter(business_status="operating").count(),
    "commitments": Commitment.objects.count(),
    "stations": ServiceStation.objects.count(),
    "complaints": Complaint.objects.count(),
    "sampling batches": SamplingBatch.objects.count(),
    "on-site checks": OnSiteCheck.objects.count(),
    "findings": Finding.objects.count(),
}
runs = []
for _ in range(int(os.environ["BENCH_RUNS"])):
    with CaptureQueriesContext(connection) as queries:
        summary = engine.score_units(period)
    summary["queries"] = len(queries.captured_queries)
    runs.append(summary)
print(json.dumps({"counts": counts, "runs": runs}))
"""


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed with status {result.returncode}")
    return result


def ensure_database(url: str, *, reseed: bool) -> None:
    import psycopg  # only needed here

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
    try:
        with connection.cursor() as cursor:
            if reseed:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def unit_count(env: dict[str, str]) -> int:
    code = "from units.models import Unit; print(Unit.objects.count())"
    return int(manage(env, "shell", "-c", code).stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--period", default="", help="default: the current month")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="drop and rebuild the database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL=postgres://…/engine_bench (a database of its own).")
    period = args.period or time.strftime("%Y-%m")

    ensure_database(url, reseed=args.reseed)
    with tempfile.TemporaryDirectory(prefix="bench_scoring_") as data_dir:
        env = {**os.environ, "DATA_DIR": data_dir}
        manage(env, "migrate", "--no-input", "-v", "0")
        if unit_count(env) < DISTRICT_UNITS:
            print(f"seeding: seed_demo --scale district --seed {args.seed} …", flush=True)
            started = time.perf_counter()
            output = manage(env, "seed_demo", "--scale", "district", "--seed", str(args.seed))
            print(f"  seeded in {time.perf_counter() - started:.0f} s")
            for line in output.stdout.splitlines():
                if "seeded" in line or line.startswith("scoring:"):
                    print(f"  {line}")
        print(f"timing score_units for {period}, {args.runs} run(s) in one process …", flush=True)
        timed_env = {**env, "BENCH_PERIOD": period, "BENCH_RUNS": str(args.runs)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = manage(timed_env, "shell", "-c", TIMED_RUNS)
        # The largest child so far: the timed process, unless the seeding one was bigger.
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak_note = "" if peak_kb > before else " (the seeding run was larger)"
        data = json.loads(result.stdout.strip().splitlines()[-1])
        started = time.perf_counter()
        command = manage(env, "score_units", "--period", period).stdout.strip()
        wall = time.perf_counter() - started

    print(f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()}")
    print("data: " + ", ".join(f"{k} {v:,}" for k, v in data["counts"].items()))
    print("\n| run | units | seconds | read | compute | write | status | queries |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for index, run in enumerate(data["runs"], 1):
        t = run["timings"]
        print(
            f"| {index} | {run['units']:,} | {run['seconds']:.1f} | {t['read']:.1f} | "
            f"{t['compute']:.1f} | {t['write']:.1f} | {t['status']:.1f} | {run['queries']} |"
        )
    print(f"\nmanage.py score_units --period {period}: {wall:.1f} s wall clock")
    print(f"  {command}")
    print(f"grades: {data['runs'][-1]['by_grade']}, vetoed {data['runs'][-1]['vetoed']}")
    print(f"peak memory of the timed process: {peak_kb / 1024:.0f} MB{peak_note}")


if __name__ == "__main__":
    main()
