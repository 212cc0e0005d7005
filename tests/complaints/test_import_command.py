"""The 12315 import's management command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from complaints.models import Complaint
from lyushunkou.models import User
from tests.complaints.import_helpers import (
    concluded,
    csv_bytes,
    row,
    xlsx,
)

pytestmark = pytest.mark.django_db


# --- The command ---------------------------------------------------------------------------


def test_command_imports_with_a_staff_account(district_staff: User, tmp_path: Path) -> None:
    path = tmp_path / "12315.xlsx"
    path.write_bytes(xlsx([row(1), concluded(2)]))
    out = io.StringIO()
    # No CommandError: manage.py exits with status 0.
    with translation.override("en"):  # the command speaks the active language
        call_command("import_complaints", str(path), "--user", district_staff.username, stdout=out)
    assert Complaint.objects.count() == 2
    assert "2 new" in out.getvalue()


def test_command_exits_1_and_writes_nothing_on_errors(district_staff: User, tmp_path: Path) -> None:
    path = tmp_path / "12315.csv"
    path.write_bytes(csv_bytes([row(1), row(2, 统一社会信用代码="91210212ABC")], "gb18030"))
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_complaints", str(path), "--user", district_staff.username, stderr=err)
    assert raised.value.returncode == 1
    assert "row 3, 统一社会信用代码: A credit code has 18 characters; this one has 11." in (
        err.getvalue()
    )
    assert not Complaint.objects.exists()


def test_command_dry_run_needs_no_user(tmp_path: Path, db: None) -> None:
    path = tmp_path / "12315.xlsx"
    path.write_bytes(xlsx([concluded(1)]))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_complaints", str(path), "--dry-run", stdout=out)
    assert "1 new" in out.getvalue()
    assert not Complaint.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_complaints", str(path))
