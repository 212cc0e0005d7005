"""Issue 18's first "done when", kept true: the example in docs/api.md — copied from the page,
with the token and the address filled in — posts a day's complaints and a lab's results and reads
back the figures; run twice, the second run adds nothing. Both versions (bash with curl, Python)
run against a live test server, each on its own database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from complaints.models import Complaint, ComplaintEvent
from inspections.models import SamplingBatch
from lyushunkou.models import AuditEvent, User
from tests.api.helpers import system, token_for

pytestmark = pytest.mark.django_db(transaction=True)

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
DOC_BASE = "http://127.0.0.1:8000"
DOC_TOKEN = "lsk_..."
TIMEOUT_SECONDS = 120


def block(language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match, f"docs/api.md has no {language} block"
    return match.group(1)


def counts() -> tuple[int, int, int, int]:
    return (
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        SamplingBatch.objects.count(),
        AuditEvent.objects.filter(action__endswith=".imported").count(),
    )


def run(command: list[str], script: str) -> str:
    done = subprocess.run(
        [*command, script],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def twice(command: list[str], language: str, live_server: Any, secadmin: User) -> list[str]:
    token = token_for(system(secadmin), secadmin)
    script = block(language).replace(DOC_BASE, live_server.url).replace(DOC_TOKEN, token)
    first = run(command, script)
    after_first = counts()
    second = run(command, script)
    assert after_first == (2, 3, 2, 2)  # two registrations and one acceptance; two imports
    assert counts() == after_first
    return [first, second]


def test_the_python_example_adds_nothing_the_second_time(live_server: Any, secadmin: User) -> None:
    first, second = twice([sys.executable, "-c"], "python", live_server, secadmin)
    assert "'created': 2" in first
    assert "replayed" not in first
    assert second.count("(replayed: nothing written)") == 2
    figures = [line for line in first.splitlines() if line.startswith("食品抽检合格率")]
    assert figures
    assert "样本不足" in figures[0]
    assert first.splitlines()[2:] == second.splitlines()[2:]  # the same figures, read back


@pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed")
def test_the_curl_example_adds_nothing_the_second_time(live_server: Any, secadmin: User) -> None:
    first, second = twice(["bash", "-euo", "pipefail", "-c"], "sh", live_server, secadmin)
    answers = first.splitlines()
    assert (
        answers[0]
        == answers[1]
        == ('{"dry_run":false,"rows":2,"created":2,"updated":0,"unchanged":0}')
    )
    assert '"key":"food_sampling_pass_rate"' in answers[2]
    assert second.splitlines()[2] == answers[2]  # the same figures, read back
