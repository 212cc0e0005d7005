#!/usr/bin/env python3
"""Time a list export written by a background job (issue 17 item 3: a million rows at city scale),
with the peak memory of the process that writes it.

    DATABASE_URL=postgres://portal@127.0.0.1:5432/export_bench \\
        .venv/bin/python scripts/bench_export.py --rows 1000000 [--format csv|xlsx]
    .venv/bin/python scripts/bench_export.py --rows 2000          # a quick try on SQLite

The database named in DATABASE_URL is created when missing (the role needs CREATEDB) and
migrated; without DATABASE_URL a temporary embedded database is used. The unit register is
filled with synthetic units up to ``--rows`` (bulk inserts, each unit with the ``name_bigrams``
of the name search's index as ``Unit.save`` would write them; a database seeded with
``seed_demo --scale city`` already has a million) and a district-wide staff account
``bench_export`` is made. Then, in a fresh process, the staff unit list's export is asked for as
the export link asks for it, with ``EXPORT_BACKGROUND_ROWS`` at 0 so that it becomes an export
job, and the job runs inline as a worker runs it (``CELERY_TASK_ALWAYS_EAGER``): counting,
queueing, reading the rows through a server-side cursor, masking, writing the file and keeping
it in the storage. Printed: rows written, seconds, rows a second, the file's size and the
process's peak memory (``ru_maxrss``) before and after. The database and its units are kept.
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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

FILL = """
import os, random
from lyushunkou.credit_codes import generate_credit_code
from lyushunkou.models import Jurisdiction, Role, User
from units.models import Industry, Unit
from units.search import fill_name_bigrams

wanted = int(os.environ["BENCH_ROWS"])
rng = random.Random(int(os.environ["BENCH_SEED"]))
streets = list(Jurisdiction.objects.exclude(kind="district"))
industries = list(Industry.values)
have = Unit.objects.count()
while have < wanted:
    batch = [
        Unit(
            name=f"基准测试商户{have + number}",
            credit_code=generate_credit_code(rng),
            kind="enterprise",
            industry=rng.choice(industries),
            address=f"辽宁省大连市旅顺口区测试路{rng.randrange(1, 999)}号",
            jurisdiction=rng.choice(streets),
            legal_representative="张三",
            contact_person="李四",
            contact_phone=f"138{rng.randrange(10**8):08d}",
        )
        for number in range(min(5000, wanted - have))
    ]
    fill_name_bigrams(batch)  # bulk_create skips Unit.save, which keeps the search index's column
    Unit.objects.bulk_create(batch, ignore_conflicts=True)  # a rare duplicate code is skipped
    have = Unit.objects.count()
if not User.objects.filter(username="bench_export").exists():
    User.objects.create_user("bench_export", role=Role.STAFF, full_name="导出基准")
print(have)
"""

TIMED = """
import json, os, resource, time
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import RequestFactory
from lyushunkou.export_jobs import export_list
from lyushunkou.list_exports import list_exports
from lyushunkou.models import ExportJob, User

fmt = os.environ["BENCH_FORMAT"]
settings.EXPORT_BACKGROUND_ROWS = 0  # always a job
request = RequestFactory().get(f"/units/export.{fmt}")
request.user = User.objects.get(username="bench_export")
before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
response = export_list(request, list_exports()["units"], fmt=fmt)
seconds = time.perf_counter() - started
job = ExportJob.objects.order_by("-pk").first()
print(json.dumps({
    "status": response.status_code,
    "state": job.state,
    "error": job.error,
    "rows_total": job.rows_total,
    "rows_written": job.rows_written,
    "seconds": seconds,
    "job_seconds": (job.finished_at - job.started_at).total_seconds() if job.finished_at else None,
    "bytes": default_storage.size(job.stored_name) if job.stored_name else 0,
    "peak_kb_before": before_kb,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args[:2])} failed with status {result.returncode}")
    return result


def ensure_database(url: str) -> None:
    import psycopg  # only needed here

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="units in the register")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url:
        ensure_database(url)

    with tempfile.TemporaryDirectory(prefix="bench_export_") as data_dir:
        env = {
            **os.environ,
            "DATA_DIR": os.environ.get("DATA_DIR", data_dir),
            "MEDIA_ROOT": data_dir,  # the export file is written here and removed with it
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "BENCH_ROWS": str(args.rows),
            "BENCH_SEED": str(args.seed),
            "BENCH_FORMAT": args.format,
        }
        manage(env, "migrate", "--no-input", "-v", "0")
        print(f"filling the unit register up to {args.rows:,} units …", flush=True)
        started = time.perf_counter()
        units = int(manage(env, "shell", "-c", FILL).stdout.strip().splitlines()[-1])
        print(f"  {units:,} units ({time.perf_counter() - started:.0f} s)")
        print(f"exporting the unit list as .{args.format} through an export job …", flush=True)
        data = json.loads(manage(env, "shell", "-c", TIMED).stdout.strip().splitlines()[-1])

    print(f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"database: {'PostgreSQL' if url else 'SQLite (temporary)'}")
    if data["state"] != "done":
        raise SystemExit(f"the job ended {data['state']}: {data['error']}")
    rate = data["rows_written"] / data["seconds"] if data["seconds"] else 0
    print(f"request answered {data['status']} (to the job's page); job {data['state']}")
    print(f"rows written: {data['rows_written']:,} of {data['rows_total']:,} counted")
    print(f"seconds: {data['seconds']:.1f} in all, {data['job_seconds']:.1f} in the job")
    print(f"rows a second: {rate:,.0f}; file: {data['bytes'] / 1024 / 1024:.1f} MB")
    print(
        f"peak memory of the process: {data['peak_kb'] / 1024:.0f} MB "
        f"({data['peak_kb_before'] / 1024:.0f} MB before the export)"
    )


if __name__ == "__main__":
    main()
