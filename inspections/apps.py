from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from lyushunkou.models import Role
        from lyushunkou.navigation import MENU, MenuItem

        readers = frozenset({Role.STAFF, Role.LEADER})
        group = _("Sampling and checks")
        at = next(
            (i for i, item in enumerate(MENU) if item.url_name == "jurisdiction-list"), len(MENU)
        )
        if all(item.url_name != "sampling-list" for item in MENU):
            MENU[at:at] = [
                MenuItem(_("Sampling"), "sampling-list", readers, group=group),
                MenuItem(_("On-site checks"), "check-list", readers, group=group),
            ]

        from inspections.sections import operator_section, staff_section
        from units.extensions import (
            OPERATOR_UNIT_SECTIONS,
            STAFF_UNIT_SECTIONS,
            UnitSection,
            register_section,
        )

        register_section(
            STAFF_UNIT_SECTIONS,
            UnitSection("inspections", "inspections/_unit_section.html", staff_section, order=20),
        )
        register_section(
            OPERATOR_UNIT_SECTIONS,
            UnitSection(
                "inspections", "inspections/_operator_section.html", operator_section, order=20
            ),
        )

        from inspections import standard_providers

        standard_providers.register()  # check items and records of the demonstration standard

        from inspections import block_figures

        block_figures.register()  # the sampling figures of demonstration blocks and industries

        from inspections.demo import seed_inspections
        from lyushunkou.demo import register_seeder

        register_seeder("inspections", seed_inspections)

        from inspections.exports import COLUMNS
        from inspections.imports import import_sampling
        from lyushunkou.importing import register_import

        register_import(
            "sampling",
            label=_("sampling batches"),
            importer=import_sampling,
            template="inspections/sampling_import.html",
            columns=COLUMNS,
            page="sampling-import",
        )

        from inspections.exports import SAMPLING_LIST
        from lyushunkou.list_exports import register_list_exports

        register_list_exports(SAMPLING_LIST)
