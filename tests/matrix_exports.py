"""Access-matrix rows of the export jobs' pages (see tests/test_access_matrix.py).

The world has a finished export of the unit list, with its file, and a queued one, both asked
for by 登峰's staff (street_staff): a job and its file are the requester's alone, hidden from
every other member of staff and from leaders, refused to the other roles; the file of a job
that has not finished is not served (its page says why).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from lyushunkou.models import ExportJob


def build(**world: Any) -> dict[str, Any]:
    staff, dengfeng = world["staff"], world["dengfeng"]
    common = {"kind": "units", "requested_by": staff, "jurisdiction": dengfeng, "fmt": "csv"}
    done = ExportJob.objects.create(
        **common,
        state=ExportJob.State.DONE,
        file_name="经营主体_20250901.csv",
        stored_name=default_storage.save("exports/matrix.csv", ContentFile("\ufeff名称\r\n")),
        rows_total=1,
        rows_written=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=24),
    )
    queued = ExportJob.objects.create(**common, file_name="经营主体_20250902.csv", rows_total=1)
    return {"export_job": done, "queued_export_job": queued}


def rows(m: Any) -> list[Any]:
    def pk(name: str) -> Any:
        return lambda w: {"pk": w.extra[name].pk}

    def requester_only(ok: frozenset[int]) -> Any:
        return m.expect(
            m.REFUSED,
            anonymous=m.LOGIN,
            street_staff=ok,
            desheng_staff=m.HIDDEN,
            district_staff=m.HIDDEN,
            leader=m.HIDDEN,
        )

    return [
        m.get("export-job", requester_only(m.OK), pk("export_job")),
        m.get("export-job-download", requester_only(m.OK), pk("export_job")),
        m.get("export-job-download", requester_only(m.REDIRECT), pk("queued_export_job"), "queued"),
    ]
