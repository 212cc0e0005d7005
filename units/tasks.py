"""Celery tasks of the units app (autodiscovered through this module)."""

from units.tasks_status import *  # noqa: F403
