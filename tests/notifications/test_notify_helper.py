"""The notification helper itself: absolute links in e-mails, users without an address, and a
malformed PORTAL_BASE_URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from complaints import services as complaint_services
from lyushunkou.models import Notification, User
from lyushunkou.notifications import absolute_url
from tests.notifications.helpers import BASE, accepted
from tests.test_settings import run_manage
from units.models import Unit

pytestmark = pytest.mark.django_db


# --- The helper itself --------------------------------------------------------------------------


def test_a_link_in_an_email_is_absolute_and_an_absolute_link_is_kept() -> None:
    assert absolute_url("/complaints/7/") == f"{BASE}/complaints/7/"
    assert absolute_url("https://other.example/x") == "https://other.example/x"
    assert absolute_url("") == ""


def test_a_user_without_an_address_is_told_in_the_portal_only(
    unit: Unit, operator: User, street_staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    User.objects.filter(pk=operator.pk).update(email="")
    complaint = accepted(unit, street_staff)
    with django_capture_on_commit_callbacks(execute=True):
        complaint_services.complaint_forward_odr(
            complaint=complaint, by=street_staff, version=complaint.version
        )
    assert Notification.objects.filter(user=operator).count() == 1
    assert mail.outbox == []


def test_a_portal_base_url_without_scheme_and_host_stops_start_up_with_its_name() -> None:
    result = run_manage("check", PORTAL_BASE_URL="fxxf.lvshun.example.gov.cn")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PORTAL_BASE_URL" in result.stderr
