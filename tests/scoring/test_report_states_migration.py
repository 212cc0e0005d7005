"""Migration 0013 makes a report a background job: the reports already stored keep their meaning,
a ready report stays downloadable (done) and one being rendered stays the sweep's (running)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scoring.models import Report

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("scoring", "0012_grade_list_order_by_id")]
AFTER = [("scoring", "0013_report_background_job")]
INSERT = (
    "INSERT INTO scoring_report (kind, period, scope_code, state, error, file, sha256, scheduled,"
    " attempts, task_id, created_at, requeue_count)"
    " VALUES (%s, '2025', 'district', %s, '', '', '', %s, 0, '', CURRENT_TIMESTAMP, 0)"
)


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def stored_states() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, state FROM scoring_report")
        return dict(cursor.fetchall())


def test_stored_report_states_become_the_job_states_and_back() -> None:
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for kind, state in (
                ("monthly", "ready"),
                ("quarterly", "rendering"),
                ("annual", "failed"),
            ):
                cursor.execute(INSERT, [kind, state, False])
        migrate(AFTER)
        assert stored_states() == {"monthly": "done", "quarterly": "running", "annual": "failed"}
        assert Report.objects.get(kind="monthly").get_state_display() == "已生成"
        assert Report.objects.get(kind="quarterly").get_state_display() == "生成中"
        migrate(BEFORE)
        assert stored_states() == {"monthly": "ready", "quarterly": "rendering", "annual": "failed"}
    finally:
        migrate(AFTER)
