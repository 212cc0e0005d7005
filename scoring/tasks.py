"""Celery tasks of the scoring app (autodiscovered through this module)."""

from scoring.tasks_reports import *  # noqa: F403
from scoring.tasks_scoring import *  # noqa: F403
