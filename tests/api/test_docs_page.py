"""/api/v1/docs/ without a browser (tests/browser/test_api_docs.py renders it): it answers
everyone, names its assets from the portal's static files only, and carries no inline script or
style, which the Content-Security-Policy would refuse."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs/"


def test_the_docs_answer_an_anonymous_visitor(client: Client) -> None:
    assert client.get(DOCS).status_code == 200


def test_every_script_and_stylesheet_is_the_portals_own(client: Client) -> None:
    html = client.get(DOCS).content.decode()
    assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    assert all(a.startswith(settings.STATIC_URL) for a in assets), assets


def test_no_inline_script_or_style(client: Client) -> None:
    html = client.get(DOCS).content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "<style" not in html
    assert "style=" not in html


def test_the_page_links_the_schema_it_renders(client: Client) -> None:
    html = client.get(DOCS).content.decode()
    assert 'data-schema-url="/api/v1/schema/?format=json"' in html
    assert client.get("/api/v1/schema/?format=json").json()["openapi"].startswith("3.")
