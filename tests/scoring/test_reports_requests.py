"""The periodic reports: what may be requested, through the service and the command."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from scoring.models import Report
from scoring.reports.data import ReportRequestError
from scoring.reports.services import check_request
from tests.scoring.reports_helpers import ROOT

# Most tests render a PDF: seconds each.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root"), pytest.mark.slow]


# --- What may be requested --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "period", "fragment"),
    [
        ("weekly", "2025-06", "Unknown report kind"),
        ("monthly", "2025-13", "Malformed period"),
        ("monthly", "June", "Malformed period"),
        ("monthly", "2025-Q3", "covers a period like 2026-10"),
        ("quarterly", "2025-06", "covers a period like 2026-Q3"),
        ("annual", "2025-Q1", "covers a period like 2026"),
        ("monthly", "2026-12", "has not started yet"),
        ("annual", "2027", "has not started yet"),
    ],
)
def test_a_bad_request_is_refused_with_a_one_line_message(
    kind: str, period: str, fragment: str
) -> None:
    with translation.override("en"), pytest.raises(ReportRequestError) as refused:
        check_request(kind, period, today=dt.date(2026, 11, 29))
    assert fragment in str(refused.value)
    assert "\n" not in str(refused.value)


def test_past_and_current_periods_may_be_requested() -> None:
    today = dt.date(2026, 11, 29)
    assert check_request("monthly", "2026-11", today=today).key == "2026-11"
    assert check_request("quarterly", "2026-q4", today=today).key == "2026-Q4"
    assert check_request("annual", "2019", today=today).key == "2019"


def test_the_command_refuses_bad_input_with_a_non_zero_exit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "generate_report",
            "--kind",
            "monthly",
            "--period",
            "2999-01",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode != 0
    assert "2999-01" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--kind", "weekly", "--period", "2025-06"],
        ["--kind", "monthly", "--period", "2025-Q2"],
        ["--kind", "monthly", "--period", "2025-6-1"],
        ["--kind", "monthly", "--period", "2025-06", "--scope", "999999999999"],
    ],
)
def test_the_command_says_what_is_wrong(argv: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("generate_report", *argv)
    assert not Report.objects.exists()
