"""Access-matrix rows of the demonstration areas (see tests/test_access_matrix.py).

``build`` gives 登峰 (the world's street) a community with a network point, a confirmed item
with its evidence file, a logged activity and a submitted self-assessment. The public pages are
for everyone; the staff pages for staff and leaders of the scope (得胜 staff get a 404 for 登峰's
objects); writing is staff's; loading the communities is district-wide staff's and the system
administrator's; reviewing self-assessments and issuing verdicts is district-wide staff's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from areas import services, services_assessment
from areas.models import AreaCriterion, Community

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = 2025


def build(**world: Any) -> dict[str, Any]:
    staff, dengfeng = world["staff"], world["dengfeng"]
    community = Community.objects.create(code="210212001001", name="黄河路社区", street=dengfeng)
    point = services.network_point_create(
        by=staff,
        kind="liaison",
        name="黄河路社区消费维权联络站",
        community=community,
        contact_person="王联络",
        contact_phone="13912345678",
        opening_hours="周一至周五 8:30-17:00",
    )
    confirmation = services.confirmation_save(
        place=dengfeng,
        year=YEAR,
        criterion=AreaCriterion.objects.get(code="joint_conference"),
        record=None,
        by=staff,
        version=0,
        in_place=True,
        note="旅政办〔2025〕3号",
        upload=SimpleUploadedFile("联席会议制度.pdf", PDF, "application/pdf"),
        confirm=True,
    )
    activity = services.activity_record(
        place=dengfeng,
        by=staff,
        kind="publicity",
        title="3·15 宣传",
        held_on=dt.date(YEAR, 3, 15),
        venue="广场",
        reach=500,
    )
    assessment = services_assessment.assessment_submit(
        place=dengfeng, year=YEAR, by=staff, statement="自评报告", record=None, version=0
    )
    return {
        "area_point": point,
        "area_confirmation": confirmation,
        "area_activity": activity,
        "area_assessment": assessment,
    }


def rows(m: Any) -> list[Any]:
    def place(w: Any) -> dict[str, Any]:
        return {"code": w.unit.jurisdiction.code, "year": YEAR}

    def confirmable(w: Any) -> dict[str, Any]:
        return {**place(w), "item": "safety_emergency"}

    def pk(name: str) -> Any:
        return lambda w: {"pk": w.extra[name].pk}

    loaders = m.expect(m.REFUSED, anonymous=m.LOGIN, district_staff=m.OK, sysadmin=m.OK)
    loaders_post = m.expect(m.REFUSED, anonymous=m.LOGIN, district_staff=m.RAN, sysadmin=m.RAN)
    # Reviewing and issuing: district-wide staff; 登峰's own staff are refused (403).
    reviewer = m.expect(
        m.DENIED,
        anonymous=m.LOGIN,
        street_staff=m.REFUSED,
        desheng_staff=m.HIDDEN,
        district_staff=m.OK,
        leader=m.REFUSED,
    )
    reviewer_post = {**reviewer, "district_staff": m.RAN}
    # scoring's retired checklist page: a permanent redirect for everyone (the target checks).
    moved = m.expect(frozenset({301}))
    return [
        m.get("areas-old-checklist", moved),
        m.get("areas-public", m.PUBLIC),
        m.get("areas-network-public", m.PUBLIC),
        m.get("areas-staff", m.STAFF_READ),
        m.get("areas-points", m.STAFF_READ),
        m.get("areas-point-new", m.STAFF_ONLY),
        m.post("areas-point-new", m.STAFF_ONLY_POST),
        m.get("areas-point-edit", m.STAFF_WRITE_GET, pk("area_point")),
        m.post("areas-point-edit", m.STAFF_WRITE_POST, pk("area_point")),
        m.get("areas-communities", m.STAFF_READ),
        m.get("areas-community-import", loaders),
        m.post("areas-community-import", loaders_post),
        m.get("areas-community-template", loaders),
        m.get("areas-place", m.STAFF_READ_OBJ, place),
        m.get("areas-confirm", m.STAFF_WRITE_GET, confirmable),
        m.post("areas-confirm", m.STAFF_WRITE_POST, confirmable),
        m.get("areas-confirm-file", m.STAFF_READ_OBJ, pk("area_confirmation")),
        m.get("areas-activity-new", m.STAFF_WRITE_GET, place),
        m.post("areas-activity-new", m.STAFF_WRITE_POST, place),
        m.post("areas-activity-delete", m.STAFF_WRITE_POST, pk("area_activity")),
        m.get("areas-assessment-submit", m.STAFF_WRITE_GET, place),
        m.post("areas-assessment-submit", m.STAFF_WRITE_POST, place),
        m.get("areas-assessment-review", reviewer, place),
        m.post("areas-assessment-review", reviewer_post, place),
        m.post("areas-verdict-issue", reviewer_post, place),
    ]
