"""``manage.py restore_drill [--dump FILE]``: prove that a backup restores (docs/operations.md).

Restores a ``pg_dump -Fc`` file (or, without --dump, a fresh dump of the configured database) into
a scratch database, compares the row count of every table with the configured database, drops the
scratch database and exits 1 on any difference. PostgreSQL only.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from psycopg import sql


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dump", type=Path, help="a pg_dump -Fc file; default: dump now")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The restore drill needs PostgreSQL (DATABASE_URL).")
        db = settings.DATABASES["default"]
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        common = [
            "-h",
            str(db.get("HOST") or "localhost"),
            "-p",
            str(db.get("PORT") or 5432),
            "-U",
            str(db.get("USER") or "postgres"),
        ]
        source = connection.settings_dict["NAME"]
        scratch = f"restore_drill_{os.getpid()}"
        with tempfile.TemporaryDirectory() as folder:
            dump = options["dump"] or Path(folder) / "drill.dump"
            if options["dump"] is None:
                self._run(["pg_dump", "-Fc", *common, "-f", str(dump), source], env)
            self._admin(db, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
            try:
                self._run(["pg_restore", "--no-owner", *common, "-d", scratch, str(dump)], env)
                expected = self._counts(db, source)
                restored = self._counts(db, scratch)
            finally:
                self._admin(
                    db,
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(scratch)
                    ),
                )
        differences = [
            f"{table}: {expected.get(table)} in the database, {restored.get(table)} restored"
            for table in sorted(set(expected) | set(restored))
            if expected.get(table) != restored.get(table)
        ]
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(f"The restore differs in {len(differences)} table(s).", returncode=1)
        total = sum(expected.values())
        self.stdout.write(
            self.style.SUCCESS(f"Restore drill passed: {len(expected)} tables, {total} rows match.")
        )

    def _run(self, command: list[str], env: dict[str, str]) -> None:
        # The command is pg_dump or pg_restore with arguments from settings, never user input.
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"{command[0]} failed: {result.stderr.strip()[:500]}")

    def _connect(self, db: dict[str, Any], name: str) -> Any:
        return psycopg.connect(
            dbname=name,
            host=db.get("HOST") or "localhost",
            port=db.get("PORT") or 5432,
            user=db.get("USER") or "postgres",
            password=db.get("PASSWORD") or None,
            autocommit=True,  # CREATE and DROP DATABASE cannot run inside a transaction
        )

    def _admin(self, db: dict[str, Any], statement: sql.Composable) -> None:
        conn = self._connect(db, "postgres")
        try:
            with conn.cursor() as cursor:
                cursor.execute(statement)
        finally:
            conn.close()

    def _counts(self, db: dict[str, Any], name: str) -> dict[str, int]:
        conn = self._connect(db, name)
        try:
            with conn.cursor() as cursor:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
                tables = [row[0] for row in cursor.fetchall()]
                counts = {}
                for table in tables:
                    cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
                    counts[table] = cursor.fetchone()[0]
                return counts
        finally:
            conn.close()
