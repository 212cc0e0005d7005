"""State changes of the API's clients and tokens: keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from api import tokens
from api.models import ApiClient, ApiToken, IdempotentResponse, Scope
from lyushunkou import audit
from lyushunkou.models import Jurisdiction, Role, User

MAX_TOKEN_DAYS = 366


@transaction.atomic
def api_client_create(
    *, name: str, by: User, jurisdiction: Jurisdiction | None = None, note: str = ""
) -> ApiClient:
    """A connected system and its system account: staff of ``jurisdiction`` (district-wide when
    None) with no usable password, so it acts only through its tokens."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name: this field is required.")})
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("Name: an API client of this name exists already.")})
    username = _free_username(f"api-{slugify(name) or 'client'}")
    account = User(username=username, full_name=name, role=Role.STAFF, jurisdiction=jurisdiction)
    account.set_unusable_password()
    account.save()
    client = ApiClient.objects.create(name=name, account=account, note=note, created_by=by)
    audit.record("api.client_created", actor=by, obj=client, account=username)
    return client


def _free_username(base: str) -> str:
    base = base[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def api_token_issue(
    *,
    client: ApiClient,
    scopes: Iterable[str],
    expires_at: dt.datetime,
    by: User,
    label: str = "",
) -> tuple[ApiToken, str]:
    """A new token and its text, which is never stored and never shown again."""
    chosen = sorted(set(scopes))
    unknown = [scope for scope in chosen if scope not in Scope.values]
    if not chosen or unknown:
        raise ValidationError({"scopes": _("Scopes: choose at least one valid scope.")})
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("Expires at: must be later than now.")})
    if expires_at > now + dt.timedelta(days=MAX_TOKEN_DAYS):
        raise ValidationError({"expires_at": _("Expires at: at most one year from now.")})
    text, prefix = tokens.new_token()
    token = ApiToken.objects.create(
        client=client,
        label=label,
        prefix=prefix,
        digest=tokens.digest(text),
        scopes=chosen,
        expires_at=expires_at,
        created_by=by,
    )
    audit.record(
        "api.token_issued",
        actor=by,
        obj=token,
        client=client.name,
        scopes=chosen,
        expires_at=expires_at.isoformat(),
    )
    return token, text


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> bool:
    """Revoke a live token; False when it was revoked already (claimed, not assumed)."""
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if changed:
        token.refresh_from_db(fields=["revoked_at"])
        audit.record("api.token_revoked", actor=by, obj=token, client=token.client.name)
    return bool(changed)


def api_token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (no audit: a read is not a
    change, and writes are audited by what they write)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def idempotent_response_store(
    *, client: ApiClient, key: str, endpoint: str, request_digest: str, status: int, body: Any
) -> IdempotentResponse | None:
    """Keep the answer for a retry; None when another request stored one for this key first."""
    try:
        with transaction.atomic():
            return IdempotentResponse.objects.create(
                client=client,
                key=key,
                endpoint=endpoint,
                request_digest=request_digest,
                status=status,
                body=body,
            )
    except IntegrityError:
        return None
