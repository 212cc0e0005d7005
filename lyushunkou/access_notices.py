"""Which notices a user may read: published ones for everyone, drafts too for staff, who write
them. Views fetch notices and their attachments only through these helpers."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404

from lyushunkou.models import Role, User
from lyushunkou.models_notices import Notice, NoticeAttachment

AnyUser = User | AnonymousUser


def may_manage_notices(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) == Role.STAFF)


def published_notices() -> QuerySet[Notice]:
    return Notice.objects.filter(state=Notice.State.PUBLISHED)


def notices_for_user(user: AnyUser) -> QuerySet[Notice]:
    return Notice.objects.all() if may_manage_notices(user) else published_notices()


def notices_for_staff_list() -> QuerySet[Notice]:
    return Notice.objects.annotate(attachment_count=Count("attachments")).order_by(
        "-published_on", "-id"
    )


def notice_for_user(user: AnyUser, pk: int) -> Notice:
    """A published notice for anyone; a draft only for staff. Anything else is a 404."""
    try:
        return notices_for_user(user).get(pk=pk)
    except Notice.DoesNotExist:
        raise Http404 from None


def attachment_for_user(user: AnyUser, pk: int) -> NoticeAttachment:
    """A draft's attachments stay unseen until the notice is published."""
    try:
        return NoticeAttachment.objects.get(pk=pk, notice__in=notices_for_user(user))
    except NoticeAttachment.DoesNotExist:
        raise Http404 from None
