#!/usr/bin/env python3
"""Time a report's rendering and watch the renderer's memory over many renders.

    DATABASE_URL=postgres://portal@127.0.0.1:5432/reports_bench \\
        .venv/bin/python scripts/bench_reports.py --kind monthly --period 2026-10 --renders 50

Runs against the database the environment names (seed it first: ``seed_demo --scale district``;
``score_units`` for the grade distribution). Each render is the whole job a worker child does
(``scoring.reports.services.report_build``: claim, gather, lay out with WeasyPrint, store the file,
mark it ready), repeated ``--renders`` times in this one process, as one prefork child of the
"reports" worker would repeat it; the report row is set back to queued between renders. The
process's resident memory (VmRSS) is read after each render. The target figures are refreshed once
first (timed separately: the job does it before gathering). Files go to a temporary MEDIA_ROOT.

With ``--worker`` the renders go through a real Celery worker instead: a worker on the "reports"
queue (one child, never replaced during the run) is started, the report is queued ``--renders``
times one after the other through the broker, and the worker child's VmRSS is read after each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mib(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def start_worker() -> subprocess.Popen[bytes]:
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "lyushunkou",
            "worker",
            "--queues",
            "reports",
            "--concurrency",
            "1",
            "--max-tasks-per-child",
            "100000",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"bench-reports-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not children(worker.pid):
        time.sleep(0.5)
    time.sleep(2)
    return worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", default="monthly")
    parser.add_argument("--period", help="default: the last complete period of the kind")
    parser.add_argument("--scope", default="district")
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", action="store_true", help="render through a real worker")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lyushunkou.settings")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench_reports_")
    import django

    django.setup()
    from django.db import connection

    from scoring import periods
    from scoring.models import Report
    from scoring.reports import data as report_data
    from scoring.reports import services as reports

    period = (
        reports.check_request(args.kind, args.period)
        if args.period
        else periods.last_complete(reports.KIND_PERIODS[args.kind])
    )
    started = time.perf_counter()
    report_data.prepare_targets(period)
    refresh_seconds = time.perf_counter() - started

    report, _created = Report.objects.get_or_create(
        kind=args.kind, period=period.key, scope_code=args.scope
    )
    seconds: list[float] = []
    gather_seconds: list[float] = []
    memory: list[float] = []
    real_gather = report_data.gather

    def timed_gather(**kwargs: object) -> dict[str, object]:
        begun = time.perf_counter()
        data = real_gather(**kwargs)  # type: ignore[arg-type]
        gather_seconds.append(time.perf_counter() - begun)
        return data

    setattr(reports, "gather", timed_gather)  # noqa: B010 - report_build looks it up there
    rss_before = rss_mib()
    pages = size = 0
    worker = start_worker() if args.worker else None
    try:
        if worker is not None:
            from scoring.reports.tasks import render_report

            child = children(worker.pid)[0]
            rss_before = rss_mib(child)
        for _ in range(args.renders):
            Report.objects.filter(pk=report.pk).update(state=Report.State.QUEUED)
            begun = time.perf_counter()
            if worker is None:
                built = reports.report_build(report_id=report.pk, task_id="bench")
            else:
                render_report.delay(report.pk)
                while True:
                    time.sleep(0.05)
                    built = Report.objects.get(pk=report.pk)
                    if built.state in (Report.State.DONE, Report.State.FAILED):
                        break
            seconds.append(time.perf_counter() - begun)
            memory.append(rss_mib(child) if worker is not None else rss_mib())
            assert built is not None and built.state == Report.State.DONE, built
            pages, size = built.pages or 0, built.size or 0
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)

    ordered = sorted(seconds)
    figures = {
        "machine": f"{os.cpu_count()} cores · Python {platform.python_version()}",
        "database": connection.vendor,
        "report": f"{args.kind} {period.key} {args.scope}",
        "mode": "celery worker child" if args.worker else "in process",
        "pages": pages,
        "bytes": size,
        "refresh_targets_s": round(refresh_seconds, 2),
        "first_render_s": round(seconds[0], 2),
        "median_render_s": round(statistics.median(seconds), 2),
        "p95_render_s": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max_render_s": round(ordered[-1], 2),
        "median_gather_s": (
            round(statistics.median(gather_seconds), 3) if gather_seconds else "(in the worker)"
        ),
        "rss_before_mib": round(rss_before, 1),
        "rss_after_1_mib": round(memory[0], 1),
        "rss_after_10_mib": round(memory[min(9, len(memory) - 1)], 1),
        "rss_after_last_mib": round(memory[-1], 1),
        "rss_max_mib": round(max(memory), 1),
        "rss_growth_10_to_last_mib": round(memory[-1] - memory[min(9, len(memory) - 1)], 1),
        "renders": len(seconds),
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for key, value in figures.items():
        print(f"{key:28} {value}")
    print("rss_by_render_mib           ", " ".join(f"{m:.0f}" for m in memory))


if __name__ == "__main__":
    main()
