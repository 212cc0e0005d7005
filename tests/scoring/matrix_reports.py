"""Access-matrix rows of the reports pages (see tests/test_access_matrix.py).

The world has a ready district report, a ready report of 登峰街道 (the world's street), a
queued one and a failed one: the district's is for leaders and district-wide staff only; the
street's also for 登峰's staff; nobody downloads a report that is not ready; staff and leaders
request reports; staff in scope retry a failed one.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from scoring.models import Report

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ready(kind: str, period: str, scope_code: str) -> Report:
    report = Report.objects.create(
        kind=kind, period=period, scope_code=scope_code, state=Report.State.DONE, size=len(PDF)
    )
    report.file.save(f"{kind}-{period}-{scope_code}.pdf", ContentFile(PDF))
    return report


def build(**world: Any) -> dict[str, Any]:
    dengfeng = world["dengfeng"]
    return {
        "district_report": _ready(Report.Kind.MONTHLY, "2025-09", "district"),
        "street_report": _ready(Report.Kind.MONTHLY, "2025-09", dengfeng.code),
        "queued_report": Report.objects.create(
            kind=Report.Kind.QUARTERLY, period="2025-Q3", scope_code=dengfeng.code
        ),
        "failed_report": Report.objects.create(
            kind=Report.Kind.MONTHLY,
            period="2025-08",
            scope_code=dengfeng.code,
            state=Report.State.FAILED,
        ),
    }


def rows(m: Any) -> list[Any]:
    def pk(name: str) -> Any:
        return lambda w: {"pk": w.extra[name].pk}

    district_only = m.expect(
        m.DENIED,
        anonymous=m.LOGIN,
        street_staff=m.HIDDEN,
        desheng_staff=m.HIDDEN,
        district_staff=m.OK,
        leader=m.OK,
    )
    not_ready = m.expect(
        m.DENIED,
        anonymous=m.LOGIN,
        street_staff=m.HIDDEN,
        desheng_staff=m.HIDDEN,
        district_staff=m.HIDDEN,
        leader=m.HIDDEN,
    )
    staff_in_scope_post = m.expect(
        m.DENIED,
        anonymous=m.LOGIN,
        street_staff=m.RAN,
        desheng_staff=m.HIDDEN,
        district_staff=m.RAN,
        leader=m.REFUSED,
    )
    return [
        m.get("report-list", m.STAFF_READ),
        # Leaders request reports too (issue 14 item 7); the retry button stays staff's.
        m.post("report-request", m.expect(m.REFUSED, anonymous=m.LOGIN, staff=m.RAN, leader=m.RAN)),
        m.get("report-detail", m.STAFF_READ_OBJ, pk("street_report")),
        m.get("report-detail", district_only, pk("district_report"), "district"),
        m.get("report-detail", m.STAFF_READ_OBJ, pk("queued_report"), "queued"),
        m.get("report-download", m.STAFF_READ_OBJ, pk("street_report")),
        m.get("report-download", district_only, pk("district_report"), "district"),
        m.get("report-download", not_ready, pk("queued_report"), "queued"),
        m.post("report-retry", staff_in_scope_post, pk("failed_report"), "failed"),
    ]
