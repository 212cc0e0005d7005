"""The streets' GeoJSON outlines for the big screen (lyushunkou.boundaries): the system
administrator uploads them in the admin; a good file replaces every outline, a bad one is
refused whole with a Chinese message naming the problem, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lyushunkou.models import AuditEvent, Jurisdiction, User
from tests.conftest import DENGFENG, DESHENG, client_for

pytestmark = pytest.mark.django_db

URL = reverse("admin:lyushunkou_jurisdiction_boundaries")
SQUARE = [[121.2, 38.8], [121.3, 38.8], [121.3, 38.9], [121.2, 38.9], [121.2, 38.8]]


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": [SQUARE]},
    }


def collection(*features: dict[str, Any]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def upload(user: User, content: bytes) -> Any:
    return client_for(user).post(
        URL, {"file": SimpleUploadedFile("streets.geojson", content, "application/geo+json")}
    )


def outlines() -> dict[str, Any]:
    return dict(Jurisdiction.objects.filter(boundary__isnull=False).values_list("code", "boundary"))


def test_sysadmin_uploads_outlines_matched_by_code_or_name(
    sysadmin: User, dengfeng: Jurisdiction, desheng: Jurisdiction
) -> None:
    content = "\ufeff".encode() + collection(
        feature({"code": DENGFENG}),
        feature(
            {"name": desheng.name},
            {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
        ),
    )
    response = upload(sysadmin, content)
    assert response.status_code == 302
    assert outlines() == {
        DENGFENG: {"type": "Polygon", "coordinates": [SQUARE]},
        DESHENG: {"type": "MultiPolygon", "coordinates": [[SQUARE]]},
    }
    event = AuditEvent.objects.get(action="jurisdiction.boundaries_uploaded")
    assert event.actor == sysadmin
    assert event.detail["streets"] == sorted([DENGFENG, DESHENG])


def test_a_new_file_replaces_every_outline(sysadmin: User, desheng: Jurisdiction) -> None:
    upload(sysadmin, collection(feature({"code": DENGFENG}), feature({"code": DESHENG})))
    upload(sysadmin, collection(feature({"code": DESHENG})))
    assert set(outlines()) == {DESHENG}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        (json.dumps({"type": "Feature"}).encode(), "必须是 FeatureCollection"),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "没有任何要素"),
        (collection(feature({"name": "不存在街道"})), "第 1 个要素（不存在街道）"),
        (collection(feature({"code": DENGFENG}), {"type": "Polygon"}), "第 2 个要素不是"),
        (
            collection(feature({"code": DENGFENG}, {"type": "Point", "coordinates": [121, 38]})),
            "Polygon 或 MultiPolygon",
        ),
        (
            collection(
                feature({"code": DENGFENG}, {"type": "Polygon", "coordinates": [SQUARE[:-1]]})
            ),
            "闭合经纬度环",
        ),
        (
            collection(
                feature({"code": DENGFENG}, {"type": "Polygon", "coordinates": [[[500, 38]] * 4]})
            ),
            "闭合经纬度环",
        ),
        (collection(feature({"code": DENGFENG}), feature({"code": DENGFENG})), "出现了两次"),
    ],
)
def test_a_bad_file_is_refused_whole_and_nothing_is_stored(
    sysadmin: User, dengfeng: Jurisdiction, content: bytes, message: str
) -> None:
    Jurisdiction.objects.filter(pk=dengfeng.pk).update(
        boundary={"type": "Polygon", "coordinates": [SQUARE]}
    )
    response = upload(sysadmin, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert outlines() == {DENGFENG: {"type": "Polygon", "coordinates": [SQUARE]}}
    assert not AuditEvent.objects.filter(action="jurisdiction.boundaries_uploaded").exists()


@pytest.mark.parametrize("persona", ["secadmin", "auditor"])
def test_other_administrators_may_not_upload(
    persona: str, request: pytest.FixtureRequest, dengfeng: Jurisdiction
) -> None:
    response = upload(request.getfixturevalue(persona), collection(feature({"code": DENGFENG})))
    assert response.status_code == 403
    assert outlines() == {}


def test_the_jurisdiction_list_links_to_the_upload(sysadmin: User) -> None:
    html = client_for(sysadmin).get(reverse("admin:lyushunkou_jurisdiction_changelist"))
    assert URL in html.content.decode()
