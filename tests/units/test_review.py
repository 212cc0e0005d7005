"""Staff review of demonstration applications: per view, per role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lyushunkou.models import User
from tests.conftest import client_for
from tests.factories import UnitFactory
from tests.units.helpers import certify, meet_standard, submitted_application
from units.models import ApplicationStatus, DemonstrationApplication, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(unit: Unit, operator: User) -> DemonstrationApplication:
    return submitted_application(unit, operator)


@pytest.fixture
def other_application(other_unit: Unit, other_operator: User) -> DemonstrationApplication:
    return submitted_application(other_unit, other_operator)


def act(client: Client, application: DemonstrationApplication, action: str, **data: object):
    application.refresh_from_db()
    return client.post(
        reverse("application-action", args=[application.pk, action]),
        {"version": application.version, **data},
    )


def test_street_staff_review_and_approve_their_streets_application(
    street_staff: User, application: DemonstrationApplication
) -> None:
    meet_standard(application.unit, street_staff)
    client = client_for(street_staff)
    assert client.get(reverse("application-detail", args=[application.pk])).status_code == 200
    assert act(client, application, "start_review").status_code == 302
    assert act(client, application, "onsite_check", note="现场核查安排在周三").status_code == 302
    response = act(client, application, "approve", valid_from="2026-11-29", valid_days=365)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOTICE  # approval opens the public notice
    certify(application, street_staff)
    application.refresh_from_db()
    assert application.certificate_no.startswith("LSK-FXXF-2026-")
    page = client.get(reverse("application-detail", args=[application.pk])).content.decode()
    assert application.certificate_no in page


def test_street_staff_cannot_see_another_streets_application(
    street_staff: User, other_application: DemonstrationApplication
) -> None:
    client = client_for(street_staff)
    assert client.get(reverse("application-detail", args=[other_application.pk])).status_code == 404
    assert act(client, other_application, "start_review").status_code == 404
    listing = client.get(reverse("application-list")).content.decode()
    assert other_application.unit.name not in listing


def test_district_staff_list_every_application_and_filter_by_status(
    district_staff: User,
    application: DemonstrationApplication,
    other_application: DemonstrationApplication,
) -> None:
    client = client_for(district_staff)
    listing = client.get(reverse("application-list")).content.decode()
    assert application.unit.name in listing
    assert other_application.unit.name in listing
    act(client, application, "start_review")
    filtered = client.get(reverse("application-list"), {"status": "under_review"}).content.decode()
    assert application.unit.name in filtered
    assert other_application.unit.name not in filtered


def test_leaders_read_but_do_not_act(leader: User, application: DemonstrationApplication) -> None:
    client = client_for(leader)
    page = client.get(reverse("application-detail", args=[application.pk]))
    assert page.status_code == 200
    assert page.context["actions"] == []
    assert act(client, application, "start_review").status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["operator", "sysadmin", "secadmin", "auditor"])
def test_other_roles_are_refused(
    persona: str, request: pytest.FixtureRequest, application: DemonstrationApplication
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("application-list")).status_code == 403
    assert client.get(reverse("application-detail", args=[application.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client: Client, application: DemonstrationApplication) -> None:
    assert client.get(reverse("application-list")).status_code == 302
    assert client.get(reverse("application-detail", args=[application.pk])).status_code == 302


def test_rejection_needs_a_reason_and_shows_the_error(
    street_staff: User, application: DemonstrationApplication
) -> None:
    response = act(client_for(street_staff), application, "reject", reason="")
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_stale_action_is_refused_with_a_message(
    street_staff: User, district_staff: User, application: DemonstrationApplication
) -> None:
    stale = application.version
    act(client_for(district_staff), application, "start_review")
    response = client_for(street_staff).post(
        reverse("application-action", args=[application.pk, "reject"]),
        {"version": stale, "reason": "材料不全"},
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_an_unknown_action_is_404(
    street_staff: User, application: DemonstrationApplication
) -> None:
    assert act(client_for(street_staff), application, "delete").status_code == 404


def test_the_list_costs_the_same_queries_with_more_applications(
    district_staff: User, operator: User, django_assert_max_num_queries: object
) -> None:
    for unit in UnitFactory.create_batch(30, owner=operator):  # in 登峰街道
        submitted_application(unit, operator)
    client = client_for(district_staff)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(reverse("application-list")).status_code == 200


def test_the_approval_date_is_prefilled_in_the_format_date_pickers_accept(
    street_staff: User, application: DemonstrationApplication
) -> None:
    client = client_for(street_staff)
    act(client, application, "start_review")
    act(client, application, "onsite_check")
    page = client.get(reverse("application-detail", args=[application.pk])).content.decode()
    from django.utils import timezone

    # The certificate follows the public notice: valid from the day after it ends by default.
    valid_from = timezone.localdate() + dt.timedelta(days=settings.NOTICE_DAYS)
    assert f'type="date" name="valid_from" value="{valid_from:%Y-%m-%d}"' in page


def test_every_review_step_the_services_offer_has_a_form_on_the_review_page() -> None:
    from units.services.applications import REVIEW_STEPS
    from units.views_review import ACTIONS

    assert list(ACTIONS) == list(REVIEW_STEPS)
