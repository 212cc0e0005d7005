"""Notices (通知公告): read by anyone once published, written by staff from their own pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lyushunkou import services_notices
from lyushunkou.access_notices import (
    attachment_for_user,
    may_manage_notices,
    notice_for_user,
    notices_for_staff_list,
)
from lyushunkou.forms import add_service_error
from lyushunkou.forms_notices import NoticeFilterForm, NoticeForm
from lyushunkou.markdown import render_markdown
from lyushunkou.models import Role
from lyushunkou.models_notices import Notice
from lyushunkou.roles import AuthenticatedRequest, role_required


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_for_user(request.user, pk)
    return render(
        request,
        "lyushunkou/notice_detail.html",
        {
            "notice": notice,
            "body": render_markdown(notice.body),
            "attachments": list(notice.attachments.all()),
            "may_manage": may_manage_notices(request.user),
        },
    )


def notice_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Attachments are served through this view, never from a public folder."""
    attachment = attachment_for_user(request.user, pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.STAFF)
def notice_manage(request: AuthenticatedRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    notices = notices_for_staff_list()
    active: list[tuple[str, str]] = []
    if form.is_valid():
        if query := form.cleaned_data["q"]:
            notices = notices.filter(title__icontains=query)
            active.append((str(form.fields["q"].label), query))
        if state := form.cleaned_data["state"]:
            notices = notices.filter(state=state)
            active.append((str(form.fields["state"].label), str(Notice.State(state).label)))
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "lyushunkou/notice_manage.html",
        {"form": form, "page": page, "active_filters": active},
    )


@role_required(Role.STAFF)
def notice_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    notice = notice_for_user(request.user, pk) if pk is not None else None
    initial = {"published_on": timezone.localdate(), "state": Notice.State.PUBLISHED}
    if notice is not None:
        initial = {
            "title": notice.title,
            "body": notice.body,
            "published_on": notice.published_on,
            "state": notice.state,
        }
    form = NoticeForm(request.POST or None, request.FILES or None, notice=notice, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services_notices.notice_save(
                by=request.user,
                notice=notice,
                title=data["title"],
                body=data["body"],
                state=data["state"],
                published_on=data["published_on"],
                attachments=data["attachments"],
                remove_attachment_ids=[a.pk for a in data.get("remove_attachments") or []],
            )
        except ValidationError as error:
            add_service_error(form, error, rename={"attachment": "attachments"})
        else:
            messages.success(
                request, _("The notice “%(title)s” was saved.") % {"title": saved.title}
            )
            return redirect("notice-manage")
    return render(request, "lyushunkou/notice_form.html", {"form": form, "notice": notice})


@role_required(Role.STAFF)
def notice_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; only the POST of that page deletes."""
    notice = notice_for_user(request.user, pk)
    if request.method == "POST":
        title = notice.title
        services_notices.notice_delete(notice=notice, by=request.user)
        messages.success(request, _("The notice “%(title)s” was deleted.") % {"title": title})
        return redirect("notice-manage")
    return render(
        request,
        "lyushunkou/notice_delete.html",
        {"notice": notice, "attachments": list(notice.attachments.all())},
    )
