"""Every workflow step as a form on the complaint page: it works once, and a stale, repeated or
out-of-order submission is refused with a message and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import CallbackLink, Complaint, MediationRecord, Status
from lyushunkou.models import Jurisdiction, User
from tests.complaints.helpers import register
from tests.conftest import client_for
from units.models import Unit

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def complaint(dengfeng: Jurisdiction, unit: Unit) -> Complaint:
    return register(dengfeng, on=today() - dt.timedelta(days=5), unit=unit)


@pytest.fixture
def staff(street_staff: User) -> Client:
    return client_for(street_staff)


def act(client: Client, complaint: Complaint, action: str, **data: Any) -> Any:
    complaint.refresh_from_db()
    payload = {"version": complaint.version, **data}
    return client.post(reverse("complaint-action", args=[complaint.pk, action]), payload)


def form_errors(response: Any, action: str) -> list[str]:
    """The errors shown on the named action's form (it is re-rendered bound)."""
    for item in response.context["actions"]:
        if item["name"] == action:
            form = item["form"]
            return [str(e) for e in form.non_field_errors()] + [
                str(e) for errors in form.errors.values() for e in errors
            ]
    # The step is no longer offered: its bound form is not on the page, so look at the context.
    raise AssertionError(f"{action} not on the page")


def accepted(complaint: Complaint, by: User) -> Complaint:
    return services.complaint_accept(complaint=complaint, by=by, version=complaint.version)


def offered(client: Client, complaint: Complaint) -> set[str]:
    response = client.get(reverse("complaint-detail", args=[complaint.pk]))
    return {item["name"] for item in response.context["actions"]}


def test_a_registered_complaint_offers_accept_and_refuse(
    staff: Client, complaint: Complaint
) -> None:
    assert offered(staff, complaint) == {"accept", "refuse"}


def test_accept_works_once_and_a_double_submission_is_refused(
    staff: Client, complaint: Complaint
) -> None:
    version = complaint.version
    url = reverse("complaint-action", args=[complaint.pk, "accept"])
    first = staff.post(url, {"version": version, "on": today().isoformat()})
    assert first.status_code == 302
    second = staff.post(url, {"version": version, "on": today().isoformat()})
    assert second.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == Status.ACCEPTED
    assert complaint.events.filter(action="accepted").count() == 1


def test_a_stale_form_is_refused_with_a_message(
    staff: Client, complaint: Complaint, district_staff: User
) -> None:
    stale = complaint.version
    accepted(complaint, district_staff)
    response = staff.post(
        reverse("complaint-action", args=[complaint.pk, "conclude"]),
        {"version": stale, "outcome": "withdrawn", "on": today().isoformat()},
    )
    assert response.status_code == 400
    assert form_errors(response, "conclude")
    complaint.refresh_from_db()
    assert complaint.status == Status.ACCEPTED


def test_a_step_out_of_order_is_refused(staff: Client, complaint: Complaint) -> None:
    response = act(staff, complaint, "conclude", outcome="withdrawn", on=today().isoformat())
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_refusing_needs_an_article_15_ground(staff: Client, complaint: Complaint) -> None:
    response = act(staff, complaint, "refuse", ground="", on=today().isoformat())
    assert response.status_code == 400
    assert form_errors(response, "refuse")
    response = act(staff, complaint, "refuse", ground="not_duty", note="非消费纠纷", on=today())
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REFUSED
    assert complaint.refusal_ground == "not_duty"


def test_forwarding_is_offered_only_for_a_unit_with_an_operator(
    staff: Client, complaint: Complaint, dengfeng: Jurisdiction, street_staff: User
) -> None:
    accepted(complaint, street_staff)
    assert "forward" in offered(staff, complaint)
    assert act(staff, complaint, "forward").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ODR
    assert complaint.odr_due is not None

    unlinked = accepted(register(dengfeng, on=today()), street_staff)
    assert "forward" not in offered(staff, unlinked)
    assert act(staff, unlinked, "forward").status_code == 400


