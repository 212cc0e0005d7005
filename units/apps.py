from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "units"
    verbose_name = _("Units")

    def ready(self) -> None:
        # The core app knows nothing of units; units adds its pages to the shared menu.
        from lyushunkou.models import Role
        from lyushunkou.navigation import MENU, MenuItem

        group = _("Units and demonstration")
        MENU[1:1] = [
            MenuItem(_("My units"), "workspace", frozenset({Role.OPERATOR})),
            MenuItem(_("Units"), "unit-list", frozenset({Role.STAFF, Role.LEADER}), group=group),
            MenuItem(
                _("Demonstration applications"),
                "application-list",
                frozenset({Role.STAFF, Role.LEADER}),
                group=group,
            ),
            MenuItem(_("Unit claims"), "claim-list", frozenset({Role.STAFF}), group=group),
            MenuItem(
                _("Demonstration blocks and industries"),
                "block-staff-list",
                frozenset({Role.STAFF, Role.LEADER}),
                group=group,
            ),
        ]

        from lyushunkou.demo import register_seeder
        from units.demo import seed_units

        register_seeder("units", seed_units)

        from lyushunkou.backends import model_permissions, register_role_permissions

        # Staff may see an objector's personal data, for a stated reason that is audited.
        register_role_permissions(Role.STAFF, {"units.unmask_objector"})
        register_role_permissions(
            Role.SYSADMIN,
            model_permissions("units", "demonstrationblock")
            | model_permissions("units", "demonstrationindustry"),
        )

        from lyushunkou.importing import register_import
        from units.exports import COLUMNS
        from units.imports import import_units

        register_import(
            "units",
            label=_("units"),
            importer=import_units,
            template="units/staff/unit_import.html",
            columns=COLUMNS,
            page="unit-import",
        )

        from lyushunkou.list_exports import register_list_exports
        from units.exports import UNIT_LIST

        register_list_exports(UNIT_LIST)
