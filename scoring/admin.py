"""Admin registrations: rubric versions, targets, reports."""

from scoring.grading import admin as admin_rubric  # noqa: F401
from scoring.reports import admin as admin_reports  # noqa: F401
from scoring.targets import admin as admin_targets  # noqa: F401
