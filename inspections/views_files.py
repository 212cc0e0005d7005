"""Downloads of a finding's rectification evidence and of a checklist item's photo.

Files are served only to those who may see their record through ``inspections.access``
(operators their own units', staff their scope's, leaders all); anyone else gets a 404 and the
attempt is audited. They are sent as attachments with the content type sniffed from their first
bytes (as ``units.uploads.check_upload`` did on upload) and ``nosniff``, never from a public folder.
"""

from __future__ import annotations

import posixpath

import filetype
from django.contrib.auth.views import redirect_to_login
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from inspections.access import check_item_for_user, finding_for_user
from lyushunkou.models import User
from units.uploads import ALLOWED

FALLBACK_TYPE = "application/octet-stream"


def _serve(stored: FieldFile) -> FileResponse:
    if not stored:
        raise Http404("No file.")
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("No file.") from None
    head = handle.read(261)
    handle.seek(0)
    kind = filetype.guess(head)
    content_type = kind.mime if kind is not None and kind.mime in ALLOWED.values() else None
    response = FileResponse(
        handle,
        content_type=content_type or FALLBACK_TYPE,
        as_attachment=True,
        filename=posixpath.basename(stored.name or "") or "download",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


@require_GET
def finding_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    return _serve(finding_for_user(user, pk).evidence)


@require_GET
def check_item_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    return _serve(check_item_for_user(user, pk).photo)
