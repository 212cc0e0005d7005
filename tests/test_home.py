"""The public front door at / and the notices (通知公告) staff publish on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lyushunkou.models import AuditEvent, User
from lyushunkou.models_notices import Notice
from lyushunkou.services_notices import notice_save
from tests.conftest import client_for
from units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 5, 11)


def publish(by: User, title: str = "关于开展2026年放心消费创建的通知", **extra: Any) -> Notice:
    data: dict[str, Any] = {
        "title": title,
        "body": "各经营者：\n\n- 请于**5月31日**前完成承诺\n",
        "state": Notice.State.PUBLISHED,
        "published_on": TODAY,
    }
    data.update(extra)
    return notice_save(by=by, **data)


def test_a_visitor_sees_the_front_door_not_a_login_form(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("register") in html
    assert reverse("survey") in html
    assert "https://www.12315.cn" in html
    assert 'action="/units/demonstration/"' in html


def test_the_front_door_lists_published_notices_only(client: Client, district_staff: User) -> None:
    publish(district_staff)
    publish(district_staff, title="尚未发布的草稿", state=Notice.State.DRAFT)
    html = client.get("/").content.decode()
    assert "关于开展2026年放心消费创建的通知" in html
    assert "尚未发布的草稿" not in html


def test_a_logged_in_user_gets_the_workbench_at_the_same_address(operator: User) -> None:
    html = client_for(operator).get("/").content.decode()
    assert 'data-testid="workbench-links"' in html
    assert 'data-testid="front-search"' not in html


def test_the_login_page_links_home_and_to_registration(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert 'href="/"' in html
    assert reverse("register") in html


@pytest.mark.parametrize("query", ["海鲜", "登峰", "餐饮"])
def test_the_home_search_finds_a_unit_by_name_street_or_industry(
    client: Client, unit: Unit, query: str
) -> None:
    Unit.objects.filter(pk=unit.pk).update(
        demonstration_status="approved",
        certificate_no="旅放心〔2026〕001号",
        certified_until=timezone.localdate() + dt.timedelta(days=365),
        verified_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )
    html = client.get(reverse("directory"), {"q": query}).content.decode()
    assert f"/u/{unit.public_id}/" in html


@pytest.mark.parametrize("query", ["", "%", "'; drop table", "<script>", "海" * 5000, "\x00"])
def test_search_input_of_any_length_or_character_never_errors(client: Client, query: str) -> None:
    assert client.get(reverse("directory"), {"q": query}).status_code == 200


def test_a_notice_body_is_markdown_with_raw_html_shown_as_text(
    client: Client, district_staff: User
) -> None:
    notice = publish(
        district_staff, body="**要点**\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1))"
    )
    html = client.get(reverse("notice-detail", args=[notice.pk])).content.decode()
    assert "<strong>要点</strong>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_a_draft_is_hidden_from_visitors_and_shown_to_staff(
    client: Client, district_staff: User
) -> None:
    draft = publish(district_staff, state=Notice.State.DRAFT)
    url = reverse("notice-detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client_for(district_staff).get(url).status_code == 200


def test_staff_publish_a_notice_with_an_attachment_from_their_page(
    client: Client, district_staff: User
) -> None:
    response = client_for(district_staff).post(
        reverse("notice-new"),
        {
            "title": "放心消费承诺书范本",
            "body": "范本见附件。",
            "published_on": "2026-05-11",
            "state": "published",
            "attachments": SimpleUploadedFile("承诺书.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get(title="放心消费承诺书范本")
    attachment = notice.attachments.get()
    download = client.get(reverse("notice-attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="notice.created", actor=district_staff).exists()


def test_an_attachment_that_is_not_what_its_name_says_is_refused_and_nothing_saved(
    district_staff: User,
) -> None:
    response = client_for(district_staff).post(
        reverse("notice-new"),
        {
            "title": "带脚本的通知",
            "body": "正文",
            "published_on": "2026-05-11",
            "state": "published",
            "attachments": SimpleUploadedFile(
                "通知.pdf", b"#!/bin/sh\necho hi\n", "application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert "不符" in response.content.decode() or response.context["form"].errors["attachments"]
    assert not Notice.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(settings: Any, district_staff: User) -> None:
    settings.UPLOAD_MAX_BYTES = 10
    response = client_for(district_staff).post(
        reverse("notice-new"),
        {
            "title": "大附件",
            "body": "正文",
            "published_on": "2026-05-11",
            "state": "published",
            "attachments": SimpleUploadedFile("大.pdf", PDF, "application/pdf"),
        },
    )
    assert response.context["form"].errors["attachments"]
    assert not Notice.objects.exists()


def test_deleting_asks_first_and_deletes_only_on_confirmation(district_staff: User) -> None:
    notice = publish(district_staff)
    staff = client_for(district_staff)
    url = reverse("notice-delete", args=[notice.pk])
    confirm = staff.get(url)
    assert confirm.status_code == 200
    assert Notice.objects.filter(pk=notice.pk).exists()
    assert staff.post(url).status_code == 302
    assert not Notice.objects.filter(pk=notice.pk).exists()
    assert AuditEvent.objects.filter(action="notice.deleted").exists()


def test_the_staff_list_filters_by_state_and_shows_the_filter_as_a_chip(
    district_staff: User,
) -> None:
    publish(district_staff, title="已发布的通知")
    publish(district_staff, title="草稿通知", state=Notice.State.DRAFT)
    response = client_for(district_staff).get(reverse("notice-manage"), {"state": "draft"})
    html = response.content.decode()
    assert "草稿通知" in html
    assert "已发布的通知" not in html
    assert 'data-testid="filter-chip"' in html


def test_an_operator_cannot_publish_notices(operator: User) -> None:
    assert client_for(operator).get(reverse("notice-manage")).status_code == 403
