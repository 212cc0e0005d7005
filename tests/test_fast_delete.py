"""Deleting a queryset is one ``DELETE`` where nothing needs the rows (issue 17).

A ``post_delete`` receiver connected without a sender makes Django load every row to be deleted
(the scores' evidence and all) and send a signal for each: replacing a chunk's 5,000 scores did
that. The two-factor devices' audit receivers are connected to the device models only (their
audit is tested in tests/test_admin_accounts.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.deletion import Collector
from django.test.utils import CaptureQueriesContext

from scoring.models import UnitScore


def test_scores_delete_without_loading_them():
    assert Collector(using="default").can_fast_delete(UnitScore.objects.all())


@pytest.mark.django_db
def test_a_period_s_scores_go_in_one_statement():
    with CaptureQueriesContext(connection) as queries:
        UnitScore.objects.filter(period="2026-11").delete()
    statements = [q["sql"] for q in queries.captured_queries]
    assert [sql.split()[0] for sql in statements] == ["DELETE"]
