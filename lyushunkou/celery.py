"""The Celery application: configured from Django settings (``CELERY_*``), tasks auto-discovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lyushunkou.settings")

app = Celery("lyushunkou")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
