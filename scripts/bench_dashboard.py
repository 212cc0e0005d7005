#!/usr/bin/env python3
"""Time the leader dashboard (``/dashboard/``) at district scale: p50/p95 over N requests.

    DATABASE_URL=postgres://portal@127.0.0.1:5432/dashboard_bench \\
        .venv/bin/python scripts/bench_dashboard.py --requests 50

The database named in DATABASE_URL is created when missing (the role needs CREATEDB), migrated,
and seeded once with ``manage.py seed_demo --scale district --seed 1`` (which ends by scoring the
units and evaluating the targets); later runs reuse it. Should the summary tables the dashboard
reads still be empty, the script fills them with the real jobs — ``scoring.targets.refresh`` for
13 months, 5 quarters and 2 years, ``score_units`` for this month — or, if a job fails, with
synthetic rows of the same shape, and says so. Then it logs in the demo leader with Django's
test client (the full middleware stack, the database connection pool configured by
``DB_POOL_MIN``/``DB_POOL_MAX``, DEBUG off) and times each page after a warm-up, printing its
query count.
Without DATABASE_URL it runs against the embedded SQLite database of the checkout.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
KEYS = [
    ("key_goods_sampling_pass_rate", "重点消费品抽检合格率", "gte", "0.96"),
    ("food_sampling_per_thousand", "食品抽检千人批次", "gte", "2"),
    ("food_sampling_pass_rate", "食品抽检合格率", "gte", "0.97"),
    ("life_services_satisfaction", "生活服务消费满意度", "gte", "0.8"),
    ("complaint_handling_rate", "投诉处理率", "eq", "1"),
    ("complaint_resolution_rate", "投诉调解成功率", "gte", "0.9"),
    ("complaint_satisfaction_rate", "投诉处理满意率", "gte", "0.8"),
    ("station_coverage", "12315站点覆盖率", "gte", "0.9"),
    ("programme_awareness_rate", "放心消费知晓率", "gte", "0.8"),
    ("programme_recognition_rate", "放心消费认可率", "gte", "0.9"),
    ("problem_detection_rate", "问题发现率", "decrease", ""),
]


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl()
    connection = psycopg.connect(maintenance, autocommit=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def summary_periods() -> list[Any]:
    from scoring import periods

    return [
        *periods.current().last(13),
        *periods.current(periods.QUARTER).last(5),
        *periods.current(periods.YEAR).last(2),
    ]


def run_jobs() -> list[str]:
    """Fill the summary tables with the real jobs: ``scoring.targets.refresh`` for 20 periods and
    ``score_units`` for this month. A job that fails leaves its table to the synthetic rows."""
    from django.core.management import call_command

    from scoring.models import GradeSummary, TargetResult

    done = []
    if not TargetResult.objects.exists():
        try:
            from scoring import targets

            started = time.perf_counter()
            rows = sum(targets.refresh(period) for period in summary_periods())
            done.append(f"targets.refresh: {rows} rows in {time.perf_counter() - started:.1f} s")
        except Exception as error:  # a job still being written: fall back to synthetic rows
            done.append(f"targets.refresh failed ({error!r}): synthetic rows instead")
    if not GradeSummary.objects.exists():
        try:
            call_command("score_units")
            done.append("score_units for this month")
        except Exception as error:
            done.append(f"score_units failed ({error!r}): synthetic rows instead")
    return done


def synthetic_summaries(rng: random.Random) -> list[str]:
    """Write TargetResult / GradeSummary rows when the jobs have not; returns what was written."""
    from django.db.models import Count
    from django.utils import timezone

    from lyushunkou.models import Jurisdiction
    from scoring.models import GradeSummary, TargetResult
    from units.models import Unit

    written = []
    places = list(Jurisdiction.objects.exclude(kind=Jurisdiction.Kind.DISTRICT))
    keys = summary_periods()
    if not TargetResult.objects.exists():
        from decimal import Decimal

        now = timezone.now()
        rows: list[TargetResult] = []
        for period in keys:
            for scope in ["district", *(p.code for p in places)]:
                for order, (key, label, comparator, threshold) in enumerate(KEYS):
                    denominator = Decimal(rng.randint(0, 400))
                    numerator = (denominator * Decimal(rng.uniform(0.7, 1))).quantize(Decimal(1))
                    value = numerator / denominator if denominator else None
                    limit = Decimal(threshold) if threshold else None
                    rows.append(
                        TargetResult(
                            period=period.key,
                            scope_code=scope,
                            key=key,
                            label=label,
                            numerator=numerator,
                            denominator=denominator,
                            value=value,
                            comparator=comparator,
                            threshold=limit,
                            met=None if value is None else bool(limit and value >= limit),
                            order=order,
                            evaluated_at=now,
                        )
                    )
        TargetResult.objects.bulk_create(rows, batch_size=2000)
        written.append(f"{len(rows)} synthetic TargetResult rows")
    if not GradeSummary.objects.exists():
        per_place = dict(
            Unit.objects.values_list("jurisdiction").annotate(n=Count("id")).order_by()
        )
        summaries: list[GradeSummary] = []
        for period in keys:
            for place in places:
                total = per_place.get(place.pk, 0)
                for demonstration, share in ((False, 0.98), (True, 0.02)):
                    left = int(total * share)
                    for grade, part in (("A", 0.2), ("B", 0.5), ("C", 0.2), ("D", 1.0)):
                        units = left if grade == "D" else int(left * part)
                        left -= units
                        summaries.append(
                            GradeSummary(
                                period=period.key,
                                jurisdiction=place,
                                demonstration=demonstration,
                                grade=grade,
                                units=units,
                                vetoed=units // 10 if grade == "D" else 0,
                            )
                        )
        GradeSummary.objects.bulk_create(summaries, batch_size=2000)
        written.append(f"{len(summaries)} synthetic GradeSummary rows")
    return written


def time_page(client: Any, url: str, requests: int) -> dict[str, float]:
    from django.db import connection

    for _ in range(5):  # warm-up: templates compiled, connection open
        assert client.get(url).status_code == 200, url
    # Counted with a wrapper: the test client's request_started signal resets the query log.
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, round(0.95 * len(samples)) - 1)],
        "max": samples[-1],
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--no-seed", action="store_true", help="use the database as it is")
    options = parser.parse_args()

    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lyushunkou.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        ensure_database(url)
    sys.path.insert(0, str(ROOT))
    if not options.no_seed:
        manage("migrate", "--no-input", "-v", "0")
        import django

        django.setup()
        from units.models import Unit

        if not Unit.objects.exists():
            started = time.perf_counter()
            manage("seed_demo", "--scale", "district", "--seed", "1")
            print(f"seeded in {time.perf_counter() - started:.0f} s")
    else:
        import django

        django.setup()

    from django.conf import settings
    from django.test import Client

    from complaints.models import Complaint
    from inspections.models import SamplingBatch
    from lyushunkou.models import Role, User
    from scoring import periods
    from scoring.models import GradeSummary, TargetResult
    from units.models import Unit

    if not options.no_seed:
        for line in run_jobs():
            print(line)
    for line in synthetic_summaries(random.Random(1)):
        print(f"wrote {line} (the scoring job and targets refresh had not filled them)")
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"pool={settings.DATABASES['default'].get('OPTIONS', {}).get('pool')}, "
        f"CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE', 0)}, "
        f"DEBUG={settings.DEBUG}"
    )
    print(
        f"rows: {Unit.objects.count():,} units "
        f"({Unit.objects.filter(demonstration_status='warning').count():,} in warning), "
        f"{Complaint.objects.count():,} complaints, {SamplingBatch.objects.count():,} batches, "
        f"{TargetResult.objects.count():,} target results, "
        f"{GradeSummary.objects.count():,} grade summary rows"
    )

    leader = User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()
    assert leader is not None, "no leader account: run seed_demo"
    client = Client()
    client.force_login(leader)
    month = periods.current()
    street = "210212001000"
    pages = {
        "district, this month": f"/dashboard/?period={month.key}",
        "district, this year": f"/dashboard/?period={month.start.year}",
        "登峰街道, this month": f"/dashboard/?period={month.key}&scope={street}",
    }
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{options.requests} requests each, after 5 warm-up requests (load average {load}):")
    print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for label, page in pages.items():
        result = time_page(client, page, options.requests)
        print(
            f"{label:<24} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['max']:>8.1f} "
            f"{result['queries']:>8.0f}"
        )


if __name__ == "__main__":
    main()
