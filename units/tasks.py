"""Celery tasks of the units app (autodiscovered through this module)."""

from units.tasks_notice import *  # noqa: F403
from units.tasks_status import *  # noqa: F403
