"""POST /api/v1/complaints/ and /api/v1/sampling/: batches through the file importers
(``api.ingest``), all or nothing, safe to retry with an ``Idempotency-Key``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from api.errors import error_body
from api.ingest import MAX_BATCH, ingest, records_of
from api.models import ApiToken, IdempotentResponse
from api.selectors import stored_response
from api.services import idempotent_response_store
from lyushunkou.importing import FileColumn, ImportResult

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_CHARS = 100


def _digest(payload: Any, dry_run: bool) -> str:
    text = json.dumps([payload, dry_run], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def post_batch(
    request: Request,
    *,
    endpoint: str,
    columns: Sequence[FileColumn],
    importer: Callable[..., ImportResult],
) -> Response:
    """The body of both ingest endpoints."""
    token = request.auth
    assert isinstance(token, ApiToken)
    payload = request.data
    dry_run = request.query_params.get("dry_run", "") in ("1", "true")
    if not isinstance(payload, dict | list):
        return Response(
            error_body("invalid", _("The body must be a JSON object or a list of objects.")),
            status=status.HTTP_400_BAD_REQUEST,
        )
    count = len(records_of(payload))
    if count > MAX_BATCH:
        message = _("The batch has %(count)d records; send at most %(max)d at a time.")
        return Response(
            error_body("batch_too_large", message % {"count": count, "max": MAX_BATCH}),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    key = request.META.get(IDEMPOTENCY_HEADER, "").strip()
    if len(key) > MAX_KEY_CHARS:
        message = _("Idempotency-Key: at most %(max)d characters.") % {"max": MAX_KEY_CHARS}
        return Response(error_body("invalid", message), status=status.HTTP_400_BAD_REQUEST)
    request_digest = _digest(payload, dry_run)
    if key:
        stored = stored_response(token.client, key)
        if stored is not None:
            return _replay(stored, endpoint, request_digest)

    outcome = ingest(
        payload, columns=columns, importer=importer, by=token.client.account, dry_run=dry_run
    )
    if outcome.ok:
        body: dict[str, Any] = {"dry_run": dry_run, **outcome.summary()}
        code: int = status.HTTP_200_OK
    else:
        body = error_body(
            "invalid",
            _("Nothing was written: correct the records named and send the batch again."),
            [error.as_dict() for error in outcome.errors],
        )
        code = status.HTTP_400_BAD_REQUEST
    # Only an answer that wrote is kept for the key: a refused batch wrote nothing, so the
    # client may correct it and send it again under the same key.
    if key and not dry_run and outcome.ok:
        kept = idempotent_response_store(
            client=token.client,
            key=key,
            endpoint=endpoint,
            request_digest=request_digest,
            status=code,
            body=body,
        )
        if kept is None:  # a concurrent retry stored its answer first
            stored = stored_response(token.client, key)
            if stored is not None:
                return _replay(stored, endpoint, request_digest)
    return Response(body, status=code)


def _replay(stored: IdempotentResponse, endpoint: str, request_digest: str) -> Response:
    if stored.endpoint != endpoint or stored.request_digest != request_digest:
        return Response(
            error_body(
                "idempotency_key_reused",
                _("Idempotency-Key: already used for a different request."),
            ),
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    response = Response(stored.body, status=stored.status)
    response["Idempotent-Replayed"] = "true"
    return response
