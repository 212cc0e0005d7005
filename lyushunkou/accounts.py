"""Accounts under separation of duties (三员分立, DESIGN.md §4).

Who may change what of another account:

- the system administrator creates accounts (as operators, with no password) and edits their
  name and phone; the new account gets a one-time set-password link, never a password typed by an
  administrator;
- the security administrator grants portal roles and scopes, (de)activates accounts, and changes
  another account's username and e-mail or issues it a new set-password link, except for an
  administrator of another kind: nobody can take over the system administrator or the auditor;
- administrator roles are never granted or taken away in the admin: ``create_admin`` on the server
  makes them, so no administrator can make an account they control into another administrator.

Every change to credentials, e-mail, roles, activation and two-factor devices is an audit event
with the values before and after (never a secret).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django_otp.models import Device

from lyushunkou import audit
from lyushunkou.models import ADMIN_ROLES, Role, User
from lyushunkou.request_context import current_request

CREDENTIAL_FIELDS = frozenset({"username", "email"})
ROLE_FIELDS = frozenset({"role", "jurisdiction", "is_active", "must_change_password"})
PROFILE_FIELDS = frozenset({"full_name", "phone"})
# Audit event per group of fields, so an auditor can search for one kind of change.
_EVENTS = (
    ("user.identity_changed", CREDENTIAL_FIELDS),
    ("user.role_changed", ROLE_FIELDS),
    ("user.profile_changed", PROFILE_FIELDS),
)
AUDITED_FIELDS = tuple(sorted(CREDENTIAL_FIELDS | ROLE_FIELDS | PROFILE_FIELDS))


def may_change_credentials(actor: User, target: User) -> bool:
    """Username, e-mail and password of ``target``: the security administrator only, never their
    own here (the portal's password change page asks for the old one), and never those of an
    administrator of another kind."""
    if actor.role != Role.SECADMIN or actor.pk == target.pk:
        return False
    return target.role not in ADMIN_ROLES or target.role == Role.SECADMIN


def is_unclaimed(user: User) -> bool:
    """A new account nobody has used yet: no password set, never logged in."""
    return user.last_login is None and not user.has_usable_password()


def may_issue_password_link(actor: User, target: User) -> bool:
    # The system administrator hands a new account its first link, and only while nobody has
    # used the account: after that, resetting a password is the security administrator's duty.
    if actor.role == Role.SYSADMIN and actor.pk != target.pk:
        return is_unclaimed(target)
    return may_change_credentials(actor, target)


def editable_fields(actor: User, target: User) -> frozenset[str]:
    """The fields of ``target`` that ``actor`` may change in the admin."""
    if actor.role == Role.SYSADMIN:
        return PROFILE_FIELDS
    if actor.role != Role.SECADMIN:
        return frozenset()
    fields = set(ROLE_FIELDS)
    if may_change_credentials(actor, target):
        fields |= CREDENTIAL_FIELDS
    if target.role in ADMIN_ROLES:
        fields.discard("role")  # administrator roles come from create_admin, see above
    if actor.pk == target.pk:
        fields -= {"role", "is_active", "jurisdiction"}
    return frozenset(fields)


def snapshot(user: User) -> dict[str, Any]:
    """The audited fields as stored, JSON-ready (the jurisdiction by id)."""
    values = {name: getattr(user, name) for name in AUDITED_FIELDS if name != "jurisdiction"}
    values["jurisdiction"] = user.jurisdiction_id
    return values


def record_changes(
    *, user: User, before: dict[str, Any], request: HttpRequest | None = None
) -> list[str]:
    """One audit event per kind of change between ``before`` and ``user`` as it is now."""
    after = snapshot(user)
    recorded = []
    for action, fields in _EVENTS:
        changed = sorted(name for name in fields if before.get(name) != after[name])
        if changed:
            audit.record(
                action,
                request=request,
                obj=user,
                fields=changed,
                before={name: before.get(name) for name in changed},
                after={name: after[name] for name in changed},
            )
            recorded.append(action)
    return recorded


def password_link(request: HttpRequest, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return request.build_absolute_uri(path)


@transaction.atomic
def password_link_issue(*, target: User, by: User, request: HttpRequest) -> str | None:
    """Void ``target``'s password (and so its sessions) and make a one-time link to set a new one.

    The link is good until used or until ``PASSWORD_RESET_TIMEOUT``; it goes by e-mail when the
    account has an address, and only then is it not returned: an administrator who could read it
    could use it. Without an address it is returned once, to be handed over in person.
    """
    if not may_issue_password_link(by, target):
        audit.record(
            "user.password_link_issued",
            request=request,
            obj=target,
            outcome=audit.Outcome.DENIED,
        )
        raise PermissionDenied
    target.set_unusable_password()
    target.save(update_fields=["password"])
    link = password_link(request, target)
    audit.record(
        "user.password_link_issued", request=request, obj=target, emailed=bool(target.email)
    )
    if not target.email:
        return link
    address = target.email
    subject = gettext("Set your password for the Assured Consumption Portal")
    body = gettext(
        "An account %(username)s has been set up for you. Open this link once to choose your "
        "password; it expires after %(days)s days:\n\n%(link)s"
    ) % {
        "username": target.get_username(),
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "link": link,
    }
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
    )
    return None


# --- Audit of changes that happen outside the admin's forms ----------------------------------


def _actor(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(post_save, sender=User)
def _password_set(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # set_password() keeps the raw value in _password until the save completes; its presence
    # here means a password was chosen (reset link, password change, command), never recorded.
    if created or getattr(instance, "_password", None) is None:
        return
    request = current_request()
    audit.record(
        "user.password_set",
        request=request,
        actor=_actor(request),
        username=instance.get_username(),
        obj=instance,
    )


def _device_before(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "confirmed" not in update_fields:
        instance._confirmed_before = instance.confirmed
        return
    previous = type(instance).objects.filter(pk=instance.pk).values_list("confirmed", flat=True)
    instance._confirmed_before = previous.first()


def _device_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        action = "otp.device_added"
    elif instance.confirmed and not getattr(instance, "_confirmed_before", True):
        action = "otp.device_confirmed"
    else:
        return
    _record_device(action, instance)


def _device_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _record_device("otp.device_deleted", instance)


def connect_device_receivers() -> None:
    """Audit the two-factor devices' changes, connected to each installed device model by name.

    Not to every model (a receiver without a sender): a ``post_delete`` receiver for every model
    keeps Django from deleting any queryset in one ``DELETE`` — it must then load each row,
    evidence and all, to send the signal (issue 17: replacing a chunk's 5,000 scores)."""
    for model in apps.get_models():
        if issubclass(model, Device):
            uid = model._meta.label_lower
            pre_save.connect(_device_before, sender=model, dispatch_uid=f"{uid}.audit.pre")
            post_save.connect(_device_saved, sender=model, dispatch_uid=f"{uid}.audit.post")
            post_delete.connect(_device_deleted, sender=model, dispatch_uid=f"{uid}.audit.del")


def _record_device(action: str, device: Device) -> None:
    request = current_request()
    audit.record(
        action,
        request=request,
        actor=_actor(request),
        username=device.user.get_username(),
        obj=device,
        kind=device._meta.label_lower,
        user=device.user.get_username(),
        confirmed=device.confirmed,
    )
