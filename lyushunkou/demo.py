"""Demo accounts for ``seed_demo``: one per role, plus a second operator and a street-scoped staff
member, so that every persona of the test suite can be tried in the browser."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from lyushunkou import audit
from lyushunkou.db_maintenance import analyzing_written_tables
from lyushunkou.models import Jurisdiction, Role, User

DEMO_STREET_CODE = "210212001000"  # 登峰街道

# Demo data generators of the apps above this one, registered from their AppConfig.ready() so the
# core app never imports them. Each is called as seeder(rng=..., scale=..., stdout=...) in order.
Seeder = Callable[..., None]
SEEDERS: list[tuple[str, Seeder]] = []


def register_seeder(name: str, seeder: Seeder) -> None:
    if name not in [existing for existing, _ in SEEDERS]:
        SEEDERS.append((name, seeder))


def run_seeders(*, seed: int, scale: str, stdout: object) -> None:
    """Each seeder gets its own stream derived from the seed: adding one keeps the others' data.

    What a seeder loaded is analysed (PostgreSQL) before the next one runs: the later seeders
    query the earlier ones' tables (the scoring seeder grades every unit), and a planner that
    still believes a table empty picks plans that scan it (issue 17)."""
    for name, seeder in SEEDERS:
        with analyzing_written_tables():
            seeder(rng=random.Random(f"{seed}:{name}"), scale=scale, stdout=stdout)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    street_scoped: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("staff", "区局执法人员（演示）", Role.STAFF),
    DemoAccount("staff_dengfeng", "登峰所执法人员（演示）", Role.STAFF, street_scoped=True),
    DemoAccount("leader", "区领导（演示）", Role.LEADER),
    DemoAccount("operator", "经营者甲（演示）", Role.OPERATOR),
    DemoAccount("operator2", "经营者乙（演示）", Role.OPERATOR),
    DemoAccount("sysadmin", "系统管理员（演示）", Role.SYSADMIN),
    DemoAccount("secadmin", "安全管理员（演示）", Role.SECADMIN),
    DemoAccount("auditor", "安全审计员（演示）", Role.AUDITOR),
]


def generate_password() -> str:
    # Random on every run: there is never a fixed default password to guess.
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_demo_accounts(*, reset_passwords: bool = False) -> list[tuple[DemoAccount, str | None]]:
    """Create the demo accounts that do not exist yet.

    Returns each account with its new password, or None where an existing account kept its own.
    """
    street = Jurisdiction.objects.get(code=DEMO_STREET_CODE)
    results: list[tuple[DemoAccount, str | None]] = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        password: str | None = None
        if user is None:
            user = User(username=account.username)
            password = generate_password()
        elif reset_passwords:
            password = generate_password()
        user.full_name = account.full_name
        user.role = account.role
        user.jurisdiction = street if account.street_scoped else None
        if password is not None:
            user.set_password(password)
        user.save()
        if password is not None:
            audit.record("demo.account_seeded", obj=user, role=account.role)
        results.append((account, password))
    return results
