from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LyushunkouConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lyushunkou"
    verbose_name = _("System")

    def ready(self) -> None:
        from lyushunkou import (  # noqa: F401 - registers checks, receivers
            accounts,
            backup_codes,
            checks,
            security,
            signals,
        )

        accounts.connect_device_receivers()
