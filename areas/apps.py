from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    """Demonstration areas (issue 21). Above scoring: nothing imports this app; it adds its
    pages to the shared menu, its card to the dashboard, its pages to the annual report, its
    network to the home page and its demo data to ``seed_demo`` from here."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "areas"
    verbose_name = _("Demonstration areas")

    def ready(self) -> None:
        from areas import extensions

        extensions.register()

        from lyushunkou.demo import register_seeder

        def seed(**kwargs: Any) -> None:
            from areas.demo import seed_areas  # imported when seeding, not at every start

            seed_areas(**kwargs)

        # After scoring's seeder (INSTALLED_APPS order): the targets it evaluates are the items'.
        register_seeder("areas", seed)

        from lyushunkou.models import Role
        from lyushunkou.navigation import MENU, MenuItem

        if all(item.url_name != "areas-staff" for item in MENU):
            # In the group of the jurisdictions' pages, after the jurisdictions themselves.
            at = next(
                (i + 1 for i, item in enumerate(MENU) if item.url_name == "jurisdiction-list"),
                len(MENU),
            )
            MENU.insert(
                at,
                MenuItem(
                    _("Demonstration areas and network"),
                    "areas-staff",
                    frozenset({Role.STAFF, Role.LEADER}),
                    group=_("District and notices"),
                ),
            )
