"""Celery task names are a stored interface: the beat schedule (copied into the database by
django-celery-beat), the queue routes and messages already queued name tasks by string. A module
moved (issue 20 item 3 put scoring's tasks in scoring/grading and scoring/reports) must not change
them, so every name used as a string has to be registered, and every task of the project keeps a
name of the form ``<app>.tasks.<name>`` whatever module of the app defines it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from lyushunkou.celery import app

ROOT = Path(__file__).resolve().parent.parent
APPS: tuple[str, ...] = ("lyushunkou", "units", "complaints", "inspections", "supervision")
APPS = (*APPS, "scoring", "areas", "api")
TASK_NAME = re.compile(rf"^({'|'.join(APPS)})\.tasks\.\w+$")


@pytest.fixture(scope="module")
def registered() -> set[str]:
    app.loader.import_default_modules()  # the autodiscovery a worker does at start
    return set(app.tasks)


def task_names_in_source() -> set[str]:
    """Every string constant in the apps' code that is a task name (routes, send_task, docs)."""
    names: set[str] = set()
    for package in APPS:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    names.add(node.value)
    return {name for name in names if TASK_NAME.match(name)}


def test_the_source_names_tasks_as_strings() -> None:
    assert "scoring.tasks.render_report" in task_names_in_source()


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_entry_names_a_registered_task(entry: str, registered: set[str]) -> None:
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in registered


@pytest.mark.parametrize("name", sorted(settings.CELERY_TASK_ROUTES))
def test_every_routed_task_is_registered(name: str, registered: set[str]) -> None:
    assert name in registered


@pytest.mark.parametrize("name", sorted(task_names_in_source()))
def test_every_task_name_in_the_source_is_registered(name: str, registered: set[str]) -> None:
    assert name in registered


def test_every_task_of_the_project_is_named_app_tasks_name(registered: set[str]) -> None:
    ours = {name: task for name, task in app.tasks.items() if task.__module__.split(".")[0] in APPS}
    assert ours, "no project task registered: autodiscovery found nothing"
    misnamed = sorted(
        f"{task.__module__}.{task.__name__} is registered as {name}"
        for name, task in ours.items()
        if not TASK_NAME.match(name) or name.split(".")[0] != task.__module__.split(".")[0]
    )
    assert misnamed == []
