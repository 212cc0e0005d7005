from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lyushunkou import audit
from lyushunkou.models import ADMIN_ROLES, User


class Command(BaseCommand):
    help = (
        "Create one of the three administrators (三员: sysadmin, secadmin, auditor) with a random "
        "password printed once. The way to bootstrap a production system: there are no default "
        "accounts and no superusers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"An account named {username!r} exists already.")
        password = secrets.token_urlsafe(15)
        user = User(
            username=username,
            role=options["role"],
            full_name=options["full_name"],
            email=options["email"],
        )
        user.set_password(password)
        user.save()
        audit.record("user.created", username="manage.py", obj=user, role=user.role)
        self.stdout.write(f"{username}\t{password}\t(change it at first login)")
