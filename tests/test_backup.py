"""The restore drill of docs/operations.md, run against PostgreSQL in CI."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lyushunkou.models import User
from units.models import Unit


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
def test_a_dump_restores_with_every_row(unit: Unit, capsys: pytest.CaptureFixture[str]) -> None:
    assert Unit.objects.count() == 1
    assert User.objects.exists()
    call_command("restore_drill")
    assert "Restore drill passed" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for other databases")
def test_the_drill_refuses_other_databases() -> None:
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("restore_drill")
