"""The year-end workflow (issue 21 item 4): a street submits its self-assessment, district staff
review it item by item (return or confirm), and issue the verdict, dated and immutable; a
correction is a new version. Every step is audited and notified; no verdict while an item lacks
its evidence, and the message names the item."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from areas import services_assessment as workflow
from areas.models_assessment import AreaAssessment, AreaVerdict
from lyushunkou.models import AuditEvent, Jurisdiction, Notification, User
from tests.areas.helpers import YEAR, meet_every_item
from tests.conftest import DENGFENG, DESHENG, client_for

pytestmark = pytest.mark.django_db


def url(name: str, code: str = DENGFENG) -> str:
    return reverse(name, kwargs={"code": code, "year": YEAR})


def submit(place: Jurisdiction, by: User, record: AreaAssessment | None = None) -> AreaAssessment:
    return workflow.assessment_submit(
        place=place,
        year=YEAR,
        by=by,
        statement="本街道已建立联席会议制度，开展宣传活动12场。",
        record=record,
        version=record.version if record else 0,
    )


def review(assessment: AreaAssessment, by: User, returned: dict[str, str] | None = None) -> Any:
    returned = returned or {}
    decisions = {
        item["code"]: ("returned", returned[item["code"]])
        if item["code"] in returned
        else ("accepted", "")
        for item in assessment.items
    }
    return workflow.assessment_review(
        assessment=assessment, by=by, version=assessment.version, decisions=decisions
    )


@pytest.fixture
def ready(dengfeng: Jurisdiction, district_staff: User) -> None:
    meet_every_item(dengfeng, YEAR, district_staff)


# --- Submitting -----------------------------------------------------------------------------------


def test_street_staff_submit_the_self_assessment_with_the_items_as_they_stand(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    assessment = submit(dengfeng, street_staff)

    assert assessment.state == AreaAssessment.State.SUBMITTED
    assert [item["status"] for item in assessment.items] == ["met"] * 11
    assert AuditEvent.objects.filter(action="areas.assessment_submitted", actor=street_staff)
    assert Notification.objects.filter(user=district_staff, link__contains="#assessment").exists()


def test_a_submitted_self_assessment_cannot_be_submitted_twice(
    ready: None, dengfeng: Jurisdiction, street_staff: User
) -> None:
    assessment = submit(dengfeng, street_staff)
    with pytest.raises(ValidationError):
        submit(dengfeng, street_staff, assessment)


def test_the_submission_page_submits_for_the_street(
    ready: None, street_staff: User, desheng_staff: User, leader: User
) -> None:
    response = client_for(street_staff).post(
        url("areas-assessment-submit"), {"statement": "自评报告", "version": 0}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#assessment")
    assert AreaAssessment.objects.get().submitted_by == street_staff
    assert client_for(desheng_staff).get(url("areas-assessment-submit")).status_code == 404
    assert client_for(leader).get(url("areas-assessment-submit")).status_code == 403


def test_an_empty_statement_is_refused_naming_it(street_staff: User) -> None:
    response = client_for(street_staff).post(
        url("areas-assessment-submit"), {"statement": "  ", "version": 0}
    )
    assert response.status_code == 400
    assert not AreaAssessment.objects.exists()


# --- Reviewing ------------------------------------------------------------------------------------


def test_a_returned_item_returns_the_assessment_and_tells_the_street(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    assessment = review(
        submit(dengfeng, street_staff), district_staff, {"risk_warning": "缺少风险调查报告"}
    )

    assert assessment.state == AreaAssessment.State.RETURNED
    returned = assessment.reviews.get(code="risk_warning")
    assert (returned.decision, returned.note) == ("returned", "缺少风险调查报告")
    assert Notification.objects.filter(user=street_staff, key__contains="reviewed").exists()
    assert AuditEvent.objects.filter(action="areas.assessment_returned").exists()


def test_a_returned_item_needs_its_note(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    assessment = submit(dengfeng, street_staff)
    with pytest.raises(ValidationError):
        review(assessment, district_staff, {"risk_warning": " "})
    assessment.refresh_from_db()
    assert assessment.state == AreaAssessment.State.SUBMITTED


def test_every_item_needs_a_decision(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    assessment = submit(dengfeng, street_staff)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        workflow.assessment_review(
            assessment=assessment,
            by=district_staff,
            version=assessment.version,
            decisions={"joint_conference": ("accepted", "")},
        )
    assert "Decide on every item" in refused.value.messages[0]


def test_street_staff_cannot_review_their_own_street(
    ready: None, dengfeng: Jurisdiction, street_staff: User
) -> None:
    submit(dengfeng, street_staff)
    assert client_for(street_staff).get(url("areas-assessment-review")).status_code == 403


def test_district_staff_review_on_the_page(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    assessment = submit(dengfeng, street_staff)
    data: dict[str, Any] = {"version": assessment.version}
    for item in assessment.items:
        data[f"decision_{item['code']}"] = "accepted"
    response = client_for(district_staff).post(url("areas-assessment-review"), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AreaAssessment.State.CONFIRMED


def test_a_returned_assessment_is_submitted_again_in_a_new_round(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    returned = review(submit(dengfeng, street_staff), district_staff, {"publicity": "补充照片"})
    again = submit(dengfeng, street_staff, returned)
    assert (again.state, again.round) == (AreaAssessment.State.SUBMITTED, 2)


# --- Issuing --------------------------------------------------------------------------------------


def test_district_staff_issue_the_verdict_of_a_confirmed_assessment(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    confirmed = review(submit(dengfeng, street_staff), district_staff)
    issued = workflow.verdict_issue(
        assessment=confirmed, by=district_staff, version=confirmed.version
    )

    assert (issued.verdict, issued.number, issued.issued_by) == ("met", 1, district_staff)
    assert AuditEvent.objects.filter(action="areas.verdict_issued").exists()
    assert Notification.objects.filter(user=street_staff, key=f"area-verdict:{issued.pk}")


def test_no_verdict_while_an_item_lacks_evidence_and_the_message_names_it(
    desheng: Jurisdiction, desheng_staff: User, district_staff: User
) -> None:
    meet_every_item(desheng, YEAR, district_staff, skip=("safety_emergency",))
    confirmed = review(submit(desheng, desheng_staff), district_staff)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        workflow.verdict_issue(assessment=confirmed, by=district_staff, version=confirmed.version)
    assert "A safety management responsibility system" in refused.value.messages[0]
    assert not AreaVerdict.objects.exists()


def test_a_street_missing_a_target_gets_a_not_met_verdict_naming_it(
    desheng: Jurisdiction, desheng_staff: User, district_staff: User
) -> None:
    meet_every_item(desheng, YEAR, district_staff, figures={"complaint_satisfaction_rate": "0.85"})
    confirmed = review(submit(desheng, desheng_staff), district_staff)
    issued = workflow.verdict_issue(
        assessment=confirmed, by=district_staff, version=confirmed.version
    )
    assert issued.verdict == "not_met"
    assert [i["code"] for i in issued.items if i["status"] != "met"] == ["targets"]


def test_an_issued_verdict_is_never_changed_and_a_correction_is_a_new_version(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    confirmed = review(submit(dengfeng, street_staff), district_staff)
    first = workflow.verdict_issue(
        assessment=confirmed, by=district_staff, version=confirmed.version
    )
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        AreaVerdict.objects.filter(pk=first.pk).update(verdict="not_met")
    with pytest.raises(ValidationError):  # a second version needs its reason
        workflow.verdict_issue(assessment=confirmed, by=district_staff, version=confirmed.version)
    second = workflow.verdict_issue(
        assessment=confirmed,
        by=district_staff,
        version=confirmed.version,
        reason="更正：补录满意度回访数据",
    )
    assert second.number == 2
    assert AreaVerdict.objects.count() == 2


def test_only_district_staff_issue_verdicts(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User, leader: User
) -> None:
    confirmed = review(submit(dengfeng, street_staff), district_staff)
    data = {"version": confirmed.version}
    assert client_for(street_staff).post(url("areas-verdict-issue"), data).status_code == 403
    assert client_for(leader).post(url("areas-verdict-issue"), data).status_code == 403
    assert not AreaVerdict.objects.exists()
    assert client_for(district_staff).post(url("areas-verdict-issue"), data).status_code == 302
    assert AreaVerdict.objects.get().verdict == "met"


def test_the_issued_verdict_shows_on_the_overview_and_the_public_page(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    confirmed = review(submit(dengfeng, street_staff), district_staff)
    workflow.verdict_issue(assessment=confirmed, by=district_staff, version=confirmed.version)
    overview = client_for(district_staff).get(reverse("areas-staff"), {"year": YEAR})
    row = overview.content.decode().split(f'data-testid="verdict-{DENGFENG}"')[1].split("</tr>")[0]
    assert 'data-issued="met"' in row
    public = client_for(street_staff).get(reverse("areas-public"), {"year": YEAR}).content
    row = public.decode().split(f'data-testid="public-verdict-{DENGFENG}"')[1].split("</tr>")[0]
    assert 'data-issued="met"' in row
    other = public.decode().split(f'data-testid="public-verdict-{DESHENG}"')[1].split("</tr>")[0]
    assert "data-issued" not in other


def test_the_district_verdict_waits_for_every_streets_materials(
    dengfeng: Jurisdiction, district: Jurisdiction, district_staff: User
) -> None:
    Jurisdiction.objects.filter(kind="street").exclude(pk=dengfeng.pk).update(active=False)
    meet_every_item(district, YEAR, district_staff)
    confirmed = review(submit(district, district_staff), district_staff)
    with pytest.raises(ValidationError) as refused:
        workflow.verdict_issue(assessment=confirmed, by=district_staff, version=confirmed.version)
    assert "登峰街道" in refused.value.messages[0]
    meet_every_item(dengfeng, YEAR, district_staff)
    issued = workflow.verdict_issue(
        assessment=confirmed, by=district_staff, version=confirmed.version
    )
    assert issued.verdict == "met"
    assert issued.streets[0]["verdict"] == "met"


def test_the_place_page_shows_where_the_workflow_stands(
    ready: None, dengfeng: Jurisdiction, street_staff: User, district_staff: User
) -> None:
    submit(dengfeng, street_staff)
    content = client_for(district_staff).get(url("areas-place")).content.decode()
    assert 'data-state="submitted"' in content
    assert 'data-testid="assessment-review"' in content
    street = client_for(street_staff).get(url("areas-place")).content.decode()
    assert 'data-testid="assessment-review"' not in street


# --- Who is told (docs/notifications.md rows 28-30) -----------------------------------------------


def test_each_step_tells_exactly_the_people_waiting_on_it_once_with_a_link_that_opens(
    ready: None,
    dengfeng: Jurisdiction,
    desheng: Jurisdiction,
    street_staff: User,
    district_staff: User,
    leader: User,
) -> None:
    from tests.conftest import make_user

    other_street = make_user("desheng_staff", "staff", desheng)
    second_reviewer = make_user("second_reviewer", "staff")

    def told(key_part: str) -> dict[str, int]:
        rows = Notification.objects.filter(key__contains=key_part)
        return {user.username: rows.filter(user=user).count() for user in User.objects.all()}

    def opens(user: User, key_part: str) -> None:
        note = Notification.objects.get(user=user, key__contains=key_part)
        assert client_for(user).get(note.link.split("#")[0]).status_code == 200

    # Row 28: the reviewers (district-wide staff), not the submitter, nobody else.
    assessment = submit(dengfeng, street_staff)
    assert {name for name, n in told(":submitted:").items() if n} == {
        district_staff.username,
        second_reviewer.username,
    }
    assert max(told(":submitted:").values()) == 1
    opens(district_staff, ":submitted:")

    # Row 29: the street's staff (here also the submitter), not the reviewer or another street.
    confirmed = review(assessment, district_staff)
    assert {name for name, n in told(":reviewed:").items() if n} == {street_staff.username}
    opens(street_staff, ":reviewed:")

    # Row 30: the place's staff and the submitter, once, not the issuer, a leader or another street.
    issued = workflow.verdict_issue(
        assessment=confirmed, by=district_staff, version=confirmed.version
    )
    counts = told(f"area-verdict:{issued.pk}")
    assert {name for name, n in counts.items() if n} == {street_staff.username}
    assert counts[street_staff.username] == 1
    assert counts[other_street.username] == 0
    assert counts[leader.username] == 0
    opens(street_staff, "area-verdict:")
