"""Time `manage.py import_complaints` on a generated year of a 12315 file, with its peak memory.

    .venv/bin/python scripts/bench_import_complaints.py --rows 20000
    DATABASE_URL=postgres://portal@127.0.0.1:5432/portal_ibench \\
        .venv/bin/python scripts/bench_import_complaints.py --rows 100000

The file is a year (1 December 2025 to 30 November 2026) as the national platform exports it
for a district: most complaints concluded (mediated, failed, withdrawn, terminated, transferred;
a few not accepted), most called back; those of the last three weeks still open (registered or
accepted). The closed ones take the bulk path, the open ones the workflow services.

Runs the import, then the same file again (idempotent: nothing changes), each as its own
`manage.py` process under `/usr/bin/time -v`; prints the seconds and the peak resident memory of
each. Uses a fresh database: a temporary DATA_DIR (SQLite), or with DATABASE_URL a scratch
PostgreSQL database named after it (``<name>_run``), created and dropped here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HEADERS = [
    "登记编号",
    "登记时间",
    "来源",
    "投诉人",
    "联系电话",
    "被投诉单位",
    "统一社会信用代码",
    "被投诉单位地址",
    "所属街道",
    "消费类别",
    "问题类别",
    "诉求内容",
    "涉及金额",
    "受理决定",
    "受理日期",
    "不予受理理由",
    "办结日期",
    "处理结果",
    "挽回经济损失",
    "满意度",
]
STREETS = ["登峰街道", "得胜街道", "水师营街道", "铁山街道", "龙头街道"]
YEAR_START = dt.date(2025, 12, 1)
YEAR_DAYS = 365
OPEN_DAYS = 21  # received in the last three weeks of the file: still open
OUTCOMES = ["调解成功"] * 6 + ["调解不成", "撤回", "终止调解", "移送"]
SATISFACTION = ["满意"] * 6 + ["基本满意"] * 2 + ["不满意", ""]


def year_rows(rows: int, seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    out: list[list[str]] = []
    for number in range(rows):
        day = rng.randrange(YEAR_DAYS)
        received = YEAR_START + dt.timedelta(days=day)
        values = {
            "登记编号": f"B{number:07d}",
            "登记时间": f"{received:%Y-%m-%d} {rng.randrange(8, 18):02d}:30",
            "来源": rng.choice(["12315热线", "全国12315平台", "来访"]),
            "投诉人": "王建国",
            "联系电话": f"139{rng.randrange(10**7, 10**8)}",
            "被投诉单位": f"测试商户{number % 800}",
            "统一社会信用代码": "",
            "被投诉单位地址": "辽宁省大连市旅顺口区黄河路1号",
            "所属街道": rng.choice(STREETS),
            "消费类别": rng.choice(["商品", "服务"]),
            "问题类别": rng.choice(["质量", "价格", "服务", "售后", "合同"]),
            "诉求内容": "要求退还多收的费用。",
            "涉及金额": str(rng.randrange(50, 5000)),
        }
        accepted = received + dt.timedelta(days=rng.randrange(1, 5))
        last = YEAR_START + dt.timedelta(days=YEAR_DAYS - 1)
        concluded = min(accepted + dt.timedelta(days=rng.randrange(3, 30)), last)
        if day >= YEAR_DAYS - OPEN_DAYS:
            if rng.random() < 0.5:  # accepted, mediation running
                values |= {"受理决定": "受理", "受理日期": f"{received:%Y-%m-%d}"}
        elif rng.random() < 0.04:
            values |= {
                "受理决定": "不予受理",
                "受理日期": f"{accepted:%Y-%m-%d}",
                "不予受理理由": "不属于市场监督管理部门职责范围",
            }
        else:
            outcome = rng.choice(OUTCOMES)
            values |= {
                "受理决定": "受理",
                "受理日期": f"{accepted:%Y-%m-%d}",
                "办结日期": f"{concluded:%Y-%m-%d}",
                "处理结果": outcome,
                "挽回经济损失": str(rng.randrange(10, 300)) if outcome == "调解成功" else "",
                "满意度": rng.choice(SATISFACTION),
            }
        out.append([values.get(header, "") for header in HEADERS])
    return out


def write_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for values in year_rows(rows):
        sheet.append(values)
    book.save(path)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def timed(env: dict[str, str], *args: str) -> tuple[float, float, float]:
    """Seconds, CPU seconds (user + system) and peak resident memory (MB) of one `manage.py`
    run under /usr/bin/time -v. The CPU seconds hardly depend on what else the machine runs."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - started

    def figure(name: str) -> float:
        match = re.search(rf"{name}: ([\d.]+)", done.stderr)
        return float(match.group(1)) if match else float("nan")

    cpu = figure(r"User time \(seconds\)") + figure(r"System time \(seconds\)")
    return seconds, cpu, figure(r"Maximum resident set size \(kbytes\)") / 1024


def scratch_database(url: str) -> tuple[str, str, str]:
    """The scratch database's URL, its name, and the URL of the server's maintenance database."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_run"
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        name,
        urlunsplit(parts._replace(path="/postgres")),
    )


def admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as folder:
        # DEBUG off as in production: with it on, Django keeps every query's text (the bulk
        # INSERTs are large) and the peak memory would measure that log, not the import.
        env = {**os.environ, "DATA_DIR": folder, "DEBUG": "0"}
        scratch = ""
        if url:
            env["DATABASE_URL"], scratch, maintenance = scratch_database(url)
            admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')
            admin(maintenance, f'CREATE DATABASE "{scratch}"')
        try:
            file = Path(folder) / "complaints.xlsx"
            write_file(file, options.rows)
            size = file.stat().st_size / 1024 / 1024
            manage(env, "migrate", "-v", "0")
            manage(
                env,
                "shell",
                "-c",
                "from lyushunkou.models import User; u=User(username='bench', role='staff'); "
                "u.set_unusable_password(); u.save()",
            )
            first = timed(env, "import_complaints", str(file), "--user", "bench")
            again = timed(env, "import_complaints", str(file), "--user", "bench")
        finally:
            if scratch:
                admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')
    backend = "PostgreSQL" if url else "SQLite"
    print(
        f"{options.rows} rows ({size:.1f} MB .xlsx) on {backend}: "
        f"import {first[0]:.1f} s (CPU {first[1]:.1f} s, peak {first[2]:.0f} MB), "
        f"re-import {again[0]:.1f} s (CPU {again[1]:.1f} s, peak {again[2]:.0f} MB); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
