from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("HTTP API")

    def ready(self) -> None:
        from api import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
        from lyushunkou.backends import model_permissions, register_role_permissions
        from lyushunkou.models import Role

        # The connected systems and their tokens: created and revoked by the security
        # administrator.
        register_role_permissions(
            Role.SECADMIN,
            model_permissions("api", "apiclient", ("view", "add", "change"))
            | model_permissions("api", "apitoken", ("view", "add", "change")),
        )
