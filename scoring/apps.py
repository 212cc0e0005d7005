from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from lyushunkou.models import Role
        from lyushunkou.navigation import MENU, MenuItem
        from scoring.grading import sections

        sections.register()

        from lyushunkou.backends import model_permissions, register_role_permissions

        # The grading rubric's versions (drafts edited, then activated), targets and areas.
        register_role_permissions(
            Role.SYSADMIN,
            model_permissions("scoring", "rubric")
            | model_permissions("scoring", "indicator")
            | model_permissions("scoring", "target")
            | model_permissions("scoring", "demonstrationarea")
            | model_permissions("scoring", "checklistitem"),
        )

        from scoring.grading import standard_providers

        standard_providers.register()  # the grade rule of the demonstration-unit standard

        from scoring.grading import supervision_providers

        supervision_providers.register()  # grades in the risk weights of inspection plans

        from lyushunkou.list_exports import register_list_exports
        from scoring.grading.exports import SCORE_LIST

        register_list_exports(SCORE_LIST)

        from lyushunkou.importing import records_imported
        from scoring.targets.refreshing import on_records_imported

        # Figures of open periods refresh right after an import (issue 14 item 1).
        records_imported.connect(on_records_imported, dispatch_uid="scoring-refresh-targets")

        from lyushunkou.demo import register_seeder

        def seed(**kwargs: Any) -> None:
            # Imported when seeding, not at every start: it pulls in the engine and the targets.
            from scoring.demo import seed_scoring

            seed_scoring(**kwargs)

        # Ready after units, complaints and inspections (INSTALLED_APPS order): grades their data.
        register_seeder("scoring", seed)
        staff_and_leaders = frozenset({Role.STAFF, Role.LEADER})
        if all(item.url_name != "dashboard" for item in MENU):
            at = next(
                (i for i, item in enumerate(MENU) if item.url_name == "jurisdiction-list"),
                len(MENU),
            )
            group = _("Evaluation and reports")
            MENU[at:at] = [
                MenuItem(_("Grades"), "score-list", staff_and_leaders, group=group),
                MenuItem(_("Appeals"), "appeal-list", frozenset({Role.STAFF}), group=group),
                MenuItem(_("Reports"), "report-list", staff_and_leaders, group=group),
                MenuItem(_("My grades"), "operator-score-list", frozenset({Role.OPERATOR})),
            ]
            # Next to the workbench: the first page staff and leaders look at.
            home = next(i for i, item in enumerate(MENU) if item.url_name == "home")
            MENU.insert(home + 1, MenuItem(_("Dashboard"), "dashboard", staff_and_leaders))
