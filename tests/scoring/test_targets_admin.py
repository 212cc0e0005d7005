"""The targets edited in the admin site: a threshold changed by the system administrator is
audited and judged by; a key the portal cannot compute is refused. October 2026 counted by hand
(tests/scoring/targets_helpers.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring import targets
from scoring.models import Target
from scoring.targets.forms import TargetAdminForm
from tests.conftest import client_for
from tests.scoring.targets_helpers import OCTOBER, TODAY, table, target_form

pytestmark = pytest.mark.django_db


def test_the_system_administrator_edits_a_threshold_and_it_is_audited(
    world: dict[str, Jurisdiction], sysadmin: User
) -> None:
    target = Target.objects.get(key="complaint_satisfaction_rate", scope="demo_area")
    url = reverse("admin:scoring_target_change", args=[target.pk])
    response = client_for(sysadmin).post(url, target_form(target, threshold="80"))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="scoring.target.changed")
    assert event.actor == sysadmin
    assert event.detail["fields"] == ["threshold"]
    result = targets.evaluate(OCTOBER, world["dengfeng"], today=TODAY)
    assert table(result)["complaint_satisfaction_rate"] == (4, 5, 0.8, 0.8, True)


def test_a_target_with_a_key_the_portal_cannot_compute_is_refused(db: None) -> None:
    target = Target.objects.get(key="station_coverage", scope="district")
    form = TargetAdminForm(target_form(target, key="station_coverag"), instance=target)
    assert not form.is_valid()
    assert "key" in form.errors
