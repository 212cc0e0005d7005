"""ANALYZE after bulk loads (lyushunkou.db_maintenance): PostgreSQL only, a no-op on SQLite.

Run on both databases; each test applies to one of them and is skipped on the other.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lyushunkou import db_maintenance
from lyushunkou.db_maintenance import analyze, analyzing_written_tables
from lyushunkou.models import Jurisdiction, Role, User
from scoring.models import GradeSummary, UnitScore
from tests.complaints.import_helpers import concluded
from tests.complaints.import_helpers import xlsx as complaint_xlsx
from tests.units.test_staff_import import row, xlsx

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ANALYZE is issued on PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite case")


def analyze_statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]


def new_users(count: int, prefix: str) -> None:
    User.objects.bulk_create(
        User(username=f"{prefix}{n}", role=Role.OPERATOR, password="!") for n in range(count)
    )


@on_sqlite
def test_analyze_is_a_no_op_on_sqlite() -> None:
    with CaptureQueriesContext(connection) as captured:
        assert analyze(Jurisdiction, User) == []
    assert captured.captured_queries == []


@on_sqlite
def test_a_watched_block_analyses_nothing_on_sqlite() -> None:
    with CaptureQueriesContext(connection) as captured, analyzing_written_tables(min_rows=1):
        new_users(3, "sqlite")
    assert analyze_statements(captured) == []


@on_postgresql
def test_analyze_issues_one_analyze_of_the_models_tables_on_postgresql() -> None:
    with CaptureQueriesContext(connection) as captured:
        tables = analyze(Jurisdiction, User, Jurisdiction)
    assert tables == ["lyushunkou_jurisdiction", "lyushunkou_user"]
    assert analyze_statements(captured) == ['ANALYZE "lyushunkou_jurisdiction", "lyushunkou_user"']


@on_postgresql
def test_a_watched_block_analyses_the_tables_it_wrote_enough_rows_of() -> None:
    with analyzing_written_tables(min_rows=3) as analysed:
        new_users(3, "bulk")
        Jurisdiction.objects.filter(code="210212001000").update(sort_order=7)  # one row
    assert analysed == ["lyushunkou_user"]


@on_postgresql
def test_a_watched_block_that_raises_analyses_nothing() -> None:
    with (  # noqa: PT012 - the load, then its failure, inside the watched block
        CaptureQueriesContext(connection) as captured,
        pytest.raises(RuntimeError),
        analyzing_written_tables(min_rows=1),
    ):
        new_users(2, "failed")
        raise RuntimeError("the load failed")
    assert analyze_statements(captured) == []


@on_postgresql
def test_the_import_commands_analyse_the_tables_they_loaded(
    district_staff: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_maintenance, "MIN_ROWS", 2)  # a big file's worth, in two rows
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([row(1), row(2)]))
    with CaptureQueriesContext(connection) as captured:
        call_command(
            "import_units", str(path), "--user", district_staff.username, stdout=io.StringIO()
        )
    [statement] = analyze_statements(captured)  # one statement for every table loaded
    assert '"units_unit"' in statement


@on_postgresql
def test_score_units_analyses_the_scores_and_grade_summary_it_replaced() -> None:
    with CaptureQueriesContext(connection) as captured:
        call_command("score_units", "--period", "2026-10", stdout=io.StringIO())
    expected = f'ANALYZE "{UnitScore._meta.db_table}", "{GradeSummary._meta.db_table}"'
    assert analyze_statements(captured) == [expected]


@on_postgresql
def test_rows_a_copy_wrote_count_in_the_watched_block() -> None:
    db_maintenance.note_written("units_unit", 5)  # no block open: nothing counts it
    with analyzing_written_tables(min_rows=3) as analysed:
        with analyzing_written_tables(min_rows=2) as inner:
            db_maintenance.note_written("units_unit", 2)
        db_maintenance.note_written("units_unit", 1)
    assert inner == ["units_unit"]
    assert analysed == ["units_unit"]  # 2 + 1: each open block counts what it saw


@on_postgresql
def test_the_complaint_import_analyses_what_its_copy_loaded(
    district_staff: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_maintenance, "MIN_ROWS", 2)
    path = tmp_path / "12315.xlsx"
    path.write_bytes(complaint_xlsx([concluded(1), concluded(2)]))
    with CaptureQueriesContext(connection) as captured:
        call_command(
            "import_complaints", str(path), "--user", district_staff.username, stdout=io.StringIO()
        )
    [statement] = analyze_statements(captured)
    assert '"complaints_complaint"' in statement
    assert '"complaints_complaintevent"' in statement


@on_postgresql
def test_each_seeder_s_tables_are_analysed_before_the_next_seeder_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lyushunkou import demo

    seen: list[list[str]] = []

    def loads(**kwargs: object) -> None:
        new_users(db_maintenance.MIN_ROWS, "seeded")

    def reads(**kwargs: object) -> None:
        seen.append(analyze_statements(captured))

    monkeypatch.setattr(demo, "SEEDERS", [("loads", loads), ("reads", reads)])
    with CaptureQueriesContext(connection) as captured:
        demo.run_seeders(seed=1, scale="district", stdout=io.StringIO())

    assert seen == [['ANALYZE "lyushunkou_user"']]
