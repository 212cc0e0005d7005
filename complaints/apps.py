from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from lyushunkou.demo import register_seeder
        from lyushunkou.models import Role
        from lyushunkou.navigation import MENU, MenuItem

        def seed(**kwargs: object) -> None:
            from complaints.demo import seed_complaints

            seed_complaints(**kwargs)

        register_seeder("complaints", seed)

        from lyushunkou.backends import register_role_permissions

        # Staff may see a complainant's personal data, for a stated reason that is audited.
        register_role_permissions(Role.STAFF, {"complaints.unmask_complainant"})

        from complaints import block_figures

        block_figures.register()  # the complaint figures of demonstration blocks and industries

        from complaints import standard_providers

        standard_providers.register()  # the complaints rule of the demonstration-unit standard
        # After the units entries, before Jurisdictions and the administrators' entries.
        position = next(
            (i for i, item in enumerate(MENU) if item.url_name == "jurisdiction-list"), len(MENU)
        )
        readers = frozenset({Role.STAFF, Role.LEADER})
        group = _("Complaints and surveys")
        MENU[position:position] = [
            MenuItem(_("Complaints"), "complaint-list", readers, group=group),
            MenuItem(_("Survey answers"), "survey-list", readers, group=group),
            MenuItem(
                _("Complaints against my units"), "workspace-complaints", frozenset({Role.OPERATOR})
            ),
        ]

        from complaints.selectors import operator_unit_section, staff_unit_section
        from units.extensions import (
            OPERATOR_UNIT_SECTIONS,
            STAFF_UNIT_SECTIONS,
            UnitSection,
            register_section,
        )

        register_section(
            STAFF_UNIT_SECTIONS,
            UnitSection(
                "complaints", "complaints/staff/_unit_section.html", staff_unit_section, order=10
            ),
        )
        register_section(
            OPERATOR_UNIT_SECTIONS,
            UnitSection(
                "complaints",
                "complaints/operator/_unit_section.html",
                operator_unit_section,
                order=10,
            ),
        )

        from complaints.exports import COLUMNS
        from complaints.imports import import_complaints, max_rows
        from lyushunkou.importing import register_import

        register_import(
            "complaints",
            label=_("complaints"),
            importer=import_complaints,
            template="complaints/import/import.html",
            columns=COLUMNS,
            page="complaint-import",
            max_rows=max_rows,
        )

        from complaints.exports import COMPLAINT_LIST, SURVEY_LIST
        from lyushunkou.list_exports import register_list_exports

        register_list_exports(COMPLAINT_LIST, SURVEY_LIST)
