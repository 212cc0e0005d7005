"""Connected systems and tokens for the API tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from api.models import ApiClient, Scope
from api.services import api_client_create, api_token_issue
from lyushunkou.models import Jurisdiction, User

ALL_SCOPES = list(Scope.values)


def system(
    secadmin: User, name: str = "12315平台", jurisdiction: Jurisdiction | None = None
) -> ApiClient:
    return api_client_create(name=name, by=secadmin, jurisdiction=jurisdiction)


def token_for(
    client: ApiClient, secadmin: User, scopes: list[str] | None = None, days: int = 30
) -> str:
    _token, text = api_token_issue(
        client=client,
        scopes=scopes or ALL_SCOPES,
        expires_at=timezone.now() + dt.timedelta(days=days),
        by=secadmin,
    )
    return text


def api(token: str | None) -> Client:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**headers)


def post(client: Client, path: str, body: Any, **headers: Any) -> Any:
    import json

    return client.post(path, json.dumps(body, ensure_ascii=False), "application/json", **headers)
