"""What the scoring app's audit actions are called (lyushunkou.audit_labels finds this module)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Any] = {
    "rubric.drafted": _("Rubric draft created"),
    "rubric.activated": _("Rubric put in force"),
    "score.exported": _("Grades exported"),
    "score.appeal_submitted": _("Appeal submitted"),
    "score.reply_submitted": _("Reply to a grade submitted"),
    "score.appeal_upheld": _("Appeal upheld"),
    "score.appeal_dismissed": _("Appeal dismissed"),
    "appeal.exported": _("Appeals exported"),
    "checklist.exported": _("Demonstration-area checklist exported"),
    "scoring.checklist_recorded": _("Checklist item recorded"),
    "scoring.checklist_updated": _("Checklist item changed"),
    # scoring.targets.admin: <prefix>.added / .changed / .deleted from the admin.
    "scoring.target.added": _("Target added"),
    "scoring.target.changed": _("Target changed"),
    "scoring.target.deleted": _("Target deleted"),
    "scoring.demonstration_area.added": _("Demonstration area added"),
    "scoring.demonstration_area.changed": _("Demonstration area changed"),
    "scoring.demonstration_area.deleted": _("Demonstration area deleted"),
    "scoring.checklist.added": _("Checklist item added"),
    "scoring.checklist.changed": _("Checklist item changed"),
    "scoring.checklist.deleted": _("Checklist item deleted"),
    "report.requested": _("Report requested"),
    "report.not_queued": _("Report not queued"),
    "report.ready": _("Report ready"),
    "report.failed": _("Report failed"),
    "report.retried": _("Report retried"),
    "report.requeued": _("Report queued again"),
    "report.downloaded": _("Report downloaded"),
    "demo.scoring_seeded": _("Demonstration grades created"),
}
