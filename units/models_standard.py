"""The demonstration-unit standard (示范单位标准) as data: one row per criterion.

Each criterion names a rule (its implementation lives in code, in the registry of
``units.extensions``) and the rule's parameters — the thresholds the policy sets (100 %, 90 %,
3 complaints, 12 months, grade B) — so that administrators change a threshold without a
deployment. Unlike the scoring rubric there are no versions: the standard is checked live at the
moment of approval, and the approval's audit event records what was checked.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The labels migration 0003 seeds, marked here so that the message catalogue keeps them.
SEEDED_LABELS = (
    gettext_noop("An active 12315 service station with a named person handling complaints"),
    gettext_noop("First-asking responsibility in force and verified by staff"),
    gettext_noop("Advance compensation in force and verified by staff"),
    gettext_noop("Purchase inspection and ledgers in force and verified by staff"),
    gettext_noop("Return without reason in force and verified by staff"),
    gettext_noop("Latest grade and veto items"),
    gettext_noop("The unit's own complaint handling and reconciliation"),
    gettext_noop("No unrectified finding"),
    gettext_noop("No overdue disposal of a failed sampling batch"),
    gettext_noop("Not on the serious illegal and dishonest list"),
)


class StandardCriterion(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    # An English msgid for the seeded criteria, shown translated; an administrator may type any
    # label, which is shown as typed.
    label = models.CharField(_("label"), max_length=200)
    rule = models.CharField(_("rule"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("demonstration-unit criterion")
        verbose_name_plural = _("demonstration-unit criteria")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return gettext(self.label)
