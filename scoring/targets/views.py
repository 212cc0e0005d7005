"""What is left of the demonstration-area checklist (DESIGN.md §6), retired by issue 21: the items
are read in the admin, and an item's evidence file is served through this access-checked view
(staff of the jurisdiction's scope and leaders)."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from lyushunkou.models import Role
from lyushunkou.roles import AuthenticatedRequest, role_required
from lyushunkou.uploads import serve_upload
from scoring import targets

READERS = (Role.STAFF, Role.LEADER)


@require_GET
@role_required(*READERS)
def checklist_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return serve_upload(targets.checklist_file_for_user(request.user, pk).evidence_file)