def test_mediation_records_are_kept_once(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    accepted(complaint, street_staff)
    when = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    record = {"kind": "contact", "occurred_at": when, "note": "电话联系商家，同意退还差价"}
    complaint.refresh_from_db()
    same_form = {"version": complaint.version, **record}  # the page's form, submitted twice
    url = reverse("complaint-action", args=[complaint.pk, "mediation"])
    assert staff.post(url, same_form).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATING
    assert staff.post(url, same_form).status_code == 400
    assert MediationRecord.objects.filter(complaint=complaint).count() == 1
    session = {**record, "kind": "session", "note": "双方到所调解"}
    assert act(staff, complaint, "mediation", **session).status_code == 302
    page = staff.get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    assert "双方到所调解" in page


def test_pause_and_resume_the_mediation_clock(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    accepted(complaint, street_staff)
    complaint.refresh_from_db()
    due = complaint.mediation_due
    assert due is not None
    on = today().isoformat()
    assert act(staff, complaint, "pause", on=on, reason="送检").status_code == 302
    assert "pause" not in offered(staff, complaint)
    assert "resume" in offered(staff, complaint)
    page = staff.get(reverse("complaint-detail", args=[complaint.pk]))
    assert page.context["detail"].running_pause.reason == "送检"
    assert act(staff, complaint, "pause", on=on, reason="送检").status_code == 400
    assert act(staff, complaint, "resume", on=on).status_code == 302
    complaint.refresh_from_db()
    assert complaint.current_due == complaint.mediation_due
    assert complaint.mediation_due is not None
    assert complaint.mediation_due >= due


def test_conclude_as_mediated_with_the_amount_recovered(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    accepted(complaint, street_staff)
    response = act(
        staff,
        complaint,
        "conclude",
        outcome="mediated",
        amount_recovered="300.50",
        on=today().isoformat(),
        note="商家退还差价",
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CONCLUDED
    assert str(complaint.amount_recovered) == "300.50"
    assert offered(staff, complaint) == {"reopen", "satisfaction", "callback_link"}


def test_staff_record_a_finding_of_fault_whatever_the_outcome(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    accepted(complaint, street_staff)
    response = act(
        staff,
        complaint,
        "conclude",
        outcome="failed",
        fault_finding="at_fault",
        on=today().isoformat(),
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.fault_finding) == ("failed", "at_fault")
    page = staff.get(reverse("complaint-detail", args=[complaint.pk]))
    assert b'data-testid="fault-finding"' in page.content


def test_an_unknown_finding_of_fault_is_refused_naming_the_field(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    accepted(complaint, street_staff)
    response = act(
        staff,
        complaint,
        "conclude",
        outcome="mediated",
        fault_finding="maybe",
        on=today().isoformat(),
    )
    assert response.status_code == 400
    assert form_errors(response, "conclude")
    complaint.refresh_from_db()
    assert complaint.status == Status.ACCEPTED


def test_terminating_needs_a_ground_and_transferring_a_recipient(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    accepted(complaint, street_staff)
    on = today().isoformat()
    response = act(staff, complaint, "conclude", outcome="terminated", on=on)
    assert response.status_code == 400
    assert form_errors(response, "conclude")
    response = act(staff, complaint, "conclude", outcome="transferred", on=on)
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == Status.ACCEPTED
    response = act(
        staff, complaint, "conclude", outcome="terminated", termination_ground="absent", on=on
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.termination_notice_due is not None


def test_reopen_needs_a_reason_and_is_recorded(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    complaint = accepted(complaint, street_staff)
    services.complaint_conclude(
        complaint=complaint, by=street_staff, version=complaint.version, outcome="failed"
    )
    assert act(staff, complaint, "reopen", reason=" ").status_code == 400
    assert act(staff, complaint, "reopen", reason="消费者补充新证据").status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATING
    assert complaint.events.filter(action="reopened", note="消费者补充新证据").exists()


def test_reports_verify_and_decide(staff: Client, dengfeng: Jurisdiction) -> None:
    report = register(dengfeng, on=today(), kind="report")
    assert offered(staff, report) == {"verify", "decide"}
    assert act(staff, report, "verify").status_code == 302
    assert act(staff, report, "decide", decision="open", reason="", on=today()).status_code == 400
    response = act(staff, report, "decide", decision="open", reason="证据确凿", on=today())
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CASE_OPENED


def concluded(complaint: Complaint, by: User) -> Complaint:
    complaint = accepted(complaint, by)
    return services.complaint_conclude(
        complaint=complaint, by=by, version=complaint.version, outcome="mediated"
    )


def test_staff_record_the_callback_answer(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    complaint = concluded(complaint, street_staff)
    stale = complaint.version
    assert act(staff, complaint, "satisfaction", answer="basically").status_code == 302
    repeat = staff.post(
        reverse("complaint-action", args=[complaint.pk, "satisfaction"]),
        {"version": stale, "answer": "satisfied"},
    )
    assert repeat.status_code == 400
    complaint.refresh_from_db()
    assert complaint.satisfaction == "basically"
    assert not complaint.satisfaction_via_link


def test_a_callback_link_is_shown_once_as_an_absolute_url(
    staff: Client, complaint: Complaint, street_staff: User
) -> None:
    complaint = concluded(complaint, street_staff)
    response = act(staff, complaint, "callback_link")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    url = response.context["callback_url"]
    assert url.startswith("http://testserver/callback/")
    assert CallbackLink.objects.filter(complaint=complaint).count() == 1
    page = staff.get(reverse("complaint-detail", args=[complaint.pk])).content.decode()
    assert url not in page
    assert Client().get(url).status_code == 200


def test_leaders_cannot_act(leader: User, complaint: Complaint) -> None:
    assert act(client_for(leader), complaint, "accept", on=today()).status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED


def test_street_staff_cannot_act_on_another_streets_complaint(
    staff: Client, desheng: Jurisdiction
) -> None:
    elsewhere = register(desheng, on=today())
    assert act(staff, elsewhere, "accept", on=today()).status_code == 404


def test_an_unknown_action_is_404_and_get_is_not_allowed(
    staff: Client, complaint: Complaint
) -> None:
    assert act(staff, complaint, "delete").status_code == 404
    url = reverse("complaint-action", args=[complaint.pk, "accept"])
    assert staff.get(url).status_code == 405
