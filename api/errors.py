"""Every error of the API as ``{"code", "message", "errors"}``: a machine code, a Chinese
message, and the fields at fault (``[{"index", "field", "message"}]``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

LANGUAGE = "zh-hans"


def error_body(
    code: str, message: str, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or []}


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            key = str(name) if name != "non_field_errors" else ""
            found.extend(_flatten(value, f"{prefix}.{key}" if prefix and key else key or prefix))
    elif isinstance(detail, list):
        for value in detail:
            found.extend(_flatten(value, prefix))
    else:
        found.append({"index": None, "field": prefix, "message": str(detail)})
    return found


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    with translation.override(LANGUAGE):
        if isinstance(exc, Http404):
            exc = exceptions.NotFound()
        elif isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied()
        response = drf_exception_handler(exc, context)
        if response is None:
            return None
        if isinstance(exc, exceptions.APIException):
            detail = exc.detail
            codes = exc.get_codes()
            if isinstance(detail, dict | list):
                code = "invalid"
                message = _("The request is invalid: see the fields named.")
                errors = _flatten(detail)
            else:
                code = str(codes)
                message = str(detail)
                errors = []
            if response.status_code == status.HTTP_415_UNSUPPORTED_MEDIA_TYPE:
                code = "unsupported_media_type"
            response.data = error_body(code, message, errors)
        return response
