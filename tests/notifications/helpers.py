"""Plain helpers of the notification inventory's tests: what a change made, and the check that
exactly the people who wait for it were told; a complaint accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core import mail
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Complaint
from lyushunkou.models import Notification, User
from lyushunkou.notifications import staff_covering
from tests.complaints.helpers import register
from tests.conftest import client_for
from units.models import Unit

BASE = "https://fxxf.lvshun.example.gov.cn"


@dataclass
class Change:
    notes: list[Notification] = field(default_factory=list)


@contextmanager
def change(capture: Any) -> Iterator[Change]:
    """The notifications and e-mails of what happens inside (the commit's callbacks run)."""
    mark = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    mail.outbox.clear()
    made = Change()
    with capture(execute=True):
        yield made
    made.notes = list(Notification.objects.filter(pk__gt=mark).select_related("user"))


def assert_told(made: Change, expected: dict[User, str]) -> None:
    """Exactly ``expected`` (user → the path of the page they act on) were told, once each; each
    link opens for its user; each got one e-mail with the absolute link, and nobody else did."""
    told = sorted((note.user.username, note.link) for note in made.notes)
    assert told == sorted((user.username, link) for user, link in expected.items())
    for user, link in expected.items():
        assert client_for(user).get(link).status_code == 200, (user.username, link)
    sent = sorted((message.to[0], message.body.splitlines()[-1]) for message in mail.outbox)
    assert sent == sorted((user.email, f"{BASE}{link}") for user, link in expected.items())


def staff_of(unit: Unit) -> list[User]:
    return staff_covering(unit.jurisdiction)


def at(path: str, *args: object) -> str:
    return reverse(path, args=args)


def accepted(unit: Unit, staff: User, days_ago: int = 2) -> Complaint:
    today = timezone.localdate()
    complaint = register(unit.jurisdiction, on=today - dt.timedelta(days=days_ago + 1), unit=unit)
    return complaint_services.complaint_accept(
        complaint=complaint,
        by=staff,
        version=complaint.version,
        on=today - dt.timedelta(days=days_ago),
    )
