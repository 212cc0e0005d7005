#!/usr/bin/env python3
"""Time ``seed_demo`` into a fresh, throw-away database and count what it wrote.

    .venv/bin/python scripts/bench_seed.py                       # SQLite only
    DATABASE_URL=postgres://portal@127.0.0.1:5432/portal \\
        .venv/bin/python scripts/bench_seed.py --scale district --seed 1   # SQLite and PostgreSQL

SQLite runs in a temporary DATA_DIR. For PostgreSQL the role in DATABASE_URL needs CREATEDB: a
database ``bench_seed_<pid>`` is created next to the one named in the URL (through the
``postgres`` maintenance database) and dropped afterwards; the named database is never touched.
Migrations are not timed; the second ``seed_demo`` run checks that seeding again adds nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

COUNT_ROWS = """
import json
from django.apps import apps
counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
print(json.dumps({k: v for k, v in counts.items() if v}))
"""


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed with status {result.returncode}")
    return result


@dataclass
class Result:
    seconds: float
    again_seconds: float
    counts: dict[str, int]
    duplicated: dict[str, int]
    log: list[str]


def bench(env: dict[str, str], scale: str, seed: int) -> Result:
    manage(env, "migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    output = manage(env, "seed_demo", "--scale", scale, "--seed", str(seed)).stdout
    seconds = time.perf_counter() - started
    counts = json.loads(manage(env, "shell", "-c", COUNT_ROWS).stdout.strip().splitlines()[-1])
    started = time.perf_counter()
    manage(env, "seed_demo", "--scale", scale, "--seed", str(seed))
    again = time.perf_counter() - started
    recount = json.loads(manage(env, "shell", "-c", COUNT_ROWS).stdout.strip().splitlines()[-1])
    return Result(
        seconds=seconds,
        again_seconds=again,
        counts=counts,
        duplicated={k: recount[k] - v for k, v in recount.items() if counts.get(k) != v},
        log=[line for line in output.splitlines() if "seeded" in line],
    )


@contextmanager
def sqlite_env() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="bench_seed_") as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["DATA_DIR"] = data_dir
        yield env


@contextmanager
def postgres_env(url: str) -> Iterator[dict[str, str]]:
    import psycopg  # only needed for PostgreSQL

    parts = urlsplit(url)
    name = f"bench_seed_{os.getpid()}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg.connect(maintenance, autocommit=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        with tempfile.TemporaryDirectory(prefix="bench_seed_") as data_dir:
            env = dict(os.environ)
            env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
            env["DATA_DIR"] = data_dir  # demo-logins.txt and the embedded broker stay out of .var
            yield env
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="district", choices=("district", "city", "province"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres", "all"),
        default="all",
        help="all (default): SQLite, plus PostgreSQL when DATABASE_URL is set",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    backends = []
    if args.backend in ("sqlite", "all"):
        backends.append("sqlite")
    if args.backend == "postgres" or (args.backend == "all" and url.startswith("postgres")):
        if not url.startswith("postgres"):
            raise SystemExit("--backend postgres needs DATABASE_URL=postgres://…")
        backends.append("postgres")

    results: dict[str, Result] = {}
    for backend in backends:
        context = sqlite_env() if backend == "sqlite" else postgres_env(url)
        with context as env:
            print(f"{backend}: seed_demo --scale {args.scale} --seed {args.seed} …", flush=True)
            results[backend] = bench(env, args.scale, args.seed)

    print(f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()}")
    for backend, result in results.items():
        print(
            f"\n{backend}: {result.seconds:.1f} s; second run {result.again_seconds:.1f} s, "
            f"rows added by the second run: {result.duplicated or 'none'}"
        )
        for line in result.log:
            print(f"  {line}")
    tables = sorted({table for result in results.values() for table in result.counts})
    print(f"\n| table | {' | '.join(results)} |")
    print(f"|---|{'---:|' * len(results)}")
    for table in tables:
        cells = " | ".join(f"{r.counts.get(table, 0):,}" for r in results.values())
        print(f"| {table} | {cells} |")
    seconds = " | ".join(f"{r.seconds:.1f}" for r in results.values())
    print(f"| **seconds** | {seconds} |")


if __name__ == "__main__":
    main()
