from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Risk-based supervision (issue 19): complaint clusters that steer sampling, and weighted
    inspection plans. Reads units, complaints and inspections; none of them imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = _("Risk-based supervision")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lyushunkou.models import Role
        from lyushunkou.navigation import MENU, MenuItem
        from supervision import gates, signals
        from units import application_gates
        from units.models import Unit
        from units.models_claims import UnitClaim

        # Identity continuity (issue 19 item 4): units never name this app.
        post_save.connect(signals.unit_created, sender=Unit, dispatch_uid="supervision.unit")
        post_save.connect(signals.claim_filed, sender=UnitClaim, dispatch_uid="supervision.claim")
        application_gates.register("identity", _("Identity continuity check"), gates.identity_gate)

        if all(item.url_name != "proposal-list" for item in MENU):
            # In the "Sampling and checks" group, after its last entry (on-site checks).
            group = _("Sampling and checks")
            at = max(
                (i + 1 for i, item in enumerate(MENU) if item.group == group),
                default=len(MENU),
            )
            MENU.insert(
                at,
                MenuItem(
                    _("Risk-based supervision"),
                    "proposal-list",
                    frozenset({Role.STAFF, Role.LEADER}),
                    group=group,
                ),
            )
