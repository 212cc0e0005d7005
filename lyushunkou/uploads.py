"""Checks on uploaded files: size, extension allowlist, and the content must match the name.

A file's declared content type comes from the browser and proves nothing; the first bytes are
sniffed with ``filetype`` and must agree with the extension, so a script renamed to .pdf is refused.
Every app that accepts a file (evidence, licences, notice attachments) calls this one check, and
every access-checked download sends the stored file back through ``serve_upload``.
"""

from __future__ import annotations

import posixpath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


FALLBACK_TYPE = "application/octet-stream"


def serve_upload(stored: FieldFile) -> FileResponse:
    """Send a stored upload as an attachment, its content type sniffed from its first bytes (as
    ``check_upload`` did) and ``nosniff``; 404 when there is no file. The caller checks access."""
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


def check_upload(upload: Any, *, field: str = "file") -> str:
    """Return the sniffed content type, or raise a ValidationError on ``field``."""
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            {
                field: _("Only PDF, JPG and PNG files can be uploaded; “%(name)s” is not one.")
                % {"name": name}
            }
        )
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                field: _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    upload.seek(0)
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != ALLOWED[extension]:
        raise ValidationError(
            {
                field: _("The content of “%(name)s” does not match its extension; it was refused.")
                % {"name": name}
            }
        )
    return str(kind.mime)
