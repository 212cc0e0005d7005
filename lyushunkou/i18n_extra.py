"""Strings of third-party apps that ship no Simplified Chinese translation.

Marked here so ``makemessages`` keeps them in our catalogue, which Django consults first
(LOCALE_PATHS), and the scheduled jobs' run history reads in Chinese like the rest of the admin.
"""

from django.utils.translation import gettext_noop, ngettext

DJANGO_CELERY_RESULTS = [
    gettext_noop("Celery Results"),
    gettext_noop("task result"),
    gettext_noop("task results"),
    gettext_noop("group result"),
    gettext_noop("group results"),
    gettext_noop("Task ID"),
    gettext_noop("Task Name"),
    gettext_noop("Periodic Task Name"),
    gettext_noop("Task State"),
    gettext_noop("Worker"),
    gettext_noop("Created DateTime"),
    gettext_noop("Started DateTime"),
    gettext_noop("Completed DateTime"),
    gettext_noop("Result Data"),
    gettext_noop("Traceback"),
    gettext_noop("Task Positional Arguments"),
    gettext_noop("Task Named Arguments"),
    gettext_noop("Group ID"),
]


def _plural_messages() -> None:  # never called: it marks plural messages for makemessages
    """Django 5.2's password validator changed this message's placeholder; the Chinese catalogue
    Django ships still has the old one, so the message showed in English."""
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    )
