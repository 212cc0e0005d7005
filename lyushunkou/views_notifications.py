"""Each user's in-app notifications (overdue clocks, dissatisfied callbacks, ODR requests …)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lyushunkou.roles import AuthenticatedRequest

PAGE_SIZE = 50


@require_GET
@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    notifications = request.user.notifications.order_by("-created_at", "-id")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lyushunkou/notifications.html", {"page": page})


@require_POST
@login_required
def notification_mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification-list")
