from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lyushunkou.demo import create_demo_accounts, run_seeders

SCALES = ("district", "city", "province")


class Command(BaseCommand):
    help = (
        "Create deterministic synthetic demo data and one demo account per role. Passwords are "
        "random, printed once and written to DATA_DIR/demo-logins.txt (readable by the owner only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="district")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="give existing demo accounts new passwords",
        )
        parser.add_argument(
            "--force-production",
            action="store_true",
            help="allow running with DJANGO_ENV=production (never do this on a live system)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force_production"]:
            raise CommandError(
                "seed_demo refuses to run with DJANGO_ENV=production: demo accounts must not exist "
                "on a live system. Pass --force-production only on a disposable copy."
            )
        # The accounts are the same at every scale; --scale and --seed drive the synthetic data
        # that the apps' registered seeders generate (units, complaints, sampling batches).
        results = create_demo_accounts(reset_passwords=options["reset_passwords"])
        # Each seeder's tables are analysed (PostgreSQL) as soon as it has loaded them.
        run_seeders(seed=options["seed"], scale=options["scale"], stdout=self.stdout)
        logins_file = settings.DATA_DIR / "demo-logins.txt"
        new = [(account, password) for account, password in results if password]
        if new:
            known = _read_logins(logins_file)
            known.update({account.username: password for account, password in new if password})
            lines = [
                f"{account.username}\t{known.get(account.username, '(password unchanged)')}\t"
                f"{account.full_name}"
                for account, _ in results
            ]
            logins_file.parent.mkdir(parents=True, exist_ok=True)
            logins_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.chmod(logins_file, 0o600)
        self.stdout.write(self.style.SUCCESS("Demo accounts (username, password, name):"))
        if logins_file.exists():
            self.stdout.write(logins_file.read_text(encoding="utf-8"))
        else:
            for account, _ in results:
                self.stdout.write(f"{account.username}\t(password unchanged)\t{account.full_name}")


def _read_logins(path: Any) -> dict[str, str]:
    if not path.exists():
        return {}
    logins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and not parts[1].startswith("("):
            logins[parts[0]] = parts[1]
    return logins
