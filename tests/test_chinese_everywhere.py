"""Chinese everywhere (issue 15 item 5): every page a persona may open reads in Chinese.

Every GET page of the access matrix is rendered in zh-hans for each kind of persona allowed to
see it, on the matrix's world (so lists have rows, timelines have events, the audit log has
actions), and every page of the admin for the administrators who may open it. A page fails when
its visible text holds an English word that is not a proper noun or an acronym
(``tests/chinese_text.py`` says what counts). Test data in Latin letters (the personas' user
names) is not the interface's and is let through.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lyushunkou.models import Jurisdiction, User
from tests.access_matrix import ANONYMOUS, MATRIX
from tests.access_matrix_world import build_world
from tests.chinese_text import english_words
from tests.conftest import PASSWORD, client_for
from tests.test_admin_matrix import PERMISSIONS
from units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root"), pytest.mark.slow]

# One persona of each kind: the pages differ by role, rarely by scope.
READERS = (ANONYMOUS, "operator", "street_staff", "leader", "sysadmin", "secadmin", "auditor")
ADMINS = ("sysadmin", "secadmin", "auditor")


@pytest.fixture
def world(request: pytest.FixtureRequest, unit: Unit, dengfeng: Jurisdiction) -> dict[str, Any]:
    users = {name: request.getfixturevalue(name) for name in READERS if name != ANONYMOUS}
    users["other_operator"] = request.getfixturevalue("other_operator")
    built = build_world(
        unit=unit,
        dengfeng=dengfeng,
        operator=users["operator"],
        other_operator=users["other_operator"],
        staff=users["street_staff"],
    )
    return {"world": built, "users": users}


def _test_data_words() -> frozenset[str]:
    """User names ("system" is the one complaints.services records for the system's moves)."""
    return frozenset(User.objects.values_list("username", flat=True)) | {"system"}


def _admin_words() -> frozenset[str]:
    """Proper nouns and literals of the admin's own pages: the time zones the scheduler offers
    (Asia/Shanghai …), the names and values django-celery-beat's own Chinese help texts quote
    ("如果enabled设置为False，则重置为None", {"argument": "value"}, 将"*"用作"all"), and what
    axes stores for a request it could not read ("<unknown>")."""
    zones = {
        part for name in zoneinfo.available_timezones() for part in re.findall(r"[A-Za-z]+", name)
    }
    literals = {"True", "False", "None", "enabled", "argument", "value", "all", "unknown"}
    return frozenset(zones | literals)


def _leaks(client: Client, url: str, allowed: frozenset[str]) -> list[str] | None:
    """The English words of the page at ``url``, or None when it is not an HTML page for this
    client (a download, a redirect, a refusal)."""
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return None
    return english_words(response.content.decode(), allowed)


def test_every_page_of_the_access_matrix_reads_in_chinese(world: dict[str, Any]) -> None:
    users = world["users"]
    clients = {name: client_for(user) for name, user in users.items()}
    clients[ANONYMOUS] = Client()
    allowed = _test_data_words()
    problems = []
    rendered = 0
    with translation.override("zh-hans"):
        for row in MATRIX:
            if row.method != "GET":
                continue
            url = reverse(row.name, kwargs=row.kwargs(world["world"]))
            for persona in READERS:
                if 200 not in row.expected[persona]:
                    continue
                words = _leaks(clients[persona], url, allowed)
                if words is None:
                    continue
                rendered += 1
                if words:
                    problems.append(f"{url} ({row.name}, {persona}): {', '.join(words)}")
    assert rendered > 100, rendered  # the walk reached the pages, not only refusals
    assert problems == [], "English in the Chinese UI:\n" + "\n".join(problems)


def test_every_admin_page_reads_in_chinese(world: dict[str, Any]) -> None:
    users = world["users"]
    allowed = _test_data_words() | _admin_words()
    problems = []
    with translation.override("zh-hans"):
        for persona in ADMINS:
            client = client_for(users[persona])
            urls = [reverse("admin:index"), reverse("admin:password_change")]
            for model in admin.site._registry:
                label = model._meta.label_lower
                perms = PERMISSIONS[label].get(persona, "")
                info = (model._meta.app_label, model._meta.model_name)
                if "v" in perms or "c" in perms:
                    urls.append(reverse("admin:{}_{}_changelist".format(*info)))
                    first = model._default_manager.order_by("pk").first()
                    if first is not None:
                        urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
                if "a" in perms:
                    urls.append(reverse("admin:{}_{}_add".format(*info)))
            for url in urls:
                words = _leaks(client, url, allowed)
                if words:
                    problems.append(f"{url} ({persona}): {', '.join(words)}")
    assert problems == [], "English in the Chinese admin:\n" + "\n".join(problems)


def test_django_s_own_form_errors_read_in_chinese(operator: User) -> None:
    """Django's password validators speak through its catalogue, and ours where Django 5.2's
    Chinese is missing ("This password is too short…" changed its placeholder)."""
    client = client_for(operator)
    short = {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    response = client.post(reverse("password_change"), short)

    assert response.status_code == 200  # refused, with the validators' messages
    assert english_words(response.content.decode(), _test_data_words()) == []
