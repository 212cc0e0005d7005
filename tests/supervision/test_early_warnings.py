"""Early warnings (issue 19 item 2): the nightly job flags counts above their control limits,
tells the staff of the jurisdiction, and staff acknowledge or close them with a note."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from inspections.models import SafetyIncident
from lyushunkou.models import AuditEvent, Jurisdiction, Notification, User
from supervision import stats, tasks
from supervision.models import EarlyWarning, WarningState
from supervision.services_warnings import warning_acknowledge, warning_close, warnings_raise
from tests.conftest import client_for
from tests.inspections.helpers import batch as record_batch
from tests.supervision.helpers import add_complaints, add_units

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 30)  # the window: 1–30 November 2026


def usual_year(street: Jurisdiction, per_window: int = 2, **fields: object) -> None:
    """``per_window`` complaints in each of the 12 windows of 30 days before the window."""
    for window in range(1, 13):
        add_complaints(street, per_window, on=DAY - dt.timedelta(days=30 * window + 5), **fields)  # type: ignore[arg-type]


def test_the_control_limit_is_the_exact_poisson_3_sigma_tail() -> None:
    assert stats.upper_control_limit(2.0) == 8  # P(X ≥ 8 | 2) = 0.0011 ≤ 0.00135 < P(X ≥ 7)
    assert stats.poisson_sf(8, 2.0) <= stats.CONTROL_TAIL < stats.poisson_sf(7, 2.0)
    assert stats.upper_control_limit(0.0) == 5  # nothing before: five in 30 days


def test_a_streets_complaints_above_their_limit_raise_a_warning_with_evidence(
    dengfeng: Jurisdiction, street_staff: User, district_staff: User, desheng_staff: User
) -> None:
    usual_year(dengfeng)
    spike = add_complaints(dengfeng, 9, on=DAY - dt.timedelta(days=3))

    result = warnings_raise(day=DAY)

    warning = EarlyWarning.objects.get()
    assert (result.raised, warning.metric, warning.category) == (1, "complaints", "quality")
    assert (warning.observed, warning.baseline, warning.limit) == (9, 2.0, 8)
    assert (warning.window_start, warning.window_end) == (dt.date(2026, 11, 1), DAY)
    assert [r["label"] for r in warning.evidence["records"]] == [c.record_no for c in spike]
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {street_staff.username, district_staff.username}
    assert AuditEvent.objects.filter(action="supervision.warning_raised").count() == 1


def test_a_count_within_its_limit_raises_nothing(dengfeng: Jurisdiction) -> None:
    usual_year(dengfeng)
    add_complaints(dengfeng, 7, on=DAY)  # 7 < 8

    assert warnings_raise(day=DAY).raised == 0
    assert not EarlyWarning.objects.exists()


def test_running_again_updates_the_warning_and_tells_nobody_twice(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    usual_year(dengfeng)
    add_complaints(dengfeng, 9, on=DAY - dt.timedelta(days=3))
    warnings_raise(day=DAY)
    add_complaints(dengfeng, 2, on=DAY + dt.timedelta(days=1))

    again = warnings_raise(day=DAY + dt.timedelta(days=1))

    warning = EarlyWarning.objects.get()
    assert (again.raised, again.updated) == (0, 1)
    assert warning.observed == 11
    assert warning.window_end == DAY + dt.timedelta(days=1)
    assert Notification.objects.filter(user=street_staff).count() == 1


def test_staff_acknowledge_and_close_with_a_note_and_a_closed_one_is_held_for_a_window(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    usual_year(dengfeng)
    add_complaints(dengfeng, 9, on=DAY - dt.timedelta(days=3))
    warnings_raise(day=DAY)
    warning = EarlyWarning.objects.get()

    warning = warning_acknowledge(warning=warning, by=street_staff, note="已安排核查")
    assert warning.state == WarningState.ACKNOWLEDGED
    with pytest.raises(ValidationError, match="closing"), translation.override("en"):
        warning_close(warning=warning, by=street_staff, note=" ")
    warning = warning_close(warning=warning, by=street_staff, note="系同一批次海鲜，已立案")
    assert (warning.state, warning.closed_by) == (WarningState.CLOSED, street_staff)

    held = warnings_raise(day=DAY)
    assert (held.raised, held.held) == (0, 1)
    assert EarlyWarning.objects.count() == 1


def test_a_unit_whose_complaints_rise_sharply_is_flagged(dengfeng: Jurisdiction) -> None:
    (shop,) = add_units(dengfeng, 1)
    usual_year(dengfeng, per_window=6)  # the street's quality complaints stay usual
    add_complaints(dengfeng, 5, on=DAY, unit=shop, category="price")

    warnings_raise(day=DAY)

    warning = EarlyWarning.objects.get(unit=shop)
    assert (warning.metric, warning.observed, warning.limit) == ("complaints", 5, 5)
    assert warning.subject == shop.name


def test_failed_batches_of_a_street_and_category_are_flagged(
    dengfeng: Jurisdiction, street_staff: User
) -> None:
    for n in range(5):
        record_batch(street_staff, dengfeng, sampled_on=DAY - dt.timedelta(days=n), result="fail")

    warnings_raise(day=DAY)

    warning = EarlyWarning.objects.get(metric="failed_batches", unit=None)
    assert (warning.category, warning.observed) == ("food", 5)
    with translation.override("en"):
        assert warning.category_label == "Food"


def test_safety_incidents_are_flagged_by_severity(dengfeng: Jurisdiction) -> None:
    (unit,) = add_units(dengfeng, 1)
    for n in range(5):
        SafetyIncident.objects.create(
            unit=unit,
            occurred_on=DAY - dt.timedelta(days=n),
            severity="general",
            description="烫伤",
        )

    warnings_raise(day=DAY)

    warning = EarlyWarning.objects.get(metric="incidents")
    assert (warning.category, warning.jurisdiction) == ("general", dengfeng)


def test_the_nightly_task_and_the_command_raise_the_same(dengfeng: Jurisdiction) -> None:
    usual_year(dengfeng)
    add_complaints(dengfeng, 9, on=DAY - dt.timedelta(days=3))

    out = io.StringIO()
    with translation.override("en"):
        call_command("early_warnings", "--date", DAY.isoformat(), stdout=out)
    assert "1 raised" in out.getvalue()
    assert tasks.raise_early_warnings.delay().get() == 0  # yesterday's window: nothing new
    with pytest.raises(CommandError, match="2026-13-01"):
        call_command("early_warnings", "--date", "2026-13-01")


# --- Pages ---------------------------------------------------------------------------------------


@pytest.fixture
def warning(dengfeng: Jurisdiction) -> EarlyWarning:
    usual_year(dengfeng)
    add_complaints(dengfeng, 9, on=DAY - dt.timedelta(days=3))
    warnings_raise(day=DAY)
    return EarlyWarning.objects.get()


def act(warning: EarlyWarning, action: str) -> str:
    return reverse("warning-action", kwargs={"pk": warning.pk, "action": action})


def test_the_list_shows_the_staffs_scope_only(
    warning: EarlyWarning, street_staff: User, desheng_staff: User, leader: User
) -> None:
    url = reverse("warning-list")
    assert len(client_for(street_staff).get(url).context["warnings"]) == 1
    assert len(client_for(leader).get(url).context["warnings"]) == 1
    assert client_for(desheng_staff).get(url).context["warnings"] == []
    detail = reverse("warning-detail", args=[warning.pk])
    assert client_for(desheng_staff).get(detail).status_code == 404


def test_the_detail_links_the_evidence(warning: EarlyWarning, street_staff: User) -> None:
    response = client_for(street_staff).get(reverse("warning-detail", args=[warning.pk]))

    first = warning.evidence["records"][0]
    assert reverse("complaint-detail", args=[first["pk"]]) in response.content.decode()


def test_staff_acknowledge_then_close_through_the_page(
    warning: EarlyWarning, street_staff: User
) -> None:
    client = client_for(street_staff)

    assert client.post(act(warning, "acknowledge"), {}).status_code == 302
    refused = client.post(act(warning, "close"), {})
    closed = client.post(act(warning, "close"), {"close-note": "已核查，系季节性集中消费"})

    warning.refresh_from_db()
    assert refused.status_code == 400
    assert refused.context["close_form"].errors["note"]
    assert closed.status_code == 302
    assert (warning.state, warning.note) == (WarningState.CLOSED, "已核查，系季节性集中消费")


def test_leaders_read_warnings_but_cannot_act(warning: EarlyWarning, leader: User) -> None:
    client = client_for(leader)
    assert client.get(reverse("warning-detail", args=[warning.pk])).status_code == 200
    assert client.post(act(warning, "acknowledge"), {}).status_code == 403


def test_the_lists_query_count_does_not_grow_with_the_warnings(
    dengfeng: Jurisdiction, desheng: Jurisdiction, leader: User, django_assert_max_num_queries: Any
) -> None:
    for street in (dengfeng, desheng):
        usual_year(street)
        add_complaints(street, 9, on=DAY - dt.timedelta(days=3))
        (unit,) = add_units(street, 1)
        add_complaints(street, 5, on=DAY, unit=unit, category="price")
    warnings_raise(day=DAY)
    client = client_for(leader)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("warning-list"))

    # Per street: quality (9 against 2), price (5, none before) and the unit's complaints.
    assert len(response.context["warnings"]) == 6
