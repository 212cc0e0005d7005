"""Every API endpoint × each persona's token × anonymous (the access matrix's API half: the
matrix leaves ``api/v1/`` to this file). A token without the scope gets 403, none gets 401, an
expired or revoked one 401; open data and the schema answer everyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from api.models import ApiToken, Scope
from api.services import api_token_revoke
from api.views_open import licence
from complaints.models import Complaint
from lyushunkou.models import Jurisdiction, User
from tests.api.helpers import api, post, system, token_for
from tests.complaints.helpers import register

pytestmark = pytest.mark.django_db

# Endpoint → the scope a GET needs (None: open to everyone).
READS: dict[str, str | None] = {
    "api-complaints": Scope.COMPLAINTS_READ,
    "api-sampling": Scope.SAMPLING_READ,
    "api-units": Scope.UNITS_READ,
    "api-grades": Scope.GRADES_READ,
    "api-targets": Scope.TARGETS_READ,
    "api-open-units": None,
    "api-open-notices": None,
    "api-open-sampling-failures": None,
    "api-open-targets": None,
    "api-schema": None,
    "api-docs": None,
}
WRITES = {"api-complaints": Scope.COMPLAINTS_WRITE, "api-sampling": Scope.SAMPLING_WRITE}
DAY = dt.date(2026, 10, 8)
DOWNLOADS = [
    ("units", "csv"),
    ("notices", "json"),
    ("sampling-failures", "csv"),
    ("targets", "json"),
]


def test_every_api_url_is_in_this_matrix() -> None:
    resolver = get_resolver()
    api_names = {
        name for name in resolver.reverse_dict if isinstance(name, str) and name.startswith("api-")
    }
    assert api_names == {*READS, "api-open-download"}


@pytest.mark.parametrize("name", sorted(READS))
def test_reads_answer_only_a_token_with_the_scope(name: str, secadmin: User) -> None:
    needed = READS[name]
    path = reverse(name)
    client = system(secadmin)
    others = [scope for scope in Scope.values if scope != needed]
    with_scope = token_for(client, secadmin, [needed]) if needed else None
    without = token_for(client, secadmin, others)
    anonymous = api(None).get(path).status_code
    if needed is None:
        assert (anonymous, api(without).get(path).status_code) == (200, 200)
    else:
        assert (anonymous, api(without).get(path).status_code) == (401, 403)
        assert api(with_scope).get(path).status_code == 200


@pytest.mark.parametrize("name", sorted(WRITES))
def test_writes_need_the_write_scope(name: str, secadmin: User) -> None:
    client = system(secadmin)
    readers = token_for(client, secadmin, [s for s in Scope.values if s != WRITES[name]])
    assert post(api(None), reverse(name), {}).status_code == 401
    assert post(api(readers), reverse(name), {}).status_code == 403


@pytest.mark.parametrize(("name", "extension"), DOWNLOADS)
def test_downloads_are_open_with_licence_and_last_modified(name: str, extension: str) -> None:
    response = api(None).get(reverse("api-open-download", args=[name, extension]))
    assert response.status_code == 200
    assert licence() in response.content.decode("utf-8-sig")


def test_an_expired_token_is_refused_with_401(secadmin: User) -> None:
    text = token_for(system(secadmin), secadmin)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api(text).get(reverse("api-units"))
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_a_revoked_token_is_refused_with_401(secadmin: User) -> None:
    text = token_for(system(secadmin), secadmin)
    api_token_revoke(token=ApiToken.objects.get(), by=secadmin)
    response = api(text).get(reverse("api-units"))
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")


def test_an_unknown_token_is_refused_with_a_chinese_message(db: None) -> None:
    response = api("lsk_nothing").get(reverse("api-units"))
    assert (response.status_code, response.json()["message"]) == (401, "令牌：未知。")


def test_a_street_system_reads_only_its_street(
    secadmin: User, district_staff: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    register(dengfeng, on=DAY, by=district_staff, record_no="A1")
    register(desheng, on=DAY, by=district_staff, record_no="B1")
    text = token_for(system(secadmin, "德胜所", jurisdiction=desheng), secadmin)
    rows = api(text).get(reverse("api-complaints")).json()["results"]
    assert [row["record_no"] for row in rows] == ["B1"]


def test_complainants_are_masked(
    secadmin: User, district_staff: User, dengfeng: Jurisdiction
) -> None:
    register(dengfeng, on=DAY, by=district_staff, record_no="A1")
    text = token_for(system(secadmin), secadmin)
    row = api(text).get(reverse("api-complaints")).json()["results"][0]
    complaint = Complaint.objects.get()
    assert complaint.complainant_phone not in (row["complainant_phone"], row["complainant_name"])
