"""Time `manage.py import_complaints` on a generated 12315 file, in a fresh embedded database.

    .venv/bin/python scripts/bench_import_complaints.py --rows 5000

Each row is registered, accepted, concluded and called back through the workflow services, as a
real year-end file would be. Prints the seconds for the import and for a re-import of the same
file. Uses a temporary DATA_DIR (SQLite) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def write_file(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    start = dt.date(2025, 11, 3)
    for number in range(rows):
        received = start + dt.timedelta(days=rng.randrange(0, 300))
        accepted = received + dt.timedelta(days=2)
        concluded = accepted + dt.timedelta(days=rng.randrange(3, 30))
        sheet.append(
            [
                f"B{number:07d}",
                f"{received:%Y-%m-%d} 10:30",
                "12315热线",
                "王建国",
                f"139{rng.randrange(10**7, 10**8)}",
                f"测试商户{number % 800}",
                "",
                "辽宁省大连市旅顺口区黄河路1号",
                rng.choice(STREETS),
                "服务",
                "价格",
                "要求退还多收的费用。",
                "200",
                "受理",
                f"{accepted:%Y-%m-%d}",
                "",
                f"{concluded:%Y-%m-%d}",
                "调解成功",
                "150",
                "满意",
            ]
        )
    book.save(path)


def manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATA_DIR": folder}
        file = Path(folder) / "complaints.xlsx"
        write_file(file, options.rows)
        manage(env, "migrate", "-v", "0")
        manage(
            env,
            "shell",
            "-c",
            "from lyushunkou.models import User; u=User(username='bench', role='staff'); "
            "u.set_unusable_password(); u.save()",
        )
        first = manage(env, "import_complaints", str(file), "--user", "bench")
        again = manage(env, "import_complaints", str(file), "--user", "bench")
        backend = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        print(f"{options.rows} rows on {backend}: import {first:.1f} s, re-import {again:.1f} s")


if __name__ == "__main__":
    main()
