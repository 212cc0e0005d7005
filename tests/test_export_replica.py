"""An export job reads its rows from the streaming replica (issue 17 item 5), and keeps its own
bookkeeping on the primary.

The replica is Django's test mirror of the test database (tests/test_db_router.py explains the
set-up): a second connection to the same database, so the queries each connection ran tell where
a read went. The tests are transactional: inside a TestCase's atomic block every read stays on
the primary.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lyushunkou import export_jobs
from lyushunkou.db_router import PRIMARY, REPLICA
from lyushunkou.models import ExportJob, Jurisdiction, User
from tests.conftest import client_for
from tests.factories import UnitFactory
from tests.test_db_router import BOTH, ran_on, replica_alias, routed

__all__ = ["replica_alias", "routed"]  # the fixtures, used by name below

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=BOTH),
    pytest.mark.usefixtures("replica_alias", "routed"),
]


@pytest.fixture(autouse=True)
def _jobs_for_every_export(settings: Any, media_root: Path) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 1
    settings.DATABASE_REPLICA_PIN_SECONDS = 0


def _restaurants(jurisdiction: Jurisdiction, count: int) -> set[str]:
    units = UnitFactory.create_batch(count, jurisdiction=jurisdiction, industry="catering")
    return {unit.credit_code for unit in units}


def test_an_export_job_reads_the_rows_from_the_replica_and_writes_its_progress_to_the_primary(
    street_staff: User, dengfeng: Jurisdiction, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = _restaurants(dengfeng, 4)
    # The request only queues the job; a worker runs it later, in a process of its own (here:
    # below, outside the request's replica scope, as a worker would).
    monkeypatch.setattr(export_jobs, "queue_export", lambda job_id: None)
    response = client_for(street_staff).get(reverse("unit-export", args=["csv"]))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    captured = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
    with captured[PRIMARY], captured[REPLICA]:
        export_jobs.export_job_run(job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    assert job.rows_written == 4
    rows = list(csv.reader(io.StringIO((tmp_path / job.stored_name).read_text("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == codes
    assert ran_on(captured[REPLICA], "units_unit")
    assert not ran_on(captured[PRIMARY], "units_unit")
    assert not ran_on(captured[REPLICA], "lyushunkou_exportjob")
    assert ran_on(captured[PRIMARY], "lyushunkou_exportjob")
