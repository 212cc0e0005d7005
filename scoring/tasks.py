"""Celery tasks of the scoring app (autodiscovered through this module)."""

from scoring.grading.tasks import *  # noqa: F403
from scoring.reports.tasks import *  # noqa: F403
from scoring.targets.tasks import *  # noqa: F403
