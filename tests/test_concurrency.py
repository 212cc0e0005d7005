"""Two browsers acting on the same record at the same moment: exactly one wins.

Real threads, each with its own database connection, released together by a barrier against
PostgreSQL (SQLite serialises writers on one file, which would prove nothing). The loser gets the
page back with a Chinese message and the record as it now stands; nothing is written twice.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import ComplaintEvent, Status
from lyushunkou.models import AuditEvent, Jurisdiction, User
from scoring.models import Appeal, ScoreCorrection
from tests.complaints.helpers import register
from tests.conftest import client_for
from tests.scoring.matrix_scores import make_appeal, make_score
from tests.units.helpers import meet_standard, submitted_application
from units import services as unit_services
from units.models import ApplicationEvent, ApplicationStatus, Unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
    ),
]

STALE = "其他人已修改了此记录"  # units.services.StaleObject, in Chinese
STEP_REFUSED = "投诉的办理环节已发生变化"  # complaints.services.step_refused, in Chinese


def race(*posts: Callable[[], Any]) -> list[Any]:
    """Run the posts in threads released at the same instant; return their responses."""
    barrier = threading.Barrier(len(posts))
    results: list[Any] = [None] * len(posts)

    def run(index: int, post: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = post()
        except Exception as error:  # reported below, with the thread it came from
            results[index] = error
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        assert not isinstance(result, Exception), repr(result)
    return results


def winner_and_loser(responses: list[Any]) -> tuple[Any, Any]:
    statuses = [response.status_code for response in responses]
    assert statuses.count(302) == 1, statuses  # exactly one redirect: the success
    assert all(status < 500 for status in statuses), statuses
    loser = next(response for response in responses if response.status_code != 302)
    winner = next(response for response in responses if response.status_code == 302)
    return winner, loser


def chinese(client: Client) -> Client:
    client.cookies["django_language"] = "zh-hans"
    return client


def test_two_staff_concluding_the_same_complaint_one_wins(
    dengfeng: Jurisdiction, unit: Unit, street_staff: User, district_staff: User
) -> None:
    complaint = register(dengfeng, on=timezone.localdate() - dt.timedelta(days=5), unit=unit)
    complaint = complaint_services.complaint_accept(
        complaint=complaint, by=street_staff, version=complaint.version
    )
    url = reverse("complaint-action", args=[complaint.pk, "conclude"])
    on = timezone.localdate().isoformat()
    first, second = chinese(client_for(street_staff)), chinese(client_for(district_staff))
    responses = race(
        lambda: first.post(url, {"version": complaint.version, "outcome": "withdrawn", "on": on}),
        lambda: second.post(url, {"version": complaint.version, "outcome": "withdrawn", "on": on}),
    )
    _winner, loser = winner_and_loser(responses)
    page = loser.content.decode()
    assert STEP_REFUSED in page
    complaint.refresh_from_db()
    assert complaint.status == Status.CONCLUDED
    assert complaint.version == 3  # registered 1, accepted 2, concluded once: 3
    assert ComplaintEvent.objects.filter(complaint=complaint, action="concluded").count() == 1


def test_two_staff_approving_the_same_application_one_wins(
    unit: Unit, operator: User, street_staff: User, district_staff: User
) -> None:
    application = submitted_application(unit, operator)
    meet_standard(unit, street_staff, operator)
    application = unit_services.application_start_review(
        application=application, by=street_staff, version=application.version
    )
    application = unit_services.application_to_onsite_check(
        application=application, by=street_staff, version=application.version
    )
    url = reverse("application-action", args=[application.pk, "approve"])
    data = {
        "version": application.version,
        "valid_from": timezone.localdate().isoformat(),
        "valid_days": 365,
    }
    first, second = chinese(client_for(street_staff)), chinese(client_for(district_staff))
    responses = race(lambda: first.post(url, data), lambda: second.post(url, data))
    _winner, loser = winner_and_loser(responses)
    assert STALE in loser.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOTICE  # approval opens the public notice
    assert application.notices.count() == 1  # one notice, opened once
    assert (
        ApplicationEvent.objects.filter(
            application=application, to_status=ApplicationStatus.NOTICE
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(action="unit.demonstration_notice").count() == 1


def test_two_staff_deciding_the_same_appeal_one_wins(
    unit: Unit, operator: User, street_staff: User, district_staff: User
) -> None:
    appeal = make_appeal(make_score(unit, grade="C"), operator)
    url = reverse("appeal-detail", kwargs={"pk": appeal.pk})
    dismiss = {"version": appeal.version, "decision": "dismissed", "reason": "维持原评级。"}
    uphold = {
        "version": appeal.version,
        "decision": "upheld",
        "reason": "支持。",
        "guarantee": "price",
        "points": "2",
    }
    first, second = chinese(client_for(street_staff)), chinese(client_for(district_staff))
    # The decision page redirects either way (the loser back to the page, with the message).
    responses = race(
        lambda: first.post(url, dismiss, follow=True),
        lambda: second.post(url, uphold, follow=True),
    )
    assert [response.status_code for response in responses] == [200, 200]
    appeal.refresh_from_db()
    assert appeal.status in (Appeal.Status.DISMISSED, Appeal.Status.UPHELD)
    # Exactly one decision stands, and only an upheld one leaves a correction.
    upheld = appeal.status == Appeal.Status.UPHELD
    assert ScoreCorrection.objects.count() == (1 if upheld else 0)
    decisions = AuditEvent.objects.filter(
        action__in=["score.appeal_upheld", "score.appeal_dismissed"]
    )
    assert decisions.count() == 1
    stale = [STALE in response.content.decode() for response in responses]
    assert sorted(stale) == [False, True]
    loser = responses[stale.index(True)]
    assert loser.context["form"] is None  # decided: the page shows what stands, no form


def test_the_daily_job_and_a_staff_member_issuing_one_certificate_at_once_one_wins(
    unit: Unit, operator: User, street_staff: User
) -> None:
    from django.core.exceptions import ValidationError

    from units import services_notice
    from units.models import CertificateCounter

    application = submitted_application(unit, operator)
    meet_standard(unit, street_staff, operator)
    for step in (
        unit_services.application_start_review,
        unit_services.application_to_onsite_check,
        unit_services.application_approve,
    ):
        application = step(application=application, by=street_staff, version=application.version)
    later = services_notice.open_notice(application).issue_from  # type: ignore[union-attr]

    def issue(by: User | None) -> Callable[[], Any]:
        def attempt() -> Any:
            try:
                return services_notice.certificate_issue(
                    application=application, by=by, today=later
                )
            except ValidationError as refusal:  # the loser is told; it is not an error
                return refusal.messages

        return attempt

    results = race(issue(None), issue(street_staff))
    refused = [r for r in results if isinstance(r, list)]
    assert len(refused) == 1, results
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert CertificateCounter.objects.get().last == 1  # one number, consumed once
    assert (
        ApplicationEvent.objects.filter(
            application=application, to_status=ApplicationStatus.APPROVED
        ).count()
        == 1
    )
